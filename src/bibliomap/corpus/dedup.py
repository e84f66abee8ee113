"""Finding duplicate records across files and databases, and merging them.

Rules, applied in this order (each merge lists the rule that fired first):

1. ``doi``, ``pmid``, ``eid``, ``wos_ut``, ``openalex_id``, ``arxiv_id``: the same identifier.
2. ``title_year_author``: the same normalized title, the same first-author surname
   (records without authors never match by title) and publication years at most one apart.
3. ``fuzzy_title``: title similarity (rapidfuzz ratio) at least ``fuzzy_threshold``
   with the same first-author surname and years at most one apart.

Rules 2 and 3 never join records with two different DOIs (a preprint and its
journal version, a correction), nor records with two different native ids of one
database whose sources differ (WoS lists a meeting abstract and the article of the
same title in another journal under two UTs: two works). The same native-id
conflict within one source (a database listing a conference paper twice, once
with its DOI) is merged. Two different volumes also keep records apart (the
volumes of one proceedings series share a title).

Merge policy (``merge_group``): the earliest input record is the base; a scalar
field takes the first non-empty value in input order, except ``abstract`` (the
longest) and ``times_cited`` (the maximum over the databases; every database's
count is kept in ``citation_counts``); list fields are unions in input order
(references de-duplicated by key, never dropped); the author list is the longest
one, enriched with ids and affiliations from the others. ``field_sources`` says
which input record supplied each field.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bibliomap.arrays import unique_ints
from bibliomap.corpus.schema import ID_FIELDS, LIST_FIELDS
from bibliomap.scoped import set_within

_VOLUME_NUMBER = re.compile(r"\d+")


class _Groups:
    """Sparse union-find over record indices that refuses to join records with conflicting ids.

    Two different DOIs always conflict. Two different native ids of one database
    (EID, UT, PMID, OpenAlex, arXiv) conflict unless the records' sources are
    compatible (the same normalized title, or one a prefix of the other: "INFOR" and
    "INFOR Journal"): a database may list one work twice, but a meeting abstract and
    the article of the same title in another journal are two works.
    """

    def __init__(self, ids_of, source_of) -> None:
        self.parent: dict[int, int] = {}
        self.ids: dict[int, dict[str, str]] = {}
        self.sources: dict[int, set[str]] = {}
        self._ids_of = ids_of
        self._source_of = source_of

    def find(self, i: int) -> int:
        if i not in self.parent:
            self.parent[i] = i
            self.ids[i] = self._ids_of(i)
            src = self._source_of(i)
            self.sources[i] = {src} if src else set()
            return i
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _compatible_sources(self, a: set[str], b: set[str]) -> bool:
        return any(x.startswith(y) or y.startswith(x) for x in a for y in b)

    def union(self, i: int, j: int, check_ids: bool) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        a, b = self.ids[ri], self.ids[rj]
        if check_ids:
            conflicts = [k for k in a.keys() & b.keys() if a[k] != b[k]]
            if "doi" in conflicts or "volume" in conflicts:
                return False
            if conflicts and not self._compatible_sources(self.sources[ri], self.sources[rj]):
                return False
        if rj < ri:
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.ids[ri] = {**b, **a}
        self.sources[ri] = self.sources[ri] | self.sources[rj]
        return True


def _normalized_titles(table: pa.Table) -> np.ndarray:
    t = pc.fill_null(table.column("title"), "")
    t = pc.utf8_normalize(t, "NFKD")
    t = pc.replace_substring_regex(t, r"\p{Mn}", "")
    t = pc.utf8_lower(t)
    t = pc.replace_substring_regex(t, r"[^a-z0-9]+", " ")
    t = pc.utf8_trim_whitespace(t)
    return np.asarray(t.to_numpy(zero_copy_only=False), dtype=object)


def _first_surnames(table: pa.Table) -> np.ndarray:
    authors = table.column("authors").combine_chunks()
    first = pc.list_slice(authors, 0, 1)
    parents = pc.list_parent_indices(first).to_numpy()
    flat = pc.list_flatten(first)
    names = pc.coalesce(pc.struct_field(flat, "surname"), pc.struct_field(flat, "name"), pa.scalar(""))
    names = pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(names, "NFKD"), r"\p{Mn}", ""))
    names = pc.replace_substring_regex(names, r"[^a-z]", "")
    out = np.full(table.num_rows, "", dtype=object)
    out[parents] = np.asarray(names.to_numpy(zero_copy_only=False), dtype=object)
    return out


def _groups_of_equal(keys: np.ndarray, valid: np.ndarray) -> list[np.ndarray]:
    """Index arrays of the rows sharing a key (only keys held by two or more valid rows)."""
    idx = np.flatnonzero(valid)
    if idx.size < 2:
        return []
    codes, uniques = pd.factorize(keys[idx], sort=False)
    counts = np.bincount(codes, minlength=len(uniques))
    dup = counts[codes] > 1
    if not dup.any():
        return []
    idx, codes = idx[dup], codes[dup]
    order = np.argsort(codes, kind="stable")
    idx, codes = idx[order], codes[order]
    cuts = np.flatnonzero(np.diff(codes)) + 1
    return np.split(idx, cuts)


@dataclasses.dataclass
class DedupKeys:
    """What the rules compare, per record (row of the table): the blocking keys and the ids they check."""

    ids: dict[str, np.ndarray]  # per identifier field (ID_FIELDS), its value or None
    titles: np.ndarray  # normalized titles (lower-case letters, digits, single spaces)
    surnames: np.ndarray  # first author's normalized surname ("" without authors)
    years: np.ndarray  # int64, -9999 when missing
    volumes: np.ndarray  # volume as given, or None
    sources: np.ndarray  # normalized source titles

    @property
    def long_title(self) -> np.ndarray:
        return np.fromiter((len(t) >= 10 for t in self.titles), dtype=bool, count=len(self.titles))


#: one link a rule proposes: (row i, row j, rule, whether the union checks conflicting ids)
Link = tuple[int, int, str, bool]
Linker = Callable[[DedupKeys, bool, float], Iterable[Link]]

_LINKER: contextvars.ContextVar[Linker | None] = contextvars.ContextVar("bibliomap_linker", default=None)


def linking_with(linker: Linker) -> contextlib.AbstractContextManager:
    """Within the block, :func:`find_duplicates` takes its candidate links from ``linker`` (same contract as
    :func:`candidate_links`): how an engine (``bibliomap.engines``) blocks by key elsewhere."""
    return set_within(_LINKER, linker)


def dedup_keys(table: pa.Table) -> DedupKeys:
    """The keys of a Corpus-schema Arrow table."""
    src = pc.replace_substring_regex(pc.utf8_lower(pc.fill_null(table.column("source_title"), "")), r"[^a-z0-9]+", "")
    yc = table.column("year").to_numpy(zero_copy_only=False)
    return DedupKeys(
        ids={f: np.asarray(table.column(f).to_numpy(zero_copy_only=False), dtype=object) for f in ID_FIELDS},
        titles=_normalized_titles(table), surnames=_first_surnames(table),
        years=np.where(pd.isna(yc), -9999, yc).astype(np.int64),
        volumes=np.asarray(table.column("volume").to_numpy(zero_copy_only=False), dtype=object),
        sources=np.asarray(src.to_numpy(zero_copy_only=False), dtype=object))


def candidate_links(keys: DedupKeys, fuzzy: bool = True, fuzzy_threshold: float = 0.95) -> Iterator[Link]:
    """The links the rules propose, in the order they are tried: per identifier field, each group of
    records sharing it (groups by their first record) joined to its first; then pairs with the same
    title and surname, years at most one apart; then near-identical titles (``_fuzzy_pairs``)."""
    for field, col in keys.ids.items():
        valid = np.array([bool(v) for v in col], dtype=bool)
        for members in _groups_of_equal(col, valid):
            first = int(members[0])
            for j in members[1:]:
                yield first, int(j), field, False
    titles, surnames, years = keys.titles, keys.surnames, keys.years
    n = len(titles)
    title_keys = np.array([t + "\x00" + s for t, s in zip(titles, surnames)], dtype=object) if n else np.zeros(0, dtype=object)
    has_author = np.fromiter((bool(x) for x in surnames), dtype=bool, count=n)
    for members in _groups_of_equal(title_keys, keys.long_title & has_author):
        m = [int(x) for x in members]
        for a in range(len(m)):
            for b in range(a + 1, len(m)):
                if abs(years[m[a]] - years[m[b]]) <= 1:
                    yield m[a], m[b], "title_year_author", True
    if fuzzy:
        for i, j in _fuzzy_pairs(titles, surnames, years, keys.long_title, fuzzy_threshold):
            yield i, j, "fuzzy_title", True


def link_groups(keys: DedupKeys, links: Iterable[Link]) -> tuple[list[list[int]], dict[int, str]]:
    """Groups of duplicate rows (each sorted, first = kept) and the rule per merged row, from ``links``
    applied in order to a union-find that refuses conflicting ids (``_Groups``)."""

    def ids_of(i: int) -> dict[str, str]:
        ids = {f: col[i] for f, col in keys.ids.items() if col[i]}
        if keys.volumes[i]:
            # compare the volume number only: "8274 LNCS" (Scopus) is "8274" (WoS)
            m = _VOLUME_NUMBER.search(str(keys.volumes[i]))
            ids["volume"] = m.group(0) if m else str(keys.volumes[i]).strip().lower()
        return ids

    groups = _Groups(ids_of, lambda i: keys.sources[i])
    rule_of: dict[int, str] = {}
    for i, j, rule, check in links:
        if groups.union(i, j, check):  # each record is named by the first rule that linked it
            rule_of.setdefault(i, rule)
            rule_of.setdefault(j, rule)
    by_root: dict[int, list[int]] = defaultdict(list)
    for i in list(groups.parent):
        by_root[groups.find(i)].append(i)
    dup_groups = [sorted(g) for g in by_root.values() if len(g) > 1]
    dup_groups.sort(key=lambda g: g[0])
    return dup_groups, rule_of


def find_duplicates(
    records: "list[dict[str, Any]] | pa.Table", fuzzy: bool = True, fuzzy_threshold: float = 0.95
) -> tuple[list[list[int]], dict[int, str]]:
    """Groups of duplicate row indices (each sorted, first = kept) and the rule per merged index.

    Takes record dicts or a Corpus-schema Arrow table; the work is columnar, so a
    million records take seconds: only rows that share a key are looked at one by one.
    The candidate links come from :func:`candidate_links`, or from an engine's
    (:func:`linking_with`); the union with its id checks runs here.
    """
    if not isinstance(records, pa.Table):
        from bibliomap.corpus.corpus import Corpus

        records = Corpus.from_records(records).table
    return duplicates_by_keys(dedup_keys(records), fuzzy, fuzzy_threshold)


def duplicates_by_keys(keys: DedupKeys, fuzzy: bool = True, fuzzy_threshold: float = 0.95
                       ) -> tuple[list[list[int]], dict[int, str]]:
    """:func:`find_duplicates` from the records' keys alone (an ingest that never holds the records at once)."""
    linker = _LINKER.get() or candidate_links
    return link_groups(keys, linker(keys, fuzzy, fuzzy_threshold))


def concat_keys(parts: list[DedupKeys]) -> DedupKeys:
    """The keys of consecutive batches of records as the keys of all of them (each key is a record's own)."""
    def joined(arrays: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)

    return DedupKeys(ids={f: joined([k.ids[f] for k in parts], object) for f in ID_FIELDS},
                     titles=joined([k.titles for k in parts], object), surnames=joined([k.surnames for k in parts], object),
                     years=joined([k.years for k in parts], np.int64), volumes=joined([k.volumes for k in parts], object),
                     sources=joined([k.sources for k in parts], object))


def _fuzzy_pairs(titles: np.ndarray, surnames: np.ndarray, years: np.ndarray, eligible: np.ndarray, threshold: float,
                 window: int = 20) -> list[tuple[int, int]]:
    """Near-identical titles with the same first-author surname and years at most one apart, as (i, j), i < j, ascending.

    Sorted-neighbourhood blocking, twice: records are sorted by (surname, title) and
    by (surname, reversed title), and each is compared with the next ``window``
    records of its surname; a typo near either end of a title still leaves the two
    copies adjacent in one of the orders. All candidate pairs are scored in one
    vectorized rapidfuzz call, so the cost is linear in the corpus size.
    """
    from rapidfuzz import fuzz, process

    valid = eligible & np.fromiter((bool(s) for s in surnames), dtype=bool, count=len(surnames))
    idx = np.flatnonzero(valid)
    if idx.size < 2:
        return []
    sur = surnames[idx]
    pairs_a: list[np.ndarray] = []
    pairs_b: list[np.ndarray] = []
    for keys in (titles[idx], np.array([t[::-1] for t in titles[idx]], dtype=object)):
        order = idx[np.lexsort((keys.astype(str), sur.astype(str)))]
        osur = surnames[order]
        for k in range(1, min(window, order.size - 1) + 1):
            a, b = order[:-k], order[k:]
            same = (osur[:-k] == osur[k:]) & (np.abs(years[a] - years[b]) <= 1)
            pairs_a.append(a[same])
            pairs_b.append(b[same])
    a = np.concatenate(pairs_a)
    b = np.concatenate(pairs_b)
    if a.size == 0:
        return []
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pair_keys = unique_ints(lo.astype(np.int64) * (len(titles) + 1) + hi)
    lo, hi = pair_keys // (len(titles) + 1), pair_keys % (len(titles) + 1)
    scores = process.cpdist(list(titles[lo]), list(titles[hi]), scorer=fuzz.ratio, score_cutoff=threshold * 100.0, workers=1)
    keep = scores >= threshold * 100.0
    return list(zip(lo[keep].tolist(), hi[keep].tolist()))


def _casefold_key(v: Any) -> Any:
    return v.casefold() if isinstance(v, str) else repr(v)


def merge_group(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge duplicate records (input order) into one, following the module's policy."""
    base = dict(records[0])
    provenance: list[dict] = []
    offsets = []
    for r in records:
        offsets.append(len(provenance))
        provenance.extend(r.get("provenance") or [])
    sources: dict[str, int] = {}
    for name in list(base):
        if name in ("provenance", "field_sources", "extra", "authors", "citation_counts", "reference_keys", "n_authors", "authors_truncated"):
            continue
        if name in LIST_FIELDS:
            if name == "references":
                continue
            merged: list = []
            seen: set = set()
            for k, r in enumerate(records):
                for v in r.get(name) or []:
                    key = _casefold_key(v)
                    if key not in seen:
                        seen.add(key)
                        merged.append(v)
                        sources.setdefault(name, offsets[k])
            base[name] = merged
        elif name == "abstract":
            best = max(range(len(records)), key=lambda k: len(records[k].get("abstract") or ""))
            base[name] = records[best].get("abstract")
            if base[name]:
                sources[name] = offsets[best]
        elif name == "times_cited":
            vals = [(r.get("times_cited"), k) for k, r in enumerate(records) if r.get("times_cited") is not None]
            if vals:
                base[name], k = max(vals, key=lambda t: (t[0], -t[1]))
                sources[name] = offsets[k]
        else:
            for k, r in enumerate(records):
                v = r.get(name)
                if v not in (None, ""):
                    base[name] = v
                    if k > 0:
                        sources[name] = offsets[k]
                    break
    # references: union by key (unkeyed by raw string); never dropped
    refs, keys, seen_refs = [], [], set()
    for r in records:
        for raw, key in zip(r.get("references") or [], r.get("reference_keys") or [None] * len(r.get("references") or [])):
            ident = key or ("raw:" + raw.lower())
            if ident not in seen_refs:
                seen_refs.add(ident)
                refs.append(raw)
                keys.append(key)
    base["references"], base["reference_keys"] = refs, keys
    # citation counts per database: the maximum count per database
    per_db: dict[str, dict] = {}
    for r in records:
        for c in r.get("citation_counts") or []:
            cur = per_db.get(c["database"])
            if cur is None or (c["count"] or 0) > (cur["count"] or 0):
                per_db[c["database"]] = dict(c)
    base["citation_counts"] = list(per_db.values())
    # authors: the longest list, enriched from the others by position
    best = max(range(len(records)), key=lambda k: (len(records[k].get("authors") or []), -k))
    authors = [dict(a) for a in records[best].get("authors") or []]
    for r in records:
        for pos, other in enumerate(r.get("authors") or []):
            if pos >= len(authors):
                break
            mine = authors[pos]
            if (mine.get("surname") or "").lower() != (other.get("surname") or "").lower():
                continue
            for key in ("orcid", "scopus_id", "openalex_id", "given"):
                if not mine.get(key) and other.get(key):
                    mine[key] = other[key]
            for key in ("affiliations", "countries"):
                if not mine.get(key) and other.get(key):
                    mine[key] = list(other[key])
    base["authors"] = authors
    if best:
        sources["authors"] = offsets[best]
    base["n_authors"] = max((r.get("n_authors") or 0) for r in records)
    base["authors_truncated"] = bool(records[best].get("authors_truncated"))
    extra: dict[str, str] = {}
    for r in records:
        for k, v in (r.get("extra") or {}).items():
            extra.setdefault(k, v)
    base["extra"] = extra
    base["provenance"] = provenance
    base["field_sources"] = [{"field": f, "source": s} for f, s in sorted(sources.items())]
    return base
