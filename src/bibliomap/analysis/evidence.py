"""Grounded evidence: the few documents that best show an emerging topic, a gap candidate or a
cluster, so that a reader can check each claim in a click (issue #15).

A topic's documents are those containing it, recent ones first (a claim about where the field is
going rests on the recent literature), then the most cited, then the newest; a cluster's are those
classified into it, the ones whose items lie most in the cluster first, then the most cited. A small
cluster that no document is classified into (its items are always outnumbered by another cluster's)
takes the documents whose items lie most in it, so that every cluster of a map has its evidence.
Front matter (IEEE Xplore's "[Front matter]", "[Title page i]": a short title wholly in square brackets, with an
abstract that lists every topic of a proceedings volume) comes last: it names everything and shows nothing.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

N_DOCUMENTS = 3


#: front matter's bracketed titles are a few words; PubMed brackets whole translated titles ("[Socio-environmental
#: vulnerability index: a methodological proposal ...]"), which are articles
FRONT_MATTER_MAX_WORDS = 4


def front_matter(titles: Sequence[object]) -> np.ndarray:
    """Per document, whether it is front or back matter of a volume: a short title wholly in square brackets
    (IEEE Xplore's convention: "[Front matter]", "[Title page i]", "[Copyright notice]")."""
    def is_front(title: object) -> bool:
        t = title.strip() if isinstance(title, str) else ""
        return t.startswith("[") and t.endswith("]") and len(t.split()) <= FRONT_MATTER_MAX_WORDS

    return np.array([is_front(t) for t in titles], dtype=bool)


def _order(docs: np.ndarray, primary: np.ndarray, citations: np.ndarray, years: np.ndarray,
           last: np.ndarray | None = None) -> np.ndarray:
    """``docs`` sorted by primary desc, citations desc, year desc, document index asc; those ``last`` marks
    (a mask over all documents) after the others."""
    y = np.nan_to_num(years[docs], nan=-1.0)
    c = np.nan_to_num(citations[docs], nan=0.0)
    demoted = last[docs] if last is not None else np.zeros(len(docs), dtype=bool)
    return docs[np.lexsort((docs, -y, -c, -primary, demoted))]


def topic_documents(
    doc_index: np.ndarray,
    item_index: np.ndarray,
    items: Iterable[int],
    doc_years: np.ndarray,
    citations: np.ndarray,
    recent_from: float | None = None,
    n: int = N_DOCUMENTS,
    last: np.ndarray | None = None,
) -> dict[int, list[int]]:
    """For each item index in ``items``, up to ``n`` documents containing it: those published in
    or after ``recent_from`` first, then the most cited, then the newest; those ``last`` marks (``front_matter``)
    after all others."""
    doc_index = np.asarray(doc_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    years = np.asarray(doc_years, dtype=float)
    cites = np.asarray(citations, dtype=float)
    wanted = np.asarray(sorted(set(int(i) for i in items)), dtype=np.int64)
    out: dict[int, list[int]] = {int(i): [] for i in wanted}
    sel = np.isin(item_index, wanted)
    if not sel.any():
        return out
    frame = pd.DataFrame({"item": item_index[sel], "doc": doc_index[sel]}).drop_duplicates()
    for item, group in frame.groupby("item", sort=True):
        docs = group["doc"].to_numpy(np.int64)
        recent = (np.nan_to_num(years[docs], nan=-np.inf) >= recent_from) if recent_from is not None else np.zeros(len(docs))
        out[int(item)] = _order(docs, recent.astype(float), cites, years, last)[:n].tolist()
    return out


def cluster_documents(document_cluster: np.ndarray, share: np.ndarray, doc_years: np.ndarray,
                      citations: np.ndarray, n: int = N_DOCUMENTS,
                      occurrences: tuple[np.ndarray, np.ndarray] | None = None,
                      clusters: Iterable[int] = (), last: np.ndarray | None = None) -> dict[int, list[int]]:
    """For each cluster (1..k; 0 = unclassified is skipped), up to ``n`` of its documents: the
    largest share of items in the cluster first, then the most cited, then the newest.
    ``occurrences`` (document, cluster of the item) per item occurrence: each cluster of ``clusters``
    that no document is classified into gets the documents with the largest share of their items in it. Documents
    ``last`` marks (``front_matter``) come after all others."""
    cl = np.asarray(document_cluster, dtype=np.int64)
    share = np.asarray(share, dtype=float)
    years = np.asarray(doc_years, dtype=float)
    cites = np.asarray(citations, dtype=float)
    out: dict[int, list[int]] = {}
    for k in np.unique(cl[cl > 0]):
        docs = np.flatnonzero(cl == k)
        out[int(k)] = _order(docs, share[docs], cites, years, last)[:n].tolist()
    missing = sorted({int(k) for k in clusters if int(k) > 0} - set(out))
    if missing and occurrences is not None:
        doc_of, cluster_of = (np.asarray(a, dtype=np.int64) for a in occurrences)
        items_of_doc = np.bincount(doc_of, minlength=len(cl)).astype(float)
        for k in missing:
            in_k = np.bincount(doc_of[cluster_of == k], minlength=len(cl))
            docs = np.flatnonzero(in_k)
            out[k] = _order(docs, in_k[docs] / items_of_doc[docs], cites, years, last)[:n].tolist()
    return out


class DocumentCitations:
    """Formats documents of one corpus as 'Title (year), https://doi.org/DOI', the link being the
    record's URL when it has no DOI and left out when it has neither."""

    def __init__(self, corpus) -> None:
        self.titles = corpus.values("title")
        self.years = corpus.values("year")
        self.dois = corpus.values("doi")
        self.urls = corpus.values("url")

    def __call__(self, docs: Sequence[int]) -> str:
        """The documents ``docs`` (row indices), joined by ' | '."""
        return " | ".join(self.one(int(i)) for i in docs)

    def one(self, i: int) -> str:
        title, y, doi, url = self.titles[i], self.years[i], self.dois[i], self.urls[i]
        t = " ".join(str(title).split()) if isinstance(title, str) and title.strip() else "(untitled)"
        s = f"{t} ({int(y)})" if y == y and y is not None else t
        link = f"https://doi.org/{doi}" if isinstance(doi, str) and doi else (url if isinstance(url, str) and url else "")
        return f"{s}, {link}" if link else s


def with_topic_documents(table: pd.DataFrame, labels: Sequence[str], doc_index: np.ndarray, item_index: np.ndarray,
                         corpus, recent_years: int | None = None, rows: np.ndarray | None = None,
                         n: int = N_DOCUMENTS) -> pd.DataFrame:
    """``table`` (one row per item, its label in column ``item``) with a ``representative_documents`` column: the
    item's representative documents (``topic_documents``, recent = the last ``recent_years`` years)
    for the rows where ``rows`` is true (all rows when None), formatted by ``DocumentCitations``."""
    out = table.copy()
    if not len(out):
        out["representative_documents"] = pd.Series(dtype=object)
        return out
    index = {lab: k for k, lab in enumerate(labels)}
    mask = np.ones(len(out), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    years = corpus.values("year")
    recent_from = None
    if recent_years is not None and not np.isnan(years).all():
        recent_from = float(np.nanmax(years)) - recent_years + 1
    wanted = [index[lab] for lab, m in zip(out["item"], mask) if m and lab in index]
    reps = topic_documents(doc_index, item_index, wanted, years, corpus.values("times_cited"), recent_from, n,
                           front_matter(corpus.values("title")))
    cite = DocumentCitations(corpus)
    out["representative_documents"] = [cite(reps.get(index.get(lab, -1), [])) if m else "" for lab, m in zip(out["item"], mask)]
    return out


def with_cluster_documents(table: pd.DataFrame, classification: pd.DataFrame, corpus, n: int = N_DOCUMENTS,
                           occurrences: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """``table`` (one row per cluster, column ``cluster``) with a ``representative_documents`` column: each
    cluster's representative documents (``cluster_documents``) from a ``classify_documents`` table and, for the
    clusters no document is classified into, from ``occurrences`` (document, cluster) per item occurrence."""
    out = table.copy()
    reps = cluster_documents(classification["cluster"].to_numpy(), classification["share"].to_numpy(),
                             corpus.values("year"), corpus.values("times_cited"), n, occurrences,
                             out["cluster"].tolist() if len(out) else (), front_matter(corpus.values("title")))
    cite = DocumentCitations(corpus)
    out["representative_documents"] = [cite(reps.get(int(k), [])) for k in out["cluster"]] if len(out) else pd.Series(dtype=object)
    return out
