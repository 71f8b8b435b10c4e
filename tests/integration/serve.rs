//! `podium serve`: the API answers as the command line does, the page escapes what it shows,
//! requests cannot reach files or run without bounds, and new commits are picked up.

use crate::harness::{Fixture, Server};

/// Briefings in English and Chinese, not indexed yet (the cluster tests index them there).
pub fn transcripts() -> Fixture {
    Fixture::new(&[
        (
            "2020-01-05-briefing.txt",
            "Title: Briefing on trade\n\nZhao Lijian: The trade war hurts everyone.\n\nQ: What about tariffs?\n\nZhao Lijian: Tariffs are part of the trade war.\n",
        ),
        (
            "2021-06-01-briefing.txt",
            "Title: Later briefing\n\nHua Chunying: We oppose the trade war and its tariffs.\n",
        ),
        (
            "2021-07-01-zh.txt",
            "标题：例行记者会\n\n赵立坚：构建人类命运共同体是我们的目标。\n",
        ),
    ])
}

fn corpus() -> Fixture {
    transcripts().indexed()
}

/// The same query through the command line (`--json`) and the API must give the same bytes.
#[test]
fn the_api_answers_with_the_command_lines_json() {
    let f = corpus();
    let server = Server::start(&f);
    let cases: &[(&[&str], &str)] = &[
        (
            &["search", "trade war", "--json"],
            "/api/search?q=trade+war",
        ),
        (
            &["search", "trade", "--sort=-date", "--json"],
            "/api/search?q=trade&sort=-date",
        ),
        (
            &[
                "search",
                "tariffs",
                "--speaker",
                "Zhao Lijian",
                "--from",
                "2020",
                "--limit",
                "1",
                "--json",
            ],
            "/api/search?q=tariffs&speaker=Zhao%20Lijian&from=2020&limit=1",
        ),
        (
            &["search", "trade", "--context", "1", "--json"],
            "/api/search?q=trade&context=1",
        ),
        (
            &["search", "命运", "--kwic", "--width", "5", "--json"],
            "/api/kwic?q=%E5%91%BD%E8%BF%90&width=5",
        ),
        (
            &[
                "trend",
                "trade",
                "--by",
                "month",
                "--split-by",
                "speaker",
                "--json",
            ],
            "/api/trend?q=trade&by=month&split-by=speaker",
        ),
        (&["speakers", "--json"], "/api/speakers"),
        (&["stats", "--json"], "/api/stats"),
        (
            &[
                "show",
                "2020-01-05-briefing.txt:1",
                "--context",
                "1",
                "--json",
            ],
            "/api/show?target=2020-01-05-briefing.txt:1&context=1",
        ),
    ];
    for (args, url) in cases {
        let cli = f.podium(args);
        assert!(cli.code <= 1, "{args:?}: {}", cli.stderr);
        let api = server.get(url);
        assert_eq!(api.status, 200, "{url}: {}", api.body);
        assert_eq!(api.header("content-type"), Some("application/json"));
        assert_eq!(api.body, cli.stdout, "{url} differs from podium {args:?}");
    }
}

#[test]
fn a_bad_query_is_a_400_with_the_parsers_message_and_column() {
    let f = corpus();
    let server = Server::start(&f);
    let r = server.get("/api/search?q=%22unclosed");
    assert_eq!(r.status, 400);
    let cli = f.podium(&["search", "\"unclosed"]);
    let body = r.json();
    let column = body["column"].as_u64().expect("a column");
    assert!(
        cli.stderr.contains(&format!("column {column}")),
        "{}",
        cli.stderr
    );
    assert!(body["error"]
        .as_str()
        .unwrap()
        .starts_with("bad query: column"));
    // Parameters out of range say which one.
    let r = server.get("/api/search?q=trade&limit=100000");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().starts_with("limit="));
    let r = server.get("/api/search?q=trade&from=yesterday");
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(server.get("/api/search").status, 400);
}

#[test]
fn pathological_queries_get_an_error_not_a_hung_server() {
    let f = corpus();
    let server = Server::start(&f);
    let long = "a".repeat(10_000);
    let prefixes: Vec<String> = (b'a'..=b'z')
        .map(|c| format!("{0}{0}*", c as char))
        .collect();
    let huge_or: Vec<String> = (0..500).map(|i| format!("w{i}")).collect();
    for q in [long, prefixes.join(" "), huge_or.join(" OR ")] {
        let url = format!("/api/search?q={}", q.replace(' ', "+").replace('*', "%2A"));
        let r = server.get(&url);
        assert_eq!(r.status, 400, "{}", &r.body);
    }
    // The server still answers.
    assert_eq!(server.get("/api/search?q=trade").status, 200);
}

#[test]
fn no_request_path_is_opened_as_a_file() {
    let f = corpus();
    f.write("../secret.txt", b"Hua Chunying: secret words.\n");
    let server = Server::start(&f);
    let secret = f.dir.path().join("secret.txt");
    let absolute = secret.display().to_string();
    for target in [
        "../secret.txt",
        "../../../../etc/passwd",
        absolute.as_str(),
        "/etc/passwd",
        "2020-01-05-briefing.txt/../../secret.txt",
    ] {
        let enc: String = form_urlencoded(target);
        let api = server.get(&format!("/api/show?target={enc}"));
        assert_eq!(api.status, 404, "{target}: {}", api.body);
        assert!(!api.body.contains("secret words"));
        let page = server.get(&format!("/show?path={enc}"));
        assert_eq!(page.status, 404, "{target}");
        assert!(!page.body.contains("secret words") && !page.body.contains("root:"));
    }
    for raw in [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/etc/passwd",
    ] {
        let r = server.get(raw);
        assert!(r.status == 404 || r.status == 400, "{raw}: {}", r.status);
        assert!(!r.body.contains("secret words"));
    }
    // The key a search shows does open the transcript.
    let ok = server.get("/show?path=2020-01-05-briefing.txt&p=2");
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("Tariffs are part of the trade war."));
}

fn form_urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_page_escapes_every_string_and_sends_security_headers() {
    let f = Fixture::new(&[(
        "xss.txt",
        "Title: <script>alert('title')</script>\n\n<img src=x onerror=alert(1)>: Bad <script>alert('text')</script> words \"><svg onload=alert(2)> and <a href=\"javascript:alert(3)\">link</a>\n",
    )])
    .indexed();
    let server = Server::start(&f);
    let page = server.get("/?q=words");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("1</span> match"), "{}", page.body);
    for raw in [
        "<script>alert",
        "<img src=x",
        "<svg onload",
        "href=\"javascript:",
    ] {
        assert!(
            !page.body.contains(raw),
            "unescaped {raw} in:\n{}",
            page.body
        );
    }
    assert!(page.body.contains("&lt;script&gt;"), "{}", page.body);
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    // The page has no inline script for the policy to block.
    assert!(!page.body.contains("<script>"));
    let show = server.get("/show?path=xss.txt");
    assert!(!show.body.contains("<script>alert") && !show.body.contains("<svg onload"));
}

#[test]
fn the_server_is_read_only_and_bounds_bodies() {
    let f = corpus();
    let server = Server::start(&f);
    for method in ["POST", "PUT", "DELETE"] {
        let r = server.request(method, "/api/search?q=trade");
        assert_eq!(r.status, 405, "{method}");
    }
    assert_eq!(server.get("/no/such/page").status, 404);
}

#[test]
fn the_page_works_without_javascript() {
    let f = corpus();
    let server = Server::start(&f);
    let home = server.get("/");
    assert!(home
        .body
        .contains("<form id=\"search\" action=\"/\" method=\"get\""));
    let page = server.get("/?q=trade&speaker=Hua+Chunying");
    assert!(
        page.body.contains("We oppose the <mark>trade</mark> war"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Zhao Lijian: The trade war"));
    // Other speakers stay in the facet to be ticked too.
    assert!(page.body.contains("value=\"Zhao Lijian\""));
    let kwic = server.get("/?q=trade&tab=kwic");
    let lines = f
        .podium(&["search", "trade", "--kwic", "--limit", "25", "--json"])
        .json();
    let want = lines["occurrences"].as_array().unwrap().len();
    assert!(want >= 3);
    assert_eq!(kwic.body.matches("<tr class=\"line\"").count(), want);
    let trend = server.get("/?q=trade&tab=trend&by=year");
    assert_eq!(trend.body.matches("<g class=\"period\"").count(), 2);
    let assets = server.get("/assets/app.js");
    assert_eq!(assets.status, 200);
    assert!(assets
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
}

#[test]
fn another_address_than_loopback_is_announced() {
    let f = corpus();
    let server = Server::start_with(&f, &["--addr", "0.0.0.0:0"]);
    let stderr = server.stop();
    assert!(stderr.contains("notice: listening on 0.0.0.0:"), "{stderr}");
    let quiet = Server::start(&f).stop();
    assert!(!quiet.contains("notice"), "{quiet}");
}

/// New commits, incremental and `--rebuild`, are served without a restart, and no request
/// fails while they are swapped in.
#[test]
fn the_server_picks_up_new_commits_and_rebuilds_without_failing_requests() {
    let f = corpus();
    let server = Server::start(&f);
    let total = |q: &str| {
        server.get(&format!("/api/search?q={q}")).json()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total("zebras"), 0);
    f.write(
        "2022-01-01-new.txt",
        b"Hua Chunying: Zebras are new here.\n",
    );
    let run = f.podium(&["index", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(total("zebras"), 1);

    let before = total("trade");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (addr, flag) = (server.addr.clone(), stop.clone());
    let hammer = std::thread::spawn(move || {
        let client = crate::harness::Client { addr };
        let mut answers = Vec::new();
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let r = client.get("/api/search?q=trade");
            answers.push((r.status, r.json()["total"].as_u64()));
        }
        answers
    });
    for _ in 0..3 {
        let run = f.podium(&["index", "corpus", "--rebuild"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    f.write("2022-02-02-more.txt", b"Hua Chunying: More trade news.\n");
    let run = f.podium(&["index", "corpus", "--rebuild"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers = hammer.join().unwrap();
    assert!(!answers.is_empty());
    for (status, total) in &answers {
        assert_eq!(*status, 200);
        assert!(
            *total == Some(before) || *total == Some(before + 1),
            "{total:?}, not {before} or {}",
            before + 1
        );
    }
    assert_eq!(total("trade"), before + 1);
}
