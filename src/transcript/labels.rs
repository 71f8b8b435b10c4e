//! Speaker labels: does a paragraph open with `Name:` / `名字：`, and who is speaking?
//!
//! Recognition is conservative, because a false speaker pollutes the speaker facet for every
//! later paragraph of the turn: a label is short, has no digits-only words (`Between 00:00`), no
//! sentence punctuation, and its words look like a name, a role or an outlet (`I only want to
//! stress one point:` does not). Conventions are documented with examples in the tests below.

use std::sync::LazyLock;

use regex::Regex;

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

/// A speaker label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The speaker's name as podium shows it (`Zhao Lijian`, `Ms. Psaki`, `赵立坚`, `Q`).
    pub name: String,
    pub role: Role,
    /// No name: an anonymous question (`Q:`, `问：`, `Journalist:`), or an anonymous answer
    /// (`A:`, `答：`) whose person is the transcript's spokesperson.
    pub anonymous: bool,
    /// Byte offset in the paragraph where the spoken text starts.
    pub body_start: usize,
}

/// Longest label podium accepts, in characters (long role descriptions included).
const MAX_LABEL_CHARS: usize = 160;
/// Longest Chinese label, in characters.
const MAX_HAN_LABEL_CHARS: usize = 20;

/// Parses the label that opens `paragraph`, if any.
pub fn parse(paragraph: &str) -> Option<Label> {
    let start = paragraph.len() - paragraph.trim_start().len();
    let mut rest = &paragraph[start..];
    let mut offset = start;
    // Numbered turns in legislative records: `2. 毛孟靜議員：`.
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}\.\s*").unwrap());
    if let Some(m) = NUMBERED.find(rest) {
        if rest[m.end()..].starts_with(is_han) {
            offset += m.end();
            rest = &rest[m.end()..];
        }
    }
    if let Some(label) = bare_q(rest) {
        return Some(Label {
            body_start: offset + label.body_start,
            ..label
        });
    }
    let (colon, colon_len) = rest
        .char_indices()
        .take(MAX_LABEL_CHARS + 1)
        .find(|(_, c)| *c == ':' || *c == '：')
        .map(|(i, c)| (i, c.len_utf8()))?;
    let after = &rest[colon + colon_len..];
    if colon_len == 1 && after.starts_with(|c: char| c.is_ascii_digit() || c == '/') {
        return None; // `10:30`, `https://`
    }
    let text = rest[..colon].trim_matches(|c: char| c.is_whitespace());
    let (name, role, anonymous) = if text.chars().any(is_han) {
        chinese(text)?
    } else {
        english(text)?
    };
    let body = after.trim_start_matches(|c: char| c.is_whitespace());
    Some(Label {
        name,
        role,
        anonymous,
        body_start: offset + colon + colon_len + (after.len() - body.len()),
    })
}

/// The label for a speaker named by a structured format (a JSON `speaker` field): recognized as
/// a label would be (`Q` is a question, `A` the spokesperson's answer), else taken as it is.
pub fn for_name(name: &str) -> Label {
    let probe = format!("{}: .", name.trim());
    match parse(&probe) {
        Some(label) if label.body_start == probe.len() - 1 => Label {
            body_start: 0,
            ..label
        },
        _ => Label {
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            role: Role::Answer,
            anonymous: false,
            body_start: 0,
        },
    }
}

/// Whether `paragraph` opens with a heading label (`程序委員會意見：`, `說明：`, `Original title:`):
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
    let label = p[..colon].trim();
    CHINESE_HEADINGS.contains(&label) || ENGLISH_HEADINGS.contains(&label.to_lowercase().as_str())
}

/// A numbered agenda item in a Chinese record (`1. 宣讀本院…`): a heading, not speech.
pub fn is_agenda_item(paragraph: &str) -> bool {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}\.\s*\p{Han}").unwrap());
    ITEM.is_match(paragraph.trim_start()) && parse(paragraph).is_none()
}

/// English lead-ins that open a document section rather than speech.
const ENGLISH_HEADINGS: &[&str] = &[
    "original title",
    "source",
    "editor's note",
    "tags",
    "related",
    "attachment",
    "attachments",
];

/// The chair's labels in legislative records: the presiding officer, whose name the record's
/// header gives.
pub const CHAIR_LABELS: &[&str] = &["主席", "全委會主席", "全委会主席"];

/// The White House's question marker: a bare `Q` followed by spaces (often no-break spaces).
fn bare_q(s: &str) -> Option<Label> {
    let after = s.strip_prefix('Q')?;
    let body = after.trim_start_matches([' ', '\u{a0}', '\t']);
    if body.len() == after.len() || body.is_empty() {
        return None;
    }
    Some(Label {
        name: "Q".into(),
        role: Role::Question,
        anonymous: true,
        body_start: s.len() - body.len(),
    })
}

/// Words that may stand lower-case inside a name or role (`Minister of Foreign Affairs`).
const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "on", "in", "at", "to", "de", "del", "la", "le", "von", "van",
    "der", "bin", "al", "da", "du", "y", "&",
];

/// Capitalized lead-ins that are not speakers.
const NOT_ENGLISH_SPEAKERS: &[&str] = &[
    "original title",
    "title",
    "note",
    "notes",
    "editor's note",
    "update",
    "updated",
    "source",
    "sources",
    "date",
    "time",
    "location",
    "venue",
    "place",
    "tags",
    "keywords",
    "summary",
    "background",
    "transcript",
    "attachment",
    "attachments",
    "photo",
    "photos",
    "video",
    "audio",
    "editor",
    "related",
    "see also",
    "share",
    "share this",
    "comments",
    "caption",
    "credit",
    "image",
    "subject",
    "re",
    "from",
    "to",
    "cc",
    "tel",
    "fax",
    "email",
    "e-mail",
    "address",
    "website",
    "url",
    "link",
    "links",
    "contact",
    "agenda",
    "topic",
    "topics",
    "finally",
    "first",
    "second",
    "third",
    "firstly",
    "secondly",
    "thirdly",
    "lastly",
    "however",
    "meanwhile",
    "also",
    "example",
    "examples",
    "warning",
    "important",
    "reminder",
    "disclaimer",
    "correction",
    "clarification",
    "yes",
    "no",
    "well",
    "so",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "posted",
    "published",
    "author",
    "by",
    "filed under",
    "category",
    "categories",
    "read more",
    "quote",
    "conclusion",
    "simply put",
    "in short",
    "in other words",
    "introduction",
    "remarks",
    "statement",
    "press release",
    "end",
    "p.s",
    "ps",
    "n.b",
    "nb",
    "i",
    "we",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "there",
    "here",
];

/// Labels that mark a question in English transcripts.
const ENGLISH_QUESTION: &[&str] = &[
    "q",
    "question",
    "journalist",
    "reporter",
    "follow-up",
    "follow up",
    "followup",
    "interviewer",
];

/// Labels that name a role but no one in particular (`SENIOR ADMINISTRATION OFFICIAL:`,
/// `MODERATOR:`): their passages have no speaker, like an anonymous question.
const ANONYMOUS_ROLES: &[&str] = &[
    "military aide",
    "senior administration official",
    "senior administration officials",
    "administration official",
    "senior official",
    "senior state department official",
    "senior defense official",
    "official",
    "moderator",
    "operator",
    "audience",
    "audience member",
    "audience members",
    "participant",
    "participants",
    "staff",
    "aide",
    "crowd",
    "unidentified speaker",
    "speaker",
    "interpreter",
    "announcer",
    "narrator",
    "male speaker",
    "female speaker",
    "voice",
];

/// Words that make a label a news outlet, whose label asks a question (`AFP:`, `China Daily:`).
const OUTLET_WORDS: &[&str] = &[
    "news",
    "agency",
    "press",
    "times",
    "post",
    "daily",
    "radio",
    "tv",
    "television",
    "broadcasting",
    "channel",
    "journal",
    "herald",
    "tribune",
    "network",
    "media",
    "reuters",
    "afp",
    "ap",
    "bloomberg",
    "cctv",
    "cctv4",
    "cgtn",
    "cnn",
    "bbc",
    "nhk",
    "kyodo",
    "xinhua",
    "yonhap",
    "tass",
    "ria",
    "sputnik",
    "efe",
    "ansa",
    "dpa",
    "phoenix",
    "paper",
    "asahi",
    "nikkei",
    "jazeera",
    "zaobao",
    "caixin",
    "welle",
    "economist",
    "guardian",
    "telegraph",
    "newsweek",
    "politico",
    "fox",
    "abc",
    "cbs",
    "nbc",
    "axios",
    "cri",
    "cnr",
    "rthk",
    "tvb",
    "prensa",
    "latina",
    "anadolu",
    "antara",
    "bernama",
    "pti",
    "ani",
    "itar-tass",
    "novosti",
    "shimbun",
    "mainichi",
    "yomiuri",
    "sankei",
    "jiji",
    "aap",
    "rfi",
    "voa",
    "dw",
    "france",
    "euronews",
    "pakistan",
    "zaobao",
    "wenweipo",
    "takungpao",
    "hkcnc",
];

/// Single-word role labels written in capitals that are words, not acronyms.
const ROLE_WORDS: &[&str] = &[
    "moderator",
    "operator",
    "aide",
    "audience",
    "participant",
    "participants",
    "president",
    "interpreter",
    "staff",
    "reporter",
    "journalist",
    "questioner",
    "official",
    "crowd",
    "attendee",
    "panelist",
    "speaker",
    "host",
    "chairman",
    "chair",
    "chairwoman",
    "narrator",
    "announcer",
    "secretary",
    "minister",
    "ambassador",
    "senator",
    "governor",
    "mayor",
];

fn english(label: &str) -> Option<(String, Role, bool)> {
    if label.chars().count() > MAX_LABEL_CHARS
        || label.contains(|c: char| "\"“”‘?!;()[]{}<>|=+*#@%…_".contains(c))
    {
        return None;
    }
    let (name, role_part) = match label.split_once(',') {
        Some((n, r)) => (n.trim(), Some(r.trim())),
        None => (label, None),
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    let digits_only = |w: &&str| w.chars().all(|c| c.is_ascii_digit() || c == '.');
    let capitalized =
        |w: &&str| w.chars().next().is_some_and(|c| c.is_uppercase()) || CONNECTORS.contains(w);
    if words.iter().any(digits_only) || !words[0].chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let name_ok = words.iter().all(capitalized)
        // One irregular-case name is in real data (`Hua chunying:`): two words, the first
        // capitalized, the second a lower-case word.
        || (words.len() == 2
            && capitalized(&words[0])
            && words[1].chars().all(|c| c.is_lowercase()));
    if !name_ok {
        return None;
    }
    if let Some(role) = role_part {
        let role_words: Vec<&str> = role.split_whitespace().collect();
        if role_words.is_empty() || role_words.len() > 20 || !role_words.iter().all(capitalized) {
            return None;
        }
    }
    let lower = name.to_lowercase();
    if NOT_ENGLISH_SPEAKERS.contains(&lower.as_str()) {
        return None;
    }
    if ENGLISH_QUESTION.contains(&lower.as_str()) {
        let name = if lower.starts_with("follow") || lower == "question" {
            "Q".into()
        } else {
            canonical_english(name)
        };
        return Some((name, Role::Question, true));
    }
    if ANONYMOUS_ROLES.contains(&lower.as_str()) {
        let role = if lower.starts_with("audience") || lower == "crowd" {
            Role::Question
        } else {
            Role::Answer
        };
        return Some((canonical_english(name), role, true));
    }
    if lower == "a" || lower == "answer" {
        return Some(("A".into(), Role::Answer, true));
    }
    let outlet = words
        .iter()
        .any(|w| OUTLET_WORDS.contains(&w.trim_end_matches(['.', ':']).to_lowercase().as_str()));
    let role = if outlet { Role::Question } else { Role::Answer };
    Some((canonical_english(name), role, false))
}

/// How a label is shown: whitespace collapsed; names written in capitals (`MS. JEAN-PIERRE`,
/// `THE PRESIDENT`) in title case, acronyms (`AFP`, `CCTV`) kept; lower-case words of a name
/// capitalized (`Hua chunying` -> `Hua Chunying`).
pub fn canonical_english(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let all_caps = !name.chars().any(char::is_lowercase);
    let acronym = words.len() == 1
        && words[0].chars().filter(|c| c.is_alphabetic()).count() <= 5
        && !ROLE_WORDS.contains(&words[0].to_lowercase().as_str());
    words
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

/// `JEAN-PIERRE` -> `Jean-Pierre`, `MS.` -> `Ms.`, `OF` -> `of`.
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
        start = c == '-' || c == '\'' || c == '’';
    }
    out
}

/// Chinese labels that are headings, form fields or attendance lists, never a person speaking.
/// What follows them is not the previous speaker's either.
const CHINESE_HEADINGS: &[&str] = &[
    "出席議員",
    "出席议员",
    "出席政府官員",
    "出席政府官员",
    "列席秘書",
    "列席秘书",
    "缺席議員",
    "列席官員",
    "功能團體",
    "功能团体",
    "地方選區",
    "地方选区",
    "註",
    "注",
    "程序委員會意見",
    "程序委员会意见",
    "提案人",
    "連署人",
    "联署人",
    "說明",
    "说明",
    "議事處意見",
    "议事处意见",
    "主旨",
    "受文者",
    "發文字號",
    "发文字号",
    "發文日期",
    "发文日期",
    "本案決議",
    "本案决议",
    "表決結果名單",
    "表决结果名单",
    "贊成者",
    "赞成者",
    "反對者",
    "反对者",
    "棄權者",
    "案由",
    "正本",
    "副本",
    "附件",
    "时间",
    "時間",
    "地点",
    "地點",
    "原标题",
    "原標題",
    "来源",
    "來源",
    "编者按",
    "編者按",
    "责任编辑",
    "責任編輯",
    "标题",
    "標題",
    "关键词",
    "關鍵詞",
    "备注",
    "備註",
    "决定",
    "決定",
    "电话",
    "電話",
    "地址",
    "网址",
    "網址",
    "日期",
    "主题",
    "主題",
    "议程",
    "議程",
    "事由",
    "附註",
    "本期賸餘",
    "本期剩余",
    "審查條文",
    "审查条文",
    "協商結論",
    "协商结论",
    "審查意見",
    "审查意见",
    "分享到",
    "相关阅读",
    "相關閱讀",
    "延伸阅读",
    "延伸閱讀",
    "摄影",
    "攝影",
    "图",
    "圖",
    "图片",
    "圖片",
    "作者",
    "编辑",
    "編輯",
];

/// Discourse lead-ins inside speech (`总之：`): not a new speaker.
const CHINESE_DISCOURSE: &[&str] = &[
    "总之",
    "總之",
    "例如",
    "比如",
    "另外",
    "此外",
    "其次",
    "首先",
    "最后",
    "最後",
    "第一",
    "第二",
    "第三",
    "一是",
    "二是",
    "三是",
    "总而言之",
    "我想说",
    "他说",
    "她说",
    "我说",
    "指出",
    "表示",
    "强调",
    "認為",
    "认为",
    "称",
    "稱",
];

/// Endings of a title or role: a label ending with one of them is a person speaking.
const CHINESE_ROLE_SUFFIXES: &[&str] = &[
    "议员",
    "議員",
    "主席",
    "局长",
    "局長",
    "司长",
    "司長",
    "部长",
    "部長",
    "院长",
    "院長",
    "发言人",
    "發言人",
    "大使",
    "总统",
    "總統",
    "总理",
    "總理",
    "首相",
    "秘书长",
    "秘書長",
    "行政长官",
    "行政長官",
    "委员长",
    "委員長",
    "署长",
    "署長",
    "主任",
    "市长",
    "市長",
    "审计长",
    "審計長",
    "书记",
    "書記",
    "外长",
    "外長",
    "国务卿",
    "國務卿",
    "主持人",
    "代表",
    "委员",
    "委員",
    "厅长",
    "廳長",
    "处长",
    "處長",
    "主委",
    "议长",
    "議長",
    "官员",
    "官員",
    "教授",
    "先生",
    "女士",
    "博士",
    "校长",
    "校長",
    "总干事",
    "總幹事",
    "秘书",
    "秘書",
    "召集人",
    "司令",
    "部長助理",
    "部长助理",
];

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

fn chinese(label: &str) -> Option<(String, Role, bool)> {
    let chars = label.chars().count();
    if chars > MAX_HAN_LABEL_CHARS || label.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    static AFTER_BRIEFING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new("^(会后|會後)[，,]?有?记者问及?$|^(会后|會後)[，,]?有?記者問及?$").unwrap()
    });
    if AFTER_BRIEFING.is_match(label) {
        return Some(("记者".into(), Role::Question, true));
    }
    if label.contains(|c: char| "，、。；？！“”（）()【】「」：:".contains(c)) {
        return None;
    }
    let name: String = label
        .chars()
        .filter(|c| !"《》〈〉 \u{a0}\u{3000}".contains(*c))
        .collect();
    match name.as_str() {
        "问" | "問" | "追问" | "追問" | "提问" | "提問" | "问题" | "問題" => {
            return Some(("问".into(), Role::Question, true))
        }
        "记者" | "記者" => return Some(("记者".into(), Role::Question, true)),
        "答" | "回答" => return Some(("答".into(), Role::Answer, true)),
        _ => {}
    }
    if (name.ends_with("记者") || name.ends_with("記者")) && name.chars().count() > 2 {
        return Some((name, Role::Question, false));
    }
    if CHINESE_HEADINGS.contains(&name.as_str()) || CHINESE_DISCOURSE.contains(&name.as_str()) {
        return None;
    }
    if let Some(c) = SURNAME_TITLE_GIVEN.captures(&name) {
        return Some((format!("{}{}", &c[1], &c[3]), Role::Answer, false));
    }
    for verb in ["宣布", "表示", "指出", "强调", "強調"] {
        if let Some(head) = name.strip_suffix(verb) {
            // `外交部发言人赵立坚宣布` -> 赵立坚; other `…表示` lead-ins are sentences.
            let m = SPOKESPERSON_LEAD_IN.find(head)?;
            let person = &head[m.end()..];
            return (2..=4)
                .contains(&person.chars().count())
                .then(|| (person.to_string(), Role::Answer, false));
        }
    }
    if name.ends_with(['说', '說', '称', '稱', '道']) {
        return None;
    }
    let role_title = CHINESE_ROLE_SUFFIXES.iter().any(|s| name.ends_with(s));
    let short_name =
        (2..=4).contains(&name.chars().count()) && name.chars().all(|c| is_han(c) || c == '·');
    let foreign_name = name.contains('·') && name.chars().count() <= 12;
    (role_title || short_name || foreign_name).then_some((name, Role::Answer, false))
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
            ("　　首先向大家通报一组数字：", None, ""),
            ("　　一、首先我向大家通报一组数字：", None, ""),
            ("程序委員會意見：", None, ""),
            ("提案人：", None, ""),
            ("功能團體：", None, ""),
            ("1.業務總收入：", None, ""),
            ("他说：我们反对。", None, ""),
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
}
