//! The views around search: matches over time ([`Searcher::trend`]), passages around a hit
//! ([`Searcher::context`]), a whole transcript ([`Searcher::transcript`]) and the index's
//! figures ([`Searcher::stats`]).

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, Count, DocSetCollector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use super::{get_str, get_u64, SearchRequest, Searcher};
use crate::date::Date;
use crate::index::schema;
use crate::Result;

/// The width of a trend's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Year,
    Month,
    Week,
}

impl Period {
    /// A sortable key for the period holding `date`.
    fn key(self, date: Date) -> i64 {
        match self {
            Period::Year => i64::from(date.year),
            Period::Month => i64::from(date.year) * 12 + i64::from(date.month) - 1,
            // The week's Monday, in days since the epoch.
            Period::Week => date.days() - i64::from(date.weekday()),
        }
    }

    fn label(self, key: i64) -> String {
        match self {
            Period::Year => key.to_string(),
            Period::Month => format!("{}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1),
            Period::Week => Date::from_days(key).map_or_else(String::new, |d| {
                let (year, week) = d.iso_week();
                format!("{year}-W{week:02}")
            }),
        }
    }

    fn step(self) -> i64 {
        match self {
            Period::Week => 7,
            _ => 1,
        }
    }
}

/// Matches per period, with every period between the first and the last (zeros included).
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub query: String,
    pub by: Period,
    /// All matches, dated or not.
    pub total: usize,
    pub undated: u64,
    pub periods: Vec<String>,
    pub counts: Vec<u64>,
    /// With `split_by_speaker`: the top speakers' counts per period, most matches first.
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub speaker: String,
    pub counts: Vec<u64>,
}

/// Counts by (day, speaker ordinal) per segment; periods are made from days at the end.
struct DayCollector;

struct DaySegment {
    day: Column<u64>,
    speaker: Option<StrColumn>,
    counts: HashMap<(u64, Option<u64>), u64>,
}

impl Collector for DayCollector {
    type Fruit = HashMap<(u64, Option<String>), u64>;
    type Child = DaySegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<DaySegment> {
        Ok(DaySegment {
            day: segment.fast_fields().u64(schema::DAY)?,
            speaker: segment.fast_fields().str(schema::SPEAKER)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut out = HashMap::new();
        for fruit in fruits {
            for (k, n) in fruit {
                *out.entry(k).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for DaySegment {
    type Fruit = HashMap<(u64, Option<String>), u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let day = self.day.first(doc).unwrap_or(0);
        let speaker = self.speaker.as_ref().and_then(|s| s.term_ords(doc).next());
        *self.counts.entry((day, speaker)).or_default() += 1;
    }

    fn harvest(self) -> Self::Fruit {
        let mut name = String::new();
        self.counts
            .into_iter()
            .map(|((day, ord), n)| {
                let speaker = ord.and_then(|o| {
                    let column = self.speaker.as_ref()?;
                    column.ord_to_str(o, &mut name).ok()?.then(|| name.clone())
                });
                ((day, speaker), n)
            })
            .fold(HashMap::new(), |mut acc, (k, n)| {
                *acc.entry(k).or_default() += n;
                acc
            })
    }
}

/// A passage shown around a hit or in a transcript.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbor {
    pub paragraph: u64,
    pub speaker: Option<String>,
    pub role: Option<String>,
    pub text: String,
}

/// What the index holds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub files: usize,
    pub transcripts: usize,
    pub passages: usize,
    pub speakers: usize,
    pub languages: Vec<(String, usize)>,
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    pub undated_passages: u64,
    pub index_bytes: u64,
    /// Seconds since the Unix epoch of the last index run.
    pub updated: u64,
    pub roots: Vec<std::path::PathBuf>,
}

impl Searcher {
    /// How many passages match per period (`split_by_speaker`: also per top speaker).
    pub fn trend(
        &self,
        request: &SearchRequest,
        by: Period,
        split_by_speaker: usize,
    ) -> Result<Trend> {
        let searcher = self.searcher();
        let (query, _) = self.matching(request, &searcher)?;
        let (days, total) = searcher.search(&query, &(DayCollector, Count))?;
        // One series per person: the values folded into a person count together.
        let identities = self.identities();
        let mut persons: HashMap<(u64, Option<String>), u64> = HashMap::new();
        for ((day, speaker), n) in days {
            let person = speaker.map(|s| identities.name(&s).to_string());
            *persons.entry((day, person)).or_default() += n;
        }
        let days = persons;
        Ok(Trend::from_counts(
            request,
            by,
            split_by_speaker,
            total,
            days,
        ))
    }
}

impl Trend {
    /// The trend of `total` matches counted by (`YYYYMMDD` day or 0, speaker).
    pub(crate) fn from_counts(
        request: &SearchRequest,
        by: Period,
        split_by_speaker: usize,
        total: usize,
        days: HashMap<(u64, Option<String>), u64>,
    ) -> Trend {
        let mut undated = 0;
        let mut per_period: HashMap<i64, u64> = HashMap::new();
        let mut per_speaker: HashMap<String, HashMap<i64, u64>> = HashMap::new();
        for ((day, speaker), n) in days {
            let Some(date) = Date::from_number(day) else {
                undated += n;
                continue;
            };
            let key = by.key(date);
            *per_period.entry(key).or_default() += n;
            if let Some(s) = speaker {
                *per_speaker.entry(s).or_default().entry(key).or_default() += n;
            }
        }
        let keys: Vec<i64> = match (per_period.keys().min(), per_period.keys().max()) {
            (Some(&lo), Some(&hi)) => (lo..=hi).step_by(by.step() as usize).collect(),
            _ => Vec::new(),
        };
        let mut top: Vec<(String, u64)> = per_speaker
            .iter()
            .map(|(s, m)| (s.clone(), m.values().sum()))
            .collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let series = top
            .into_iter()
            .take(split_by_speaker)
            .map(|(speaker, _)| {
                let counts = keys
                    .iter()
                    .map(|k| per_speaker[&speaker].get(k).copied().unwrap_or(0))
                    .collect();
                Series { speaker, counts }
            })
            .collect();
        Trend {
            query: request.query.clone(),
            by,
            total,
            undated,
            periods: keys.iter().map(|&k| by.label(k)).collect(),
            counts: keys
                .iter()
                .map(|k| per_period.get(k).copied().unwrap_or(0))
                .collect(),
            series,
        }
    }
}

impl Searcher {
    /// Every passage of the transcript at `path` (as results show it), in order.
    pub fn transcript(&self, path: &str) -> Result<Vec<Neighbor>> {
        let (root, rel) = self.split_display_path(path);
        let searcher = self.searcher();
        let f = self.fields();
        let query = TermQuery::new(Term::from_field_text(f.path, rel), IndexRecordOption::Basic);
        let mut out = Vec::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            if root.is_some_and(|r| get_u64(&doc, f.root) != Some(r)) {
                continue;
            }
            let mut n = neighbor(&doc, f);
            n.speaker = self.speaker_name(n.speaker);
            out.push(n);
        }
        out.sort_by_key(|n| n.paragraph);
        Ok(out)
    }

    /// The passages within `n` paragraphs of `paragraph` in the same transcript, the passage
    /// itself excluded.
    pub fn context(&self, path: &str, paragraph: u64, n: u64) -> Result<Vec<Neighbor>> {
        let all = self.transcript(path)?;
        Ok(all
            .into_iter()
            .filter(|p| {
                p.paragraph != paragraph
                    && p.paragraph + n >= paragraph
                    && p.paragraph <= paragraph + n
            })
            .collect())
    }

    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.searcher();
        let f = self.fields();
        let count = |field, value: &str| {
            searcher.search(
                &TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )
        };
        let files = count(f.kind, schema::FILE_RECORD)?;
        let passages = searcher.num_docs() as usize - files;
        let facets = searcher.search(&AllQuery, &super::facets::FacetCollector)?;
        let mut languages = Vec::new();
        for lang in ["en", "zh"] {
            languages.push((lang.to_string(), count(f.lang, lang)?));
        }
        let (mut first, mut last) = (u64::MAX, 0);
        let mut transcripts = std::collections::HashSet::new();
        for segment in searcher.segment_readers() {
            let day = segment.fast_fields().u64(schema::DAY)?;
            if let (Some(lo), Some(hi)) = (
                Some(day.min_value()).filter(|v| *v > 0),
                Some(day.max_value()),
            ) {
                first = first.min(lo);
                last = last.max(hi);
            }
            if let Some(paths) = segment.fast_fields().str(schema::PATH)? {
                let ords: Vec<u64> = (0..paths.num_terms() as u64).collect();
                paths
                    .dictionary()
                    .sorted_ords_to_term_cb(&ords, |bytes| {
                        transcripts.insert(String::from_utf8_lossy(bytes).into_owned());
                    })
                    .map_err(tantivy::TantivyError::from)?;
            }
        }
        let index_bytes = std::fs::read_dir(&self.index.path)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        let meta = self.index.meta.clone();
        Ok(Stats {
            files,
            transcripts: transcripts.len(),
            passages,
            speakers: self.identities().fold_counts(facets.speaker).len(),
            languages,
            first_date: Date::from_number(first),
            last_date: Date::from_number(last),
            undated_passages: facets.undated.saturating_sub(files as u64),
            index_bytes,
            updated: meta.as_ref().map_or(0, |m| m.updated),
            roots: meta.map(|m| m.roots).unwrap_or_default(),
        })
    }
}

fn neighbor(doc: &TantivyDocument, f: &crate::index::Fields) -> Neighbor {
    Neighbor {
        paragraph: get_u64(doc, f.paragraph).unwrap_or(0),
        speaker: get_str(doc, f.speaker),
        role: get_str(doc, f.role),
        text: get_str(doc, f.text).unwrap_or_default(),
    }
}

impl Searcher {
    fn split_display_path<'a>(&self, path: &'a str) -> (Option<u64>, &'a str) {
        split_display_path(&self.root_prefixes, path)
    }
}

/// `mfa/2020-04-22.txt` in an index of several roots is root `mfa`, path `2020-04-22.txt`.
pub(crate) fn split_display_path<'a>(prefixes: &[String], path: &'a str) -> (Option<u64>, &'a str) {
    for (i, prefix) in prefixes.iter().enumerate() {
        if let Some(rest) = path
            .strip_prefix(prefix.as_str())
            .and_then(|r| r.strip_prefix('/'))
        {
            return (Some(i as u64), rest);
        }
    }
    (None, path)
}
