//! Request -> results: parses the query, adds filters, runs it, and turns the top documents into
//! plain [`Hit`]s with highlights and snippets, plus [`Facets`] over all matches.
//!
//! Results are plain structs: rendering never sees tantivy.

pub mod batch;
pub mod build;
pub mod collapse;
pub mod facets;
pub mod first;
pub mod highlight;
pub mod order;
pub mod query;
pub mod verify;
pub mod views;

use std::ops::{Bound, Range, RangeInclusive};
use std::path::Path;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Score, TantivyDocument, Term};

use crate::date::{self, Date};
use crate::index::identity::Person;
use crate::index::{Fields, Identities, PodiumIndex};
use crate::transcript::{Lang, Role};
use crate::{Error, Result};
pub use facets::Facets;
pub use order::Sort;
use query::{FieldName, Node};

/// Everything a search needs besides the index.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Any of these speakers (case-insensitive); empty: everyone.
    pub speakers: Vec<String>,
    /// Inclusive bounds: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub lang: Option<Lang>,
    pub role: Option<Role>,
    pub limit: usize,
    pub offset: usize,
    /// Snippet length in characters.
    pub snippet_chars: usize,
    /// List a text once, at its first passage in `sort` order (the default), or every passage.
    pub collapse: bool,
    /// Relevance (the default), oldest first or newest first.
    pub sort: Sort,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            speakers: Vec::new(),
            from: None,
            to: None,
            lang: None,
            role: None,
            limit: 10,
            offset: 0,
            snippet_chars: 160,
            collapse: true,
            sort: Sort::Relevance,
        }
    }
}

/// One ranked passage.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based, counting from the first result of the first page.
    pub rank: usize,
    /// The relevance score; `None` (null) when sorted by date, which does not compute it.
    pub score: Option<Score>,
    /// The person, by the name the identity step shows for them.
    pub speaker: Option<String>,
    /// The label that opened the turn, as the transcript writes it (`MS. PSAKI`, `答`).
    pub label: Option<String>,
    pub role: Option<String>,
    pub lang: Option<String>,
    pub date: Option<Date>,
    pub title: String,
    pub path: String,
    pub paragraph: u64,
    pub text: String,
    pub snippet: String,
    /// Byte ranges into `snippet` to highlight.
    #[serde(skip)]
    pub snippet_highlights: Vec<Range<usize>>,
    /// Byte ranges into `text` where the query matched.
    pub highlights: Vec<[usize; 2]>,
    /// Other matching passages with exactly this text, folded into this hit (always 0 when
    /// the request does not collapse).
    pub duplicates: u64,
    /// Neighbouring passages of the same transcript (`--context N`), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<views::Neighbor>,
}

/// A passage's stored fields as a backend reads them: all of a hit but its place in the results
/// and what matched.
pub(crate) struct Stored {
    pub speaker: Option<String>,
    pub label: Option<String>,
    pub role: Option<String>,
    pub lang: Option<String>,
    pub date: Option<Date>,
    pub title: String,
    pub path: String,
    pub paragraph: u64,
    pub text: String,
}

impl Hit {
    /// The hit of rank `rank` for a stored passage: highlights where `matchers` match its text,
    /// and a snippet of about `snippet_chars` around them.
    pub(crate) fn new(
        stored: Stored,
        (rank, score, duplicates): (usize, Option<Score>, u64),
        matchers: &[build::Matcher],
        snippet_chars: usize,
    ) -> Hit {
        let ranges = highlight::ranges(&stored.text, matchers);
        let snippet = highlight::snippet(&stored.text, &ranges, snippet_chars);
        Hit {
            rank,
            score,
            speaker: stored.speaker,
            label: stored.label,
            role: stored.role,
            lang: stored.lang,
            date: stored.date,
            title: stored.title,
            path: stored.path,
            paragraph: stored.paragraph,
            snippet: snippet.text,
            snippet_highlights: snippet.highlights,
            highlights: ranges.iter().map(|r| [r.start, r.end]).collect(),
            duplicates,
            context: Vec::new(),
            text: stored.text,
        }
    }
}

/// Pages longer than this are cut to the number of matches before collecting.
const LONG_PAGE: usize = 4096;

/// A page of results in order, its passages not yet read.
pub struct Page<'a> {
    owner: &'a Searcher,
    searcher: tantivy::Searcher,
    /// All matches, not just this page.
    pub total: usize,
    pub facets: Facets,
    ranked: Vec<(Option<Score>, DocAddress, u64)>,
    matchers: Vec<build::Matcher>,
    offset: usize,
    snippet_chars: usize,
    /// Neighbouring passages to read with each hit (`--context N`).
    context: u64,
}

impl Page<'_> {
    /// Reads the `n` passages before and after each hit with it.
    pub fn with_context(mut self, n: u64) -> Self {
        self.context = n;
        self
    }

    /// How many hits the page has.
    pub fn len(&self) -> usize {
        self.ranked.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranked.is_empty()
    }

    /// The hits in order, each passage read when its turn comes.
    pub fn hits(&self) -> impl Iterator<Item = Result<Hit>> + '_ {
        self.ranked.iter().enumerate().map(|(i, &entry)| {
            let rank = self.offset + i + 1;
            let mut hit = self.owner.hit(
                &self.searcher,
                entry,
                &self.matchers,
                (rank, self.snippet_chars),
            )?;
            if self.context > 0 {
                hit.context = self.owner.context(&hit.path, hit.paragraph, self.context)?;
            }
            Ok(hit)
        })
    }
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    /// All matches, not just this page.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

impl SearchResults {
    /// The results of `request` with every hit of its page read.
    pub(crate) fn read(
        request: &SearchRequest,
        total: usize,
        facets: Facets,
        hits: impl Iterator<Item = Result<Hit>>,
    ) -> Result<SearchResults> {
        Ok(SearchResults {
            query: request.query.clone(),
            total,
            hits: hits.collect::<Result<Vec<Hit>>>()?,
            facets,
        })
    }
}

/// An open index, ready for any number of searches.
pub struct Searcher {
    pub(crate) index: PodiumIndex,
    reader: IndexReader,
    /// How paths are prefixed per root: nothing for an index of one root, the root's folder
    /// name when there are several (`mfa/2020-04-22.txt`, `wh/…`).
    pub(crate) root_prefixes: Vec<String>,
    /// Which speaker values are one person: the table of the commit this searcher reads.
    identities: Identities,
}

impl Searcher {
    pub fn open(path: &Path) -> Result<Searcher> {
        let index = PodiumIndex::open(path)?;
        // The commit's opstamp before the reader: a table newer than what the reader sees is
        // at worst a little ahead, never of another index.
        let opstamp = index
            .index
            .load_metas()
            .map_err(|e| crate::index::map_open_error(path, e))?
            .opstamp;
        let identities = Identities::load(path, opstamp);
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| crate::index::map_open_error(path, e))?;
        let roots = index
            .meta
            .as_ref()
            .map(|m| m.roots.clone())
            .unwrap_or_default();
        let root_prefixes = root_prefixes(&roots);
        Ok(Searcher {
            index,
            reader,
            root_prefixes,
            identities,
        })
    }

    /// The path of a passage as results show it.
    fn display_path(&self, root: u64, path: &str) -> String {
        display_path(&self.root_prefixes, root, path)
    }

    pub fn fields(&self) -> &Fields {
        &self.index.fields
    }

    /// Which speaker values are one person.
    pub fn identities(&self) -> &Identities {
        &self.identities
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The query and filters of a request as one tantivy query, and what to highlight.
    pub(crate) fn matching(
        &self,
        request: &SearchRequest,
        searcher: &tantivy::Searcher,
    ) -> Result<(BooleanQuery, Vec<build::Matcher>)> {
        let (query, days, matchers) = self.matching_but_days(request, searcher)?;
        Ok((within(query, days.as_ref(), &self.index.fields), matchers))
    }

    /// [`Self::matching`] with the `--from`/`--to` range apart: what counting the copies of a
    /// text checks on the few passages that hold it, rather than run the range filter again.
    fn matching_but_days(
        &self,
        request: &SearchRequest,
        searcher: &tantivy::Searcher,
    ) -> Result<(
        BooleanQuery,
        Option<RangeInclusive<u64>>,
        Vec<build::Matcher>,
    )> {
        let fields = self.index.fields;
        let node = resolve_speakers(query::parse(&request.query)?, &self.identities);
        let built = build::build(&node, &fields, searcher)?;
        let (filters, days) = filters(request, &fields, &self.identities)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, built.query)];
        clauses.extend(filters.into_iter().map(|f| (Occur::Must, f)));
        Ok((BooleanQuery::new(clauses), days, built.matchers))
    }

    /// The page of results a request asks for, with its hits read.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let mut page = self.page(request)?;
        let facets = std::mem::take(&mut page.facets);
        SearchResults::read(request, page.total, facets, page.hits())
    }

    /// The page of results a request asks for, in order, before any passage is read: a long
    /// page (an export of every hit) is read and written one hit at a time with [`Page::hits`].
    pub fn page(&self, request: &SearchRequest) -> Result<Page<'_>> {
        let fields = self.index.fields;
        let searcher = self.reader.searcher();
        let (query_but_days, days, matchers) = self.matching_but_days(request, &searcher)?;
        let query = within(query_but_days.clone(), days.as_ref(), &fields);

        // No page is longer than the index, however large the limit asked for; a long one is
        // cut to the number of matches first, since the collector makes room for all it may hold.
        let mut max = searcher.num_docs() as usize;
        if request.offset.saturating_add(request.limit) > LONG_PAGE {
            max = max.min(searcher.search(&query, &Count)?);
        }
        let (offset, limit) = (request.offset.min(max), request.limit.min(max));
        let sort = request.sort;
        let (ranked, total, facets): (Vec<(Option<Score>, DocAddress, u64)>, _, _) =
            if request.collapse {
                // Room for a few copies in the first pass; `fold` looks deeper when needed.
                let first = ((offset + limit) * 2 + 16).min(max.max(1));
                let (top, (total, facets)) = order::search_with(
                    &searcher,
                    &query,
                    sort,
                    (0, first),
                    (Count, facets::FacetCollector),
                )?;
                let groups = collapse::fold(
                    &searcher,
                    &query,
                    (&query_but_days, days.as_ref()),
                    (top, sort),
                    total,
                    (offset, limit),
                )?;
                let ranked = groups
                    .iter()
                    .map(|g| (g.score, g.address, g.duplicates))
                    .collect();
                (ranked, total, facets)
            } else {
                let (top, (total, facets)) = order::search_with(
                    &searcher,
                    &query,
                    sort,
                    (offset, limit),
                    (Count, facets::FacetCollector),
                )?;
                let ranked = top.into_iter().map(|(s, a)| (s, a, 0)).collect();
                (ranked, total, facets)
            };
        let mut ranked: Vec<_> = ranked;
        ranked.truncate(limit);
        let mut facets: Facets = facets;
        facets.speaker = self.identities.fold_counts(facets.speaker);
        Ok(Page {
            owner: self,
            searcher,
            total,
            facets,
            ranked,
            matchers,
            offset,
            snippet_chars: request.snippet_chars,
            context: 0,
        })
    }

    /// One passage as a hit: its fields, highlights and snippet.
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        (score, address, duplicates): (Option<Score>, DocAddress, u64),
        matchers: &[build::Matcher],
        (rank, snippet_chars): (usize, usize),
    ) -> Result<Hit> {
        let fields = self.index.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = Stored {
            speaker: self.speaker_name(get_str(&doc, fields.speaker)),
            label: get_str(&doc, fields.label),
            role: get_str(&doc, fields.role),
            lang: get_str(&doc, fields.lang),
            date: get_u64(&doc, fields.day).and_then(Date::from_number),
            title: get_str(&doc, fields.title).unwrap_or_default(),
            path: self.display_path(
                get_u64(&doc, fields.root).unwrap_or(0),
                &get_str(&doc, fields.path).unwrap_or_default(),
            ),
            paragraph: get_u64(&doc, fields.paragraph).unwrap_or(0),
            text: get_str(&doc, fields.text).unwrap_or_default(),
        };
        Ok(Hit::new(
            stored,
            (rank, score, duplicates),
            matchers,
            snippet_chars,
        ))
    }

    /// Fills each hit's `context` with the `n` passages before and after it.
    pub fn add_context(&self, results: &mut SearchResults, n: u64) -> Result<()> {
        for hit in &mut results.hits {
            hit.context = self.context(&hit.path, hit.paragraph, n)?;
        }
        Ok(())
    }

    /// Every person with the number of passages attributed to them, most first.
    pub fn speakers(&self) -> Result<Vec<(String, u64)>> {
        let searcher = self.reader.searcher();
        let facets = searcher.search(&tantivy::query::AllQuery, &facets::FacetCollector)?;
        Ok(self.identities.fold_counts(facets.speaker))
    }

    /// Every person with the values folded into them and how each was linked, most passages
    /// first. Without a table for this commit, each value is its own person.
    pub fn persons(&self) -> Result<Vec<Person>> {
        self.identities.listed(|| {
            let searcher = self.reader.searcher();
            let facets = searcher.search(&tantivy::query::AllQuery, &facets::FacetCollector)?;
            Ok(facets.speaker)
        })
    }

    /// A stored speaker value as results show it: the person's name.
    pub(crate) fn speaker_name(&self, value: Option<String>) -> Option<String> {
        value.map(|v| match self.identities.person(&v) {
            Some(p) => p.name.clone(),
            None => v,
        })
    }
}

/// The path of a passage of root number `root` as results show it.
pub(crate) fn display_path(prefixes: &[String], root: u64, path: &str) -> String {
    match prefixes.get(root as usize) {
        Some(prefix) => format!("{prefix}/{path}"),
        None => path.to_string(),
    }
}

/// Folder names that tell the roots apart (`corpus`, `corpus~2` when two roots share a name);
/// none for a single root, whose paths need no prefix.
pub(crate) fn root_prefixes(roots: &[std::path::PathBuf]) -> Vec<String> {
    if roots.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for root in roots {
        let name = root
            .file_name()
            .map_or("root".into(), |n| n.to_string_lossy().into_owned());
        let mut candidate = name.clone();
        let mut n = 2;
        while out.contains(&candidate) {
            candidate = format!("{name}~{n}");
            n += 1;
        }
        out.push(candidate);
    }
    out
}

fn get_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn get_u64(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<u64> {
    doc.get_first(field).and_then(|v| v.as_u64())
}

/// `speaker:` in a query, for every value of the person it names: an `OR` of their keys.
pub(crate) fn resolve_speakers(node: Node, identities: &Identities) -> Node {
    let again = |nodes: Vec<Node>| -> Vec<Node> {
        nodes
            .into_iter()
            .map(|n| resolve_speakers(n, identities))
            .collect()
    };
    match node {
        Node::Field {
            field: FieldName::Speaker,
            value,
        } => {
            let mut keys = identities.filter_keys(&value);
            match keys.len() {
                1 => Node::Field {
                    field: FieldName::Speaker,
                    value: keys.remove(0),
                },
                _ => Node::Or(
                    keys.into_iter()
                        .map(|value| Node::Field {
                            field: FieldName::Speaker,
                            value,
                        })
                        .collect(),
                ),
            }
        }
        Node::Not(inner) => Node::Not(Box::new(resolve_speakers(*inner, identities))),
        Node::And(items) => Node::And(again(items)),
        Node::Or(items) => Node::Or(again(items)),
        other => other,
    }
}

/// `query`, restricted to passages dated within `days` (`YYYYMMDD` numbers, inclusive) if given.
fn within(
    query: BooleanQuery,
    days: Option<&RangeInclusive<u64>>,
    fields: &Fields,
) -> BooleanQuery {
    let Some(days) = days else {
        return query;
    };
    let term = |n: u64| Term::from_field_u64(fields.day, n);
    let range = RangeQuery::new(
        Bound::Included(term(*days.start())),
        Bound::Included(term(*days.end())),
    );
    BooleanQuery::new(vec![
        (Occur::Must, Box::new(query)),
        (Occur::Must, build::filter(Box::new(range))),
    ])
}

/// The request's filters: speakers, language and role as queries, and the date range apart.
#[allow(clippy::type_complexity)]
fn filters(
    request: &SearchRequest,
    fields: &Fields,
    identities: &Identities,
) -> Result<(Vec<Box<dyn Query>>, Option<RangeInclusive<u64>>)> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if !request.speakers.is_empty() {
        // Any variant names the person: every value of theirs matches.
        let any: Vec<(Occur, Box<dyn Query>)> = request
            .speakers
            .iter()
            .flat_map(|s| identities.filter_keys(s))
            .map(|key| {
                let term = Term::from_field_text(fields.speaker_key, &key);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        out.push(build::filter(Box::new(BooleanQuery::new(any))));
    }
    let days = day_range(request)?;
    if let Some(lang) = request.lang {
        out.push(build::field_query(
            fields,
            query::FieldName::Lang,
            lang.as_str(),
        )?);
    }
    if let Some(role) = request.role {
        out.push(build::field_query(
            fields,
            query::FieldName::Role,
            role.as_str(),
        )?);
    }
    Ok((out, days))
}

/// `--from`/`--to` as an inclusive range of `YYYYMMDD` numbers, if either is given.
pub(crate) fn day_range(request: &SearchRequest) -> Result<Option<RangeInclusive<u64>>> {
    let bound = |value: &Option<String>, flag: &str, end: bool| -> Result<Option<u64>> {
        value
            .as_deref()
            .map(|v| {
                date::parse_bound(v, end).ok_or_else(|| {
                    Error::Usage(format!(
                        "{flag} {v}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD"
                    ))
                })
            })
            .transpose()
    };
    let from = bound(&request.from, "--from", false)?;
    let to = bound(&request.to, "--to", true)?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(Error::Usage(format!(
                "--from {} is after --to {}: nothing can match",
                request.from.as_deref().unwrap_or_default(),
                request.to.as_deref().unwrap_or_default()
            )));
        }
    }
    Ok((from.is_some() || to.is_some()).then(|| from.unwrap_or(0)..=to.unwrap_or(u64::MAX)))
}
