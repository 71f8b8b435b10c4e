//! Comma-separated values for spreadsheets (RFC 4180): one row per hit, written as it comes, so
//! an export of every hit never holds more than one in memory.

use std::io::{self, Write};

use crate::search::Hit;

/// The columns of `podium search --csv`, in order.
pub const COLUMNS: [&str; 11] = [
    "rank",
    "date",
    "speaker",
    "label",
    "role",
    "lang",
    "title",
    "path",
    "paragraph",
    "text",
    "duplicates",
];

/// Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// A CSV table of hits being written: the header first, then a row per [`HitRows::row`].
pub struct HitRows<W: Write> {
    writer: ::csv::Writer<W>,
}

impl<W: Write> HitRows<W> {
    /// Starts the table (with a byte order mark first if `bom`).
    pub fn new(mut w: W, bom: bool) -> io::Result<HitRows<W>> {
        if bom {
            w.write_all(BOM)?;
        }
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(w);
        writer.write_record(COLUMNS)?;
        Ok(HitRows { writer })
    }

    pub fn row(&mut self, hit: &Hit) -> io::Result<()> {
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        // The label as the transcript writes it (`答`, `MS. PSAKI`); empty where no label
        // opened the turn.
        let label = text(&hit.label);
        self.writer.write_record([
            hit.rank.to_string(),
            hit.date.map(|d| d.to_string()).unwrap_or_default(),
            text(&hit.speaker),
            label,
            text(&hit.role),
            text(&hit.lang),
            hit.title.clone(),
            hit.path.clone(),
            hit.paragraph.to_string(),
            hit.text.clone(),
            hit.duplicates.to_string(),
        ])?;
        Ok(())
    }

    /// Writes out what is buffered.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A table of `header` and `rows` (`podium trend --csv`).
pub fn table(w: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(w);
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str) -> Hit {
        Hit {
            rank: 3,
            score: None,
            speaker: Some("Zhao Lijian".into()),
            label: Some("赵立坚".into()),
            role: Some("answer".into()),
            lang: Some("zh".into()),
            date: crate::date::Date::from_number(20200422),
            title: "Title, with a comma".into(),
            path: "a.txt".into(),
            paragraph: 7,
            text: text.into(),
            snippet: String::new(),
            snippet_highlights: Vec::new(),
            highlights: Vec::new(),
            duplicates: 2,
            context: Vec::new(),
        }
    }

    #[test]
    fn fields_are_quoted_when_they_hold_commas_quotes_or_line_breaks() {
        let mut out = Vec::new();
        let mut rows = HitRows::new(&mut out, false).expect("writing to memory");
        rows.row(&hit("He said \"no\",\nthen left.\r\n命运"))
            .expect("row");
        rows.finish().expect("flush");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(
            text,
            "rank,date,speaker,label,role,lang,title,path,paragraph,text,duplicates\r\n\
             3,2020-04-22,Zhao Lijian,赵立坚,answer,zh,\"Title, with a comma\",a.txt,7,\
             \"He said \"\"no\"\",\nthen left.\r\n命运\",2\r\n"
        );
    }

    #[test]
    fn a_bom_only_when_asked() {
        let mut with = Vec::new();
        HitRows::new(&mut with, true).unwrap().finish().unwrap();
        assert!(with.starts_with(BOM));
        let mut without = Vec::new();
        HitRows::new(&mut without, false).unwrap().finish().unwrap();
        assert!(without.starts_with(b"rank,"));
    }
}
