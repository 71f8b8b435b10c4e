//! Speaker values -> persons: one identity per person across the whole index.
//!
//! The transcript step names a speaker within one document (`Dr. Jha`, `Ashish Jha`,
//! `Adminstrator Criswell`, `赵立坚`). This step looks at every speaker value of the committed
//! index at once and decides which values are one person, with the person's name to show and
//! how each value was linked ([`Link`]). It reads fast fields only ([`gather`]), links with
//! general rules ([`link`]: no per-source lists; the words it reads names with are data,
//! [`identity.toml`](identity.toml)), and stores the table beside the index ([`write`]) tagged
//! with the commit's opstamp. Search loads it once ([`Identities::load`]) and applies it at query
//! time, so a later run that brings a full name makes earlier passages follow without touching
//! them.
//!
//! It does not change stored values, and it does not guess: a surname that could be two people
//! stays apart.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use pinyin::ToPinyinMulti;
use serde::{Deserialize, Serialize};
use tantivy::columnar::StrColumn;

use super::schema;
use crate::analysis::is_han;
use crate::transcript::aliases::{key, Aliases};

/// The file in the index directory that holds the table.
pub const IDENTITY_FILE: &str = "identity.json";

/// How a speaker value came to belong to its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Link {
    /// The value is the person's name as shown.
    Name,
    /// The same given name and surname in another form: titles, capitals, middle initials
    /// (`Vivek H. Murthy`, `First Lady Jill Biden`, `MR. JEFF ZIENTS`).
    FullName,
    /// Title(s) and surname, and the index holds exactly one full name of that surname in
    /// comparable documents (`Dr. Jha` -> `Ashish Jha`).
    Surname,
    /// Titles and surname, one of the same titles (misspelt ones included) and no full name:
    /// `Acting Administration Slavitt` -> `Acting Administrator Slavitt`.
    Title,
    /// A Chinese name whose pinyin reading is the person's name (`赵立坚` -> `Zhao Lijian`).
    Pinyin,
    /// A variant listed in a speakers file; passages were stored under the person's name.
    SpeakersFile,
}

impl Link {
    pub fn as_str(self) -> &'static str {
        match self {
            Link::Name => "name",
            Link::FullName => "full-name",
            Link::Surname => "surname",
            Link::Title => "title",
            Link::Pinyin => "pinyin",
            Link::SpeakersFile => "speakers-file",
        }
    }
}

/// One speaker value of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub value: String,
    pub passages: u64,
    pub link: Link,
    /// How the transcript step found this value most of the time (`label`, `title`, `header`,
    /// `text`); empty for speakers-file variants.
    #[serde(default)]
    pub attribution: String,
    /// Labels as written in the transcripts that gave this value, most frequent first (at most
    /// a few).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// One person: the name to show and every value folded into it, the name's own value first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub passages: u64,
    pub variants: Vec<Variant>,
}

impl Person {
    /// A value that is a person of its own.
    pub fn alone(value: String, passages: u64) -> Person {
        Person {
            name: value.clone(),
            passages,
            variants: vec![Variant {
                value,
                passages,
                link: Link::Name,
                attribution: String::new(),
                labels: Vec::new(),
            }],
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    /// The opstamp of the commit the table was computed from.
    opstamp: u64,
    persons: Vec<Person>,
}

/// What the index holds about one speaker value: the evidence [`link`] decides with.
#[derive(Debug, Clone, Default)]
pub struct ValueStats {
    pub value: String,
    pub passages: u64,
    /// Passages with the question role: a value that mostly asks is an outlet or a reporter.
    pub questions: u64,
    /// Earliest and latest `YYYYMMDD` of its dated passages.
    pub days: Option<(u64, u64)>,
    /// Source families: the root and the first folder of the file keys (`0/wh-en`).
    pub families: BTreeSet<String>,
    /// Files it speaks in (ids shared by all values of one [`gather`]).
    pub files: HashSet<u32>,
    /// Passages per attribution (`label`, `title`, ...).
    pub attributions: HashMap<String, u64>,
    /// Passages per label as written.
    pub labels: HashMap<String, u64>,
}

/// The identity table, loaded for search.
#[derive(Debug, Clone, Default)]
pub struct Identities {
    persons: Vec<Person>,
    /// Stored value -> person.
    by_value: HashMap<String, usize>,
    /// Key of a value, of a speakers-file variant or of an unambiguous label -> person.
    by_key: HashMap<String, usize>,
}

impl Identities {
    /// Builds the lookups over a list of persons.
    pub fn new(persons: Vec<Person>) -> Identities {
        let mut by_value = HashMap::new();
        let mut by_key = HashMap::new();
        // A label that names several persons (`答`, `Q`) finds none of them.
        let mut label_owner: HashMap<String, Option<usize>> = HashMap::new();
        for (i, p) in persons.iter().enumerate() {
            by_key.insert(key(&p.name), i);
            for v in &p.variants {
                if v.link != Link::SpeakersFile {
                    by_value.insert(v.value.clone(), i);
                }
                by_key.insert(key(&v.value), i);
                for l in &v.labels {
                    let owner = label_owner.entry(key(l)).or_insert(Some(i));
                    if *owner != Some(i) {
                        *owner = None;
                    }
                }
            }
        }
        for (label, owner) in label_owner {
            if let Some(i) = owner {
                by_key.entry(label).or_insert(i);
            }
        }
        Identities {
            persons,
            by_value,
            by_key,
        }
    }

    /// The table stored in the index directory `dir` for the commit `opstamp`; an empty table
    /// (each value its own person) when the file is missing, unreadable or from another commit.
    pub fn load(dir: &Path, opstamp: u64) -> Identities {
        std::fs::read(dir.join(IDENTITY_FILE))
            .ok()
            .map_or_else(Identities::default, |bytes| {
                Identities::from_json(&bytes, opstamp)
            })
    }

    /// The table stored as [`to_json`] wrote it, if it is of the commit `opstamp`; else an
    /// empty table.
    pub fn from_json(bytes: &[u8], opstamp: u64) -> Identities {
        serde_json::from_slice::<Stored>(bytes)
            .ok()
            .filter(|s| s.opstamp == opstamp)
            .map_or_else(Identities::default, |s| Identities::new(s.persons))
    }

    pub fn persons(&self) -> &[Person] {
        &self.persons
    }

    /// Every person, most passages first; without a table, each of the `(value, passages)` that
    /// `values` reads is a person of its own.
    pub fn listed<E>(
        &self,
        values: impl FnOnce() -> Result<Vec<(String, u64)>, E>,
    ) -> Result<Vec<Person>, E> {
        let mut persons: Vec<Person> = self.persons.clone();
        if persons.is_empty() {
            persons = values()?
                .into_iter()
                .filter(|(value, _)| !value.is_empty())
                .map(|(value, passages)| Person::alone(value, passages))
                .collect();
        }
        persons.sort_by(|a, b| {
            b.passages
                .cmp(&a.passages)
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(persons)
    }

    /// The person a stored speaker value belongs to.
    pub fn person(&self, value: &str) -> Option<&Person> {
        self.by_value.get(value).map(|&i| &self.persons[i])
    }

    /// The name to show for a stored speaker value.
    pub fn name<'a>(&'a self, value: &'a str) -> &'a str {
        self.person(value).map_or(value, |p| p.name.as_str())
    }

    /// The `speaker_key` terms a `--speaker` filter on `wanted` matches: every value of the
    /// person it names (by any value, label or speakers-file variant), or `wanted` itself.
    pub fn filter_keys(&self, wanted: &str) -> Vec<String> {
        let wanted = key(wanted);
        let Some(&i) = self.by_key.get(&wanted) else {
            return vec![wanted];
        };
        let mut keys: Vec<String> = self.persons[i]
            .variants
            .iter()
            .map(|v| key(&v.value))
            .chain([wanted])
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Counts per stored value -> counts per person, most first.
    pub fn fold_counts(&self, counts: Vec<(String, u64)>) -> Vec<(String, u64)> {
        if self.persons.is_empty() {
            return counts;
        }
        let mut out: HashMap<String, u64> = HashMap::new();
        for (value, n) in counts {
            let name = self.name(&value).to_string();
            *out.entry(name).or_default() += n;
        }
        let mut out: Vec<(String, u64)> = out.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// Writes the table for the commit `opstamp` into the index directory `dir`, atomically: a
/// reader sees the old file or the new one, never half of one.
pub fn write(dir: &Path, opstamp: u64, persons: Vec<Person>) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{IDENTITY_FILE}.tmp"));
    let bytes = to_json(opstamp, persons);
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(IDENTITY_FILE))
}

/// The table for the commit `opstamp` as stored: what [`Identities::from_json`] reads.
pub fn to_json(opstamp: u64, persons: Vec<Person>) -> Vec<u8> {
    serde_json::to_vec(&Stored { opstamp, persons }).expect("the table serializes")
}

/// One pass over the fast fields of every passage with a speaker: what [`link`] needs.
pub fn gather(searcher: &tantivy::Searcher) -> tantivy::Result<Vec<ValueStats>> {
    let mut stats: HashMap<String, ValueStats> = HashMap::new();
    let mut file_ids: HashMap<String, u32> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let Some(speaker) = fast.str(schema::SPEAKER)? else {
            continue;
        };
        let (file, role, attribution, label) = (
            fast.str(schema::FILE)?,
            fast.str(schema::ROLE)?,
            fast.str(schema::ATTRIBUTION)?,
            fast.str(schema::LABEL)?,
        );
        let day = fast.u64(schema::DAY)?;
        let question = role
            .as_ref()
            .and_then(|r| r.dictionary().term_ord("question").ok().flatten());
        // Per speaker ordinal of this segment.
        let mut seg: HashMap<u64, SegmentStats> = HashMap::new();
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            let Some(s) = speaker.term_ords(doc).next() else {
                continue;
            };
            let e = seg.entry(s).or_default();
            e.passages += 1;
            let ord = |c: &Option<StrColumn>| c.as_ref().and_then(|c| c.term_ords(doc).next());
            if question.is_some() && ord(&role) == question {
                e.questions += 1;
            }
            if let Some(d) = day.first(doc) {
                e.days = Some(e.days.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
            }
            if let Some(f) = ord(&file) {
                e.files.insert(f);
            }
            if let Some(a) = ord(&attribution) {
                *e.attributions.entry(a).or_default() += 1;
            }
            if let Some(l) = ord(&label) {
                *e.labels.entry(l).or_default() += 1;
            }
        }
        // Ordinals to strings in one pass over each dictionary: one at a time, each lookup
        // decompresses a block.
        let mut wanted: [BTreeSet<u64>; 4] = Default::default();
        for (&s, e) in &seg {
            wanted[0].insert(s);
            wanted[1].extend(e.files.iter().copied());
            wanted[2].extend(e.attributions.keys().copied());
            wanted[3].extend(e.labels.keys().copied());
        }
        let [speakers, files, attributions, labels] = wanted;
        let speakers = resolve(Some(&speaker), speakers)?;
        let files = resolve(file.as_ref(), files)?;
        let attributions = resolve(attribution.as_ref(), attributions)?;
        let labels = resolve(label.as_ref(), labels)?;
        let get =
            |names: &HashMap<u64, String>, ord: u64| names.get(&ord).cloned().unwrap_or_default();
        for (s, e) in seg {
            let value = get(&speakers, s);
            let v = stats.entry(value.clone()).or_insert_with(|| ValueStats {
                value,
                ..ValueStats::default()
            });
            v.passages += e.passages;
            v.questions += e.questions;
            if let Some((lo, hi)) = e.days {
                v.days = Some(v.days.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
            }
            for f in e.files {
                let name = get(&files, f);
                v.families.insert(family(&name));
                let next = file_ids.len() as u32;
                v.files.insert(*file_ids.entry(name).or_insert(next));
            }
            for (a, n) in e.attributions {
                *v.attributions.entry(get(&attributions, a)).or_default() += n;
            }
            for (l, n) in e.labels {
                *v.labels.entry(get(&labels, l)).or_default() += n;
            }
        }
    }
    let mut out: Vec<ValueStats> = stats.into_values().collect();
    out.sort_by(|a, b| a.value.cmp(&b.value));
    Ok(out)
}

/// The strings of `ords` (sorted) in a column's dictionary.
fn resolve(
    column: Option<&StrColumn>,
    ords: BTreeSet<u64>,
) -> tantivy::Result<HashMap<u64, String>> {
    let mut out = HashMap::new();
    let Some(column) = column else {
        return Ok(out);
    };
    let ords: Vec<u64> = ords.into_iter().collect();
    let mut next = ords.iter();
    column
        .dictionary()
        .sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&ord) = next.next() {
                out.insert(ord, String::from_utf8_lossy(bytes).into_owned());
            }
        })
        .map_err(tantivy::TantivyError::from)?;
    Ok(out)
}

#[derive(Default)]
struct SegmentStats {
    passages: u64,
    questions: u64,
    days: Option<(u64, u64)>,
    files: HashSet<u64>,
    attributions: HashMap<u64, u64>,
    labels: HashMap<u64, u64>,
}

/// The source family of a file key (`root/relative path`): the root and the first folder under
/// it, or the root alone for a file at its top.
pub fn family(file_key: &str) -> String {
    let mut parts = file_key.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(root), Some(dir), Some(_)) => format!("{root}/{dir}"),
        (Some(root), _, _) => root.to_string(),
        _ => String::new(),
    }
}

/// The word lists of `identity.toml`, folded.
struct Words {
    honorifics: Vec<Vec<String>>,
    titles: Vec<Vec<String>>,
    offices: HashSet<String>,
    men: HashSet<String>,
    women: HashSet<String>,
}

fn words() -> &'static Words {
    static WORDS: LazyLock<Words> = LazyLock::new(|| {
        let table: toml::Table = include_str!("identity.toml")
            .parse()
            .expect("identity.toml is valid TOML");
        let list = |name: &str| -> Vec<Vec<String>> {
            let mut out: Vec<Vec<String>> = table
                .get(name)
                .and_then(|v| v.as_array())
                .unwrap_or_else(|| panic!("identity.toml has a list `{name}`"))
                .iter()
                .map(|e| {
                    fold_word(e.as_str().expect("identity.toml lists strings"))
                        .split(' ')
                        .map(str::to_string)
                        .collect()
                })
                .collect();
            // Longest first: `press secretary` before `secretary`.
            out.sort_by_key(|w: &Vec<String>| std::cmp::Reverse(w.len()));
            out
        };
        Words {
            honorifics: list("honorifics"),
            titles: list("titles"),
            offices: list("offices").into_iter().map(|w| w.join(" ")).collect(),
            men: list("men").into_iter().map(|w| w.join(" ")).collect(),
            women: list("women").into_iter().map(|w| w.join(" ")).collect(),
        }
    });
    &WORDS
}

fn fold_word(w: &str) -> String {
    key(w).replace('.', "")
}

/// Whether a word written in a value is the list's word, allowing for typing slips in long
/// words (`adminstrator`, `secreatry`, `administration`).
fn same_word(written: &str, listed: &str) -> bool {
    if written == listed {
        return true;
    }
    let len = written.chars().count().min(listed.chars().count());
    let allowed = match len {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    };
    allowed > 0 && strsim::damerau_levenshtein(written, listed) <= allowed
}

/// An English speaker value read as a name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Name {
    /// Titles of office (not courtesy words), as listed: `acting administrator`.
    titles: BTreeSet<String>,
    /// Courtesy words, as listed: `mr`, `dr`.
    courtesy: BTreeSet<String>,
    /// Given names and initials, folded.
    given: Vec<String>,
    surname: String,
    /// Given names and surname as written.
    written: String,
}

impl Name {
    /// `ashish jha`, `vivek murthy` (middle initials dropped), `b c prasad` (initials only).
    fn full_key(&self) -> Option<String> {
        let first = self.given.first()?;
        Some(match first.chars().count() > 1 {
            true => format!("{first} {}", self.surname),
            false => format!("{} {}", self.given.join(" "), self.surname),
        })
    }

    fn offices(&self) -> impl Iterator<Item = &String> {
        self.titles.iter().filter(|t| words().offices.contains(*t))
    }
}

/// Reads an English speaker value as titles, given names and surname; `None` for what is not a
/// person's name (a role alone, an outlet, anything with digits or brackets).
fn parse_name(value: &str) -> Option<Name> {
    // Tokens: words without their dots and commas; `B.C.` is two initials.
    let mut tokens: Vec<(String, String)> = Vec::new();
    for raw in value.split_whitespace() {
        let raw = raw.trim_end_matches(',');
        let pieces: Vec<&str> = match raw.len() > 2 && raw.matches('.').count() >= 2 {
            true if raw.split('.').all(|p| p.chars().count() <= 1) => {
                raw.split('.').filter(|p| !p.is_empty()).collect()
            }
            _ => vec![raw],
        };
        let split = pieces.len() > 1;
        for piece in pieces {
            let bare = piece.trim_end_matches('.');
            if bare.is_empty()
                || !bare
                    .chars()
                    .all(|c| c.is_alphabetic() && !is_han(c) || matches!(c, '-' | '\'' | '’'))
            {
                return None;
            }
            let written = match split {
                true => format!("{bare}."),
                false => piece.to_string(),
            };
            tokens.push((fold_word(bare), written));
        }
    }
    let n = tokens.len();
    // Titles are read up to the last one before the name; the surname is never a title.
    let mut titles = BTreeSet::new();
    let mut courtesy = BTreeSet::new();
    let mut names_from = 0;
    let mut i = 0;
    while i + 1 < n {
        let matched = |lists: &[Vec<String>], fuzzy: bool| {
            lists.iter().find_map(|words| {
                let fits = words.len() < n - i
                    && words
                        .iter()
                        .zip(&tokens[i..])
                        .all(|(w, (t, _))| match fuzzy {
                            true => same_word(t, w),
                            false => t == w,
                        });
                fits.then(|| words.clone())
            })
        };
        if let Some(w) = matched(&words().honorifics, false) {
            courtesy.insert(w.join(" "));
            i += w.len();
            names_from = i;
        } else if let Some(w) = matched(&words().titles, true) {
            titles.insert(w.join(" "));
            i += w.len();
            names_from = i;
        } else {
            i += 1;
        }
    }
    let names = &tokens[names_from..];
    let (surname, given) = names.split_last()?;
    // A title or courtesy word in the surname's place is a role (`The President`).
    let role = words()
        .titles
        .iter()
        .chain(&words().honorifics)
        .any(|w| w.last() == Some(&surname.0));
    if role
        || surname.0.chars().count() < 2
        || (given.is_empty() && titles.is_empty() && courtesy.is_empty())
    {
        return None;
    }
    // A name is capitalised (or all capitals); `and understand` is not one. Particles inside
    // (`de`, `van`) may be lower case.
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    if !capital(&surname.1) || !names.first().is_some_and(|(_, w)| capital(w)) {
        return None;
    }
    Some(Name {
        titles,
        courtesy,
        given: given.iter().map(|(f, _)| f.clone()).collect(),
        surname: surname.0.clone(),
        written: names
            .iter()
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// `YYYYMMDD` -> months since year 0, to compare periods.
fn months(day: u64) -> i64 {
    (day / 10_000) as i64 * 12 + ((day / 100) % 100) as i64
}

/// How far apart two values' periods may be and still be comparable.
const PERIOD_MONTHS: i64 = 24;

fn periods_meet(a: Option<(u64, u64)>, b: Option<(u64, u64)>) -> bool {
    match (a, b) {
        (Some((a0, a1)), Some((b0, b1))) => {
            months(a0) - PERIOD_MONTHS <= months(b1) && months(b0) - PERIOD_MONTHS <= months(a1)
        }
        // Undated values: the source family decides alone.
        _ => true,
    }
}

/// A person under construction.
struct Group {
    members: Vec<(usize, Link)>,
    families: BTreeSet<String>,
    days: Option<(u64, u64)>,
    titles: BTreeSet<String>,
    courtesy: BTreeSet<String>,
}

impl Group {
    fn new(i: usize, link: Link, s: &ValueStats, name: Option<&Name>) -> Group {
        Group {
            members: vec![(i, link)],
            families: s.families.clone(),
            days: s.days,
            titles: name.map(|n| n.titles.clone()).unwrap_or_default(),
            courtesy: name.map(|n| n.courtesy.clone()).unwrap_or_default(),
        }
    }

    fn add(&mut self, i: usize, link: Link, s: &ValueStats, name: Option<&Name>) {
        self.members.push((i, link));
        self.families.extend(s.families.iter().cloned());
        if let Some((lo, hi)) = s.days {
            self.days = Some(self.days.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
        if let Some(n) = name {
            self.titles.extend(n.titles.iter().cloned());
            self.courtesy.extend(n.courtesy.iter().cloned());
        }
    }

    fn comparable(&self, s: &ValueStats) -> bool {
        !self.families.is_disjoint(&s.families) && periods_meet(self.days, s.days)
    }
}

/// A value that mostly asks questions is an outlet or a reporter, not a person to link.
fn mostly_questions(s: &ValueStats) -> bool {
    s.questions * 2 > s.passages
}

/// Decides the persons: which values are one person, the name to show, and how each value was
/// linked. Every value ends in exactly one person; `aliases` (the speakers file) adds the
/// variants it listed and names its persons.
pub fn link(stats: &[ValueStats], aliases: &Aliases) -> Vec<Person> {
    let names: Vec<Option<Name>> = stats
        .iter()
        .map(|s| {
            (!mostly_questions(s))
                .then(|| parse_name(&s.value))
                .flatten()
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; stats.len()];

    // 1. Full names: the same given name (or initials) and surname are one person.
    let mut by_full: HashMap<String, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        let Some(full) = name.as_ref().and_then(Name::full_key) else {
            continue;
        };
        let g = match by_full.get(&full) {
            Some(&g) => {
                groups[g].add(i, Link::FullName, &stats[i], name.as_ref());
                g
            }
            None => {
                groups.push(Group::new(i, Link::FullName, &stats[i], name.as_ref()));
                by_full.insert(full, groups.len() - 1);
                groups.len() - 1
            }
        };
        group_of[i] = Some(g);
    }
    let mut by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
    for (full, &g) in &by_full {
        let surname = full.rsplit(' ').next().unwrap_or_default();
        by_surname.entry(surname).or_default().push(g);
    }

    // 2. Titles and surname: to the one full name of that surname in comparable documents.
    // 3. Otherwise with the other values of that surname and one of the same titles.
    let mut by_titles: HashMap<(String, BTreeSet<String>), Vec<usize>> = HashMap::new();
    let mut order: Vec<usize> = (0..stats.len())
        .filter(|&i| group_of[i].is_none() && names[i].is_some())
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(stats[i].passages));
    for i in order {
        let name = names[i].as_ref().expect("filtered on names");
        let comparable: Vec<usize> = by_surname
            .get(name.surname.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&g| groups[g].comparable(&stats[i]))
            .collect();
        // Titles choose among the persons of a surname (`First Lady Biden`); `Mr.`/`Ms.` only
        // refuse the one left, since one person's courtesy word is not another's sex.
        let candidates: Vec<usize> = comparable
            .iter()
            .copied()
            .filter(|&g| !titles_veto(name, &groups[g]))
            .collect();
        let one = match candidates[..] {
            [g] if !sexes_differ(name, &groups[g]) => Some(g),
            _ => None,
        };
        if let Some(g) = one {
            groups[g].add(i, Link::Surname, &stats[i], Some(name));
            group_of[i] = Some(g);
            continue;
        }
        if !comparable.is_empty() {
            continue; // ambiguous, or an office held by someone else: apart
        }
        // No full name: the values of this surname with the same titles; a value with courtesy
        // words alone (`Mr. Slavitt`) joins the one titled set of its surname, if one.
        let titled: Vec<usize> = by_titles
            .iter()
            .filter(|((surname, _), _)| *surname == name.surname)
            .flat_map(|(_, gs)| gs.iter().copied())
            .filter(|&g| groups[g].comparable(&stats[i]) && !vetoed(name, &groups[g]))
            .collect();
        if let ([g], true) = (&titled[..], name.titles.is_empty()) {
            groups[*g].add(i, Link::Title, &stats[i], Some(name));
            group_of[i] = Some(*g);
            continue;
        }
        let key = (name.surname.clone(), name.titles.clone());
        let same = by_titles.entry(key).or_default();
        match same
            .iter()
            .copied()
            .find(|&g| groups[g].comparable(&stats[i]) && !vetoed(name, &groups[g]))
        {
            Some(g) => {
                groups[g].add(i, Link::Title, &stats[i], Some(name));
                group_of[i] = Some(g);
            }
            None => {
                groups.push(Group::new(i, Link::Name, &stats[i], Some(name)));
                same.push(groups.len() - 1);
                group_of[i] = Some(groups.len() - 1);
            }
        }
    }
    // (Misspelt titles need nothing more: a title is stored as the listed word it matched.)

    // 4. Chinese names to their pinyin reading among the English persons.
    let mut by_pinyin: HashMap<String, Vec<usize>> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for &(i, _) in &group.members {
            if let Some(n) = &names[i] {
                if n.titles.is_empty() && !n.given.is_empty() {
                    let letters: String = n
                        .written
                        .chars()
                        .filter(char::is_ascii_alphabetic)
                        .collect::<String>()
                        .to_lowercase();
                    let list = by_pinyin.entry(letters).or_default();
                    if !list.contains(&g) {
                        list.push(g);
                    }
                }
            }
        }
    }
    for i in 0..stats.len() {
        if group_of[i].is_some() || mostly_questions(&stats[i]) {
            continue;
        }
        let mut found: Vec<usize> = readings(&stats[i].value)
            .iter()
            .filter_map(|r| by_pinyin.get(r))
            .flatten()
            .copied()
            .collect();
        found.sort();
        found.dedup();
        if let [g] = found[..] {
            groups[g].members.push((i, Link::Pinyin));
            group_of[i] = Some(g);
        }
    }

    // Everything else is its own person.
    for (i, s) in stats.iter().enumerate() {
        if group_of[i].is_none() {
            groups.push(Group::new(i, Link::Name, s, None));
            group_of[i] = Some(groups.len() - 1);
        }
    }
    groups
        .into_iter()
        .filter(|g| !g.members.is_empty())
        .map(|g| person(g, stats, &names, aliases))
        .collect()
}

/// An office names whoever holds it (`President Biden` is not `Jill Biden`), and two values
/// with titles of office that have none in common are two people.
fn titles_veto(name: &Name, group: &Group) -> bool {
    let office_elsewhere = name.offices().any(|o| !group.titles.contains(o));
    let conflict = !name.titles.is_empty()
        && !group.titles.is_empty()
        && name.titles.is_disjoint(&group.titles);
    office_elsewhere || conflict
}

/// `Mr.` and `Ms.` are two people.
fn sexes_differ(name: &Name, group: &Group) -> bool {
    let says =
        |set: &BTreeSet<String>, list: &HashSet<String>| set.iter().any(|c| list.contains(c));
    let (w, g) = (words(), &group.courtesy);
    (says(&name.courtesy, &w.men) && says(g, &w.women))
        || (says(&name.courtesy, &w.women) && says(g, &w.men))
}

fn vetoed(name: &Name, group: &Group) -> bool {
    titles_veto(name, group) || sexes_differ(name, group)
}

/// The pinyin readings of a Chinese name, surname first, without tones or spaces: every
/// combination of the readings of polyphonic characters (`曾` zeng/ceng).
fn readings(value: &str) -> Vec<String> {
    let folded = key(value);
    let chars: Vec<char> = folded.chars().collect();
    if !(2..=4).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c)) {
        return Vec::new();
    }
    let mut out = vec![String::new()];
    for c in chars {
        let Some(multi) = c.to_pinyin_multi() else {
            return Vec::new();
        };
        let mut options: Vec<&str> = multi.into_iter().map(|p| p.plain()).collect();
        options.dedup();
        out = out
            .iter()
            .flat_map(|prefix| options.iter().map(move |o| format!("{prefix}{o}")))
            .take(256)
            .collect();
    }
    out
}

/// A group as a person: its name, its values with their links, most passages first.
fn person(g: Group, stats: &[ValueStats], names: &[Option<Name>], aliases: &Aliases) -> Person {
    // The name to show: a speakers-file name, else the most frequent plain full name (not in
    // capitals), else the full name of any value, else the most frequent value.
    let by_passages = |i: &usize| stats[*i].passages;
    let members: Vec<usize> = g.members.iter().map(|m| m.0).collect();
    let listed = members
        .iter()
        .copied()
        .find(|&i| aliases.keys(&stats[i].value).len() > 1);
    let plain_full = |i: &usize| {
        names[*i]
            .as_ref()
            .is_some_and(|n| !n.given.is_empty() && n.written != n.written.to_uppercase())
    };
    let shown = listed
        .or_else(|| {
            members
                .iter()
                .copied()
                .filter(|i| {
                    plain_full(i) && names[*i].as_ref().is_some_and(|n| n.titles.is_empty())
                })
                .max_by_key(by_passages)
        })
        .or_else(|| {
            members
                .iter()
                .copied()
                .filter(plain_full)
                .max_by_key(by_passages)
        })
        .unwrap_or_else(|| members.iter().copied().max_by_key(by_passages).unwrap_or(0));
    let name = match (listed, &names[shown]) {
        (None, Some(n)) if !n.given.is_empty() => n.written.clone(),
        _ => stats[shown].value.clone(),
    };
    let mut variants: Vec<Variant> = g
        .members
        .iter()
        .map(|&(i, link)| {
            let s = &stats[i];
            let mut labels: Vec<(&String, &u64)> = s.labels.iter().collect();
            labels.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            Variant {
                value: s.value.clone(),
                passages: s.passages,
                link: if s.value == name { Link::Name } else { link },
                attribution: s
                    .attributions
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(a, _)| a.clone())
                    .unwrap_or_default(),
                labels: labels.into_iter().take(4).map(|(l, _)| l.clone()).collect(),
            }
        })
        .collect();
    variants.sort_by(|a, b| {
        (b.link == Link::Name)
            .cmp(&(a.link == Link::Name))
            .then(b.passages.cmp(&a.passages))
            .then_with(|| a.value.cmp(&b.value))
    });
    let passages = variants.iter().map(|v| v.passages).sum();
    let mut listed_keys: Vec<String> = members
        .iter()
        .flat_map(|&i| aliases.keys(&stats[i].value))
        .filter(|k| !variants.iter().any(|v| key(&v.value) == *k))
        .collect();
    listed_keys.sort();
    listed_keys.dedup();
    variants.extend(listed_keys.into_iter().map(|k| Variant {
        value: k,
        passages: 0,
        link: Link::SpeakersFile,
        attribution: String::new(),
        labels: Vec::new(),
    }));
    Person {
        name,
        passages,
        variants,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value with `passages` passages in family `family`, dated within `year`.
    fn value(v: &str, passages: u64, family: &str, year: u64) -> ValueStats {
        ValueStats {
            value: v.into(),
            passages,
            days: Some((year * 10_000 + 101, year * 10_000 + 1231)),
            families: [family.to_string()].into(),
            attributions: [("label".to_string(), passages)].into(),
            ..ValueStats::default()
        }
    }

    /// value -> (person's name, link)
    fn decide(stats: &[ValueStats]) -> HashMap<String, (String, Link)> {
        let mut out = HashMap::new();
        for p in link(stats, &Aliases::default()) {
            for v in p.variants {
                out.insert(v.value, (p.name.clone(), v.link));
            }
        }
        out
    }

    fn person_of(d: &HashMap<String, (String, Link)>, v: &str) -> String {
        d.get(v).map(|x| x.0.clone()).unwrap_or_default()
    }

    #[test]
    fn names_read_as_titles_given_names_and_surname() {
        let n = parse_name("Acting Administration Slavitt").unwrap();
        assert_eq!(
            n.titles,
            ["acting".to_string(), "administrator".into()].into()
        );
        assert_eq!((n.given.len(), n.surname.as_str()), (0, "slavitt"));
        let n = parse_name("First Lady Jill Biden").unwrap();
        assert_eq!(n.full_key().as_deref(), Some("jill biden"));
        assert_eq!(n.titles, ["first lady".to_string()].into());
        assert_eq!(
            parse_name("Vivek H. Murthy").unwrap().full_key(),
            parse_name("Vivek Murthy").unwrap().full_key()
        );
        assert_eq!(
            parse_name("Hon. Prof. B. C. Prasad").unwrap().full_key(),
            parse_name("Hon. Professor B.C. Prasad").unwrap().full_key()
        );
        assert_eq!(parse_name("Mr. ZIENTS").unwrap().surname, "zients");
        assert_eq!(
            parse_name("Secreatry Raimondo").unwrap().titles,
            ["secretary".to_string()].into()
        );
        for not_a_name in [
            "Bloomberg",
            "The President",
            "and understand",
            "Reporter 2",
            "赵立坚",
            "Press Secretary",
        ] {
            assert_eq!(parse_name(not_a_name), None, "{not_a_name}");
        }
    }

    #[test]
    fn titles_and_surname_link_to_the_one_full_name() {
        let d = decide(&[
            value("Ashish Jha", 601, "0/wh", 2022),
            value("Dr. Jha", 482, "0/wh", 2022),
            value("Mr. ZIENTS", 3081, "0/wh", 2021),
            value("Jeff Zients", 41, "0/wh", 2021),
            value("Surgeon General Murthy", 452, "0/wh", 2021),
            value("Dr. Murthy", 169, "0/wh", 2021),
            value("Vivek H. Murthy", 42, "0/wh", 2021),
            value("Deanne Criswell", 443, "0/wh", 2021),
            value("Adminstrator Criswell", 18, "0/wh", 2021),
            value("Adminsitrator Criswell", 2, "0/wh", 2021),
        ]);
        assert_eq!(d["Dr. Jha"], ("Ashish Jha".into(), Link::Surname));
        assert_eq!(d["Mr. ZIENTS"], ("Jeff Zients".into(), Link::Surname));
        assert_eq!(d["Vivek H. Murthy"], ("Vivek H. Murthy".into(), Link::Name));
        assert_eq!(person_of(&d, "Surgeon General Murthy"), "Vivek H. Murthy");
        assert_eq!(person_of(&d, "Dr. Murthy"), "Vivek H. Murthy");
        assert_eq!(person_of(&d, "Adminstrator Criswell"), "Deanne Criswell");
        assert_eq!(person_of(&d, "Adminsitrator Criswell"), "Deanne Criswell");
    }

    #[test]
    fn middle_initials_and_titles_fold_into_the_plain_full_name() {
        let d = decide(&[
            value("Vivek Murthy", 10, "0/wh", 2021),
            value("Vivek H. Murthy", 42, "0/wh", 2021),
            value("First Lady Jill Biden", 30, "0/wh", 2021),
            value("Jill Biden", 5, "0/wh", 2021),
            value("Hon. Prof. B. C. Prasad", 9, "0/fj", 2019),
            value("Hon. Prof. B.C. Prasad", 4, "0/fj", 2019),
            value("Hon. Professor B.C. Prasad", 2, "0/fj", 2019),
        ]);
        // The most frequent full name is shown.
        assert_eq!(person_of(&d, "Vivek Murthy"), "Vivek H. Murthy");
        assert_eq!(d["Vivek Murthy"].1, Link::FullName);
        assert_eq!(person_of(&d, "First Lady Jill Biden"), "Jill Biden");
        let prasad = person_of(&d, "Hon. Prof. B. C. Prasad");
        assert_eq!(prasad, person_of(&d, "Hon. Prof. B.C. Prasad"));
        assert_eq!(prasad, person_of(&d, "Hon. Professor B.C. Prasad"));
    }

    #[test]
    fn ambiguous_surnames_stay_apart() {
        let d = decide(&[
            value("Annie Gonzalez", 20, "0/wh", 2021),
            value("Juan Gonzalez", 20, "0/wh", 2021),
            value("Mr. Gonzalez", 5, "0/wh", 2021),
            value("Shalanda Young", 50, "0/wh", 2022),
            value("Linke Young", 3, "0/wh", 2022),
            value("Director Young", 30, "0/wh", 2022),
        ]);
        assert_eq!(person_of(&d, "Annie Gonzalez"), "Annie Gonzalez");
        assert_eq!(person_of(&d, "Juan Gonzalez"), "Juan Gonzalez");
        assert_eq!(person_of(&d, "Mr. Gonzalez"), "Mr. Gonzalez");
        assert_eq!(person_of(&d, "Director Young"), "Director Young");
        assert_eq!(person_of(&d, "Linke Young"), "Linke Young");
    }

    #[test]
    fn an_office_is_not_another_person_of_that_surname() {
        let d = decide(&[
            value("President Biden", 900, "0/wh", 2021),
            value("First Lady Jill Biden", 30, "0/wh", 2021),
            value("Jill Biden", 5, "0/wh", 2021),
        ]);
        assert_eq!(person_of(&d, "President Biden"), "President Biden");
        assert_eq!(person_of(&d, "Jill Biden"), "Jill Biden");
        // Named with the office somewhere, the holder takes it.
        let d = decide(&[
            value("President Biden", 900, "0/wh", 2021),
            value("President Joe Biden", 3, "0/wh", 2021),
            value("Jill Biden", 5, "0/wh", 2021),
        ]);
        assert_eq!(person_of(&d, "President Biden"), "Joe Biden");
        assert_eq!(person_of(&d, "President Joe Biden"), "Joe Biden");
        assert_eq!(person_of(&d, "Jill Biden"), "Jill Biden");
    }

    #[test]
    fn a_title_picks_its_holder_among_persons_of_one_surname() {
        let d = decide(&[
            value("First Lady Jill Biden", 979, "0/wh", 2021),
            value("Hunter Biden", 5, "0/wh", 2021),
            value("First Lady Biden", 10, "0/wh", 2021),
            value("Mr. Biden", 3, "0/wh", 2021),
        ]);
        assert_eq!(person_of(&d, "First Lady Biden"), "Jill Biden");
        assert_eq!(
            person_of(&d, "Mr. Biden"),
            "Mr. Biden",
            "Jill or Hunter: apart"
        );
    }

    #[test]
    fn mr_and_ms_of_one_surname_are_two_people() {
        let d = decide(&[
            value("Ms. Linke Young", 16, "0/wh", 2022),
            value("Mr. Young", 16, "0/wh", 2022),
            value("Acting Administrator Slavitt", 1072, "0/wh", 2021),
            value("Mr. Slavitt", 4, "0/wh", 2021),
            value("Ms. Slavitt", 1, "0/wh", 2021),
        ]);
        assert_eq!(person_of(&d, "Mr. Young"), "Mr. Young");
        assert_eq!(person_of(&d, "Mr. Slavitt"), "Acting Administrator Slavitt");
        assert_eq!(person_of(&d, "Ms. Slavitt"), "Ms. Slavitt");
        // Two persons of the surname, one of them `Ms.`: still two, whatever the order.
        let d = decide(&[
            value("Shalanda Young", 582, "0/wh", 2022),
            value("Ms. Linke Young", 16, "0/wh", 2022),
            value("Mr. Young", 16, "0/wh", 2022),
            value("Ms. Young", 3, "0/wh", 2022),
        ]);
        assert_eq!(person_of(&d, "Mr. Young"), "Mr. Young");
        assert_eq!(person_of(&d, "Ms. Young"), "Ms. Young");
    }

    #[test]
    fn surnames_link_only_in_comparable_documents() {
        let d = decide(&[
            value("Ashish Jha", 601, "0/wh", 2022),
            value("Dr. Jha", 10, "0/hansard", 2022),
            value("Mr. Young", 10, "0/wh", 2005),
            value("Shalanda Young", 50, "0/wh", 2022),
        ]);
        assert_eq!(person_of(&d, "Dr. Jha"), "Dr. Jha", "other family");
        assert_eq!(person_of(&d, "Mr. Young"), "Mr. Young", "other period");
    }

    #[test]
    fn misspelt_titles_join_without_a_full_name() {
        let d = decide(&[
            value("Acting Administrator Slavitt", 1066, "0/wh", 2021),
            value("Acting Administration Slavitt", 31, "0/wh", 2021),
            value("ACTING ADMINISTRATOR SLAVITT", 3, "0/wh", 2021),
        ]);
        assert_eq!(
            person_of(&d, "Acting Administration Slavitt"),
            "Acting Administrator Slavitt"
        );
        assert_eq!(
            person_of(&d, "ACTING ADMINISTRATOR SLAVITT"),
            "Acting Administrator Slavitt"
        );
    }

    #[test]
    fn outlets_and_roles_are_nobody_to_link() {
        let mut asks = value("Mr. Jha", 40, "0/wh", 2022);
        asks.questions = 35;
        let d = decide(&[value("Ashish Jha", 601, "0/wh", 2022), asks]);
        assert_eq!(person_of(&d, "Mr. Jha"), "Mr. Jha");
    }

    #[test]
    fn chinese_names_link_to_their_pinyin_reading() {
        let d = decide(&[
            value("Zhao Lijian", 1299, "0/mfa-en", 2021),
            value("赵立坚", 1319, "0/mfa-zh", 2021),
            value("趙立堅", 4, "0/mfa-zh", 2021),
            value("Geng Shuang", 800, "0/mfa-en", 2019),
            value("耿爽", 820, "0/mfa-zh", 2019),
            value("Zeng Yixin", 5, "0/mfa-en", 2019),
            value("曾益新", 5, "0/mfa-zh", 2019),
            value("Shan Tang", 2, "0/x", 2019),
            value("单唐", 2, "0/y", 2019),
            value("王毅", 3, "0/mfa-zh", 2019),
        ]);
        assert_eq!(d["赵立坚"], ("Zhao Lijian".into(), Link::Pinyin));
        assert_eq!(
            d["趙立堅"],
            ("Zhao Lijian".into(), Link::Pinyin),
            "Traditional"
        );
        assert_eq!(person_of(&d, "耿爽"), "Geng Shuang");
        assert_eq!(
            person_of(&d, "曾益新"),
            "Zeng Yixin",
            "曾 read zeng, not only ceng"
        );
        assert_eq!(
            person_of(&d, "单唐"),
            "Shan Tang",
            "单 read shan, not only dan"
        );
        assert_eq!(
            person_of(&d, "王毅"),
            "王毅",
            "no English form: its own person"
        );
        assert!(readings("曾益新").contains(&"cengyixin".to_string()));
    }

    #[test]
    fn a_pinyin_reading_of_two_persons_links_to_neither() {
        let d = decide(&[
            value("Li Ming", 5, "0/a", 2020),
            value("Ms. Li Ming", 5, "0/a", 2020),
            value("李明", 5, "0/a", 2020),
        ]);
        assert_eq!(person_of(&d, "Ms. Li Ming"), "Li Ming");
        assert_eq!(
            person_of(&d, "李明"),
            "Li Ming",
            "one person however written"
        );
        let d = decide(&[
            value("Li Ming", 5, "0/a", 2020),
            value("Lim Ing", 5, "0/a", 2020),
            value("李明", 5, "0/a", 2020),
        ]);
        assert_eq!(
            person_of(&d, "李明"),
            "李明",
            "two persons read liming: neither"
        );
        let d = decide(&[
            value("Lu Kang", 5, "0/a", 2020),
            value("Dr. Lu Kang", 5, "0/b", 2000),
            value("陆慷", 5, "0/a", 2020),
        ]);
        assert_eq!(person_of(&d, "陆慷"), "Lu Kang");
    }

    #[test]
    fn query_side_resolves_any_variant_and_folds_counts() {
        let mut zhao = value("Zhao Lijian", 10, "0/a", 2021);
        zhao.labels = [("ZHAO LIJIAN".to_string(), 10)].into();
        let mut zh = value("赵立坚", 12, "0/b", 2021);
        zh.labels = [("答".to_string(), 12)].into();
        let mut geng = value("耿爽", 7, "0/b", 2019);
        geng.labels = [("答".to_string(), 7)].into();
        let ids = Identities::new(link(&[zhao, zh, geng], &Aliases::default()));
        assert_eq!(ids.filter_keys("赵立坚"), ["zhao lijian", "赵立坚"]);
        assert_eq!(ids.filter_keys("ZHAO lijian"), ["zhao lijian", "赵立坚"]);
        assert_eq!(ids.filter_keys("趙立堅"), ["zhao lijian", "赵立坚"]);
        assert_eq!(ids.filter_keys("答"), ["答"], "a label of several persons");
        assert_eq!(ids.name("赵立坚"), "Zhao Lijian");
        assert_eq!(
            ids.fold_counts(vec![
                ("赵立坚".into(), 3),
                ("Zhao Lijian".into(), 2),
                ("耿爽".into(), 4)
            ]),
            [("Zhao Lijian".to_string(), 5), ("耿爽".to_string(), 4)]
        );
    }

    #[test]
    fn a_table_from_another_commit_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let persons = link(
            &[
                value("Ashish Jha", 5, "0/a", 2022),
                value("Dr. Jha", 5, "0/a", 2022),
            ],
            &Aliases::default(),
        );
        write(dir.path(), 7, persons).unwrap();
        assert_eq!(
            Identities::load(dir.path(), 7).name("Dr. Jha"),
            "Ashish Jha"
        );
        assert_eq!(Identities::load(dir.path(), 8).name("Dr. Jha"), "Dr. Jha");
        std::fs::write(dir.path().join(IDENTITY_FILE), "{").unwrap();
        assert_eq!(Identities::load(dir.path(), 7).name("Dr. Jha"), "Dr. Jha");
    }
}
