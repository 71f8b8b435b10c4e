//! Charts drawn on the server as SVG: the year histogram of the facets and the trend chart.
//! No script draws them, so they show without JavaScript; colours come from the stylesheet.

use maud::{html, Markup};

use crate::search::views::Trend;

/// Bars of matches per year, each one a link to that year; `selected` years are marked.
/// The page's script adds dragging over several bars for a range.
pub fn years(
    years: &[(i32, u64)],
    selected: Option<(i32, i32)>,
    href: impl Fn(i32) -> String,
) -> Markup {
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return html! {};
    };
    let all: Vec<(i32, u64)> = (first.0..=last.0)
        .map(|y| {
            (
                y,
                years.iter().find(|(v, _)| *v == y).map_or(0, |(_, n)| *n),
            )
        })
        .collect();
    let max = all.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let (bar, gap, height) = (16u32, 2u32, 60u32);
    let width = all.len() as u32 * (bar + gap);
    html! {
        svg.histogram viewBox=(format!("0 0 {width} {}", height + 14)) role="img" aria-label="matches per year" {
            @for (i, (year, n)) in all.iter().enumerate() {
                @let h = ((*n as f64 / max as f64) * f64::from(height)).round().max(if *n > 0 { 1.0 } else { 0.0 }) as u32;
                @let x = i as u32 * (bar + gap);
                @let on = selected.is_some_and(|(a, b)| (a..=b).contains(year));
                a.year href=(href(*year)) data-year=(year) {
                    title { (year) ": " (n) }
                    rect.hit-area x=(x) y="0" width=(bar) height=(height) {}
                    rect.bar.selected[on] x=(x) y=(height - h) width=(bar) height=(h) {}
                    @if all.len() <= 12 || i % (all.len() / 6).max(1) == 0 {
                        text x=(x) y=(height + 12) { (year % 100) }
                    }
                }
            }
        }
    }
}

/// Matches per period as bars, each split into the top speakers' shares (and the rest).
pub fn trend(t: &Trend) -> Markup {
    let max = t.counts.iter().copied().max().unwrap_or(0).max(1);
    let n = t.periods.len().max(1) as u32;
    let (height, left, bottom) = (200u32, 36u32, 20u32);
    let step = (720 / n).clamp(3, 40);
    let bar = (step * 4 / 5).max(2);
    let width = left + n * step;
    let y = |count: u64| (count as f64 / max as f64 * f64::from(height)).round() as u32;
    let label_every = (n / 12).max(1) as usize;
    html! {
        svg.trend viewBox=(format!("0 0 {width} {}", height + bottom)) role="img" aria-label="matches per period" {
            text.axis x="0" y="10" { (max) }
            text.axis x="0" y=(height) { "0" }
            line.axis x1=(left - 2) y1="0" x2=(left - 2) y2=(height) {}
            @for (i, (period, count)) in t.periods.iter().zip(&t.counts).enumerate() {
                @let x = left + i as u32 * step;
                g.period data-period=(period) data-count=(count) {
                    title { (period) ": " (count) }
                    @for (class, top, h) in stack(t, i, *count, &y, height) {
                        rect class=(class) x=(x) y=(top) width=(bar) height=(h) {}
                    }
                    @if i % label_every == 0 {
                        text.axis x=(x) y=(height + 14) { (period) }
                    }
                }
            }
        }
    }
}

/// The rectangles of one period's bar, bottom up: each speaker's share, then the rest, as
/// (class, top, height).
fn stack(
    t: &Trend,
    i: usize,
    count: u64,
    y: &impl Fn(u64) -> u32,
    height: u32,
) -> Vec<(String, u32, u32)> {
    let mut out = Vec::new();
    let mut top = height;
    let mut shown = 0;
    for (s, series) in t.series.iter().enumerate() {
        let n = series.counts[i];
        let h = y(n).min(top);
        if h > 0 {
            top -= h;
            out.push((format!("bar s{s}"), top, h));
        }
        shown += n;
    }
    let h = y(count.saturating_sub(shown)).min(top);
    if h > 0 || (count > 0 && out.is_empty()) {
        let h = h.max(1);
        out.push(("bar rest".to_string(), top.saturating_sub(h), h));
    }
    out
}
