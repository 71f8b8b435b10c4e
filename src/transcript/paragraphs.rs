//! Body text -> paragraphs.
//!
//! Transcripts come in two layouts, and a file uses one of them:
//! - **one paragraph per line** (MFA transcripts: no blank lines at all), or
//! - **blocks separated by blank lines**, often hard-wrapped at ~72 columns (White House
//!   briefings, text pasted from web pages).
//!
//! A file is read as blocks when it has blank-line structure: at least two blocks, of six lines
//! or fewer on average. Inside a block, a line that opens with a speaker label still starts a new
//! paragraph. Wrapped lines are joined with a space, or with nothing between two Chinese
//! characters. Runs of spaces and no-break spaces fold to one space.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::labels;
use crate::analysis::is_han;
use crate::corpus::html;

/// A "blank" line may hold spaces, no-break spaces and ideographic spaces (web pages and PDF
/// extractions are full of them).
fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// Splits a body into normalized, non-empty paragraphs. Inline HTML tags (`<u>`,
/// `<span style=…>`) are dropped, keeping their text.
pub fn split(body: &str) -> Vec<String> {
    let lines = markdown_lines(body);
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in &lines {
        if is_blank(line) {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.as_ref());
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let nonblank: usize = blocks.iter().map(Vec::len).sum();
    let block_layout = blocks.len() >= 2 && nonblank <= blocks.len() * 6;

    let mut out = Vec::new();
    for block in blocks {
        if !block_layout {
            out.extend(block.iter().map(|l| normalize(l)));
            continue;
        }
        let mut paragraph: Vec<&str> = Vec::new();
        for line in block {
            if markdown_heading(line.trim_start()).is_some() {
                // A heading is one line (CommonMark's ATX headings): `### 唐鳳：` above the
                // speech it labels.
                if !paragraph.is_empty() {
                    out.push(join(&paragraph));
                    paragraph.clear();
                }
                out.push(normalize(line));
                continue;
            }
            let previous = paragraph.last().map(|l| l.trim_end());
            if previous.is_some_and(|p| starts_turn(p, line)) {
                out.push(join(&paragraph));
                paragraph.clear();
            }
            paragraph.push(line);
        }
        if !paragraph.is_empty() {
            out.push(join(&paragraph));
        }
    }
    // Inline tags after joining: a wrapped line may cut one in two.
    out.retain(|p| !p.is_empty());
    for paragraph in &mut out {
        if let Cow::Owned(stripped) = strip_inline_tags(paragraph) {
            *paragraph = stripped;
        }
    }
    out
}

/// Lines with markdown furniture removed: fenced code blocks (metadata such as the Legislative
/// Yuan's ```json blocks) are dropped, list markers (`* 主席：`) are cut. Headings keep their `#`:
/// [`markdown_heading`] recognizes them later. A block of HTML (a table the Legislative Yuan's
/// records paste in) is read as HTML: it becomes its paragraphs.
fn markdown_lines(body: &str) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    let mut fenced = false;
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if !fenced && starts_html_block(trimmed) {
            // CommonMark: the block runs to the next blank line.
            let mut block = line.to_string();
            while let Some(next) = lines.next_if(|l| !is_blank(l)) {
                block.push('\n');
                block.push_str(next);
            }
            for paragraph in html::fragment(&block) {
                out.extend([Cow::Borrowed(""), Cow::Owned(paragraph)]);
            }
            out.push(Cow::Borrowed(""));
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            out.push(Cow::Borrowed(""));
            continue;
        }
        if fenced {
            continue;
        }
        if super::noise::is_page_furniture(line) {
            // A page break inside a paragraph: its own paragraph, which the splitter turns into
            // a join of the text on either side.
            out.extend(["", super::noise::PAGE_BREAK, ""].map(Cow::Borrowed));
            continue;
        }
        let unlisted = trimmed
            .strip_prefix("* ")
            .or_else(|| trimmed.strip_prefix("+ "))
            .or_else(|| trimmed.strip_prefix("- "));
        out.push(Cow::Borrowed(unlisted.unwrap_or(line)));
    }
    out
}

/// Whether a line opens an HTML block (CommonMark's kind 6: `<table`, `<p …>`, `</div>`…).
fn starts_html_block(trimmed: &str) -> bool {
    // Headings (`h1`…`h6`) are matched apart.
    #[rustfmt::skip]
    const BLOCK_TAGS: &[&str] = &[
        "address", "article", "aside", "blockquote", "body", "caption", "center", "col",
        "colgroup", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "form",
        "header", "hr", "html", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    ];
    let Some(rest) = trimmed.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let (name, after) = rest.split_at(name_end);
    let heading = matches!(name.as_bytes(), [b'h' | b'H', b'1'..=b'6']);
    (heading || BLOCK_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)))
        && (after.is_empty() || after.starts_with([' ', '\t', '>', '/']))
}

/// Drops inline HTML tags from a line of text, keeping what they enclose.
fn strip_inline_tags(line: &str) -> Cow<'_, str> {
    static INLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)</?(?:a|abbr|b|br|cite|em|font|i|mark|small|span|strong|sub|sup|u)(?:\s[^<>]*)?/?>")
            .expect("a valid pattern")
    });
    if !line.contains('<') {
        return Cow::Borrowed(line);
    }
    INLINE.replace_all(line, "")
}

/// A markdown heading (`## 報告事項`): its text.
pub fn markdown_heading(paragraph: &str) -> Option<&str> {
    let rest = paragraph.trim_start_matches('#');
    let level = paragraph.len() - rest.len();
    ((1..=6).contains(&level) && rest.starts_with(' ')).then(|| rest.trim())
}

/// Whether `line`, inside a block of wrapped lines after `previous`, opens a new turn. In
/// hard-wrapped prose a line can begin with `American families: …` mid-sentence, so a label in
/// mixed case only counts after a line that ended a sentence; labels in capitals (`MS. PSAKI:`)
/// and Chinese labels always count.
fn starts_turn(previous: &str, line: &str) -> bool {
    let Some(label) = labels::parse(line) else {
        return false;
    };
    let head = &line[..label.body_start];
    let strong = !head.chars().any(char::is_lowercase) || head.chars().any(crate::analysis::is_han);
    strong || previous.ends_with(['.', '?', '!', '"', '”', ')', '。', '？', '！'])
}

/// Joins wrapped lines: no space between two Han characters, one space otherwise.
fn join(lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = normalize(line);
        if line.is_empty() {
            continue;
        }
        let tight =
            out.chars().last().is_some_and(is_han) && line.chars().next().is_some_and(is_han);
        if !out.is_empty() && !tight {
            out.push(' ');
        }
        out.push_str(&line);
    }
    out
}

/// Trims a line (ideographic spaces included) and folds runs of spaces, tabs and no-break spaces
/// to one space.
fn normalize(line: &str) -> String {
    let line = line.trim_matches(char::is_whitespace);
    // Most lines have nothing to fold.
    if !line.contains(['\t', '\u{a0}', '\u{2009}', '\u{202f}']) && !line.contains("  ") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if matches!(c, ' ' | '\t' | '\u{a0}' | '\u{2009}' | '\u{202f}') {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_paragraph_per_line_without_blank_lines() {
        let body = "　　问：第一个问题？\n　　答：第一个回答。\nQ: Second\n";
        assert_eq!(
            split(body),
            ["问：第一个问题？", "答：第一个回答。", "Q: Second"]
        );
    }

    #[test]
    fn blocks_separated_by_blank_lines_are_joined() {
        let body = " \nMS. PSAKI:\u{a0} Hi, everyone.\u{a0} Happy New\nYear!\u{a0} \n\u{a0} \nQ\u{a0}\u{a0}\u{a0} (Inaudible.)  \n\u{a0} \nThis is one\nparagraph, wrapped.\n";
        assert_eq!(
            split(body),
            [
                "MS. PSAKI: Hi, everyone. Happy New Year!",
                "Q (Inaudible.)",
                "This is one paragraph, wrapped."
            ]
        );
    }

    #[test]
    fn chinese_wrapped_lines_join_without_space() {
        let body =
            "主席：請各位議員繼續\n站立，待行政長官進入會議廳。\n\n梁國雄議員：主席，我聽到\n";
        assert_eq!(
            split(body),
            [
                "主席：請各位議員繼續站立，待行政長官進入會議廳。",
                "梁國雄議員：主席，我聽到"
            ]
        );
    }

    #[test]
    fn page_headers_inside_a_block_become_breaks() {
        let body = "主席：各位議員，今天\n立法會  ─  2013年 4月 17日\n5725\n我們繼續辯論。\n\n陳議員：好。\n";
        assert_eq!(
            split(body),
            [
                "主席：各位議員，今天",
                "\u{e000}",
                "\u{e000}",
                "我們繼續辯論。",
                "陳議員：好。"
            ]
        );
    }

    #[test]
    fn markdown_furniture_is_removed() {
        let body = "# 院會紀錄\n\n```json\n{\n  \"speaker\": \"王院長金平\"\n}\n```\n\n主席：現在開會。\n\n## 報告事項\n\n    * 洪委員玉欽：主席、各位同仁。\n";
        assert_eq!(
            split(body),
            [
                "# 院會紀錄",
                "主席：現在開會。",
                "## 報告事項",
                "洪委員玉欽：主席、各位同仁。"
            ]
        );
        assert_eq!(markdown_heading("## 報告事項"), Some("報告事項"));
        assert_eq!(markdown_heading("#hashtag"), None);
    }

    #[test]
    fn html_in_the_text_is_read_as_html() {
        let body = "主席：請看下表。\n\n    <table WIDTH=\"820\">\n\t\t<tr>\n\t\t\t<td STYLE=\"border-top: 1px solid #000000\">\n\t\t\t\t<p ALIGN=\"CENTER\">航線</p>\n\t\t\t</td>\n\t\t\t<td><p><font FACE=\"Times\"><span LANG=\"en-US\">95</span></font>年度</p></td>\n\t\t</tr>\n\t\t<tr><td>台北－高雄</td><td>265.1</td></tr>\n\t</table>\n\n<p>第二段，<u>修正</u>通過。</p>\n\nWe <span\nstyle=\"text-decoration: underline\">must</span> act if a < b and c > d.\n";
        assert_eq!(
            split(body),
            [
                "主席：請看下表。",
                "航線 | 95年度",
                "台北－高雄 | 265.1",
                "第二段，修正通過。",
                "We must act if a < b and c > d."
            ]
        );
        assert!(!starts_html_block("<tablet>"));
        assert!(!starts_html_block("<中美关系>"));
        assert!(starts_html_block("</TD>"));
    }

    #[test]
    fn a_capitalized_word_and_colon_mid_sentence_is_not_a_label() {
        let body = "And it matters to every\nAmerican: your healthcare.\n\nMS. PSAKI: Thanks.\n";
        assert_eq!(
            split(body),
            [
                "And it matters to every American: your healthcare.",
                "MS. PSAKI: Thanks."
            ]
        );
    }

    #[test]
    fn a_label_inside_a_block_starts_a_paragraph() {
        let body = "Q: One?\nA: Two.\n\nMore text\nhere.\n";
        assert_eq!(split(body), ["Q: One?", "A: Two.", "More text here."]);
    }
}
