//! CSV and TSV files -> one record per row, columns named by the header row.
//!
//! Read with the `csv` crate: quoted fields may hold the delimiter, quotes
//! (doubled) and newlines, as spreadsheet and CMS exports write them; rows
//! may have fewer or more cells than the header (the missing are absent, the
//! extra ignored). A row is located by its number with the header as row 1,
//! as a spreadsheet shows it (`file:row`); it is the line number too unless
//! an earlier cell spans lines.

use super::formats::{Pre, Rec};
use super::warc::Failure;
use std::io::Read;

/// The rows of a CSV or TSV stream.
pub(crate) struct Rows<R: Read> {
    r: csv::Reader<R>,
    header: Vec<String>,
    record: csv::ByteRecord,
    row: u64,
    done: bool,
}

impl<R: Read> Rows<R> {
    /// Rows of `r`, cells split at `delimiter`; `Err` when the header row
    /// cannot be read.
    pub fn new(r: R, delimiter: u8) -> Result<Self, Failure> {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(r);
        let header = match r.byte_headers() {
            Ok(h) => h
                .iter()
                .map(|c| {
                    String::from_utf8_lossy(c)
                        .trim()
                        .trim_start_matches('\u{FEFF}')
                        .to_owned()
                })
                .collect(),
            Err(e) => {
                return Err(Failure {
                    line: 1,
                    io: io_kind(&e),
                    message: format!("the header row cannot be read: {e}"),
                })
            }
        };
        Ok(Rows {
            r,
            header,
            record: csv::ByteRecord::new(),
            row: 1,
            done: false,
        })
    }
}

fn io_kind(e: &csv::Error) -> Option<std::io::ErrorKind> {
    match e.kind() {
        csv::ErrorKind::Io(io) => Some(io.kind()),
        _ => None,
    }
}

impl<R: Read> Iterator for Rows<R> {
    type Item = Result<Pre, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.r.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                self.row += 1;
                let mut cols = Vec::with_capacity(self.header.len());
                let mut bad_utf8 = false;
                for (name, cell) in self.header.iter().zip(self.record.iter()) {
                    // Read lossily here; whether that is allowed (--lossy)
                    // is the parser's to say (`Rec::Row`'s flag).
                    let v = match std::str::from_utf8(cell) {
                        Ok(s) => s.to_owned(),
                        Err(_) => {
                            bad_utf8 = true;
                            String::from_utf8_lossy(cell).into_owned()
                        }
                    };
                    cols.push((name.clone(), serde_json::Value::String(v)));
                }
                let rec = Rec::Row { cols, bad_utf8 };
                Some(Ok(Pre {
                    line: self.row,
                    at: (self.row, None),
                    ordinal: self.row - 2,
                    rec,
                }))
            }
            Err(e) => {
                self.done = true;
                Some(Err(Failure {
                    line: self.row + 1,
                    io: io_kind(&e),
                    message: format!("row {} cannot be read: {e}", self.row + 1),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{read, InputKind, Inputs, ReadOptions};

    fn rows(csv: &str, kind: InputKind) -> Vec<Result<(String, String, u64), String>> {
        let mut inputs = Inputs::default();
        inputs.push_bytes("t.csv", kind, csv.as_bytes().to_vec());
        read(
            &inputs,
            &ReadOptions::from_config(&crate::Config::default()),
        )
        .into_iter()
        .map(|p| match p {
            Ok((a, _)) => Ok((a.meta.id, a.text, a.meta.loc.line)),
            Err(s) => Err(s.to_string()),
        })
        .collect()
    }

    /// Quoted cells hold commas, doubled quotes and newlines; a row is
    /// located by its number (header = row 1) and an empty text is skipped
    /// there.
    #[test]
    fn quoted_cells_with_newlines_and_quotes() {
        let csv = "id,title,text\n1,A,\"First line,\nsecond \"\"quoted\"\" line\"\n2,B,\n3,C,plain text\n";
        let got = rows(csv, InputKind::Csv);
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            Ok(("1".into(), "First line,\nsecond \"quoted\" line".into(), 2))
        );
        let e = got[1].as_ref().unwrap_err();
        assert!(e.starts_with("t.csv:3: empty text"), "{e}");
        assert_eq!(got[2], Ok(("3".into(), "plain text".into(), 4)));
    }

    #[test]
    fn tsv_and_missing_columns() {
        let got = rows("id\ttext\nx\thello world\n", InputKind::Tsv);
        assert_eq!(got, vec![Ok(("x".into(), "hello world".into(), 2))]);
        let got = rows("id,body\n1,words\n", InputKind::Csv);
        assert!(
            got[0].as_ref().unwrap_err().contains("no field `text`"),
            "{got:?}"
        );
    }

    /// A cell that is not UTF-8 skips its row (unless --lossy), as a line
    /// of JSON Lines does.
    #[test]
    fn bad_utf8_skips_the_row() {
        let mut inputs = Inputs::default();
        inputs.push_bytes(
            "t.csv",
            InputKind::Csv,
            b"id,text\n1,caf\xe9 au lait\n2,fine\n".to_vec(),
        );
        let out = read(
            &inputs,
            &ReadOptions::from_config(&crate::Config::default()),
        );
        assert!(out[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("invalid UTF-8"));
        assert!(out[1].is_ok());
    }
}
