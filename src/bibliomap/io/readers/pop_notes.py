"""Publish or Perish notes in its BibTeX and RIS exports: citation counts, query date, truncation.

PoP writes what its CSV has in columns (Cites, CitesURL, QueryDate) as free-text notes in
its BibTeX (``note = {1389 cites: https://scholar.google.com/scholar?cites=...}`` and
``note = {Query date: 2025-05-31 15:03:36}``, entry keys ``pop00001``...) and RIS (``N1``)
exports. A PoP entry without a cites note has no citations: PoP sorts by cites and omits
the note at zero. Google Scholar author lists cut short end with ``...`` as the last name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bibliomap.io.readers.pop_csv import HOSTS, iso_date

_CITES_NOTE = re.compile(r"^\s*(\d[\d,]*)\s+cites?\s*:\s*(\S*)\s*$", re.I)
_QUERY_DATE_NOTE = re.compile(r"^\s*Query date\s*:\s*(.+?)\s*$", re.I)
_POP_KEY = re.compile(r"^pop\d+$", re.I)

#: What Google Scholar / PoP put in place of the authors a list leaves out.
TRUNCATION_MARKERS = frozenset({"...", "…", "et al", "et al."})


@dataclass
class PopNotes:
    """What a record's notes say, and the notes that said something else."""

    cites: int | None = None
    cites_url: str | None = None
    query_date: str | None = None
    other: list[str] = field(default_factory=list)

    @property
    def is_pop(self) -> bool:
        """True when the notes carry PoP's query date or cites note (a PoP export)."""
        return self.query_date is not None or self.cites is not None


def parse_pop_notes(notes: list[str]) -> PopNotes:
    """Split PoP's cites and query-date notes from any other notes (kept as they were)."""
    out = PopNotes()
    for note in notes:
        m = _CITES_NOTE.match(note)
        if m and out.cites is None:
            out.cites = int(m.group(1).replace(",", ""))
            out.cites_url = m.group(2) or None
            continue
        q = _QUERY_DATE_NOTE.match(note)
        if q and out.query_date is None:
            out.query_date = iso_date(q.group(1))
            if out.query_date is not None:
                continue
        out.other.append(note)
    return out


def database_of(cites_url: str | None) -> str:
    """The source PoP queried, from the host of its cites link (Google Scholar when unknown)."""
    url = (cites_url or "").lower()
    for host, database in HOSTS:
        if host in url:
            return database
    return "google_scholar"


def is_pop_key(key: str | None) -> bool:
    """PoP numbers its BibTeX entries pop00001, pop00002, ..."""
    return bool(key and _POP_KEY.match(key))


def is_truncation_marker(name: str) -> bool:
    """True for the '...' that stands for the authors Google Scholar left out."""
    return name.strip().rstrip(",").strip() in TRUNCATION_MARKERS
