"""The term verification page: VOSviewer's verification table over the last run's terms,
and the choices (drop, merge) saved as the project's VOSviewer thesaurus for terms."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from bibliomap.app.workspace import MAPS_THESAURUS, OUTPUT, TERMS_THESAURUS
from bibliomap.text.thesaurus import Thesaurus

MAX_LABEL = 200


#: The project's thesaurus files by kind: for terms (this page's choices) and for the bibliographic maps.
FILES = {"terms": TERMS_THESAURUS, "maps": MAPS_THESAURUS}


def thesaurus(folder: Path, kind: str = "terms") -> Thesaurus:
    path = folder / FILES[kind]
    return Thesaurus.read(path) if path.exists() else Thesaurus()


def rows(folder: Path) -> list[dict[str, Any]] | None:
    """The candidate terms that met the occurrence threshold in the last run, with the
    thesaurus's choices; thesaurus entries the run no longer shows are listed too. None before a run."""
    path = folder / OUTPUT / "tables" / "terms.csv"
    if not path.exists():
        return None
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    table = table[table["relevance"].notna()]
    th = thesaurus(folder)
    out = []
    counted_as = table["counted_as"] if "counted_as" in table else pd.Series("", index=table.index)  # runs before 2026-12
    for term, occ, rel, sel, label in zip(table["term"], table["occurrences"], table["relevance"], table["selected"],
                                          counted_as.fillna("")):
        out.append(_row(str(term), int(occ), float(rel), str(sel).lower() == "true", th, str(label)))
    shown = {r["term"] for r in out}
    for label in th:
        if label not in shown:
            out.append(_row(label, None, None, None, th))
    return out


def _row(term: str, occ: int | None, rel: float | None, sel: bool | None, th: Thesaurus,
         counted_as: str = "") -> dict[str, Any]:
    """One row of the page; ``counted_as``: the label a variant or acronym counts toward in the maps."""
    rep = th.mapping.get(term)
    return {"term": term, "occurrences": occ, "relevance": None if rel is None or math.isnan(rel) else round(rel, 4),
            "selected": sel, "counted_as": counted_as, "keep": rep != "", "merge": rep if rep else ""}


def save_choices(folder: Path, choices: list[dict[str, Any]]) -> Thesaurus:
    """Write the thesaurus the choices describe: unticked terms dropped, merged terms replaced by their label."""
    mapping: dict[str, str] = {}
    for c in choices:
        term = str(c.get("term", "")).strip()
        merge = str(c.get("merge") or "").strip()
        if not term or "\t" in term or "\n" in term or "\t" in merge or "\n" in merge:
            raise ValueError(f"invalid term or label: {term!r} -> {merge!r}")
        if len(merge) > MAX_LABEL:
            raise ValueError(f"label longer than {MAX_LABEL} characters: {merge[:40]!r}...")
        if not c.get("keep", True):
            mapping[term] = ""
        elif merge and merge != term:
            mapping[term] = merge
    th = Thesaurus(mapping)
    if len(th):
        th.write(folder / TERMS_THESAURUS)
    else:
        (folder / TERMS_THESAURUS).unlink(missing_ok=True)
    return th


def save_uploaded(folder: Path, data: bytes, name: str, kind: str = "terms") -> Thesaurus:
    """Check and store an uploaded VOSviewer thesaurus file as the project's thesaurus of ``kind``
    (one without rules removes it)."""
    from bibliomap.io.encoding import decode

    th = Thesaurus.parse(decode(data)[0], name)  # ThesaurusError names the line
    path = folder / FILES[kind]
    if len(th):
        th.write(path)
    else:
        path.unlink(missing_ok=True)
    return th
