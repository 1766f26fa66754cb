//! Pathological corpora against an ordinary one of the same size: the
//! cost must grow about linearly with the number of articles.
//!
//! `cargo bench --bench pathological` (release). Not criterion: each case
//! runs once per size and the table puts the sizes side by side, so the
//! ratio between rows shows the scaling. Cases, generated in memory:
//!
//! - `ordinary`: a `wiretrace gen` corpus (stories with copies of every kind);
//! - `identical`: one article repeated (distinct ids);
//! - `boilerplate`: pages holding only share/subscribe/copyright lines;
//! - `one story`: one story copied with small edits (a changed word, a
//!   credit line), so every copy is a near-duplicate of every other and
//!   the whole corpus is one cluster; also traced (`lineage::trace_scan`,
//!   what `--report` does), whose cost per copy is capped.
//!
//! `WIRETRACE_PATHOLOGICAL_SIZES=1000,2000` picks other sizes.

use std::time::Instant;
use wiretrace::ingest::Inputs;
use wiretrace::{lineage, pipeline, Config};

const STORY: &str = "The regional water authority approved a plan on Tuesday to raise rates by 12 percent over \
three years, citing the cost of replacing pipes laid more than a century ago. Officials said the first increase \
would take effect in July and would add about $4 a month to the typical household bill. Consumer groups said \
they would challenge the decision, arguing that the authority had not explained why earlier grants fell short. \
The board voted 7 to 2 after a four-hour hearing in which dozens of residents spoke, many of them complaining \
about brown water and low pressure in older neighbourhoods on the east side of the city.";

const BOILERPLATE: &[&str] = &[
    "Share this article",
    "Subscribe to our daily newsletter for the latest headlines",
    "Leave a comment",
    "Advertisement",
    "Copyright 2024 The Valley Times. All rights reserved.",
    "Follow us on Facebook and Twitter",
    "Related stories:",
    "Continue reading",
];

const SYNONYMS: &[(&str, &str)] = &[
    ("approved", "backed"),
    ("plan", "proposal"),
    ("raise", "increase"),
    ("citing", "pointing to"),
    ("Officials", "Authority staff"),
    ("challenge", "contest"),
    ("dozens", "scores"),
    ("complaining", "grumbling"),
];

fn line(id: String, text: &str, source: &str) -> String {
    serde_json::json!({ "id": id, "source": source, "text": text }).to_string() + "\n"
}

fn ordinary(n: usize) -> Vec<u8> {
    let cfg = wiretrace_gen::gen::GenConfig {
        seed: 11,
        articles: n,
        ..Default::default()
    };
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    wiretrace_gen::gen::generate(&cfg, &mut corpus, &mut truth).expect("generate");
    corpus
}

fn identical(n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| line(format!("same-{i}"), STORY, "Wire").into_bytes())
        .collect()
}

fn boilerplate(n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| {
            let k = BOILERPLATE.len();
            let page: Vec<&str> = (0..5).map(|j| BOILERPLATE[(i + j * 3) % k]).collect();
            line(format!("page-{i}"), &page.join("\n\n"), "Portal").into_bytes()
        })
        .collect()
}

fn one_story(n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| {
            let mut text = STORY.to_owned();
            // Two small edits per copy, chosen by its number.
            for k in [i % SYNONYMS.len(), (i / SYNONYMS.len()) % SYNONYMS.len()] {
                text = text.replacen(SYNONYMS[k].0, SYNONYMS[k].1, 1);
            }
            text.push_str(&format!(
                "\n\nThis story first appeared on outlet {}.",
                i % 97
            ));
            line(format!("copy-{i}"), &text, &format!("Outlet {}", i % 97)).into_bytes()
        })
        .collect()
}

struct Row {
    case: &'static str,
    n: usize,
    mb: f64,
    scan: f64,
    trace: Option<f64>,
    pairs: u64,
    edges: u64,
    largest_bucket: usize,
    capped: u64,
    clusters: usize,
}

fn run(case: &'static str, n: usize, bytes: Vec<u8>, trace: bool) -> Row {
    let mb = bytes.len() as f64 / 1e6;
    let cfg = Config::default();
    let t = Instant::now();
    let scan = pipeline::scan_inputs(&cfg, Inputs::from_jsonl(case, bytes), &pipeline::NoProgress)
        .expect("scan");
    let scan_s = t.elapsed().as_secs_f64();
    let trace_s = trace.then(|| {
        let t = Instant::now();
        let traced = lineage::trace_scan(&scan);
        std::hint::black_box(traced.len());
        t.elapsed().as_secs_f64()
    });
    let s = &scan.stats;
    Row {
        case,
        n,
        mb,
        scan: scan_s,
        trace: trace_s,
        pairs: s.pair_checks,
        edges: s.edges,
        largest_bucket: s.candidates.largest_bucket,
        capped: s.candidates.capped_buckets,
        clusters: scan.clusters.count,
    }
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep that quick.
    let sizes: Vec<usize> = match std::env::var("WIRETRACE_PATHOLOGICAL_SIZES") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) if std::env::args().any(|a| a == "--bench") => vec![10_000, 20_000, 40_000],
        Err(_) => vec![500],
    };
    println!(
        "{:<12} {:>7} {:>7} {:>8} {:>9} {:>8} {:>10} {:>9} {:>8} {:>7} {:>9}",
        "case",
        "n",
        "MB",
        "scan s",
        "us/art",
        "trace s",
        "cand pairs",
        "edges",
        "largest",
        "capped",
        "clusters"
    );
    type Case = (&'static str, fn(usize) -> Vec<u8>, bool);
    let cases: [Case; 4] = [
        // Tracing ordinary stories costs about 8 ms per article in clusters
        // (alignment of each copy with its parent): linear, but slow to bench.
        ("ordinary", ordinary, false),
        ("identical", identical, false),
        ("boilerplate", boilerplate, false),
        ("one story", one_story, true),
    ];
    for (case, make, trace) in cases {
        for &n in &sizes {
            let r = run(case, n, make(n), trace);
            println!(
                "{:<12} {:>7} {:>7.1} {:>8.3} {:>9.1} {:>8} {:>10} {:>9} {:>8} {:>7} {:>9}",
                r.case,
                r.n,
                r.mb,
                r.scan,
                r.scan * 1e6 / r.n as f64,
                r.trace.map_or("-".into(), |t| format!("{t:.3}")),
                r.pairs,
                r.edges,
                r.largest_bucket,
                r.capped,
                r.clusters
            );
        }
    }
}
