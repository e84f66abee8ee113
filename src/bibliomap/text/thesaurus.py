"""VOSviewer thesaurus files: merge or delete labels of any unit (terms, authors, sources, ...).

Format: a header line, then one "label<TAB>replace by" per line; an empty "replace by" deletes
the label. Comma- or semicolon-separated files (VOSviewer accepts them too) are detected from
the header. Matching is exact first, then case-insensitive.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from bibliomap.atomic import write_text
from bibliomap.io.encoding import decode


class ThesaurusError(ValueError):
    """A thesaurus file that cannot be used (names the file and line)."""


class Thesaurus(Mapping[str, str]):
    """A label -> replacement mapping; a replacement of "" means "delete this label".

    It is a read-only Mapping of the raw file entries, so it can be passed wherever a plain
    ``{label: replacement}`` dict is expected (e.g. the networks layer).
    """

    def __init__(self, mapping: Mapping[str, str] | None = None) -> None:
        self.mapping: dict[str, str] = dict(mapping or {})
        self._lower = {k.lower(): v for k, v in self.mapping.items()}

    def __len__(self) -> int:
        return len(self.mapping)

    def __getitem__(self, label: str) -> str:
        return self.mapping[label]

    def __iter__(self):
        return iter(self.mapping)

    def lookup(self, label: str) -> str | None:
        """The replacement of ``label`` (itself when unlisted); None when the thesaurus deletes it."""
        rep = self.mapping.get(label)
        if rep is None:
            rep = self._lower.get(label.lower())
        if rep is None:
            return label
        return rep if rep != "" else None

    def apply(self, labels: Iterable[str]) -> list[str | None]:
        """``lookup`` of every label (None = deleted)."""
        return [self.lookup(x) for x in labels]

    @classmethod
    def read(cls, path: str | Path) -> "Thesaurus":
        """Read a VOSviewer thesaurus file."""
        path = Path(path)
        try:
            text = decode(path.read_bytes())[0]  # UTF-8 (BOM or not), UTF-16 as Excel saves it, cp1252
        except OSError as exc:
            raise ThesaurusError(f"{path}: cannot read thesaurus file: {exc}") from exc
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, name: str = "<thesaurus>") -> "Thesaurus":
        """Parse thesaurus text (see the module docstring)."""
        lines = text.splitlines()
        if not lines or not lines[0].strip():
            raise ThesaurusError(f"{name}: empty thesaurus file; expected a header line 'label<TAB>replace by'")
        header = lines[0]
        delim = "\t" if "\t" in header else (";" if ";" in header else ("," if "," in header else "\t"))
        cols = [c.strip().lower() for c in next(csv.reader([header], delimiter=delim))]
        if "label" not in cols or "replace by" not in cols:
            raise ThesaurusError(f"{name}: line 1: expected the header 'label<TAB>replace by', got {header!r}")
        li, ri = cols.index("label"), cols.index("replace by")
        mapping: dict[str, str] = {}
        reader = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=delim)
        for lineno, row in enumerate(reader, start=2):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) <= li or not row[li].strip():
                raise ThesaurusError(f"{name}: line {lineno}: missing label in {delim.join(row)!r}")
            mapping[row[li].strip()] = row[ri].strip() if len(row) > ri else ""
        return cls(mapping)

    def write(self, path: str | Path) -> None:
        """Write in VOSviewer's tab-separated format (atomically)."""
        out = ["label\treplace by"] + [f"{k}\t{v}" for k, v in self.mapping.items()]
        write_text(path, "\n".join(out) + "\n")


def read_thesaurus(path: str | Path) -> Thesaurus:
    """Read a VOSviewer thesaurus file (see Thesaurus)."""
    return Thesaurus.read(path)
