//! Truth + predicted assignments -> scores.
//!
//! Both inputs assign document ids to cluster labels. Scores are computed
//! from the contingency table of (true cluster, predicted cluster) counts
//! `n_ij` with row sums `a_i` and column sums `b_j`, never by enumerating
//! pairs, so millions of documents are fine (time O(n log n), memory O(n)):
//!
//! * pairwise: `tp = Σ C(n_ij, 2)`, true pairs `Σ C(a_i, 2)`, predicted
//!   pairs `Σ C(b_j, 2)`; precision = tp / predicted pairs (1.0 when there
//!   are no predicted pairs), recall = tp / true pairs (1.0 when there are
//!   no true pairs), F1 their harmonic mean (0.0 when both are 0);
//! * B-cubed: mean over documents of |pred ∩ true| / |pred| (precision) and
//!   |pred ∩ true| / |true| (recall), i.e. `Σ n_ij² / b_j / n`;
//! * adjusted rand index (Hubert & Arabie), computed exactly in integers;
//!   when its denominator is 0 (e.g. both partitions all singletons, or both
//!   one cluster) it is 1.0 if the partitions are identical, else 0.0.
//!
//! The universe is the set of truth ids. Truth ids missing from the
//! prediction count as predicted singletons (and are listed); predicted ids
//! not in the truth are ignored (and counted). Should an id repeat within
//! one input, its first assignment is used (`read_assignments` rejects
//! repeats). With no documents every score is 1.0.
//!
//! Per-kind scores (kinds come from the truth) look at the pairs a document
//! takes part in. For kind K, `pairs` counts, over documents d of kind K,
//! the other members of d's true cluster, and `recall` is the share of those
//! also in d's predicted cluster; `pred_pairs` counts the other members of
//! d's predicted cluster and `precision` the share of those also in d's true
//! cluster. A pair of two documents of kind K counts twice. For hard
//! negatives (true singletons) recall is 1.0 by convention and precision
//! shows whether they were wrongly merged.
//!
//! Where the truth names each copy's `parent`, `parent_recall` is the share
//! of documents of kind K predicted in the same cluster as their parent:
//! "was this verbatim copy found with the article it copied?", which is
//! what the quality targets speak of, undiluted by the other copies in the
//! same story.

mod read;
mod report;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

pub use self::read::{parse_assignments, read_assignments, EvalError};
pub use self::report::{format_text, format_text_titled};

/// One document's cluster label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Document id.
    pub id: String,
    /// Cluster label.
    pub cluster: String,
    /// Kind of document (truth files only; e.g. `original`, `verbatim`).
    pub kind: Option<String>,
    /// The id this document was copied from (truth files only).
    pub parent: Option<String>,
}

/// Precision, recall and F1, with pair counts for the pairwise metric.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Pairs in the same cluster in both (0 for B-cubed).
    pub tp: u64,
    /// Pairs together in the prediction only (0 for B-cubed).
    pub fp: u64,
    /// Pairs together in the truth only (0 for B-cubed).
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Prf {
    fn new(precision: f64, recall: f64, tp: u64, fp: u64, fn_: u64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
            tp,
            fp,
            fn_,
        }
    }
}

/// Scores of documents of one kind (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KindScore {
    /// The kind.
    pub kind: String,
    /// Documents of this kind.
    pub documents: usize,
    /// True pairs (d, e) with d of this kind.
    pub pairs: u64,
    /// Share of those pairs predicted together (1.0 when `pairs` is 0).
    pub recall: f64,
    /// Predicted pairs (d, e) with d of this kind.
    pub pred_pairs: u64,
    /// Share of those pairs that are true (1.0 when `pred_pairs` is 0).
    pub precision: f64,
    /// Documents of this kind whose truth names a parent present in the truth.
    pub with_parent: u64,
    /// Share of those predicted in their parent's cluster (None without parents).
    pub parent_recall: Option<f64>,
}

/// Everything `evaluate` measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// Documents in the truth.
    pub documents: usize,
    /// Clusters in the truth.
    pub truth_clusters: usize,
    /// Predicted clusters over the truth documents, singletons included
    /// (each missing id is one).
    pub pred_clusters: usize,
    /// Pair-counting precision, recall and F1.
    pub pairwise: Prf,
    /// B-cubed precision, recall and F1.
    pub bcubed: Prf,
    /// Adjusted rand index.
    pub adjusted_rand_index: f64,
    /// Truth ids absent from the prediction, sorted; each counts as a
    /// singleton.
    pub missing_from_pred: Vec<String>,
    /// Predicted ids absent from the truth (ignored).
    pub extra_in_pred: usize,
    /// The predicted clusters that hold more than one true story, most
    /// stories first (at most [`FALSE_MERGES`]): where precision is lost.
    pub false_merges: Vec<FalseMerge>,
    /// Per-kind scores, sorted by kind.
    pub per_kind: Vec<KindScore>,
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Interns labels as dense u32 ids.
#[derive(Default)]
struct Interner<'a> {
    ids: HashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn get(&mut self, s: &'a str) -> u32 {
        let n = self.ids.len() as u32;
        *self.ids.entry(s).or_insert(n)
    }
    fn len(&self) -> usize {
        self.ids.len()
    }
    /// Labels by interned number.
    fn labels(&self) -> Vec<&'a str> {
        let mut v = vec![""; self.ids.len()];
        for (&s, &i) in &self.ids {
            v[i as usize] = s;
        }
        v
    }
}

/// Adjusted rand index from pair counts over `n` documents.
fn ari(tp: u64, true_pairs: u64, pred_pairs: u64, n: u64) -> f64 {
    let n2 = pairs(n) as i128;
    let (tp, t, p) = (tp as i128, true_pairs as i128, pred_pairs as i128);
    let num = 2 * (tp * n2 - t * p);
    let den = (t + p) * n2 - 2 * t * p;
    if den == 0 {
        if tp == t && tp == p {
            1.0
        } else {
            0.0
        }
    } else {
        num as f64 / den as f64
    }
}

/// False merges kept in [`Scores::false_merges`].
pub const FALSE_MERGES: usize = 10;

/// A predicted cluster holding documents of more than one true story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FalseMerge {
    /// The predicted cluster's label.
    pub cluster: String,
    /// True stories in it.
    pub stories: usize,
    /// Its documents (ids, in truth order) with their true cluster labels.
    pub members: Vec<(String, String)>,
}

/// Scores `pred` against `truth` (see the module docs for definitions).
pub fn evaluate(truth: &[Assignment], pred: &[Assignment]) -> Scores {
    // Documents, true clusters and kinds.
    let mut doc_of: HashMap<&str, u32> = HashMap::with_capacity(truth.len());
    let mut tclusters = Interner::default();
    let mut t_of: Vec<u32> = Vec::with_capacity(truth.len());
    let mut kind_names: BTreeMap<&str, u32> = BTreeMap::new();
    let mut kind_raw: Vec<Option<&str>> = Vec::with_capacity(truth.len());
    let mut ids: Vec<&str> = Vec::with_capacity(truth.len());
    let mut parent_raw: Vec<Option<&str>> = Vec::with_capacity(truth.len());
    for a in truth {
        if doc_of.contains_key(a.id.as_str()) {
            continue;
        }
        doc_of.insert(&a.id, ids.len() as u32);
        ids.push(&a.id);
        t_of.push(tclusters.get(&a.cluster));
        kind_raw.push(a.kind.as_deref());
        parent_raw.push(a.parent.as_deref());
        if let Some(k) = a.kind.as_deref() {
            kind_names.entry(k).or_insert(0);
        }
    }
    for (i, v) in kind_names.values_mut().enumerate() {
        *v = i as u32;
    }
    let n = ids.len();

    // Predicted clusters over truth documents.
    const UNSET: u32 = u32::MAX;
    let mut pclusters = Interner::default();
    let mut p_of: Vec<u32> = vec![UNSET; n];
    let mut extra_in_pred = 0;
    for a in pred {
        match doc_of.get(a.id.as_str()) {
            Some(&d) => {
                if p_of[d as usize] == UNSET {
                    p_of[d as usize] = pclusters.get(&a.cluster);
                }
            }
            None => extra_in_pred += 1,
        }
    }
    let mut next = pclusters.len() as u32;
    let mut missing_from_pred = Vec::new();
    for (d, p) in p_of.iter_mut().enumerate() {
        if *p == UNSET {
            *p = next;
            next += 1;
            missing_from_pred.push(ids[d].to_string());
        }
    }
    missing_from_pred.sort_unstable();
    let pred_clusters = next as usize;

    // Cluster sizes and contingency cells.
    let mut a_size = vec![0u64; tclusters.len()];
    let mut b_size = vec![0u64; pred_clusters];
    for d in 0..n {
        a_size[t_of[d] as usize] += 1;
        b_size[p_of[d] as usize] += 1;
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by_key(|&d| (t_of[d as usize], p_of[d as usize]));
    let mut nij = vec![0u64; n];
    let (mut tp, mut bp_sum, mut br_sum) = (0u64, 0f64, 0f64);
    let mut i = 0;
    while i < n {
        let d0 = order[i] as usize;
        let key = (t_of[d0], p_of[d0]);
        let mut j = i;
        while j < n && (t_of[order[j] as usize], p_of[order[j] as usize]) == key {
            j += 1;
        }
        let cell = (j - i) as u64;
        for &d in &order[i..j] {
            nij[d as usize] = cell;
        }
        tp += pairs(cell);
        let sq = (cell * cell) as f64;
        bp_sum += sq / b_size[key.1 as usize] as f64;
        br_sum += sq / a_size[key.0 as usize] as f64;
        i = j;
    }
    let true_pairs: u64 = a_size.iter().map(|&x| pairs(x)).sum();
    let pred_pairs: u64 = b_size.iter().map(|&x| pairs(x)).sum();
    let pairwise = Prf::new(
        ratio(tp, pred_pairs),
        ratio(tp, true_pairs),
        tp,
        pred_pairs - tp,
        true_pairs - tp,
    );
    let bcubed = if n == 0 {
        Prf::new(1.0, 1.0, 0, 0, 0)
    } else {
        Prf::new(bp_sum / n as f64, br_sum / n as f64, 0, 0, 0)
    };

    // Per kind.
    let k = kind_names.len();
    let mut docs = vec![0usize; k];
    let (mut tpairs, mut thit, mut ppairs, mut phit) =
        (vec![0u64; k], vec![0u64; k], vec![0u64; k], vec![0u64; k]);
    let (mut with_parent, mut parent_hit) = (vec![0u64; k], vec![0u64; k]);
    for d in 0..n {
        let Some(kn) = kind_raw[d] else { continue };
        let Some(&ki) = kind_names.get(kn) else {
            continue;
        };
        let ki = ki as usize;
        docs[ki] += 1;
        let together = nij[d] - 1;
        tpairs[ki] += a_size[t_of[d] as usize] - 1;
        thit[ki] += together;
        ppairs[ki] += b_size[p_of[d] as usize] - 1;
        phit[ki] += together;
        if let Some(&pd) = parent_raw[d].and_then(|p| doc_of.get(p)) {
            with_parent[ki] += 1;
            parent_hit[ki] += u64::from(p_of[pd as usize] == p_of[d]);
        }
    }
    let per_kind = kind_names
        .iter()
        .map(|(name, &ki)| {
            let ki = ki as usize;
            KindScore {
                kind: name.to_string(),
                documents: docs[ki],
                pairs: tpairs[ki],
                recall: ratio(thit[ki], tpairs[ki]),
                pred_pairs: ppairs[ki],
                precision: ratio(phit[ki], ppairs[ki]),
                with_parent: with_parent[ki],
                parent_recall: (with_parent[ki] > 0)
                    .then(|| ratio(parent_hit[ki], with_parent[ki])),
            }
        })
        .collect();

    // False merges: predicted clusters over more than one true story.
    let mut by_pred: Vec<Vec<u32>> = vec![Vec::new(); pred_clusters];
    for d in 0..n {
        by_pred[p_of[d] as usize].push(d as u32);
    }
    let mut mixed: Vec<(usize, usize, u32)> = by_pred
        .iter()
        .enumerate()
        .filter(|(_, m)| m.len() > 1)
        .filter_map(|(c, m)| {
            let mut stories: Vec<u32> = m.iter().map(|&d| t_of[d as usize]).collect();
            stories.sort_unstable();
            stories.dedup();
            (stories.len() > 1).then_some((stories.len(), m.len(), c as u32))
        })
        .collect();
    mixed.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
    let label_of_pred = pclusters.labels();
    let label_of_truth = tclusters.labels();
    let false_merges = mixed
        .iter()
        .take(FALSE_MERGES)
        .map(|&(stories, _, c)| FalseMerge {
            // A mixed cluster has two members or more, so it is one of
            // pred's: those made for documents missing from pred are
            // singletons, and only pred's clusters have labels.
            cluster: label_of_pred[c as usize].to_string(),
            stories,
            members: by_pred[c as usize]
                .iter()
                .map(|&d| {
                    (
                        ids[d as usize].to_string(),
                        label_of_truth[t_of[d as usize] as usize].to_string(),
                    )
                })
                .collect(),
        })
        .collect();

    Scores {
        documents: n,
        truth_clusters: tclusters.len(),
        pred_clusters,
        pairwise,
        bcubed,
        adjusted_rand_index: ari(tp, true_pairs, pred_pairs, n as u64),
        missing_from_pred,
        extra_in_pred,
        false_merges,
        per_kind,
    }
}
