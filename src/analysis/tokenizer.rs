//! The tantivy side of analysis: tokenizers registered on every index under fixed names.

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::{classify, fold_char, is_clause_boundary, segment, CharClass, CLAUSE_MARK};

/// One token per letter/digit run and per Han character, and a [`CLAUSE_MARK`] token at each
/// clause boundary between two tokens (see [`super::exact_tokens`]), streamed: two reused token
/// buffers, no allocation per token.
#[derive(Clone, Default)]
pub struct ExactTokenizer;

impl Tokenizer for ExactTokenizer {
    type TokenStream<'a> = ExactStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> ExactStream<'a> {
        ExactStream {
            chars: text.char_indices(),
            pending: None,
            prev: None,
            boundary: None,
            token: Token::default(),
            spare: Token::default(),
            holding: false,
            next_position: 0,
        }
    }
}

pub struct ExactStream<'a> {
    chars: std::str::CharIndices<'a>,
    /// A character read past the end of the previous word.
    pending: Option<(usize, char)>,
    /// The character before the one being read.
    prev: Option<char>,
    /// The first clause boundary passed since the previous token: its byte range.
    boundary: Option<(usize, usize)>,
    token: Token,
    /// The other buffer: while `holding`, the token read, to come after the clause mark.
    spare: Token,
    holding: bool,
    next_position: usize,
}

impl TokenStream for ExactStream<'_> {
    fn advance(&mut self) -> bool {
        if self.holding {
            self.holding = false;
            std::mem::swap(&mut self.token, &mut self.spare);
            return true;
        }
        loop {
            let Some((i, c)) = self.pending.take().or_else(|| self.chars.next()) else {
                return false;
            };
            let folded = fold_char(c);
            let class = classify(folded);
            if class == CharClass::Separator {
                if self.boundary.is_none() {
                    let next = self.chars.clone().next().map(|(_, n)| n);
                    if is_clause_boundary(self.prev, c, next) {
                        self.boundary = Some((i, i + c.len_utf8()));
                    }
                }
                self.prev = Some(c);
                continue;
            }
            self.token.text.clear();
            self.token.text.push(folded);
            self.token.offset_from = i;
            self.token.offset_to = i + c.len_utf8();
            self.prev = Some(c);
            if class == CharClass::Word {
                for (j, c) in self.chars.by_ref() {
                    let folded = fold_char(c);
                    if classify(folded) != CharClass::Word {
                        self.pending = Some((j, c));
                        break;
                    }
                    self.token.text.push(folded);
                    self.token.offset_to = j + c.len_utf8();
                    self.prev = Some(c);
                }
            }
            self.token.position_length = 1;
            if let (Some((from, to)), true) = (self.boundary.take(), self.next_position > 0) {
                // The mark first, at its own position; the token read comes next.
                self.token.position = self.next_position + 1;
                std::mem::swap(&mut self.token, &mut self.spare);
                self.holding = true;
                let mark = &mut self.token;
                mark.text.clear();
                mark.text.push_str(CLAUSE_MARK);
                mark.offset_from = from;
                mark.offset_to = to;
                mark.position = self.next_position;
                mark.position_length = 1;
                self.next_position += 2;
                return true;
            }
            self.token.position = self.next_position;
            self.next_position += 1;
            return true;
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Letter/digit runs as stemmed words, Han runs segmented by jieba (search mode), streamed. The
/// tokenizer owns its buffers and stem memo, and tantivy keeps one tokenizer per indexing thread,
/// so a passage costs no allocation beyond jieba's own.
#[derive(Clone, Default)]
pub struct WordsTokenizer {
    stems: Stems,
    han: HanRun,
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = WordsStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordsStream<'a> {
        self.han.clear();
        WordsStream {
            chars: text.char_indices(),
            pending: None,
            stems: &mut self.stems,
            han: &mut self.han,
            token: Token::default(),
            next_position: 0,
        }
    }
}

/// The Han run being emitted: its folded text, where each of its characters starts in the folded
/// and in the original text, and jieba's words as character ranges.
#[derive(Clone, Default)]
struct HanRun {
    folded: String,
    folded_starts: Vec<usize>,
    starts: Vec<usize>,
    words: Vec<(usize, usize)>,
    next: usize,
}

impl HanRun {
    fn clear(&mut self) {
        self.folded.clear();
        self.folded_starts.clear();
        self.starts.clear();
        self.words.clear();
        self.next = 0;
    }

    fn push(&mut self, at: usize, folded: char) {
        self.folded_starts.push(self.folded.len());
        self.starts.push(at);
        self.folded.push(folded);
    }

    /// Closes the run at byte `end` of the original text and segments it.
    fn segment(&mut self, end: usize) {
        self.folded_starts.push(self.folded.len());
        self.starts.push(end);
        self.words = segment(&self.folded);
        self.next = 0;
    }
}

pub struct WordsStream<'a> {
    chars: std::str::CharIndices<'a>,
    /// A character read past the end of the previous run, with its folded form and class.
    pending: Option<(usize, char, char, CharClass)>,
    stems: &'a mut Stems,
    han: &'a mut HanRun,
    token: Token,
    next_position: usize,
}

impl WordsStream<'_> {
    fn next_char(&mut self) -> Option<(usize, char, char, CharClass)> {
        self.pending.take().or_else(|| {
            let (i, c) = self.chars.next()?;
            let folded = fold_char(c);
            Some((i, c, folded, classify(folded)))
        })
    }

    fn emit(&mut self, from: usize, to: usize) -> bool {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.next_position;
        self.token.position_length = 1;
        self.next_position += 1;
        true
    }
}

impl TokenStream for WordsStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(&(s, e)) = self.han.words.get(self.han.next) {
                self.han.next += 1;
                let han = &*self.han;
                let (from, to) = (han.starts[s], han.starts[e]);
                self.token.text.clear();
                self.token
                    .text
                    .push_str(&han.folded[han.folded_starts[s]..han.folded_starts[e]]);
                return self.emit(from, to);
            }
            let Some((i, c, folded, class)) = self.next_char() else {
                return false;
            };
            match class {
                CharClass::Separator => {}
                CharClass::Word => {
                    self.token.text.clear();
                    self.token.text.push(folded);
                    let mut to = i + c.len_utf8();
                    while let Some(next) = self.next_char() {
                        if next.3 != CharClass::Word {
                            self.pending = Some(next);
                            break;
                        }
                        self.token.text.push(next.2);
                        to = next.0 + next.1.len_utf8();
                    }
                    self.stems.stem_in_place(&mut self.token.text);
                    return self.emit(i, to);
                }
                CharClass::Han => {
                    self.han.clear();
                    self.han.push(i, folded);
                    let mut to = i + c.len_utf8();
                    while let Some(next) = self.next_char() {
                        if next.3 != CharClass::Han {
                            self.pending = Some(next);
                            break;
                        }
                        self.han.push(next.0, next.2);
                        to = next.0 + next.1.len_utf8();
                    }
                    self.han.segment(to);
                }
            }
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// English Snowball stems, remembered. Words follow Zipf's law, so nearly every word of a passage
/// was stemmed before: a hash lookup instead of running the algorithm again. The stems are
/// frostem's, the crate behind tantivy's own `Stemmer` filter, so they are the same.
#[derive(Clone)]
pub struct Stems {
    stemmer: frostem::Stemmer,
    memo: FxHashMap<Box<str>, Box<str>>,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            memo: FxHashMap::default(),
        }
    }
}

impl Stems {
    /// Distinct words remembered before the memo starts over: a few MB per indexing thread.
    const CAPACITY: usize = 1 << 17;

    /// Replaces `word` (folded: lowercase) by its stem.
    pub fn stem_in_place(&mut self, word: &mut String) {
        // Snowball leaves words of one or two letters alone, and numbers.
        if word.len() <= 2 || word.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        let stem = match self.memo.get(word.as_str()) {
            Some(stem) => stem,
            None => {
                if self.memo.len() >= Self::CAPACITY {
                    self.memo.clear();
                }
                let stem: Box<str> = self.stemmer.stem(word).into();
                self.memo.entry(word.as_str().into()).or_insert(stem)
            }
        };
        if **stem != **word {
            word.clear();
            word.push_str(stem);
        }
    }
}

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ExactTokenizer).build()
}

pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordsTokenizer::default()).build()
}
