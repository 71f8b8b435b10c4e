//! The header lines at the top of a transcript: `President: Lyndon B. Johnson`,
//! `Date: June 5, 1964`, `Location: The White House`, `Participants: …`.
//!
//! They look like speaker labels but are metadata: what they say feeds the transcript's cast
//! (who holds a role), its title and its date, and they are nobody's speech. A line is a header
//! line when its key is a known metadata or people key ([`super::words`]) and its value does not
//! read as speech; the header is the run of such lines, and of short title lines between them,
//! before the first speech.

use super::labels::Learned;
use super::words::words;
use super::Item;

/// What the header lines say.
#[derive(Debug, Default, Clone)]
pub struct Header {
    /// Indexes of the items that are header lines.
    pub lines: Vec<usize>,
    pub title: Option<String>,
    pub date: Option<String>,
    /// `Speaker: …` naming one person: who speaks the unlabelled text.
    pub speaker: Option<String>,
    /// (role as written, person): `("President", "Lyndon B. Johnson")`; a list of participants
    /// gives people with no role (`""`).
    pub people: Vec<(String, String)>,
}

impl Header {
    pub fn is_line(&self, i: usize) -> bool {
        self.lines.contains(&i)
    }
}

/// How far down a header may reach, in paragraphs.
const MAX_HEADER_ITEMS: usize = 16;

/// Reads the header lines of a document whose label candidates `learned` counted: a key that
/// opens several paragraphs (`主席：`) is a speaker, not a header field.
pub fn read(items: &[Item], learned: &Learned) -> Header {
    let w = words();
    let mut header = Header::default();
    for (i, item) in items.iter().enumerate().take(MAX_HEADER_ITEMS) {
        let Some((key, value)) = key_value(&item.text) else {
            // A title or a heading between header lines; anything else is the start of speech.
            let short = item.text.chars().count() <= 200 && item.candidate.is_none();
            if short {
                continue;
            }
            break;
        };
        let people = w.header_people.has(key);
        let field = w.header_fields.has(key);
        let recurs = item
            .candidate
            .as_ref()
            .is_some_and(|l| learned.count(l) >= 2);
        if !(people || field) || recurs || reads_as_speech(value) {
            if item.candidate.is_some() {
                break; // a speaker's first words
            }
            continue;
        }
        header.lines.push(i);
        let lower = key.to_lowercase();
        if field {
            match lower.as_str() {
                "date" | "日期" | "時間" | "时间" => header.date = Some(value.to_string()),
                "title" | "subject" | "标题" | "標題" | "主题" | "主題" => {
                    header.title = Some(value.to_string())
                }
                _ => {}
            }
            continue;
        }
        let names = names(value);
        if matches!(lower.as_str(), "speaker" | "speakers") && names.len() == 1 {
            header.speaker = Some(names[0].clone());
        }
        let role = if matches!(
            lower.as_str(),
            "participants"
                | "participant"
                | "speakers"
                | "guests"
                | "with"
                | "panelists"
                | "panel"
                | "present"
                | "attendees"
                | "出席"
                | "与会者"
                | "與會者"
        ) {
            String::new()
        } else {
            key.to_string()
        };
        header
            .people
            .extend(names.into_iter().map(|n| (role.clone(), n)));
    }
    header
}

/// `Key: value` with a short key.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (colon, len) = line
        .char_indices()
        .take(41)
        .find(|(_, c)| *c == ':' || *c == '：')
        .map(|(i, c)| (i, c.len_utf8()))?;
    let key = line[..colon].trim().trim_matches('*').trim();
    let value = line[colon + len..].trim().trim_matches('*').trim();
    (!key.is_empty() && !value.is_empty() && key.split_whitespace().count() <= 3)
        .then_some((key, value))
}

/// A value that is somebody's words rather than a name, a date or a place: a sentence.
fn reads_as_speech(value: &str) -> bool {
    let words_: Vec<&str> = value.split_whitespace().collect();
    let last = words_.last().copied().unwrap_or("");
    let sentence_end = value.ends_with(['?', '!', '。', '？', '！'])
        || (value.ends_with('.') && last.trim_end_matches('.').chars().count() > 3);
    words_.len() > 14 || value.chars().count() > 160 || sentence_end
}

/// The names in a header value: `Lyndon B. Johnson`; `Jen Psaki, Brian Deese and Jeff Zients`;
/// `赵立坚、华春莹`.
fn names(value: &str) -> Vec<String> {
    value
        .split([',', ';', '、', '，', '；'])
        .flat_map(|part| part.split(" and "))
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty() && n.chars().count() <= 60)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::labels;

    fn read(items: &[Item]) -> Header {
        let learned = Learned::new(items.iter().filter_map(|i| i.candidate.as_ref()));
        super::read(items, &learned)
    }

    fn items(lines: &[&str]) -> Vec<Item> {
        lines
            .iter()
            .map(|l| Item {
                after_break: false,
                structured: false,
                candidate: labels::parse(l),
                text: l.to_string(),
            })
            .collect()
    }

    #[test]
    fn header_lines_name_the_cast_and_the_date() {
        let h = read(&items(&[
            "The President's News Conference",
            "President: Lyndon B. Johnson",
            "Date: June 5, 1964",
            "Location: The White House",
            "THE PRESIDENT. Good morning. I have a statement.",
            "Date: this is not a header any more.",
        ]));
        assert_eq!(h.lines, [1, 2, 3]);
        assert_eq!(
            h.people,
            [("President".to_string(), "Lyndon B. Johnson".to_string())]
        );
        assert_eq!(h.date.as_deref(), Some("June 5, 1964"));
    }

    #[test]
    fn speech_is_not_a_header() {
        let h = read(&items(&[
            "Zhao Lijian: Good afternoon. Let me start with an announcement.",
            "Speaker: I rise to thank the House for its patience today.",
        ]));
        assert!(h.lines.is_empty());
        let h = read(&items(&["Speaker: Nancy Pelosi", "It is an honour."]));
        assert_eq!(h.speaker.as_deref(), Some("Nancy Pelosi"));
        let h = read(&items(&[
            "Participants: Jen Psaki, Brian Deese and Jeff Zients",
        ]));
        assert_eq!(
            h.people.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
            ["Jen Psaki", "Brian Deese", "Jeff Zients"]
        );
    }
}
