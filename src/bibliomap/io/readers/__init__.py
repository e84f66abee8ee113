"""Export-format readers, one module per format; importing this package registers them all."""
from bibliomap.io.readers.base import REGISTRY, ReaderError, ReaderSpec, Rejected, Source, get_reader, register

# Each reader module registers itself on import. Keep this list sorted.
_READER_MODULES = [
    "bibtex",
    "crossref_json",
    "dimensions",
    "ieee_csv",
    "lens_csv",
    "medline",
    "openalex_csv",
    "openalex_json",
    "pop_csv",
    "ris",
    "scopus_csv",
    "springer_csv",
    "wos_plaintext",
    "wos_tab",
]

import importlib as _importlib

for _name in _READER_MODULES:
    _importlib.import_module(f"bibliomap.io.readers.{_name}")

__all__ = ["REGISTRY", "ReaderError", "ReaderSpec", "Rejected", "Source", "get_reader", "register"]
