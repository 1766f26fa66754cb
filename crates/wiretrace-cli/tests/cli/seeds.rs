//! The two real articles in testdata/seeds: different pieces on one topic.
//! They must never be linked, and each must be found in a copy of itself
//! wrapped in another outlet's boilerplate.

use super::util::{assignments, cluster_of, seeds_dir, Dir};

const REPUBLISHED: &str = "imran-khan-live-updates-republished.txt";
const SPUN: &str = "pakistan-live-updates-spun-copy.txt";

fn seed(name: &str) -> String {
    let p = seeds_dir().join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The seed's body with another outlet's header, byline, credit line and footer.
fn rewrapped(text: &str, outlet: &str) -> String {
    let body: Vec<&str> = text
        .split("\n\n")
        .filter(|p| {
            let p = p.trim();
            !(p.starts_with("Read original")
                || p.starts_with("Leave a")
                || p.starts_with("Comments are")
                || p.starts_with("Credit"))
        })
        .collect();
    format!(
        "{outlet} | World\n\nBy Staff Writer\n\nPhoto: Reuters\n\n{}\n\nThis article originally appeared in The New York Times.\n\nShare this:\n\nSubscribe to our newsletter for the latest news\n\nComments are closed.",
        body.join("\n\n")
    )
}

#[test]
fn seeds_never_link_and_each_finds_its_rewrapped_copy() {
    let (a, b) = (seed(REPUBLISHED), seed(SPUN));
    let d = Dir::new();
    d.write("seeds/republished.txt", &a);
    d.write("seeds/spun.txt", &b);
    d.write(
        "seeds/republished-wrapped.txt",
        rewrapped(&a, "Daily Courier"),
    );
    d.write("seeds/spun-wrapped.txt", rewrapped(&b, "Global Post"));
    let r = d.run(&["scan", "seeds", "--assignments", "a.jsonl", "-q"]);
    r.expect_code(0);
    let asg = assignments(&d.read("a.jsonl"));
    let c = |id: &str| cluster_of(&asg, id);
    assert_ne!(
        c("republished.txt"),
        c("spun.txt"),
        "two different pieces were linked"
    );
    assert_eq!(c("republished.txt"), c("republished-wrapped.txt"));
    assert_eq!(c("spun.txt"), c("spun-wrapped.txt"));
    assert_ne!(c("republished-wrapped.txt"), c("spun-wrapped.txt"));
}

#[test]
fn seeds_stay_apart_at_low_thresholds_too() {
    let (a, b) = (seed(REPUBLISHED), seed(SPUN));
    let d = Dir::new();
    d.write("seeds/republished.txt", &a);
    d.write("seeds/spun.txt", &b);
    let r = d.run(&[
        "scan",
        "seeds",
        "--assignments",
        "a.jsonl",
        "-q",
        "--threshold",
        "0.2",
        "--exact",
    ]);
    r.expect_code(0);
    let asg = assignments(&d.read("a.jsonl"));
    assert_ne!(
        cluster_of(&asg, "republished.txt"),
        cluster_of(&asg, "spun.txt")
    );
}
