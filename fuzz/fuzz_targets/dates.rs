//! Date finders: `find_in_text`, `find_in_file_name`, `chinese_number`, plus `Date::parse_iso`
//! and `parse_bound` (user input).
//! Checks: no panic (including arithmetic overflow); every date found is a valid `Date` that
//! survives `to_number`/`from_number` and `Display`/`parse_iso`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podium::date::{self, Date};

fn check(d: Option<Date>) {
    if let Some(d) = d {
        assert_eq!(Date::new(d.year, d.month, d.day), Some(d));
        assert_eq!(Date::from_number(d.to_number()), Some(d));
        assert_eq!(Date::parse_iso(&d.to_string()), Some(d));
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(date::find_in_text(&text));
    check(date::find_in_file_name(&text));
    check(Date::parse_iso(&text));
    for end in [false, true] {
        if let Some(n) = date::parse_bound(&text, end) {
            check(Date::from_number(n));
            assert!(Date::from_number(n).is_some(), "parse_bound gave {n}");
        }
    }
    let _ = date::chinese_number(&text);
    // What real callers pass: runs of the numeral characters `find_in_text` captures between
    // 年, 月 and 日 (digits, full-width digits, Chinese numerals, spaces).
    let numeral = |c: char| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "〇零一二三四五六七八九十廿卅百".contains(c)
            || c.is_whitespace()
            || c == '\u{3000}'
    };
    for piece in text
        .split(|c: char| !numeral(c))
        .filter(|p| !p.is_empty())
        .take(16)
    {
        let _ = date::chinese_number(piece);
    }
});
