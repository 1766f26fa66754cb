//! Quality regression (issue 3): a generated corpus of 20,000 articles,
//! scanned with the default settings, must meet the detection targets per
//! kind of copy. Not timed.
//!
//! Why 20,000: the score nearest its target, excerpts found with their
//! parent, moves with the hash functions' seed. On 4,000 articles (247
//! excerpts) it read 0.983 on average over 40 seeds with a spread (sd) of
//! 0.008, so the 0.98 target sat half a spread below the mean and any
//! change of hash functions passed or failed it by chance. On 20,000
//! (12 seeds each, two MinHash families) the mean is 0.986 and the spread
//! 0.0024: the target is 2.5 spreads away, a real loss of recall still
//! fails it.

use wiretrace::ingest::Inputs;
use wiretrace::{pipeline, Config};
use wiretrace_gen::eval::{evaluate, parse_assignments, Assignment, KindScore};
use wiretrace_gen::gen::{generate, GenConfig, Language};

fn kind<'a>(scores: &'a [KindScore], name: &str) -> &'a KindScore {
    scores
        .iter()
        .find(|k| k.kind == name)
        .unwrap_or_else(|| panic!("no kind {name} in the truth"))
}

#[test]
fn default_settings_meet_the_quality_targets() {
    meets_the_targets(Language::English, 0.95);
}

/// Issue 18: the same corpus with each story in English or in generated
/// Chinese (a script written without spaces: `wiretrace gen --language
/// mixed`), at the same targets but lede excerpts' (measured 0.953 in
/// this corpus and 0.941 all in Chinese, against 0.965 in English: a
/// letter bigram says less than a word bigram, and the lede pass bands
/// the first 48 shingles, fewer words of a Chinese opening).
#[test]
fn default_settings_meet_the_quality_targets_in_two_scripts() {
    meets_the_targets(Language::Mixed, 0.93);
}

fn meets_the_targets(language: Language, lede: f64) {
    let cfg = GenConfig {
        seed: 20241122,
        articles: 20_000,
        language,
        ..Default::default()
    };
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    generate(&cfg, &mut corpus, &mut truth).expect("generate");
    if language == Language::Mixed {
        // About half the articles are Chinese.
        let text = String::from_utf8_lossy(&corpus);
        let lines = text.lines().count();
        let han = text
            .lines()
            .filter(|l| l.chars().any(wiretrace::normalize::is_spaceless))
            .count();
        assert!(
            2 * han > lines * 4 / 5 && 2 * han < lines * 6 / 5,
            "{han} of {lines}"
        );
    }
    let scan = pipeline::scan_inputs(
        &Config::default(),
        Inputs::from_jsonl("gen", corpus),
        &pipeline::NoProgress,
    )
    .expect("scan");
    assert!(
        scan.skipped.is_empty(),
        "generated corpus has bad records: {:?}",
        &scan.skipped[..1]
    );
    let pred: Vec<Assignment> = scan
        .docs
        .iter()
        .zip(&scan.clusters.of)
        .map(|(d, c)| Assignment {
            id: d.id.clone(),
            cluster: c.to_string(),
            kind: None,
            parent: None,
        })
        .collect();
    let truth = parse_assignments(std::str::from_utf8(&truth).expect("utf-8"), "truth")
        .expect("truth parses");
    let s = evaluate(&truth, &pred);
    let report = wiretrace_gen::eval::format_text(&s);
    let found = |k: &str| kind(&s.per_kind, k).parent_recall.unwrap_or(0.0);
    let checks = [
        ("verbatim found with parent", found("verbatim"), 0.999),
        ("excerpt found with parent", found("excerpt"), 0.98),
        ("spun_20 found with parent", found("spun_20"), 0.95),
        ("spun_35 found with parent", found("spun_35"), 0.85),
        ("ocr found with parent", found("ocr"), 0.99),
        ("pairwise precision", s.pairwise.precision, 0.995),
        // 0.986 measured with the lede pass (0.94 before it).
        ("adjusted Rand index", s.adjusted_rand_index, 0.975),
        // Issue 14's target for lede excerpts of 1-3 paragraphs (10-30% of
        // the story), met by the lede pass (`lsh::lede`): 0.965 measured.
        (
            "lede_excerpt found with parent",
            found("lede_excerpt"),
            lede,
        ),
        // Guards at today's level, NOT targets (measured at this seed:
        // refiled_short 0.977, partial_verbatim 0.836, templated_short
        // precision 0.9905: one pair of identical earnings tables of two
        // companies; 1.0000 at seeds 1, 2 and 3).
        (
            "refiled_short found with parent",
            found("refiled_short"),
            0.90,
        ),
        (
            "partial_verbatim found with parent",
            found("partial_verbatim"),
            0.80,
        ),
        (
            "templated_short precision",
            kind(&s.per_kind, "templated_short").precision,
            0.98,
        ),
        // Hard negatives: never merged with another story.
        (
            "same_event precision",
            kind(&s.per_kind, "same_event").precision,
            1.0,
        ),
        (
            "templated precision",
            kind(&s.per_kind, "templated").precision,
            0.995,
        ),
    ];
    let failed: Vec<String> = checks
        .iter()
        .filter(|(_, got, want)| got < want)
        .map(|(what, got, want)| format!("{what}: {got:.4} < {want}"))
        .collect();
    assert!(
        failed.is_empty(),
        "quality targets missed:\n{}\n\n{report}",
        failed.join("\n")
    );
}
