"""wiretrace.datasketch: datasketch's documented usage runs unchanged, and
Jaccard estimates are within the binomial error of the exact Jaccard."""

import math
import pickle
import random
import sys
import textwrap

import pytest

import wiretrace.datasketch as wd
from wiretrace.datasketch import LeanMinHash, MinHash, MinHashLSH


def run_unchanged(source, monkeypatch, capsys):
    """Runs datasketch documentation code as written (`from datasketch
    import ...`) against wiretrace.datasketch; returns what it printed."""
    monkeypatch.setitem(sys.modules, "datasketch", wd)
    exec(compile(textwrap.dedent(source), "<datasketch docs>", "exec"), {})
    return capsys.readouterr().out


# The examples of datasketch's documentation (docs/minhash.rst,
# docs/lsh.rst, README), verbatim.
MINHASH_DOC = '''
from datasketch import MinHash

data1 = ['minhash', 'is', 'a', 'probabilistic', 'data', 'structure', 'for',
        'estimating', 'the', 'similarity', 'between', 'datasets']
data2 = ['minhash', 'is', 'a', 'probability', 'data', 'structure', 'for',
        'estimating', 'the', 'similarity', 'between', 'documents']

m1, m2 = MinHash(), MinHash()
for d in data1:
    m1.update(d.encode('utf8'))
for d in data2:
    m2.update(d.encode('utf8'))
print("Estimated Jaccard for data1 and data2 is", m1.jaccard(m2))

s1 = set(data1)
s2 = set(data2)
actual_jaccard = float(len(s1.intersection(s2)))/float(len(s1.union(s2)))
print("Actual Jaccard for data1 and data2 is", actual_jaccard)

# Use more permutation functions
m = MinHash(num_perm=256)

# Union
m1.merge(m2)

# Cardinality
m = MinHash()
for d in data1:
    m.update(d.encode('utf8'))
print("Estimated cardinality is", m.count())
print("Actual cardinality is", len(set(data1)))

# Batch update
m = MinHash()
m.update_batch([s.encode('utf-8') for s in ["token1", "token2"]])

# Bulk
data = [[b'token1', b'token2', b'token3'],
        [b'token4', b'token5', b'token6']]
minhashes = MinHash.bulk(data, num_perm=64)

# Generator
minhashes = list(MinHash.generator(data, num_perm=64))

# Lean MinHash
from datasketch import LeanMinHash
lean_minhash = LeanMinHash(m)
buf = bytearray(lean_minhash.bytesize())
lean_minhash.serialize(buf)
lean_minhash = LeanMinHash.deserialize(buf)

import pickle
data = pickle.dumps(lean_minhash)
lean_minhash = pickle.loads(data)
print("lean", lean_minhash.jaccard(LeanMinHash(m)))
'''

LSH_DOC = '''
from datasketch import MinHash, MinHashLSH

set1 = set(['minhash', 'is', 'a', 'probabilistic', 'data', 'structure', 'for',
            'estimating', 'the', 'similarity', 'between', 'datasets'])
set2 = set(['minhash', 'is', 'a', 'probability', 'data', 'structure', 'for',
            'estimating', 'the', 'similarity', 'between', 'documents'])
set3 = set(['minhash', 'is', 'probability', 'data', 'structure', 'for',
            'estimating', 'the', 'similarity', 'between', 'documents'])

m1 = MinHash(num_perm=128)
m2 = MinHash(num_perm=128)
m3 = MinHash(num_perm=128)
for d in set1:
    m1.update(d.encode('utf8'))
for d in set2:
    m2.update(d.encode('utf8'))
for d in set3:
    m3.update(d.encode('utf8'))

# Create LSH index
lsh = MinHashLSH(threshold=0.5, num_perm=128)
lsh.insert("m2", m2)
lsh.insert("m3", m3)
result = lsh.query(m1)
print("Approximate neighbours with Jaccard similarity > 0.5", result)

# Insertion session
data_list = [("m1", m1), ("m2", m2), ("m3", m3)]
lsh = MinHashLSH(threshold=0.5, num_perm=128)
with lsh.insertion_session() as session:
    for key, minhash in data_list:
        session.insert(key, minhash)

# Weights
lsh = MinHashLSH(threshold=0.5, num_perm=128, weights=(0.4, 0.6))

# Removal and membership
lsh = MinHashLSH(threshold=0.5, num_perm=128)
lsh.insert("m2", m2)
print("m2" in lsh)
lsh.remove("m2")
print("m2" in lsh)
'''


def test_minhash_documentation_runs_unchanged(monkeypatch, capsys):
    out = run_unchanged(MINHASH_DOC, monkeypatch, capsys)
    est = float(out.split("Estimated Jaccard for data1 and data2 is ")[1].split()[0])
    assert abs(est - 10 / 14) < 4 * math.sqrt((10 / 14) * (4 / 14) / 128)
    card = float(out.split("Estimated cardinality is ")[1].split()[0])
    assert 5 < card < 25  # 12 distinct words; the estimate's spread is wide at k = 128
    assert "lean 1.0" in out


def test_lsh_documentation_runs_unchanged(monkeypatch, capsys):
    out = run_unchanged(LSH_DOC, monkeypatch, capsys)
    # m1-m2: 10/14 = 0.71, m1-m3: 10/13 = 0.77: both above 0.5, found
    # with probability above 0.99 at 25 bands of 5 rows.
    assert "'m2'" in out and "'m3'" in out
    assert out.strip().endswith("True\nFalse")


def random_pair(rng, size, jaccard):
    """Two sets of `size` items with exact Jaccard `jaccard` (rounded)."""
    shared = round(2 * size * jaccard / (1 + jaccard))
    common = [b"c%d-%d" % (rng.random() * 1e9, i) for i in range(shared)]
    a = common + [b"a%d" % i for i in range(size - shared)]
    b = common + [b"b%d" % i for i in range(size - shared)]
    exact = shared / (2 * size - shared)
    return a, b, exact


@pytest.mark.parametrize("jaccard", [0.1, 0.3, 0.5, 0.8, 0.95])
def test_jaccard_estimates_are_within_the_binomial_error(jaccard):
    """Over 200 pairs at num_perm=128, the estimates' mean is within 4
    standard errors of the exact Jaccard and their spread matches the
    binomial sqrt(J(1-J)/k) (what datasketch's SHA-1 family gives)."""
    rng = random.Random(int(jaccard * 1000))
    k, n = 128, 200
    errs = []
    for i in range(n):
        a, b, exact = random_pair(rng, 300, jaccard)
        ma, mb = MinHash(num_perm=k, seed=i + 1), MinHash(num_perm=k, seed=i + 1)
        ma.update_batch(a)
        mb.update_batch(b)
        errs.append(ma.jaccard(mb) - exact)
    sigma = math.sqrt(exact * (1 - exact) / k)
    mean = sum(errs) / n
    sd = math.sqrt(sum((e - mean) ** 2 for e in errs) / (n - 1))
    assert abs(mean) < 4 * sigma / math.sqrt(n), (mean, sigma)
    assert 0.75 * sigma < sd < 1.25 * sigma, (sd, sigma)


def test_count_estimates_cardinality():
    m = MinHash(num_perm=256)
    m.update_batch([b"item%d" % i for i in range(5000)])
    assert abs(m.count() - 5000) < 5000 * 4 / math.sqrt(256)


def test_minhash_api():
    m1, m2 = MinHash(num_perm=64, seed=3), MinHash(num_perm=64, seed=3)
    assert m1.is_empty() and len(m1) == 64
    m1.update(b"a")
    m1.update("b")  # str as UTF-8
    m2.update_batch([b"a", b"b"])
    assert m1 == m2 and m1.jaccard(m2) == 1.0
    assert list(m1.digest()) == list(m2.hashvalues)
    assert all(0 <= v < 2 ** 32 for v in m1.hashvalues)
    c = m1.copy()
    c.update(b"c")
    assert c != m1 and m1 == m2
    u = MinHash.union(m1, c)
    assert u == c
    m1.merge(c)
    assert m1 == c
    m1.clear()
    assert m1.is_empty()
    with pytest.raises(ValueError, match="different seeds"):
        MinHash(seed=1).jaccard(MinHash(seed=2))
    with pytest.raises(ValueError, match="permutation"):
        MinHash(num_perm=64).merge(MinHash(num_perm=128))
    with pytest.raises(TypeError, match="bytes"):
        MinHash().update(3)
    # hashvalues in, and a custom hashfunc.
    again = MinHash(seed=3, hashvalues=c.hashvalues)
    assert again == c
    h = MinHash(hashfunc=lambda b: int.from_bytes(b[:8].ljust(8, b"\0"), "little"))
    h.update_batch([b"x", b"y"])
    assert not h.is_empty()
    assert pickle.loads(pickle.dumps(c)) == c


def test_bulk_equals_one_by_one():
    sets = [[b"w%d" % (i * j) for j in range(50)] for i in range(40)]
    bulk = MinHash.bulk(sets, num_perm=32, seed=5)
    for s, m in zip(sets, bulk):
        one = MinHash(num_perm=32, seed=5)
        one.update_batch(s)
        assert one == m


def test_lean_minhash_is_immutable_and_serializes():
    m = MinHash(num_perm=32)
    m.update_batch([b"a", b"b", b"c"])
    lean = LeanMinHash(m)
    with pytest.raises(TypeError):
        lean.update(b"d")
    buf = bytearray(lean.bytesize())
    lean.serialize(buf)
    back = LeanMinHash.deserialize(buf)
    assert back == lean and back.seed == m.seed and list(back.hashvalues) == list(m.hashvalues)
    assert hash(back) == hash(lean)
    assert LeanMinHash(seed=m.seed, hashvalues=m.hashvalues) == lean


# datasketch 2.0.0's (b, r) for these (threshold, num_perm, weights),
# computed with datasketch.lsh._optimal_param.
DATASKETCH_PARAMS = [
    (0.5, 128, (0.5, 0.5), (25, 5)),
    (0.9, 128, (0.5, 0.5), (5, 25)),
]


@pytest.mark.parametrize("threshold,num_perm,weights,want", DATASKETCH_PARAMS)
def test_lsh_parameters_are_datasketchs(threshold, num_perm, weights, want):
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=weights)
    assert (lsh.b, lsh.r) == want == lsh.params


def test_lsh_finds_similar_and_not_dissimilar():
    rng = random.Random(7)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    probes, far = [], []
    for i in range(200):
        a, b, exact = random_pair(rng, 200, 0.8)
        ma, mb = MinHash(), MinHash()
        ma.update_batch(a)
        mb.update_batch(b)
        lsh.insert(("doc", i), ma)
        probes.append((("doc", i), mb))
        c = MinHash()
        c.update_batch([b"far%d-%d" % (i, j) for j in range(200)])
        far.append(c)
    found = sum(key in lsh.query(m) for key, m in probes)
    assert found >= 198  # P(miss at J = 0.8) = (1 - 0.8^5)^25 < 1e-5
    assert sum(len(lsh.query(c)) for c in far) == 0
    counts = lsh.get_counts()
    assert len(counts) == lsh.b and sum(counts[0].values()) == 200
    with pytest.raises(ValueError, match="already exists"):
        lsh.insert(("doc", 0), probes[0][1])
    lsh.insert(("doc", 0), probes[0][1], check_duplication=False)  # replaces
    lsh.remove(("doc", 0))
    assert ("doc", 0) not in lsh and ("doc", 1) in lsh
    with pytest.raises(ValueError, match="does not exist"):
        lsh.remove(("doc", 0))
    with pytest.raises(ValueError, match="length"):
        lsh.query(MinHash(num_perm=64))
    back = pickle.loads(pickle.dumps(lsh))
    assert back.query(probes[5][1]) == lsh.query(probes[5][1])
    assert ("doc", 5) in back and ("doc", 0) not in back


def test_lsh_arguments_are_checked_as_datasketch_does():
    with pytest.raises(ValueError):
        MinHashLSH(threshold=1.5)
    with pytest.raises(ValueError, match="num_perm"):
        MinHashLSH(num_perm=128, params=(20, 10))
    with pytest.raises(ValueError):
        MinHashLSH(weights=(0.7, 0.7))
    lsh = MinHashLSH(num_perm=128, params=(16, 8))
    assert (lsh.b, lsh.r) == (16, 8)
    MinHashLSH(storage_config={"type": "dict"})


@pytest.mark.parametrize("make,alternative", [
    (lambda: MinHashLSH(storage_config={"type": "redis", "redis": {"host": "localhost"}}), "storage"),
    (lambda: wd.WeightedMinHashGenerator(100), "datasketch.WeightedMinHashGenerator"),
    (lambda: wd.MinHashLSHForest(num_perm=128), "MinHashLSH"),
    (lambda: wd.MinHashLSHEnsemble(threshold=0.8), "containment"),
    (lambda: wd.HyperLogLog(), "count()"),
])
def test_features_not_offered_say_what_to_use(make, alternative):
    with pytest.raises(NotImplementedError, match=alternative.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_lsh_buckets_of_several_items_shrink_on_remove():
    m = MinHash(num_perm=128)
    m.update_batch([b"same", b"text"])
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for key in "abc":
        lsh.insert(key, m)
    assert sorted(lsh.query(m)) == ["a", "b", "c"]
    assert all(sorted(c.values()) == [3] for c in lsh.get_counts())
    lsh.remove("b")
    assert sorted(lsh.query(m)) == ["a", "c"]
    lsh.remove("a")
    assert lsh.query(m) == ["c"]
    assert all(list(c.values()) == [1] for c in lsh.get_counts())
    lsh.insert("d", m)
    lsh.insert("e", m)
    assert sorted(lsh.query(m)) == ["c", "d", "e"]
    for key in "cde":
        lsh.remove(key)
    assert lsh.query(m) == [] and lsh.is_empty()
    assert lsh._core.is_empty() and all(not c for c in lsh.get_counts())
