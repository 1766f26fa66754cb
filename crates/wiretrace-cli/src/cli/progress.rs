//! A progress bar on stderr, drawn only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use wiretrace::pipeline::Progress;

/// indicatif behind the library's `Progress` trait.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar, hidden when `quiet` or when stderr is not a terminal.
    pub fn new(quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr_with_hz(8));
        Bar(Some(pb))
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        if let Some(pb) = &self.0 {
            if name == "fingerprint" {
                pb.set_style(
                    ProgressStyle::with_template("{msg:12} [{bar:40}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                pb.set_length(total);
            } else {
                pb.set_style(
                    ProgressStyle::with_template("{msg:12} {spinner} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                pb.set_length(total.max(1));
                pb.set_position(0);
            }
            pb.set_message(name.to_owned());
        }
    }

    fn advance(&self, n: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}
