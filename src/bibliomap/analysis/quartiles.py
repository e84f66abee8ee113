"""Journal quartiles from a SCImago Journal Rank CSV the user downloaded (``--sjr FILE``).

The SJR export is semicolon-separated with decimal commas and a UTF-8 BOM; ``Issn`` holds a
quoted, comma-separated list of 8-character ISSNs without hyphens (ANCHORS.md section 8.11).
Each record gets the best quartile of its source, matched by any of its ISSNs (hyphens
ignored) and then by normalized source title. Records that match nothing are "no quartile",
as are journals SJR lists without a quartile ("-"): a quartile is never guessed.
"""
from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bibliomap.analysis._columns import combined, encode, statistics_frame

NO_QUARTILE = "no quartile"
QUARTILES = ("Q1", "Q2", "Q3", "Q4")
_RANK = {q: i + 1 for i, q in enumerate(QUARTILES)}  # 1 = best; 0 = listed without quartile

_REQUIRED = ("Title", "Issn", "SJR Best Quartile")


class SJRFormatError(ValueError):
    """The file is not a SCImago Journal Rank CSV."""


def normalize_title(title: str | None) -> str:
    """Title match key: accents stripped, '&' -> 'and', punctuation dropped, lower-case, no leading 'the'."""
    if not title:
        return ""
    s = unicodedata.normalize("NFKD", str(title))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower().replace("&", " and ")
    s = re.sub(r"[^0-9a-z]+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def normalize_issn(value: str) -> str:
    """ISSN match key: digits and X only, upper-case ('1542-4863' -> '15424863')."""
    return re.sub(r"[^0-9X]", "", str(value).upper())


def read_sjr(path: str | Path) -> pd.DataFrame:
    """Read a SCImago CSV into Title, title_key, issns (list of keys), quartile, sjr, categories.

    Raises :class:`SJRFormatError` naming the file (and the line) when it is not readable as one.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SJRFormatError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SJRFormatError(f"{path}: not UTF-8 text (byte {exc.start}); expected a SCImago CSV export") from exc
    try:
        df = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False, quotechar='"')
    except pd.errors.ParserError as exc:
        raise SJRFormatError(f"{path}: not a semicolon-separated SCImago CSV: {exc}") from exc
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise SJRFormatError(
            f"{path}: not a SCImago Journal Rank CSV: missing column(s) {', '.join(missing)} "
            f"(line 1 has: {', '.join(map(str, df.columns[:8]))})"
        )
    quart = df["SJR Best Quartile"].str.strip().str.upper()
    bad = ~quart.isin(list(QUARTILES) + ["-", ""])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise SJRFormatError(f"{path}: line {i + 2}: SJR Best Quartile {df['SJR Best Quartile'].iloc[i]!r} is not Q1-Q4 or '-'")
    sjr = pd.to_numeric(df["SJR"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False), errors="coerce") if "SJR" in df else np.nan
    out = pd.DataFrame(
        {
            "Title": df["Title"],
            "title_key": [normalize_title(t) for t in df["Title"]],
            "issns": [[k for k in (normalize_issn(p) for p in s.split(",")) if len(k) == 8] for s in df["Issn"]],
            "quartile": quart.where(quart.isin(QUARTILES), NO_QUARTILE),
            "sjr": sjr,
            "categories": df["Categories"] if "Categories" in df else "",
        }
    )
    out.attrs["year"] = sjr_year(df.columns)
    out.attrs["path"] = str(path)
    return out


def sjr_year(columns) -> int | None:
    """The ranking year from the 'Total Docs. (YYYY)' column header, when present."""
    for col in columns:
        m = re.fullmatch(r"Total Docs\. \((\d{4})\)", str(col).strip())
        if m:
            return int(m.group(1))
    return None


def _best_rank_map(keys: list[list[str]] | pd.Series, ranks: np.ndarray) -> dict[str, int]:
    """key -> best (lowest positive) rank; 0 (listed, no quartile) only when nothing better."""
    best: dict[str, int] = {}
    for ks, r in zip(keys, ranks):
        for k in ks:
            old = best.get(k)
            if old is None or (r > 0 and (old == 0 or r < old)):
                best[k] = int(r)
    return best


@dataclasses.dataclass
class QuartileResult:
    """Quartile per record, how it was matched, and the match report."""

    quartile: np.ndarray  # per record: 'Q1'..'Q4' or 'no quartile'
    matched_by: np.ndarray  # per record: 'issn', 'title' or None
    documents: pd.DataFrame  # Quartile, Documents, Sources
    unmatched: pd.DataFrame  # Source, ISSN, Documents (sources absent from the SJR file)
    match_rate: float | None  # share of records with a source that matched the SJR file
    sjr_year: int | None

    def summary(self) -> pd.DataFrame:
        rows = [("SJR year", self.sjr_year), ("Match rate", self.match_rate),
                ("Matched by ISSN", int(np.count_nonzero(self.matched_by == "issn"))),
                ("Matched by title", int(np.count_nonzero(self.matched_by == "title")))]
        return statistics_frame(rows)


def attach_quartiles(corpus, sjr: pd.DataFrame | str | Path) -> QuartileResult:
    """Best SJR quartile of each record's source: by any ISSN first, then by normalized title."""
    if not isinstance(sjr, pd.DataFrame):
        sjr = read_sjr(sjr)
    ranks = sjr["quartile"].map(lambda q: _RANK.get(q, 0)).to_numpy()
    issn_best = _best_rank_map(sjr["issns"], ranks)
    title_best = _best_rank_map([[k] if k else [] for k in sjr["title_key"]], ranks)
    n = len(corpus)

    # by ISSN: explode, normalize, look up, keep the best per record (vectorized over records)
    parents, flat = corpus.explode("issn")
    keys = pc.utf8_upper(pc.replace_substring_regex(pc.fill_null(flat, ""), r"[^0-9Xx]", ""))
    issn_keys = pa.array(list(issn_best), type=pa.string())
    issn_ranks = np.array(list(issn_best.values()) + [0], dtype=np.int64)
    pos = pc.fill_null(pc.index_in(keys, value_set=issn_keys), -1).to_numpy(zero_copy_only=False).astype(np.int64)
    hit = pos >= 0
    rank = np.full(n, 99, dtype=np.int64)  # 99 = not matched
    # 0 (listed, no quartile) must lose against any real quartile: sort key 0 -> 5
    r = issn_ranks[pos[hit]]
    np.minimum.at(rank, parents[hit], np.where(r == 0, 5, r))
    matched_by = np.where(rank < 99, "issn", None).astype(object)

    # by title, for the rest: normalize each distinct source title once
    titles = combined(corpus.column("source_title"))
    codes, uniques = encode(titles)
    uniq_rank = np.array([title_best.get(normalize_title(t), -1) for t in uniques.to_pylist()] + [-1], dtype=np.int64)
    t_rank = uniq_rank[codes]  # code -1 picks the trailing -1
    use_title = (rank == 99) & (t_rank >= 0)
    rank[use_title] = np.where(t_rank[use_title] == 0, 5, t_rank[use_title])
    matched_by[use_title] = "title"

    labels = np.array(list(QUARTILES) + [NO_QUARTILE], dtype=object)
    quart = labels[np.clip(rank, 1, 5) - 1]

    has_source = (codes >= 0) | (corpus.list_lengths("issn") > 0)
    matched = rank < 99
    match_rate = float(matched[has_source].mean()) if has_source.any() else None

    # documents and distinct sources per quartile
    src_codes = np.where(codes >= 0, codes, -1)
    rows = []
    for q in labels:
        sel = quart == q
        picked = src_codes[sel & (src_codes >= 0)]
        rows.append((q, int(sel.sum()), int(np.count_nonzero(np.bincount(picked))) if picked.size else 0))
    documents = pd.DataFrame(rows, columns=["Quartile", "Documents", "Sources"])

    # unmatched sources: those with a title or ISSN that matched nothing
    miss = has_source & ~matched
    first_issn = pc.list_element(pc.if_else(pc.greater(pc.list_value_length(combined(corpus.column("issn"))), 0),
                                            combined(corpus.column("issn")), pa.scalar(["-"], pa.list_(pa.string()))), 0)
    um = pd.DataFrame(
        {
            "Source": pc.filter(titles, pa.array(miss)).to_pylist(),
            "ISSN": pc.filter(first_issn, pa.array(miss)).to_pylist(),
        }
    )
    um["ISSN"] = um["ISSN"].replace("-", None)
    um["Source"] = um["Source"].fillna("")
    unmatched = (
        um.groupby(["Source", "ISSN"], dropna=False, sort=False).size().rename("Documents").reset_index()
        .sort_values(["Documents", "Source"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    )
    return QuartileResult(quart, matched_by, documents, unmatched, match_rate, sjr.attrs.get("year"))
