//! Speaker labels learnt from each document, end to end through `podium inspect`: conventions
//! the word lists never named, and openings that look like labels but are not.

use serde_json::Value;

use crate::harness::Fixture;

/// `podium inspect --json FILE`: (speaker or "-", role, text) per passage.
fn passages(f: &Fixture, rel: &str) -> Vec<(String, String, String)> {
    let run = f.podium(&["inspect", "--json", &format!("corpus/{rel}")]);
    assert_eq!(run.code, 0, "inspect {rel}: {}", run.stderr);
    let json: Value = run.json();
    json[0]["passages"]
        .as_array()
        .expect("passages")
        .iter()
        .map(|p| {
            (
                p["speaker"].as_str().unwrap_or("-").to_string(),
                p["role"].as_str().unwrap().to_string(),
                p["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

type Passages = [(String, String, String)];

/// (speaker, role) per passage.
fn roles(got: &Passages) -> Vec<(&str, &str)> {
    got.iter()
        .map(|(s, r, _)| (s.as_str(), r.as_str()))
        .collect()
}

/// (speaker, text) per passage.
fn texts(got: &Passages) -> Vec<(&str, &str)> {
    got.iter()
        .map(|(s, _, t)| (s.as_str(), t.as_str()))
        .collect()
}

fn speakers(f: &Fixture, rel: &str) -> Vec<String> {
    passages(f, rel).into_iter().map(|(s, _, _)| s).collect()
}

#[test]
fn an_older_news_conference_names_its_president_in_the_header() {
    let f = Fixture::new(&[(
        "1964-06-05.txt",
        "The President's News Conference\n\nPresident: Lyndon B. Johnson\n\nDate: June 5, 1964\n\n\
         THE PRESIDENT. Good morning. I have a short statement on the budget.\n\n\
         Q. Mr. President, will the budget be balanced?\n\n\
         THE PRESIDENT. We will try. The numbers come next week.\n\n\
         Q. Thank you, Mr. President.\n",
    )]);
    let got = passages(&f, "1964-06-05.txt");
    let who = roles(&got);
    assert_eq!(
        who,
        [
            ("-", "answer"), // the title line
            ("Lyndon B. Johnson", "answer"),
            ("-", "question"),
            ("Lyndon B. Johnson", "answer"),
            ("-", "question"),
        ],
        "{got:?}"
    );
    assert!(
        got.iter().all(|(_, _, t)| !t.contains("Lyndon")),
        "the header line is nobody's speech: {got:?}"
    );
    let run = f.podium(&["inspect", "--json", "corpus/1964-06-05.txt"]);
    assert_eq!(run.json()[0]["date"], "1964-06-05", "the header's date");
}

#[test]
fn bold_and_outlet_labels_of_a_debate() {
    let f = Fixture::new(&[(
        "debate.md",
        "# A debate\n\n**LEHRER:** Good evening from the hall.\n\n\
         **SMITH:** Thank you, Jim. Let me begin with taxes.\n\n\
         For example: the rate went up twice.\n\n\
         **LEHRER:** And your answer?\n\n\
         Frank Cormier, Associated Press: Mr. Smith, a question on trade.\n\n\
         **SMITH:** Trade is growing.\n",
    )]);
    let got = passages(&f, "debate.md");
    let who: Vec<&str> = got.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(
        who,
        [
            "-",
            "Lehrer",
            "Smith",
            "Smith",
            "Lehrer",
            "Frank Cormier",
            "Smith"
        ],
        "{got:?}"
    );
    assert_eq!(got[3].2, "For example: the rate went up twice.");
    assert_eq!(got[5].1, "question", "an outlet's reporter asks");
}

#[test]
fn heading_labels_and_the_lines_that_only_look_like_labels() {
    let f = Fixture::new(&[(
        "2020-05-01-interview.md",
        "# 2020-05-01 An interview\n\n### 主持人：\n今天的題目是開放政府。\n\n\
         ### 林明：\n我先說明三點。\n方面入手：我們從資料開始。\n\n\
         ### Interviewer:\nInternational policy: does it apply abroad?\n\n\
         ### 林明\n會的。\n\n> (laughter)\n\n### 林明：\n謝謝。\n",
    )]);
    let got = passages(&f, "2020-05-01-interview.md");
    let who = texts(&got);
    assert_eq!(
        who,
        [
            ("-", "2020-05-01 An interview"),
            ("-", "今天的題目是開放政府。"),
            ("林明", "我先說明三點。"),
            ("林明", "方面入手：我們從資料開始。"),
            ("-", "International policy: does it apply abroad?"),
            ("林明", "會的。"),
            ("-", "> (laughter)"),
            ("林明", "謝謝。"),
        ],
        "{got:?}"
    );
    assert_eq!(got[4].1, "question", "the interviewer asks");
}

#[test]
fn hansard_pages_with_bold_labels_column_markers_and_attendance() {
    let f = Fixture::new(&[(
        "1960/1960-03-01.html",
        "<html><body><b>PRESENT:</b><br>Mr Speaker (Mr A. B. Chair).<br>\
         Mr Tan Ah Kow (Katong).<br><br>\
         <!-- Mr Lee -->&nbsp;&nbsp;<b>The Chief Minister (Mr Lee Ah Beng):</b> Sir, I beg to move\n\
         that the Bill be read a second time. These are the three keys on which the whole<br><br>\
         <font size=\"1\"><b>Column: 22</b></font><br><br>system operates.<br><br>\
         <b>Mr Speaker:</b> Does any Member wish to speak?<br><br>\
         <B>The Chief Minister</B>:&nbsp; I thank the House.<br><br>\
         <b>Mr Tan Ah Kow (Katong):</b> Sir, one question.</body></html>",
    )]);
    let got = passages(&f, "1960/1960-03-01.html");
    let who = texts(&got);
    assert_eq!(
        who,
        [
            (
                "Mr Lee Ah Beng",
                "Sir, I beg to move that the Bill be read a second time. These are the three keys on which the whole system operates."
            ),
            ("Mr Speaker", "Does any Member wish to speak?"),
            ("Mr Lee Ah Beng", "I thank the House."),
            ("Mr Tan Ah Kow", "Sir, one question."),
        ],
        "{got:?}"
    );
}

#[test]
fn fiji_labels_end_in_a_period_and_a_hyphen() {
    let f = Fixture::new(&[(
        "fiji/2021-02-08/part3.html",
        "<html><body><h3>QUESTIONS</h3>\
         <p>HON. A.B. KOTO (Minister for Commerce, Trade and\n\nTransport).- Thank you, Mr.</p>\
         <p>Speaker, Sir. I thank the Member.</p>\
         <p>HON. SPEAKER.- Thank you. HON. C. D. RAVU.- A supplementary question, Sir.</p>\
         <p><span class=\"speaker\">Mr:</span> Speaker, Sir, with those remarks</p>\
         <p>HON. E. F. NAVU asked the Government, upon notice:</p>\
         <p>Can the Minister update the House on the roads?</p></body></html>",
    )]);
    let got = passages(&f, "fiji/2021-02-08/part3.html");
    let who = roles(&got);
    assert_eq!(
        who,
        [
            ("-", "answer"),
            ("Hon. A.B. Koto", "answer"),
            ("Hon. A.B. Koto", "answer"),
            ("Hon. Speaker", "answer"),
            ("Hon. C. D. Ravu", "answer"),
            ("Hon. C. D. Ravu", "answer"),
            ("Hon. E. F. Navu", "question"),
        ],
        "{got:?}"
    );
    let run = f.podium(&["inspect", "--json", "corpus/fiji/2021-02-08/part3.html"]);
    assert_eq!(
        run.json()[0]["date"],
        "2021-02-08",
        "the sitting's folder dates it"
    );
}

#[test]
fn discourse_markers_and_reported_speech_stay_in_the_turn() {
    let f = Fixture::new(&[(
        "2021-03-01-briefing.md",
        "MS. PSAKI:  Good afternoon.\n\nFirst, on vaccines. For example: the supply doubled.\n\n\
         Second point: the rollout.\n\nAnd understand: this matters.\n\nTrump said: nothing.\n\n\
         I quote: \"we will see\".\n\nQ   Thanks, Jen.\n\nMS. PSAKI:  Sure.\n",
    )]);
    assert_eq!(
        speakers(&f, "2021-03-01-briefing.md"),
        [
            "Ms. Psaki",
            "Ms. Psaki",
            "Ms. Psaki",
            "Ms. Psaki",
            "Ms. Psaki",
            "Ms. Psaki",
            "-",
            "Ms. Psaki"
        ]
    );
}
