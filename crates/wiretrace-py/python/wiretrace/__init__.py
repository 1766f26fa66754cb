"""wiretrace: find near-duplicate news articles and trace how a story spread.

The native API is the Rust core's, so Python gets the CLI's answers::

    import wiretrace
    result = wiretrace.scan("corpus.jsonl")          # or dicts, or a pyarrow Table
    print(max(result.clusters, key=len))             # the largest cluster's ids
    wiretrace.report(result, "report.html")

- ``scan(source, **settings) -> Result``: ``.assignments`` (the CLI's
  ``--assignments``), ``.clusters``, ``.edges``, ``.skipped``.
- ``check(originals, corpus, **settings) -> CheckResult``.
- ``Fingerprinter(**settings)``: ``.fingerprint(text, title=None)``,
  ``.fingerprint_batch(texts, titles=None)`` (Rust threads, GIL released).
- ``Fingerprint``: ``.to_bytes()``, ``Fingerprint.from_bytes(data)``,
  ``.band_keys()``.
- ``verify(a, b) -> Edge | None``, ``cluster(n, edges) -> list[int]``.
- ``report(result, path=None, format=None)``.

Settings are the CLI's flags in snake_case (``num_perm=64``,
``shingle="word:5"``, ``lede=False``, ``text_field="body"``).
``wiretrace.datasketch`` offers datasketch's ``MinHash`` and ``MinHashLSH``
on the same Rust core. Errors raise ``ValueError`` (settings),
``FileNotFoundError``/``OSError`` (files) or ``WiretraceError`` (input that
cannot be used), with the core's message (``file:line: ...``).
"""

from wiretrace._wiretrace import (
    CheckResult,
    Edge,
    Fingerprint,
    Fingerprinter,
    Result,
    WiretraceError,
    __version__,
    _fingerprint_from_state,
    check,
    cluster,
    report,
    scan,
    verify,
)

__all__ = [
    "CheckResult",
    "Edge",
    "Fingerprint",
    "Fingerprinter",
    "Result",
    "WiretraceError",
    "__version__",
    "check",
    "cluster",
    "report",
    "scan",
    "verify",
]
