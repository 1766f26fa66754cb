//! `&Signatures` -> candidate pairs, by banding.
//!
//! A signature of `k` values is cut into `b` bands of `r` rows; two articles
//! become candidates when all `r` values of some band agree, which happens
//! with probability `1 - (1 - J^r)^b` for Jaccard `J`: an S-curve around
//! `(1/b)^(1/r)`. [`params`] picks `b` and `r` for a threshold by
//! minimizing the weighted areas of false positives below it and false
//! negatives above it, as in Leskovec, Rajaraman and Ullman (Mining of
//! Massive Datasets, ch. 3) and datasketch.
//!
//! Each band's `r` values are hashed once (xxh3, seeded per band) to a u64
//! key. Band by band, keys are split by their top bits into partitions,
//! each sorted and scanned in parallel, and each run of equal keys is a
//! bucket (a hashbrown map per band would cost more memory per article
//! than the sorted vectors). A bucket of up to `max_bucket` articles yields
//! all its pairs; a larger one (the same story copied 50,000 times, or a
//! common template) yields each member paired with its next few neighbours,
//! which keeps the bucket connected at linear cost; such buckets are counted
//! as capped so the report can say so.

pub mod headline;
pub mod lede;

use crate::minhash::Signatures;
use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bands and rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LshParams {
    /// Number of bands.
    pub bands: usize,
    /// Values per band.
    pub rows: usize,
}

impl LshParams {
    /// Probability that a pair with Jaccard `j` becomes a candidate.
    pub fn probability(&self, j: f64) -> f64 {
        1.0 - (1.0 - j.powi(self.rows as i32)).powi(self.bands as i32)
    }
}

fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    // Composite Simpson's rule; the integrands are smooth polynomials.
    let n = 200;
    let h = (b - a) / n as f64;
    let mut s = f(a) + f(b);
    for i in 1..n {
        let x = a + i as f64 * h;
        s += f(x) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}

/// Bands and rows for `k` values that minimize
/// `fp_weight * P(false positive) + fn_weight * P(false negative)` at `threshold`.
pub fn params(threshold: f64, k: usize, fp_weight: f64, fn_weight: f64) -> LshParams {
    let mut best = (
        f64::INFINITY,
        LshParams {
            bands: 1,
            rows: k.max(1),
        },
    );
    for bands in 1..=k {
        for rows in 1..=k / bands {
            let p = LshParams { bands, rows };
            let fp = integrate(|j| p.probability(j), 0.0, threshold);
            let fneg = integrate(|j| 1.0 - p.probability(j), threshold, 1.0);
            let err = fp_weight * fp + fn_weight * fneg;
            if err < best.0 - 1e-12 {
                best = (err, p);
            }
        }
    }
    best.1
}

/// Candidate pairs and what it took to find them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Candidates {
    /// Pairs `(a, b)` with `a < b`, sorted, unique (left empty by
    /// [`for_each_pair`], which hands pairs over instead of keeping them).
    #[serde(skip)]
    pub pairs: Vec<(u32, u32)>,
    /// Pairs handed over, band by band: a pair that collides in several
    /// bands counts once per band.
    pub checks: u64,
    /// Buckets (over all bands) holding two or more articles.
    pub buckets: u64,
    /// Largest bucket seen.
    pub largest_bucket: usize,
    /// Buckets larger than `max_bucket`, compared in a window instead of all pairs.
    pub capped_buckets: u64,
}

/// How signatures are banded: bands and rows, the seed of the band keys,
/// and the bucket size above which a bucket is windowed; as data, so that
/// an outside engine (an index, a distributed job) can group fingerprints
/// by the very keys the scan groups them by ([`Banding::keys`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    /// Bands and rows.
    pub params: LshParams,
    /// Seed of the band keys (band `i`'s seed is [`Banding::band_seed`]).
    pub seed: u64,
    /// Largest bucket whose pairs are all visited.
    pub max_bucket: usize,
    /// Articles with fewer distinct shingles are in no band (the scan's
    /// `min_shingles`; for the lede bands also the lede rule's
    /// `verify::MIN_EXCERPT_SHARED`).
    pub min_size: u32,
    /// Whether this banding cuts the lede signature
    /// ([`crate::fingerprint::Fingerprint::lede_signature`]), not the main one.
    pub lede: bool,
    /// Whether a main banding has the headline band besides its `bands`
    /// (see [`headline`]): band number `bands`, keyed by the headline's
    /// content words.
    pub headline: bool,
}

impl Banding {
    /// Bands and rows `params` of the main signature, band keys seeded
    /// from `seed`, buckets above `max_bucket` windowed, every article
    /// banded.
    pub fn new(params: LshParams, seed: u64, max_bucket: usize) -> Self {
        Banding {
            params,
            seed,
            max_bucket,
            min_size: 0,
            lede: false,
            headline: false,
        }
    }

    /// The main banding of a scan with `cfg`: its `bands` if set, else the
    /// bands and rows [`params`] picks for its candidate threshold; keys
    /// seeded from its seed; articles under `min_shingles` left out.
    pub fn from_config(cfg: &crate::Config) -> Self {
        let params = match cfg.bands {
            Some((bands, rows)) => LshParams { bands, rows },
            None => params(cfg.candidate_threshold(), cfg.num_perm, 0.5, 0.5),
        };
        Banding {
            min_size: cfg.min_shingles.min(u32::MAX as usize) as u32,
            headline: true,
            ..Banding::new(params, cfg.seed, cfg.max_bucket)
        }
    }

    /// The lede banding of a scan with `cfg` (see [`lede`]), or `None`
    /// when its lede pass is off. Articles sharing fewer than the lede
    /// rule's `MIN_EXCERPT_SHARED` shingles cannot be on either side of a
    /// lede edge, so only those with at least that many (and
    /// `min_shingles`) are banded.
    pub fn lede_from_config(cfg: &crate::Config) -> Option<Self> {
        cfg.lede.then(|| Banding {
            min_size: (cfg.min_shingles as f64)
                .max(crate::verify::MIN_EXCERPT_SHARED)
                .ceil()
                .min(u32::MAX as f64) as u32,
            ..lede::banding(cfg.seed, cfg.max_bucket)
        })
    }

    /// Bands in all: `bands`, and the headline band when there is one.
    pub fn band_count(&self) -> usize {
        self.params.bands + usize::from(self.headline && !self.lede)
    }

    /// Whether an article of `size` distinct shingles is banded.
    pub fn admits(&self, size: u32) -> bool {
        size >= self.min_size
    }

    /// The seed of band `band`'s keys (the one derivation the scan and
    /// [`Banding::keys`] share).
    pub fn band_seed(&self, band: usize) -> u64 {
        crate::seeds::derive(self.seed, 0x4c53_4800 + band as u64)
    }

    /// The `(band, key)` of each band of `fp` (its main signature, or its
    /// lede signature for a lede banding): two fingerprints share a key in
    /// some band exactly when the scan meets them as a candidate pair in
    /// that band (buckets larger than `max_bucket` aside: the scan then
    /// pairs each member with its next [`CAPPED_WINDOW`] in key order).
    /// Nothing for a fingerprint the banding does not admit (too short).
    ///
    /// Keys are [`band_key`] of band `i`'s values (`rows` consecutive
    /// 16-bit values from position `i * rows`) with seed
    /// [`Banding::band_seed`]`(i)`; with the headline band, band `bands`
    /// follows, keyed by the headline's words (`Header::headline_key`
    /// with seed `band_seed(bands)`), for headlines of at least
    /// `verify::REFILING_MIN_WORDS` content words. Panics when the signature is shorter
    /// than `bands * rows` (a fingerprint of another config).
    pub fn keys<'f>(
        &self,
        fp: &'f crate::fingerprint::Fingerprint,
    ) -> impl Iterator<Item = (usize, u64)> + 'f {
        let values: &'f [u16] = if self.lede {
            fp.lede_signature()
        } else {
            fp.signature()
        };
        let LshParams { bands, rows } = self.params;
        assert!(
            bands * rows <= values.len(),
            "bands x rows exceeds the signature length"
        );
        let banding = *self;
        let admitted = self.admits(fp.shingle_count());
        let n = if admitted { bands } else { 0 };
        let headline = (admitted && self.headline && !self.lede)
            .then(|| fp.header().headline_key(self.band_seed(bands)))
            .flatten()
            .map(|key| (bands, key));
        (0..n)
            .map(move |band| {
                let vals = &values[band * rows..(band + 1) * rows];
                (band, band_key(vals, banding.band_seed(band)))
            })
            .chain(headline)
    }
}

/// How many following members each member of a capped bucket is paired with.
pub const CAPPED_WINDOW: usize = 4;

/// Finds candidate pairs among the signatures whose `eligible` flag is set.
///
/// Every pair is kept until the end (sorted, deduplicated): memory grows
/// with the number of pairs. The scan itself uses [`for_each_pair`], which
/// verifies pairs as buckets are scanned and keeps only edges; this is for
/// `--exact` (which must know the articles involved before re-reading
/// them), tests and benches.
pub fn candidates(sigs: &Signatures, eligible: &[bool], banding: Banding) -> Candidates {
    let mut pairs: Vec<u64> = Vec::new();
    let mut out = for_each_pair(
        sigs,
        eligible,
        banding,
        &|a, b, _, out: &mut Vec<u64>| out.push(pack(a, b)),
        &|_| {},
        |band| {
            pairs.extend_from_slice(&band);
            // Keep the pair list from growing with the number of bands.
            if pairs.len() > 1 << 22 {
                pairs.par_sort_unstable();
                pairs.dedup();
            }
        },
    );
    pairs.par_sort_unstable();
    pairs.dedup();
    out.pairs = pairs.into_iter().map(unpack).collect();
    out
}

/// Hands every candidate pair `(a, b)`, `a < b`, to `visit`, band by band,
/// buckets in parallel; whatever `visit` pushes is given to `gather` in
/// pieces (one per partition of a band that found something), in a fixed
/// order: band by band, and within a band the order of a serial scan of
/// the sorted keys (so the result does not depend on the number of
/// threads). Handing over the pieces, not their concatenation, spares a
/// copy on the one thread that gathers. A pair that collides in several
/// bands is visited once per band. `prefetch(i)` is called for the members
/// of buckets a few ahead of the one being visited, so that what `visit`
/// reads of them can be fetched from memory meanwhile.
///
/// Nothing proportional to the number of pairs is kept: at a million
/// articles there are a hundred million candidates (templated stories share
/// most of their words), and storing, sorting and deduplicating them cost
/// more time and memory than checking each where it is found, with both
/// signatures hot in cache from the bucket scan.
pub fn for_each_pair<T: Send>(
    sigs: &Signatures,
    eligible: &[bool],
    banding: Banding,
    visit: &Visit<'_, T>,
    prefetch: &(dyn Fn(u32) + Sync),
    mut gather: impl FnMut(Vec<T>),
) -> Candidates {
    let Banding {
        params: p,
        max_bucket,
        ..
    } = banding;
    let n = sigs.len();
    assert!(
        p.bands * p.rows <= sigs.k(),
        "bands x rows exceeds the signature length"
    );
    let mut out = Candidates::default();
    let ids: Vec<u32> = (0..n as u32).filter(|&i| eligible[i as usize]).collect();
    // Slices of the articles whose keys one task computes: a few per
    // thread, so a slow thread does not hold up the band.
    let slice = ids
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(4096);
    // Per article, bit i: its bucket in band i (< 64) was capped.
    let mut capped = vec![0u64; n];
    for band in 0..p.bands {
        let earlier = Earlier::new(band, p.rows, &capped);
        let band_seed = banding.band_seed(band);
        let rows = band * p.rows..(band + 1) * p.rows;
        // Band keys are uniform hashes, so their top bits split them into
        // partitions of about equal size that never cut a bucket, and the
        // partitions in order, each sorted, are the keys sorted. Each
        // partition is sorted and scanned on its own, in parallel: no
        // global sort (rayon's parallel sort partitions its whole input on
        // one thread first, which on 16 cores left most of them idle for a
        // large share of each band).
        let slices: Vec<Vec<Vec<(u64, u32)>>> = ids
            .par_chunks(slice)
            .map(|ids| partitioned_keys(sigs, ids, rows.clone(), band_seed))
            .collect();
        let scanned: Vec<(Vec<T>, BucketStats)> = (0..PARTS)
            .into_par_iter()
            .map(|part| {
                let keys = sorted_partition(slices.iter().map(|s| s[part].as_slice()));
                scan_buckets(&keys, max_bucket, &earlier, visit, prefetch)
            })
            .collect();
        drop(slices);
        for (found, st) in scanned {
            if band < 64 {
                for &i in &st.capped_members {
                    capped[i as usize] |= 1 << band;
                }
            }
            out.checks += st.checks;
            out.buckets += st.buckets;
            out.largest_bucket = out.largest_bucket.max(st.largest);
            out.capped_buckets += st.capped;
            if !found.is_empty() {
                gather(found);
            }
        }
    }
    out
}

/// One partition's band keys, gathered from the slices (each in ascending
/// article order, the slices in order) into `(key, article)` order.
///
/// Keys are uniform hashes whose top [`PART_BITS`] bits are the same in a
/// partition, so the next bits spread them evenly: a counting sort on
/// about log2(len) of them, writing each key straight from its slice to its
/// place, leaves buckets of one or two keys, which are then put in order by
/// key. Both steps are stable and the keys arrive in article order, so
/// equal keys stay in article order: the order of sorting the pairs. (The
/// comparison sort of the pairs this replaced was 1.8% of a 100k scan:
/// two-part comparisons of 16-byte items, most of them unpredictable.) A
/// bucket of more than a few distinct keys, which uniform keys make
/// vanishingly rare, is sorted by key with the standard stable sort, so
/// no input costs more than a sort.
fn sorted_partition<'a>(slices: impl Iterator<Item = &'a [(u64, u32)]> + Clone) -> Vec<(u64, u32)> {
    let len: usize = slices.clone().map(<[_]>::len).sum();
    let bits = (usize::BITS - len.max(1).leading_zeros()).clamp(1, 16);
    let shift = 64 - PART_BITS - bits;
    let digit = |k: u64| ((k >> shift) & ((1 << bits) - 1)) as usize;
    // starts[d]: where radix bucket d begins; starts[d + 1] - starts[d] its size.
    let mut starts = vec![0u32; (1 << bits) + 1];
    for s in slices.clone() {
        for &(k, _) in s {
            starts[digit(k) + 1] += 1;
        }
    }
    for d in 1..starts.len() {
        starts[d] += starts[d - 1];
    }
    let mut next = starts.clone();
    let mut out = vec![(0u64, 0u32); len];
    for s in slices {
        for &e in s {
            let d = digit(e.0);
            out[next[d] as usize] = e;
            next[d] += 1;
        }
    }
    for w in starts.windows(2) {
        let bucket = &mut out[w[0] as usize..w[1] as usize];
        if bucket.len() > 8 {
            bucket.sort_by_key(|e| e.0);
            continue;
        }
        // Insertion by key: equal keys are never passed, so stable.
        for i in 1..bucket.len() {
            let x = bucket[i];
            let mut j = i;
            while j > 0 && bucket[j - 1].0 > x.0 {
                bucket[j] = bucket[j - 1];
                j -= 1;
            }
            bucket[j] = x;
        }
    }
    out
}

/// Top bits of a band key that choose its partition.
const PART_BITS: u32 = 8;
/// Partitions per band.
const PARTS: usize = 1 << PART_BITS;

/// The band keys (of rows `rows`, seeded with `band_seed`) of the articles
/// `ids`, as `(key, article)`, split into [`PARTS`] partitions by the key's
/// top bits, each in the order of `ids`.
fn partitioned_keys(
    sigs: &Signatures,
    ids: &[u32],
    rows: std::ops::Range<usize>,
    band_seed: u64,
) -> Vec<Vec<(u64, u32)>> {
    // Room for the expected share plus four standard deviations, so that
    // a partition rarely grows (and never doubles to twice its size).
    let mean = ids.len() / PARTS;
    let room = mean + 4 * (mean as f64).sqrt() as usize + 8;
    let mut parts: Vec<Vec<(u64, u32)>> = (0..PARTS).map(|_| Vec::with_capacity(room)).collect();
    for (j, &i) in ids.iter().enumerate() {
        if let Some(&ahead) = ids.get(j + PREFETCH_ROWS) {
            sigs.prefetch_value(ahead as usize, rows.start);
        }
        let key = band_key(&sigs.get(i as usize)[rows.clone()], band_seed);
        parts[(key >> (64 - PART_BITS)) as usize].push((key, i));
    }
    parts
}

/// Rows ahead whose band values [`partitioned_keys`] asks the CPU to load
/// while it keys the current one (about the latency of memory over the
/// time to key a row).
const PREFETCH_ROWS: usize = 16;

/// The key of one band's values: xxh3 of their little-endian bytes
/// (2 bytes per value, in order), seeded with the band's seed
/// ([`Banding::band_seed`]). The scan's bucket sort and [`Banding::keys`]
/// both call this.
pub fn band_key(vals: &[u16], band_seed: u64) -> u64 {
    if vals.len() <= 4 {
        // The usual bands (2 to 4 rows): the bytes gathered in one
        // register and stored once, where copying them into a zeroed
        // buffer (a `memset`, a `memcpy` call, then loads that waited on
        // the copy's stores) took most of the time of banding an article.
        let v = vals.iter().rev().fold(0u64, |v, &x| v << 16 | u64::from(x));
        return xxh3_64_with_seed(&v.to_le_bytes()[..vals.len() * 2], band_seed);
    }
    // A stack buffer covers r <= 64.
    let mut buf = [0u8; 2 * 64];
    if vals.len() > 64 {
        return hash_long(vals, band_seed);
    }
    for (c, v) in buf.chunks_exact_mut(2).zip(vals) {
        c.copy_from_slice(&v.to_le_bytes());
    }
    xxh3_64_with_seed(&buf[..vals.len() * 2], band_seed)
}

/// Counts from scanning some buckets.
#[derive(Default)]
struct BucketStats {
    checks: u64,
    buckets: u64,
    largest: usize,
    capped: u64,
    /// Members of the capped buckets.
    capped_members: Vec<u32>,
}

/// What [`for_each_pair`] calls for each pair `(a, b)` met in a band: the
/// band's [`Earlier`], and a vector to push findings to.
pub type Visit<'a, T> = dyn Fn(u32, u32, &Earlier, &mut Vec<T>) + Sync + 'a;

/// What the band being scanned knows of the bands before it, for
/// [`Earlier::visited_before`].
pub struct Earlier<'a> {
    band: usize,
    rows: usize,
    capped: &'a [u64],
    /// Bit `i * rows` for each earlier band `i` (< 64) whose rows lie in
    /// the first 128 positions: where [`Earlier::visited_before_in`] looks.
    starts: u128,
}

impl<'a> Earlier<'a> {
    /// What band `band` of `rows` rows knows, with `capped[a]` bit `i` set
    /// when article `a`'s bucket in band `i` was capped.
    pub fn new(band: usize, rows: usize, capped: &'a [u64]) -> Self {
        let starts = (0..band.min(64))
            .map(|i| i * rows)
            .filter(|&p| rows > 0 && p + rows <= 128)
            .fold(0u128, |m, p| m | 1 << p);
        Earlier {
            band,
            rows,
            capped,
            starts,
        }
    }

    /// Whether the pair `a`, `b` (met in this band) was already handed to
    /// `visit` in an earlier band: both agree on every row of an earlier
    /// band whose bucket was not capped (all pairs of an uncapped bucket are
    /// visited). Pairs that agree only in capped buckets, or in bands past
    /// the 64th, answer false and are simply visited again.
    ///
    /// Near-copies agree in most bands: at 100k articles 1.45 M of 6.46 M
    /// visits were such repeats, and nearly all of them pass the text test
    /// and go on to the anchor test. A verifier that has read both
    /// signatures already asks this (cache-hot, usually answered at band 0
    /// or 1) and skips the rest; the edges found are the same.
    pub fn visited_before(&self, sigs: &Signatures, a: u32, b: u32) -> bool {
        let (sa, sb) = (sigs.get(a as usize), sigs.get(b as usize));
        let capped = self.capped[a as usize];
        let r = self.rows;
        (0..self.band.min(64))
            .any(|i| capped >> i & 1 == 0 && sa[i * r..(i + 1) * r] == sb[i * r..(i + 1) * r])
    }

    /// [`Earlier::visited_before`] from the positions where the two
    /// signatures agree ([`Signatures::equal_positions`], signatures of at
    /// most 128 positions): a few shifts and ands instead of a comparison
    /// per earlier band.
    #[inline]
    pub fn visited_before_in(&self, equal: u128, a: u32) -> bool {
        // Bit p: positions p .. p + rows all agree.
        let mut whole = equal;
        for j in 1..self.rows {
            whole &= equal >> j;
        }
        let mut starts = self.starts;
        let capped = self.capped[a as usize];
        if capped != 0 {
            for i in (0..self.band.min(64)).filter(|i| capped >> i & 1 == 1) {
                starts &= !(1u128.checked_shl((i * self.rows) as u32).unwrap_or(0));
            }
        }
        whole & starts != 0
    }
}

/// Buckets prefetched ahead of the one being visited.
const PREFETCH_AHEAD: usize = 4;

/// Visits the pairs of the buckets (runs of equal keys) in `keys`: all
/// pairs of a bucket of at most `max_bucket` members, a sliding window over
/// a larger one.
fn scan_buckets<T: Send>(
    keys: &[(u64, u32)],
    max_bucket: usize,
    earlier: &Earlier,
    visit: &Visit<'_, T>,
    prefetch: &(dyn Fn(u32) + Sync),
) -> (Vec<T>, BucketStats) {
    // Buckets of two or more first (most keys are alone in theirs), so the
    // members of the bucket a few ahead can be prefetched.
    let mut buckets: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let key = keys[start].0;
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == key {
            end += 1;
        }
        if end - start >= 2 {
            buckets.push((start, end));
        }
        start = end;
    }
    let mut found = Vec::new();
    let mut st = BucketStats::default();
    for (i, &(start, end)) in buckets.iter().enumerate() {
        if let Some(&(s, e)) = buckets.get(i + PREFETCH_AHEAD) {
            for k in &keys[s..e.min(s + 16)] {
                prefetch(k.1);
            }
        }
        let m = end - start;
        st.buckets += 1;
        st.largest = st.largest.max(m);
        let members = &keys[start..end];
        let window = if m <= max_bucket {
            m
        } else {
            st.capped += 1;
            st.capped_members.extend(members.iter().map(|k| k.1));
            CAPPED_WINDOW + 1
        };
        let pairs_of = |x: usize, out: &mut Vec<T>| {
            for y in x + 1..(x + window).min(m) {
                let (a, b) = (members[x].1, members[y].1);
                visit(a.min(b), a.max(b), earlier, out);
            }
        };
        let checks = (0..m)
            .map(|x| (window - 1).min(m - 1 - x) as u64)
            .sum::<u64>();
        st.checks += checks;
        if checks >= PARALLEL_BUCKET_CHECKS {
            // A large bucket (a template, a story copied thousands of
            // times) is one partition's work and would hold the whole band
            // up on one thread: its members are paired in parallel, the
            // results kept in the serial order.
            let rows: Vec<Vec<T>> = (0..m)
                .into_par_iter()
                .with_min_len((m / 64).max(1))
                .map(|x| {
                    let mut out = Vec::new();
                    pairs_of(x, &mut out);
                    out
                })
                .collect();
            for r in rows {
                found.extend(r);
            }
        } else {
            for x in 0..m {
                pairs_of(x, &mut found);
            }
        }
    }
    (found, st)
}

/// Pairs in one bucket above which they are visited in parallel (about a
/// millisecond of verification).
const PARALLEL_BUCKET_CHECKS: u64 = 4096;

fn hash_long(vals: &[u16], seed: u64) -> u64 {
    let bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
    xxh3_64_with_seed(&bytes, seed)
}

fn pack(a: u32, b: u32) -> u64 {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    (a as u64) << 32 | b as u64
}

fn unpack(p: u64) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

#[cfg(test)]
mod tests;
