//! Calendar dates: the one date type podium uses, and the parsers that find dates in front matter,
//! file names and running text (English, Chinese, and the Republic of China calendar).
//!
//! No time zones and no times: a transcript has a day.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis;

/// A valid day of the Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Checks the day exists (leap years included) and the year is plausible for a transcript.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// `YYYYMMDD` as a number: sorts like the date, stored in the index.
    pub fn to_number(self) -> u64 {
        self.year as u64 * 10_000 + self.month as u64 * 100 + self.day as u64
    }

    pub fn from_number(n: u64) -> Option<Date> {
        Date::new(
            (n / 10_000) as i32,
            (n / 100 % 100) as u32,
            (n % 100) as u32,
        )
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::days`].
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date::new(year, month, day)
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.days() + 3).rem_euclid(7) as u32
    }

    /// The ISO 8601 week: (week-numbering year, week 1–53).
    pub fn iso_week(self) -> (i32, u32) {
        let thursday = Date::from_days(self.days() - i64::from(self.weekday()) + 3).unwrap_or(self);
        let jan1 = Date::new(thursday.year, 1, 1).unwrap_or(thursday);
        (
            thursday.year,
            ((thursday.days() - jan1.days()) / 7 + 1) as u32,
        )
    }

    /// Parses exactly `YYYY-MM-DD` (one-digit month and day accepted), with an optional time part
    /// (`2021-01-20T10:00:00Z`, `2021-01-20 19:50:00-05:00`) that is ignored.
    pub fn parse_iso(s: &str) -> Option<Date> {
        static ISO: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$").unwrap());
        let c = ISO.captures(s.trim())?;
        Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    }
}

impl serde::Serialize for Date {
    /// As `YYYY-MM-DD`, the form users type and JSON consumers expect.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An inclusive bound given by a user as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as a `YYYYMMDD`
/// number. `end` picks the last day of a year or month instead of the first.
pub fn parse_bound(s: &str, end: bool) -> Option<u64> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4..=4)? as i32;
    let date = match parts.len() {
        1 if end => Date::new(year, 12, 31),
        1 => Date::new(year, 1, 1),
        2 => {
            let month = num(parts[1], 1..=2)?;
            Date::new(
                year,
                month,
                if end { days_in_month(year, month) } else { 1 },
            )
        }
        3 => Date::new(year, num(parts[1], 1..=2)?, num(parts[2], 1..=2)?),
        _ => None,
    }?;
    Some(date.to_number())
}

/// A date in a file name: `2021-11-19`, `2021_11_19`, `20211119`. Digits that are part of a
/// longer run of digits do not count (`120211119` is an id, not a date).
pub fn find_in_file_name(name: &str) -> Option<Date> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^0-9])((?:19|20)\d{2})([-_.]?)(\d{2})([-_.]?)(\d{2})(?:[^0-9]|$)")
            .unwrap()
    });
    NAME.captures_iter(name).find_map(|c| {
        if c[2] != c[4] {
            return None; // `2021-1119` mixes separators: not a date.
        }
        Date::new(c[1].parse().ok()?, c[3].parse().ok()?, c[5].parse().ok()?)
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// The first full date written in `text`: `November 19, 2021`, `Nov. 19 2021`,
/// `19 November 2021`, `2021-11-19`, `2021年11月19日` (spaces and full-width digits allowed),
/// and the Republic of China calendar (`中華民國八十九年九月二十六日`, `民國95年5月26日`).
/// Dates without a year (`November 19`, `5月12日`) are not full dates. CJK compatibility
/// ideographs count as the characters they stand for (`2013年` written with U+F98E).
pub fn find_in_text(text: &str) -> Option<Date> {
    let text: Cow<str> = if text.chars().any(analysis::is_compatibility) {
        Cow::Owned(text.chars().map(analysis::to_unified).collect())
    } else {
        Cow::Borrowed(text)
    };
    // ASCII word boundaries and digits: Unicode `\b` keeps the regex crate off its fast
    // engines on Chinese text.
    static PATTERNS: LazyLock<Regex> = LazyLock::new(|| {
        let month = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
        let sp = r"[\s\u{3000}]*";
        let cn_num = r"[0-9０-９〇零一二三四五六七八九十廿卅百\s\u{3000}]+";
        Regex::new(&format!(
            concat!(
                r"(?P<mdy>(?-u:\b)(?P<m1>{month})\.?\s+(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>[0-9]{{4}})(?-u:\b))",
                r"|(?P<dmy>(?-u:\b)(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{month})\.?,?\s+(?P<y2>[0-9]{{4}})(?-u:\b))",
                r"|(?P<iso>(?-u:\b)(?P<y3>[0-9]{{4}})-(?P<m3>[0-9]{{1,2}})-(?P<d3>[0-9]{{1,2}})(?-u:\b))",
                r"|(?P<roc>(?:中華民國|中华民国|民國|民国){sp}(?P<y5>{cn})年{sp}(?P<m5>{cn})月{sp}(?P<d5>{cn})日)",
                r"|(?P<zh>(?P<y4>[0-9０-９]{{4}}){sp}年{sp}(?P<m4>[0-9０-９]{{1,2}}){sp}月{sp}(?P<d4>[0-9０-９]{{1,2}}){sp}[日号])",
            ),
            month = month,
            sp = sp,
            cn = cn_num,
        ))
        .unwrap()
    });
    for c in PATTERNS.captures_iter(&text) {
        let date = if c.name("mdy").is_some() {
            Date::new(
                c["y1"].parse().ok()?,
                month_number(&c["m1"])?,
                c["d1"].parse().ok()?,
            )
        } else if c.name("dmy").is_some() {
            Date::new(
                c["y2"].parse().ok()?,
                month_number(&c["m2"])?,
                c["d2"].parse().ok()?,
            )
        } else if c.name("iso").is_some() {
            Date::new(
                c["y3"].parse().ok()?,
                c["m3"].parse().ok()?,
                c["d3"].parse().ok()?,
            )
        } else if c.name("roc").is_some() {
            match (
                chinese_number(&c["y5"]),
                chinese_number(&c["m5"]),
                chinese_number(&c["d5"]),
            ) {
                (Some(y), Some(m), Some(d)) => Date::new(y as i32 + 1911, m, d),
                _ => None,
            }
        } else {
            match (
                chinese_number(&c["y4"]),
                chinese_number(&c["m4"]),
                chinese_number(&c["d4"]),
            ) {
                (Some(y), Some(m), Some(d)) => Date::new(y as i32, m, d),
                _ => None,
            }
        };
        if date.is_some() {
            return date;
        }
    }
    None
}

/// Reads a number written in ASCII or full-width digits or in Chinese numerals
/// (`八十九`, `一百零一`, `二十　　四`, `廿七`). Spaces inside are ignored: real records have them.
pub fn chinese_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    if chars.is_empty() {
        return None;
    }
    if chars
        .iter()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
    {
        return chars.iter().try_fold(0u32, |n, c| {
            let d = if c.is_ascii_digit() {
                *c as u32 - '0' as u32
            } else {
                *c as u32 - '０' as u32
            };
            n.checked_mul(10)?.checked_add(d)
        });
    }
    if chars.len() > 8 {
        return None; // no year, month or day is written with more
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c || (c == '零' && d == '〇'))
    };
    let (mut total, mut current) = (0u32, 0u32);
    for &c in &chars {
        match c {
            '十' => {
                total = total.checked_add(current.max(1).checked_mul(10)?)?;
                current = 0;
            }
            '百' => {
                total = total.checked_add(current.max(1).checked_mul(100)?)?;
                current = 0;
            }
            '廿' => total = total.checked_add(20)?,
            '卅' => total = total.checked_add(30)?,
            _ => {
                let d = digit(c)? as u32;
                // A bare run of digits (`一〇一`) is positional.
                current = current.checked_mul(10)?.checked_add(d)?;
            }
        }
    }
    total.checked_add(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<Date> {
        Date::new(y, m, day)
    }

    #[test]
    fn finds_dates_in_text() {
        let cases: &[(&str, Option<Date>)] = &[
            (
                "Press conference on November 19, 2021 in Beijing",
                d(2021, 11, 19),
            ),
            ("on Nov. 19 2021", d(2021, 11, 19)),
            ("Geneva, 19 November 2021.", d(2021, 11, 19)),
            ("1st March 2020", d(2020, 3, 1)),
            ("2021年11月19日外交部发言人主持例行记者会", d(2021, 11, 19)),
            ("立法會  ─  2013年 4月 17日  ", d(2013, 4, 17)),
            ("２０１９年７月８日", d(2019, 7, 8)),
            // 年 as U+F98E and 六 as U+F9D1, as Big5/HKSCS conversions write them.
            ("立法會 ─ 2013\u{F98E}4月17日", d(2013, 4, 17)),
            ("中華民國九十\u{F9D1}\u{F98E}五月一日", d(2007, 5, 1)),
            (
                "時　　間　中華民國八十九年九月二十六日（星期二）上午十時十五分",
                d(2000, 9, 26),
            ),
            (
                "時　　間　中華民國八十九年十一月二十　　四日（星期五）",
                d(2000, 11, 24),
            ),
            (
                "時 間 中華民國97年4月25日（星期五）上午10時2分",
                d(2008, 4, 25),
            ),
            ("中華民國一百零一年一月十九日", d(2012, 1, 19)),
            ("filed 2020-07-03 by", d(2020, 7, 3)),
            // No year: not a full date. An impossible date is skipped for the next one.
            ("On the morning of November 19, the forum opened", None),
            ("5月12日，当地时间3日下午", None),
            ("February 30, 2021 or March 1, 2021", d(2021, 3, 1)),
            (
                "Between 00:00 and 24:00, February 10, there were 381 cases",
                None,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(find_in_text(text), *want, "text: {text}");
        }
    }

    #[test]
    fn finds_dates_in_file_names() {
        let cases: &[(&str, Option<Date>)] = &[
            ("2021-11-19.txt", d(2021, 11, 19)),
            ("2019-04-29-2.txt", d(2019, 4, 29)),
            ("briefing_20211119.md", d(2021, 11, 19)),
            ("2022-05-06-press-gaggle.md", d(2022, 5, 6)),
            ("12-13-cm0417-translate-c.txt", None),
            ("3125.md", None),
            ("id120211119.txt", None),
            ("2021-13-01.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(find_in_file_name(name), *want, "name: {name}");
        }
    }

    #[test]
    fn parses_bounds() {
        assert_eq!(parse_bound("2020", false), Some(20200101));
        assert_eq!(parse_bound("2020", true), Some(20201231));
        assert_eq!(parse_bound("2020-02", true), Some(20200229));
        assert_eq!(parse_bound("2021-02", true), Some(20210228));
        assert_eq!(parse_bound("2021-02-03", true), Some(20210203));
        assert_eq!(parse_bound("2021-2-3", false), Some(20210203));
        assert_eq!(parse_bound("21", false), None);
        assert_eq!(parse_bound("2021-13", false), None);
        assert_eq!(parse_bound("yesterday", false), None);
    }

    #[test]
    fn reads_chinese_numbers() {
        for (s, n) in [
            ("八十九", 89),
            ("十", 10),
            ("十一", 11),
            ("二十　　四", 24),
            ("廿七", 27),
            ("一百零一", 101),
            ("95", 95),
            ("一〇一", 101),
        ] {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
        // Found by fuzzing: used to overflow.
        assert_eq!(chinese_number("七一七一一〇一七一一"), None);
        assert_eq!(find_in_text("中華民國七一七一一〇一七一一年一月一日"), None);
        assert_eq!(chinese_number("九九九九九九九九"), Some(99_999_999));
    }

    #[test]
    fn day_arithmetic_and_iso_weeks() {
        let date = d(2020, 4, 22).unwrap();
        assert_eq!(date.days(), 18374);
        assert_eq!(Date::from_days(18374), Some(date));
        assert_eq!(date.weekday(), 2, "a Wednesday");
        assert_eq!(date.iso_week(), (2020, 17));
        assert_eq!(d(2021, 1, 3).unwrap().iso_week(), (2020, 53));
        assert_eq!(d(2019, 12, 30).unwrap().iso_week(), (2020, 1));
        for n in [-1000, 0, 1, 10_000, 20_000, 50_000] {
            assert_eq!(
                Date::from_days(n).map(Date::days),
                Some(n).filter(|_| Date::from_days(n).is_some())
            );
        }
    }

    #[test]
    fn iso_accepts_time_suffix() {
        assert_eq!(Date::parse_iso("2021-01-20T10:00:00.000Z"), d(2021, 1, 20));
        assert_eq!(Date::parse_iso("'2021-01-20'"), None);
        assert_eq!(Date::parse_iso("2021-02-29"), None);
    }
}
