//! The tantivy schema: the only place field and analyzer names live.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
};
use tantivy::Index;

use crate::analysis;

pub const TEXT: &str = "text";
pub const EXACT: &str = "exact";
pub const WORDS: &str = "words";
pub const SPEAKER: &str = "speaker";
pub const SPEAKER_KEY: &str = "speaker_key";
pub const ROLE: &str = "role";
pub const LANG: &str = "lang";
pub const DAY: &str = "day";
pub const PATH: &str = "path";
pub const TITLE: &str = "title";
pub const PARAGRAPH: &str = "paragraph";

pub const EXACT_ANALYZER: &str = "podium_exact";
pub const WORDS_ANALYZER: &str = "podium_words";

/// Resolved field handles.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The passage as spoken, stored for display. Not indexed: `exact` and `words` index it.
    pub text: Field,
    /// Letter runs and single Han characters with positions: decides what matches.
    pub exact: Field,
    /// Stemmed English words and jieba words with frequencies: decides ranking.
    pub words: Field,
    /// Speaker as shown; a fast field for facets.
    pub speaker: Field,
    /// Keys of the speaker and of every alias ([`crate::transcript::aliases::key`]), for
    /// `--speaker` filters.
    pub speaker_key: Field,
    pub role: Field,
    pub lang: Field,
    /// The transcript's date as `YYYYMMDD`; absent when undated.
    pub day: Field,
    pub path: Field,
    pub title: Field,
    /// 0-based index of the passage in its file.
    pub paragraph: Field,
}

pub fn build() -> Schema {
    let mut b = Schema::builder();
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    b.add_text_field(TEXT, STORED);
    b.add_text_field(
        EXACT,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(EXACT_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    b.add_text_field(
        WORDS,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    b.add_text_field(SPEAKER, TextOptions::default().set_stored().set_fast("raw"));
    b.add_text_field(SPEAKER_KEY, keyword.clone());
    b.add_text_field(ROLE, keyword.clone().set_stored());
    b.add_text_field(LANG, keyword.clone().set_stored());
    b.add_u64_field(
        DAY,
        NumericOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored(),
    );
    b.add_text_field(PATH, keyword.set_stored().set_fast("raw"));
    b.add_text_field(TITLE, STORED);
    b.add_u64_field(PARAGRAPH, NumericOptions::default().set_stored().set_fast());
    b.build()
}

impl Fields {
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        Ok(Fields {
            text: schema.get_field(TEXT)?,
            exact: schema.get_field(EXACT)?,
            words: schema.get_field(WORDS)?,
            speaker: schema.get_field(SPEAKER)?,
            speaker_key: schema.get_field(SPEAKER_KEY)?,
            role: schema.get_field(ROLE)?,
            lang: schema.get_field(LANG)?,
            day: schema.get_field(DAY)?,
            path: schema.get_field(PATH)?,
            title: schema.get_field(TITLE)?,
            paragraph: schema.get_field(PARAGRAPH)?,
        })
    }
}

/// tantivy stores only analyzer names: register ours on every index created or opened.
pub fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(EXACT_ANALYZER, analysis::exact_analyzer());
    tokenizers.register(WORDS_ANALYZER, analysis::words_analyzer());
}
