//! Text for people: search results, index summaries, speaker lists and parsed transcripts.
//! Colour only when asked (the caller decides from `--color`, the terminal and `NO_COLOR`).

use std::io::{self, Write};
use std::ops::Range;

use crate::index::identity::Person;
use crate::index::IndexReport;
use crate::search::{Facets, SearchResults};
use crate::transcript::Transcript;

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub(crate) fn rank(&self, t: &str) -> String {
        self.paint("1", t)
    }
    pub(crate) fn date(&self, t: &str) -> String {
        self.paint("32", t)
    }
    pub(crate) fn speaker(&self, t: &str) -> String {
        self.paint("1;36", t)
    }
    pub(crate) fn path(&self, t: &str) -> String {
        self.paint("35", t)
    }
    pub(crate) fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    pub(crate) fn bar(&self, t: &str) -> String {
        self.paint("36", t)
    }
    pub(crate) fn dim_text(&self, t: &str) -> String {
        self.paint("2", t)
    }
    pub(crate) fn rank_text(&self, t: &str) -> String {
        self.paint("1", t)
    }
    pub(crate) fn matched(&self, t: &str) -> String {
        self.paint("1;31", t)
    }
}

/// `text` with `ranges` marked: coloured, or left plain when colour is off.
pub fn highlighted(style: Style, text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&style.matched(&text[r.clone()]));
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

pub fn search(
    w: &mut dyn Write,
    style: Style,
    results: &SearchResults,
    facet_limit: usize,
) -> io::Result<()> {
    for hit in &results.hits {
        let date = hit.date.map_or("undated".to_string(), |d| d.to_string());
        let question = hit.role.as_deref() == Some("question");
        let speaker = hit
            .speaker
            .as_deref()
            .unwrap_or(if question { "Q" } else { "(no speaker)" });
        let role = if question {
            style.dim(" (question)")
        } else {
            String::new()
        };
        writeln!(
            w,
            "{} {}  {}{}",
            style.rank(&format!("{:>2}.", hit.rank)),
            style.date(&date),
            style.speaker(speaker),
            role
        )?;
        writeln!(w, "    {}", hit.title)?;
        writeln!(
            w,
            "    {}",
            style.path(&format!("{} ¶{}", hit.path, hit.paragraph))
        )?;
        if hit.context.is_empty() {
            writeln!(
                w,
                "    {}",
                highlighted(style, &hit.snippet, &hit.snippet_highlights)
            )?;
        } else {
            let (before, after): (Vec<_>, Vec<_>) = hit
                .context
                .iter()
                .cloned()
                .partition(|n| n.paragraph < hit.paragraph);
            super::views::passages(w, style, &before, None, "    ")?;
            let ranges: Vec<_> = hit.highlights.iter().map(|r| r[0]..r[1]).collect();
            let text = highlighted(style, &hit.text, &ranges);
            writeln!(
                w,
                "    ¶{} {}: {}",
                hit.paragraph,
                style.rank(speaker),
                text
            )?;
            super::views::passages(w, style, &after, None, "    ")?;
        }
        if hit.duplicates > 0 {
            let n = hit.duplicates as usize;
            let passages = plural(n, "passage", "passages");
            let more = format!("+ {n} more {passages} with this text (--duplicates lists them)");
            writeln!(w, "    {}", style.dim(&more))?;
        }
        writeln!(w)?;
    }
    let first = results.hits.first().map_or(0, |h| h.rank);
    let last = results.hits.last().map_or(0, |h| h.rank);
    let noun = if results.total == 1 {
        "match"
    } else {
        "matches"
    };
    if results.hits.is_empty() {
        writeln!(w, "{} {noun}", results.total)?;
    } else {
        writeln!(w, "{first}-{last} of {} {noun}", results.total)?;
    }
    if results.total > 0 {
        facets(w, style, &results.facets, facet_limit)?;
    }
    Ok(())
}

fn facets(w: &mut dyn Write, style: Style, f: &Facets, limit: usize) -> io::Result<()> {
    let mut speakers: Vec<String> = f
        .speaker
        .iter()
        .take(limit)
        .map(|(s, n)| format!("{} {n}", style.speaker(s)))
        .collect();
    if f.speaker.len() > limit {
        speakers.push(format!("… {} more", f.speaker.len() - limit));
    }
    if f.no_speaker > 0 {
        speakers.push(format!("(no speaker) {}", f.no_speaker));
    }
    writeln!(w, "speakers: {}", speakers.join(" · "))?;
    let mut years: Vec<String> = f
        .year
        .iter()
        .map(|(y, n)| format!("{} {n}", style.date(&y.to_string())))
        .collect();
    if f.undated > 0 {
        years.push(format!("undated {}", f.undated));
    }
    writeln!(w, "years: {}", years.join(" · "))
}

pub fn index_report(w: &mut dyn Write, r: &IndexReport) -> io::Result<()> {
    let roots: Vec<String> = r.roots.iter().map(|p| p.display().to_string()).collect();
    writeln!(
        w,
        "indexed {} {} ({} passages, {}) from {} in {:.2} s: {} added, {} updated, {} removed, {} unchanged",
        r.files_indexed,
        plural(r.files_indexed, "file", "files"),
        r.passages_added,
        human_bytes(r.bytes),
        roots.join(", "),
        r.seconds,
        r.added,
        r.updated,
        r.removed,
        r.unchanged,
    )?;
    writeln!(
        w,
        "index at {}: {} {}, {} passages, {} speakers",
        r.index.display(),
        r.files,
        plural(r.files, "file", "files"),
        r.passages,
        r.speakers
    )?;
    if r.rebuilt {
        writeln!(w, "rebuilt the index from scratch")?;
    }
    if !r.undated.is_empty() {
        writeln!(
            w,
            "undated: {} {} (no date in front matter, file name or text)",
            r.undated.len(),
            plural(r.undated.len(), "file", "files")
        )?;
        for p in r.undated.iter().take(10) {
            writeln!(w, "  {p}")?;
        }
        if r.undated.len() > 10 {
            writeln!(w, "  … and {} more (see --json)", r.undated.len() - 10)?;
        }
    }
    if !r.warnings.is_empty() {
        writeln!(w, "problems inside indexed files: {}", r.warnings.len())?;
        for s in &r.warnings {
            writeln!(w, "  {}: {}", s.path, s.reason)?;
        }
    }
    if !r.skipped.is_empty() {
        writeln!(
            w,
            "skipped: {} {}",
            r.skipped.len(),
            plural(r.skipped.len(), "file", "files")
        )?;
        for s in &r.skipped {
            writeln!(w, "  {}: {}", s.path, s.reason)?;
        }
    }
    Ok(())
}

fn human_bytes(n: u64) -> String {
    match n {
        0..=999 => format!("{n} B"),
        1_000..=999_999 => format!("{:.1} kB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// One line per person, passages first; with `variants`, the values folded into each person
/// below it, with how they were linked (`surname`, `pinyin`, …) and how the transcripts named
/// them (`label`, `title`, `header`).
pub fn speakers(
    w: &mut dyn Write,
    style: Style,
    persons: &[Person],
    variants: bool,
) -> io::Result<()> {
    let width = persons.first().map_or(1, |p| p.passages.to_string().len());
    for p in persons {
        writeln!(w, "{:>width$}  {}", p.passages, style.speaker(&p.name))?;
        if !variants {
            continue;
        }
        for v in &p.variants {
            let mut how = vec![v.link.as_str()];
            if !v.attribution.is_empty() {
                how.push(&v.attribution);
            }
            let labels = match v.labels.is_empty() {
                true => String::new(),
                false => format!("; labels {}", v.labels.join(", ")),
            };
            writeln!(
                w,
                "{:>width$}    {} ({}{labels})",
                v.passages,
                v.value,
                how.join(", ")
            )?;
        }
    }
    Ok(())
}

/// Several transcripts as [`transcript`] shows them, a blank line apart.
pub fn transcripts(w: &mut dyn Write, style: Style, ts: &[Transcript]) -> io::Result<()> {
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        transcript(w, style, t)?;
    }
    Ok(())
}

pub fn transcript(w: &mut dyn Write, style: Style, t: &Transcript) -> io::Result<()> {
    writeln!(w, "{}", style.path(&t.path))?;
    writeln!(w, "  title: {}", t.title)?;
    match (t.date, t.date_source) {
        (Some(d), Some(s)) => writeln!(
            w,
            "  date:  {} (from {})",
            style.date(&d.to_string()),
            s.as_str()
        )?,
        _ => writeln!(w, "  date:  none found")?,
    }
    writeln!(w, "  lang:  {}", t.lang.as_str())?;
    writeln!(w, "  passages: {}", t.passages.len())?;
    for (i, p) in t.passages.iter().enumerate() {
        let question = p.role == crate::transcript::Role::Question;
        let speaker = p
            .speaker
            .as_deref()
            .unwrap_or(if question { "Q" } else { "(no speaker)" });
        let role = if question { " (question)" } else { "" };
        writeln!(
            w,
            "  [{i}] {}{}: {}",
            style.speaker(speaker),
            style.dim(role),
            p.text
        )?;
    }
    Ok(())
}
