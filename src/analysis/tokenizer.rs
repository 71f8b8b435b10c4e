//! The tantivy side of analysis: tokenizers registered on every index under fixed names.

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};

use super::{exact_tokens, push_token as push, runs, segment, CharClass};

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

/// One token per letter/digit run and per Han character (see [`super::exact_tokens`]).
#[derive(Clone, Default)]
pub struct ExactTokenizer;

impl Tokenizer for ExactTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(exact_tokens(text))
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
