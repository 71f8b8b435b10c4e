//! Text for the views around search: trend charts and CSV, first uses, transcripts and
//! context, stats.

use std::io::{self, Write};

use super::kwic::columns;
use super::text::{highlighted, Style};
use crate::search::first::{FirstBy, FirstUse};
use crate::search::views::{Neighbor, Stats, Trend};

/// A bar chart: one line per period, bars scaled to `width` columns.
pub fn trend(w: &mut dyn Write, style: Style, t: &Trend, width: usize) -> io::Result<()> {
    let max = t.counts.iter().copied().max().unwrap_or(0).max(1);
    let label_width = t.periods.iter().map(String::len).max().unwrap_or(4);
    let count_width = max.to_string().len();
    for (i, (period, &count)) in t.periods.iter().zip(&t.counts).enumerate() {
        let bar = bar(count, max, width);
        let split: Vec<String> = t
            .series
            .iter()
            .filter(|s| s.counts[i] > 0)
            .map(|s| format!("{} {}", s.speaker, s.counts[i]))
            .collect();
        let split = if split.is_empty() {
            String::new()
        } else {
            format!("  {}", style.dim_text(&split.join(" · ")))
        };
        writeln!(
            w,
            "{period:<label_width$}  {count:>count_width$} {}{split}",
            style.bar(&bar)
        )?;
    }
    let undated = if t.undated > 0 {
        format!(" ({} undated)", t.undated)
    } else {
        String::new()
    };
    writeln!(
        w,
        "{} {} in all{undated}",
        t.total,
        if t.total == 1 { "match" } else { "matches" }
    )
}

/// Eighths of a block for smooth bars.
fn bar(count: u64, max: u64, width: usize) -> String {
    let eighths = (count as f64 / max as f64 * width as f64 * 8.0).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    match eighths % 8 {
        0 => {}
        partial => out.push([' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][partial]),
    }
    if count > 0 && out.is_empty() {
        out.push('▏');
    }
    out
}

/// `period,count[,speaker…]`, with a header line.
pub fn trend_csv(w: &mut dyn Write, t: &Trend) -> io::Result<()> {
    let mut header = vec!["period".to_string(), "count".to_string()];
    header.extend(t.series.iter().map(|s| s.speaker.clone()));
    let rows: Vec<Vec<String>> = t
        .periods
        .iter()
        .enumerate()
        .map(|(i, period)| {
            let mut row = vec![period.clone(), t.counts[i].to_string()];
            row.extend(t.series.iter().map(|s| s.counts[i].to_string()));
            row
        })
        .collect();
    super::csv::table(w, &header, &rows)
}

/// First uses as a table in date order: date, speaker (or year), how many matching passages
/// came later, where, and the snippet.
pub fn first(w: &mut dyn Write, style: Style, f: &FirstUse) -> io::Result<()> {
    let who = |row: &crate::search::first::FirstRow| match row.year {
        Some(year) => year.to_string(),
        None => row.hit.speaker.clone().unwrap_or_else(|| "-".into()),
    };
    let cells: Vec<[String; 4]> = f
        .rows
        .iter()
        .map(|row| {
            [
                row.hit.date.map_or("undated".into(), |d| d.to_string()),
                who(row),
                row.later.to_string(),
                format!("{} ¶{}", row.hit.path, row.hit.paragraph),
            ]
        })
        .collect();
    let header = [
        "date",
        if f.by == Some(FirstBy::Year) {
            "year"
        } else {
            "speaker"
        },
        "later",
        "where",
    ];
    let width = |i: usize| {
        cells
            .iter()
            .map(|c| columns(&c[i]))
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2), width(3)];
    let pad = |text: &str, i: usize| {
        let fill = " ".repeat(widths[i].saturating_sub(columns(text)));
        if i == 2 {
            format!("{fill}{text}")
        } else {
            format!("{text}{fill}")
        }
    };
    if !f.rows.is_empty() {
        let head: Vec<String> = (0..4).map(|i| pad(header[i], i)).collect();
        writeln!(w, "{}  snippet", style.dim(&head.join("  ")))?;
    }
    for (row, c) in f.rows.iter().zip(&cells) {
        writeln!(
            w,
            "{}  {}  {}  {}  {}",
            style.date(&pad(&c[0], 0)),
            style.speaker(&pad(&c[1], 1)),
            pad(&c[2], 2),
            style.path(&pad(&c[3], 3)),
            highlighted(
                style,
                &row.hit.snippet.replace('\n', " "),
                &row.hit.snippet_highlights
            )
        )?;
    }
    let matches = if f.total == 1 { "match" } else { "matches" };
    let summary = match f.by {
        None => format!("{} {matches}", f.total),
        Some(by) => {
            let groups = match by {
                FirstBy::Speaker if f.groups == 1 => "speaker",
                FirstBy::Speaker => "speakers",
                FirstBy::Year if f.groups == 1 => "year",
                FirstBy::Year => "years",
            };
            let shown = if f.rows.len() < f.groups {
                format!("the first {} of ", f.rows.len())
            } else {
                String::new()
            };
            format!("{shown}{} {groups}, {} {matches}", f.groups, f.total)
        }
    };
    writeln!(w, "{summary}")
}

/// Passages with their paragraph numbers and speakers; `mark` is shown in bold.
pub fn passages(
    w: &mut dyn Write,
    style: Style,
    passages: &[Neighbor],
    mark: Option<u64>,
    indent: &str,
) -> io::Result<()> {
    for p in passages {
        let question = p.role.as_deref() == Some("question");
        let speaker = p
            .speaker
            .as_deref()
            .unwrap_or(if question { "Q" } else { "(no speaker)" });
        let line = format!("¶{} {}: {}", p.paragraph, speaker, p.text);
        if Some(p.paragraph) == mark {
            writeln!(w, "{indent}{}", style.rank_text(&line))?;
        } else {
            writeln!(w, "{indent}{}", style.dim_text(&line))?;
        }
    }
    Ok(())
}

pub fn stats(w: &mut dyn Write, s: &Stats) -> io::Result<()> {
    let date = |d: Option<crate::date::Date>| d.map_or("-".to_string(), |d| d.to_string());
    writeln!(w, "files:       {}", s.files)?;
    writeln!(w, "transcripts: {}", s.transcripts)?;
    writeln!(w, "passages:    {}", s.passages)?;
    writeln!(w, "speakers:    {}", s.speakers)?;
    let langs: Vec<String> = s
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    writeln!(w, "languages:   {} (passages)", langs.join(", "))?;
    writeln!(
        w,
        "dates:       {} to {} ({} undated passages)",
        date(s.first_date),
        date(s.last_date),
        s.undated_passages
    )?;
    writeln!(w, "index size:  {:.1} MB", s.index_bytes as f64 / 1e6)?;
    let roots: Vec<String> = s.roots.iter().map(|r| r.display().to_string()).collect();
    writeln!(w, "roots:       {}", roots.join(", "))?;
    writeln!(w, "updated:     {}", age(s.updated))
}

/// `2026-11-29 09:41 UTC (3 minutes ago)`.
fn age(updated: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let date = crate::date::Date::from_days((updated / 86_400) as i64)
        .map_or_else(String::new, |d| d.to_string());
    let (h, m) = (updated % 86_400 / 3600, updated % 3600 / 60);
    let ago = now.saturating_sub(updated);
    let ago = match ago {
        0..=119 => format!("{ago} seconds ago"),
        120..=7199 => format!("{} minutes ago", ago / 60),
        7200..=172_799 => format!("{} hours ago", ago / 3600),
        _ => format!("{} days ago", ago / 86_400),
    };
    format!("{date} {h:02}:{m:02} UTC ({ago})")
}
