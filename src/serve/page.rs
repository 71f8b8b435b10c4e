//! The web page: search with facets, KWIC and trend tabs, and the transcript view, rendered on
//! the server with maud (which escapes every string it is given), so that a plain form GET
//! works without JavaScript. The script (`assets/app.js`) only fetches the same markup for
//! the results region (`/results`) as you type, and keeps the URL in step.
//!
//! The URL holds the whole state ([`View`]): query, filters, tab, page and period.

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::params::{Params, Rejection};
use super::{blocking, chart, Failure, Shared};
use crate::ops::{Podium, Target};
use crate::render::kwic;
use crate::search::views::{Neighbor, Period, Trend};
use crate::search::{Hit, SearchRequest, SearchResults};

const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/style.css");

/// Hits per page on the passages tab; lines per page come from as many hits on the KWIC tab.
const PAGE_HITS: usize = 10;
const KWIC_HITS: usize = 25;
/// Columns of context on each side of a KWIC line.
const KWIC_WIDTH: usize = 40;
/// Speakers in a trend's split.
const TREND_SPEAKERS: usize = 5;
/// Pages reachable from the pager.
const MAX_PAGE: usize = 1 + super::params::MAX_OFFSET / PAGE_HITS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Passages,
    Kwic,
    Trend,
}

impl Tab {
    fn name(self) -> &'static str {
        match self {
            Tab::Passages => "passages",
            Tab::Kwic => "kwic",
            Tab::Trend => "trend",
        }
    }
}

/// Everything a page shows, as read from and written to its URL.
#[derive(Debug, Clone)]
struct View {
    q: String,
    speakers: Vec<String>,
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    role: Option<String>,
    tab: Tab,
    page: usize,
    by: Period,
}

impl View {
    fn read(params: &Params) -> Result<View, Rejection> {
        let tab = match params.get("tab") {
            None | Some("passages") => Tab::Passages,
            Some("kwic") => Tab::Kwic,
            Some("trend") => Tab::Trend,
            Some(v) => {
                return Err(Rejection::new(format!(
                    "tab={v}: expected passages, kwic or trend"
                )))
            }
        };
        Ok(View {
            q: params.get("q").unwrap_or_default().to_string(),
            speakers: params.all("speaker"),
            from: params.get("from").map(str::to_string),
            to: params.get("to").map(str::to_string),
            lang: params.get("lang").map(str::to_string),
            role: params.get("role").map(str::to_string),
            tab,
            page: params.number("page", 1, MAX_PAGE)?.max(1),
            by: params.period()?,
        })
    }

    /// The query string of this view; defaults are left out.
    fn query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for sp in &self.speakers {
            s.append_pair("speaker", sp);
        }
        for (key, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("lang", &self.lang),
            ("role", &self.role),
        ] {
            if let Some(v) = value {
                s.append_pair(key, v);
            }
        }
        if self.tab != Tab::Passages {
            s.append_pair("tab", self.tab.name());
        }
        if self.by != Period::Year {
            s.append_pair("by", period_name(self.by));
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        s.finish()
    }

    /// The page's URL with `change` applied (and back to page 1 unless `change` sets one).
    fn href(&self, change: impl FnOnce(&mut View)) -> String {
        let mut v = self.clone();
        v.page = 1;
        change(&mut v);
        format!("/?{}", v.query())
    }

    /// The request for the URL's parameters (checked as the API checks them).
    fn request(params: &Params, limit: usize, page: usize) -> Result<SearchRequest, Rejection> {
        let mut request = params.request()?;
        request.limit = limit;
        request.offset = (page - 1) * limit;
        Ok(request)
    }
}

fn period_name(p: Period) -> &'static str {
    match p {
        Period::Year => "year",
        Period::Month => "month",
        Period::Week => "week",
    }
}

/// What the results region shows.
struct Found {
    results: SearchResults,
    /// Speaker counts without the speaker filter, so that more speakers can be ticked.
    speakers: Vec<(String, u64)>,
    /// Year counts without the date filter, so that another range can be chosen.
    years: Vec<(i32, u64)>,
    trend: Option<Trend>,
}

/// Runs the searches a view needs.
fn find(podium: &Podium, view: &View, request: &SearchRequest) -> crate::Result<Found> {
    let results = podium.search(request, 0)?;
    let counts_only = |change: &dyn Fn(&mut SearchRequest)| {
        let mut r = request.clone();
        r.limit = 0;
        r.offset = 0;
        change(&mut r);
        podium.search(&r, 0).map(|r| r.facets)
    };
    let speakers = if request.speakers.is_empty() {
        results.facets.speaker.clone()
    } else {
        counts_only(&|r| r.speakers.clear())?.speaker
    };
    let years = if request.from.is_none() && request.to.is_none() {
        results.facets.year.clone()
    } else {
        counts_only(&|r| (r.from, r.to) = (None, None))?.year
    };
    let trend = match view.tab {
        Tab::Trend => Some(podium.trend(request, view.by, TREND_SPEAKERS)?),
        _ => None,
    };
    Ok(Found {
        results,
        speakers,
        years,
        trend,
    })
}

/// The results region for a view: filters and the tab's content, or the error.
async fn region(state: &Shared, query: Option<&str>) -> (StatusCode, View, Markup) {
    let params = Params::parse(query);
    let view = match View::read(&params) {
        Ok(v) => v,
        Err(r) => {
            let view = View::read(&Params::default()).expect("the empty view is valid");
            return (StatusCode::BAD_REQUEST, view, error(&r));
        }
    };
    if view.q.is_empty() {
        return (StatusCode::OK, view, welcome());
    }
    let limit = match view.tab {
        Tab::Passages => PAGE_HITS,
        Tab::Kwic => KWIC_HITS,
        Tab::Trend => 0,
    };
    let request = match View::request(&params, limit, view.page) {
        Ok(r) => r,
        Err(r) => return (StatusCode::BAD_REQUEST, view.clone(), error(&r)),
    };
    let v = view.clone();
    match blocking(state, move |podium| Ok(find(podium, &v, &request)?)).await {
        Ok(found) => {
            let markup = region_body(&view, &found);
            (StatusCode::OK, view, markup)
        }
        Err(f) => (f.status, view, error(&f.rejection)),
    }
}

/// `GET /`: the whole page.
pub async fn home(State(state): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let (status, view, body) = region(&state, q.as_deref()).await;
    let title = if view.q.is_empty() {
        "podium".to_string()
    } else {
        format!("{} — podium", view.q)
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&title))
            body {
                form #search action="/" method="get" role="search" {
                    (search_bar(&view.q))
                    div #region data-title=(title) { (body) }
                }
            }
        }
    };
    html_response(status, page)
}

/// `GET /results`: the results region alone, for the script.
pub async fn results(State(state): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let (status, view, body) = region(&state, q.as_deref()).await;
    let title = if view.q.is_empty() {
        "podium".to_string()
    } else {
        format!("{} — podium", view.q)
    };
    let fragment = html! { div #region data-title=(title) { (body) } };
    html_response(status, fragment)
}

fn html_response(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) }
            link rel="stylesheet" href="/assets/style.css";
            script src="/assets/app.js" defer {}
        }
    }
}

fn search_bar(q: &str) -> Markup {
    html! {
        header.topbar {
            a.brand href="/" { "podium" }
            input #q type="search" name="q" value=(q) placeholder="Search what was said…"
                autocomplete="off" aria-label="Query" maxlength=(super::params::MAX_QUERY_CHARS);
            button type="submit" { "Search" }
            p.help {
                "Words: all must match · " code { "\"exact phrase\"" } " · " code { "a OR b" }
                " · " code { "-word" } " · " code { "sanct*" } " · " code { "speaker:赵立坚" }
                " · press " kbd { "/" } " to type"
            }
        }
    }
}

fn welcome() -> Markup {
    html! {
        main.welcome {
            p { "Search transcripts in English and Chinese: ranked passages with their speaker and date, a concordance (KWIC) and a trend over time." }
            p { "Try " a href="/?q=%22trade+war%22" { "\"trade war\"" } " or " a href="/?q=%E5%91%BD%E8%BF%90%E5%85%B1%E5%90%8C%E4%BD%93" { "命运共同体" } "." }
        }
    }
}

fn error(r: &Rejection) -> Markup {
    html! {
        main {
            p.error role="alert" {
                (r.message)
            }
        }
    }
}

/// Filters beside the tab's content.
fn region_body(view: &View, found: &Found) -> Markup {
    html! {
        @if view.tab != Tab::Passages { input type="hidden" name="tab" value=(view.tab.name()); }
        @if view.by != Period::Year { input type="hidden" name="by" value=(period_name(view.by)); }
        aside.filters {
            (speaker_facet(view, &found.speakers))
            (year_facet(view, &found.years))
            section.facet {
                h2 { "Language and role" }
                select name="lang" aria-label="Language" {
                    (option("", "any language", &view.lang))
                    (option("en", "English", &view.lang))
                    (option("zh", "Chinese 中文", &view.lang))
                }
                select name="role" aria-label="Role" {
                    (option("", "questions and answers", &view.role))
                    (option("question", "questions", &view.role))
                    (option("answer", "answers and statements", &view.role))
                }
            }
            button.apply type="submit" { "Apply filters" }
        }
        main.results {
            nav.tabs {
                @for (tab, label) in [(Tab::Passages, "Passages"), (Tab::Kwic, "KWIC"), (Tab::Trend, "Trend")] {
                    a.tab.current[view.tab == tab] href=(view.href(|v| v.tab = tab)) data-tab=(tab.name()) { (label) }
                }
            }
            @match view.tab {
                Tab::Passages => (passages(view, &found.results)),
                Tab::Kwic => (concordance(view, &found.results)),
                Tab::Trend => @if let Some(t) = &found.trend { (trend(view, t)) },
            }
        }
    }
}

fn option(value: &str, label: &str, current: &Option<String>) -> Markup {
    let selected = current.as_deref().unwrap_or_default() == value;
    html! { option value=(value) selected[selected] { (label) } }
}

fn speaker_facet(view: &View, speakers: &[(String, u64)]) -> Markup {
    let ticked = |name: &str| view.speakers.iter().any(|s| s.eq_ignore_ascii_case(name));
    // Ticked speakers stay listed even when nothing of theirs matches any more.
    let missing: Vec<&String> = view
        .speakers
        .iter()
        .filter(|s| !speakers.iter().any(|(n, _)| n.eq_ignore_ascii_case(s)))
        .collect();
    html! {
        section.facet.speakers {
            h2 { "Speakers" }
            @if speakers.len() > 8 {
                input #speaker-filter type="search" placeholder="Filter speakers" aria-label="Filter speakers" autocomplete="off";
            }
            ul.speaker-list {
                @for name in &missing {
                    li { label { input type="checkbox" name="speaker" value=(name) checked; " " span.name { (name) } " " span.count { "0" } } }
                }
                @for (name, n) in speakers {
                    li { label { input type="checkbox" name="speaker" value=(name) checked[ticked(name)]; " " span.name { (name) } " " span.count { (n) } } }
                }
            }
        }
    }
}

fn year_facet(view: &View, years: &[(i32, u64)]) -> Markup {
    let year_of = |d: &Option<String>| d.as_deref().and_then(|d| d.get(..4)?.parse::<i32>().ok());
    let selected = match (year_of(&view.from), year_of(&view.to)) {
        (None, None) => None,
        (a, b) => Some((a.unwrap_or(i32::MIN), b.unwrap_or(i32::MAX))),
    };
    html! {
        section.facet.years {
            h2 { "Years" }
            (chart::years(years, selected, |y| view.href(|v| {
                v.from = Some(y.to_string());
                v.to = Some(y.to_string());
            })))
            div.dates {
                input type="text" name="from" value=[&view.from] placeholder="from YYYY-MM-DD" aria-label="From" size="10";
                " – "
                input type="text" name="to" value=[&view.to] placeholder="to" aria-label="To" size="10";
                @if view.from.is_some() || view.to.is_some() {
                    " " a.clear href=(view.href(|v| (v.from, v.to) = (None, None))) { "any date" }
                }
            }
        }
    }
}

fn summary(results: &SearchResults) -> Markup {
    let noun = if results.total == 1 {
        "match"
    } else {
        "matches"
    };
    let (first, last) = (
        results.hits.first().map_or(0, |h| h.rank),
        results.hits.last().map_or(0, |h| h.rank),
    );
    html! {
        p.summary {
            @if results.hits.is_empty() { (results.total) " " (noun) }
            @else { (first) "–" (last) " of " span.total { (results.total) } " " (noun) }
        }
    }
}

/// Bytes of `text` with `ranges` marked.
fn marked(text: &str, ranges: impl IntoIterator<Item = std::ops::Range<usize>>) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        parts.push((false, &text[at..r.start]));
        parts.push((true, &text[r.start..r.end]));
        at = r.end;
    }
    parts.push((false, &text[at..]));
    html! {
        @for (hit, part) in parts {
            @if hit { mark { (part) } } @else { (part) }
        }
    }
}

fn show_href(view: &View, path: &str, paragraph: u64) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("path", path);
    s.append_pair("p", &paragraph.to_string());
    if !view.q.is_empty() {
        s.append_pair("q", &view.q);
    }
    format!("/show?{}#p-{paragraph}", s.finish())
}

fn speaker_of(speaker: Option<&str>, role: Option<&str>) -> String {
    let question = role == Some("question");
    speaker
        .unwrap_or(if question { "Q" } else { "(no speaker)" })
        .to_string()
}

fn passages(view: &View, results: &SearchResults) -> Markup {
    html! {
        (summary(results))
        ol.hits {
            @for hit in &results.hits { (hit_item(view, hit)) }
        }
        (pager(view, results.total, PAGE_HITS))
    }
}

fn hit_item(view: &View, hit: &Hit) -> Markup {
    html! {
        li.hit data-rank=(hit.rank) {
            p.meta {
                span.speaker { (speaker_of(hit.speaker.as_deref(), hit.role.as_deref())) }
                @if hit.role.as_deref() == Some("question") { " " span.role { "question" } }
                " · " time { (hit.date.map_or("undated".to_string(), |d| d.to_string())) }
                " · " span.title { (hit.title) }
            }
            p.snippet lang=[hit.lang.as_deref()] { (marked(&hit.snippet, hit.snippet_highlights.iter().cloned())) }
            p.where {
                a.open href=(show_href(view, &hit.path, hit.paragraph)) { (hit.path) " ¶" (hit.paragraph) }
                @if hit.duplicates > 0 {
                    " " span.more { "+ " (hit.duplicates) " more with this text" }
                }
            }
        }
    }
}

fn pager(view: &View, total: usize, per_page: usize) -> Markup {
    let pages = total.div_ceil(per_page).min(MAX_PAGE);
    if pages <= 1 {
        return html! {};
    }
    let page = view.page;
    let shown: Vec<usize> = (1..=pages)
        .filter(|&p| p == 1 || p == pages || p.abs_diff(page) <= 2)
        .collect();
    let at = |p: usize| view.href(|v| v.page = p);
    html! {
        nav.pager aria-label="Pages" {
            @if page > 1 { a.prev rel="prev" href=(at(page - 1)) { "← previous" } }
            @for (i, p) in shown.iter().enumerate() {
                @if i > 0 && shown[i - 1] + 1 != *p { span.gap { "…" } }
                @if *p == page { span.current aria-current="page" { (p) } }
                @else { a href=(at(*p)) { (p) } }
            }
            @if page < pages { a.next rel="next" href=(at(page + 1)) { "next →" } }
        }
    }
}

fn concordance(view: &View, results: &SearchResults) -> Markup {
    let lines = kwic::occurrences(results, KWIC_WIDTH);
    html! {
        (summary(results))
        table.kwic {
            tbody {
                @for o in &lines {
                    tr.line {
                        td.left { (o.left) }
                        td.match { a href=(show_href(view, &o.path, o.paragraph)) { (o.matched) } }
                        td.right { (o.right) }
                        td.who { (o.speaker.as_deref().unwrap_or("")) " " (o.date.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
        (pager(view, results.total, KWIC_HITS))
    }
}

fn trend(view: &View, t: &Trend) -> Markup {
    html! {
        p.summary {
            (t.total) " " (if t.total == 1 { "match" } else { "matches" })
            @if t.undated > 0 { " (" (t.undated) " undated)" }
            " per "
            @for (i, by) in [Period::Year, Period::Month, Period::Week].into_iter().enumerate() {
                @if i > 0 { " · " }
                @if by == view.by { strong { (period_name(by)) } }
                @else { a.by href=(view.href(|v| v.by = by)) data-by=(period_name(by)) { (period_name(by)) } }
            }
        }
        (chart::trend(t))
        @if !t.series.is_empty() {
            ul.legend {
                @for (i, s) in t.series.iter().enumerate() {
                    li { span class=(format!("swatch s{i}")) {} " " (s.speaker) }
                }
                li { span.swatch.rest {} " others" }
            }
        }
    }
}

/// `GET /show?path=PATH&p=N&q=…`: a whole transcript, looked up by its index key, with
/// paragraph N marked (and scrolled to through the `#p-N` fragment of links).
pub async fn show(State(state): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let params = Params::parse(q.as_deref());
    let view = View::read(&params)
        .unwrap_or_else(|_| View::read(&Params::default()).expect("the empty view is valid"));
    let Some(path) = params.get("path").map(str::to_string) else {
        return html_response(
            StatusCode::BAD_REQUEST,
            page(
                "podium",
                &view,
                error(&Rejection::new("path: which transcript?")),
            ),
        );
    };
    let mark = params.get("p").and_then(|p| p.parse::<u64>().ok());
    let target = Target {
        path: path.clone(),
        paragraph: None,
    };
    let shown = blocking(&state, move |podium| Ok(podium.show(&target, 0)?)).await;
    let (status, body) = match shown {
        Ok(shown) => (
            StatusCode::OK,
            transcript(&view, &path, &shown.passages, mark),
        ),
        Err(Failure { status, rejection }) => (status, error(&rejection)),
    };
    html_response(status, page(&format!("{path} — podium"), &view, body))
}

fn page(title: &str, view: &View, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                form #search action="/" method="get" role="search" { (search_bar(&view.q)) }
                (body)
            }
        }
    }
}

/// The passages in order; a question and the answers after it form one exchange.
fn transcript(view: &View, path: &str, passages: &[Neighbor], mark: Option<u64>) -> Markup {
    let mut exchanges: Vec<Vec<&Neighbor>> = Vec::new();
    for p in passages {
        let question = p.role.as_deref() == Some("question");
        match exchanges.last_mut() {
            Some(last) if !question => last.push(p),
            _ => exchanges.push(vec![p]),
        }
    }
    html! {
        main.transcript {
            p.back {
                @if !view.q.is_empty() { a href=(format!("/?{}", view.query())) { "← results" } " · " }
                span.path { (path) }
            }
            @for exchange in &exchanges {
                @let asked = exchange[0].role.as_deref() == Some("question");
                section.exchange.asked[asked] {
                    @for p in exchange {
                        @let question = p.role.as_deref() == Some("question");
                        div.passage.question[question].target[Some(p.paragraph) == mark] id=(format!("p-{}", p.paragraph)) {
                            span.speaker { (speaker_of(p.speaker.as_deref(), p.role.as_deref())) }
                            " " span.n { "¶" (p.paragraph) }
                            p { (p.text) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /assets/app.js`.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /assets/style.css`.
pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
