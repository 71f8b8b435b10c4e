//! Speaker and year counts over *all* matches (not just the page shown), read from fast fields.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::schema;

/// Counts of matches per value, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub speaker: Vec<(String, u64)>,
    /// Per year, in year order.
    pub year: Vec<(i32, u64)>,
    /// Matches from undated transcripts.
    pub undated: u64,
    /// Matches with no speaker.
    pub no_speaker: u64,
}

pub struct FacetCollector;

pub struct SegmentFacets {
    speaker: Option<StrColumn>,
    day: Column<u64>,
    speaker_counts: Vec<u64>,
    year_counts: FxHashMap<u64, u64>,
    /// The year of the last matches and how many: consecutive matches mostly share a
    /// transcript, so the map is touched once a run rather than once a match (hashing every
    /// match was a quarter of the time of a search for a common word).
    run: Option<(u64, u64)>,
    undated: u64,
    no_speaker: u64,
}

/// Per segment: counts by speaker ordinal, resolved to names once at the end.
pub struct SegmentFruit {
    speakers: Vec<(String, u64)>,
    years: FxHashMap<u64, u64>,
    undated: u64,
    no_speaker: u64,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let speaker = segment.fast_fields().str(schema::SPEAKER)?;
        let terms = speaker.as_ref().map_or(0, |s| s.num_terms());
        Ok(SegmentFacets {
            speaker,
            day: segment.fast_fields().u64(schema::DAY)?,
            speaker_counts: vec![0; terms],
            year_counts: FxHashMap::default(),
            run: None,
            undated: 0,
            no_speaker: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Facets> {
        let mut speakers: HashMap<String, u64> = HashMap::new();
        let mut years: HashMap<u64, u64> = HashMap::new();
        let mut facets = Facets::default();
        for f in fruits {
            for (name, n) in f.speakers {
                *speakers.entry(name).or_default() += n;
            }
            for (y, n) in f.years {
                *years.entry(y).or_default() += n;
            }
            facets.undated += f.undated;
            facets.no_speaker += f.no_speaker;
        }
        facets.speaker = speakers.into_iter().collect();
        facets
            .speaker
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        facets.year = years.into_iter().map(|(y, n)| (y as i32, n)).collect();
        facets.year.sort();
        Ok(facets)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.speaker.as_ref().and_then(|s| s.term_ords(doc).next()) {
            Some(ord) => self.speaker_counts[ord as usize] += 1,
            None => self.no_speaker += 1,
        }
        match self.day.first(doc) {
            Some(day) => {
                let year = day / 10_000;
                match &mut self.run {
                    Some((y, n)) if *y == year => *n += 1,
                    run => {
                        if let Some((y, n)) = run.replace((year, 1)) {
                            *self.year_counts.entry(y).or_default() += n;
                        }
                    }
                }
            }
            None => self.undated += 1,
        }
    }

    fn harvest(mut self) -> SegmentFruit {
        if let Some((year, n)) = self.run.take() {
            *self.year_counts.entry(year).or_default() += n;
        }
        let mut speakers = Vec::new();
        if let Some(column) = &self.speaker {
            // Resolve all counted ordinals in one pass over the dictionary: one at a time, each
            // lookup decompresses a block (most of the time of a common word's search).
            let ords: Vec<u64> = (0..self.speaker_counts.len() as u64)
                .filter(|&o| self.speaker_counts[o as usize] > 0)
                .collect();
            let mut counts = ords.iter().map(|&o| self.speaker_counts[o as usize]);
            let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                let n = counts.next().unwrap_or(0);
                speakers.push((String::from_utf8_lossy(bytes).into_owned(), n));
            });
        }
        SegmentFruit {
            speakers,
            years: self.year_counts,
            undated: self.undated,
            no_speaker: self.no_speaker,
        }
    }
}
