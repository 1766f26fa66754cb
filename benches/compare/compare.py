#!/usr/bin/env python3
"""Near-duplicate clustering with one Python MinHash library, for comparison with wiretrace.

    compare.py TOOL CORPUS.jsonl ASSIGNMENTS.jsonl [--num-perm 128] [--threshold 0.5] [--ngram 5]

TOOL is datasketch, rensa or gaoya. The driver reads the corpus (JSON Lines,
fields "id" and "text"), shingles each text into word n-grams, builds a
MinHash signature per article and an LSH index, keeps the candidate pairs
whose estimated Jaccard is at least the threshold, joins them with
union-find, and writes one {"id","cluster"} line per article: the input
wiretrace eval reads.

Shingles, as close to wiretrace's `--shingle word:5` as is reasonable in a
few lines of Python: lowercase, words are maximal runs of \\w characters,
a shingle is 5 consecutive words joined by a space. wiretrace also folds
accents and strips boilerplate (bylines, "Read the original" lines); the
Python drivers do not. gaoya tokenizes in Rust with its own word analyzer
(lowercase, word n-grams): that is how a user would call it, and a Python
tokenizer would serialise its otherwise parallel insert.

LSH bands and rows: among the splits with bands * rows == num_perm
(rensa requires that), the one that minimises datasketch's equally weighted
false positive and false negative probabilities (for 0.5 and 128: 32 bands
of 4 rows), used for all three libraries. Each library uses its own usual, documented API and its
own hash functions. A one-line JSON summary goes to stderr.
"""

import argparse
import json
import re
import sys
import time

WORD = re.compile(r"\w+")


def shingles(text, n):
    words = WORD.findall(text.lower())
    if len(words) < n:
        return [" ".join(words)] if words else []
    return list({" ".join(words[i : i + n]) for i in range(len(words) - n + 1)})


class UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, x):
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                ra, rb = rb, ra
            self.parent[ra] = rb


def read_corpus(path):
    ids, texts = [], []
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            ids.append(str(rec["id"]))
            texts.append(rec.get("text") or "")
    return ids, texts


def optimal_bands(threshold, num_perm):
    """Bands and rows with bands * rows == num_perm (rensa requires it) that
    minimise datasketch's equally weighted false positive + false negative
    probability."""
    from datasketch.lsh import _false_negative_probability as fn
    from datasketch.lsh import _false_positive_probability as fp

    best = None
    for b in range(1, num_perm + 1):
        if num_perm % b:
            continue
        r = num_perm // b
        err = 0.5 * fp(threshold, b, r) + 0.5 * fn(threshold, b, r)
        if best is None or err < best[0]:
            best = (err, b, r)
    return best[1], best[2]


def run_datasketch(texts, args, bands, rows):
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(num_perm=args.num_perm, params=(bands, rows))
    sigs = []
    for i, t in enumerate(texts):
        m = MinHash(num_perm=args.num_perm, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles(t, args.ngram)])
        lsh.insert(i, m)
        sigs.append(m)
    pairs = []
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j > i and m.jaccard(sigs[j]) >= args.threshold:
                pairs.append((i, j))
    return pairs


def run_rensa(texts, args, bands, rows):
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(args.threshold, args.num_perm, bands)
    sigs = []
    for i, t in enumerate(texts):
        m = RMinHash(args.num_perm, 1)
        m.update(shingles(t, args.ngram))
        lsh.insert(i, m)
        sigs.append(m)
    pairs = []
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j > i and m.jaccard(sigs[j]) >= args.threshold:
                pairs.append((i, j))
    return pairs


def run_gaoya(texts, args, bands, rows):
    from gaoya.minhash import MinHashStringIndex

    index = MinHashStringIndex(
        hash_size=32,
        jaccard_threshold=args.threshold,
        num_bands=bands,
        band_size=rows,
        analyzer="word",
        lowercase=True,
        ngram_range=(args.ngram, args.ngram),
        id_container="smallvec",
    )
    ids = list(range(len(texts)))
    index.par_bulk_insert_docs(ids, texts)
    pairs = []
    for i, found in enumerate(index.par_bulk_query(texts, return_similarity=True)):
        for j, sim in found:
            if j > i and sim >= args.threshold:
                pairs.append((i, j))
    return pairs


TOOLS = {"datasketch": run_datasketch, "rensa": run_rensa, "gaoya": run_gaoya}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("tool", choices=sorted(TOOLS))
    p.add_argument("corpus")
    p.add_argument("assignments")
    p.add_argument("--num-perm", type=int, default=128)
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument("--ngram", type=int, default=5)
    args = p.parse_args()

    t0 = time.perf_counter()
    ids, texts = read_corpus(args.corpus)
    t1 = time.perf_counter()
    bands, rows = optimal_bands(args.threshold, args.num_perm)
    pairs = TOOLS[args.tool](texts, args, bands, rows)
    t2 = time.perf_counter()
    uf = UnionFind(len(ids))
    for a, b in pairs:
        uf.union(a, b)
    with open(args.assignments, "w") as out:
        for i, id_ in enumerate(ids):
            out.write(json.dumps({"id": id_, "cluster": ids[uf.find(i)]}) + "\n")
    t3 = time.perf_counter()
    print(
        json.dumps(
            {
                "tool": args.tool,
                "articles": len(ids),
                "bands": bands,
                "rows": rows,
                "pairs": len(pairs),
                "read_s": round(t1 - t0, 3),
                "minhash_lsh_s": round(t2 - t1, 3),
                "cluster_write_s": round(t3 - t2, 3),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
