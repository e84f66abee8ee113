"""Build every VOSviewer network type from a Corpus: ``build_network(corpus, analysis, unit)``.

Analyses and units are the ones VOSviewer's Create Map wizard offers (ANCHORS 1.2),
with its thresholds and defaults; items are selected as VOSviewer does (threshold,
then the items with the greatest total link strength, then optionally the largest
connected component) and ``weight<Links>`` / ``weight<Total link strength>`` are
computed among the selected items only. Link strengths are raw counts: normalization
happens in mapping.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from bibliomap.corpus.corpus import Corpus
from bibliomap.networks import citations as cit
from bibliomap.networks.counting import METHODS, active_counter
from bibliomap.networks.network import Network
from bibliomap.networks.occurrences import Occurrences, from_table, occurrences

#: analysis -> the units VOSviewer offers for it.
ANALYSES: dict[str, tuple[str, ...]] = {
    "co-authorship": ("authors", "organizations", "countries"),
    "co-occurrence": ("keywords", "author-keywords", "index-keywords", "terms"),
    "citation": ("documents", "sources", "authors", "organizations", "countries"),
    "bibliographic-coupling": ("documents", "sources", "authors", "organizations", "countries"),
    "co-citation": ("references", "cited-sources", "cited-authors"),
}

#: Units whose documents can be ignored for having too many of them (VOSviewer's max 25).
_MANY_PER_DOCUMENT = ("authors", "organizations", "countries")
DEFAULT_MAX_ITEMS_PER_DOCUMENT = 25


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """Item selection thresholds; ``None`` means "no threshold"."""

    min_documents: int | None = None  # documents (occurrences for keywords/terms) per item
    min_citations: int | None = None  # citations per item (citations received for co-citation)
    max_items_per_document: int | None = None
    n_items: int | None = None  # keep this many items with the greatest total link strength
    largest_component: bool = False


def default_thresholds(analysis: str, unit: str) -> Thresholds:
    """VOSviewer's wizard defaults (ANCHORS 1.2) for ``analysis`` and ``unit``."""
    check_combination(analysis, unit)
    many = DEFAULT_MAX_ITEMS_PER_DOCUMENT if unit in _MANY_PER_DOCUMENT else None
    if analysis == "co-occurrence":
        return Thresholds(min_documents=10 if unit == "terms" else 5)
    if analysis == "co-citation":
        return Thresholds(min_citations=20)
    if unit == "documents":  # citation and bibliographic coupling of documents
        return Thresholds(min_citations=5)
    return Thresholds(min_documents=5, min_citations=0, max_items_per_document=many)


def layout_defaults(analysis: str, unit: str) -> tuple[float, float]:
    """VOSviewer's default (attraction, repulsion) for a map type (manual footnote 10, ANCHORS 1.6).

    Attraction is 2; repulsion is -1 for co-authorship of authors, 0 for keyword
    co-occurrence and for citation of documents, and 1 otherwise.
    """
    check_combination(analysis, unit)
    if analysis == "co-authorship" and unit == "authors":
        return 2.0, -1.0
    if (analysis == "co-occurrence" and unit != "terms") or (analysis == "citation" and unit == "documents"):
        return 2.0, 0.0
    return 2.0, 1.0


def check_combination(analysis: str, unit: str) -> None:
    """Raise ValueError unless VOSviewer offers ``unit`` for ``analysis``."""
    if analysis not in ANALYSES:
        raise ValueError(f"unknown analysis {analysis!r}; expected one of {', '.join(ANALYSES)}")
    if unit not in ANALYSES[analysis]:
        raise ValueError(f"{analysis} is not defined for unit {unit!r}; its units are {', '.join(ANALYSES[analysis])}")


_DEFAULT = object()


def build_network(
    corpus: Corpus,
    analysis: str,
    unit: str,
    counting: str | None = None,
    min_documents: Any = _DEFAULT,
    min_citations: Any = _DEFAULT,
    max_items_per_document: Any = _DEFAULT,
    n_items: int | None = None,
    largest_component: bool = False,
    thesaurus: Mapping[str, str] | None = None,
    terms: Any = None,
    author_key: str = "full",
    organization_part: str = "auto",
    min_occurrences: int | None = None,
) -> Network:
    """The ``analysis`` network of ``unit`` items in ``corpus`` (see :data:`ANALYSES`).

    ``counting``: 'full' (default) or 'fractional'; 'binary' (default for terms) or
    'full' for text terms. Thresholds left out take VOSviewer's defaults
    (:func:`default_thresholds`); pass ``None`` to switch one off. ``min_occurrences``
    is an alias of ``min_documents`` (VOSviewer's name for keywords and terms).
    ``thesaurus`` maps labels to replacements ('' drops the item). ``terms`` is the
    document-term table for unit 'terms' (see ``occurrences.from_table``).
    """
    check_combination(analysis, unit)
    counting = counting or ("binary" if unit == "terms" else "full")
    if counting not in METHODS:
        raise ValueError(f"counting must be one of {', '.join(METHODS)}, not {counting!r}")
    if n_items is not None and n_items < 0:
        raise ValueError("n_items must be >= 0")
    d = default_thresholds(analysis, unit)
    if min_occurrences is not None:
        min_documents = min_occurrences
    th = Thresholds(
        min_documents=d.min_documents if min_documents is _DEFAULT else min_documents,
        min_citations=d.min_citations if min_citations is _DEFAULT else min_citations,
        max_items_per_document=d.max_items_per_document if max_items_per_document is _DEFAULT else max_items_per_document,
        n_items=n_items,
        largest_component=largest_component,
    )
    if analysis in ("citation", "bibliographic-coupling", "co-citation") and not (corpus.list_lengths("references") > 0).any():
        raise ValueError(f"{analysis} needs cited references, and no document of the corpus has any (PubMed, RIS and similar exports carry none)")
    docs = document_indicators(corpus)
    if unit == "documents":
        matrix, stats = _document_network(corpus, analysis, counting, th, docs)
        labels = document_labels(corpus)
        ignored = 0
    else:
        occ = _unit_occurrences(corpus, unit, thesaurus, terms, author_key, organization_part, counting, th)
        matrix, stats, ignored = _unit_network(corpus, analysis, unit, occ, counting, th, docs)
        labels = occ.labels
    candidates = stats.pop("_candidates")
    matrix, keep = _select(matrix, th)
    chosen = candidates[keep]
    items = pd.DataFrame({"id": np.arange(1, chosen.size + 1, dtype=np.int64), "label": np.asarray(labels, dtype=object)[chosen]})
    if unit == "documents":
        doi = corpus.values("doi")[chosen]
        items["url"] = [f"https://doi.org/{x}" if isinstance(x, str) and x else "" for x in doi]
    meta = {
        "analysis": analysis,
        "unit": unit,
        "counting": counting,
        "min_documents": th.min_documents,
        "min_citations": th.min_citations,
        "max_items_per_document": th.max_items_per_document,
        "n_items": th.n_items,
        "largest_component": th.largest_component,
        "n_documents": len(corpus),
        "ignored_documents": ignored,
        "items_total": int(len(labels)),
        "items_meeting_threshold": int(candidates.size),
        "items_selected": int(chosen.size),
    }
    meta["default_attraction"], meta["default_repulsion"] = layout_defaults(analysis, unit)
    if unit == "authors":
        meta["author_key"] = author_key
    if unit == "organizations":
        meta["organization_part"] = organization_part
    if thesaurus:
        meta["thesaurus_entries"] = len(thesaurus)
    # VOSviewer's standard weights, among the selected items only
    items["weight<Links>"] = np.diff(matrix.indptr).astype(np.int64)
    items["weight<Total link strength>"] = _as_int_if_whole(np.asarray(matrix.sum(axis=1)).ravel())
    for name, values in stats.items():
        items[name] = np.asarray(values)[keep]
    return Network.from_matrix(matrix, items, meta)


# document indicators ---------------------------------------------------------------------


def document_indicators(corpus: Corpus) -> pd.DataFrame:
    """Per document: year (NaN if unknown), citations (0 if unknown), normalized citations.

    Norm. citations = citations / mean citations of the corpus documents of the same
    year (VOSviewer's definition; 0 when that mean is 0, NaN without a year).
    """
    year = corpus.values("year").astype(float)
    cites = np.nan_to_num(corpus.values("times_cited").astype(float), nan=0.0)
    frame = pd.DataFrame({"year": year, "citations": cites})
    mean = frame.groupby("year", dropna=True)["citations"].transform("mean").to_numpy()
    norm = np.divide(cites, mean, out=np.zeros_like(cites), where=np.nan_to_num(mean) > 0)
    norm[np.isnan(year)] = np.nan
    frame["norm_citations"] = norm
    return frame


def document_labels(corpus: Corpus) -> np.ndarray:
    """VOSviewer-style document labels: 'first author surname (year)', a/b/... for repeats."""
    _, surnames = corpus.author_names("surname")
    first_doc, names = corpus.author_names("name")
    lead = np.full(len(corpus), "", dtype=object)
    if first_doc.size:
        starts = np.r_[0, np.flatnonzero(np.diff(first_doc)) + 1]
        sn = np.asarray(surnames.to_pylist(), dtype=object)[starts]
        nm = np.asarray(names.to_pylist(), dtype=object)[starts]
        lead[first_doc[starts]] = [str(s or (n or "").split(",")[0]).strip().lower() for s, n in zip(sn, nm)]
    year = corpus.values("year")
    titles = corpus.values("title")
    base = []
    for i in range(len(corpus)):
        who = lead[i] or " ".join(str(titles[i] or "untitled").lower().split()[:3])
        base.append(f"{who} ({int(year[i])})" if not np.isnan(year[i]) else who)
    base_s = pd.Series(base, dtype=object)
    dup = base_s.duplicated(keep=False).to_numpy()
    rank = base_s.groupby(base_s).cumcount().to_numpy()
    out = np.asarray(base, dtype=object)
    for i in np.flatnonzero(dup):
        suffix = _letters(int(rank[i]))
        out[i] = out[i][:-1] + suffix + ")" if out[i].endswith(")") else f"{out[i]} {suffix}"
    return out


def _letters(k: int) -> str:
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(97 + r) + s
    return s


# unit networks ---------------------------------------------------------------------------


def _unit_occurrences(corpus, unit, thesaurus, terms, author_key, organization_part, counting, th: Thresholds) -> Occurrences:
    if unit == "terms":
        if terms is None:  # (text mining sits above networks: the caller extracts the terms)
            raise ValueError("a term network needs the document-term table: pass terms=bibliomap.text.terms.extract_terms(corpus)")
        return from_table(terms, len(corpus), thesaurus, "terms")
    name = {"keywords": "keywords", "references": "references"}.get(unit, unit)
    return occurrences(corpus, name, thesaurus=thesaurus, author_key=author_key, organization_part=organization_part)


def _unit_network(corpus, analysis, unit, occ: Occurrences, counting, th: Thresholds, docs: pd.DataFrame):
    """Links among the items meeting the thresholds, and their weights/scores."""
    max_items = th.max_items_per_document
    per_doc = occ.items_per_document()
    ignored = per_doc > max_items if max_items is not None else np.zeros(occ.n_docs, dtype=bool)
    used = occ.without_documents(ignored) if ignored.any() else occ
    w = used.incidence(binary=True)
    n_docs_item = np.asarray(w.sum(axis=0)).ravel()
    if analysis == "co-citation":
        measure = {"weight<Citations>": n_docs_item.astype(np.int64)}
        ok = n_docs_item >= (th.min_citations or 0)
        if th.min_documents is not None:
            ok &= n_docs_item >= th.min_documents
    else:
        occurrences_item = used.occurrences_per_item() if counting == "full" else n_docs_item
        agg = _aggregate_indicators(w, docs)
        if analysis == "co-occurrence":
            measure = {"weight<Occurrences>": _as_int_if_whole(occurrences_item)}
            ok = occurrences_item >= (th.min_documents or 0)
        else:
            measure = {"weight<Documents>": n_docs_item.astype(np.int64), "weight<Citations>": agg["citations"], "weight<Norm. citations>": agg["norm_citations"]}
            ok = n_docs_item >= (th.min_documents or 0)
        ok &= n_docs_item > 0
        if th.min_citations is not None:
            ok &= agg["citations"] >= th.min_citations
        measure.update({"score<Avg. pub. year>": agg["avg_year"], "score<Avg. citations>": agg["avg_citations"], "score<Avg. norm. citations>": agg["avg_norm_citations"]})
    ok &= n_docs_item > 0
    candidates = np.flatnonzero(ok)
    if analysis in ("co-authorship", "co-occurrence", "co-citation"):
        del w, used  # the counting rebuilds what it needs: at 5M records the incidence alone is 1.8 GB
        matrix = active_counter()(occ.doc, occ.item, occ.weight, occ.n_docs, occ.n_items, counting, max_items, items=candidates).matrix
    else:
        relation = _document_relation(corpus, analysis)
        # fractional: each document's units share its links (1/n, n = all its units)
        matrix = cit.aggregate(relation, w[:, candidates], counting == "fractional", np.diff(w.indptr))
    stats = {k: np.asarray(v)[candidates] for k, v in measure.items()}
    stats["_candidates"] = candidates
    return matrix, stats, int(ignored.sum())


def _document_relation(corpus: Corpus, analysis: str) -> sp.csr_matrix:
    if analysis == "citation":
        return cit.undirected(cit.citation_matrix(corpus))
    return cit.coupling_matrix(corpus, "full")


def _document_network(corpus, analysis, counting, th: Thresholds, docs: pd.DataFrame):
    cites = docs["citations"].to_numpy()
    ok = np.ones(len(corpus), dtype=bool)
    if th.min_citations is not None:
        ok &= cites >= th.min_citations
    candidates = np.flatnonzero(ok)
    if analysis == "citation":
        matrix = cit.undirected(cit.citation_matrix(corpus))[candidates][:, candidates]
    else:
        matrix = cit.coupling_matrix(corpus, counting, documents=candidates)
    stats = {
        "weight<Citations>": _as_int_if_whole(cites[candidates]),
        "weight<Norm. citations>": docs["norm_citations"].to_numpy()[candidates],
        "score<Pub. year>": docs["year"].to_numpy()[candidates],
        "score<Citations>": _as_int_if_whole(cites[candidates]),
        "score<Norm. citations>": docs["norm_citations"].to_numpy()[candidates],
        "_candidates": candidates,
    }
    return matrix, stats


def _aggregate_indicators(w: sp.csr_matrix, docs: pd.DataFrame) -> dict[str, np.ndarray]:
    """Sums and means of document indicators over each item's documents (sparse products)."""
    n = np.asarray(w.sum(axis=0)).ravel()
    wt = w.T.tocsr()
    year = docs["year"].to_numpy()
    has_year = ~np.isnan(year)
    cites = docs["citations"].to_numpy()
    norm = docs["norm_citations"].to_numpy()
    has_norm = ~np.isnan(norm)
    n_year = wt @ has_year.astype(float)
    n_norm = wt @ has_norm.astype(float)
    sum_year = wt @ np.where(has_year, year, 0.0)
    sum_cites = wt @ cites
    sum_norm = wt @ np.where(has_norm, norm, 0.0)

    def ratio(a, b):
        return np.divide(a, b, out=np.full_like(a, np.nan, dtype=float), where=b > 0)

    return {
        "citations": _as_int_if_whole(sum_cites),
        "norm_citations": sum_norm,
        "avg_year": ratio(sum_year, n_year),
        "avg_citations": ratio(sum_cites, n),
        "avg_norm_citations": ratio(sum_norm, n_norm),
    }


def _as_int_if_whole(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    return v.astype(np.int64) if np.all(np.isfinite(v)) and np.all(v == np.round(v)) else v


# selection ---------------------------------------------------------------------------------


def _select(matrix: sp.spmatrix, th: Thresholds) -> tuple[sp.csr_matrix, np.ndarray]:
    """Keep the ``n_items`` items of greatest total link strength, then the largest component."""
    m = sp.csr_matrix(matrix)
    keep = np.arange(m.shape[0], dtype=np.int64)
    if th.n_items is not None and th.n_items < keep.size:
        tls = np.asarray(m.sum(axis=1)).ravel()
        order = np.lexsort((keep, -tls))  # greatest strength first, ties by position
        keep = np.sort(order[: th.n_items])
        m = m[keep][:, keep]
    if th.largest_component and keep.size:
        keep_c = largest_component(m)
        keep = keep[keep_c]
        m = m[keep_c][:, keep_c]
    return sp.csr_matrix(m), keep


def largest_component(matrix: sp.spmatrix) -> np.ndarray:
    """Positions of the items in the largest connected component (ties: lowest position)."""
    n, labels = connected_components(sp.csr_matrix(matrix), directed=False)
    if n <= 1:
        return np.arange(matrix.shape[0], dtype=np.int64)
    sizes = np.bincount(labels)
    best = int(np.argmax(sizes))  # argmax takes the first max: component of the lowest item
    return np.flatnonzero(labels == best)
