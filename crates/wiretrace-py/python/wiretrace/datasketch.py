"""datasketch's MinHash and MinHashLSH on wiretrace's Rust core.

Replace ``from datasketch import MinHash, MinHashLSH`` with
``from wiretrace.datasketch import MinHash, MinHashLSH``: the classes take
the same arguments and mean the same (``num_perm``, ``seed``, ``update``,
``update_batch``, ``jaccard``, ``merge``, ``count``, ``digest``, ``copy``,
``hashvalues``, ``LeanMinHash``, ``bulk``; ``threshold``, ``weights``,
``params``, ``insert``, ``query``, ``remove``, ``in``,
``insertion_session``, ``get_counts``, ``b``, ``r``).

Hash values are not datasketch's: items are hashed with xxh3-64 and
permuted by the core's MinHash family (one multiply and add modulo 2^32)
where datasketch uses SHA-1 and ``(a*x + b) mod (2^61 - 1)``. Both give
minima that agree with probability equal to the Jaccard similarity, so
estimates are statistically the same, but signatures made by one library
cannot be compared with the other's. Values are below 2^32, as
datasketch's.

Not offered (each raises ``NotImplementedError`` naming an alternative):
storage backends (Redis, Cassandra), weighted MinHash, LSH Forest, LSH
Ensemble, HyperLogLog.
"""

from __future__ import annotations

import struct
from typing import Any, Callable, Hashable, Iterable, Iterator, List, Optional, Tuple

from wiretrace._wiretrace import _LshCore, _MinHashCore, _lsh_params

try:  # datasketch returns numpy arrays; numpy is optional here.
    import numpy as _np
except ImportError:  # pragma: no cover - numpy is present where datasketch was
    _np = None

__all__ = [
    "MinHash",
    "LeanMinHash",
    "MinHashLSH",
    "MinHashLSHForest",
    "MinHashLSHEnsemble",
    "WeightedMinHash",
    "WeightedMinHashGenerator",
    "HyperLogLog",
    "HyperLogLogPlusPlus",
]

_MAX_HASH = (1 << 32) - 1


def _array(values: List[int]):
    if _np is None:
        return list(values)
    return _np.array(values, dtype=_np.uint64)


class MinHash:
    """MinHash of a set of items (bytes, or str as UTF-8).

    ``MinHash(num_perm=128, seed=1, hashfunc=None, hashobj=None,
    hashvalues=None, permutations=None)`` as datasketch's. ``hashfunc``
    (bytes -> int) replaces the built-in hash (it is then called in Python
    for each item, which is slower). ``permutations`` cannot be given: the
    permutations are drawn from ``seed`` (``NotImplementedError``).
    """

    __slots__ = ("_core", "hashfunc")

    def __init__(
        self,
        num_perm: int = 128,
        seed: int = 1,
        hashfunc: Optional[Callable[[bytes], int]] = None,
        hashobj: Any = None,
        hashvalues: Optional[Iterable[int]] = None,
        permutations: Any = None,
    ) -> None:
        if hashobj is not None:
            raise ValueError("hashobj is deprecated in datasketch; use hashfunc")
        if permutations is not None:
            raise NotImplementedError(
                "permutations: wiretrace draws the permutations from seed; give the same "
                "num_perm and seed to make MinHashes comparable"
            )
        if hashvalues is not None:
            hashvalues = [int(v) for v in hashvalues]
            num_perm = len(hashvalues)
        if num_perm > (1 << 32):
            raise ValueError("Cannot have more than %d number of permutation functions" % (1 << 32))
        self._core = _MinHashCore(num_perm, seed, hashvalues)
        self.hashfunc = hashfunc

    @property
    def seed(self) -> int:
        """The seed the permutations are drawn from."""
        return self._core.seed

    @property
    def hashvalues(self):
        """The minima (a numpy ``uint64`` array when numpy is installed)."""
        return _array(self._core.hashvalues())

    @hashvalues.setter
    def hashvalues(self, values) -> None:
        self._core = _MinHashCore(len(values), self._core.seed, [int(v) for v in values])

    def update(self, b) -> None:
        """Adds one item: bytes (or str, as UTF-8)."""
        if self.hashfunc is None:
            self._core.update(b)
        else:
            self._core.update_hashes([self.hashfunc(b) & 0xFFFFFFFFFFFFFFFF])

    def update_batch(self, b: Iterable) -> None:
        """Adds every item of ``b``."""
        if self.hashfunc is None:
            self._core.update_batch(b)
        else:
            h = self.hashfunc
            self._core.update_hashes([h(x) & 0xFFFFFFFFFFFFFFFF for x in b])

    def jaccard(self, other: "MinHash") -> float:
        """Estimated Jaccard similarity with ``other`` (same seed and
        num_perm, else ``ValueError``)."""
        return self._core.jaccard(other._core)

    def count(self) -> float:
        """Estimated number of distinct items."""
        return self._core.count()

    def merge(self, other: "MinHash") -> None:
        """Makes this the MinHash of the union with ``other``."""
        self._core.merge(other._core)

    def digest(self):
        """A copy of the hash values."""
        return self.hashvalues

    def is_empty(self) -> bool:
        """Whether no item was added."""
        return self._core.is_empty()

    def clear(self) -> None:
        """Forgets every item."""
        self._core.clear()

    def copy(self) -> "MinHash":
        """An independent copy."""
        m = MinHash.__new__(MinHash)
        m._core = self._core.copy()
        m.hashfunc = self.hashfunc
        return m

    def __len__(self) -> int:
        return len(self._core)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MinHash) and type(self) is type(other) and self._core.equals(other._core)

    def __hash__(self):  # datasketch's MinHash is unhashable (mutable)
        raise TypeError("unhashable type: 'MinHash'")

    def __getstate__(self):
        return (self._core.seed, self._core.hashvalues(), self.hashfunc)

    def __setstate__(self, state) -> None:
        seed, values, hashfunc = state
        self._core = _MinHashCore(len(values), seed, values)
        self.hashfunc = hashfunc

    @classmethod
    def union(cls, *mhs: "MinHash") -> "MinHash":
        """The MinHash of the union of ``mhs`` (two or more)."""
        if len(mhs) < 2:
            raise ValueError("Cannot union less than 2 MinHash")
        out = mhs[0].copy()
        for m in mhs[1:]:
            out.merge(m)
        return cls(seed=out.seed, hashvalues=out._core.hashvalues())

    @classmethod
    def bulk(cls, b: Iterable[Iterable], **minhash_kwargs) -> List["MinHash"]:
        """One MinHash per item set of ``b``: hashed with the GIL held,
        signed in parallel on Rust threads with it released."""
        num_perm = minhash_kwargs.pop("num_perm", 128)
        seed = minhash_kwargs.pop("seed", 1)
        hashfunc = minhash_kwargs.pop("hashfunc", None)
        if minhash_kwargs:
            raise TypeError("unexpected arguments: %s" % ", ".join(minhash_kwargs))
        if hashfunc is not None:
            out = []
            for items in b:
                m = cls(num_perm=num_perm, seed=seed, hashfunc=hashfunc)
                m.update_batch(items)
                out.append(m)
            return out
        out = []
        for core in _MinHashCore.bulk(list(b), num_perm, seed):
            m = cls.__new__(cls)
            m._core = core
            m.hashfunc = None
            out.append(m)
        return out

    @classmethod
    def generator(cls, b: Iterable[Iterable], **minhash_kwargs) -> Iterator["MinHash"]:
        """As ``bulk``, one at a time."""
        for items in b:
            m = cls(**minhash_kwargs)
            m.update_batch(items)
            yield m


class LeanMinHash(MinHash):
    """An immutable MinHash (``update`` raises ``TypeError``), made from a
    MinHash, or from ``seed`` and ``hashvalues``."""

    __slots__ = ()

    def __init__(self, minhash: Optional[MinHash] = None, seed: Optional[int] = None, hashvalues=None) -> None:
        if minhash is not None:
            self._core = minhash._core.copy()
        elif hashvalues is not None and seed is not None:
            self._core = _MinHashCore(len(hashvalues), seed, [int(v) for v in hashvalues])
        else:
            raise ValueError("Init parameters cannot be None: make a LeanMinHash from a MinHash, or seed and hashvalues")
        self.hashfunc = None

    def update(self, b) -> None:
        raise TypeError("Cannot update a LeanMinHash")

    def update_batch(self, b) -> None:
        raise TypeError("Cannot update a LeanMinHash")

    def merge(self, other) -> None:
        raise TypeError("Cannot merge into a LeanMinHash")

    def clear(self) -> None:
        raise TypeError("Cannot clear a LeanMinHash")

    def copy(self) -> "LeanMinHash":
        return LeanMinHash(self)

    def __hash__(self) -> int:
        return hash((self.seed, tuple(self._core.hashvalues())))

    def bytesize(self, byteorder: str = "@") -> int:
        """Bytes ``serialize`` writes: the seed (8), the count (4) and 4
        per hash value, as datasketch's layout."""
        return struct.calcsize(self._fmt(byteorder))

    def _fmt(self, byteorder: str) -> str:
        if byteorder not in "@=<>!":
            raise ValueError("invalid byteorder %r" % byteorder)
        return "%sqi%dI" % (byteorder, len(self))

    def serialize(self, buf, byteorder: str = "@") -> None:
        """Writes the LeanMinHash into ``buf`` (a writable buffer of at
        least ``bytesize()`` bytes)."""
        if len(buf) < self.bytesize(byteorder):
            raise ValueError("The buffer does not have enough space for holding this MinHash.")
        struct.pack_into(self._fmt(byteorder), buf, 0, self.seed, len(self), *self._core.hashvalues())

    @classmethod
    def deserialize(cls, buf, byteorder: str = "@") -> "LeanMinHash":
        """The LeanMinHash ``serialize`` wrote into ``buf``."""
        seed, num_perm = struct.unpack_from("%sqi" % byteorder, buf, 0)
        offset = struct.calcsize("%sqi" % byteorder)
        values = struct.unpack_from("%s%dI" % (byteorder, num_perm), buf, offset)
        return cls(seed=seed, hashvalues=list(values))


def _optimal_param(threshold: float, num_perm: int, false_positive_weight: float, false_negative_weight: float) -> Tuple[int, int]:
    """datasketch's choice of (b, r) for ``threshold`` (by the core's
    integration)."""
    return _lsh_params(threshold, num_perm, false_positive_weight, false_negative_weight)


_STORAGE = (
    "storage backends (Redis, Cassandra) are not offered by wiretrace.datasketch: the index "
    "lives in memory (pickle the MinHashLSH to keep it); for a persistent index of articles "
    "use wiretrace's own index, or datasketch.MinHashLSH with storage_config"
)


class MinHashLSH:
    """LSH index for Jaccard threshold queries, as datasketch's
    ``MinHashLSH(threshold=0.9, num_perm=128, weights=(0.5, 0.5),
    params=None, storage_config=None, prepickle=None, hashfunc=None)``.

    Keys are any hashable values. Only the in-memory storage is offered
    (``storage_config={"type": "dict"}`` or ``None``).
    """

    def __init__(
        self,
        threshold: float = 0.9,
        num_perm: int = 128,
        weights: Tuple[float, float] = (0.5, 0.5),
        params: Optional[Tuple[int, int]] = None,
        storage_config: Optional[dict] = None,
        prepickle: Optional[bool] = None,
        hashfunc: Optional[Callable] = None,
    ) -> None:
        if storage_config is not None and storage_config.get("type", "dict") != "dict":
            raise NotImplementedError(_STORAGE)
        if threshold > 1.0 or threshold < 0.0:
            raise ValueError("threshold must be in [0.0, 1.0]")
        if num_perm < 2:
            raise ValueError("Too few permutation functions")
        if any(w < 0.0 or w > 1.0 for w in weights):
            raise ValueError("Weight must be in [0.0, 1.0]")
        if sum(weights) != 1.0:
            raise ValueError("Weights must sum to 1.0")
        self.threshold = threshold
        self.h = num_perm
        self.weights = weights
        if params is not None:
            self.b, self.r = params
            if self.b * self.r > num_perm:
                raise ValueError(
                    "The product of b and r in params is %d * %d = %d -- it must be less than "
                    "num_perm %d. Did you forget to specify num_perm?" % (self.b, self.r, self.b * self.r, num_perm)
                )
        else:
            false_positive_weight, false_negative_weight = weights
            self.b, self.r = _optimal_param(threshold, num_perm, false_positive_weight, false_negative_weight)
        if self.b < 2:
            raise ValueError("The number of bands are too small (b < 2)")
        self.prepickle = bool(prepickle)
        self.hashfunc = hashfunc
        self._core = _LshCore(self.b, self.r)
        self._ids: dict = {}
        self._keys: list = []
        self._free: list = []

    @property
    def num_perm(self) -> int:
        return self.h

    @property
    def params(self) -> Tuple[int, int]:
        return (self.b, self.r)

    def insert(self, key: Hashable, minhash: MinHash, check_duplication: bool = True) -> None:
        """Indexes ``minhash`` under ``key``; ``ValueError`` if ``key`` is
        already in (unless ``check_duplication=False``, which replaces it)."""
        self._insert(key, minhash, check_duplication)

    def _insert(self, key, minhash, check_duplication=True):
        if len(minhash) != self.h:
            raise ValueError("Expecting minhash with length %d, got %d" % (self.h, len(minhash)))
        ids = self._ids
        if key in ids:
            if check_duplication:
                raise ValueError("The given key already exists")
            self.remove(key)
        if self._free:
            i = self._free.pop()
            self._keys[i] = key
        else:
            i = len(self._keys)
            self._keys.append(key)
        ids[key] = i
        self._core.insert(i, minhash._core)

    def insertion_session(self, buffer_size: int = 50000) -> "MinHashLSHInsertionSession":
        """A context for many inserts (``with lsh.insertion_session() as s:
        s.insert(key, m)``)."""
        return MinHashLSHInsertionSession(self, buffer_size=buffer_size)

    def query(self, minhash: MinHash) -> list:
        """Keys of the indexed MinHashes sharing a band with ``minhash``
        (candidates at about ``threshold`` or above)."""
        if len(minhash) != self.h:
            raise ValueError("Expecting minhash with length %d, got %d" % (self.h, len(minhash)))
        keys = self._keys
        return [keys[i] for i in self._core.query(minhash._core)]

    def remove(self, key: Hashable) -> None:
        """Takes ``key`` out; ``ValueError`` if it is not in."""
        i = self._ids.pop(key, None)
        if i is None:
            raise ValueError("The given key does not exist")
        self._core.remove(i)
        self._keys[i] = None
        self._free.append(i)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._ids

    def is_empty(self) -> bool:
        """Whether nothing is indexed."""
        return not self._ids

    def get_counts(self) -> List[dict]:
        """For each band, a dict of bucket sizes by band key (keys are
        integers here, bytes in datasketch)."""
        return self._core.get_counts()

    def get_subset_counts(self, *keys):
        raise NotImplementedError("get_subset_counts is not offered; query each key's MinHash instead")

    def __getstate__(self):
        state = {k: v for k, v in self.__dict__.items() if k not in ("_core", "_ids")}
        state["_bands"] = self._core.state()
        return state

    def __setstate__(self, state) -> None:
        bands = state.pop("_bands")
        self.__dict__.update(state)
        self._core = _LshCore(self.b, self.r)
        self._ids = {k: i for i, k in enumerate(self._keys) if i not in set(self._free)}
        for i, keys in bands:
            self._core.insert_keys(i, keys)


class MinHashLSHInsertionSession:
    """Context manager for batch insertion (``MinHashLSH.insertion_session``)."""

    def __init__(self, lsh: MinHashLSH, buffer_size: int = 50000) -> None:
        self.lsh = lsh
        self.buffer_size = buffer_size

    def __enter__(self) -> "MinHashLSHInsertionSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def insert(self, key: Hashable, minhash: MinHash, check_duplication: bool = True) -> None:
        self.lsh._insert(key, minhash, check_duplication)


def _not_offered(name: str, alternative: str):
    class _NotOffered:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError("%s is not offered by wiretrace.datasketch: %s" % (name, alternative))

    _NotOffered.__name__ = _NotOffered.__qualname__ = name
    _NotOffered.__doc__ = "Not offered: %s" % alternative
    return _NotOffered


WeightedMinHashGenerator = _not_offered(
    "WeightedMinHashGenerator",
    "weighted MinHash needs weights per item; use MinHash over the items (repeat an item as "
    "item#1, item#2 ... to weigh it), or datasketch.WeightedMinHashGenerator",
)
WeightedMinHash = _not_offered("WeightedMinHash", "see WeightedMinHashGenerator; use datasketch.WeightedMinHash")
MinHashLSHForest = _not_offered(
    "MinHashLSHForest",
    "for top-k queries use MinHashLSH with a lower threshold and rank the candidates by "
    "MinHash.jaccard, or datasketch.MinHashLSHForest",
)
MinHashLSHEnsemble = _not_offered(
    "MinHashLSHEnsemble",
    "for containment use wiretrace.scan (its containment rule finds excerpts: containment=0.8), "
    "or datasketch.MinHashLSHEnsemble",
)
HyperLogLog = _not_offered("HyperLogLog", "use MinHash.count() for a cardinality estimate, or datasketch.HyperLogLog")
HyperLogLogPlusPlus = _not_offered(
    "HyperLogLogPlusPlus", "use MinHash.count() for a cardinality estimate, or datasketch.HyperLogLogPlusPlus"
)
