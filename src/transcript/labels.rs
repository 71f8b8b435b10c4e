//! Speaker labels: does a paragraph open with a label (`Name:`, `名字：`, `**Name:**`,
//! `### 唐鳳：`, `HON. F.S. KOYA.-`, `THE PRESIDENT.`), and who is speaking?
//!
//! Reading a label takes two steps.
//! - [`parse`] reads one paragraph: the *shape* of its opening (colon, capitals, bold, heading,
//!   `.-`, period) and what its words say. Words that never make a label (a phrase opener as in
//!   `For example:`, reported speech as in `Trump said:`, a heading, a time) reject it here; the
//!   rest is either a known *convention* (`Q:`, `答：`, an outlet, an office, `梁國雄議員：`) or
//!   merely *name-like* (`Zhao Lijian:`, `方面入手：`).
//! - [`Learned`] reads the whole document: a name-like opening is a label when it recurs, when the
//!   document's cast names it, or when it has the shape the document's labels have. A one-off
//!   opening of another shape (a `Mentality aside:` in a briefing whose labels are
//!   `MS. PSAKI:`) stays part of the current turn.
//!
//! The word lists are data ([`super::words`]). Conventions are documented with examples in the
//! tests below.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::aliases::key;
use super::words::words;
use crate::analysis::is_han;

/// Whether a passage asks or answers. Statements, speeches and announcements count as answers:
/// they are what the official said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Question,
    Answer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Question => "question",
            Role::Answer => "answer",
        }
    }
}

/// How a label is written: the document-level signal of [`Learned`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `Zhao Lijian:`, `赵立坚：`
    Plain,
    /// `MS. PSAKI:`: every letter a capital.
    Caps,
    /// `**LEHRER:**`, or HTML `<b>Mr Speaker:</b>`.
    Bold,
    /// `### 唐鳳：`: a markdown heading holding only the label.
    Heading,
    /// `### 唐鳳`: a heading holding a name and no colon; a label only where the document's
    /// labels are headings and the name is one of them.
    BareHeading,
    /// `HON. F.S. KOYA.- Thank you`: the Fiji Hansard's period and hyphen.
    DotDash,
    /// `THE PRESIDENT. I have a statement`: capitals and a period.
    Period,
    /// The White House's bare `Q` before the question.
    BareQ,
}

/// How sure the words of a label are, before the document is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Looks like a name, and no more (`Consider`, `方面入手`): a label if the document
    /// confirms it.
    NameLike,
    /// Reads as a person's full name (`Zhao Lijian`, `赵立坚`): a label unless the document's
    /// labels have another shape.
    FullName,
    /// A known convention: an anonymous label, an outlet, an office or honorific, a Chinese
    /// title. A label wherever it stands.
    Convention,
}

/// A speaker label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The speaker's name as podium shows it (`Zhao Lijian`, `Ms. Psaki`, `赵立坚`, `Q`).
    pub name: String,
    /// The label as written, whitespace collapsed (`MS. PSAKI`, `《北京青年报》记者`).
    pub raw: String,
    pub role: Role,
    /// No name: an anonymous question (`Q:`, `问：`, `Journalist:`), or an anonymous answer
    /// (`A:`, `答：`) whose person is the transcript's spokesperson.
    pub anonymous: bool,
    /// Byte offset in the paragraph where the spoken text starts.
    pub body_start: usize,
    pub shape: Shape,
    pub strength: Strength,
    /// A role and the person holding it, both in the label: `The Chief Minister (Mr D. S.
    /// Marshall)` names `Mr D. S. Marshall`, and a later `The Chief Minister:` means him.
    pub holds: Option<String>,
    /// The label follows a number (`2. 毛孟靜議員：`): a written question's, or a list item's.
    pub numbered: bool,
}

impl Label {
    /// Whether the label is written in Chinese characters.
    pub fn is_han(&self) -> bool {
        self.raw.chars().any(is_han)
    }
}

/// Longest label podium accepts, in characters (long role descriptions included).
const MAX_LABEL_CHARS: usize = 160;
/// Longest Chinese label, in characters.
const MAX_HAN_LABEL_CHARS: usize = 20;

/// Parses the label that opens `paragraph`, if its shape and words make one. Whether the
/// document confirms a name-like label is [`Learned::accepts`].
pub fn parse(paragraph: &str) -> Option<Label> {
    let start = paragraph.len() - paragraph.trim_start().len();
    let mut rest = &paragraph[start..];
    let mut offset = start;
    let mut numbered = false;
    if rest.starts_with('>') {
        return None; // a blockquote: a stage direction or a quotation
    }
    // Numbered turns in legislative records: `2. 毛孟靜議員：`.
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}\.\s*").unwrap());
    if let Some(m) = NUMBERED.find(rest) {
        if rest[m.end()..].starts_with(is_han) {
            offset += m.end();
            rest = &rest[m.end()..];
            numbered = true;
        }
    }
    if let Some(label) = asked(rest) {
        return Some(Label {
            body_start: paragraph.len(),
            numbered,
            ..label
        });
    }
    let found = heading(rest)
        .or_else(|| bold(rest))
        .or_else(|| bare_q(rest))
        .or_else(|| dot_dash(rest))
        .or_else(|| colon(rest))
        .or_else(|| period(rest))?;
    let Opening {
        text,
        body_start,
        shape,
    } = found;
    let mut label = read(text, shape)?;
    label.body_start = offset + body_start;
    label.numbered = numbered;
    Some(label)
}

/// `HON. R.R. SHARMA asked the Government, upon notice:`: the narrative line of parliamentary
/// records that names who asks the question that follows.
fn asked(s: &str) -> Option<Label> {
    static ASKED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(.{3,100}?)\s+asked\s+(?:the|a|an)\s[^:]{1,160}:$").unwrap()
    });
    let raw = ASKED.captures(s.trim_end())?.get(1)?.as_str();
    let (name, _, anonymous, strength, _) = english(raw)?;
    (!anonymous).then(|| Label {
        raw: collapse(raw),
        name,
        role: Role::Question,
        anonymous: false,
        body_start: 0,
        shape: Shape::Plain,
        strength,
        holds: None,
        numbered: false,
    })
}

/// What the shape of an opening gives: the label text and where the speech starts.
struct Opening<'a> {
    text: &'a str,
    body_start: usize,
    shape: Shape,
}

/// `### 唐鳳：` / `### Audrey Tang:` / `### 唐鳳`: a heading holding only a label. A heading
/// with text after its colon (`## Bookend II — Audrey Tang: mission, not race`) is a section.
fn heading(s: &str) -> Option<Opening<'_>> {
    let rest = s.trim_start_matches('#');
    let level = s.len() - rest.len();
    if !(1..=6).contains(&level) || !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest
        .trim()
        .trim_end_matches('#')
        .trim_end()
        .trim_end_matches(['*', '_']);
    let text = text.trim_start_matches(['*', '_']);
    let (text, shape) = match text.strip_suffix(':').or_else(|| text.strip_suffix('：')) {
        Some(t) => (t, Shape::Heading),
        None => (text, Shape::BareHeading),
    };
    if text.is_empty() || text.contains([':', '：']) {
        return None;
    }
    Some(Opening {
        text: text.trim(),
        body_start: s.len(),
        shape,
    })
}

/// `**Name:** text`, `**Name**: text`, `__Name:__ text`.
fn bold(s: &str) -> Option<Opening<'_>> {
    let marker = if s.starts_with("**") {
        "**"
    } else if s.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let inner_start = marker.len();
    let close = s[inner_start..].find(marker)? + inner_start;
    let inner = s[inner_start..close].trim();
    let mut after = close + marker.len();
    let ends = [":", "：", ".-", ".–", ".-:", ".:"];
    let text = match ends.iter().find_map(|e| inner.strip_suffix(e)) {
        Some(t) => t,
        None => {
            let rest = &s[after..];
            let colon = rest
                .strip_prefix(':')
                .map(|_| 1)
                .or_else(|| rest.strip_prefix('：').map(|_| '：'.len_utf8()))?;
            after += colon;
            inner
        }
    };
    let body = s[after..].trim_start();
    Some(Opening {
        text: text.trim(),
        body_start: s.len() - body.len(),
        shape: Shape::Bold,
    })
}

/// The White House's question marker: a bare `Q` followed by spaces (often no-break spaces),
/// and older transcripts' `Q.`.
fn bare_q(s: &str) -> Option<Opening<'_>> {
    let after = s.strip_prefix('Q')?;
    let after = after.strip_prefix('.').unwrap_or(after);
    let body = after.trim_start_matches([' ', '\u{a0}', '\t']);
    if body.len() == after.len() || body.is_empty() {
        return None;
    }
    Some(Opening {
        text: "Q",
        body_start: s.len() - body.len(),
        shape: Shape::BareQ,
    })
}

/// `HON. F.S. KOYA (Minister for Commerce, …).- Thank you`: the label ends in `.-`.
fn dot_dash(s: &str) -> Option<Opening<'_>> {
    let end = s
        .char_indices()
        .take(MAX_LABEL_CHARS + 1)
        .find(|&(i, _)| {
            // `.-` then a space or the end: `U.S.-Africa` is a word.
            let rest = &s[i..];
            (rest.starts_with(".-") || rest.starts_with(".–"))
                && rest[1..]
                    .chars()
                    .nth(1)
                    .is_none_or(|c| c.is_whitespace() || c == ':')
        })
        .map(|(i, _)| i)?;
    let text = s[..end].trim();
    let dash = s[end + 1..].chars().next().map_or(1, char::len_utf8);
    // A pipeline that rewrote the label may add its own colon: `HON. X.-:`
    let after = &s[end + 1 + dash..];
    let after = after.strip_prefix(':').unwrap_or(after);
    let body = after.trim_start();
    Some(Opening {
        text,
        body_start: s.len() - body.len(),
        shape: Shape::DotDash,
    })
}

/// `Name:` / `名字：`: the label ends at the first colon.
fn colon(s: &str) -> Option<Opening<'_>> {
    let (colon, colon_len) = s
        .char_indices()
        .take(MAX_LABEL_CHARS + 1)
        .find(|(_, c)| *c == ':' || *c == '：')
        .map(|(i, c)| (i, c.len_utf8()))?;
    let after = &s[colon + colon_len..];
    if colon_len == 1 && after.starts_with(|c: char| c.is_ascii_digit() || c == '/') {
        return None; // `10:30`, `https://`
    }
    // `HON. PROF. B. C. PRASAD.:` (a `.-` label whose `-` became a colon).
    let text = s[..colon].trim().trim_end_matches(['.', '-']).trim_end();
    let body = after.trim_start_matches(|c: char| c.is_whitespace());
    let shape = if text.chars().any(char::is_alphabetic)
        && !text.chars().any(char::is_lowercase)
        && !text.chars().any(is_han)
    {
        Shape::Caps
    } else {
        Shape::Plain
    };
    Some(Opening {
        text,
        body_start: s.len() - body.len(),
        shape,
    })
}

/// `THE PRESIDENT. I have a statement`: words in capitals (honorifics with their periods),
/// then a period and the speech.
fn period(s: &str) -> Option<Opening<'_>> {
    static CAPS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^((?:[A-Z][A-Z'’-]*\.? +){0,5}[A-Z][A-Z'’-]+)\. +").unwrap());
    let m = CAPS.captures(s)?;
    let text = m.get(1)?.as_str();
    let body_start = m.get(0)?.end();
    if s[body_start..].trim().is_empty() {
        return None;
    }
    Some(Opening {
        text,
        body_start,
        shape: Shape::Period,
    })
}

/// What the words of a label say: who, asking or answering, and how sure.
fn read(text: &str, shape: Shape) -> Option<Label> {
    let raw = collapse(text);
    if raw.is_empty() || raw.contains(['<', '>', '`', '|', '=', '{', '}']) {
        return None; // markup and template placeholders
    }
    let (name, role, anonymous, strength, holds) = if raw.chars().any(is_han) {
        let (name, role, anonymous, strength) = chinese(&raw)?;
        (name, role, anonymous, strength, None)
    } else {
        english(&raw)?
    };
    Some(Label {
        name,
        raw,
        role,
        anonymous,
        body_start: 0,
        shape,
        strength,
        holds,
        numbered: false,
    })
}

/// The label for a speaker named by a structured format (a JSON `speaker` field): recognized as
/// a label would be (`Q` is a question, `A` the spokesperson's answer), else taken as it is.
pub fn for_name(name: &str) -> Label {
    let name = collapse(name);
    match read(&name, Shape::Plain) {
        Some(label) => Label {
            strength: Strength::Convention,
            ..label
        },
        None => Label {
            name: name.clone(),
            raw: name,
            role: Role::Answer,
            anonymous: false,
            body_start: 0,
            shape: Shape::Plain,
            strength: Strength::Convention,
            holds: None,
            numbered: false,
        },
    }
}

/// Whitespace runs (no-break and ideographic spaces included) as one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What one document's label candidates say about its labels.
#[derive(Debug, Default)]
pub struct Learned {
    /// How often each label (folded) opens a paragraph.
    counts: HashMap<String, usize>,
    /// The shape most of the document's sure labels have, when at least three do.
    dominant: Option<Shape>,
}

impl Learned {
    /// Learns from every label candidate of a document.
    pub fn new<'a>(candidates: impl IntoIterator<Item = &'a Label>) -> Learned {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut labels = Vec::new();
        for label in candidates {
            *counts.entry(key(&label.raw)).or_default() += 1;
            labels.push(label);
        }
        let mut shapes: HashMap<Shape, usize> = HashMap::new();
        for label in labels {
            let sure = label.strength == Strength::Convention || counts[&key(&label.raw)] >= 2;
            if sure && label.shape != Shape::BareQ {
                *shapes.entry(label.shape).or_default() += 1;
            }
        }
        let dominant = shapes
            .into_iter()
            .filter(|&(_, n)| n >= 3)
            .max_by_key(|&(shape, n)| (n, shape as u8))
            .map(|(shape, _)| shape);
        Learned { counts, dominant }
    }

    /// How often `label` opens a paragraph of the document.
    pub fn count(&self, label: &Label) -> usize {
        self.counts.get(&key(&label.raw)).copied().unwrap_or(0)
    }

    /// Whether `label` is a label in this document, given whether the document's cast (title,
    /// header) names it.
    pub fn accepts(&self, label: &Label, named: bool) -> bool {
        let recurs = self.count(label) >= 2;
        match label.shape {
            // Shapes that ordinary sentences and section headings also have: only where the
            // document's labels have them.
            Shape::Period => {
                let fits = self
                    .dominant
                    .is_none_or(|d| d == Shape::Period || is_plain(d));
                self.dominant == Some(Shape::Period) || (recurs || named) && fits
            }
            Shape::BareHeading => (recurs || named) && self.dominant == Some(Shape::Heading),
            _ if label.strength == Strength::Convention => true,
            // A numbered list item (`3.稅前純益：…`) is a label only by a known convention.
            _ if label.numbered => false,
            _ if recurs || named => true,
            // A full name once, in a document without labels of another shape. Chinese has no
            // capitals, so its shape says nothing: only a document with hardly any labels.
            Shape::Plain | Shape::Caps if label.strength == Strength::FullName => {
                self.dominant.is_none()
                    || !label.is_han()
                        && (self.dominant == Some(label.shape)
                            || (self.dominant == Some(Shape::Plain) && label.shape == Shape::Caps))
            }
            // A single word (`Consider:`, `FEMA:`) or a Chinese phrase is as often a heading as a
            // speaker, whatever its shape.
            _ if label.is_han() || !label.name.contains(' ') => false,
            _ => self.dominant == Some(label.shape),
        }
    }
}

/// Colon labels in capitals and in mixed case stand together in many transcripts
/// (`MS. PSAKI:` and `Q:`; `Zhao Lijian:` and `AFP:`).
fn is_plain(shape: Shape) -> bool {
    matches!(shape, Shape::Plain | Shape::Caps)
}

/// Whether `paragraph` opens with a heading label (`程序委員會意見：`, `說明：`, `PRESENT:`):
/// a document section that nobody is speaking, so the current turn ends.
pub fn is_heading(paragraph: &str) -> bool {
    let p = paragraph.trim_start();
    let Some((colon, _)) = p
        .char_indices()
        .take(MAX_HAN_LABEL_CHARS + 1)
        .find(|(_, c)| *c == ':' || *c == '：')
    else {
        return false;
    };
    words().headings.has(p[..colon].trim())
}

/// Whether `paragraph` opens an attendance list (`PRESENT:`, `出席議員：`): the lines under
/// it name members, one per line, and are nobody's speech.
pub fn is_attendance(paragraph: &str) -> bool {
    let p = paragraph.trim_start();
    p.char_indices()
        .take(MAX_HAN_LABEL_CHARS + 1)
        .find(|(_, c)| *c == ':' || *c == '：')
        .is_some_and(|(colon, _)| words().attendance.has(p[..colon].trim()))
}

/// A numbered agenda item in a Chinese record (`1. 宣讀本院…`): a heading, not speech.
pub fn is_agenda_item(paragraph: &str) -> bool {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}\.\s*\p{Han}").unwrap());
    ITEM.is_match(paragraph.trim_start()) && parse(paragraph).is_none()
}

/// Whether a label's name is a chair of a sitting (`主席`, `THE CHAIRMAN`, `Mr Speaker`), whom
/// the record's header may name.
pub fn is_chair(name: &str) -> bool {
    words().chair.has(name)
}

/// Words that may stand lower-case inside a name or role (`Minister of Foreign Affairs`).
const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "on", "in", "at", "to", "de", "del", "la", "le", "von", "van",
    "der", "bin", "binti", "al", "da", "du", "y", "&",
];

/// Splits `Outer (Inner)` at a final parenthetical.
fn parenthetical(label: &str) -> Option<(&str, &str)> {
    let inner_end = label
        .strip_suffix(')')
        .or_else(|| label.strip_suffix('）'))?;
    let open = inner_end.rfind(['(', '（'])?;
    let outer = inner_end[..open].trim();
    let inner = inner_end[open..].trim_start_matches(['(', '（']).trim();
    (!outer.is_empty() && !inner.is_empty()).then_some((outer, inner))
}

type English = (String, Role, bool, Strength, Option<String>);

fn english(label: &str) -> Option<English> {
    if label.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let w = words();
    // `Mr Lee Kuan Yew (Tanjong Pagar)`, `The Chief Minister (Mr D. S. Marshall)`,
    // `HON. F.S. KOYA (Minister for Commerce, Trade, Tourism and Transport)`,
    // `Audience (Gabriel, Geneva)`, `MR SPEAKER (T. TURA)`.
    if let Some((outer, inner)) = parenthetical(label) {
        let (name, role, anonymous, strength, _) = english(outer)?;
        if anonymous || !is_office(outer) {
            return Some((name, role, anonymous, strength, None));
        }
        return match english(inner) {
            Some((person, _, false, _, _)) if !is_office(inner) => Some((
                canonical_english(outer),
                role,
                false,
                Strength::Convention,
                Some(person),
            )),
            _ => Some((name, role, anonymous, strength, None)),
        };
    }
    if label.contains(|c: char| "\"“”‘?!;()[]{}<>|=+*#@%…_".contains(c)) {
        return None;
    }
    // `Frank Cormier, Associated Press`, `Zhao Lijian, Deputy Director-General of …`.
    let (name, affiliation) = match label.split_once(',') {
        Some((n, r)) => (n.trim(), Some(r.trim())),
        None => (label, None),
    };
    let words_: Vec<&str> = name.split_whitespace().collect();
    if words_.is_empty() || words_.len() > 8 {
        return None;
    }
    let digits_only = |x: &&str| x.chars().all(|c| c.is_ascii_digit() || c == '.');
    let capitalized =
        |x: &&str| x.chars().next().is_some_and(|c| c.is_uppercase()) || CONNECTORS.contains(x);
    if words_.iter().any(digits_only) || !words_[0].chars().next().is_some_and(char::is_alphabetic)
    {
        return None;
    }
    let name_ok = words_.iter().all(capitalized)
        // One irregular-case name is in real data (`Hua chunying:`): two words, the first
        // capitalized, the second a lower-case word.
        || (words_.len() == 2
            && capitalized(&words_[0])
            && words_[1].chars().all(|c| c.is_lowercase()));
    if !name_ok {
        return None;
    }
    if let Some(affiliation) = affiliation {
        let role_words: Vec<&str> = affiliation.split_whitespace().collect();
        if role_words.is_empty() || role_words.len() > 20 || !role_words.iter().all(capitalized) {
            return None;
        }
    }
    if w.not_speakers.has(name) || w.headings.has(name) {
        return None;
    }
    // A lone honorific names nobody: `Mr:` is "Mr. Speaker" cut in two by a converter.
    if w.honorifics.has(name) {
        return None;
    }
    if w.question.has(name) {
        let shown = if key(name).starts_with("follow") || key(name) == "question" {
            "Q".into()
        } else {
            canonical_english(name)
        };
        return Some((shown, Role::Question, true, Strength::Convention, None));
    }
    if w.anonymous.has(name) {
        return Some((
            canonical_english(name),
            Role::Answer,
            true,
            Strength::Convention,
            None,
        ));
    }
    if w.anonymous_asking.has(name) {
        return Some((
            canonical_english(name),
            Role::Question,
            true,
            Strength::Convention,
            None,
        ));
    }
    if w.answer.has(name) {
        return Some(("A".into(), Role::Answer, true, Strength::Convention, None));
    }
    let first = words_[0].trim_end_matches(['.', ':']);
    let last = words_[words_.len() - 1];
    let reported = w.reported_speech.has(last)
        || (words_.len() >= 2 && w.reported_speech.has(&words_[words_.len() - 2..].join(" ")));
    if w.phrase_openers.has(first) || reported {
        return None; // `For example`, `On evictions`, `Trump said`, `I quote`
    }
    let is_outlet = |text: &str| {
        text.split_whitespace()
            .any(|x| w.outlet_words.has(x.trim_end_matches(['.', ':'])))
    };
    let outlet = is_outlet(name) || affiliation.is_some_and(is_outlet);
    let role = if outlet { Role::Question } else { Role::Answer };
    let titled = words_.len() >= 2 && (w.honorifics.has(words_[0]) || w.role_words.has(words_[0]));
    let strength = if outlet || titled || affiliation.is_some() || is_office(name) {
        Strength::Convention
    } else if words_.len() >= 2
        && words_.len() <= 4
        && !words_
            .iter()
            .any(|x| w.phrase_openers.has(x) || key(x) == "the")
    {
        Strength::FullName
    } else {
        Strength::NameLike
    };
    Some((canonical_english(name), role, false, strength, None))
}

/// Whether a label names an office rather than a person: `The Chief Minister`, `Mr Speaker`,
/// `THE PRESIDENT`, `Minister for Home Affairs`: every word an office word, an honorific or a
/// connector, or `The` and an office.
fn is_office(label: &str) -> bool {
    let w = words();
    let words_: Vec<&str> = label.split_whitespace().collect();
    let Some(first) = words_.first() else {
        return false;
    };
    let office = |x: &&str| {
        w.role_words.has(x.trim_end_matches(['.', ',']))
            || w.honorifics.has(x)
            || CONNECTORS.contains(&x.to_lowercase().as_str())
    };
    if words_.iter().all(office) {
        return true;
    }
    // `The Minister for Labour and Welfare`, `Minister for Home Affairs`.
    let start = usize::from(key(first) == "the");
    words_
        .get(start)
        .is_some_and(|x| w.role_words.has(x) && !w.honorifics.has(x))
        && (start == 1 || words_.get(1).is_some_and(|x| CONNECTORS.contains(x)))
}

/// How a label is shown: whitespace collapsed; names written in capitals (`MS. JEAN-PIERRE`,
/// `THE PRESIDENT`, `HON. F.S. KOYA`) in title case, acronyms (`AFP`, `CCTV4`) kept; lower-case
/// words of a name capitalized (`Hua chunying` -> `Hua Chunying`).
pub fn canonical_english(name: &str) -> String {
    let words_: Vec<&str> = name.split_whitespace().collect();
    let all_caps = !name.chars().any(char::is_lowercase);
    let acronym = words_.len() == 1 && {
        let letters = words_[0].chars().filter(|c| c.is_alphabetic()).count();
        letters <= 3
            || words_[0].chars().any(|c| c.is_ascii_digit())
            || (letters <= 5 && words().outlet_words.has(words_[0]))
    };
    words_
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if all_caps && !acronym {
                let w = title_case(w);
                if i == 0 {
                    capitalize(&w)
                } else {
                    w
                }
            } else if i > 0 && CONNECTORS.contains(w) {
                w.to_string()
            } else {
                capitalize(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalize(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `JEAN-PIERRE` -> `Jean-Pierre`, `MS.` -> `Ms.`, `F.S.` -> `F.S.`, `OF` -> `of`.
fn title_case(w: &str) -> String {
    let lower = w.to_lowercase();
    if CONNECTORS.contains(&lower.as_str()) {
        return lower;
    }
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in lower.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = matches!(c, '-' | '\'' | '’' | '.');
    }
    out
}

/// Taiwan's Legislative Yuan writes surname + title + given name: `潘委員維剛` is 潘維剛.
static SURNAME_TITLE_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "^(\\p{Han})(委員|委员|院長|院长|副院長|副院长|部長|部长|主任委員|主任委员|審計長|审计长|署長|署长|秘書長|秘书长|局長|局长|召集委員|處長|处长|主委|次長|次长|政務委員|政务委员|總長|总长|檢察總長|主計長|主计长|祕書長|首長)(\\p{Han}{1,2})$",
    )
    .unwrap()
});

/// An announcement lead-in names the speaker: `外交部发言人赵立坚宣布：` is 赵立坚 speaking.
static SPOKESPERSON_LEAD_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("发言人|發言人").unwrap());

fn chinese(label: &str) -> Option<(String, Role, bool, Strength)> {
    use Strength::*;
    let w = words();
    // `黃彥霖（豆泥）`: a nickname, a deputy or an affiliation in parentheses.
    let label = match parenthetical(label) {
        Some((outer, _)) => outer,
        None => label,
    };
    let chars = label.chars().count();
    if chars > MAX_HAN_LABEL_CHARS || label.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    static AFTER_BRIEFING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new("^(会后|會後)[，,]?有?记者问及?$|^(会后|會後)[，,]?有?記者問及?$").unwrap()
    });
    if AFTER_BRIEFING.is_match(label) {
        return Some(("记者".into(), Role::Question, true, Convention));
    }
    if label.contains(|c: char| "，、。；？！“”（）()【】「」：:".contains(c)) {
        return None;
    }
    let name: String = label
        .chars()
        .filter(|c| !"《》〈〉 \u{a0}\u{3000}".contains(*c))
        .collect();
    if w.question.has(&name) {
        let shown = if key(&name).contains('记') {
            "记者"
        } else {
            "问"
        };
        return Some((shown.into(), Role::Question, true, Convention));
    }
    if w.answer.has(&name) {
        return Some(("答".into(), Role::Answer, true, Convention));
    }
    if w.anonymous.has(&name) {
        return Some((name, Role::Answer, true, Convention));
    }
    if w.anonymous_asking.has(&name) {
        return Some((name, Role::Question, true, Convention));
    }
    if (name.ends_with("记者") || name.ends_with("記者")) && name.chars().count() > 2 {
        return Some((name, Role::Question, false, Convention));
    }
    // `案由一`, `說明二`: a numbered heading.
    let unnumbered = name.trim_end_matches(|c: char| "一二三四五六七八九十".contains(c));
    if w.headings.has(&name) || w.not_speakers.has(&name) || w.headings.has(unnumbered) {
        return None;
    }
    // `資料來源`, `提出時間`, `附帶決議`: a heading's word at the end.
    if w.headings.ends_with_word(&name, 2) {
        return None;
    }
    // `第三案`, `第一組`: ordinals open agenda items and lists.
    static ORDINAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("^第[一二三四五六七八九十百零〇两兩0-9]").unwrap());
    if ORDINAL.is_match(&name) || w.not_speakers.starts(&name) {
        return None;
    }
    if let Some(c) = SURNAME_TITLE_GIVEN.captures(&name) {
        return Some((
            format!("{}{}", &c[1], &c[3]),
            Role::Answer,
            false,
            Convention,
        ));
    }
    for verb in ["宣布", "表示", "指出", "强调", "強調"] {
        if let Some(head) = name.strip_suffix(verb) {
            // `外交部发言人赵立坚宣布` -> 赵立坚; other `…表示` lead-ins are sentences.
            let m = SPOKESPERSON_LEAD_IN.find(head)?;
            let person = &head[m.end()..];
            return (2..=4)
                .contains(&person.chars().count())
                .then(|| (person.to_string(), Role::Answer, false, Convention));
        }
    }
    // Reported speech (`他提醒我`, `來告訴我`), pronouns (`我們`, `醒我`).
    if w.reported_speech.ends(&name) || w.not_in_chinese_names.within(&name) {
        return None;
    }
    if w.role_suffixes.ends(&name) || w.chair.has(&name) {
        return Some((name, Role::Answer, false, Convention));
    }
    let chars = name.chars().count();
    let short_name = (2..=4).contains(&chars) && name.chars().all(|c| is_han(c) || c == '·');
    let foreign_name = name.contains('·') && chars <= 12;
    // Most Chinese names have two or three characters; four are as often a phrase.
    let strength = if foreign_name || chars <= 3 {
        FullName
    } else {
        NameLike
    };
    (short_name || foreign_name).then_some((name, Role::Answer, false, strength))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (paragraph, expected (name, role) or None, expected spoken text)
    #[test]
    fn recognizes_label_conventions() {
        use Role::*;
        type Case<'a> = (&'a str, Option<(&'a str, Role)>, &'a str);
        let cases: &[Case] = &[
            ("Zhao Lijian: China fully agrees.", Some(("Zhao Lijian", Answer)), "China fully agrees."),
            ("Zhao Lijian:The theme of this forum", Some(("Zhao Lijian", Answer)), "The theme of this forum"),
            (
                "Zhao Lijian, Deputy Director-General of the Information Department of the Ministry of Foreign Affairs:Dear friends",
                Some(("Zhao Lijian", Answer)),
                "Dear friends",
            ),
            ("赵立坚：中方完全同意。", Some(("赵立坚", Answer)), "中方完全同意。"),
            ("　　华春莹：商务部新闻发言人刚刚介绍了有关情况。", Some(("华春莹", Answer)), "商务部新闻发言人刚刚介绍了有关情况。"),
            ("Q: Iran said yesterday", Some(("Q", Question)), "Iran said yesterday"),
            ("A: China regrets it.", Some(("A", Answer)), "China regrets it."),
            ("Follow-up: Has the Chinese side received it?", Some(("Q", Question)), "Has the Chinese side received it?"),
            ("Journalist: Today.", Some(("Journalist", Question)), "Today."),
            ("问：伊朗昨天宣布", Some(("问", Question)), "伊朗昨天宣布"),
            ("　　答:美方向台湾出售武器", Some(("答", Answer)), "美方向台湾出售武器"),
            ("　　追问：中方收到通报了吗？", Some(("问", Question)), "中方收到通报了吗？"),
            ("　　会后有记者问及：你能否介绍", Some(("记者", Question)), "你能否介绍"),
            ("　　会后，有记者问及：你能否介绍", Some(("记者", Question)), "你能否介绍"),
            ("AFP: My question is about COVID-19.", Some(("AFP", Question)), "My question is about COVID-19."),
            ("The Paper: Reports say", Some(("The Paper", Question)), "Reports say"),
            ("China Daily: Do you have", Some(("China Daily", Question)), "Do you have"),
            ("CCTV4: A question", Some(("CCTV4", Question)), "A question"),
            ("　　记者：大使先生，您好", Some(("记者", Question)), "大使先生，您好"),
            ("　　法新社记者：据报道", Some(("法新社记者", Question)), "据报道"),
            ("　　《北京青年报》记者：请问", Some(("北京青年报记者", Question)), "请问"),
            ("MS. PSAKI:\u{a0} Good evening, everyone.", Some(("Ms. Psaki", Answer)), "Good evening, everyone."),
            ("MS. JEAN-PIERRE:\u{a0} It’s good to see everybody.", Some(("Ms. Jean-Pierre", Answer)), "It’s good to see everybody."),
            ("THE PRESIDENT:\u{a0} So, as you know", Some(("The President", Answer)), "So, as you know"),
            ("SECRETARY MAYORKAS:\u{a0} Thank you", Some(("Secretary Mayorkas", Answer)), "Thank you"),
            ("MODERATOR:\u{a0} For our first question", Some(("Moderator", Answer)), "For our first question"),
            ("SENIOR ADMINISTRATION OFFICIAL:\u{a0} Thanks.", Some(("Senior Administration Official", Answer)), "Thanks."),
            ("AUDIENCE MEMBER:\u{a0} We love you!", Some(("Audience Member", Question)), "We love you!"),
            ("Q\u{a0}\u{a0}\u{a0} Thanks, Jen.", Some(("Q", Question)), "Thanks, Jen."),
            ("Q Thanks, Jen.", Some(("Q", Question)), "Thanks, Jen."),
            ("Hua chunying: China and Germany", Some(("Hua Chunying", Answer)), "China and Germany"),
            ("潘委員維剛：（14時33分）主席、各位同仁。", Some(("潘維剛", Answer)), "（14時33分）主席、各位同仁。"),
            ("    唐院長飛：主席、各位委員。", Some(("唐飛", Answer)), "主席、各位委員。"),
            ("陳主任委員添枝：報告委員", Some(("陳添枝", Answer)), "報告委員"),
            ("梁國雄議員：主席，我聽到", Some(("梁國雄議員", Answer)), "主席，我聽到"),
            ("2. 毛孟靜議員：主席，有協助", Some(("毛孟靜議員", Answer)), "主席，有協助"),
            ("運輸及房屋局局長：主席，由於", Some(("運輸及房屋局局長", Answer)), "主席，由於"),
            ("　　外交部发言人赵立坚宣布：", Some(("赵立坚", Answer)), ""),
            // Markdown headings that hold only a label (Audrey Tang's transcripts).
            ("### 唐鳳：", Some(("唐鳳", Answer)), ""),
            ("### Audrey Tang:", Some(("Audrey Tang", Answer)), ""),
            ("### 問：", Some(("问", Question)), ""),
            ("### 黃彥霖（豆泥）:", Some(("黃彥霖", Answer)), ""),
            ("### Audience (Gabriel, Geneva):", Some(("Audience", Question)), ""),
            ("### 唐鳳", Some(("唐鳳", Answer)), ""),
            // Bold labels: markdown, and HTML bold as the reader renders it.
            ("**LEHRER:** Good evening.", Some(("Lehrer", Answer)), "Good evening."),
            ("**The Chairman**: Order. I propose", Some(("The Chairman", Answer)), "Order. I propose"),
            ("**Mr Lee Kuan Yew (Tanjong Pagar):** Mr Speaker,", Some(("Mr Lee Kuan Yew", Answer)), "Mr Speaker,"),
            ("**The Chief Minister (Mr D. S. Marshall):** If it please you", Some(("The Chief Minister", Answer)), "If it please you"),
            // Older presidential news conferences; named questioners with their outlet.
            ("THE PRESIDENT. I have a statement.", Some(("The President", Answer)), "I have a statement."),
            ("Q. Mr. President, will you", Some(("Q", Question)), "Mr. President, will you"),
            ("Frank Cormier, Associated Press: Mr. President", Some(("Frank Cormier", Question)), "Mr. President"),
            // Fiji Hansard: `.-`, portfolios in parentheses, a converter's colon.
            ("HON. F.S. KOYA (Minister for Commerce, Trade, Tourism and Transport).- Thank you, Mr.", Some(("Hon. F.S. Koya", Answer)), "Thank you, Mr."),
            ("HON. SPEAKER.- I thank the Honourable Minister.", Some(("Hon. Speaker", Answer)), "I thank the Honourable Minister."),
            ("HON. PROF. B. C. PRASAD.: And let me tell him", Some(("Hon. Prof. B. C. Prasad", Answer)), "And let me tell him"),
            ("MR SPEAKER (T. TURA): Please be seated.", Some(("Mr Speaker", Answer)), "Please be seated."),
            ("HON. R.R. SHARMA asked the Government, upon notice:", Some(("Hon. R.R. Sharma", Question)), ""),
            // Not speakers.
            ("Original title: Zhao Lijian talks about", None, ""),
            ("Between 00:00 and 24:00, February 10, there were 381 cases.", None, ""),
            ("As of 24:00 on March 3, a total of", None, ""),
            ("At 10:30 the meeting began", None, ""),
            ("I only want to stress one point: we oppose it.", None, ""),
            ("Let me stress this once again: no.", None, ""),
            ("\"Great Journey, Glorious Achievements: a show\"", None, ""),
            ("However, I want to stress: this is wrong.", None, ""),
            ("Finally: the weather.", None, ""),
            ("See https://example.org for more", None, ""),
            ("For example: the vaccines.", None, ""),
            ("An example: the vaccines.", None, ""),
            ("Second point: the vaccines.", None, ""),
            ("And understand: this matters.", None, ""),
            ("On evictions: we acted.", None, ""),
            ("Trump said: no.", None, ""),
            ("I said: no.", None, ""),
            ("I quote: \"no\".", None, ""),
            ("Mr: Speaker, Sir, with those remarks", None, ""),
            ("Column: 22", None, ""),
            ("> 主席：林俊宏律師", None, ""),
            ("## Bookend II — Audrey Tang: mission, not race", None, ""),
            ("　　首先向大家通报一组数字：", None, ""),
            ("　　一、首先我向大家通报一组数字：", None, ""),
            ("程序委員會意見：", None, ""),
            ("提案人：", None, ""),
            ("功能團體：", None, ""),
            ("1.業務總收入：", None, ""),
            ("他说：我们反对。", None, ""),
            ("第三案：關於", None, ""),
            ("第一組：", None, ""),
            ("我們：", None, ""),
            ("他提醒我：", None, ""),
            ("首先反問：", None, ""),
            ("來告訴我：", None, ""),
            ("<bureau>局局長：", None, ""),
            ("案由一：有關十二年國民基本教育", None, ""),
            ("No label here at all", None, ""),
            ("Quite a day", None, ""),
        ];
        for (paragraph, want, body) in cases {
            let got = parse(paragraph);
            match (want, &got) {
                (None, None) => {}
                (Some((name, role)), Some(label)) => {
                    assert_eq!(
                        (label.name.as_str(), label.role),
                        (*name, *role),
                        "{paragraph:?}"
                    );
                    assert_eq!(&paragraph[label.body_start..], *body, "{paragraph:?}");
                }
                _ => panic!("{paragraph:?}: expected {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn a_role_with_its_holder_names_the_holder() {
        let label = parse("**The Chief Minister (Mr D. S. Marshall):** If it please you").unwrap();
        assert_eq!(label.holds.as_deref(), Some("Mr D. S. Marshall"));
        let label = parse("MR SPEAKER (T. TURA): Please be seated.").unwrap();
        assert_eq!(label.holds.as_deref(), Some("T. Tura"));
        let label = parse("**Mr Lee Kuan Yew (Tanjong Pagar):** Sir").unwrap();
        assert_eq!(label.holds, None, "a constituency is not a person");
    }

    #[test]
    fn anonymous_labels_are_marked() {
        for anonymous in [
            "A: Yes.",
            "答：是的。",
            "Q: Why?",
            "问：为什么？",
            "Follow-up: And?",
            "记者：请问",
            "Q\u{a0}\u{a0} Thanks.",
        ] {
            assert!(parse(anonymous).unwrap().anonymous, "{anonymous}");
        }
        for named in ["Geng Shuang: Yes.", "AFP: Why?", "法新社记者：请问"] {
            assert!(!parse(named).unwrap().anonymous, "{named}");
        }
    }

    fn learn(paragraphs: &[&str]) -> (Learned, Vec<Label>) {
        let labels: Vec<Label> = paragraphs.iter().filter_map(|p| parse(p)).collect();
        (Learned::new(&labels), labels)
    }

    #[test]
    fn a_one_off_opening_of_another_shape_is_not_a_label() {
        let (learned, labels) = learn(&[
            "MS. PSAKI:\u{a0} Good afternoon.",
            "Q\u{a0}\u{a0} Thanks, Jen.",
            "MS. PSAKI:\u{a0} Sure.",
            "MR. DEESE:\u{a0} Thanks.",
            "Mentality Aside: it went on.",
            "MS. PSAKI:\u{a0} Go ahead.",
        ]);
        let accepted: Vec<&str> = labels
            .iter()
            .filter(|l| learned.accepts(l, false))
            .map(|l| l.raw.as_str())
            .collect();
        assert_eq!(
            accepted,
            ["MS. PSAKI", "Q", "MS. PSAKI", "MR. DEESE", "MS. PSAKI"]
        );
    }

    #[test]
    fn heading_labels_make_plain_openings_doubtful() {
        let (learned, labels) = learn(&[
            "### 唐鳳：",
            "### 問：",
            "### 唐鳳：",
            "方面入手：我們從這裡開始。",
            "### 唐鳳",
        ]);
        let accepted: Vec<&str> = labels
            .iter()
            .filter(|l| learned.accepts(l, false))
            .map(|l| l.raw.as_str())
            .collect();
        assert_eq!(accepted, ["唐鳳", "問", "唐鳳", "唐鳳"]);
    }

    #[test]
    fn plain_documents_take_one_off_names_and_outlets() {
        let (learned, labels) = learn(&[
            "Zhao Lijian: Good afternoon.",
            "Shenzhen TV: A question.",
            "Zhao Lijian: Yes.",
            "Geng Shuang: Hello.",
            "Zhao Lijian: Next.",
        ]);
        assert!(labels.iter().all(|l| learned.accepts(l, false)));
    }

    #[test]
    fn period_labels_need_a_document_of_them() {
        let (learned, labels) = learn(&[
            "THE PRESIDENT. Good morning.",
            "Q. Mr. President, a question.",
            "THE PRESIDENT. Yes.",
            "Q. And another?",
            "THE PRESIDENT. No.",
        ]);
        assert!(labels.iter().all(|l| learned.accepts(l, false)));
        let (learned, labels) = learn(&["WASHINGTON. The city woke up.", "Zhao Lijian: Hi."]);
        assert!(!learned.accepts(&labels[0], false));
    }

    #[test]
    fn a_document_without_labels_takes_no_one_off_name() {
        let (learned, labels) = learn(&[
            "Consider: most households have no access.",
            "The First: we need progress.",
            "U.S.-Africa Leaders’ Summit in — this December.",
        ]);
        assert!(
            labels.iter().all(|l| !learned.accepts(l, false)),
            "{labels:?}"
        );
        let (learned, labels) = learn(&["Consider: this.", "Thank you."]);
        assert!(
            learned.accepts(&labels[0], true),
            "unless the title names it"
        );
        let (learned, labels) = learn(&["Zhao Lijian: Hello.", "Thank you."]);
        assert!(
            learned.accepts(&labels[0], false),
            "a full name once is a label"
        );
    }
}
