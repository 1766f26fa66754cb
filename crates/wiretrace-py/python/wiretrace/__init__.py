"""wiretrace: find near-duplicate news articles and trace how a story spread.

The native API (``scan``, ``Fingerprinter``, ``verify``, ``cluster``,
``report``) is the Rust core's; ``wiretrace.datasketch`` offers datasketch's
``MinHash`` and ``MinHashLSH`` on it.
"""

from wiretrace._wiretrace import __version__

__all__ = ["__version__"]
