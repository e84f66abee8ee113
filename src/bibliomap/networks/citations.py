"""Citation-based relations between documents, and their aggregation to other units.

* citation: a document cites another document of the corpus when one of its
  ``reference_keys`` equals one of that document's own keys (DOI key first, then
  the canonical key; ANCHORS 1.3). The relation is directed (citing x cited) and
  becomes undirected, C + Cᵀ, for networks.
* bibliographic coupling: documents sharing cited references, W_R W_Rᵀ over the
  reference keys (the raw reference string when a reference has no key).
* co-citation is plain co-occurrence of cited items within citing documents (see
  ``counting``); nothing special is needed here.
* aggregation: a document x document relation S becomes a unit x unit one as
  Wᵀ S W (sums over pairs of distinct documents; ANCHORS 1.3, 3.6).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from bibliomap.corpus.corpus import Corpus
from bibliomap.networks.counting import active_counter
from bibliomap.networks.occurrences import Occurrences, from_pairs, keys_by_slices, normalize_labels


def _document_keys(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """(document, key) for every own key of every document."""
    try:
        from bibliomap.corpus.references import document_keys
    except ImportError as exc:  # pragma: no cover - depends on the corpus layer
        raise RuntimeError("citation matching needs bibliomap.corpus.references.document_keys") from exc
    lists = document_keys(corpus)
    lengths = np.fromiter((len(k or ()) for k in lists), dtype=np.int64, count=len(lists))
    doc = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    keys = np.asarray([k for ks in lists for k in (ks or ())], dtype=object)
    return doc, keys


def citation_matrix(corpus: Corpus) -> sp.csr_matrix:
    """Directed citing x cited 0/1 matrix among the corpus documents (no self-citations).

    A reference matches a document sharing its key (DOI key first); a reference whose
    DOI matches no document is tried again with its canonical ``ref:`` key, parsed
    from the raw string, so documents without a DOI in the corpus are still found.
    """
    n = len(corpus)
    own_doc, own_keys = _document_keys(corpus)
    ref_doc, ref_keys = corpus.explode("reference_keys")
    if own_doc.size == 0 or ref_doc.size == 0:
        return sp.csr_matrix((n, n))
    own = pd.DataFrame({"cited": own_doc, "key": pd.Series(own_keys, dtype=object).str.lower()}).dropna()
    own = own[own["key"] != ""].drop_duplicates()
    refs = pd.DataFrame({"citing": ref_doc, "pos": np.arange(ref_doc.size), "key": pd.Series(ref_keys.to_pylist(), dtype=object).str.lower()})
    pairs = refs.dropna().merge(own, on="key", how="inner")
    unmatched = refs[refs["key"].str.startswith("doi:", na=False) & ~refs["pos"].isin(pairs["pos"])]
    second = _canonical_keys(corpus, unmatched)
    if len(second):
        pairs = pd.concat([pairs, second.merge(own, on="key", how="inner")], ignore_index=True)
    pairs = pairs[["citing", "cited"]]
    pairs = pairs[pairs["citing"] != pairs["cited"]].drop_duplicates()
    c = sp.csr_matrix((np.ones(len(pairs)), (pairs["citing"].to_numpy(np.int64), pairs["cited"].to_numpy(np.int64))), shape=(n, n))
    c.sort_indices()
    return c


def _canonical_keys(corpus: Corpus, refs: pd.DataFrame) -> pd.DataFrame:
    """(citing, key) with the non-DOI canonical key of the references in ``refs``.

    ``refs.pos`` indexes the flattened ``reference_keys``; it is used only for
    documents whose ``references`` list is aligned with it (same length).
    """
    if refs.empty:
        return pd.DataFrame({"citing": [], "key": []})
    from bibliomap.corpus.references import make_key, parse_reference

    aligned = corpus.list_lengths("references") == corpus.list_lengths("reference_keys")
    refs = refs[aligned[refs["citing"].to_numpy()]]
    _, raw_flat = corpus.explode("references")
    raw = np.asarray(raw_flat.to_pylist(), dtype=object)[refs["pos"].to_numpy(np.int64)] if len(refs) else np.zeros(0, object)
    db = np.asarray([str(x or "").lower() for x in corpus.values("database")], dtype=object)
    style = db[refs["citing"].to_numpy(np.int64)]
    cache: dict[tuple[str, str], str | None] = {}
    keys = []
    for r, st in zip(raw, style):
        k = (r, st)
        if k not in cache:
            try:
                p = parse_reference(r, st or "generic")
                cache[k] = make_key(p.get("first_author"), p.get("year"), p.get("volume"), p.get("page"), p.get("source"))
            except Exception:  # noqa: BLE001 - unparseable: no second key
                cache[k] = None
        keys.append(cache[k])
    out = pd.DataFrame({"citing": refs["citing"].to_numpy(np.int64), "key": pd.Series(keys, dtype=object).str.lower()})
    return out.dropna()


def local_citations(corpus: Corpus) -> np.ndarray:
    """Times each document is cited by other documents of the corpus."""
    return np.asarray(citation_matrix(corpus).sum(axis=0)).ravel().astype(np.int64)


def undirected(citing: sp.spmatrix) -> sp.csr_matrix:
    """C + Cᵀ: citation links as VOSviewer treats them (undirected; 2 when mutual)."""
    s = sp.csr_matrix(citing + citing.T)
    s.setdiag(0)
    s.eliminate_zeros()
    return s


def reference_occurrences(corpus: Corpus) -> Occurrences:
    """Citing document x cited reference, keyed by ``reference_keys``.

    A reference without a key falls back to its raw string (lower-cased), VOSviewer's
    last resort for bibliographic coupling; the two lists are aligned by position when
    a document has as many keys as references.
    """
    return from_pairs(*keys_by_slices(corpus, _reference_keys), len(corpus), None, None, "reference-keys")


def _reference_keys(corpus: Corpus) -> tuple[np.ndarray, pa.Array]:
    """(citing document position, key) per cited reference of ``corpus`` (``reference_occurrences``)."""
    k_doc, k_flat = corpus.explode("reference_keys")
    r_doc, r_flat = corpus.explode("references")
    keys = pc.utf8_lower(k_flat.cast(pa.string()))
    aligned = corpus.list_lengths("reference_keys") == corpus.list_lengths("references")
    raw = normalize_labels(r_flat)
    ra, k_al = aligned[r_doc], aligned[k_doc]
    # (all in Arrow, no Python string per reference: a million records carry tens of millions)
    # documents whose keys align with their references: key, else "raw:" + reference
    position = np.full(r_doc.size, -1, dtype=np.int64)
    position[ra] = np.flatnonzero(k_al)
    own = keys.take(pa.array(position, mask=position < 0))
    missing = pc.or_kleene(pc.is_null(own), pc.equal(own, ""))
    usable_raw = pc.and_kleene(pc.is_valid(raw), pc.not_equal(raw, ""))
    fallback = pc.if_else(usable_raw, pc.binary_join_element_wise(pa.scalar("raw:"), raw, ""), pa.scalar(None, pa.string()))
    key_for_ref = pc.if_else(missing, fallback, own)
    # documents whose lists do not align: their keys as given
    docs = np.concatenate([r_doc, k_doc[~k_al]])
    return docs, pa.concat_arrays([key_for_ref, keys.filter(pa.array(~k_al))])


def coupling_matrix(corpus: Corpus, method: str = "full", refs: Occurrences | None = None, documents: np.ndarray | None = None) -> sp.csr_matrix:
    """Document x document bibliographic coupling: shared cited references.

    Full counting: the number of shared references. Fractional: a reference cited by
    n corpus documents adds 1/(n − 1) to each of the links it creates. With
    ``documents`` (positions), only the links among those documents are computed.
    """
    refs = reference_occurrences(corpus) if refs is None else refs
    method = "fractional" if method == "fractional" else "full"
    return active_counter()(refs.item, refs.doc, None, refs.n_items, refs.n_docs, method, items=documents).matrix


def aggregate(doc_relation: sp.spmatrix, incidence: sp.spmatrix, fractional: bool = False, units_per_document: np.ndarray | None = None) -> sp.csr_matrix:
    """Wᵀ S W with a zero diagonal: a document relation summed to units.

    ``incidence`` is document x unit (nonzero = the document has the unit). With
    ``fractional`` each document's row is scaled by 1/n, n = its number of units
    (``units_per_document``, by default the row counts of ``incidence``), so a
    document's links are shared over its units.
    """
    w = sp.csr_matrix(incidence, dtype=float, copy=True)
    w.data[:] = 1.0
    if fractional:
        n = np.diff(w.indptr).astype(float) if units_per_document is None else np.asarray(units_per_document, dtype=float)
        scale = np.divide(1.0, n, out=np.zeros_like(n), where=n > 0)
        w = sp.csr_matrix(sp.diags(scale) @ w)
    s = sp.csr_matrix(doc_relation, dtype=float, copy=True)
    s.setdiag(0)
    s.eliminate_zeros()
    out = sp.csr_matrix(w.T @ s @ w)
    out.setdiag(0)
    out.eliminate_zeros()
    out.sort_indices()
    return out
