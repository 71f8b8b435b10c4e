//! Chinese: which characters are Han, compatibility ideographs -> unified ideographs,
//! Traditional -> Simplified folding, and word segmentation.
//!
//! The jieba dictionary takes a few hundred milliseconds to load, so it is loaded once per
//! process and only when a Han run actually needs segmenting (never for English-only text).

use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};

/// Han ideographs (CJK Unified Ideographs and their extensions, compatibility ideographs) and
/// Japanese kana: scripts written without spaces, tokenized one character at a time.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF      // Extension A
        | 0x4E00..=0x9FFF    // Unified Ideographs
        | 0xF900..=0xFAFF    // Compatibility Ideographs
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3005 | 0x3007    // 々 〇
        | 0x20000..=0x3134F  // Extensions B-G
    )
}

/// Maps a CJK compatibility ideograph (U+F900–U+FAFF, U+2F800–U+2FA1F) to the unified ideograph
/// it is canonically equivalent to (its NFC form: `U+F98E` -> `年`); every other character maps to
/// itself. Records converted from Big5/HKSCS write ordinary characters this way, and they look
/// identical on screen (issue 15). One character to one character: the table
/// ([`super::compat_table`]) is generated from Unicode's data and tested against it.
pub fn to_unified(c: char) -> char {
    if !is_compatibility(c) {
        return c;
    }
    let table = super::compat_table::COMPAT;
    match table.binary_search_by_key(&c, |&(k, _)| k) {
        Ok(i) => table[i].1,
        Err(_) => c,
    }
}

/// The two blocks of CJK compatibility ideographs.
pub fn is_compatibility(c: char) -> bool {
    matches!(c as u32, 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// Maps a Traditional character (or a Hong Kong / Taiwan variant form) to its Simplified form;
/// every other character maps to itself. One character to one character, so folding never moves
/// offsets: the table is OpenCC's, reduced to single characters ([`super::t2s_table`]).
pub fn to_simplified(c: char) -> char {
    match c as u32 {
        0..DENSE_FROM => c,
        code @ DENSE_FROM..DENSE_TO => dense_t2s()[(code - DENSE_FROM) as usize],
        _ => {
            let table = super::t2s_table::T2S;
            match table.binary_search_by_key(&c, |&(t, _)| t) {
                Ok(i) => table[i].1,
                Err(_) => c,
            }
        }
    }
}

/// Extension A and the Unified Ideographs, where nearly every Chinese character lives: a direct
/// table (108 KB) instead of a binary search, since every Han character of the corpus is folded
/// twice when indexing.
const DENSE_FROM: u32 = 0x3400;
const DENSE_TO: u32 = 0xA000;

fn dense_t2s() -> &'static [char] {
    static DENSE: OnceLock<Box<[char]>> = OnceLock::new();
    DENSE.get_or_init(|| {
        let mut dense: Box<[char]> = (DENSE_FROM..DENSE_TO)
            .map(|code| char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        for &(t, s) in super::t2s_table::T2S {
            if (DENSE_FROM..DENSE_TO).contains(&(t as u32)) {
                dense[(t as u32 - DENSE_FROM) as usize] = s;
            }
        }
        dense
    })
}

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Segments a run of Han text into words in jieba's search mode (long words and the shorter words
/// inside them), as `(char_start, char_end)` ranges of `run`.
pub fn segment(run: &str) -> Vec<(usize, usize)> {
    jieba()
        .tokenize(run, TokenizeMode::Search, true)
        .into_iter()
        .map(|t| (t.start, t.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_folds_and_nothing_else_does() {
        for &(t, s) in super::super::t2s_table::T2S {
            assert_eq!(to_simplified(t), s, "{t}");
        }
        for c in [
            'a', '中', '国', '说', '㐀', '鿿', '\u{9fff}', '\u{a000}', '𠀀', 'ア',
        ] {
            assert_eq!(to_simplified(c), c, "{c}");
        }
        assert_eq!(to_simplified('國'), '国');
        assert_eq!(to_simplified('體'), '体');
    }

    /// The table against Unicode's own data, through a normalization crate: every code point of
    /// both blocks folds to its NFC form, which is always one character.
    #[test]
    fn every_compatibility_ideograph_folds_to_its_nfc_form() {
        use unicode_normalization::UnicodeNormalization;
        let mut changed = 0;
        for code in (0xF900..=0xFAFF).chain(0x2F800..=0x2FA1F) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let nfc: Vec<char> = std::iter::once(c).nfc().collect();
            assert_eq!(nfc.len(), 1, "U+{code:X} normalizes to one character");
            assert_eq!(to_unified(c), nfc[0], "U+{code:X}");
            changed += usize::from(nfc[0] != c);
        }
        // 460 in the first block, 542 in the second: a table that lost entries fails here.
        assert_eq!(changed, super::super::compat_table::COMPAT.len());
        assert_eq!(changed, 1002);
        for c in ['a', '年', '國', '𠀀', '\u{F8FF}', '\u{FB00}', '\u{2FA20}'] {
            assert_eq!(to_unified(c), c, "{c}");
        }
        assert_eq!(to_unified('\u{F98E}'), '年');
        assert_eq!(to_unified('\u{FA01}'), '度');
    }
}
