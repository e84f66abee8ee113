"""bibliomap: bibliometric analysis and science mapping, from database exports to a study report."""
from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bibliomap.corpus import Corpus


def __getattr__(name: str) -> Any:
    """``bibliomap.Corpus`` is imported on first use, so the command line starts fast."""
    if name == "Corpus":
        from bibliomap.corpus import Corpus

        return Corpus
    raise AttributeError(f"module 'bibliomap' has no attribute {name!r}")


def read(*paths, format: str | None = None, **options) -> "Corpus":
    """Read, merge and deduplicate export files into one Corpus (with ``.ingest_report``)."""
    from bibliomap.io.ingest import ingest

    return ingest(list(paths), format=format, **options)


__all__ = ["Corpus", "read", "__version__"]
