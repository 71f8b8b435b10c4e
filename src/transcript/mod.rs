//! Document -> Transcript: speaker-attributed passages with the transcript's title, date and
//! language.
//!
//! A passage is one paragraph ([`paragraphs`]). A paragraph that opens with a speaker label
//! ([`labels`]) starts a new turn; unlabelled paragraphs continue the current turn. Text before
//! the first label belongs to the front matter's `speaker:`, or to nobody. Page furniture from
//! scraped web pages is dropped ([`noise`]).
//!
//! This module does no I/O and knows nothing of the index.

pub mod aliases;
mod header;
pub mod labels;
pub mod noise;
pub mod paragraphs;
pub mod people;
pub mod words;

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use serde::Serialize;

use crate::analysis::is_han;
use crate::corpus::{Body, Document};
use crate::date::{self, Date};

pub use labels::Role;

/// The language of a passage or transcript, as far as search is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Reads `en`, `english`, `en-US`, `zh`, `zh-Hans`, `chinese`, `中文`…
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_lowercase();
        if s.starts_with("en") {
            Some(Lang::En)
        } else if s.starts_with("zh")
            || s.starts_with("chinese")
            || s.starts_with("cmn")
            || s == "中文"
        {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// Chinese when Han characters carry a good share of the text. A Chinese character holds
    /// about as much as four or five English letters, hence the weight.
    pub fn detect(text: &str) -> Option<Lang> {
        let (mut han, mut letters) = (0usize, 0usize);
        for c in text.chars() {
            if c.is_ascii() {
                letters += usize::from(c.is_ascii_alphabetic());
            } else if is_han(c) {
                han += 1;
            } else if !matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
                && c.is_alphabetic()
            {
                // (General and CJK punctuation, the commonest non-letters, skip the lookup.)
                letters += 1;
            }
        }
        match (han, letters) {
            (0, 0) => None,
            _ if han * 4 >= letters => Some(Lang::Zh),
            _ => Some(Lang::En),
        }
    }
}

/// Where a transcript's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    FrontMatter,
    /// A `Date:` line at the top of the text.
    Header,
    FileName,
    Title,
    Text,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::FrontMatter => "front-matter",
            DateSource::Header => "header",
            DateSource::FileName => "file-name",
            DateSource::Title => "title",
            DateSource::Text => "text",
        }
    }
}

/// How a passage's speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribution {
    /// No speaker: text before the first label, headings, anonymous questions.
    None,
    /// The label is the name (`Zhao Lijian:`, `梁國雄議員：`).
    Label,
    /// The title completes or names it (`MS. PSAKI` under `Press Briefing by Press Secretary Jen
    /// Psaki`; `A:` under `Spokesperson Geng Shuang's Regular Press Conference`).
    Title,
    /// The document's header, front matter or metadata names the person (`President: Lyndon B.
    /// Johnson`, a Legislative Yuan sitting's `"speaker"`, a LegCo attendance list's chair).
    Header,
    /// The text names the person: an introduction (`I'm pleased to introduce Secretary
    /// Raimondo`), or an earlier label that gave role and name (`The Chief Minister (Mr D. S.
    /// Marshall):`).
    Text,
}

impl Attribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::None => "none",
            Attribution::Label => "label",
            Attribution::Title => "title",
            Attribution::Header => "header",
            Attribution::Text => "text",
        }
    }
}

/// One paragraph attributed to its speaker: the unit podium indexes and returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// `None` for text before the first label (announcements, headers).
    pub speaker: Option<String>,
    /// The label of the turn as the transcript writes it (`MS. PSAKI`, `答`, `Q`), whitespace
    /// collapsed; `None` where no label opened the turn.
    pub label: Option<String>,
    /// Where `speaker` came from.
    pub attribution: Attribution,
    pub role: Role,
    pub lang: Lang,
    /// What was said, without the label.
    pub text: String,
}

/// A transcript split into passages.
#[derive(Debug, Clone, Serialize)]
pub struct Transcript {
    /// Path relative to the indexed directory.
    pub path: String,
    pub title: String,
    pub date: Option<Date>,
    pub date_source: Option<DateSource>,
    pub lang: Lang,
    pub passages: Vec<Passage>,
}

/// Splits a document into passages and finds its title, date and language.
pub fn split(doc: &Document) -> Transcript {
    // Paragraphs, each with the label a structured format gives it (JSON `speaker`).
    let paragraphs: Vec<(Option<labels::Label>, String)> = match &doc.body {
        Body::Text(text) => paragraphs::split(text)
            .into_iter()
            .flat_map(|p| split_inline_turns(&p))
            .map(|p| (None, p))
            .collect(),
        Body::Turns(turns) => turns
            .iter()
            .flat_map(|turn| {
                let label = turn.speaker.as_deref().map(labels::for_name);
                paragraphs::split(&turn.text)
                    .into_iter()
                    .flat_map(|p| split_inline_turns(&p))
                    .enumerate()
                    .map(move |(i, p)| (label.clone().filter(|_| i == 0), p))
            })
            .collect(),
    };
    let all_text = doc.text();

    // What is speech at all: page furniture goes, and a page break is remembered so that a
    // sentence cut by it joins up again.
    let mut items: Vec<Item> = Vec::with_capacity(paragraphs.len());
    let mut page_break = false;
    for (given, paragraph) in paragraphs {
        let text = match noise::judge(&paragraph) {
            noise::Verdict::Keep => paragraph,
            noise::Verdict::Trim(kept) => kept,
            noise::Verdict::Drop => continue,
            noise::Verdict::End => break,
            noise::Verdict::PageBreak => {
                page_break = true;
                continue;
            }
        };
        let structured = given.is_some();
        let candidate = given.or_else(|| labels::parse(&text));
        items.push(Item {
            after_break: std::mem::take(&mut page_break),
            structured,
            candidate,
            text,
        });
    }

    // The header lines at the top (`President: Lyndon B. Johnson`, `Date: June 5, 1964`) name
    // the cast and the date; they are nobody's speech.
    let learned = labels::Learned::new(items.iter().filter_map(|i| i.candidate.as_ref()));
    let header = header::read(&items, &learned);
    let title = doc
        .front
        .get("title")
        .map(paragraphs_title)
        .or_else(|| header.title.clone())
        .or_else(|| {
            items
                .iter()
                .enumerate()
                .find(|(i, _)| !header.is_line(*i))
                .map(|(_, item)| item)
                .filter(|i| i.candidate.is_none() && looks_like_title(&i.text))
                .map(|i| i.text.clone())
        })
        .unwrap_or_else(|| file_stem(&doc.source.rel));
    let (date, date_source) = find_date(doc, &header, &title, &all_text);
    let lang = doc
        .front
        .get("lang")
        .or_else(|| doc.front.get("language"))
        .and_then(Lang::parse)
        // The opening is enough to tell, and a long transcript is not read once more for it.
        .or_else(|| {
            let end = all_text
                .char_indices()
                .nth(1 << 15)
                .map_or(all_text.len(), |(i, _)| i);
            Lang::detect(&all_text[..end])
        })
        .unwrap_or(Lang::En);

    let mut cast = people::Cast::new(&title, &all_text);
    cast.add_header(&header.people, doc.front.get("participants"));
    // Unlabelled text at the top is the front matter's or header's speaker's, or the
    // spokesperson's.
    let (mut speaker, mut attribution) =
        match doc.front.get("speaker").or(header.speaker.as_deref()) {
            Some(s) => (Some(s.to_string()), Attribution::Header),
            None => match &cast.spokesperson {
                Some(s) => (Some(s.clone()), Attribution::Title),
                None => (None, Attribution::None),
            },
        };
    let mut label_text: Option<String> = None;
    let mut role = Role::Answer;
    // Under an attendance heading until the next label or heading.
    let mut attendance = false;
    let mut passages: Vec<Passage> = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        if header.is_line(i) {
            continue;
        }
        let Item {
            after_break,
            structured,
            candidate,
            text: paragraph,
        } = item;
        let label = candidate.filter(|l| structured || learned.accepts(l, cast.names(l)));
        // Bold that opens a paragraph marks a label; where it marks none, it is just text.
        let paragraph = match &label {
            None if paragraph.starts_with("**") => paragraph.replace("**", ""),
            _ => paragraph,
        };
        if label.is_none() {
            if let Some(heading) = paragraphs::markdown_heading(&paragraph) {
                // A section heading: nobody's speech, and it ends the current turn.
                attendance = false;
                speaker = None;
                attribution = Attribution::None;
                label_text = None;
                role = Role::Answer;
                passages.push(Passage {
                    speaker: None,
                    label: None,
                    attribution,
                    role,
                    lang: Lang::detect(heading).unwrap_or(lang),
                    text: heading.to_string(),
                });
                continue;
            }
        }
        let text = match label {
            Some(label) => {
                attendance = false;
                (speaker, attribution) = cast.resolve(&label);
                label_text = Some(label.raw.clone());
                role = label.role;
                paragraph[label.body_start..].to_string()
            }
            None => {
                if labels::is_heading(&paragraph) || labels::is_agenda_item(&paragraph) {
                    speaker = None;
                    attribution = Attribution::None;
                    label_text = None;
                    role = Role::Answer;
                    attendance = labels::is_attendance(&paragraph);
                    if attendance {
                        continue;
                    }
                } else if attendance && paragraph.chars().count() <= 300 {
                    // One member per line under `PRESENT:` / `出席議員：`: a list, not speech.
                    continue;
                }
                attendance = false;
                // A sentence cut by a page break continues in the same passage.
                if let Some(previous) = passages
                    .last_mut()
                    .filter(|p| after_break && continues(&p.text, &paragraph))
                {
                    join_sentence(&mut previous.text, &paragraph);
                    continue;
                }
                if noise::is_stage_direction(&paragraph) {
                    // `(Laughter.)`: nobody's speech, and the turn goes on after it. A
                    // reporter's interjection (`（记者：日本媒体。）`) asks.
                    let inner = paragraph
                        .trim_start_matches(['>', ' ', '(', '[', '（'])
                        .trim_end_matches(['.', ')', ']', '）']);
                    let asks = labels::parse(inner).is_some_and(|l| l.role == Role::Question);
                    passages.push(Passage {
                        speaker: None,
                        label: None,
                        attribution: Attribution::None,
                        role: if asks { Role::Question } else { Role::Answer },
                        lang: Lang::detect(&paragraph).unwrap_or(lang),
                        text: paragraph,
                    });
                    continue;
                }
                paragraph
            }
        };
        if text.is_empty() {
            continue; // a label alone on its line: the speech follows
        }
        for text in chunks(&text, MAX_PASSAGE_CHARS) {
            passages.push(Passage {
                speaker: speaker.clone(),
                label: label_text.clone(),
                attribution,
                role,
                lang: Lang::detect(text).unwrap_or(lang),
                text: text.to_string(),
            });
        }
    }
    Transcript {
        path: doc.source.rel.clone(),
        title,
        date,
        date_source,
        lang,
        passages,
    }
}

/// A paragraph on its way to becoming a passage.
pub(crate) struct Item {
    /// A page break came between this paragraph and the previous one.
    after_break: bool,
    /// The label comes from a structured format (a JSON `speaker`), not from the text.
    structured: bool,
    /// The label the paragraph opens with, if its shape and words make one.
    candidate: Option<labels::Label>,
    text: String,
}

/// Several turns run together in one paragraph of some Hansard pages
/// (`DEPUTY SPEAKER.- Are you sure now? HON. S. T. KOROILAVESAU.- Yes, Madam …`), some behind a
/// page header that the converter merged in: each `.-` label in capitals starts a paragraph of
/// its own.
fn split_inline_turns(paragraph: &str) -> Vec<String> {
    static INLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|\s)((?:[A-Z][A-Z.'’-]*\s+){0,8}[A-Z][A-Z'’-]*(?:\s*\([^()]{1,160}\))?\.-\s)",
        )
        .unwrap()
    });
    if !paragraph.contains(".-") {
        return vec![paragraph.to_string()];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for c in INLINE.captures_iter(paragraph) {
        let at = c.get(1).expect("the label group").start();
        if at > start && labels::parse(&paragraph[at..]).is_some() {
            out.push(paragraph[start..at].trim().to_string());
            start = at;
        }
    }
    out.push(paragraph[start..].trim().to_string());
    out.retain(|p| !p.is_empty());
    out
}

/// The longest passage, in characters. Longer paragraphs (a whole document on one line, a
/// 50 MB scrape) are cut at sentence ends, so that no passage costs unbounded memory to index,
/// highlight or print.
pub const MAX_PASSAGE_CHARS: usize = 20_000;

/// Cuts `text` into pieces of at most `max` characters, at the last sentence end (or space)
/// before the limit when there is one.
fn chunks(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.chars().count() > max {
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let window = &rest[..limit];
        let cut = window
            .rfind(['。', '！', '？', '.', '!', '?'])
            .map(|i| i + window[i..].chars().next().map_or(1, char::len_utf8))
            .filter(|&i| i > limit / 2)
            .or_else(|| window.rfind(char::is_whitespace).filter(|&i| i > limit / 2))
            .unwrap_or(limit);
        out.push(rest[..cut].trim());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out.retain(|c| !c.is_empty());
    out
}

/// Whether `next` continues the sentence `previous` left unfinished (Chinese text, where a
/// line ends mid-sentence without a final punctuation mark).
fn continues(previous: &str, next: &str) -> bool {
    let last = previous.chars().last();
    let first = next.chars().next();
    let chinese = last.is_some_and(|c| is_han(c) || "，、；（“《".contains(c))
        && first.is_some_and(|c| is_han(c) || "，、。；）”》".contains(c));
    // `… the three keys on which the whole` / `Column: 22` / `system operates.`
    let english = last.is_some_and(|c| c.is_alphanumeric() || ",;-–(".contains(c))
        && first.is_some_and(|c| c.is_lowercase());
    chinese || english
}

/// Appends the rest of a sentence that a page break cut: nothing between Chinese characters,
/// a space otherwise.
fn join_sentence(previous: &mut String, rest: &str) {
    let tight = previous.chars().last().is_some_and(|c| !c.is_ascii())
        && rest.chars().next().is_some_and(|c| !c.is_ascii());
    if !tight {
        previous.push(' ');
    }
    previous.push_str(rest);
}

/// Front-matter titles may carry no-break spaces (`Jen\_Psaki`): show plain spaces.
fn paragraphs_title(t: &str) -> String {
    t.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A first paragraph that can serve as the title: short, no speaker label.
fn looks_like_title(p: &str) -> bool {
    p.chars().count() <= 200 && labels::parse(p).is_none()
}

fn file_stem(rel: &str) -> String {
    Path::new(rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| rel.to_string())
}

/// Front matter, else a header line, else the file name (or a folder's), else the title, else
/// the first full date in the text.
fn find_date(
    doc: &Document,
    header: &header::Header,
    title: &str,
    text: &str,
) -> (Option<Date>, Option<DateSource>) {
    let parse = |d: &str| Date::parse_iso(d).or_else(|| date::find_in_text(d));
    let front = doc.front.get("date").and_then(parse);
    let header = header.date.as_deref().and_then(parse);
    // The file's name, else the nearest folder named by a date (`cook-islands/2025-02-17/
    // part3.html`: a sitting's parts in the sitting day's folder).
    let file_name = || {
        Path::new(&doc.source.rel)
            .iter()
            .rev()
            .find_map(|n| date::find_in_file_name(&n.to_string_lossy()))
    };
    // Lazily: the search through the text is by far the slowest, and rarely needed.
    if let Some(d) = front {
        return (Some(d), Some(DateSource::FrontMatter));
    }
    if let Some(d) = header {
        return (Some(d), Some(DateSource::Header));
    }
    if let Some(d) = file_name() {
        return (Some(d), Some(DateSource::FileName));
    }
    if let Some(d) = date::find_in_text(title) {
        return (Some(d), Some(DateSource::Title));
    }
    match date::find_in_text(text) {
        Some(d) => (Some(d), Some(DateSource::Text)),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;

    fn transcript(rel: &str, text: &str) -> Transcript {
        split(&corpus::from_text(rel, text).expect("valid document"))
    }

    fn speakers(t: &Transcript) -> Vec<(Option<&str>, &str)> {
        t.passages
            .iter()
            .map(|p| (p.speaker.as_deref(), p.text.as_str()))
            .collect()
    }

    #[test]
    fn unlabelled_paragraphs_continue_the_turn() {
        let t = transcript(
            "2021-11-19.txt",
            "Opening remarks before anyone.\nZhao Lijian: First.\nSecond, still him.\nAFP: A question?\n",
        );
        assert_eq!(
            speakers(&t),
            [
                (None, "Opening remarks before anyone."),
                (Some("Zhao Lijian"), "First."),
                (Some("Zhao Lijian"), "Second, still him."),
                (Some("AFP"), "A question?"),
            ]
        );
        assert_eq!(t.passages[3].role, Role::Question);
        assert_eq!(t.passages[2].role, Role::Answer);
    }

    #[test]
    fn front_matter_speaker_owns_text_before_the_first_label() {
        let t = transcript(
            "x.md",
            "---\ntitle: Speech\nspeaker: Wang Yi\n---\nFriends,\n",
        );
        assert_eq!(speakers(&t), [(Some("Wang Yi"), "Friends,")]);
    }

    #[test]
    fn dates_come_from_front_matter_then_file_name_then_title_then_text() {
        let cases: &[(&str, &str, Option<&str>, Option<DateSource>)] = &[
            (
                "a/2021-11-19.txt",
                "---\ndate: '2020-01-02'\n---\nText.\n",
                Some("2020-01-02"),
                Some(DateSource::FrontMatter),
            ),
            (
                "a/20211119-briefing.txt",
                "Text on March 3, 2020.\n",
                Some("2021-11-19"),
                Some(DateSource::FileName),
            ),
            (
                "a/b.md",
                "---\ntitle: Press Conference on November 29, 2018\n---\nText.\n",
                Some("2018-11-29"),
                Some(DateSource::Title),
            ),
            (
                "a/b.txt",
                "Headline\n\nOn 19 November 2021 he said:\n",
                Some("2021-11-19"),
                Some(DateSource::Text),
            ),
            (
                "a/b.txt",
                "2019年7月8日外交部发言人耿爽主持例行记者会\n",
                Some("2019-07-08"),
                Some(DateSource::Title),
            ),
            (
                "a/b.txt",
                "On the morning of November 19, the forum opened.\n",
                None,
                None,
            ),
        ];
        for (rel, text, date, source) in cases {
            let t = transcript(rel, text);
            assert_eq!(t.date.map(|d| d.to_string()).as_deref(), *date, "{rel}");
            assert_eq!(t.date_source, *source, "{rel}");
        }
    }

    #[test]
    fn web_noise_is_not_speech() {
        let text = "Headline of the article\n\nby admin\n\nZhao Lijian:Let me give you an example.\n\nSee also  Something else entirely\n\nIt continues here.\n\n12 comments\n\nYou may also like\n\nZhao Lijian: not part of the article\n";
        let t = transcript("web.txt", text);
        assert_eq!(
            speakers(&t),
            [
                (None, "Headline of the article"),
                (Some("Zhao Lijian"), "Let me give you an example."),
                (Some("Zhao Lijian"), "It continues here."),
            ]
        );
        assert_eq!(t.title, "Headline of the article");
    }

    #[test]
    fn page_breaks_rejoin_sentences_and_headings_end_turns() {
        let text = "主席：各位議員，今天\n\n立法會  ─  2013年 4月 17日\n\n5725\n\n我們繼續辯論。\n\n## 報告事項\n\n1. 宣讀議事錄。\n\n主席：議事錄確定。\n";
        let t = transcript("x.md", text);
        assert_eq!(
            speakers(&t),
            [
                (Some("主席"), "各位議員，今天我們繼續辯論。"),
                (None, "報告事項"),
                (None, "1. 宣讀議事錄。"),
                (Some("主席"), "議事錄確定。"),
            ]
        );
    }

    #[test]
    fn very_long_paragraphs_are_cut_at_sentence_ends() {
        let text = "One sentence here. ".repeat(3000);
        let pieces = chunks(text.trim(), 20_000);
        assert_eq!(pieces.len(), 3);
        assert!(pieces
            .iter()
            .all(|p| p.chars().count() <= 20_000 && p.ends_with('.')));
        assert_eq!(
            pieces.concat().len() + 2,
            text.trim().len(),
            "only the spaces at the cuts go"
        );
        let no_breaks = "x".repeat(45_000);
        assert_eq!(
            chunks(&no_breaks, 20_000)
                .iter()
                .map(|p| p.len())
                .collect::<Vec<_>>(),
            [20_000, 20_000, 5_000]
        );
        assert_eq!(chunks("short", 20_000), ["short"]);
    }

    #[test]
    fn language_is_detected_per_passage() {
        let t = transcript(
            "x.txt",
            "赵立坚：中方对此表示欢迎。\nReuters: Thank you, a question in English?\n",
        );
        assert_eq!(t.lang, Lang::Zh);
        assert_eq!(t.passages[0].lang, Lang::Zh);
        assert_eq!(t.passages[1].lang, Lang::En);
    }
}
