//! The Rust half of `wiretrace.datasketch`: a MinHash state and an LSH
//! index, wrapped by python/wiretrace/datasketch.py in datasketch's API.
//!
//! A MinHash here is the core's (`wiretrace::minhash::MinHasher`: one
//! multiply and add per item and permutation, AVX2 where the CPU has it)
//! over xxh3-64 hashes of the items' bytes, where datasketch applies
//! `(a * sha1_32(x) + b) mod (2^61 - 1)` with numpy. Both are families of
//! hash functions under which position `i`'s minimum is shared by two
//! sets with probability their Jaccard similarity, so estimates are
//! statistically equivalent (the pytest suite checks them against the
//! exact Jaccard) though the values differ.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, OnceLock};
use wiretrace::minhash::MinHasher;
use xxhash_rust::xxh3::xxh3_64;

/// One hasher per `(num_perm, seed)`, made once: a datasketch program
/// makes one MinHash per document, and the permutations cost more to draw
/// than a short document to hash.
type Hashers = HashMap<(usize, u64), Arc<MinHasher>>;

fn hasher(k: usize, seed: u64) -> Arc<MinHasher> {
    static CACHE: OnceLock<Mutex<Hashers>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    c.entry((k, seed))
        .or_insert_with(|| Arc::new(MinHasher::new(k, seed)))
        .clone()
}

/// The hash of one item: bytes (or bytearray) as they are, str as UTF-8.
fn item_hash(x: &Bound<'_, PyAny>) -> PyResult<u64> {
    if let Ok(b) = x.cast::<PyBytes>() {
        return Ok(xxh3_64(b.as_bytes()));
    }
    if let Ok(s) = x.cast::<PyString>() {
        return Ok(xxh3_64(s.to_str()?.as_bytes()));
    }
    if let Ok(b) = x.cast::<PyByteArray>() {
        return Ok(xxh3_64(&b.to_vec()));
    }
    Err(PyTypeError::new_err(format!(
        "MinHash.update: expected bytes (or str), got {}",
        x.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default()
    )))
}

fn hashes_of(items: &Bound<'_, PyAny>, out: &mut Vec<u64>) -> PyResult<()> {
    if let Ok(list) = items.cast::<PyList>() {
        out.reserve(list.len());
        for x in list.iter() {
            out.push(item_hash(&x)?);
        }
        return Ok(());
    }
    for x in items.try_iter()? {
        out.push(item_hash(&x?)?);
    }
    Ok(())
}

/// A MinHash state: `num_perm` minima (u32; `u32::MAX` where empty).
#[pyclass(name = "_MinHashCore", module = "wiretrace._wiretrace")]
#[derive(Clone)]
pub struct MinHashCore {
    hasher: Arc<MinHasher>,
    seed: u64,
    values: Vec<u32>,
}

impl MinHashCore {
    fn add_hashes(&mut self, hashes: &[u64]) {
        if hashes.is_empty() {
            return;
        }
        let sig = self.hasher.sign(hashes);
        for (v, s) in self.values.iter_mut().zip(sig) {
            *v = (*v).min(s);
        }
    }

    fn same_family(&self, other: &MinHashCore, what: &str) -> PyResult<()> {
        if self.seed != other.seed {
            return Err(PyValueError::new_err(format!(
                "Cannot {what} MinHash with different seeds"
            )));
        }
        if self.values.len() != other.values.len() {
            return Err(PyValueError::new_err(format!(
                "Cannot {what} MinHash with different numbers of permutation functions"
            )));
        }
        Ok(())
    }
}

#[pymethods]
impl MinHashCore {
    #[new]
    #[pyo3(signature = (num_perm, seed, hashvalues = None))]
    fn new(num_perm: usize, seed: u64, hashvalues: Option<Vec<u64>>) -> PyResult<Self> {
        if num_perm == 0 {
            return Err(PyValueError::new_err("num_perm must be at least 1"));
        }
        let values = match hashvalues {
            None => vec![u32::MAX; num_perm],
            Some(h) => {
                if h.len() != num_perm {
                    return Err(PyValueError::new_err(format!(
                        "hashvalues: {} given for num_perm={num_perm}",
                        h.len()
                    )));
                }
                h.iter().map(|&v| v.min(u32::MAX as u64) as u32).collect()
            }
        };
        Ok(MinHashCore {
            hasher: hasher(num_perm, seed),
            seed,
            values,
        })
    }

    /// Adds one item (bytes or str).
    fn update(&mut self, item: &Bound<'_, PyAny>) -> PyResult<()> {
        let h = item_hash(item)?;
        self.add_hashes(&[h]);
        Ok(())
    }

    /// Adds every item of an iterable of bytes (or str).
    fn update_batch(&mut self, items: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut hashes = Vec::new();
        hashes_of(items, &mut hashes)?;
        self.add_hashes(&hashes);
        Ok(())
    }

    /// Adds items already hashed to integers (a custom `hashfunc`).
    fn update_hashes(&mut self, hashes: Vec<u64>) {
        self.add_hashes(&hashes);
    }

    /// Share of positions where the minima agree.
    fn jaccard(&self, other: &MinHashCore) -> PyResult<f64> {
        self.same_family(other, "compute Jaccard given")?;
        let same = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        Ok(same as f64 / self.values.len() as f64)
    }

    /// Takes the position-wise minimum with `other` (the union's MinHash).
    fn merge(&mut self, other: &MinHashCore) -> PyResult<()> {
        self.same_family(other, "merge")?;
        for (v, o) in self.values.iter_mut().zip(&other.values) {
            *v = (*v).min(*o);
        }
        Ok(())
    }

    /// Cardinality estimate: `k / sum(v / max) - 1`, as datasketch.
    fn count(&self) -> f64 {
        let max = u32::MAX as f64;
        let s: f64 = self.values.iter().map(|&v| v as f64 / max).sum();
        self.values.len() as f64 / s - 1.0
    }

    /// The minima.
    fn hashvalues(&self) -> Vec<u64> {
        self.values.iter().map(|&v| v as u64).collect()
    }

    /// Whether nothing was added.
    fn is_empty(&self) -> bool {
        self.values.iter().all(|&v| v == u32::MAX)
    }

    /// Forgets every item.
    fn clear(&mut self) {
        self.values.fill(u32::MAX);
    }

    /// An independent copy.
    fn copy(&self) -> Self {
        self.clone()
    }

    /// The seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    fn __len__(&self) -> usize {
        self.values.len()
    }

    fn equals(&self, other: &MinHashCore) -> bool {
        self.seed == other.seed && self.values == other.values
    }

    /// The MinHash of each item list of `batches` (a list of iterables of
    /// bytes), signed in parallel with the GIL released.
    #[staticmethod]
    fn bulk(
        py: Python<'_>,
        batches: &Bound<'_, PyAny>,
        num_perm: usize,
        seed: u64,
    ) -> PyResult<Vec<MinHashCore>> {
        if num_perm == 0 {
            return Err(PyValueError::new_err("num_perm must be at least 1"));
        }
        let mut all: Vec<Vec<u64>> = Vec::new();
        for b in batches.try_iter()? {
            let mut h = Vec::new();
            hashes_of(&b?, &mut h)?;
            all.push(h);
        }
        let hasher = hasher(num_perm, seed);
        let sigs: Vec<Vec<u32>> = py.detach(|| {
            use rayon::prelude::*;
            all.par_iter().map(|h| hasher.sign(h)).collect()
        });
        Ok(sigs
            .into_iter()
            .map(|values| MinHashCore {
                hasher: hasher.clone(),
                seed,
                values,
            })
            .collect())
    }
}

/// Band keys are xxh3 hashes already: the tables use them as they are.
#[derive(Default, Clone, Copy)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A bucket: one item's number, or (top bit set) the index of a list of
/// several in `LshCore::lists`. Most buckets hold one item, so a slot is
/// 12 bytes and needs no allocation: the tables of 100,000 items in 25
/// bands stay a third of what `Vec` buckets take, and a query's 25 random
/// reads miss the cache less.
type Slot = u32;
const LIST: u32 = 1 << 31;

/// One band's buckets: key -> slot.
type Table = HashMap<u64, Slot, BuildHasherDefault<PassThrough>>;

/// An LSH index over MinHash states: `b` bands of `r` rows; a band key is
/// the xxh3-64 of its rows (datasketch keys by the rows' bytes). Items are
/// numbered densely by the Python side, which keeps their keys.
#[pyclass(name = "_LshCore", module = "wiretrace._wiretrace")]
pub struct LshCore {
    b: usize,
    r: usize,
    tables: Vec<Table>,
    /// Buckets of more than one item (`Slot`s with the top bit set), and
    /// the indices of emptied ones for reuse.
    lists: Vec<Vec<u32>>,
    free_lists: Vec<u32>,
    /// Item `i`'s band keys at `i * b..(i + 1) * b` (for `remove`).
    keys_of: Vec<u64>,
    present: Vec<bool>,
}

impl LshCore {
    fn keys_into(&self, m: &MinHashCore, out: &mut Vec<u64>) {
        out.clear();
        let mut bytes = Vec::with_capacity(4 * self.r);
        for band in m.values[..self.b * self.r].chunks_exact(self.r) {
            bytes.clear();
            for v in band {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            out.push(xxh3_64(&bytes));
        }
    }

    fn check_len(&self, m: &MinHashCore) -> PyResult<()> {
        if m.values.len() < self.b * self.r {
            return Err(PyValueError::new_err(format!(
                "Expecting minhash with length at least {}, got {}",
                self.b * self.r,
                m.values.len()
            )));
        }
        Ok(())
    }

    fn file(&mut self, id: u32, keys: &[u64]) -> PyResult<()> {
        if id >= LIST {
            return Err(PyValueError::new_err(format!(
                "item number {id}: an index holds at most 2^31 items"
            )));
        }
        let i = id as usize;
        if self.present.len() <= i {
            self.present.resize(i + 1, false);
            self.keys_of.resize((i + 1) * self.b, 0);
        }
        if self.present[i] {
            self.remove(id);
        }
        for (t, &k) in self.tables.iter_mut().zip(keys) {
            match t.entry(k) {
                Entry::Occupied(mut e) => {
                    let slot = *e.get();
                    if slot & LIST != 0 {
                        self.lists[(slot & !LIST) as usize].push(id);
                    } else {
                        let list = vec![slot, id];
                        let at = match self.free_lists.pop() {
                            Some(f) => {
                                self.lists[f as usize] = list;
                                f
                            }
                            None => {
                                self.lists.push(list);
                                (self.lists.len() - 1) as u32
                            }
                        };
                        *e.get_mut() = LIST | at;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(id);
                }
            }
        }
        self.keys_of[i * self.b..(i + 1) * self.b].copy_from_slice(keys);
        self.present[i] = true;
        Ok(())
    }
}

#[pymethods]
impl LshCore {
    #[new]
    fn new(b: usize, r: usize) -> PyResult<Self> {
        if b == 0 || r == 0 {
            return Err(PyValueError::new_err("b and r must be at least 1"));
        }
        Ok(LshCore {
            b,
            r,
            tables: (0..b).map(|_| Table::default()).collect(),
            lists: Vec::new(),
            free_lists: Vec::new(),
            keys_of: Vec::new(),
            present: Vec::new(),
        })
    }

    /// Files item `id` under its band keys (replacing an item `id`).
    fn insert(&mut self, id: u32, m: &MinHashCore) -> PyResult<()> {
        self.check_len(m)?;
        let mut keys = Vec::with_capacity(self.b);
        self.keys_into(m, &mut keys);
        self.file(id, &keys)
    }

    /// Items sharing a band key with `m`, each once, in ascending order.
    fn query(&self, m: &MinHashCore) -> PyResult<Vec<u32>> {
        self.check_len(m)?;
        let mut keys = Vec::with_capacity(self.b);
        self.keys_into(m, &mut keys);
        let mut out = Vec::new();
        for (t, k) in self.tables.iter().zip(&keys) {
            match t.get(k) {
                Some(&slot) if slot & LIST != 0 => {
                    out.extend_from_slice(&self.lists[(slot & !LIST) as usize])
                }
                Some(&slot) => out.push(slot),
                None => {}
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Takes item `id` out of every bucket.
    fn remove(&mut self, id: u32) {
        let i = id as usize;
        if !self.present.get(i).copied().unwrap_or(false) {
            return;
        }
        self.present[i] = false;
        for (band, t) in self.tables.iter_mut().enumerate() {
            let k = self.keys_of[i * self.b + band];
            if let Entry::Occupied(mut e) = t.entry(k) {
                let slot = *e.get();
                if slot & LIST == 0 {
                    if slot == id {
                        e.remove();
                    }
                    continue;
                }
                let at = (slot & !LIST) as usize;
                let list = &mut self.lists[at];
                list.retain(|&x| x != id);
                if list.len() == 1 {
                    *e.get_mut() = list[0];
                    self.lists[at] = Vec::new();
                    self.free_lists.push(at as u32);
                }
            }
        }
    }

    /// For each band, its bucket sizes by key.
    fn get_counts(&self) -> Vec<HashMap<u64, usize>> {
        self.tables
            .iter()
            .map(|t| {
                t.iter()
                    .map(|(&k, &slot)| {
                        let n = if slot & LIST != 0 {
                            self.lists[(slot & !LIST) as usize].len()
                        } else {
                            1
                        };
                        (k, n)
                    })
                    .collect()
            })
            .collect()
    }

    /// Every item with its band keys (for pickling).
    fn state(&self) -> Vec<(u32, Vec<u64>)> {
        (0..self.present.len())
            .filter(|&i| self.present[i])
            .map(|i| {
                (
                    i as u32,
                    self.keys_of[i * self.b..(i + 1) * self.b].to_vec(),
                )
            })
            .collect()
    }

    /// Files item `id` under `keys` (one per band, from [`LshCore::state`]).
    fn insert_keys(&mut self, id: u32, keys: Vec<u64>) -> PyResult<()> {
        if keys.len() != self.b {
            return Err(PyValueError::new_err(format!(
                "{} band keys given for b={}",
                keys.len(),
                self.b
            )));
        }
        self.file(id, &keys)
    }

    /// Whether any band has a bucket.
    fn is_empty(&self) -> bool {
        self.tables.iter().all(|t| t.is_empty())
    }
}

/// The bands and rows of `num_perm` values that minimise
/// `fp_weight * P(false positive) + fn_weight * P(false negative)` at
/// `threshold`: datasketch's `_optimal_param`, computed by the core's
/// `lsh::params` (Simpson's rule where datasketch calls scipy's `quad`).
#[pyfunction]
fn _lsh_params(threshold: f64, num_perm: usize, fp_weight: f64, fn_weight: f64) -> (usize, usize) {
    let p = wiretrace::lsh::params(threshold, num_perm, fp_weight, fn_weight);
    (p.bands, p.rows)
}

/// Adds the datasketch cores to `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_lsh_params, m)?)?;
    m.add_class::<MinHashCore>()?;
    m.add_class::<LshCore>()?;
    Ok(())
}
