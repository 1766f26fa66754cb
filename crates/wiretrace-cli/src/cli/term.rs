//! Text from the input made safe to print on a terminal.
//!
//! Ids, titles, outlets, file names and the messages that quote them come
//! from files anyone can write. Printed raw, an ESC starts a control
//! sequence (an OSC can set the window title or, in some terminals, write
//! the clipboard), a CR returns to the start of the line so a title can
//! overwrite a summary line, and a bidi override reorders what is shown.
//! Everything printed for a person goes through [`Clean`], as ripgrep and
//! fd escape file names: control characters become visible escapes
//! (`\x1b`, `\r`, `\u{9b}`), everything else is printed as is. Machine
//! outputs (JSON, CSV, the reports) are not touched: their formats escape
//! what they must, and rewriting them would change the data.

use std::fmt::{self, Display, Write as _};

/// Displays a string with every character a terminal would act on
/// escaped (see [`escape`]).
pub struct Clean<'a>(pub &'a str);

impl Display for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let mut from = 0;
        for (i, c) in s.char_indices() {
            if needs_escape(c) {
                f.write_str(&s[from..i])?;
                escape(c, f)?;
                from = i + c.len_utf8();
            }
        }
        f.write_str(&s[from..])
    }
}

/// `value` displayed, with control characters escaped: for messages
/// composed of input text (a skipped record's reason, a notice naming an id).
pub fn clean(value: impl Display) -> String {
    let text = value.to_string();
    if !text.chars().any(needs_escape) {
        return text;
    }
    Clean(&text).to_string()
}

/// Like [`clean`], but keeps line breaks: for multi-line text made by
/// this program (the `eval` and `gen` listings), whose lines quote input.
pub fn clean_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = write!(out, "{}", Clean(line));
    }
    out
}

/// Whether a terminal would do something with `c` other than show it:
/// C0 controls (tab and newline included: inside one field they would
/// break the layout), DEL, C1 controls (U+0080-U+009F; U+009B is a
/// one-byte CSI on terminals that read C1), the line and paragraph
/// separators, and the bidi embeddings, overrides and isolates, which
/// reorder the text shown after them.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Writes `c` as an escape: `\t`, `\n`, `\r` by name, other C0 controls
/// and DEL as `\xNN`, the rest as `\u{NN}`.
fn escape(c: char, f: &mut dyn fmt::Write) -> fmt::Result {
    match c {
        '\t' => f.write_str("\\t"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        '\0'..='\x1f' | '\x7f' => write!(f, "\\x{:02x}", c as u32),
        _ => write!(f, "\\u{{{:x}}}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(
            clean("a\x1b]0;owned\x07b\rc\u{9b}2Jd\u{202e}e\tf\ng\x7f"),
            "a\\x1b]0;owned\\x07b\\rc\\u{9b}2Jd\\u{202e}e\\tf\\ng\\x7f"
        );
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        let s = "Café — naïve 日本語 \\x1b (already text) 🎉";
        assert_eq!(clean(s), s);
        assert_eq!(Clean(s).to_string(), s);
    }

    #[test]
    fn clean_lines_keeps_line_breaks_only() {
        assert_eq!(clean_lines("one\x1b[2K\ntwo\r"), "one\\x1b[2K\ntwo\\r");
    }
}
