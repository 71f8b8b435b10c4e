//! `podium serve --engine`: the API answers as `podium … --engine` does, the page shows the
//! cluster's hits and its errors, runs of `podium index --engine` are picked up without a
//! restart, and a node that goes down is an error (never partial totals) until it is back.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cluster::{podium, TestCluster};
use crate::harness::{Fixture, Response, Run, Server};
use crate::serve::transcripts as corpus;

/// `podium ARGS --engine URL` in the fixture's directory.
fn cli(f: &Fixture, cluster: &TestCluster, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["--engine", &cluster.url]);
    podium(f.dir.path(), &all, None)
}

/// `podium index DIR --engine URL`, which must succeed.
fn index(f: &Fixture, cluster: &TestCluster, dir: &str) {
    let run = cli(f, cluster, &["index", dir, "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// What the command line printed, as the API should answer it: the JSON on success, the error
/// message (after `podium: `) on failure.
fn expected(run: &Run) -> Result<Value, String> {
    match run.code {
        0 | 1 => Ok(run.json()),
        _ => Err(run.stderr.trim().trim_start_matches("podium: ").to_string()),
    }
}

fn answer(r: &Response) -> Result<Value, String> {
    match r.status {
        200 => Ok(r.json()),
        _ => Err(r.json()["error"].as_str().unwrap_or("").to_string()),
    }
}

/// Asks until `done` holds for the answer (the server reads the cluster's metadata about once
/// a second), and fails with the last answer after a while.
fn eventually(server: &Server, url: &str, done: impl Fn(&Response) -> bool) -> Response {
    let started = Instant::now();
    loop {
        let r = server.get(url);
        if done(&r) {
            return r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{url} never gave the expected answer; last: {} {}",
            r.status,
            r.body
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A two-node cluster with the briefings indexed, and `podium serve --engine` over it (`None`
/// without searchd).
fn served(test: &str) -> Option<(TestCluster, Fixture, Server)> {
    let cluster = TestCluster::start(test, 2)?;
    let f = corpus();
    index(&f, &cluster, "corpus");
    let server = Server::start_with(&f, &["--addr", "127.0.0.1:0", "--engine", &cluster.url]);
    Some((cluster, f, server))
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn the_server_answers_through_a_cluster_as_the_command_line_does() {
    let Some((cluster, f, server)) = served("serve_engine_answers") else {
        return;
    };

    // The API is the command line's --json, over the same cluster.
    let same = |args: &[&str], url: &str| {
        let want = expected(&cli(&f, &cluster, args));
        let got = answer(&server.get(url));
        assert_eq!(got, want, "{url} differs from podium {args:?} --engine");
    };
    let cases: &[(&[&str], String)] = &[
        (
            &["search", "命运共同体", "--json"],
            format!("/api/search?q={}", encode("命运共同体")),
        ),
        (
            &["search", "trade war", "--json"],
            "/api/search?q=trade+war".into(),
        ),
        (
            &["search", "tariffs", "--speaker", "Zhao Lijian", "--json"],
            "/api/search?q=tariffs&speaker=Zhao+Lijian".into(),
        ),
        (
            &[
                "search", "trade", "--from", "2021", "--to", "2021-12", "--json",
            ],
            "/api/search?q=trade&from=2021&to=2021-12".into(),
        ),
        (
            &["search", "tariffs", "--context", "1", "--json"],
            "/api/search?q=tariffs&context=1".into(),
        ),
        (
            &["search", "trade", "--kwic", "--width", "5", "--json"],
            "/api/kwic?q=trade&width=5".into(),
        ),
        (
            &["trend", "trade", "--by", "month", "--json"],
            "/api/trend?q=trade&by=month".into(),
        ),
        (&["stats", "--json"], "/api/stats".into()),
        (&["speakers", "--json"], "/api/speakers".into()),
        (
            &[
                "show",
                "2020-01-05-briefing.txt:1",
                "--context",
                "1",
                "--json",
            ],
            "/api/show?target=2020-01-05-briefing.txt:1&context=1".into(),
        ),
        // What the cluster may refuse (an order it does not offer, a phrase with slack) is
        // refused through the API with the command line's message.
        (
            &["search", "trade", "--sort", "date", "--json"],
            "/api/search?q=trade&sort=date".into(),
        ),
        (
            &["search", "\"trade war\"~2", "--json"],
            format!("/api/search?q={}", encode("\"trade war\"~2")),
        ),
    ];
    for (args, url) in cases {
        same(args, url);
    }
    let refused = server.get("/api/search?q=trade&sort=date");
    if refused.status != 200 {
        assert_eq!(refused.status, 502, "{}", refused.body);
        // The page shows the same message instead of results.
        let page = server.get("/?q=trade&sort=date");
        assert_eq!(page.status, 502);
        let message = refused.json()["error"].as_str().unwrap().to_string();
        assert!(page.body.contains("class=\"error\""), "{}", page.body);
        assert!(
            page.body.contains(message.split('`').next().unwrap()),
            "{message}\n{}",
            page.body
        );
    }

    // The page renders the cluster's hits, and its transcript view.
    let page = server.get(&format!("/?q={}", encode("命运共同体")));
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.body.matches("<li class=\"hit\"").count(),
        1,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<mark>命运共同体</mark>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("2021-07-01-zh.txt ¶"), "{}", page.body);
    let shown = server.get("/show?path=2020-01-05-briefing.txt&p=1");
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("What about tariffs?"), "{}", shown.body);
}

#[test]
fn the_server_follows_index_runs_and_nodes_going_down_without_a_restart() {
    let Some((cluster, f, server)) = served("serve_engine_follows") else {
        return;
    };
    let search = |q: &str| server.get(&format!("/api/search?q={q}"));
    assert_eq!(search("zebras").json()["total"], 0);

    // A changed file is found at once (every search asks the cluster).
    f.write(
        "2021-06-01-briefing.txt",
        b"Title: Later briefing\n\nHua Chunying: Zebras oppose the trade war.\n",
    );
    index(&f, &cluster, "corpus");
    assert_eq!(search("zebras").json()["total"], 1);

    // A second root changes the cluster's metadata (its roots, so every path gains its root's
    // folder): the server opens the cluster again and shows what the command line shows.
    f.write(
        "../more/2022-03-01-more.txt",
        b"Wang Wenbin: More zebras and trade.\n",
    );
    index(&f, &cluster, "more");
    let want = cli(&f, &cluster, &["search", "zebras", "--json"]).json();
    assert_eq!(want["total"], 2);
    eventually(&server, "/api/search?q=zebras", |r| {
        r.status == 200 && r.json() == want
    });
    let stats = cli(&f, &cluster, &["stats", "--json"]).json();
    assert_eq!(server.get("/api/stats").json(), stats);

    // The shard on the second node stops: every search is an error that says the results
    // would be partial, with no totals, on the API and on the page.
    let full = search("trade");
    assert_eq!(full.status, 200);
    cluster.stop_node(1);
    let partial = search("trade");
    assert_eq!(partial.status, 503, "{}", partial.body);
    let body = partial.json();
    assert!(body.get("total").is_none(), "{body}");
    let message = body["error"].as_str().unwrap();
    let port1 = cluster.port + 2;
    for words in ["partial", &format!("shard 1 (127.0.0.1:{port1})")] {
        assert!(message.contains(words), "{words}: {message}");
    }
    let page = server.get("/?q=trade");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("would be partial"), "{}", page.body);
    assert!(!page.body.contains("class=\"hit\""), "{}", page.body);
    cluster.start_node(1).unwrap();
    assert_eq!(search("trade").body, full.body);

    // Requests at once run side by side on connections of their own, and get the same answer
    // (the server then holds several connections).
    let answers: Vec<String> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| (0..5).map(|_| search("trade").body).collect::<Vec<_>>()))
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    assert_eq!(answers.len(), 20);
    for a in &answers {
        assert_eq!(a, &full.body);
    }

    // The first node restarts: every connection the server held is broken; the next request
    // reconnects and succeeds.
    cluster.stop_node(0);
    cluster.start_node(0).unwrap();
    assert_eq!(search("trade").body, full.body);
    // While it is down, the answer says so.
    cluster.stop_node(0);
    let down = search("trade");
    assert_eq!(down.status, 503, "{}", down.body);
    assert!(
        down.json()["error"]
            .as_str()
            .unwrap()
            .contains("cannot reach the search engine"),
        "{}",
        down.body
    );
    cluster.start_node(0).unwrap();
    assert_eq!(search("trade").body, full.body);
}

#[test]
fn a_cluster_that_cannot_be_served_is_refused_at_start() {
    let Some(cluster) = TestCluster::start("serve_engine_refused", 2) else {
        return;
    };
    let f = corpus();
    // Whether the server started (it then prints where it listens, and is killed), and what
    // it wrote on stderr.
    let serve = |url: &str| -> (bool, String) {
        use std::io::Read;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_podium"))
            .env_clear()
            .current_dir(f.dir.path())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("PODIUM_ENGINE", url)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        let started = child.stdout.take().unwrap().read(&mut first).unwrap_or(0) > 0;
        if started {
            let _ = child.kill();
        }
        let output = child.wait_with_output().unwrap();
        (
            started,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    // Nothing indexed yet.
    let (started, stderr) = serve(&cluster.url);
    assert!(!started, "the server started: {stderr}");
    assert!(stderr.contains("holds no podium index yet"), "{stderr}");
    // A wrong table.
    let (started, stderr) = serve(&cluster.url.replace("/podium", "/nosuch"));
    assert!(!started, "the server started: {stderr}");
    assert!(
        stderr.contains("no table `nosuch_0`") || stderr.contains("no table `nosuch`"),
        "{stderr}"
    );
}
