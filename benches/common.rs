//! Bench inputs from a fixed seed: article-like word sequences with planted
//! copies, so every stage sees realistic sizes. (The scale benchmark uses
//! the full corpus generator.)

#![allow(dead_code)]

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "said",
    "on",
    "for",
    "that",
    "with",
    "was",
    "by",
    "at",
    "from",
    "as",
    "government",
    "minister",
    "officials",
    "police",
    "city",
    "market",
    "percent",
    "year",
    "week",
    "report",
    "company",
    "election",
    "court",
    "military",
    "river",
    "bank",
    "prices",
    "workers",
    "schools",
    "hospital",
    "announced",
    "expected",
    "rejected",
    "approved",
    "warned",
    "increased",
    "fell",
    "rose",
    "reported",
    "called",
    "Tuesday",
    "Monday",
    "president",
    "council",
    "billion",
    "million",
    "agency",
    "health",
    "water",
    "energy",
    "strike",
    "talks",
    "budget",
    "plan",
    "vote",
    "border",
    "storm",
    "fire",
    "trial",
    "deal",
    "crisis",
    "policy",
];

/// SplitMix64.
pub fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An article of `words` words.
pub fn article(state: &mut u64, words: usize) -> String {
    let mut s = String::with_capacity(words * 7);
    for i in 0..words {
        if i > 0 {
            s.push_str(if i % 23 == 0 { ".\n\n" } else { " " });
        }
        let r = next(state);
        // Zipf-ish: low indices far more often.
        let idx = ((r % 1000) * (r % 1000) / 1000) as usize % WORDS.len();
        s.push_str(WORDS[idx]);
        if r.is_multiple_of(7) {
            s.push_str(&(r % 97).to_string());
        }
    }
    s
}

/// A JSON Lines corpus of `n` articles of ~700 words, one in five a copy of an earlier one.
pub fn corpus(n: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let mut texts: Vec<String> = Vec::with_capacity(n);
    let mut out = Vec::new();
    for i in 0..n {
        let t = if i > 0 && next(&mut state).is_multiple_of(5) {
            let j = (next(&mut state) % i as u64) as usize;
            format!("By Staff\n\n{}\n\nRead original article here", texts[j])
        } else {
            article(&mut state, 700)
        };
        out.extend_from_slice(
            serde_json::json!({"id": i, "text": t})
                .to_string()
                .as_bytes(),
        );
        out.push(b'\n');
        texts.push(t);
    }
    out
}
