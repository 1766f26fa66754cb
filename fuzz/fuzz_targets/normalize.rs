//! Any text through the normalizer: no panic, and normalizing is stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wiretrace::normalize::Normalizer;

fuzz_target!(|text: &str| {
    // Built once: compiling the patterns costs far more than one input.
    static N: std::sync::OnceLock<Normalizer> = std::sync::OnceLock::new();
    let n = N.get_or_init(|| Normalizer::new(&[]).expect("built-in patterns compile"));
    let out = n.normalize(text);
    let _ = out.words().count();
});
