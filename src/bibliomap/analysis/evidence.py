"""Grounded evidence: the few documents that best show an emerging topic, a gap candidate or a
cluster, so that a reader can check each claim in a click (issue #15).

A topic's documents are those containing it, recent ones first (a claim about where the field is
going rests on the recent literature), then the most cited, then the newest; a cluster's are those
classified into it, the ones whose items lie most in the cluster first, then the most cited.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

N_DOCUMENTS = 3


def _order(docs: np.ndarray, primary: np.ndarray, citations: np.ndarray, years: np.ndarray) -> np.ndarray:
    """``docs`` sorted by primary desc, citations desc, year desc, document index asc."""
    y = np.nan_to_num(years[docs], nan=-1.0)
    c = np.nan_to_num(citations[docs], nan=0.0)
    return docs[np.lexsort((docs, -y, -c, -primary))]


def topic_documents(
    doc_index: np.ndarray,
    item_index: np.ndarray,
    items: Iterable[int],
    doc_years: np.ndarray,
    citations: np.ndarray,
    recent_from: float | None = None,
    n: int = N_DOCUMENTS,
) -> dict[int, list[int]]:
    """For each item index in ``items``, up to ``n`` documents containing it: those published in
    or after ``recent_from`` first, then the most cited, then the newest."""
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
        out[int(item)] = _order(docs, recent.astype(float), cites, years)[:n].tolist()
    return out


def cluster_documents(document_cluster: np.ndarray, share: np.ndarray, doc_years: np.ndarray,
                      citations: np.ndarray, n: int = N_DOCUMENTS) -> dict[int, list[int]]:
    """For each cluster (1..k; 0 = unclassified is skipped), up to ``n`` of its documents: the
    largest share of items in the cluster first, then the most cited, then the newest."""
    cl = np.asarray(document_cluster, dtype=np.int64)
    share = np.asarray(share, dtype=float)
    years = np.asarray(doc_years, dtype=float)
    cites = np.asarray(citations, dtype=float)
    out: dict[int, list[int]] = {}
    for k in np.unique(cl[cl > 0]):
        docs = np.flatnonzero(cl == k)
        out[int(k)] = _order(docs, share[docs], cites, years)[:n].tolist()
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
    reps = topic_documents(doc_index, item_index, wanted, years, corpus.values("times_cited"), recent_from, n)
    cite = DocumentCitations(corpus)
    out["representative_documents"] = [cite(reps.get(index.get(lab, -1), [])) if m else "" for lab, m in zip(out["item"], mask)]
    return out


def with_cluster_documents(table: pd.DataFrame, classification: pd.DataFrame, corpus, n: int = N_DOCUMENTS) -> pd.DataFrame:
    """``table`` (one row per cluster, column ``cluster``) with a ``representative_documents`` column: each
    cluster's representative documents (``cluster_documents``) from a ``classify_documents`` table."""
    out = table.copy()
    reps = cluster_documents(classification["cluster"].to_numpy(), classification["share"].to_numpy(),
                             corpus.values("year"), corpus.values("times_cited"), n)
    cite = DocumentCitations(corpus)
    out["representative_documents"] = [cite(reps.get(int(k), [])) for k in out["cluster"]] if len(out) else pd.Series(dtype=object)
    return out
