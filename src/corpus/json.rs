//! JSON and JSON Lines files -> documents.
//!
//! A `.json` file holds one object or an array of objects; a `.jsonl` file holds one object per
//! line. An object is either
//! - a **transcript**: `paragraphs` (strings, or `{"speaker", "text"}` objects) or a `text` with
//!   line breaks (labels in it are recognized as in a text file), plus optional `title`, `date`,
//!   `speaker` (who says unlabelled text), `lang`, `id`; or
//! - a **passage**: a one-paragraph `text` with its `speaker`, plus optional `date`, `title`,
//!   `lang`, `id`. Consecutive passages with the same title and date form one transcript.
//!
//! A malformed line of a `.jsonl` file is reported with its line number and skipped; the other
//! lines are read.

use serde_json::{Map, Value};

use super::{Body, FrontMatter, Turn};
use crate::FileErrorKind;

/// One transcript read from JSON, before it becomes a [`super::Document`].
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: Option<String>,
    pub front: FrontMatter,
    pub body: Body,
}

/// A problem with one line or item; the rest of the file is still read.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// Parses a `.json` file.
pub fn parse_json(text: &str) -> Result<(Vec<Record>, Vec<Problem>), FileErrorKind> {
    let value: Value = serde_json::from_str(text).map_err(|e| FileErrorKind::Json {
        line: e.line(),
        column: e.column(),
        message: json_message(&e),
    })?;
    let items: Vec<(usize, Value)> = match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i + 1, v))
            .collect(),
        other => vec![(1, other)],
    };
    let mut problems = Vec::new();
    let mut objects = Vec::new();
    for (n, item) in items {
        match item {
            Value::Object(map) => objects.push((n, map)),
            other => problems.push(Problem {
                line: n,
                message: format!("item {n}: expected an object, found {}", kind(&other)),
            }),
        }
    }
    let (records, mut more) = records(objects, "item");
    problems.append(&mut more);
    Ok((records, problems))
}

/// Parses a `.jsonl` file: one object per line, blank lines allowed.
pub fn parse_jsonl(text: &str) -> (Vec<Record>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut objects = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => objects.push((line_no, map)),
            Ok(other) => problems.push(Problem {
                line: line_no,
                message: format!("line {line_no}: expected an object, found {}", kind(&other)),
            }),
            Err(e) => problems.push(Problem {
                line: line_no,
                message: format!(
                    "line {line_no}, column {}: {}",
                    e.column(),
                    json_message(&e)
                ),
            }),
        }
    }
    let (records, mut more) = records(objects, "line");
    problems.append(&mut more);
    (records, problems)
}

fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; we report those ourselves.
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns objects into records, grouping consecutive passages of one transcript.
fn records(objects: Vec<(usize, Map<String, Value>)>, unit: &str) -> (Vec<Record>, Vec<Problem>) {
    let mut out: Vec<Record> = Vec::new();
    let mut problems = Vec::new();
    // The (title, date) of the passage group `out.last()` is collecting, if it is one.
    let mut group: Option<(Option<String>, Option<String>)> = None;
    for (n, map) in objects {
        let string = |key: &str| match map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
            Some(Value::Number(x)) if key == "id" => Ok(Some(x.to_string())),
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(_)) => Ok(None),
            Some(other) => Err(format!(
                "{unit} {n}: `{key}` should be a string, found {}",
                kind(other)
            )),
        };
        let fields = ["title", "date", "speaker", "lang", "id", "text"].map(string);
        if let Some(Err(message)) = fields.iter().find(|f| f.is_err()) {
            problems.push(Problem {
                line: n,
                message: message.clone(),
            });
            continue;
        }
        let [title, date, speaker, lang, id, text] = fields.map(|f| f.expect("checked above"));
        let mut front = FrontMatter::default();
        for (key, value) in [
            ("title", &title),
            ("date", &date),
            ("speaker", &speaker),
            ("lang", &lang),
        ] {
            if let Some(v) = value {
                front.fields.push((key.to_string(), v.clone()));
            }
        }
        if let Some(paragraphs) = map.get("paragraphs") {
            match turns(paragraphs) {
                Ok(turns) => out.push(Record {
                    id,
                    front,
                    body: Body::Turns(turns),
                }),
                Err(message) => problems.push(Problem {
                    line: n,
                    message: format!("{unit} {n}: {message}"),
                }),
            }
            group = None;
            continue;
        }
        let Some(text) = text else {
            problems.push(Problem {
                line: n,
                message: format!("{unit} {n}: an object needs `text` or `paragraphs`"),
            });
            continue;
        };
        if text.contains('\n') {
            out.push(Record {
                id,
                front,
                body: Body::Text(text),
            });
            group = None;
            continue;
        }
        // One passage: join the previous one if it is of the same transcript.
        let key = (title.clone(), date.clone());
        let turn = Turn { speaker, text };
        match (&group, out.last_mut()) {
            (
                Some(k),
                Some(Record {
                    body: Body::Turns(turns),
                    ..
                }),
            ) if *k == key => turns.push(turn),
            _ => {
                front.fields.retain(|(k, _)| k != "speaker");
                out.push(Record {
                    id,
                    front,
                    body: Body::Turns(vec![turn]),
                });
                group = Some(key);
            }
        }
    }
    (out, problems)
}

fn turns(paragraphs: &Value) -> Result<Vec<Turn>, String> {
    let Value::Array(items) = paragraphs else {
        return Err(format!(
            "`paragraphs` should be an array, found {}",
            kind(paragraphs)
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(text) => Ok(Turn {
                speaker: None,
                text: text.clone(),
            }),
            Value::Object(map) => {
                let text = map
                    .get("text")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("paragraph {}: needs a `text` string", i + 1))?;
                let speaker = map
                    .get("speaker")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                Ok(Turn {
                    speaker,
                    text: text.to_string(),
                })
            }
            other => Err(format!(
                "paragraph {}: expected a string or an object, found {}",
                i + 1,
                kind(other)
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns_of(r: &Record) -> Vec<(Option<&str>, &str)> {
        match &r.body {
            Body::Turns(t) => t
                .iter()
                .map(|t| (t.speaker.as_deref(), t.text.as_str()))
                .collect(),
            Body::Text(t) => vec![(None, t.as_str())],
        }
    }

    #[test]
    fn transcripts_and_passages() {
        let (records, problems) = parse_json(
            r#"[
              {"title": "Briefing", "date": "2020-04-22", "paragraphs": ["Zhao Lijian: Hello.", {"speaker": "AFP", "text": "A question?"}]},
              {"title": "Day two", "date": "2020-04-23", "speaker": "Zhao Lijian", "text": "One."},
              {"title": "Day two", "date": "2020-04-23", "speaker": "Reuters", "text": "Two?"},
              {"title": "Speech", "text": "First paragraph.\n\nSecond paragraph."},
              3
            ]"#,
        )
        .unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(
            turns_of(&records[0]),
            [(None, "Zhao Lijian: Hello."), (Some("AFP"), "A question?")]
        );
        assert_eq!(records[0].front.get("date"), Some("2020-04-22"));
        assert_eq!(
            turns_of(&records[1]),
            [(Some("Zhao Lijian"), "One."), (Some("Reuters"), "Two?")]
        );
        assert_eq!(
            records[2].body,
            Body::Text("First paragraph.\n\nSecond paragraph.".into())
        );
        assert_eq!(
            problems,
            [Problem {
                line: 5,
                message: "item 5: expected an object, found a number".into()
            }]
        );
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_is_read() {
        let (records, problems) = parse_jsonl(
            "{\"speaker\": \"Hua Chunying\", \"text\": \"Yes.\"}\n{\"speaker\": \"Hua Chunying\", \"text\": \n\n[1]\n{\"title\": 3, \"text\": \"x\"}\n{\"speaker\": \"Q\"}\n",
        );
        assert_eq!(records.len(), 1);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "line 2, column 36: EOF while parsing a value",
                "line 4: expected an object, found an array",
                "line 5: `title` should be a string, found a number",
                "line 6: an object needs `text` or `paragraphs`",
            ]
        );
    }

    #[test]
    fn a_broken_json_file_reports_line_and_column() {
        match parse_json("{\n  \"text\": \"x\",\n  oops\n}") {
            Err(FileErrorKind::Json {
                line,
                column,
                message,
            }) => {
                assert_eq!((line, column), (3, 3));
                assert_eq!(message, "key must be a string");
            }
            other => panic!("{other:?}"),
        }
    }
}
