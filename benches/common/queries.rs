//! The query set of the latency benchmark, by class; the batch benchmark draws from it too.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    EnCommon,
    EnRare,
    EnKeywords,
    EnPhrase,
    ZhWord,
    ZhPhrase,
    ZhTraditional,
    Mixed,
    Filtered,
}

impl Class {
    pub const ALL: [Class; 9] = [
        Class::EnCommon,
        Class::EnRare,
        Class::EnKeywords,
        Class::EnPhrase,
        Class::ZhWord,
        Class::ZhPhrase,
        Class::ZhTraditional,
        Class::Mixed,
        Class::Filtered,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::EnCommon => "English keyword, common",
            Class::EnRare => "English keyword, rare",
            Class::EnKeywords => "English keywords (AND)",
            Class::EnPhrase => "English phrase",
            Class::ZhWord => "Chinese word",
            Class::ZhPhrase => "Chinese phrase or words AND",
            Class::ZhTraditional => "Traditional Chinese",
            Class::Mixed => "English + Chinese",
            Class::Filtered => "with --speaker/--from/--to",
        }
    }

    /// The language group the targets compare; mixed and filtered queries are in neither.
    pub fn group(self) -> Option<Group> {
        match self {
            Class::EnCommon | Class::EnRare | Class::EnKeywords | Class::EnPhrase => {
                Some(Group::English)
            }
            Class::ZhWord | Class::ZhPhrase | Class::ZhTraditional => Some(Group::Chinese),
            Class::Mixed | Class::Filtered => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    English,
    Chinese,
}

/// One query of the set, with its filters.
pub struct Spec {
    pub class: Class,
    pub query: &'static str,
    pub speakers: &'static [&'static str],
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
}

const fn q(class: Class, query: &'static str) -> Spec {
    Spec {
        class,
        query,
        speakers: &[],
        from: None,
        to: None,
    }
}

const fn filtered(
    query: &'static str,
    speakers: &'static [&'static str],
    from: Option<&'static str>,
    to: Option<&'static str>,
) -> Spec {
    Spec {
        class: Class::Filtered,
        query,
        speakers,
        from,
        to,
    }
}

/// Every query matched something in the index of the full shared corpus (551,901 passages)
/// when this was written; match counts in comments are from that index.
pub const QUERIES: &[Spec] = &[
    q(Class::EnCommon, "china"),     // 13,710
    q(Class::EnCommon, "president"), // 54,981
    q(Class::EnCommon, "we"),        // 123,309
    q(Class::EnCommon, "the"),       // 230,874
    q(Class::EnRare, "methane"),     // 194
    q(Class::EnRare, "hypersonic"),  // 31
    q(Class::EnRare, "fentanyl"),    // 349
    q(Class::EnRare, "iPhone"),      // 30
    q(Class::EnKeywords, "climate change"),
    q(Class::EnKeywords, "taiwan strait"),
    q(Class::EnKeywords, "supply chain resilience"),
    q(Class::EnKeywords, "inflation reduction act"),
    q(Class::EnKeywords, "ukraine russia"),
    q(Class::EnPhrase, "\"trade war\""),
    q(Class::EnPhrase, "\"community with a shared future\""),
    q(Class::EnPhrase, "\"one china principle\""),
    q(Class::EnPhrase, "\"build back better\""),
    q(Class::ZhWord, "中美"),       // 1,877
    q(Class::ZhWord, "气候变化"),   // 125
    q(Class::ZhWord, "命运共同体"), // 279
    q(Class::ZhWord, "中国"),       // 12,220
    q(Class::ZhWord, "的"),         // 105,905
    q(Class::ZhWord, "甲烷"),       // 6
    q(Class::ZhPhrase, "\"人类命运共同体\""),
    q(Class::ZhPhrase, "\"一带一路\""),
    q(Class::ZhPhrase, "\"中华民族伟大复兴\""),
    q(Class::ZhPhrase, "中美 贸易"),
    q(Class::ZhPhrase, "香港 国安法"),
    q(Class::ZhTraditional, "立法會"), // 12,755
    q(Class::ZhTraditional, "議員"),   // 30,223
    q(Class::ZhTraditional, "臺灣"),   // 6,361
    q(Class::ZhTraditional, "\"香港特別行政區\""),
    q(Class::ZhTraditional, "行政院"), // 10,687
    q(Class::Mixed, "WTO 规则"),
    q(Class::Mixed, "G20 峰会"),
    q(Class::Mixed, "5G 华为"),
    q(Class::Mixed, "WHO 世卫组织"),
    filtered("china", &["Zhao Lijian"], None, None),
    filtered("china", &["Jen Psaki", "Karine Jean-Pierre"], None, None),
    filtered("美国", &["赵立坚"], None, None),
    filtered("china", &[], Some("2021"), Some("2021")),
    filtered("命运共同体", &[], Some("2019-01"), Some("2020-06")),
    filtered(
        "president",
        &["President Biden"],
        Some("2022-03-01"),
        Some("2022-03-31"),
    ),
    filtered("立法會", &[], Some("2010"), Some("2012")),
    filtered("\"climate change\"", &["John Kirby"], Some("2022"), None),
];
