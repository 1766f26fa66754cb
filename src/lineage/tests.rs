//! Lineage on small hand-written corpora and on the real seeds.

use super::*;
use crate::ingest::RecordLoc;

const P1: &str = "Dock workers at the northern port walked off the job on Monday morning, halting the loading of grain ships bound for three countries.";
const P2: &str = "The union said its members had not received the pay rise promised in a deal signed with the port authority eighteen months ago.";
const P3: &str = "Port officials described the strike as illegal and warned that contracts with foreign buyers could be lost if it lasted into next week.";
const P4: &str = "Farmers who rely on the harbour to export their wheat harvest said storage silos inland were already close to full capacity.";
const P5: &str = "The transport minister is expected to meet union leaders on Wednesday, according to a spokesman who declined to give further details.";
const P6: &str = "Analysts said a long stoppage could push up bread prices in importing nations that depend on shipments from the region every autumn.";
/// P3 as a republisher edited it: two words changed.
const P3_EDITED: &str = "Port officials described the strike as unlawful and warned that contracts with foreign buyers could be lost if it lasted into the weekend.";
/// A local paragraph a republisher adds.
const LOCAL: &str = "In Riverton, dozens of warehouse staff gathered outside the depot gates and said they would join the walkout by Friday unless talks began.";

fn story(paras: &[&str]) -> String {
    paras.join("\n\n")
}

fn art(id: &str, source: &str, url: &str, published: Option<i64>, text: String) -> Article {
    Article {
        meta: Meta {
            id: id.into(),
            title: None,
            source: (!source.is_empty()).then(|| source.into()),
            url: (!url.is_empty()).then(|| url.into()),
            published,
            date_from: Default::default(),
            loc: RecordLoc {
                file: 0,
                line: 0,
                start: 0,
                end: 0,
            },
        },
        text,
    }
}

const T0: i64 = 1_700_000_000;
const HOUR: i64 = 3600;

fn copy_of(l: &Lineage, member: usize) -> &Copy {
    l.copies.iter().find(|c| c.member == member).unwrap()
}

#[test]
fn chain_original_verbatim_copy_excerpt_of_the_copy() {
    let all = [P1, P2, P3, P4, P5, P6];
    let edited = [P1, P2, P3_EDITED, P4, P5, P6];
    let arts = vec![
        // Input order deliberately not date order.
        art(
            "excerpt",
            "Weekly Digest",
            "",
            Some(T0 + 5 * HOUR),
            story(&[P2, P3_EDITED]),
        ),
        art(
            "orig",
            "Wire One",
            "https://wireone.example/strike",
            Some(T0),
            story(&all),
        ),
        art(
            "copy",
            "Riverton Courier",
            "",
            Some(T0 + 2 * HOUR),
            story(&edited),
        ),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!(l.origin, 1);
    assert_eq!(l.evidence, Evidence::EarliestDate);
    let copy = copy_of(&l, 2);
    assert_eq!(copy.parent, 1);
    assert_eq!(copy.copy_type, CopyType::Verbatim, "{:?}", copy.figures);
    assert_eq!(copy.lag_seconds, Some(2 * HOUR));
    assert_eq!(copy.depth, 1);
    let ex = copy_of(&l, 0);
    assert_eq!(ex.parent, 2, "the excerpt carries the copy's edits");
    assert_eq!(ex.depth, 2);
    assert_eq!(ex.copy_type, CopyType::Excerpt, "{:?}", ex.figures);
    assert_eq!(ex.lag_seconds, Some(3 * HOUR));
    assert!((ex.figures.copy_in_parent - 1.0).abs() < 1e-9);
    assert!(ex.figures.parent_in_copy < 0.5);
    // Shared passages point at the same words on both sides.
    assert!(!ex.shared.is_empty());
    for s in &ex.shared {
        assert_eq!(
            &arts[0].text[s.copy_start..s.copy_end],
            &arts[2].text[s.parent_start..s.parent_end]
        );
    }
    // Nobody credits anybody.
    assert!(l.copies.iter().all(|c| !c.attribution.attributed));
}

#[test]
fn earlier_dated_copy_that_credits_an_undated_original() {
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let arts = vec![
        art(
            "copy",
            "Copy Daily",
            "",
            Some(T0),
            format!("{all}\n\nThis report first ran in the Harbor Times."),
        ),
        art(
            "orig",
            "The Harbor Times",
            "https://www.harbortimes.example/a/1",
            None,
            all.clone(),
        ),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!(l.origin, 1);
    assert_eq!(l.evidence, Evidence::Attribution);
    assert!(
        l.evidence_note.contains("Harbor Times"),
        "{}",
        l.evidence_note
    );
    let c = copy_of(&l, 0);
    assert_eq!(c.lag_seconds, None);
    assert!(c.attribution.attributed && c.attribution.names_origin);
    let credit = c.attribution.credit.as_ref().unwrap();
    assert_eq!(credit.kind, CreditKind::Outlet);
    assert_eq!(&arts[0].text[credit.start..credit.end], "Harbor Times");
}

#[test]
fn undated_copy_with_a_credit_line() {
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let arts = vec![
        art(
            "orig",
            "Wire One",
            "https://wireone.example/strike",
            Some(T0),
            all.clone(),
        ),
        art(
            "copy",
            "Blog",
            "",
            None,
            format!("{all}\n\nSource: wireone.example"),
        ),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!((l.origin, l.evidence), (0, Evidence::EarliestDate));
    let c = copy_of(&l, 1);
    assert_eq!(c.lag_seconds, None);
    assert_eq!(c.copy_type, CopyType::Verbatim);
    assert_eq!(
        c.attribution.credit.as_ref().unwrap().kind,
        CreditKind::Domain
    );
}

#[test]
fn excerpt_is_not_taken_for_the_source() {
    let arts = vec![
        art("short", "A", "", Some(T0), story(&[P1, P2, P3])),
        art("full", "B", "", Some(T0), story(&[P1, P2, P3, P4, P5, P6])),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!(l.origin, 1);
    assert_eq!(l.evidence, Evidence::Containment);
    assert!(
        l.evidence_note.contains("`short` is an excerpt of `full`"),
        "{}",
        l.evidence_note
    );
    let c = copy_of(&l, 0);
    assert_eq!(c.copy_type, CopyType::Excerpt);
    assert!(c.figures.parent_in_copy > 0.4 && c.figures.parent_in_copy < 0.6);
    // Undated: the same.
    let mut undated = arts.clone();
    undated.iter_mut().for_each(|a| a.meta.published = None);
    assert_eq!(trace(&undated, &LineageConfig::default()).origin, 1);
}

/// Swaps every fourth word, as a spinner does.
fn spin(text: &str) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i % 4 == 1 {
                format!("alt{i}")
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn reworded_copy_with_its_figures() {
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let arts = vec![
        art("orig", "Wire One", "", Some(T0), all.clone()),
        art("spun", "Spin", "", Some(T0 + HOUR), spin(&all)),
    ];
    let l = trace(&arts, &LineageConfig::default());
    let c = copy_of(&l, 1);
    assert_eq!(c.copy_type, CopyType::Reworded, "{:?}", c.figures);
    let f = c.figures;
    assert!(f.jaccard > 0.05 && f.jaccard < 0.3, "{f:?}");
    assert!(f.copy_in_parent < 0.4 && f.parent_in_copy < 0.4, "{f:?}");
    assert!(f.aligned_copy < 0.1, "{f:?}");
}

#[test]
fn expanded_copy_adds_material() {
    let arts = vec![
        art("orig", "Wire One", "", Some(T0), story(&[P1, P2, P3])),
        art(
            "more",
            "Local",
            "",
            Some(T0 + HOUR),
            story(&[P1, P2, P3, LOCAL, P4, P5]),
        ),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!(copy_of(&l, 1).copy_type, CopyType::Expanded);
}

#[test]
fn republication_line_sets_an_earlier_dated_copy_aside() {
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let arts = vec![
        art(
            "repub",
            "Aggregator",
            "",
            Some(T0 - HOUR),
            format!("{all}\n\nRead original article here"),
        ),
        art("orig", "Wire One", "", Some(T0), all.clone()),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!((l.origin, l.evidence), (1, Evidence::Link));
    let c = copy_of(&l, 0);
    assert_eq!(c.lag_seconds, Some(-HOUR));
    assert_eq!(
        c.attribution.credit.as_ref().unwrap().kind,
        CreditKind::RepublicationLine
    );
}

#[test]
fn given_original_wins() {
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let arts = vec![
        art("early", "A", "", Some(T0), all.clone()),
        art("mine", "B", "", Some(T0 + HOUR), all.clone()),
    ];
    let l = trace_given(&arts, &LineageConfig::default(), &[false, true]);
    assert_eq!((l.origin, l.evidence), (1, Evidence::Given));
    assert_eq!(copy_of(&l, 0).lag_seconds, Some(-HOUR));
}

#[test]
fn huge_cluster_is_capped() {
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let arts: Vec<Article> = (0..40)
        .map(|i| {
            art(
                &format!("c{i}"),
                &format!("Outlet {i}"),
                "",
                Some(T0 + i * 60),
                all.clone(),
            )
        })
        .collect();
    let cfg = LineageConfig {
        max_candidates: 8,
        ..Default::default()
    };
    let l = trace(&arts, &cfg);
    assert!(l.capped);
    assert_eq!(l.origin, 0);
    assert_eq!(l.copies.len(), 39);
    assert!(l.copies.iter().all(|c| c.candidates <= 8 && c.parent == 0));
}

#[test]
fn single_and_empty_clusters() {
    let l = trace(
        &[art("a", "", "", None, "one two three".into())],
        &LineageConfig::default(),
    );
    assert_eq!(l.origin, 0);
    assert!(l.copies.is_empty());
    assert!(trace(&[], &LineageConfig::default()).copies.is_empty());
}

const SEED_REPUBLISHED: &str =
    include_str!("../../testdata/seeds/imran-khan-live-updates-republished.txt");
const SEED_SPUN: &str = include_str!("../../testdata/seeds/pakistan-live-updates-spun-copy.txt");

/// The seed's text without the republisher's furniture.
pub(crate) fn seed_original() -> String {
    SEED_REPUBLISHED
        .lines()
        .filter(|l| !matches!(l.trim(), "Read original article here" | "Leave a Comment"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The seed corpus: the NYT original, the republished seed, an excerpt,
/// and the other (spun) seed, a different piece on the same topic.
pub(crate) fn seed_corpus() -> String {
    let body: Vec<&str> = SEED_REPUBLISHED.split("\n\n").collect();
    let excerpt = body[2..6].join("\n\n");
    let line = |id: &str, source: &str, url: &str, date: &str, text: &str| {
        serde_json::json!({"id": id, "source": source, "url": url, "published": date, "text": text})
            .to_string()
    };
    [
        line(
            "spun",
            "Spin Wire",
            "https://spinwire.example/pakistan",
            "2022-04-01T09:00:00Z",
            SEED_SPUN,
        ),
        line(
            "republished",
            "Pak News Hub",
            "https://paknewshub.example/imran-khan",
            "2022-04-01T14:30:00Z",
            SEED_REPUBLISHED,
        ),
        line(
            "nyt",
            "The New York Times",
            "https://www.nytimes.com/2022/04/01/world/asia/imran-khan-pakistan-us.html",
            "2022-04-01T10:00:00Z",
            &seed_original(),
        ),
        line(
            "excerpt",
            "Quick Briefs",
            "https://quickbriefs.example/pk",
            "2022-04-02T08:00:00Z",
            &excerpt,
        ),
    ]
    .join("\n")
        + "\n"
}

#[test]
fn seeds_original_named_republication_verbatim_and_attributed() {
    let scan = crate::pipeline::scan_inputs(
        &crate::Config::default(),
        crate::ingest::Inputs::from_jsonl("seeds.jsonl", seed_corpus().into_bytes()),
        &crate::pipeline::NoProgress,
    )
    .unwrap();
    let traced = trace_scan(&scan);
    let chain = traced
        .iter()
        .find(|c| c.members.iter().any(|m| m.id == "nyt"))
        .expect("the NYT piece is in a cluster");
    let ids: Vec<&str> = chain.members.iter().map(|m| m.id.as_str()).collect();
    assert!(
        !ids.contains(&"spun"),
        "the other piece must stay out: {ids:?}"
    );
    assert!(
        ids.contains(&"republished") && ids.contains(&"excerpt"),
        "{ids:?}"
    );
    let l = &chain.lineage;
    let id = |i: usize| chain.members[i].id.as_str();
    assert_eq!(id(l.origin), "nyt");
    assert_eq!(l.evidence, Evidence::EarliestDate);
    let rep = l
        .copies
        .iter()
        .find(|c| id(c.member) == "republished")
        .unwrap();
    assert_eq!(id(rep.parent), "nyt");
    assert_eq!(rep.copy_type, CopyType::Verbatim, "{:?}", rep.figures);
    assert_eq!(rep.lag_seconds, Some(4 * HOUR + 1800));
    assert!(rep.attribution.attributed && rep.attribution.names_origin);
    assert!(rep
        .attribution
        .credit
        .as_ref()
        .unwrap()
        .snippet
        .contains("The New York Times"));
    let ex = l.copies.iter().find(|c| id(c.member) == "excerpt").unwrap();
    assert_eq!(ex.copy_type, CopyType::Excerpt, "{:?}", ex.figures);
    assert!(!ex.attribution.attributed);
    // The spun seed is also no copy of anything in the chain.
    assert!(traced
        .iter()
        .all(|c| !c.members.iter().any(|m| m.id == "spun") || c.members.len() == 1));
}

/// An op-ed's own paragraphs (issue 19: quoting a story is not rewording it).
const OPED: [&str; 4] = [
    "Every few years this city rediscovers that its prosperity rests on a single harbour, and every few years it forgets again as soon as the ships move.",
    "I have walked those quays since I was a boy, and I have never seen a government take the men who load the ships as seriously as the ships themselves.",
    "The lesson here is not complicated: a promise made to workers is a debt, and debts that go unpaid do not vanish but grow quietly until they fall due.",
    "If the minister wants the grain to move this autumn, he should stop issuing warnings through spokesmen and sit at the table with a pen in his hand.",
];

#[test]
fn issue_19_op_ed_quoting_three_paragraphs_is_quoted() {
    let oped = story(&[OPED[0], OPED[1], P2, P3, P4, OPED[2], OPED[3]]);
    let arts = vec![
        art(
            "orig",
            "Wire One",
            "",
            Some(T0),
            story(&[P1, P2, P3, P4, P5, P6]),
        ),
        art("oped", "The Opinion Weekly", "", Some(T0 + 9 * HOUR), oped),
    ];
    let l = trace(&arts, &LineageConfig::default());
    let c = copy_of(&l, 1);
    assert_eq!(c.copy_type, CopyType::Quoted, "{:?}", c.figures);
    assert!(c.figures.aligned_copy <= QUOTED_OWN, "{:?}", c.figures);
    assert!(c.figures.long_passages >= QUOTED_LONG, "{:?}", c.figures);
    let long: Vec<usize> = c
        .shared
        .iter()
        .map(|s| s.words)
        .filter(|&w| w >= QUOTED_RUN)
        .collect();
    assert_eq!(
        long.len(),
        3,
        "one passage per quoted paragraph: {:?}",
        c.shared
    );
}

#[test]
fn issue_19_spun_copy_is_not_quoted() {
    // One word in four swapped: what is shared comes in short runs.
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let spun = story(&[OPED[0], &spin(&all), OPED[1]]);
    let arts = vec![
        art("orig", "Wire One", "", Some(T0), all),
        art("spun", "Spin", "", Some(T0 + HOUR), spun),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!(copy_of(&l, 1).copy_type, CopyType::Reworded);
}

#[test]
fn issue_19_amp_page_of_the_same_outlet_is_a_version_not_a_copy() {
    let all = story(&[P1, P2, P3, P4, P5, P6]);
    let arts = vec![
        art(
            "orig",
            "Wire One",
            "https://wireone.example/strike",
            Some(T0),
            all.clone(),
        ),
        // Same outlet and address, AMP page; the source field spelt otherwise.
        art(
            "amp",
            "WireOne AMP",
            "https://amp.wireone.example/strike/amp",
            Some(T0 + 60),
            all.clone(),
        ),
        art(
            "print",
            "Wire One",
            "https://wireone.example/print/1",
            Some(T0 + 120),
            all.clone(),
        ),
        art("copy", "Riverton Courier", "", Some(T0 + HOUR), all),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!(l.origin, 0);
    assert_eq!(l.copies.len(), 1, "{:?}", l.copies);
    assert_eq!(l.copies[0].member, 3);
    assert_eq!(l.copies[0].depth, 1);
    let v: Vec<(usize, usize, VersionReason)> = l
        .versions
        .iter()
        .map(|v| (v.member, v.of, v.reason))
        .collect();
    assert_eq!(
        v,
        vec![
            (1, 0, VersionReason::SameUrl),
            (2, 0, VersionReason::SameOutlet)
        ]
    );
    assert_eq!(l.versions[0].lag_seconds, Some(60));
}

/// A lineage sent between processes (the Spark job traces clusters on its
/// executors and writes the report on its driver) comes back equal through
/// JSON, floats and credits included.
#[test]
fn lineage_round_trips_through_json() {
    let all = [P1, P2, P3, P4, P5, P6];
    let arts = vec![
        art(
            "wire",
            "Wire",
            "https://wire.example/a",
            Some(T0),
            story(&all),
        ),
        art(
            "copy",
            "Daily",
            "",
            Some(T0 + HOUR),
            format!("{}\n\nFirst published by Wire.", story(&all)),
        ),
        art(
            "excerpt",
            "Weekly",
            "",
            Some(T0 + 2 * HOUR),
            story(&[P2, P3_EDITED, LOCAL]),
        ),
    ];
    let l = trace(&arts, &LineageConfig::default());
    assert_eq!(l.copies.len(), 2);
    assert!(l.copies.iter().any(|c| c.attribution.credit.is_some()));
    let text = serde_json::to_string(&l).unwrap();
    let back: Lineage = serde_json::from_str(&text).unwrap();
    assert_eq!(back, l);
}
