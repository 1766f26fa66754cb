//! Any bytes through the JSON Lines reader alone (no scan): thousands of
//! inputs a second, where `jsonl` (which runs the whole scan, compiling the
//! boilerplate patterns each time) manages a few.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wiretrace::ingest::{self, Inputs, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let lossy = data.first().is_some_and(|b| b & 1 == 1);
    let inputs = Inputs::from_jsonl("fuzz.jsonl", data.to_vec());
    let opts = ReadOptions::from_config(&wiretrace::Config {
        lossy,
        ..Default::default()
    });
    let lines = data.split(|&b| b == b'\n').count() as u64;
    for p in ingest::read(&inputs, &opts) {
        let line = match &p {
            Ok((a, _)) => a.meta.loc.line,
            Err(s) => s.at.line,
        };
        assert!(line >= 1 && line <= lines);
        if let Ok((a, _)) = &p {
            // Reloading a record gives it back unchanged.
            let again = ingest::reload(&inputs, a.meta.loc, &opts).expect("reload");
            assert_eq!(&again.text, &a.text);
        }
    }
});
