//! Every input format podium reads, end to end: what gets indexed, attributed and dated.

use serde_json::json;

use crate::harness::Fixture;

#[test]
fn json_transcripts_passages_and_jsonl_lines_are_indexed() {
    let f = Fixture::new(&[
        (
            "one.json",
            r#"{"title": "Regular Press Conference", "date": "2020-04-22", "speaker": "Zhao Lijian",
                "paragraphs": ["Good afternoon.", "AFP: A question on vaccines?", {"speaker": "Zhao Lijian", "text": "Vaccines are a public good."}]}"#,
        ),
        (
            "many.json",
            r#"[{"title": "Remarks", "date": "2021-03-01", "speaker": "Hua Chunying", "text": "We oppose sanctions."},
                {"title": "Remarks", "date": "2021-03-01", "speaker": "Q", "text": "Any more sanctions?"},
                {"id": "speech-7", "title": "Speech", "date": "19 November 2021", "text": "Friends,\n\nVaccines save lives."}]"#,
        ),
        (
            "lines.jsonl",
            "{\"speaker\": \"Geng Shuang\", \"date\": \"2019-07-08\", \"text\": \"Vaccines matter.\"}\n{broken\n{\"speaker\": \"耿爽\", \"date\": \"2019-07-08\", \"text\": \"疫苗很重要。\"}\n",
        ),
    ]);
    let run = f.podium(&["index", "corpus", "--json"]);
    assert_eq!(
        run.code, 1,
        "a bad line makes the run exit 1: {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.trim(),
        "podium: lines.jsonl: line 2, column 2: key must be a string"
    );
    let report = run.json();
    assert_eq!(report["files_indexed"], 3);
    assert_eq!(
        report["warnings"],
        json!([{"path": "lines.jsonl", "reason": "line 2, column 2: key must be a string"}])
    );
    assert_eq!(report["skipped"], json!([]));

    let hits = f.search(&["vaccines", "--limit", "20"]);
    let mut got: Vec<(String, u64, String, String)> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap().to_string(),
                h["paragraph"].as_u64().unwrap(),
                h["speaker"].as_str().unwrap_or("-").to_string(),
                h["date"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(String, u64, String, String)> = [
        ("lines.jsonl", 0, "Geng Shuang", "2019-07-08"),
        ("many.json#speech-7", 1, "-", "2021-11-19"),
        ("one.json", 1, "AFP", "2020-04-22"),
        ("one.json", 2, "Zhao Lijian", "2020-04-22"),
    ]
    .iter()
    .map(|(p, n, s, d)| (p.to_string(), *n, s.to_string(), d.to_string()))
    .collect();
    assert_eq!(got, want);
    // Consecutive passages of one transcript are one transcript; the Q is a question.
    let mut sanctions = f.hits(&["sanctions"]);
    sanctions.sort();
    assert_eq!(
        sanctions,
        [
            ("many.json#1".to_string(), 0),
            ("many.json#1".to_string(), 1)
        ]
    );
    assert_eq!(f.speakers(&["sanctions", "--role", "question"]), ["-"]);
    assert_eq!(
        f.speakers(&["good afternoon"]),
        ["Zhao Lijian"],
        "front speaker owns unlabelled text"
    );
}

#[test]
fn html_pages_keep_the_article_and_drop_the_page() {
    let f = Fixture::new(&[(
        "page.html",
        r#"<html><head><title>Zhao Lijian at the forum</title>
        <meta property="article:published_time" content="2021-11-20T08:30:00+08:00">
        <script>document.write("Zhao Lijian: sanctions in a script")</script></head>
        <body><nav>Home | World | Sanctions</nav>
        <article><h1>Zhao Lijian at the forum</h1>
        <p>Zhao Lijian:Sanctions never solve problems.</p><p>We want dialogue.</p>
        <p>See also  Another story about sanctions</p></article>
        <footer>Cookies: we use cookies. Accept cookies?</footer></body></html>"#,
    )])
    .indexed();
    let r = f.search(&["sanctions"]);
    assert_eq!(
        r["total"], 1,
        "script, nav, See also and footer are not indexed: {r}"
    );
    assert_eq!(r["hits"][0]["speaker"], "Zhao Lijian");
    assert_eq!(r["hits"][0]["date"], "2021-11-20");
    assert_eq!(r["hits"][0]["title"], "Zhao Lijian at the forum");
    assert_eq!(f.speakers(&["dialogue"]), ["Zhao Lijian"]);
}

#[test]
fn white_house_markdown_with_quoted_wrapped_front_matter() {
    let text = "---\ntags: press-briefings\ndate: '2022-01-04'\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki and\\\n  \\ Dr. Anthony Fauci, January 4,\\_2022\"\n---\n \nJames S. Brady Press Briefing Room\n\n3:05 P.M. EST\n\u{a0} \nMS. PSAKI:\u{a0} Hi, everyone.\u{a0} Omicron is\nspreading.\u{a0} \n\u{a0} \nQ\u{a0}\u{a0}\u{a0} Thanks, Jen.\u{a0} On omicron?\n\u{a0} \nDR. FAUCI:\u{a0} Omicron is milder.\n\u{a0} \nEND\u{a0}\u{a0}\u{a0} 3:50 P.M. EST\n";
    let f = Fixture::new(&[("2022-01-04-press-briefing.md", text)]);
    let run = f.podium(&["inspect", "corpus/2022-01-04-press-briefing.md", "--json"]);
    let t = &run.json()[0];
    assert_eq!(
        t["title"],
        "Press Briefing by Press Secretary Jen Psaki and Dr. Anthony Fauci, January 4, 2022"
    );
    assert_eq!(t["date"], "2022-01-04");
    assert_eq!(t["date_source"], "front-matter");
    let passages: Vec<(String, String, String)> = t["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["speaker"].as_str().unwrap_or("-").into(),
                p["role"].as_str().unwrap().into(),
                p["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("-", "answer", "James S. Brady Press Briefing Room"),
        ("Jen Psaki", "answer", "Hi, everyone. Omicron is spreading."),
        ("-", "question", "Thanks, Jen. On omicron?"),
        ("Anthony Fauci", "answer", "Omicron is milder."),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(passages, want);
}

#[test]
fn bom_and_crlf_files_read_like_plain_ones() {
    let f = Fixture::new(&[]);
    f.write("bom.txt", "\u{feff}---\r\ntitle: Briefing\r\ndate: 2020-01-02\r\n---\r\nZhao Lijian: Hello.\r\nAFP: Question?\r\n".as_bytes());
    let f = f.indexed();
    assert_eq!(f.speakers(&["hello"]), ["Zhao Lijian"]);
    let r = f.search(&["question"]);
    assert_eq!(r["hits"][0]["date"], "2020-01-02");
    assert_eq!(r["hits"][0]["title"], "Briefing");
}

#[test]
fn html_pasted_into_markdown_is_read_as_html() {
    let f = Fixture::new(&[(
        "ly/2021-03-12.md",
        "---\ntitle: \"\\u66F8\\u9762\\u8CEA\\u8A62\"\n---\n\n主席：請看下表。\n\n    <table WIDTH=\"640\">\n\t\t<tr>\n\t\t\t<td STYLE=\"border-top: 1px solid #000000\"><p ALIGN=\"CENTER\">年度</p></td>\n\t\t\t<td><p>容量（<font FACE=\"Times\"><span LANG=\"en-US\">MW</span></font>）</p></td>\n\t\t</tr>\n\t</table>\n\n經濟部應於<u>三個月內</u>提出計畫。\n",
    )])
    .indexed();
    for markup in ["solid", "border", "width", "font", "span"] {
        assert_eq!(f.search(&[markup])["total"], 0, "{markup}");
    }
    let row = f.search(&["容量"]);
    assert_eq!(row["hits"][0]["text"], "年度 | 容量（MW）");
    assert_eq!(row["hits"][0]["title"], "書面質詢");
    let inline = f.search(&["三個月內提出"]);
    assert_eq!(inline["hits"][0]["text"], "經濟部應於三個月內提出計畫。");
}
