//! The web page in a real browser: headless Chromium driven through WebDriver (chromedriver),
//! against `podium serve` on a free loopback port over a fixture index.
//!
//! Skipped, with the reason printed, where Chromium or chromedriver is absent (`.ci/run`
//! installs them). Screenshots are saved under the target directory's `browser/` folder.
//! One test runs the scenarios in order, so that one browser and one server serve them all
//! and both are stopped by their PID at the end.

#[allow(dead_code)]
#[path = "../integration/harness.rs"]
mod harness;
mod webdriver;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use harness::{Fixture, Server};
use serde_json::{json, Value};
use webdriver::Session as Client;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port; killed by its PID when dropped.
struct Driver {
    child: Child,
    addr: String,
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, addr }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A headless Chromium session; `javascript: false` turns scripts off.
fn browser(driver: &Driver, javascript: bool) -> Client {
    let mut options = json!({
        "binary": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"],
    });
    if !javascript {
        options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    Client::new(&driver.addr, options)
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).expect("artifact folder");
    dir
}

fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot();
    let path = artifacts().join(format!("{name}.png"));
    std::fs::write(&path, png).expect("saving a screenshot");
    println!("screenshot: {}", path.display());
}

/// Evaluates `expr` in the page.
fn eval(c: &Client, expr: &str) -> Value {
    c.execute(&format!("return ({expr});"))
        .unwrap_or_else(|e| panic!("evaluating {expr}: {e}"))
}

/// Waits (up to 15 s) until `expr` is true in the page.
fn until(c: &Client, expr: &str, what: &str) {
    let started = Instant::now();
    loop {
        if eval(c, expr) == Value::Bool(true) {
            return;
        }
        if started.elapsed() > Duration::from_secs(15) {
            screenshot(c, "timeout");
            panic!("waited 15 s for {what} ({expr}) at {}", c.url());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn texts(c: &Client, css: &str) -> Vec<String> {
    let v = eval(
        c,
        &format!(
            "Array.from(document.querySelectorAll({})).map(e => e.textContent)",
            json!(css)
        ),
    );
    serde_json::from_value(v).expect("a list of texts")
}

fn corpus() -> Fixture {
    let mut long = String::from("Title: A long briefing\n\n");
    for i in 0..60 {
        if i == 40 {
            long.push_str("Hua Chunying: The pangolin passage is the one to find.\n\n");
        } else if i % 2 == 0 {
            long.push_str(&format!("Q: Question number {i} about the weather?\n\n"));
        } else {
            long.push_str(&format!(
                "Hua Chunying: Answer number {i}, on nothing in particular.\n\n"
            ));
        }
    }
    Fixture::new(&[
        (
            "2019-05-01-trade.txt",
            "Title: Trade in 2019\n\nGeng Shuang: The trade war serves no one.\n\nQ: And tariffs?\n\nGeng Shuang: Tariffs are part of the trade war.\n",
        ),
        (
            "2020-04-22-trade.txt",
            "Title: Trade in 2020\n\nZhao Lijian: There is no winner in a trade war.\n\nZhao Lijian: Trade keeps flowing.\n",
        ),
        (
            "2021-06-01-trade.txt",
            "Title: Trade in 2021\n\nHua Chunying: We oppose the trade war.\n\nHua Chunying: Trade should build bridges.\n",
        ),
        (
            "2021-07-01-zh.txt",
            "标题：例行记者会\n\n赵立坚：贸易战没有赢家。\n\n赵立坚：我们反对贸易战。\n",
        ),
        ("2022-01-01-long.txt", long.as_str()),
        (
            "2022-02-02-xss.txt",
            "Title: <script>document.title='pwned'</script> xylophone\n\n<img src=x onerror=\"document.title='pwned'\">: xylophone <script>document.title='pwned'</script> and <a href=\"javascript:document.title='pwned'\">click</a> and \"><svg onload=\"document.title='pwned'\"> end\n",
        ),
    ])
    .indexed()
}

fn skip_reason() -> Option<String> {
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        if !std::path::Path::new(path).exists() {
            return Some(format!(
                "{path} is missing (apt-get install {package}; .ci/run installs it)"
            ));
        }
    }
    None
}

#[test]
fn the_page_in_a_real_browser() {
    if let Some(reason) = skip_reason() {
        // CI installs the browser; there a missing one is a failure, not a skip.
        assert!(
            std::env::var_os("PODIUM_REQUIRE_BROWSER").is_none(),
            "PODIUM_REQUIRE_BROWSER is set but {reason}"
        );
        println!("skipping the browser tests: {reason}");
        return;
    }
    let f = corpus();
    let server = Server::start(&f);
    let base = format!("http://{}", server.addr);
    // Dropped in reverse order: the sessions end their browsers, then chromedriver and the
    // server are stopped by their PIDs, even when a scenario fails.
    let driver = Driver::start();
    {
        let c = browser(&driver, true);
        scenarios(&c, &f, &base);
        screenshot(&c, "last");
    }
    let c = browser(&driver, false);
    without_javascript(&c, &base);
}

fn scenarios(c: &Client, f: &Fixture, base: &str) {
    // Type a query: results appear, and the URL follows.
    c.goto(&format!("{base}/"));
    until(
        c,
        "document.documentElement.classList.contains('js')",
        "the script",
    );
    // `/` focuses the query box.
    c.find("body").send_keys("/");
    until(c, "document.activeElement.id === 'q'", "focus on / ");
    c.active().send_keys("trade");
    until(c, "document.querySelectorAll('.hit').length > 0", "results");
    until(c, "location.search === '?q=trade'", "the query in the URL");
    screenshot(c, "typed");
    let total_all = texts(c, ".summary .total");
    let cli_total = f.search(&["trade"])["total"].to_string();
    assert_eq!(total_all, std::slice::from_ref(&cli_total));

    // Tick a speaker: results and counts change, and so does the URL.
    c.find("input[name=speaker][value='Hua Chunying']").click();
    until(
        c,
        "location.search.includes('speaker=Hua+Chunying')",
        "the speaker in the URL",
    );
    until(
        c,
        "Array.from(document.querySelectorAll('.hit .speaker')).every(e => e.textContent === 'Hua Chunying')",
        "Hua Chunying's passages only",
    )
    ;
    let filtered = texts(c, ".summary .total");
    let cli = f.search(&["trade", "--speaker", "Hua Chunying"]);
    assert_eq!(filtered, [cli["total"].to_string()]);
    assert_ne!(filtered, total_all);
    let ticked_hits = texts(c, ".hit .snippet");
    let permalink = c.url();
    screenshot(c, "speaker");

    // Back: the previous state returns.
    c.back();
    until(c, "location.search === '?q=trade'", "the previous URL");
    until(
        c,
        &format!(
            "document.querySelector('.summary .total') && document.querySelector('.summary .total').textContent === {}",
            json!(cli_total)
        ),
        "the previous total",
    )
    ;
    assert_eq!(
        eval(
            c,
            "document.querySelector(\"input[value='Hua Chunying']\").checked"
        ),
        json!(false)
    );
    assert_eq!(
        eval(c, "document.getElementById('q').value"),
        json!("trade")
    );

    // A permalink opened cold gives the same view.
    c.goto(&permalink);
    until(c, "document.querySelectorAll('.hit').length > 0", "results");
    assert_eq!(texts(c, ".hit .snippet"), ticked_hits);
    assert_eq!(
        eval(
            c,
            "document.querySelector(\"input[value='Hua Chunying']\").checked"
        ),
        json!(true)
    );

    // A year of the histogram filters by date.
    c.goto(&format!("{base}/?q=trade"));
    until(
        c,
        "document.querySelectorAll('a.year').length > 0",
        "the histogram",
    );
    c.find("a.year[data-year='2020'] rect.bar").click();
    until(
        c,
        "location.search.includes('from=2020&to=2020')",
        "the year in the URL",
    );
    until(
        c,
        "Array.from(document.querySelectorAll('.hit time')).every(e => e.textContent.startsWith('2020'))",
        "2020 only",
    )
    ;

    // The KWIC tab: one line per occurrence, as the command line counts them.
    c.goto(&format!("{base}/?q=trade"));
    until(c, "document.querySelectorAll('.hit').length > 0", "results");
    c.find("a[data-tab=kwic]").click();
    until(
        c,
        "document.querySelector('table.kwic') !== null",
        "the KWIC table",
    );
    let kwic = f
        .podium(&["search", "trade", "--kwic", "--limit", "25", "--json"])
        .json();
    let lines = kwic["occurrences"].as_array().unwrap().len();
    assert_eq!(
        eval(c, "document.querySelectorAll('tr.line').length"),
        json!(lines)
    );
    assert!(c.url().contains("tab=kwic"));
    // Chinese lines align on the match too: every match cell starts at the same x.
    c.goto(&format!("{base}/?q=%E8%B4%B8%E6%98%93%E6%88%98&tab=kwic"));
    until(
        c,
        "document.querySelectorAll('tr.line').length === 2",
        "two Chinese lines",
    );
    let xs = eval(c, "Array.from(document.querySelectorAll('td.match')).map(e => Math.round(e.getBoundingClientRect().left))");
    assert_eq!(xs[0], xs[1], "{xs}");
    screenshot(c, "kwic");

    // The trend tab: one bar per year, as the command line counts them.
    c.goto(&format!("{base}/?q=trade&tab=trend"));
    until(
        c,
        "document.querySelector('svg.trend') !== null",
        "the trend chart",
    );
    let trend = f.podium(&["trend", "trade", "--json"]).json();
    let periods = trend["periods"].as_array().unwrap().len();
    assert_eq!(
        eval(c, "document.querySelectorAll('svg.trend g.period').length"),
        json!(periods)
    );
    c.find("a.by[data-by=month]").click();
    until(c, "location.search.includes('by=month')", "months");
    let months = f
        .podium(&["trend", "trade", "--by", "month", "--json"])
        .json();
    let months = months["periods"].as_array().unwrap().len();
    until(
        c,
        &format!("document.querySelectorAll('svg.trend g.period').length === {months}"),
        "one bar per month",
    );
    screenshot(c, "trend");

    // The transcript view scrolls to the passage.
    c.goto(&format!("{base}/?q=pangolin"));
    until(
        c,
        "document.querySelectorAll('.hit').length === 1",
        "one result",
    );
    c.find(".hit a.open").click();
    until(
        c,
        "document.querySelector('.passage.target') !== null",
        "the transcript",
    );
    until(
        c,
        "(() => { const r = document.querySelector('.passage.target').getBoundingClientRect(); return window.scrollY > 0 && r.top >= 0 && r.bottom <= window.innerHeight; })()",
        "the passage in view",
    )
    ;
    let target = texts(c, ".passage.target p");
    assert_eq!(target, ["The pangolin passage is the one to find."]);
    // Questions are shown with their answers.
    assert!(eval(c, "document.querySelectorAll('section.exchange.asked .passage.question + .passage').length").as_u64().unwrap() > 10);
    screenshot(c, "transcript");

    // The XSS fixture is inert: nothing ran, nothing was injected.
    for page in [
        "/?q=xylophone",
        "/?q=xylophone&tab=kwic",
        "/show?path=2022-02-02-xss.txt&p=0",
    ] {
        c.goto(&format!("{base}{page}"));
        until(c, "document.readyState === 'complete'", "the page");
        std::thread::sleep(Duration::from_millis(300));
        let title = eval(c, "document.title");
        assert_ne!(title, json!("pwned"), "{page}");
        let injected = eval(
            c,
            "document.querySelectorAll('img, svg[onload], [onerror], a[href^=\"javascript:\"], script:not([src=\"/assets/app.js\"])').length",
        )
        ;
        assert_eq!(injected, json!(0), "elements injected on {page}");
        if !page.contains("kwic") {
            let shown = eval(
                c,
                "document.body.textContent.includes(\"<script>document.title='pwned'</script>\")",
            );
            assert_eq!(shown, json!(true), "the text is shown as text on {page}");
        }
    }
    screenshot(c, "xss");
}

/// The form works with scripts off: a GET rendered on the server.
fn without_javascript(c: &Client, base: &str) {
    c.goto(&format!("{base}/"));
    assert_eq!(
        eval(c, "document.documentElement.classList.contains('js')"),
        json!(false),
        "scripts should be off"
    );
    c.find("#q").send_keys("trade");
    c.find("header button[type=submit]").click();
    until(
        c,
        "document.querySelectorAll('.hit').length > 0",
        "results without script",
    );
    assert!(c.url().contains("q=trade"));
    c.find("input[name=speaker][value='Zhao Lijian']").click();
    c.find("button.apply").click();
    until(
        c,
        "location.search.includes('speaker=Zhao+Lijian')",
        "the filter applied",
    );
    let speakers = texts(c, ".hit .speaker");
    assert!(
        !speakers.is_empty() && speakers.iter().all(|s| s == "Zhao Lijian"),
        "{speakers:?}"
    );
    screenshot(c, "no-javascript");
}
