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
pub const LABEL: &str = "label";
pub const ATTRIBUTION: &str = "attribution";
pub const ROLE: &str = "role";
pub const LANG: &str = "lang";
pub const DAY: &str = "day";
pub const PATH: &str = "path";
pub const TITLE: &str = "title";
pub const PARAGRAPH: &str = "paragraph";
pub const ROOT: &str = "root";
pub const FILE: &str = "file";
pub const KIND: &str = "kind";
pub const RECORD: &str = "record";
pub const SIZE: &str = "size";
pub const MTIME: &str = "mtime";
pub const HASH: &str = "hash";
pub const TEXT_HASH: &str = "text_hash";

/// The `kind` of the one document per indexed file that records its size, modification time
/// and content hash (the incremental manifest). Passages have no `kind`.
pub const FILE_RECORD: &str = "file";

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
    /// The label as the transcript writes it (`MS. PSAKI`, `答`); stored for hits, fast for
    /// the identity step.
    pub label: Field,
    /// Where the speaker came from ([`crate::transcript::Attribution`]); fast, for the
    /// identity step.
    pub attribution: Field,
    pub role: Field,
    pub lang: Field,
    /// The transcript's date as `YYYYMMDD`; absent when undated.
    pub day: Field,
    pub path: Field,
    pub title: Field,
    /// 0-based index of the passage in its file.
    pub paragraph: Field,
    /// Which of the index's roots the file is under (an index into `IndexMeta::roots`).
    pub root: Field,
    /// The file a passage or a file record comes from, as `root/relative path`: deleting this
    /// term removes everything a file contributed.
    pub file: Field,
    /// [`FILE_RECORD`] on file records.
    pub kind: Field,
    /// The file key again, on the file record only, to replace the record alone.
    pub record: Field,
    pub size: Field,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime: Field,
    pub hash: Field,
    /// [`super::text_hash`] of the passage's text: identical passages share it, and search
    /// lists them once (fast, to rank; indexed, to count the copies).
    pub text_hash: Field,
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
    b.add_text_field(LABEL, TextOptions::default().set_stored().set_fast("raw"));
    b.add_text_field(ATTRIBUTION, TextOptions::default().set_fast("raw"));
    b.add_text_field(ROLE, keyword.clone().set_stored().set_fast("raw"));
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
    b.add_u64_field(ROOT, NumericOptions::default().set_stored().set_fast());
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    b.add_text_field(FILE, key.clone().set_fast("raw"));
    b.add_text_field(KIND, key.clone());
    b.add_text_field(RECORD, key);
    for name in [SIZE, MTIME, HASH] {
        b.add_u64_field(name, NumericOptions::default().set_fast());
    }
    b.add_u64_field(
        TEXT_HASH,
        NumericOptions::default().set_fast().set_indexed(),
    );
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
            label: schema.get_field(LABEL)?,
            attribution: schema.get_field(ATTRIBUTION)?,
            role: schema.get_field(ROLE)?,
            lang: schema.get_field(LANG)?,
            day: schema.get_field(DAY)?,
            path: schema.get_field(PATH)?,
            title: schema.get_field(TITLE)?,
            paragraph: schema.get_field(PARAGRAPH)?,
            root: schema.get_field(ROOT)?,
            file: schema.get_field(FILE)?,
            kind: schema.get_field(KIND)?,
            record: schema.get_field(RECORD)?,
            size: schema.get_field(SIZE)?,
            mtime: schema.get_field(MTIME)?,
            hash: schema.get_field(HASH)?,
            text_hash: schema.get_field(TEXT_HASH)?,
        })
    }
}

/// tantivy stores only analyzer names: register ours on every index created or opened.
pub fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(EXACT_ANALYZER, analysis::exact_analyzer());
    tokenizers.register(WORDS_ANALYZER, analysis::words_analyzer());
}
