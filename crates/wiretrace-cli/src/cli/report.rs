//! Where `--report` goes: a file (or `-`) in one format, or a directory of
//! HTML pages; and `--color` for what is printed for a person.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use wiretrace::report::{html, Output, Report, ReportFormat};

/// Whether `--report PATH` names a directory: it ends with `/` (or the
/// platform's separator), or is an existing directory.
pub fn is_dir_target(path: &Path) -> bool {
    let s = path.as_os_str().to_string_lossy();
    s.ends_with('/') || s.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir()
}

/// Creates the report directory if it is missing and refuses it, before
/// anything is scanned, when it already holds an `index.html` and `force`
/// was not given, or when the format asked for is not HTML.
pub fn prepare_dir(
    path: &Path,
    format: Option<ReportFormat>,
    force: bool,
) -> Result<PathBuf, wiretrace::Error> {
    let refuse = |why: String| wiretrace::Error::Input {
        path: path.to_owned(),
        why,
    };
    if format.is_some_and(|f| f != ReportFormat::Html) {
        return Err(refuse(
            "a report directory holds HTML pages; name a file for --report-format json, jsonl, md or csv".into(),
        ));
    }
    std::fs::create_dir_all(path).map_err(|e| {
        refuse(format!(
            "cannot create the report directory: {e}; choose a directory you can write to"
        ))
    })?;
    let index = path.join("index.html");
    if index.exists() && !force {
        return Err(wiretrace::Error::Input {
            path: index,
            why: "exists; pass --force to replace the report in this directory".into(),
        });
    }
    Ok(path.to_owned())
}

/// Writes `report` to `out` in `format`; HTML with `max_stories`.
pub fn write_file(
    report: &Report,
    out: Output,
    format: ReportFormat,
    max_stories: Option<usize>,
) -> Result<(), wiretrace::Error> {
    if format == ReportFormat::Html {
        let opts = html::HtmlOptions {
            max_stories,
            ..Default::default()
        };
        return out.write(|w| html::write_with(report, &opts, w));
    }
    wiretrace::report::write_report(report, out, format)
}

static COLOR: AtomicBool = AtomicBool::new(false);

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Sets the colour choice for the rest of the run.
pub fn set_color(choice: ColorChoice) {
    use std::io::IsTerminal;
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    COLOR.store(on, Ordering::Relaxed);
}

/// `text` in red (bold) when colour is on.
pub fn bad(text: &str) -> String {
    paint("1;31", text)
}

/// `text` in green when colour is on.
pub fn good(text: &str) -> String {
    paint("32", text)
}

fn paint(code: &str, text: &str) -> String {
    if COLOR.load(Ordering::Relaxed) {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_targets() {
        assert!(is_dir_target(Path::new("out/")));
        assert!(is_dir_target(Path::new(".")));
        assert!(!is_dir_target(Path::new("no-such-report.html")));
    }

    #[test]
    fn paint_only_when_on() {
        set_color(ColorChoice::Never);
        assert_eq!(bad("x"), "x");
        set_color(ColorChoice::Always);
        assert_eq!(bad("x"), "\x1b[1;31mx\x1b[0m");
        set_color(ColorChoice::Never);
    }
}
