//! Any text, normalized, then shingled with every kind of shingle: no
//! panic; the hashes come out sorted and unique.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wiretrace::normalize::Normalizer;
use wiretrace::shingle::Shingler;
use wiretrace::ShingleSpec;

fuzz_target!(|text: &str| {
    // Built once: compiling the patterns costs far more than one input.
    static N: std::sync::OnceLock<Normalizer> = std::sync::OnceLock::new();
    let n = N.get_or_init(|| Normalizer::new(&[]).expect("built-in patterns compile"));
    let norm = n.normalize(text);
    let specs = [1, 2, 3, 5, 9]
        .into_iter()
        .flat_map(|k| [ShingleSpec::Word(k), ShingleSpec::Char(k)]);
    for spec in specs.clone().map(|s| vec![s]).chain([specs.collect()]) {
        let sh = Shingler::new(&spec, 7).shingles(&norm);
        assert!(sh.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    }
});
