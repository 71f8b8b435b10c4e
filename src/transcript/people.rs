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

use super::labels::Label;

/// What the title tells about the people in a transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cast {
    /// The spokesperson hosting the briefing, who answers `A:` / `答：` and speaks the
    /// unlabelled announcements at the top.
    pub spokesperson: Option<String>,
    /// Runs of capitalized words in the title (`Press Secretary Jen Psaki`), to complete
    /// `Ms. Psaki` into `Jen Psaki`.
    names: Vec<Vec<String>>,
}

impl Cast {
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
        let mut names = Vec::new();
        let mut run: Vec<String> = Vec::new();
        for word in title.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
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
        Cast {
            spokesperson,
            names,
        }
    }

    /// The speaker a label stands for, or `None` for an anonymous questioner (or an anonymous
    /// answer when the title names no spokesperson).
    pub fn resolve(&self, label: &Label) -> Option<String> {
        if label.anonymous {
            return match label.role {
                super::Role::Answer => self.spokesperson.clone(),
                super::Role::Question => None,
            };
        }
        Some(
            self.complete(&label.name)
                .unwrap_or_else(|| label.name.clone()),
        )
    }

    /// `Ms. Psaki` -> `Jen Psaki`; `The President` -> `President Biden`.
    fn complete(&self, name: &str) -> Option<String> {
        let words: Vec<&str> = name.split_whitespace().collect();
        if let Some(role) = name.strip_prefix("The ") {
            // `The President` -> the first `President X` of the title that is not `Vice President X`.
            let role: Vec<&str> = role.split_whitespace().collect();
            for run in &self.names {
                for i in 0..run.len() {
                    let matches = run.len() > i + role.len()
                        && run[i..i + role.len()]
                            .iter()
                            .zip(&role)
                            .all(|(a, b)| a == b)
                        && (i == 0 || !(role[0] == "President" && run[i - 1] == "Vice"));
                    if matches {
                        return Some(format!("{} {}", role.join(" "), run[i + role.len()]));
                    }
                }
            }
            return None;
        }
        if words.len() < 2
            || !HONORIFICS.contains(&words[0].trim_end_matches('.').to_lowercase().as_str())
        {
            return None;
        }
        let surname = words[words.len() - 1];
        for run in &self.names {
            if let Some(pos) = run.iter().rposition(|w| w.eq_ignore_ascii_case(surname)) {
                if pos >= 1 && !is_title_word(&run[pos - 1]) {
                    // A middle initial (`John F. Kirby`) takes one more word.
                    let start =
                        if pos >= 2 && run[pos - 1].ends_with('.') && !is_title_word(&run[pos - 2])
                        {
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
}

/// Words that open a label made of an honorific or office and a surname.
const HONORIFICS: &[&str] = &[
    "mr",
    "ms",
    "mrs",
    "miss",
    "dr",
    "secretary",
    "ambassador",
    "administrator",
    "director",
    "general",
    "admiral",
    "senator",
    "governor",
    "mayor",
    "leader",
    "speaker",
    "representative",
    "commissioner",
    "chairman",
    "chair",
    "minister",
    "deputy",
    "special",
    "press",
    "acting",
    "professor",
    "judge",
    "justice",
    "lieutenant",
    "colonel",
    "captain",
    "coordinator",
    "counselor",
    "attorney",
    "surgeon",
    "advisor",
    "adviser",
    "agent",
    "chief",
    "sheriff",
];

/// Words of offices that stand before a name in a title, never part of the name itself.
fn is_title_word(w: &str) -> bool {
    matches!(
        w,
        "Secretary"
            | "Press"
            | "President"
            | "Vice"
            | "Ambassador"
            | "Administrator"
            | "Director"
            | "Advisor"
            | "Adviser"
            | "Coordinator"
            | "Communications"
            | "Spokesperson"
            | "Envoy"
            | "Special"
            | "Deputy"
            | "Senator"
            | "Governor"
            | "Leader"
            | "Minister"
            | "Council"
            | "Economic"
            | "Security"
            | "National"
            | "Official"
            | "Officials"
            | "Lady"
            | "Gentleman"
            | "Chair"
            | "Chairman"
            | "General"
            | "Admiral"
            | "Mr."
            | "Ms."
            | "Mrs."
            | "Dr."
            | "by"
            | "and"
            | "Strategic"
            | "Principal"
            | "Chief"
            | "Staff"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::labels;

    fn resolve(title: &str, paragraph: &str) -> Option<String> {
        Cast::from_title(title).resolve(&labels::parse(paragraph).expect("a label"))
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
