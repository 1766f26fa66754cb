"""Type stubs of the extension module (the native API and the datasketch cores)."""

import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

__version__: str

class WiretraceError(Exception):
    """Input wiretrace could not use; the message says what and where (file:line)."""

PathLike = Union[str, os.PathLike]
# A path, a list of paths, an iterable of dicts with the CLI's field names
# (id, text, title, source, published, url), or Arrow (a pyarrow Table,
# RecordBatch, RecordBatchReader: anything with __arrow_c_stream__ or
# __arrow_c_array__).
Source = Union[PathLike, Sequence[PathLike], Iterable[Mapping[str, Any]], Any]
# A list of str, or an Arrow string array (pyarrow Array or ChunkedArray
# of string, large_string or string_view).
TextColumn = Union[Sequence[str], Any]

class Edge:
    """A verified pair: article indices a < b, Jaccard and containment."""

    def __init__(self, a: int, b: int, jaccard: float = 1.0, containment: float = 1.0) -> None: ...
    @property
    def a(self) -> int: ...
    @property
    def b(self) -> int: ...
    @property
    def jaccard(self) -> float: ...
    @property
    def containment(self) -> float: ...

class Result:
    """Everything a scan found."""

    @property
    def assignments(self) -> list[tuple[str, int]]:
        """(id, cluster) per article in input order: the CLI's --assignments."""
    @property
    def cluster_of(self) -> list[int]: ...
    @property
    def ids(self) -> list[str]: ...
    @property
    def clusters(self) -> list[list[str]]:
        """Clusters of two or more articles (ids), largest first."""
    @property
    def edges(self) -> list[Edge]: ...
    @property
    def skipped(self) -> list[str]:
        """Records and files not scanned, as "file:line: why"."""
    @property
    def skipped_count(self) -> int: ...
    def __len__(self) -> int: ...
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The assignments as an Arrow stream (id, cluster): pyarrow.table(result)."""

class CheckResult:
    """What check found."""

    @property
    def scan(self) -> Result: ...
    @property
    def originals(self) -> list[bool]: ...
    @property
    def unattributed(self) -> int: ...
    @property
    def copies(self) -> int: ...
    @property
    def not_republished(self) -> list[str]: ...
    def verdict(self, fail_on_unattributed: bool = False) -> str:
        """"unattributed", "skipped" or "clean" (the CLI's exit codes 3, 1, 0)."""

class Fingerprint:
    """One article's fingerprint (481 bytes at num_perm=128)."""

    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, **settings: Any) -> "Fingerprint":
        """Raises ValueError for bytes that are not a fingerprint of these settings."""
    def band_keys(self, lede: bool = False) -> list[tuple[int, int]]:
        """(band, key) per LSH band; fingerprints sharing one are candidates."""
    @property
    def signature(self) -> list[int]: ...
    @property
    def shingle_count(self) -> int: ...

class Fingerprinter:
    """Makes fingerprints with the CLI's settings (snake_case keywords)."""

    def __init__(self, **settings: Any) -> None: ...
    def fingerprint(
        self,
        text: str,
        title: Optional[str] = None,
        source: Optional[str] = None,
        published: Union[int, str, Any, None] = None,
    ) -> Fingerprint: ...
    def fingerprint_batch(
        self,
        texts: TextColumn,
        titles: Optional[TextColumn] = None,
        sources: Optional[TextColumn] = None,
        published: Optional[Sequence[Union[int, str, Any, None]]] = None,
    ) -> list[Fingerprint]:
        """In parallel on Rust threads, the GIL released."""
    @property
    def num_perm(self) -> int: ...

def scan(source: Source, **settings: Any) -> Result:
    """Scans files or records as `wiretrace scan` does (GIL released)."""

def check(originals: Union[PathLike, Sequence[PathLike]], corpus: Union[PathLike, Sequence[PathLike]], **settings: Any) -> CheckResult:
    """`wiretrace check`: who republished the originals, and whether they credited them."""

def report(result: Union[Result, CheckResult], path: Optional[PathLike] = None, format: Optional[str] = None) -> Optional[str]:
    """Writes the lineage report (json, markdown, html, csv); returns it as str when path is None."""

def verify(a: Fingerprint, b: Fingerprint, indices: tuple[int, int] = (0, 1)) -> Optional[Edge]:
    """The edge if a and b are copies, as the scan decides; else None."""

def cluster(n: int, edges: Iterable[Union[Edge, tuple[int, int]]], fingerprints: Optional[Sequence[Fingerprint]] = None) -> list[int]:
    """Cluster ids of n articles; with fingerprints, as the scan clusters."""

def _fingerprint_from_state(data: bytes, settings: dict) -> Fingerprint: ...

class _MinHashCore:
    def __init__(self, num_perm: int, seed: int, hashvalues: Optional[list[int]] = None) -> None: ...
    seed: int
    def update(self, item: Union[bytes, str]) -> None: ...
    def update_batch(self, items: Iterable[Union[bytes, str]]) -> None: ...
    def update_hashes(self, hashes: list[int]) -> None: ...
    def jaccard(self, other: "_MinHashCore") -> float: ...
    def merge(self, other: "_MinHashCore") -> None: ...
    def count(self) -> float: ...
    def hashvalues(self) -> list[int]: ...
    def is_empty(self) -> bool: ...
    def clear(self) -> None: ...
    def copy(self) -> "_MinHashCore": ...
    def equals(self, other: "_MinHashCore") -> bool: ...
    def __len__(self) -> int: ...
    @staticmethod
    def bulk(batches: Iterable[Iterable[Union[bytes, str]]], num_perm: int, seed: int) -> list["_MinHashCore"]: ...

class _LshCore:
    def __init__(self, b: int, r: int) -> None: ...
    def insert(self, id: int, m: _MinHashCore) -> None: ...
    def query(self, m: _MinHashCore) -> list[int]: ...
    def remove(self, id: int) -> None: ...
    def get_counts(self) -> list[dict[int, int]]: ...
    def state(self) -> list[tuple[int, list[int]]]: ...
    def insert_keys(self, id: int, keys: list[int]) -> None: ...
    def is_empty(self) -> bool: ...

def _lsh_params(threshold: float, num_perm: int, fp_weight: float, fn_weight: float) -> tuple[int, int]: ...
