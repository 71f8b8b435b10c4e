//! Web-scrape noise: lines that are part of the page, not of anyone's speech (`See also …` links
//! inside the article, comment counters, share buttons, cookie and privacy banners, and the
//! "You may also like" tail after the article).

use std::sync::LazyLock;

use regex::Regex;

/// What to do with a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    /// Page furniture: drop this paragraph.
    Drop,
    /// The article is over: drop this paragraph and everything after it.
    End,
    /// Keep the paragraph with a trailing piece of furniture cut off.
    Trim(String),
    /// A page header or page number of a document converted from PDF: drop it, and let the
    /// text on either side join up again.
    PageBreak,
}

/// What a page header or page number line becomes (a private-use character: never whitespace,
/// never text), so that the paragraph splitter keeps the
/// break as a paragraph of its own, even inside a block of wrapped lines.
pub const PAGE_BREAK: &str = "\u{e000}";

/// A page header of a document converted from PDF (`立法會  ─  2013年 4月 17日` in LegCo
/// Hansard), or a line holding only a page number.
pub fn is_page_furniture(line: &str) -> bool {
    static PAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^(?:立法會|立法会)\s*[─—-]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^\d{1,5}$|",
            // Printed column and page markers of Hansard (`Column: 22`, `Page 2`), and a
            // page's date line (`10th Feb., 2021`, `30 April 1997`).
            r"(?i)^(?:column|col\.|page)\s*:?\s*\d{1,5}$|",
            r"^\d{1,2}\s*(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}$"
        ))
        .unwrap()
    });
    PAGE.is_match(line.trim().trim_matches('*').trim())
}

/// A stage direction on its own: `(Laughter.)`, `(Chorus of interjections)`, `[Mr Speaker in
/// the Chair]`, `> (laughter)`. Nobody's speech; the turn goes on after it.
pub fn is_stage_direction(paragraph: &str) -> bool {
    static DIRECTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:>\s*)?[(\[（][^()\[\]（）]{1,80}[)\]）]\.?$").unwrap());
    DIRECTION.is_match(paragraph.trim())
}

pub fn judge(paragraph: &str) -> Verdict {
    static DROP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i)^(?:see also\b|related:|read more\b|read also\b|also read\b|share this\b|share on\b|",
            r"click here\b|advertisement$|sponsored$|tags?:|posted in\b|filed under\b|",
            r"\d+\s+comments?$|comments?\s*\(\d+\)$|\(\d+\)\s*comments?$|leave a (?:comment|reply)\b|",
            r"by [\w.]+$|all rights reserved|copyright\b|©|",
            // Briefing furniture: the time line at the top and the END marker at the bottom.
            r"\d{1,2}:\d{2}\s*[ap]\.?m\.?(?:\s+[a-z]{2,4})?$|end(?:\s+\d{1,2}:\d{2}\s*[ap]\.?m\.?(?:\s+[a-z]{2,4})?)?$|",
            r"相关阅读|相關閱讀|延伸阅读|延伸閱讀|分享到|责任编辑|責任編輯|返回搜狐|点击进入|點擊進入)"
        ))
        .unwrap()
    });
    static END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:you may also like|you might also like|related (?:articles|posts|stories|news)|recommended (?:for you|articles|stories)|more (?:from|stories)\b|猜你喜欢|猜你喜歡|热门推荐|熱門推薦)",
        )
        .unwrap()
    });
    static BANNER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bcookies?\b.*\b(?:accept|consent|agree|privacy|settings|preferences|use of)\b|\b(?:accept|consent|agree)\b.*\bcookies?\b|^privacy policy\b|^terms of (?:use|service)\b").unwrap()
    });
    static TAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*(?:return to [\w .'-]{1,40}? to see more|返回搜狐，?查看更多)\s*$")
            .unwrap()
    });

    if is_page_furniture(paragraph) || paragraph == PAGE_BREAK {
        return Verdict::PageBreak;
    }
    if END.is_match(paragraph) {
        return Verdict::End;
    }
    let short = paragraph.chars().count() <= 300;
    if short && (DROP.is_match(paragraph) || BANNER.is_match(paragraph)) {
        return Verdict::Drop;
    }
    if let Some(m) = TAIL.find(paragraph) {
        let kept = paragraph[..m.start()].trim_end();
        return if kept.is_empty() {
            Verdict::Drop
        } else {
            Verdict::Trim(kept.to_string())
        };
    }
    Verdict::Keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_furniture_is_recognized() {
        let cases: &[(&str, Verdict)] = &[
            ("See also  Belarus, Olympics: criticizes the regime", Verdict::Drop),
            ("12 comments", Verdict::Drop),
            ("Comments (3)", Verdict::Drop),
            ("by admin", Verdict::Drop),
            ("We use cookies to improve your experience. By continuing you accept our use of cookies.", Verdict::Drop),
            ("Privacy Policy | Terms", Verdict::Drop),
            ("You may also like", Verdict::End),
            ("1:02 P.M. EST", Verdict::Drop),
            ("立法會 ─ 2013年 4月 17日", Verdict::PageBreak),
            ("5725", Verdict::PageBreak),
            ("Column: 22", Verdict::PageBreak),
            ("Page 2", Verdict::PageBreak),
            ("10th Feb., 2021", Verdict::PageBreak),
            ("30 April 1997", Verdict::PageBreak),
            ("END 1:40 P.M. EST", Verdict::Drop),
            ("END", Verdict::Drop),
            ("The end of the war is near.", Verdict::Keep),
            ("(Based on the live text)Return to Daily Wire to see more", Verdict::Trim("(Based on the live text)".into())),
            ("(According to the forum text live broadcast)Return to Sohu to see more", Verdict::Trim("(According to the forum text live broadcast)".into())),
            ("Zhao Lijian: Let me give you a few examples.", Verdict::Keep),
            ("We will see also whether the talks go ahead.", Verdict::Keep),
            ("Cookies were served at the reception, and the ministers agreed on the text.", Verdict::Keep),
        ];
        for (p, want) in cases {
            assert_eq!(&judge(p), want, "{p:?}");
        }
    }

    #[test]
    fn stage_directions_stand_alone() {
        for p in [
            "(Laughter.)",
            "(Chorus of interjections)",
            "[Mr Speaker in the Chair]",
            "> (laughter)",
            "（與會者皆無意見）",
        ] {
            assert!(is_stage_direction(p), "{p}");
        }
        for p in [
            "(Laughter.) And so we go on.",
            "The vote (as amended) passed.",
        ] {
            assert!(!is_stage_direction(p), "{p}");
        }
    }
}
