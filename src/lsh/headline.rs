//! The headline band: pairs of one outlet's items under one headline.
//!
//! An outlet re-files a story under its headline as the story grows: a
//! two-line earnings flash and then the table, a first take and then the
//! full story. The later take can share under a fifth of its word
//! sequences with the first, too little for any band of the whole-text
//! signature to meet them; what they share is the headline, word for word.
//! So a main banding has one band more (band number `bands`, see
//! [`super::Banding::keys`]) whose key is the headline's content words:
//! articles with the same headline words meet there and are judged by
//! `verify::Rules::judge_refiling` (a re-filing is one outlet's, under 18
//! hours apart, named in the headline by a word that is not a template's,
//! keeping some of its first take's figures). Headlines of fewer than
//! `verify::REFILING_MIN_WORDS` content words name no story and are in no
//! bucket. A bucket of more than `max_bucket` members (a column's standing
//! headline, "Untitled") is windowed as in the main bands.

use super::{scan_buckets, Banding, Candidates, Earlier, Visit};
use crate::verify::Headers;

/// Hands every pair `(a, b)`, `a < b`, of eligible articles whose
/// headlines share a key in the headline band of `banding` to `visit`, and
/// what it pushes to `gather` (once, in the order of a serial scan of the
/// sorted keys). Nothing when `banding` has no headline band.
pub fn for_each_pair<T: Send>(
    headers: &Headers,
    eligible: &[bool],
    banding: Banding,
    visit: &Visit<'_, T>,
    gather: impl FnOnce(Vec<T>),
) -> Candidates {
    let mut out = Candidates::default();
    if !banding.headline || banding.lede {
        return out;
    }
    let seed = banding.band_seed(banding.params.bands);
    let mut keys: Vec<(u64, u32)> = (0..headers.len())
        .filter(|&i| eligible[i])
        .filter_map(|i| headers.headline_key(i, seed).map(|k| (k, i as u32)))
        .collect();
    keys.sort_unstable();
    // No earlier band is consulted: a pair met in the main bands too is
    // judged again here (the rules are the same) and deduplicated after.
    let none = vec![0u64; headers.len()];
    let earlier = Earlier::new(0, banding.params.rows, &none);
    let (found, st) = scan_buckets(&keys, banding.max_bucket, &earlier, visit, &|_| {});
    out.checks = st.checks;
    out.buckets = st.buckets;
    out.largest_bucket = st.largest;
    out.capped_buckets = st.capped;
    gather(found);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{NormText, Normalizer};
    use crate::verify::Header;

    fn headers(titles: &[&str]) -> Headers {
        let n = Normalizer::new(&[]).unwrap();
        let stop = crate::shingle::stopwords::english();
        let mut out = Headers::new();
        for t in titles {
            let mut norm = NormText::default();
            n.title_into(t, &mut norm);
            out.push(&Header::new(&mut norm.words, &stop, Some("Wire"), Some(0)));
        }
        out
    }

    fn pairs(titles: &[&str], eligible: &[bool], banding: Banding) -> Vec<(u32, u32)> {
        let h = headers(titles);
        let mut got = Vec::new();
        for_each_pair(
            &h,
            eligible,
            banding,
            &|a, b, _, out: &mut Vec<(u32, u32)>| out.push((a, b)),
            |found| got = found,
        );
        got.sort_unstable();
        got
    }

    fn main_banding() -> Banding {
        Banding {
            headline: true,
            ..Banding::new(super::super::LshParams { bands: 4, rows: 2 }, 7, 256)
        }
    }

    #[test]
    fn the_same_headline_words_meet_and_others_do_not() {
        let titles = [
            "ACME WIDGETS <ACW> 4TH QTR NET",
            "Acme widgets (ACW) 4th qtr net",
            "ACME WIDGETS <ACW> 3RD QTR NET",
            "QTR NET",
            "QTR NET",
        ];
        // Case and punctuation aside, 0 and 1 are one headline; 3 and 4
        // hold too few content words to be in the band.
        assert_eq!(pairs(&titles, &[true; 5], main_banding()), vec![(0, 1)]);
        // Articles the banding does not admit meet nobody.
        assert!(pairs(&titles, &[false, true, true, true, true], main_banding()).is_empty());
        // A banding without the headline band, or a lede banding: nothing.
        let plain = Banding::new(super::super::LshParams { bands: 4, rows: 2 }, 7, 256);
        assert!(pairs(&titles, &[true; 5], plain).is_empty());
    }

    #[test]
    fn a_fingerprints_keys_end_with_its_headline_band() {
        let cfg = crate::Config::default();
        let fper = crate::fingerprint::Fingerprinter::new(&cfg).unwrap();
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let fp = |title| fper.fingerprint(Some(title), text, Some("Wire"), Some(0));
        let banding = Banding::from_config(&cfg);
        let (a, b) = (
            fp("ACME WIDGETS 4TH QTR NET"),
            fp("acme widgets 4th qtr net"),
        );
        let (ka, kb): (Vec<_>, Vec<_>) = (banding.keys(&a).collect(), banding.keys(&b).collect());
        assert_eq!(ka.len(), banding.band_count());
        assert_eq!(ka.last().unwrap().0, banding.params.bands);
        assert_eq!(ka.last(), kb.last(), "one headline, one key");
        // The key is the one the scan's band uses.
        let mut h = Headers::new();
        h.push(a.header());
        let seed = banding.band_seed(banding.params.bands);
        assert_eq!(h.headline_key(0, seed), Some(ka.last().unwrap().1));
    }
}
