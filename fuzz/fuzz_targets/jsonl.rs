//! Any bytes as a JSON Lines file: every record is read or skipped with a
//! reason, the counts add up, and the whole scan runs without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wiretrace::ingest::{self, Inputs, ReadOptions};
use wiretrace::{pipeline, Config};

fuzz_target!(|data: &[u8]| {
    for lossy in [false, true] {
        // Short signatures and fixed bands: the same code paths, at a cost
        // per input that lets the fuzzer try many.
        let cfg = Config {
            lossy,
            num_perm: 16,
            bands: Some((8, 2)),
            ..Config::default()
        };
        let inputs = Inputs::from_jsonl("fuzz.jsonl", data.to_vec());
        let parsed = ingest::read(&inputs, &ReadOptions::from_config(&cfg));
        for p in &parsed {
            if let Err(s) = p {
                assert!(s.at.line >= 1, "a skipped line has its line number");
                let _ = s.to_string();
            }
        }
        match pipeline::scan_inputs(&cfg, inputs, &pipeline::NoProgress) {
            Ok(scan) => {
                let s = &scan.stats;
                assert_eq!(s.records, parsed.len() as u64);
                assert_eq!(s.records, s.articles + s.skipped);
                assert_eq!(scan.clusters.of.len() as u64, s.articles);
                let f = &s.per_file[0];
                assert_eq!(f.records, f.articles + f.skipped);
            }
            Err(wiretrace::Error::NoArticles) => assert!(parsed.is_empty()),
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
});
