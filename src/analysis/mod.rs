//! Text -> tokens. One analysis for mixed English and Chinese text; no I/O.
//!
//! Text is cut into *script runs*: a run of letters and digits (any alphabetic script but Han),
//! or a run of Han characters; everything else (spaces, punctuation, symbols) separates tokens.
//! Before classification every character is folded ([`fold_char`]): full-width forms become
//! half-width, letters are lowercased, CJK compatibility ideographs become the unified
//! ideographs they are canonically equivalent to, and Traditional Chinese characters become
//! Simplified, so that `命運共同體` and `命运共同体` are the same tokens (and jieba, whose
//! dictionary is Simplified, segments Traditional text well).
//!
//! Two token streams come out of the same runs, one per index field:
//! - **exact** ([`exact_tokens`]): each letter/digit run is one token and each Han character is
//!   one token, with consecutive positions. A phrase query on this stream is exactly "these tokens
//!   appear consecutively", which is how podium defines phrase matching, so it needs no
//!   dictionary and never misses a Chinese substring that crosses a word boundary.
//! - **words** ([`words_analyzer`]): letter runs stemmed (English Snowball) and Han runs segmented
//!   by jieba in search mode. It is used for BM25 ranking only, never to decide what matches.
//!
//! Every token carries byte offsets into the original text (highlighting depends on them).
//!
//! **Clause boundaries** ([`is_clause_boundary`]): where the punctuation between two tokens ends a
//! clause (`，` `。` `、`, or `.` `,` followed by a space), the exact stream puts a
//! [`CLAUSE_MARK`] token, so a phrase, whose tokens must have consecutive positions, never spans
//! two clauses (`华为` does not match `访华，为两国`, issue 12). A query with a boundary in it
//! (`"合作、共赢"`) has the mark at that place, so it matches a boundary there, and only a
//! boundary (a mere gap in positions would also match any one token).

mod chinese;
mod compat_table;
mod t2s_table;
mod tokenizer;

pub use chinese::{is_compatibility, is_han, segment, to_unified};
pub use tokenizer::{exact_analyzer, words_analyzer, ExactTokenizer, Stems, WordsTokenizer};

use tantivy::tokenizer::Token;

/// Folds one character for matching: full-width ASCII forms (`Ａ`, `１`, `，`) to half-width, the
/// ideographic space to a space, compatibility ideographs to unified ones, Traditional to
/// Simplified, then lowercase. Multi-character lowercase forms (`İ`) keep their
/// first character so that folding never changes the number of characters.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let c = chinese::to_simplified(chinese::to_unified(c));
    if is_han(c) {
        return c; // no case
    }
    c.to_lowercase().next().unwrap_or(c)
}

/// What role a (folded) character plays in tokenization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// Part of a word: letters and digits of every script but Han.
    Word,
    /// A Han character (or kana): a token of its own in the exact stream.
    Han,
    /// Spaces, punctuation, symbols: between tokens.
    Separator,
}

pub fn classify(folded: char) -> CharClass {
    if folded.is_ascii() {
        if folded.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        }
    } else if is_han(folded) {
        CharClass::Han
    } else if folded.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

/// The exact stream's token for a clause boundary: punctuation, so never a letter/digit or Han
/// token. [`exact_tokens`] leaves it out and skips its position.
pub const CLAUSE_MARK: &str = "。";

/// Whether the separator `c` ends a clause, given the characters around it (`None` at the ends of
/// the text). All characters are as written, not folded. A clause boundary is (issue 12):
/// - one of the CJK marks `。，、；：？！…「」『』《》〈〉【】〔〕（）`;
/// - one of `, ; : . ? ! ( )` when followed by whitespace, the end of the text or a Han character,
///   or preceded by a Han character. So `3,000`, `10:30` and `U.S.` stay whole, and hyphens and
///   apostrophes are never boundaries.
pub fn is_clause_boundary(prev: Option<char>, c: char, next: Option<char>) -> bool {
    match c {
        '。' | '，' | '、' | '；' | '：' | '？' | '！' | '…' | '「' | '」' | '『' | '』' | '《'
        | '》' | '〈' | '〉' | '【' | '】' | '〔' | '〕' | '（' | '）' => true,
        ',' | ';' | ':' | '.' | '?' | '!' | '(' | ')' => {
            next.is_none_or(|n| n.is_whitespace() || is_han(n)) || prev.is_some_and(is_han)
        }
        _ => false,
    }
}

/// A maximal run of one class, with byte offsets into the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub class: CharClass,
    pub from: usize,
    pub to: usize,
    /// The run's folded text.
    pub folded: String,
    /// A clause boundary lies between the previous run and this one.
    pub after_boundary: bool,
}

/// Cuts text into letter/digit runs and Han runs (separators dropped, clause boundaries noted).
pub fn runs(text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut current: Option<Run> = None;
    let mut boundary = false;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let f = fold_char(c);
        let class = classify(f);
        match (&mut current, class) {
            (Some(run), cls) if run.class == cls && cls != CharClass::Separator => {
                run.to = i + c.len_utf8();
                run.folded.push(f);
            }
            (_, CharClass::Separator) => {
                out.extend(current.take());
                boundary |= is_clause_boundary(prev, c, chars.peek().map(|&(_, n)| n));
            }
            (_, cls) => {
                out.extend(current.take());
                current = Some(Run {
                    class: cls,
                    from: i,
                    to: i + c.len_utf8(),
                    folded: f.to_string(),
                    after_boundary: boundary && !out.is_empty(),
                });
                boundary = false;
            }
        }
        prev = Some(c);
    }
    out.extend(current);
    out
}

/// The exact stream: one token per letter/digit run and per Han character, positions 0, 1, 2…,
/// with one position skipped at each clause boundary (where the indexed stream has its
/// [`CLAUSE_MARK`]).
pub fn exact_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    for run in runs(text) {
        position += usize::from(run.after_boundary);
        match run.class {
            CharClass::Word => push_token(&mut tokens, &mut position, run.folded, run.from, run.to),
            CharClass::Han => {
                let originals = text[run.from..run.to].char_indices();
                for ((i, orig), folded) in originals.zip(run.folded.chars()) {
                    let from = run.from + i;
                    let to = from + orig.len_utf8();
                    push_token(&mut tokens, &mut position, folded.to_string(), from, to);
                }
            }
            CharClass::Separator => {}
        }
    }
    tokens
}

fn push_token(tokens: &mut Vec<Token>, position: &mut usize, text: String, from: usize, to: usize) {
    tokens.push(Token {
        offset_from: from,
        offset_to: to,
        position: *position,
        text,
        position_length: 1,
    });
    *position += 1;
}

/// Just the texts of the exact stream.
pub fn exact_terms(text: &str) -> Vec<String> {
    exact_tokens(text).into_iter().map(|t| t.text).collect()
}

/// The exact stream as `(position, text)`, for building queries: a phrase matches where its
/// tokens stand at these positions relative to each other, clause boundaries included.
pub fn exact_sequence(text: &str) -> Vec<(usize, String)> {
    exact_tokens(text)
        .into_iter()
        .map(|t| (t.position, t.text))
        .collect()
}

/// Stemmed English words of the letter/digit runs only, with offsets; Han runs are skipped, so
/// this never loads the Chinese dictionary. Used for query terms and for highlighting keywords.
pub fn latin_words(text: &str) -> Vec<Token> {
    let mut stems = Stems::default();
    let mut tokens = Vec::new();
    let mut position = 0;
    for run in runs(text) {
        if run.class == CharClass::Word {
            let mut word = run.folded;
            stems.stem_in_place(&mut word);
            push_token(&mut tokens, &mut position, word, run.from, run.to);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    #[track_caller]
    fn assert_token(tok: &Token, pos: usize, text: &str, from: usize, to: usize) {
        assert_eq!(
            (
                tok.position,
                tok.text.as_str(),
                tok.offset_from,
                tok.offset_to
            ),
            (pos, text, from, to)
        );
    }

    #[test]
    fn exact_tokens_cut_letters_and_han_with_offsets() {
        let toks = exact_tokens("Zhao said 中美关系, OK？");
        assert_eq!(toks.len(), 7);
        assert_token(&toks[0], 0, "zhao", 0, 4);
        assert_token(&toks[1], 1, "said", 5, 9);
        assert_token(&toks[2], 2, "中", 10, 13);
        assert_token(&toks[3], 3, "美", 13, 16);
        assert_token(&toks[5], 5, "系", 19, 22);
        // `, ` ends a clause: one position skipped.
        assert_token(&toks[6], 7, "ok", 24, 26);
    }

    #[test]
    fn exact_tokens_fold_width_and_case() {
        let toks = exact_tokens("ＣＯＶＩＤ－１９　疫情");
        let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["covid", "19", "疫", "情"]);
        assert_token(&toks[0], 0, "covid", 0, 15);
        assert_token(&toks[1], 1, "19", 18, 24);
    }

    #[test]
    fn apostrophes_and_digits_split_runs_the_same_way_on_both_sides() {
        assert_eq!(exact_terms("China’s 2019年"), ["china", "s", "2019", "年"]);
        assert_eq!(exact_terms("China's"), exact_terms("CHINA’S"));
    }

    #[test]
    fn traditional_and_simplified_fold_to_the_same_tokens() {
        assert_eq!(exact_terms("命運共同體"), exact_terms("命运共同体"));
        assert_eq!(
            exact_terms("立法會 衞生 臺灣"),
            exact_terms("立法会 卫生 台湾")
        );
        // Offsets stay on the original characters.
        let toks = exact_tokens("體");
        assert_token(&toks[0], 0, "体", 0, 3);
    }

    #[test]
    fn compatibility_ideographs_fold_in_both_streams_and_keep_offsets() {
        // 年 U+F98E, 度 U+FA01 (three bytes each), 報 U+2F857 (four bytes; 報 has three).
        let text = "本\u{F98E}\u{FA01}\u{2F857}告";
        assert_eq!(exact_terms(text), exact_terms("本年度报告"));
        let toks = exact_tokens(text);
        assert_token(&toks[3], 3, "报", 9, 13);
        assert_token(&toks[4], 4, "告", 13, 16);
        // jieba sees the unified characters, so it segments the same words.
        let words = |s: &str| {
            use tantivy::tokenizer::Tokenizer;
            let mut tokenizer = WordsTokenizer::default();
            let mut stream = tokenizer.token_stream(s);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert_eq!(words(text), words("本年度报告"));
        assert!(words(text).contains(&"年度".to_string()));
    }

    fn positions(text: &str) -> Vec<(String, usize)> {
        exact_tokens(text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[track_caller]
    fn assert_positions(text: &str, want: &[(&str, usize)]) {
        let want: Vec<(String, usize)> = want.iter().map(|&(t, p)| (t.into(), p)).collect();
        assert_eq!(positions(text), want, "{text:?}");
    }

    #[test]
    fn clause_boundaries_skip_one_position() {
        assert_positions(
            "访华，为两国",
            &[("访", 0), ("华", 1), ("为", 3), ("两", 4), ("国", 5)],
        );
        assert_positions("合作、共赢", &[("合", 0), ("作", 1), ("共", 3), ("赢", 4)]);
        // Several marks in a row are one boundary.
        assert_positions(
            "合作」、（共赢",
            &[("合", 0), ("作", 1), ("共", 3), ("赢", 4)],
        );
        assert_positions(
            "the war. Mentality aside",
            &[("the", 0), ("war", 1), ("mentality", 3), ("aside", 4)],
        );
        assert_positions("end.) Next", &[("end", 0), ("next", 2)]);
        // ASCII marks next to Han characters.
        assert_positions("中国,美国", &[("中", 0), ("国", 1), ("美", 3), ("国", 4)]);
        assert_positions("WTO.中国", &[("wto", 0), ("中", 2), ("国", 3)]);
        // Leading and trailing punctuation moves nothing.
        assert_positions("，中国。", &[("中", 0), ("国", 1)]);
    }

    #[test]
    fn numbers_abbreviations_hyphens_and_apostrophes_are_not_boundaries() {
        assert_positions(
            "3,000 at 10:30",
            &[("3", 0), ("000", 1), ("at", 2), ("10", 3), ("30", 4)],
        );
        // The last `.` is followed by a space: like a sentence end, a boundary (a query written
        // `"U.S. policy"` has it too).
        assert_positions("U.S. policy", &[("u", 0), ("s", 1), ("policy", 3)]);
        assert_positions(
            "one-China, China’s",
            &[("one", 0), ("china", 1), ("china", 3), ("s", 4)],
        );
        // `(` after a space and before a letter opens no clause; `)` before a space closes one.
        assert_positions(
            "talks (in Geneva) went",
            &[("talks", 0), ("in", 1), ("geneva", 2), ("went", 4)],
        );
        assert_positions("“War,” he said", &[("war", 0), ("he", 1), ("said", 2)]);
    }

    #[test]
    fn the_clause_boundary_rule() {
        let cases = [
            (Some('a'), '，', Some('b'), true),
            (None, '…', None, true),
            (Some('a'), ',', Some(' '), true),
            (Some('a'), ',', None, true),
            (Some('a'), '.', Some('中'), true),
            (Some('中'), ':', Some('1'), true),
            (Some('3'), ',', Some('0'), false),
            (Some('u'), '.', Some('s'), false),
            (Some('a'), '-', Some(' '), false),
            (Some('a'), '\'', Some('s'), false),
            (Some('a'), '"', Some(' '), false),
            (Some('a'), '．', Some(' '), false),
        ];
        for (prev, c, next, want) in cases {
            assert_eq!(
                is_clause_boundary(prev, c, next),
                want,
                "{prev:?} {c:?} {next:?}"
            );
        }
    }

    #[test]
    fn the_streaming_tokenizer_gives_the_same_tokens() {
        use tantivy::tokenizer::Tokenizer;
        let samples = [
            "Zhao said 中美关系, OK？",
            "ＣＯＶＩＤ－１９　疫情",
            "İstanbul 命運共同體 café",
            "",
            " —，。",
            "a1b2 c",
            "访华，为两国。合作」、（共赢",
            "the war. Mentality aside, 3,000 U.S. one-China (in Geneva) went.",
            "，中国,美国。WTO.中国 end.) Next",
        ];
        for s in samples {
            let mut tokenizer = ExactTokenizer;
            let mut stream = tokenizer.token_stream(s);
            let (mut streamed, mut marks) = (Vec::new(), Vec::new());
            while let Some(t) = stream.next() {
                if t.text == CLAUSE_MARK {
                    marks.push(t.position);
                } else {
                    streamed.push(t.clone());
                }
            }
            let collected = exact_tokens(s);
            // A mark in every gap of the collected positions, and nowhere else.
            let gaps: Vec<usize> = collected
                .windows(2)
                .filter(|w| w[1].position == w[0].position + 2)
                .map(|w| w[0].position + 1)
                .collect();
            assert_eq!(marks, gaps, "{s:?}");
            assert_eq!(streamed.len(), collected.len(), "{s:?}");
            for (a, b) in streamed.iter().zip(&collected) {
                assert_eq!(
                    (a.position, &a.text, a.offset_from, a.offset_to),
                    (b.position, &b.text, b.offset_from, b.offset_to),
                    "{s:?}"
                );
            }
        }
    }

    /// The words stream computed the slow, obvious way: runs, jieba on Han runs, and tantivy's
    /// own Stemmer filter on letter runs.
    fn reference_words(text: &str) -> Vec<(String, usize, usize)> {
        use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};
        let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut out = Vec::new();
        for run in runs(text) {
            match run.class {
                CharClass::Word => {
                    let mut stream = stemmer.token_stream(&run.folded);
                    stream.advance();
                    out.push((stream.token().text.clone(), run.from, run.to));
                }
                CharClass::Han => {
                    let starts: Vec<usize> = text[run.from..run.to]
                        .char_indices()
                        .map(|(i, _)| run.from + i)
                        .chain([run.to])
                        .collect();
                    let chars: Vec<char> = run.folded.chars().collect();
                    for (s, e) in segment(&run.folded) {
                        out.push((chars[s..e].iter().collect(), starts[s], starts[e]));
                    }
                }
                CharClass::Separator => {}
            }
        }
        out
    }

    #[test]
    fn the_words_stream_is_runs_jieba_and_snowball() {
        use tantivy::tokenizer::Tokenizer;
        let samples = [
            "Sanctions were imposed; the sanctioning continues, 2019 and 1st.",
            "中華人民共和國外交部發言人 said 命運共同體 is universally recognized",
            "ＣＯＶＩＤ－１９疫情防控 running runs ran",
            "İstanbul café naïve Ünïcödé ok a I",
            "",
            "，。—",
            "关于台湾问题，我们的立场是一贯的。Generously, happily, agreed.",
            "カタカナとひらがな、人々〇𠀀𪚥中文",
        ];
        // One tokenizer for all samples, twice over: the stem memo must not change anything.
        let mut tokenizer = WordsTokenizer::default();
        for s in samples.iter().chain(samples.iter()) {
            let mut stream = tokenizer.token_stream(s);
            let mut streamed = Vec::new();
            while stream.advance() {
                let t = stream.token();
                streamed.push((t.text.clone(), t.offset_from, t.offset_to));
            }
            assert_eq!(streamed, reference_words(s), "{s:?}");
        }
    }

    #[test]
    fn separators_only_give_no_tokens() {
        assert!(exact_tokens(" —，。!? ").is_empty());
        assert!(exact_tokens("").is_empty());
    }

    #[test]
    fn latin_words_are_stemmed_and_skip_han() {
        let toks = latin_words("Sanctions 制裁 imposed");
        let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["sanction", "impos"]);
        assert_token(&toks[1], 1, "impos", 17, 24);
    }

    #[test]
    fn every_token_slices_the_original_text() {
        let samples = [
            "ＡＢＣ中文ｄｅｆ",
            "İstanbul 命運共同體 café",
            "Q\u{a0}\u{a0}\u{a0} Thanks, Jen.",
            "　　答：你上周问过这个问题吧？（记者：没有。）",
        ];
        for s in samples {
            for t in exact_tokens(s) {
                let slice = &s[t.offset_from..t.offset_to];
                let refolded: String = slice.chars().map(fold_char).collect();
                assert_eq!(refolded, t.text, "in {s:?}");
            }
        }
    }
}
