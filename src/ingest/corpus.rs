//! Articles as plain data: every article's [`Meta`], the names of the files
//! they came from, and a [`TextSource`] to fetch a text when a stage needs it.
//!
//! Lineage and reports are built from a [`Corpus`], not from a scan, so
//! clusters that come from a persistent index, Python or a Spark job give
//! the same report as the CLI. The scan's texts are one source
//! ([`InputTexts`]: re-read from the input files); a `Vec<String>` (or
//! `Vec<&str>`) is another, for callers that hold the texts in memory.

use super::{reload, Inputs, Meta, ReadOptions};
use crate::error::Error;
use std::borrow::Cow;

/// A way to fetch an article's full text (boilerplate included, as given)
/// by its index in the [`Corpus`].
///
/// `Sync` because lineage fetches the members of many clusters in parallel.
/// A text is fetched when it is needed and dropped by the caller, so a
/// source backed by files or an index need not hold every text in memory.
pub trait TextSource: Sync {
    /// The text of `article`; fails when it cannot be had (out of range, or
    /// its file changed since it was read). Lineage leaves such an article
    /// out of its cluster and counts it as unreadable.
    fn text(&self, article: u32) -> Result<Cow<'_, str>, Error>;
}

/// Texts held in memory, one per article (borrowed, never copied).
impl<S: AsRef<str> + Sync> TextSource for [S] {
    fn text(&self, article: u32) -> Result<Cow<'_, str>, Error> {
        self.get(article as usize)
            .map(|s| Cow::Borrowed(s.as_ref()))
            .ok_or_else(|| Error::Text {
                article,
                why: format!("only {} texts are held", self.len()),
            })
    }
}

/// As for a slice; `&vec` then coerces to `&dyn TextSource`, which a
/// slice, being unsized, cannot.
impl<S: AsRef<str> + Sync> TextSource for Vec<S> {
    fn text(&self, article: u32) -> Result<Cow<'_, str>, Error> {
        self.as_slice().text(article)
    }
}

/// The scan's texts: each article re-read from its input file at its
/// [`RecordLoc`](super::RecordLoc), parsed with the scan's field paths. A
/// mapped or kept file is read from memory; a file read in blocks is opened
/// again, and one that changed since the scan gives an error rather than
/// another record's text.
pub struct InputTexts<'a> {
    inputs: &'a Inputs,
    docs: &'a [Meta],
    opts: ReadOptions,
}

impl<'a> InputTexts<'a> {
    /// The texts of `docs` (as read from `inputs`), parsed with `opts`
    /// (those of the scan: [`ReadOptions::from_config`]).
    pub fn new(inputs: &'a Inputs, docs: &'a [Meta], opts: ReadOptions) -> Self {
        InputTexts { inputs, docs, opts }
    }
}

impl TextSource for InputTexts<'_> {
    fn text(&self, article: u32) -> Result<Cow<'_, str>, Error> {
        let meta = self.docs.get(article as usize).ok_or_else(|| Error::Text {
            article,
            why: format!("the scan read {} articles", self.docs.len()),
        })?;
        reload(self.inputs, meta.loc, &self.opts)
            .map(|a| Cow::Owned(a.text))
            .map_err(|s| Error::Text {
                article,
                why: s.to_string(),
            })
    }
}

/// The articles lineage and reports are built from.
///
/// Article `i` (the `u32` of clusters and originals) is `docs[i]`, its text
/// `texts.text(i)`, and its location in reports `files[docs[i].loc.file]`
/// and `docs[i].loc.line`. A caller with no files may leave `files` empty
/// (locations are then `:line`, or empty for line 0, as for a scan's
/// missing file), or name its own sources there: an index segment, a Spark
/// partition.
#[derive(Clone, Copy)]
pub struct Corpus<'a> {
    /// Every article's attributes, in article order.
    pub docs: &'a [Meta],
    /// Display name of each input file, indexed by [`RecordLoc::file`](super::RecordLoc::file).
    pub files: &'a [String],
    /// Each article's full text.
    pub texts: &'a dyn TextSource,
}

impl std::fmt::Debug for Corpus<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("docs", &self.docs.len())
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

impl<'a> Corpus<'a> {
    /// A corpus of `docs` with their `texts`, located in `files`.
    pub fn new(docs: &'a [Meta], files: &'a [String], texts: &'a dyn TextSource) -> Self {
        Corpus { docs, files, texts }
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether there are no articles.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// `file:line` of article `i` (the file alone for a whole-file article,
    /// line 0); empty when `i` or its file is out of range.
    pub fn location(&self, i: u32) -> String {
        let Some(m) = self.docs.get(i as usize) else {
            return String::new();
        };
        let path = self
            .files
            .get(m.loc.file as usize)
            .map(String::as_str)
            .unwrap_or("");
        location_text(path, m.loc.line)
    }
}

/// Display names of `inputs`' files, in [`Inputs::files`] order: the
/// [`Corpus::files`] of a scan.
pub fn file_names(inputs: &Inputs) -> Vec<String> {
    inputs
        .files
        .iter()
        .map(|f| crate::error::path_text(&f.path).into_owned())
        .collect()
}

/// `path:line`, or `path` for line 0: one spelling for every report.
pub(crate) fn location_text(path: &str, line: u64) -> String {
    if line > 0 {
        format!("{path}:{line}")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_texts_borrow_and_fail_out_of_range() {
        let texts = vec!["one".to_string(), "two".to_string()];
        let src: &dyn TextSource = &texts;
        assert!(matches!(src.text(1), Ok(Cow::Borrowed("two"))));
        let err = src.text(2).unwrap_err().to_string();
        assert!(err.contains("#2") && err.contains("2 texts"), "{err}");
    }

    #[test]
    fn input_texts_reread_the_record() {
        let inputs = Inputs::from_jsonl(
            "m.jsonl",
            b"{\"id\":\"a\",\"text\":\"alpha\"}\n{\"id\":\"b\",\"text\":\"beta\"}\n".to_vec(),
        );
        let opts = ReadOptions::from_config(&crate::Config::default());
        let docs: Vec<Meta> = super::super::read(&inputs, &opts)
            .into_iter()
            .map(|p| p.unwrap().0.meta)
            .collect();
        let texts = InputTexts::new(&inputs, &docs, opts);
        assert_eq!(texts.text(1).unwrap(), "beta");
        assert!(texts.text(2).is_err());
        let files = file_names(&inputs);
        let corpus = Corpus::new(&docs, &files, &texts);
        assert_eq!(corpus.location(1), "m.jsonl:2");
        assert_eq!(corpus.location(9), "");
    }
}
