//! One person per speaker across the index: variants found in different files and runs are
//! one person in filters, facets, hits and `podium speakers`.

use serde_json::Value;

use crate::harness::Fixture;

/// `(name, count)` of a search's speaker facet.
fn facet(results: &Value) -> Vec<(String, u64)> {
    results["facets"]["speaker"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// One spokesperson written in pinyin, Simplified and Traditional.
pub const ZHAO_THREE_WAYS: &[(&str, &str)] = &[
    (
        "mfa-en/2021-01-04.txt",
        "Zhao Lijian: We oppose the sanctions.\n\nZhao Lijian: The sanctions harm trade.\n",
    ),
    (
        "mfa-zh/2021-01-04.txt",
        "赵立坚：我们反对制裁。\n\n记者：还有问题吗？\n\n赵立坚：没有了。\n",
    ),
    (
        "mfa-zh/2021-01-05.txt",
        "趙立堅：制裁無助於解決問題。\n\n記者：還有問題嗎？\n\n趙立堅：沒有了。\n",
    ),
];

pub const ZIENTS_ONLY: &str = "Press Briefing by the Response Team\n\n\
MR. ZIENTS: Good morning. Vaccinations are rising this week.\n\n\
Q: Thank you. What about supply?\n\n\
MR. ZIENTS: Supply is growing, and vaccinations with it.\n";

pub const ZIENTS_NAMED: &str = "Remarks on the Response\n\n\
JEFF ZIENTS: Vaccinations reached a new high today.\n";

#[test]
fn a_full_name_indexed_later_takes_the_earlier_passages_of_its_surname() {
    let f = Fixture::new(&[("wh/2021-03-01.txt", ZIENTS_ONLY)]).indexed();
    assert_eq!(
        facet(&f.search(&["vaccinations"])),
        [("Mr. Zients".to_string(), 2)]
    );
    // A second run brings the full name; the first file is not read again.
    f.write("wh/2021-03-08.txt", ZIENTS_NAMED.as_bytes());
    let run = f.podium(&["index", "corpus", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["files_indexed"], 1);

    let all = f.search(&["vaccinations"]);
    assert_eq!(facet(&all), [("Jeff Zients".to_string(), 3)]);
    for hit in all["hits"].as_array().unwrap() {
        assert_eq!(hit["speaker"], "Jeff Zients", "{hit}");
    }
    let labels: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"MR. ZIENTS") && labels.contains(&"JEFF ZIENTS"));
    for variant in ["Jeff Zients", "Mr. Zients", "mr. zients", "MR. ZIENTS"] {
        let found = f.search(&["vaccinations", "--speaker", variant]);
        assert_eq!(found["total"], 3, "--speaker {variant}");
        let found = f.search(&[&format!("vaccinations speaker:\"{variant}\"")]);
        assert_eq!(found["total"], 3, "speaker:{variant}");
    }

    let run = f.podium(&["speakers", "--json"]);
    let persons = run.json();
    assert_eq!(persons.as_array().unwrap().len(), 1, "{persons}");
    assert_eq!(persons[0]["speaker"], "Jeff Zients");
    assert_eq!(persons[0]["passages"], 3);
    let links: Vec<(&str, &str)> = persons[0]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["value"].as_str().unwrap(), v["link"].as_str().unwrap()))
        .collect();
    assert_eq!(links, [("Jeff Zients", "name"), ("Mr. Zients", "surname")]);
    let text = f.podium(&["speakers", "--variants"]).stdout;
    assert!(
        text.contains("3  Jeff Zients\n")
            && text.contains("Mr. Zients (surname, label; labels MR. ZIENTS)"),
        "{text}"
    );
}

#[test]
fn a_chinese_name_and_its_pinyin_are_one_speaker() {
    let mut files = ZHAO_THREE_WAYS.to_vec();
    files.push((
        "mfa-zh/2021-01-06.txt",
        "华春莹：制裁是错误的。\n\n记者：还有问题吗？\n\n华春莹：没有了。\n",
    ));
    let f = Fixture::new(&files).indexed();
    let latin = f.search(&["sanctions OR 制裁", "--speaker", "Zhao Lijian"]);
    let han = f.search(&["sanctions OR 制裁", "--speaker", "赵立坚"]);
    assert_eq!(latin["total"], 4);
    assert_eq!(han["total"], latin["total"]);
    assert_eq!(
        facet(&f.search(&["制裁"])),
        [("Zhao Lijian".to_string(), 2), ("华春莹".to_string(), 1)]
    );
    let persons = f.podium(&["speakers", "--json"]).json();
    let zhao = persons
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["speaker"] == "Zhao Lijian")
        .expect("Zhao Lijian is listed");
    assert_eq!(zhao["passages"], 6);
    let pinyin: Vec<&str> = zhao["variants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["link"] == "pinyin")
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(pinyin, ["赵立坚", "趙立堅"]);
}

#[test]
fn a_missing_or_stale_identity_table_leaves_each_value_its_own_person() {
    let f = Fixture::new(&[
        ("wh/2021-03-01.txt", ZIENTS_ONLY),
        ("wh/2021-03-08.txt", ZIENTS_NAMED),
    ])
    .indexed();
    let table = f.index_path().join("identity.json");
    std::fs::remove_file(&table).unwrap();
    assert_eq!(
        facet(&f.search(&["vaccinations"])),
        [
            ("Mr. Zients".to_string(), 2),
            ("Jeff Zients".to_string(), 1)
        ]
    );
    // The next run rewrites it, even with nothing to read.
    let run = f.podium(&["index", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(table.is_file());
    assert_eq!(
        facet(&f.search(&["vaccinations"])),
        [("Jeff Zients".to_string(), 3)]
    );
}
