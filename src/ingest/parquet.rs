//! Parquet files -> one record per row, columns named as fields (the
//! `--id-field`/`--text-field`/... names, dotted paths into struct columns
//! included: a struct column is read as a nested object).
//!
//! Read with the `parquet` crate's row API (no Arrow: it is not needed to
//! read rows, and is most of the build), one row group at a time, so memory
//! holds one row group's rows. Only the codecs data lakes write are built:
//! snappy (the default of Spark and pyarrow), zstd, gzip and lz4. A row is
//! located as `file:row-group:row` (both from 1) in messages, and by its
//! row number over the file in reports.

use super::formats::{Pre, Rec};
use super::warc::Failure;
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};
use parquet::record::Field;
use std::collections::VecDeque;

/// The rows of a Parquet file.
pub(crate) struct Rows<R: ChunkReader> {
    reader: SerializedFileReader<R>,
    group: usize,
    row: u64,
    buf: VecDeque<Pre>,
    done: bool,
}

impl<R: ChunkReader + 'static> Rows<R> {
    /// The rows of `data`; fails when its footer cannot be read.
    pub fn open(data: R) -> Result<Self, String> {
        let reader = SerializedFileReader::new(data).map_err(|e| {
            format!("not a readable Parquet file: {e}. Was it cut short? Write or fetch it again")
        })?;
        Ok(Rows {
            reader,
            group: 0,
            row: 0,
            buf: VecDeque::new(),
            done: false,
        })
    }

    /// Reads row group `self.group` into `buf`.
    fn fill(&mut self) -> Result<(), Failure> {
        let g = self.group;
        let fail = |e: parquet::errors::ParquetError| Failure {
            line: g as u64 + 1,
            io: None,
            message: format!(
                "row group {} cannot be read: {e}; the rows from it on are lost",
                g + 1
            ),
        };
        let rg = self.reader.get_row_group(g).map_err(fail)?;
        let rows = rg.get_row_iter(None).map_err(fail)?;
        for (k, row) in rows.enumerate() {
            let row = row.map_err(fail)?;
            let mut cols = Vec::new();
            for (name, f) in row.get_column_iter() {
                if let Some(v) = value(f) {
                    cols.push((name.clone(), v));
                }
            }
            self.row += 1;
            self.buf.push_back(Pre {
                line: self.row,
                at: (g as u64 + 1, Some(k as u64 + 1)),
                ordinal: self.row - 1,
                rec: Rec::Row {
                    cols,
                    bad_utf8: false,
                },
            });
        }
        Ok(())
    }
}

/// A cell as JSON: strings as strings, numbers as numbers, dates and
/// timestamps as epoch seconds (read as dates by the date field), structs
/// as objects; nulls are absent.
fn value(f: &Field) -> Option<serde_json::Value> {
    use serde_json::Value as V;
    Some(match f {
        Field::Null => return None,
        Field::Str(s) => V::String(s.clone()),
        Field::Bytes(b) => V::String(String::from_utf8_lossy(b.data()).into_owned()),
        Field::Bool(b) => V::Bool(*b),
        Field::Byte(n) => V::from(*n),
        Field::Short(n) => V::from(*n),
        Field::Int(n) => V::from(*n),
        Field::Long(n) => V::from(*n),
        Field::UByte(n) => V::from(*n),
        Field::UShort(n) => V::from(*n),
        Field::UInt(n) => V::from(*n),
        Field::ULong(n) => V::from(*n),
        Field::Float(x) => V::from(*x as f64),
        Field::Double(x) => V::from(*x),
        Field::Date(d) => V::from(*d as i64 * 86_400),
        Field::TimestampMillis(t) => V::from(t.div_euclid(1000)),
        Field::TimestampMicros(t) => V::from(t.div_euclid(1_000_000)),
        Field::Group(row) => V::Object(
            row.get_column_iter()
                .filter_map(|(n, f)| Some((n.clone(), value(f)?)))
                .collect(),
        ),
        other => V::String(other.to_string()),
    })
}

impl<R: ChunkReader + 'static> Iterator for Rows<R> {
    type Item = Result<Pre, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(p) = self.buf.pop_front() {
                return Some(Ok(p));
            }
            if self.done || self.group >= self.reader.num_row_groups() {
                return None;
            }
            let filled = self.fill();
            self.group += 1;
            if let Err(f) = filled {
                self.done = true;
                self.buf.clear();
                return Some(Err(f));
            }
        }
    }
}

/// Writes `articles` (JSON objects of string fields) as a Parquet file of
/// string columns `cols`, snappy-compressed, `per_group` rows per row group:
/// how the tests (and `testdata/formats/demo.parquet`) are made.
#[cfg(test)]
pub(crate) fn write_strings(
    out: std::fs::File,
    cols: &[&str],
    articles: &[serde_json::Value],
    per_group: usize,
) {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let fields: String = cols
        .iter()
        .map(|c| format!("OPTIONAL BYTE_ARRAY {c} (UTF8);"))
        .collect();
    let schema = Arc::new(
        parquet::schema::parser::parse_message_type(&format!("message a {{ {fields} }}")).unwrap(),
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .build(),
    );
    let mut w = SerializedFileWriter::new(out, schema, props).unwrap();
    for group in articles.chunks(per_group.max(1)) {
        let mut rg = w.next_row_group().unwrap();
        let mut i = 0;
        while let Some(mut col) = rg.next_column().unwrap() {
            let name = cols[i];
            i += 1;
            let mut vals = Vec::new();
            let mut defs = Vec::new();
            for a in group {
                match a.get(name).and_then(|v| v.as_str()) {
                    Some(s) => {
                        vals.push(ByteArray::from(s));
                        defs.push(1);
                    }
                    None => defs.push(0),
                }
            }
            col.typed::<ByteArrayType>()
                .write_batch(&vals, Some(&defs), None)
                .unwrap();
            col.close().unwrap();
        }
        rg.close().unwrap();
    }
    w.close().unwrap();
}

#[cfg(test)]
mod tests {
    use crate::ingest::{read, ReadOptions};

    fn demo() -> (std::path::PathBuf, Vec<serde_json::Value>) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/formats");
        let arts = std::fs::read_to_string(dir.join("demo.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (dir, arts)
    }

    const COLS: [&str; 6] = ["id", "title", "source", "url", "published", "text"];

    /// `testdata/formats/demo.parquet` holds the articles of `demo.jsonl`
    /// (rewritten with `UPDATE_FORMATS=1`), read row by row with the same
    /// ids, texts and dates, located by row group and row.
    #[test]
    fn demo_parquet_reads_as_demo_jsonl() {
        let (dir, arts) = demo();
        let path = dir.join("demo.parquet");
        if std::env::var_os("UPDATE_FORMATS").is_some() {
            super::write_strings(std::fs::File::create(&path).unwrap(), &COLS, &arts, 25);
        }
        let opts = ReadOptions::from_config(&crate::Config::default());
        let pq = read(&crate::ingest::open(&[path]).unwrap(), &opts);
        let js = read(
            &crate::ingest::open(&[dir.join("demo.jsonl")]).unwrap(),
            &opts,
        );
        assert_eq!(pq.len(), arts.len());
        for (p, j) in pq.iter().zip(&js) {
            let (p, j) = (&p.as_ref().unwrap().0, &j.as_ref().unwrap().0);
            assert_eq!(
                (&p.meta.id, &p.text, p.meta.published),
                (&j.meta.id, &j.text, j.meta.published)
            );
        }
    }

    /// A row without text is skipped at `file:row-group:row`; a cut file
    /// is one clear skip.
    #[test]
    fn rows_are_located_by_group_and_a_cut_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let arts = vec![
            serde_json::json!({"id": "a", "text": "one two three"}),
            serde_json::json!({"id": "b", "text": "four five"}),
            serde_json::json!({"id": "c"}),
        ];
        super::write_strings(
            std::fs::File::create(&path).unwrap(),
            &["id", "text"],
            &arts,
            2,
        );
        let opts = ReadOptions::from_config(&crate::Config::default());
        let got = read(
            &crate::ingest::open(std::slice::from_ref(&path)).unwrap(),
            &opts,
        );
        assert_eq!(got.len(), 3);
        let e = got[2].as_ref().unwrap_err().to_string();
        assert!(e.contains("t.parquet:2:1: no field `text`"), "{e}");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 20]).unwrap();
        let got = read(
            &crate::ingest::open(std::slice::from_ref(&path)).unwrap(),
            &opts,
        );
        assert_eq!(got.len(), 1);
        assert!(
            got[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("not a readable Parquet file"),
            "{:?}",
            got[0]
        );
    }
}
