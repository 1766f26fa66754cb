//! Terminal rendering of scores.

use std::fmt::Write as _;

use super::Scores;

/// A readable aligned table of `s` for the terminal.
pub fn format_text(s: &Scores) -> String {
    format_text_titled(s, &|_| None)
}

/// [`format_text`], naming each document of a false merge with its
/// headline where `title` knows it.
pub fn format_text_titled(s: &Scores, title: &dyn Fn(&str) -> Option<String>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "documents            {:>10}", s.documents);
    let _ = writeln!(o, "truth clusters       {:>10}", s.truth_clusters);
    let _ = writeln!(o, "predicted clusters   {:>10}", s.pred_clusters);
    let _ = write!(o, "missing from pred    {:>10}", s.missing_from_pred.len());
    if !s.missing_from_pred.is_empty() {
        let shown: Vec<&str> = s
            .missing_from_pred
            .iter()
            .take(5)
            .map(String::as_str)
            .collect();
        let more = if s.missing_from_pred.len() > 5 {
            ", ..."
        } else {
            ""
        };
        let _ = write!(o, "  (as singletons: {}{more})", shown.join(", "));
    }
    o.push('\n');
    let _ = writeln!(
        o,
        "extra in pred        {:>10}{}",
        s.extra_in_pred,
        if s.extra_in_pred > 0 {
            "  (ignored)"
        } else {
            ""
        }
    );
    o.push('\n');
    let _ = writeln!(
        o,
        "{:<10} {:>9} {:>9} {:>9} {:>14} {:>14} {:>14}",
        "metric", "precision", "recall", "f1", "tp", "fp", "fn"
    );
    let p = &s.pairwise;
    let _ = writeln!(
        o,
        "{:<10} {:>9.4} {:>9.4} {:>9.4} {:>14} {:>14} {:>14}",
        "pairwise", p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
    );
    let b = &s.bcubed;
    let _ = writeln!(
        o,
        "{:<10} {:>9.4} {:>9.4} {:>9.4}",
        "b-cubed", b.precision, b.recall, b.f1
    );
    let _ = writeln!(o, "adjusted rand index  {:>9.4}", s.adjusted_rand_index);
    if !s.false_merges.is_empty() {
        let _ = writeln!(
            o,
            "\nlargest false merges (predicted clusters holding more than one true story):"
        );
        for m in &s.false_merges {
            let _ = writeln!(
                o,
                "  cluster {}: {} stories in {} documents",
                m.cluster,
                m.stories,
                m.members.len()
            );
            for (id, truth) in m.members.iter().take(12) {
                let t = title(id).unwrap_or_default();
                let _ = writeln!(o, "    {id:<24} truth {truth:<24} {t}");
            }
            if m.members.len() > 12 {
                let _ = writeln!(o, "    ... {} more", m.members.len() - 12);
            }
        }
    }
    if !s.per_kind.is_empty() {
        o.push('\n');
        let w = s
            .per_kind
            .iter()
            .map(|k| k.kind.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(
            o,
            "{:<w$} {:>9} {:>12} {:>9} {:>12} {:>9} {:>13}",
            "kind",
            "documents",
            "true pairs",
            "recall",
            "pred pairs",
            "precision",
            "found w/ parent"
        );
        for k in &s.per_kind {
            let _ = writeln!(
                o,
                "{:<w$} {:>9} {:>12} {:>9.4} {:>12} {:>9.4} {:>13}",
                k.kind,
                k.documents,
                k.pairs,
                k.recall,
                k.pred_pairs,
                k.precision,
                k.parent_recall
                    .map(|r| format!("{r:.4}"))
                    .unwrap_or_else(|| "-".into())
            );
        }
    }
    o
}
