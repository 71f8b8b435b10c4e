//! HTML pages -> title, date and paragraphs of the main text.
//!
//! The page is parsed with a real HTML parser (html5ever, through scraper). The main text is the
//! first `<article>` or `<main>`, else `<body>`; navigation, headers, footers, asides, forms,
//! scripts and styles are dropped. Each block element (`<p>`, `<h1>`…`<h6>`, `<li>`,
//! `<blockquote>`…) becomes one paragraph, and each table row one paragraph of its cells; `<br>`
//! breaks a paragraph into lines.

use scraper::{ElementRef, Html, Node, Selector};

/// What a page holds.
pub struct Page {
    pub title: Option<String>,
    pub date: Option<String>,
    pub paragraphs: Vec<String>,
}

const SKIP: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "button",
    "iframe", "template", "select", "head", "menu", "dialog",
];
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "figcaption",
    "td",
    "th",
    "caption",
    "address",
];

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("a valid built-in selector")
}

/// The paragraphs of a piece of HTML inside another document (a table pasted into a markdown
/// transcript): each block element a paragraph, each table row one paragraph of its cells.
pub fn fragment(text: &str) -> Vec<String> {
    let html = Html::parse_fragment(text);
    let mut paragraphs = Vec::new();
    let mut loose = String::new();
    walk(html.root_element(), &mut paragraphs, &mut loose);
    flush(&mut paragraphs, &mut loose);
    paragraphs
}

pub fn parse(text: &str) -> Page {
    let html = Html::parse_document(text);
    let first_attr = |sel: &str, attr: &str| {
        html.select(&selector(sel))
            .find_map(|e| e.value().attr(attr).map(collapse))
            .filter(|s| !s.is_empty())
    };
    let first_text = |sel: &str| {
        html.select(&selector(sel))
            .map(|e| collapse(&e.text().collect::<String>()))
            .find(|s| !s.is_empty())
    };
    let title = first_attr("meta[property='og:title']", "content")
        .or_else(|| first_text("title"))
        .or_else(|| first_text("h1"));
    let date = first_attr("meta[property='article:published_time']", "content")
        .or_else(|| first_attr("meta[name='date']", "content"))
        .or_else(|| first_attr("meta[name='pubdate']", "content"))
        .or_else(|| first_attr("time[datetime]", "datetime"));
    let root = ["article", "main", "[role='main']", "body"]
        .iter()
        .find_map(|s| html.select(&selector(s)).next())
        .unwrap_or_else(|| html.root_element());
    let mut paragraphs = Vec::new();
    let mut loose = String::new();
    walk(root, &mut paragraphs, &mut loose);
    flush(&mut paragraphs, &mut loose);
    Page {
        title,
        date,
        paragraphs,
    }
}

fn walk(element: ElementRef, out: &mut Vec<String>, loose: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(t) => push_text(loose, t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if name == "br" {
                    loose.push('\n');
                } else if name == "tr" {
                    // A table row reads as one line: its cells, in order.
                    flush(out, loose);
                    let cells: Vec<String> = child
                        .children()
                        .filter_map(ElementRef::wrap)
                        .filter(|cell| matches!(cell.value().name(), "td" | "th"))
                        .map(|cell| {
                            let mut text = String::new();
                            block_text(cell, &mut text);
                            collapse(&text)
                        })
                        .filter(|text| !text.is_empty())
                        .collect();
                    if !cells.is_empty() {
                        out.push(cells.join(" | "));
                    }
                } else if BLOCKS.contains(&name) {
                    flush(out, loose);
                    let mut text = String::new();
                    block_text(child, &mut text);
                    for line in text.split('\n') {
                        let line = collapse(line);
                        if !line.is_empty() {
                            out.push(line);
                        }
                    }
                } else {
                    let inline = matches!(
                        name,
                        "a" | "span"
                            | "b"
                            | "strong"
                            | "i"
                            | "em"
                            | "u"
                            | "sup"
                            | "sub"
                            | "small"
                            | "mark"
                            | "abbr"
                            | "cite"
                            | "q"
                            | "time"
                            | "font"
                    );
                    if !inline {
                        flush(out, loose);
                    }
                    let bold = opens_line_in_bold(name, loose);
                    if bold {
                        loose.push_str("**");
                    }
                    walk(child, out, loose);
                    if bold {
                        loose.push_str("**");
                    }
                    if !inline {
                        flush(out, loose);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The text of a block, skipping what [`SKIP`] lists, with `<br>` as a line break.
fn block_text(element: ElementRef, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(t) => push_text(out, t),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            Node::Element(e) if SKIP.contains(&e.name()) => {}
            Node::Element(e) => {
                if let Some(child) = ElementRef::wrap(child) {
                    let block = BLOCKS.contains(&e.name()) || e.name() == "div";
                    if block {
                        out.push('\n');
                    }
                    let bold = opens_line_in_bold(e.name(), out);
                    if bold {
                        out.push_str("**");
                    }
                    block_text(child, out);
                    if bold {
                        out.push_str("**");
                    }
                    if block {
                        out.push('\n');
                    }
                }
            }
            _ => {}
        }
    }
}

/// Appends a text node. Its line breaks are white space, as a browser shows them: pages
/// converted from PDF keep the PDF's hard wraps inside a paragraph. Only `<br>` and block
/// elements break lines.
fn push_text(out: &mut String, text: &str) {
    out.extend(
        text.chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
    );
}

/// Whether a `<b>`/`<strong>` element opens a line of text: kept as markdown's `**…**`, since
/// a bold opening is how many transcripts set a speaker label (`<b>Mr Speaker:</b> I give my
/// consent`). Bold inside a sentence is dropped like any inline tag.
fn opens_line_in_bold(name: &str, text: &str) -> bool {
    matches!(name, "b" | "strong")
        && text
            .rsplit('\n')
            .next()
            .is_none_or(|line| line.chars().all(char::is_whitespace))
}

fn flush(out: &mut Vec<String>, loose: &mut String) {
    for line in loose.split('\n') {
        let line = collapse(line);
        if !line.is_empty() {
            out.push(line);
        }
    }
    loose.clear();
}

/// Collapses runs of whitespace (no-break spaces included) to one space and trims.
fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_the_page_around_it() {
        let page = parse(
            r#"<!doctype html><html><head><title>Zhao Lijian at the forum | News</title>
            <meta property="article:published_time" content="2021-11-20T08:30:00+08:00">
            <style>p { color: red }</style><script>var x = "Zhao Lijian: not speech";</script></head>
            <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <header>Site header</header>
            <article><h1>Zhao Lijian on telling the story</h1>
            <p>Zhao Lijian: Dear <b>friends</b>,&nbsp;welcome.</p>
            <p>It is an honour.<br>Thank you.</p>
            <ul><li>One point</li><li>Another point</li></ul>
            <div>Loose text in a div</div></article>
            <aside>You may also like</aside><footer>© 2021 News</footer></body></html>"#,
        );
        assert_eq!(
            page.title.as_deref(),
            Some("Zhao Lijian at the forum | News")
        );
        assert_eq!(page.date.as_deref(), Some("2021-11-20T08:30:00+08:00"));
        assert_eq!(
            page.paragraphs,
            [
                "Zhao Lijian on telling the story",
                "Zhao Lijian: Dear friends, welcome.",
                "It is an honour.",
                "Thank you.",
                "One point",
                "Another point",
                "Loose text in a div",
            ]
        );
    }

    #[test]
    fn bold_that_opens_a_line_stays_bold() {
        let page = parse(
            "<body><br><br><!-- Mr Lee -->&nbsp;&nbsp;<b>Mr Speaker:</b> I give my consent.<br><br>\
             <B>The Chairman</B>:&nbsp; Order.<p><b>HON. X.-</b> Yes, and <b>no</b>.</p></body>",
        );
        assert_eq!(
            page.paragraphs,
            [
                "**Mr Speaker:** I give my consent.",
                "**The Chairman**: Order.",
                "**HON. X.-** Yes, and no.",
            ]
        );
    }

    #[test]
    fn line_breaks_in_the_source_are_spaces() {
        let page = parse("<p>HON. X (Minister for Lands and\n\nMineral Resources).- Mr. Speaker,\nSir.</p><p>Next<br>line</p>");
        assert_eq!(
            page.paragraphs,
            [
                "HON. X (Minister for Lands and Mineral Resources).- Mr. Speaker, Sir.",
                "Next",
                "line"
            ]
        );
    }

    #[test]
    fn broken_markup_still_yields_text() {
        let page = parse("<p>赵立坚：中方<b>反对<p>第二段");
        // HTML's rules reopen the unclosed `<b>` in the second paragraph, which is bold from
        // its start.
        assert_eq!(page.paragraphs, ["赵立坚：中方反对", "**第二段**"]);
        assert!(parse("").paragraphs.is_empty());
    }
}
