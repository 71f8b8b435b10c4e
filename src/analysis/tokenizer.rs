//! The tantivy side of analysis: tokenizers registered on every index under fixed names.

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};

use super::{classify, fold_char, push_token as push, runs, segment, CharClass};

/// A token stream over tokens computed up front. Passages are short, so computing them eagerly
/// keeps the tokenizers simple without costing anything measurable.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// One token per letter/digit run and per Han character (see [`super::exact_tokens`]), streamed:
/// one reused token buffer, no allocation per token.
#[derive(Clone, Default)]
pub struct ExactTokenizer;

impl Tokenizer for ExactTokenizer {
    type TokenStream<'a> = ExactStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> ExactStream<'a> {
        ExactStream {
            chars: text.char_indices(),
            pending: None,
            token: Token::default(),
            next_position: 0,
        }
    }
}

pub struct ExactStream<'a> {
    chars: std::str::CharIndices<'a>,
    /// A character read past the end of the previous word.
    pending: Option<(usize, char)>,
    token: Token,
    next_position: usize,
}

impl TokenStream for ExactStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some((i, c)) = self.pending.take().or_else(|| self.chars.next()) else {
                return false;
            };
            let folded = fold_char(c);
            let class = classify(folded);
            if class == CharClass::Separator {
                continue;
            }
            self.token.text.clear();
            self.token.text.push(folded);
            self.token.offset_from = i;
            self.token.offset_to = i + c.len_utf8();
            if class == CharClass::Word {
                for (j, c) in self.chars.by_ref() {
                    let folded = fold_char(c);
                    if classify(folded) != CharClass::Word {
                        self.pending = Some((j, c));
                        break;
                    }
                    self.token.text.push(folded);
                    self.token.offset_to = j + c.len_utf8();
                }
            }
            self.token.position = self.next_position;
            self.token.position_length = 1;
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

/// Letter/digit runs as words, Han runs segmented by jieba. Stemming is a filter on top.
#[derive(Clone, Default)]
pub struct WordsTokenizer;

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        for run in runs(text) {
            match run.class {
                CharClass::Word => push(&mut tokens, run.folded, run.from, run.to),
                CharClass::Han => {
                    // Byte offset of every character of the run, plus the end.
                    let original = &text[run.from..run.to];
                    let mut starts: Vec<usize> =
                        original.char_indices().map(|(i, _)| run.from + i).collect();
                    starts.push(run.to);
                    let chars: Vec<char> = run.folded.chars().collect();
                    for (s, e) in segment(&run.folded) {
                        let word: String = chars[s..e].iter().collect();
                        push(&mut tokens, word, starts[s], starts[e]);
                    }
                }
                CharClass::Separator => {}
            }
        }
        VecTokenStream::new(tokens)
    }
}

/// Letter/digit runs only: English words without touching the Chinese dictionary.
#[derive(Clone, Default)]
pub(super) struct LatinTokenizer;

impl Tokenizer for LatinTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        for run in runs(text) {
            if run.class == CharClass::Word {
                push(&mut tokens, run.folded, run.from, run.to);
            }
        }
        VecTokenStream::new(tokens)
    }
}

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ExactTokenizer).build()
}

pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordsTokenizer)
        .filter(Stemmer::new(Language::English))
        .build()
}
