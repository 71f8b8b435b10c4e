//! Who a label means, given the transcript's title.
//!
//! Labels are often not names: `A:` / `答：` is the spokesperson the title names
//! (`Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference…`,
//! `2019年7月8日外交部发言人耿爽主持例行记者会`); `MS. PSAKI:` is the `Jen Psaki` of
//! `Press Briefing by Press Secretary Jen Psaki`; `THE PRESIDENT:` is the `President Biden` of
//! `Remarks by President Biden`. Anonymous questioners (`Q`, `问`, `Journalist`) are nobody in
//! particular: their passages have a role (question) but no speaker.

use std::sync::LazyLock;

use regex::Regex;

use std::collections::HashMap;

use super::aliases::key;
use super::labels::Label;
use super::words::words;
use super::Attribution;

/// What the title, the header and the text tell about the people in a transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cast {
    /// The spokesperson hosting the briefing, who answers `A:` / `答：` and speaks the
    /// unlabelled announcements at the top.
    pub spokesperson: Option<String>,
    /// The presiding officer of a legislative record (`主席曾鈺成議員` in a LegCo attendance
    /// list, `"speaker": "王院長金平"` in a Legislative Yuan metadata block), who speaks as
    /// `主席：`.
    pub chair: Option<String>,
    /// Runs of capitalized words in the title (`Press Secretary Jen Psaki`), to complete
    /// `Ms. Psaki` into `Jen Psaki`.
    names: Vec<Vec<String>>,
    /// The same from the header lines (`President: Lyndon B. Johnson`).
    header_names: Vec<Vec<String>>,
    /// The same from introductions in the text (`please welcome Secretary Raimondo`).
    text_names: Vec<Vec<String>>,
    /// The title, folded, to tell whether it names a Chinese label.
    title_key: String,
    /// Roles and who holds them (folded role -> person): from header lines, and from labels
    /// that give both (`The Chief Minister (Mr D. S. Marshall):`).
    roles: HashMap<String, (String, Attribution)>,
}

impl Cast {
    /// What the title and the top of the text tell.
    pub fn new(title: &str, text: &str) -> Cast {
        static LEGCO: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?m)^主席\s*(\p{Han}{2,4}議員)").unwrap());
        static LY: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#""speaker"\s*:\s*"(\p{Han}{2,8})""#).unwrap());
        // Introductions name the people that role labels (`THE SECRETARY:`) stand for.
        static INTRODUCTION: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\b(?:introduce|welcome|turn (?:it |things )?over to|hand (?:it )?over to|give the floor to|joined (?:today )?by)\s+(?:our |my |the )?((?:[A-Z][\w.'’-]*\s+){1,4}[A-Z][\w'’-]+)").unwrap()
        });
        // The chair is named in the header: look at the first 20,000 bytes only.
        let head = prefix(text, 20_000);
        let chair = LEGCO.captures(head).map(|c| c[1].to_string()).or_else(|| {
            LY.captures(head)
                .map(|c| super::labels::for_name(&c[1]).name)
        });
        let text_names = INTRODUCTION
            .captures_iter(prefix(text, 50_000))
            .flat_map(|c| runs(&c[1]))
            .collect();
        Cast {
            chair,
            text_names,
            ..Cast::from_title(title)
        }
    }

    pub fn from_title(title: &str) -> Cast {
        static EN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"Spokesperson ([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})(?:'s|’s|\b)").unwrap()
        });
        static ZH: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"发言人(\p{Han}{2,3}?)(?:\d|主持|答|就|宣布|表示|发表|介绍|在|：)|^(\p{Han}{2,3})：").unwrap()
        });
        let spokesperson = EN.captures(title).map(|c| c[1].to_string()).or_else(|| {
            ZH.captures(title)
                .and_then(|c| c.get(1).or(c.get(2)))
                .map(|m| m.as_str().to_string())
        });
        Cast {
            spokesperson,
            names: runs(title),
            title_key: key(title),
            ..Cast::default()
        }
    }

    /// Adds what header lines and front matter say: roles and their holders, and names.
    pub fn add_header(&mut self, people: &[(String, String)], participants: Option<&str>) {
        for (role, person) in people {
            if !role.is_empty() {
                self.roles
                    .insert(key(role), (person.clone(), Attribution::Header));
            }
            self.header_names.extend(runs(person));
        }
        if let Some(list) = participants {
            for name in list.split([',', ';', '、']) {
                self.header_names.extend(runs(name.trim()));
            }
        }
    }

    /// Whether the title or header names the person of a label (`Zhao Lijian:` under `…
    /// Spokesperson Zhao Lijian's Regular Press Conference`), or the label is a role the cast
    /// knows.
    pub fn names(&self, label: &Label) -> bool {
        let name = &label.name;
        if self.roles.contains_key(&role_key(name))
            || self
                .spokesperson
                .as_deref()
                .is_some_and(|s| key(s) == key(name))
        {
            return true;
        }
        if name.chars().any(crate::analysis::is_han) {
            return self.title_key.contains(&key(name));
        }
        let Some(surname) = name.split_whitespace().last() else {
            return false;
        };
        self.names
            .iter()
            .chain(&self.header_names)
            .flatten()
            .any(|w| w.eq_ignore_ascii_case(surname))
    }

    /// The speaker a label stands for, and where the name came from; `None` for an anonymous
    /// questioner (or an anonymous answer when the title names no spokesperson). A label that
    /// gives a role and its holder teaches the cast who holds the role.
    pub fn resolve(&mut self, label: &Label) -> (Option<String>, Attribution) {
        let role = role_key(&label.name);
        if let Some(person) = &label.holds {
            self.roles.insert(role, (person.clone(), Attribution::Text));
            return (Some(person.clone()), Attribution::Label);
        }
        if label.anonymous {
            let answers = words().answer.has(&label.name);
            return match (answers, &self.spokesperson) {
                (true, Some(s)) => (Some(s.clone()), Attribution::Title),
                _ => match self.roles.get(&role) {
                    Some((person, via)) => (Some(person.clone()), *via),
                    None => (None, Attribution::None),
                },
            };
        }
        if super::labels::is_chair(&label.name) {
            if let Some(chair) = &self.chair {
                return (Some(chair.clone()), Attribution::Header);
            }
        }
        if let Some((person, via)) = self.roles.get(&role) {
            return (Some(person.clone()), *via);
        }
        // A role alone (`PRESIDENT:`) reads as `The President`.
        let name = if words().role_words.has(&label.name) {
            format!("The {}", label.name)
        } else {
            label.name.clone()
        };
        for (runs, via) in [
            (&self.names, Attribution::Title),
            (&self.header_names, Attribution::Header),
            (&self.text_names, Attribution::Text),
        ] {
            if let Some(full) = complete(runs, &name) {
                return (Some(full), via);
            }
        }
        (Some(label.name.clone()), Attribution::Label)
    }
}

/// A role as the cast keys it: folded, without a leading `the`.
fn role_key(name: &str) -> String {
    let k = key(name);
    match k.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => k,
    }
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Runs of capitalized words (`Remarks by President Biden and Vice President Harris` ->
/// `[Remarks] [President Biden] [Vice President Harris]`).
fn runs(text: &str) -> Vec<Vec<String>> {
    let mut names = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let capitalized = word.chars().next().is_some_and(char::is_uppercase);
        if capitalized {
            run.push(
                word.trim_end_matches("'s")
                    .trim_end_matches("’s")
                    .to_string(),
            );
        } else if !run.is_empty() {
            names.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        names.push(run);
    }
    names
}

/// `Ms. Psaki` -> `Jen Psaki`; `The President` -> `President Biden`, from runs of capitalized
/// words.
fn complete(names: &[Vec<String>], name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if let Some(role) = name.strip_prefix("The ") {
        // `The President` -> the first `President X` of the title that is not `Vice President X`.
        let role: Vec<&str> = role.split_whitespace().collect();
        for run in names {
            for i in 0..run.len() {
                let matches = run.len() > i + role.len()
                    && run[i..i + role.len()]
                        .iter()
                        .zip(&role)
                        .all(|(a, b)| a == b)
                    && (i == 0 || !(role[0] == "President" && run[i - 1] == "Vice"));
                if matches {
                    // Titles are in title case (`Remarks by President Biden Before Marine
                    // One Departure`): take the surname only, or the first and last name of
                    // a spouse's office (`First Lady Jill Biden`).
                    let words = if role.contains(&"Lady") || role.contains(&"Gentleman") {
                        2
                    } else {
                        1
                    };
                    let mut start = i + role.len();
                    // `President Joseph R. Biden, Jr.`: the surname follows the initial.
                    if words == 1
                        && run
                            .get(start + 1)
                            .is_some_and(|w| w.len() == 2 && w.ends_with('.'))
                        && run.len() > start + 2
                    {
                        start += 2;
                    }
                    let name = &run[start..run.len().min(start + words)];
                    return Some(format!("{} {}", role.join(" "), name.join(" ")));
                }
            }
        }
        return None;
    }
    if words.len() < 2 || !is_honorific(words[0]) {
        return None;
    }
    let surname = words[words.len() - 1];
    for run in names {
        if let Some(pos) = run.iter().rposition(|w| w.eq_ignore_ascii_case(surname)) {
            if pos >= 1 && !is_title_word(&run[pos - 1]) {
                // A middle initial (`John F. Kirby`) takes one more word.
                let start =
                    if pos >= 2 && run[pos - 1].ends_with('.') && !is_title_word(&run[pos - 2]) {
                        pos - 2
                    } else {
                        pos - 1
                    };
                return Some(run[start..=pos].join(" "));
            }
        }
    }
    None
}

/// Whether a label's first word is an honorific or an office (`Ms.`, `Secretary`, `Acting`).
fn is_honorific(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    words().honorifics.has(w) || words().role_words.has(w)
}

/// Words of offices that stand before a name in a title, never part of the name itself.
fn is_title_word(w: &str) -> bool {
    is_honorific(w) || words().title_words.has(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::labels;

    fn resolve(title: &str, paragraph: &str) -> Option<String> {
        Cast::from_title(title)
            .resolve(&labels::parse(paragraph).expect("a label"))
            .0
    }

    #[test]
    fn the_chair_is_the_presiding_officer_the_record_names() {
        let legco = "立法會會議過程正式紀錄\n\n出席議員：\n\n主席曾鈺成議員 , G.B.S., J.P.\n";
        let mut cast = Cast::new("立法會會議過程正式紀錄", legco);
        assert_eq!(
            cast.resolve(&labels::parse("主席：請坐。").unwrap())
                .0
                .as_deref(),
            Some("曾鈺成議員")
        );
        assert_eq!(
            cast.resolve(&labels::parse("全委會主席：請坐。").unwrap())
                .0
                .as_deref(),
            Some("曾鈺成議員")
        );
        let ly = "# 院會紀錄\n```json\n{\n    \"speaker\": \"王院長金平\"\n}\n```\n";
        let mut cast = Cast::new("院會紀錄", ly);
        assert_eq!(
            cast.resolve(&labels::parse("主席：現在開會。").unwrap())
                .0
                .as_deref(),
            Some("王金平")
        );
        let mut none = Cast::new("院會紀錄", "主席：現在開會。");
        assert_eq!(
            none.resolve(&labels::parse("主席：現在開會。").unwrap())
                .0
                .as_deref(),
            Some("主席")
        );
    }

    #[test]
    fn labels_resolve_to_the_people_the_title_names() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on July 8, 2019", "A: Yes.", Some("Geng Shuang")),
            ("Foreign Ministry Spokesperson Hua Chunying's Remarks on the Statement", "A: Yes.", Some("Hua Chunying")),
            ("2019年7月8日外交部发言人耿爽主持例行记者会", "答：是的。", Some("耿爽")),
            ("外交部发言人耿爽2月15日答记者问", "答：是的。", Some("耿爽")),
            ("外交部发言人陆慷答记者问", "答：是的。", Some("陆慷")),
            ("耿爽：中国政府决定向意大利派遣抗疫医疗专家组", "答：是的。", Some("耿爽")),
            ("外交部发言人答记者问", "答：是的。", None),
            ("2019年7月8日外交部发言人耿爽主持例行记者会", "问：请问？", None),
            ("Regular Press Conference", "Q: Why?", None),
            ("Press Briefing by Press Secretary Jen\u{a0}Psaki, January 4, 2022", "MS. PSAKI:\u{a0} Hi.", Some("Jen Psaki")),
            (
                "Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator for Strategic Communications John Kirby",
                "MS. JEAN-PIERRE:\u{a0} Hi.",
                Some("Karine Jean-Pierre"),
            ),
            (
                "Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator for Strategic Communications John Kirby",
                "MR. KIRBY:\u{a0} Thanks.",
                Some("John Kirby"),
            ),
            ("Remarks by President Biden and Vice President Harris on the Economy", "THE PRESIDENT:\u{a0} Folks.", Some("President Biden")),
            ("Remarks by President Biden and Vice President Harris on the Economy", "THE VICE PRESIDENT:\u{a0} Hi.", Some("Vice President Harris")),
            ("Remarks by the Vice President at a Rally", "THE PRESIDENT:\u{a0} Folks.", Some("The President")),
            ("Remarks by First Lady Jill Biden at a Reception", "THE FIRST LADY:\u{a0} Hello.", Some("First Lady Jill Biden")),
            ("Remarks by President Biden Before Marine One Departure", "THE PRESIDENT:\u{a0} Hi.", Some("President Biden")),
            ("Remarks by President Joseph R. Biden, Jr. on the Economy", "THE PRESIDENT:\u{a0} Hi.", Some("President Biden")),
            ("Remarks by Vice President Harris During a Moderated Conversation", "THE VICE PRESIDENT:\u{a0} Hi.", Some("Vice President Harris")),
            ("Press Gaggle by Press Secretary Jen Psaki", "MR. SULLIVAN:\u{a0} Thanks.", Some("Mr. Sullivan")),
            ("Press Gaggle by Press Secretary Jen Psaki", "AFP: A question.", Some("AFP")),
        ];
        for (title, paragraph, want) in cases {
            assert_eq!(
                resolve(title, paragraph).as_deref(),
                *want,
                "{title} / {paragraph}"
            );
        }
    }
}
