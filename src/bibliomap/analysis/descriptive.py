"""Descriptive analysis: bibliometrix's "main information" table and its summary tables.

Formulas follow bibliometrix's ``biblioAnalysis``/``summary`` (ANCHORS.md sections 3.3 and
3.5), with the calendar year replaced by an explicit reference year (the PoP QueryDate
year, else the given query year, else today) so that results are reproducible. Every table
is built from exploded Arrow columns with integer codes and numpy/pandas grouping: no
per-record Python loop, so a million-record corpus takes seconds.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bibliomap.analysis._columns import (
    combined,
    count_distinct_strings,
    distinct_per_doc,
    encode_normalized,
    first_of_lists,
    flat_length,
)
from bibliomap.analysis._items import _author_items, _cached, _list_items, _scalar_items
from bibliomap.analysis.citation_metrics import _query_date_year, resolve_reference_year

DEFAULT_TOP = 10


# -- shared inputs ---------------------------------------------------------------------------


def reference_year(
    corpus, query_year: int | None = None, today: _dt.date | None = None, force: int | None = None
) -> int:
    """``force`` if given, else the data's query-date year (PoP QueryDate), else ``query_year``, else now."""
    if force is not None:
        return int(force)
    return resolve_reference_year(_query_date_year(corpus.column("query_date")), query_year, today)[0]


def _citations(corpus) -> np.ndarray:
    return np.nan_to_num(corpus.values("times_cited"), nan=0.0)


def _ranked(df: pd.DataFrame, by: list[str], label: str, top: int | None) -> pd.DataFrame:
    """Sort descending by ``by`` then by ``label`` (case-insensitive, deterministic ties); keep top N.

    Only the rows that can reach the top N (those at or above the N-th row on ``by``) get the
    slower label sort, so ranking millions of authors stays fast.
    """
    if top is not None and len(df) > top:
        cols = [pd.to_numeric(df[c]).to_numpy(dtype=float) for c in by]
        idx = np.lexsort([-c for c in reversed(cols)])
        nth = idx[top - 1]
        keep = np.zeros(len(df), dtype=bool)
        tied = np.ones(len(df), dtype=bool)
        for c in cols:
            keep |= tied & (c > c[nth])
            tied &= c == c[nth]
        df = df[keep | tied]
    order = df[label].map(lambda v: (str(v).casefold(), str(v)))
    df = df.assign(_order=order).sort_values(by + ["_order"], ascending=[False] * len(by) + [True], kind="mergesort")
    df = df.drop(columns="_order")
    if top is not None:
        df = df.head(top)
    return df.reset_index(drop=True)


def _count_table(doc: np.ndarray, codes: np.ndarray, labels: np.ndarray, label: str, count: str, top: int | None) -> pd.DataFrame:
    counts = np.bincount(codes, minlength=len(labels)) if codes.size else np.zeros(len(labels), np.int64)
    df = pd.DataFrame({label: labels, count: counts})
    return _ranked(df[df[count] > 0], [count], label, top)


# -- main information -------------------------------------------------------------------------


def annual_growth_rate(years: np.ndarray, exclude_last_year: bool = False) -> float | None:
    """CAGR % = ((Y_last / Y_first)^(1/(last - first)) - 1) * 100 over years with documents.

    Y are document counts per year (bibliometrix ``table(PY)``). ``exclude_last_year`` drops
    the latest year first (an incomplete current year biases the rate). 0 for one year.
    """
    y = years[~np.isnan(years)].astype(np.int64)
    if exclude_last_year and y.size:
        y = y[y != y.max()]
    if y.size == 0:
        return None
    first, last = int(y.min()), int(y.max())
    if first == last:
        return 0.0
    n_first = int(np.count_nonzero(y == first))
    n_last = int(np.count_nonzero(y == last))
    return float(((n_last / n_first) ** (1.0 / (last - first)) - 1.0) * 100.0)


def _distinct_count(values: pa.Array) -> int:
    """Distinct normalized (case- and space-insensitive) non-empty strings."""
    return len(encode_normalized(values)[1])


def _exploded(corpus, field: str) -> tuple[np.ndarray, pa.Array]:
    return _cached(corpus, "explode:" + field, lambda: corpus.explode(field))


def _distinct_references(corpus) -> int:
    """Distinct cited references: canonical keys where given, else the raw string (normalized)."""
    _, keys = _exploded(corpus, "reference_keys")
    n_keys = count_distinct_strings(keys) if len(keys) else 0
    n_raw = flat_length(corpus.column("references"))
    if n_raw == 0:
        return n_keys
    if len(keys) == n_raw:
        if not keys.null_count:
            return n_keys
        _, raw = corpus.explode("references")
        unkeyed = pc.filter(raw, pc.is_null(keys))
    elif len(keys) == 0:
        unkeyed = corpus.explode("references")[1]
    else:  # keys not aligned with the raw strings: the keys alone
        return n_keys
    return n_keys + _distinct_count(unkeyed)


def main_information_values(
    corpus, ref_year: int, exclude_last_year: bool = False
) -> dict[str, Any]:
    """bibliometrix's main information as a dict of snake_case keys (see :func:`main_information`)."""
    n = len(corpus)
    years = corpus.values("year")
    tc = _citations(corpus)
    has_year = ~np.isnan(years)
    n_listed = corpus.list_lengths("authors")
    a_doc, a_code, a_labels = _author_items(corpus)
    n_authors_distinct = len(a_labels)
    first_author = encode_normalized(pc.struct_field(first_of_lists(corpus.column("authors")), "name"))[0]
    single = n_listed == 1
    single_first = first_author[single & (first_author >= 0)]
    authors_single = int(np.count_nonzero(np.bincount(single_first))) if single_first.size else 0
    multi_docs = int(np.count_nonzero(n_listed > 1))
    n_countries = corpus.list_lengths("countries")
    y_known = years[has_year]
    tc_per_year = tc[has_year] / np.maximum(1.0, ref_year - y_known + 1.0)
    with_authors = n_listed > 0
    return {
        "timespan": f"{int(y_known.min())}:{int(y_known.max())}" if y_known.size else None,
        "sources": len(_scalar_items(corpus, "source_title")[2]),
        "documents": n,
        "annual_growth_rate": annual_growth_rate(years, exclude_last_year),
        "document_average_age": float(ref_year - y_known.mean()) if y_known.size else None,
        "average_citations_per_doc": float(tc.mean()) if n else None,
        "average_citations_per_year_per_doc": float(tc_per_year.mean()) if y_known.size else None,
        "references": _distinct_references(corpus),
        "keywords_plus": len(_list_items(corpus, "index_keywords")[2]),
        "author_keywords": len(_list_items(corpus, "author_keywords")[2]),
        "authors": n_authors_distinct,
        "author_appearances": int(n_listed.sum()),
        "authors_of_single_authored_docs": authors_single,
        "single_authored_docs": int(np.count_nonzero(single)),
        "documents_per_author": n / n_authors_distinct if n_authors_distinct else None,
        "co_authors_per_doc": float(n_listed[with_authors].mean()) if with_authors.any() else None,
        "international_co_authorships": float(100.0 * np.count_nonzero(n_countries > 1) / n) if n else None,
        # bibliometrix: (distinct authors - distinct authors of single-authored docs) / multi-authored docs
        "collaboration_index": (n_authors_distinct - authors_single) / multi_docs if multi_docs else None,
        "reference_year": ref_year,
        "growth_rate_excludes_last_year": bool(exclude_last_year),
    }


_MAIN_ROWS = [
    ("Main information about data", "timespan", "Timespan"),
    ("Main information about data", "sources", "Sources (Journals, Books, etc)"),
    ("Main information about data", "documents", "Documents"),
    ("Main information about data", "annual_growth_rate", "Annual Growth Rate %"),
    ("Main information about data", "document_average_age", "Document Average Age"),
    ("Main information about data", "average_citations_per_doc", "Average citations per doc"),
    ("Main information about data", "average_citations_per_year_per_doc", "Average citations per year per doc"),
    ("Main information about data", "references", "References"),
    ("Document contents", "keywords_plus", "Keywords Plus (ID)"),
    ("Document contents", "author_keywords", "Author's Keywords (DE)"),
    ("Authors", "authors", "Authors"),
    ("Authors", "author_appearances", "Author Appearances"),
    ("Authors", "authors_of_single_authored_docs", "Authors of single-authored docs"),
    ("Authors collaboration", "single_authored_docs", "Single-authored docs"),
    ("Authors collaboration", "documents_per_author", "Documents per Author"),
    ("Authors collaboration", "co_authors_per_doc", "Co-Authors per Doc"),
    ("Authors collaboration", "international_co_authorships", "International co-authorships %"),
    ("Authors collaboration", "collaboration_index", "Collaboration Index"),
]


def main_information(
    corpus, ref_year: int | None = None, exclude_last_year: bool = False, query_year: int | None = None
) -> pd.DataFrame:
    """The Main Information table (Section, Description, Results), document types included.

    Timespan min:max(PY); Sources distinct SO; Documents N; Annual Growth Rate (CAGR, see
    :func:`annual_growth_rate`); Document Average Age = Y_ref - mean(PY); average citations
    per doc mean(TC) and per year per doc mean(TC / (Y_ref - PY + 1)); distinct references;
    distinct keywords; distinct authors, author appearances, authors of single-authored
    docs, single-authored docs, documents per author N / authors, co-authors per doc (mean
    authors of documents with authors), international co-authorships (% of documents with
    more than one country) and the collaboration index.
    """
    ref = ref_year if ref_year is not None else reference_year(corpus, query_year)
    values = main_information_values(corpus, ref, exclude_last_year)
    rows = [(sec, label, values[key]) for sec, key, label in _MAIN_ROWS[:8]]
    for _, r in document_types(corpus).iterrows():
        rows.append(("Document types", r["Document Type"], int(r["Documents"])))
    rows += [(sec, label, values[key]) for sec, key, label in _MAIN_ROWS[8:]]
    df = pd.DataFrame({"Section": [r[0] for r in rows], "Description": [r[1] for r in rows],
                       "Results": pd.Series([r[2] for r in rows], dtype=object)})
    return df


def document_types(corpus) -> pd.DataFrame:
    """Documents per document type (normalized doc_type; 'unknown' when missing)."""
    codes, labels = encode_normalized(combined(corpus.column("doc_type")))
    labels = np.append(labels, "unknown")
    c = np.where(codes >= 0, codes, len(labels) - 1)
    d = np.arange(len(c), dtype=np.int64)
    return _count_table(d, c, labels, "Document Type", "Documents", None)


# -- tables -----------------------------------------------------------------------------------


def annual_production(corpus, ref_year: int | None = None, query_year: int | None = None) -> pd.DataFrame:
    """Documents and citations per publication year, every year from first to last included.

    Columns: Year, Articles, Citations (TC of that year's documents), MeanTCperArt,
    MeanTCperYear = MeanTCperArt / CitableYears with CitableYears = Y_ref - Year + 1
    (biblioshiny's "Average Citations per Year").
    """
    ref = ref_year if ref_year is not None else reference_year(corpus, query_year)
    years = corpus.values("year")
    tc = _citations(corpus)
    ok = ~np.isnan(years)
    if not ok.any():
        return pd.DataFrame(columns=["Year", "Articles", "Citations", "MeanTCperArt", "MeanTCperYear", "CitableYears"])
    y = years[ok].astype(np.int64)
    lo, hi = int(y.min()), int(y.max())
    arts = np.bincount(y - lo, minlength=hi - lo + 1)
    cites = np.bincount(y - lo, weights=tc[ok], minlength=hi - lo + 1)
    all_years = np.arange(lo, hi + 1)
    citable = np.maximum(1, ref - all_years + 1)
    mean_tc = np.divide(cites, arts, out=np.zeros(arts.shape, float), where=arts > 0)
    return pd.DataFrame(
        {
            "Year": all_years,
            "Articles": arts.astype(np.int64),
            "Citations": np.rint(cites).astype(np.int64),
            "MeanTCperArt": mean_tc,
            "MeanTCperYear": mean_tc / citable,
            "CitableYears": citable,
        }
    )


def author_production(corpus, top: int | None = DEFAULT_TOP) -> pd.DataFrame:
    """Most productive authors: Articles (full counting) and Articles Fractionalized (1/n each)."""
    doc, codes, labels = _author_items(corpus)
    n_per_doc = np.bincount(doc, minlength=len(corpus)) if doc.size else np.zeros(len(corpus), np.int64)
    full = np.bincount(codes, minlength=len(labels)) if codes.size else np.zeros(len(labels))
    frac = np.bincount(codes, weights=1.0 / np.maximum(1, n_per_doc[doc]), minlength=len(labels)) if codes.size else np.zeros(len(labels))
    df = pd.DataFrame({"Author": labels, "Articles": full.astype(np.int64), "Articles Fractionalized": frac})
    return _ranked(df[df["Articles"] > 0], ["Articles", "Articles Fractionalized"], "Author", top)


def document_labels(corpus, rows: np.ndarray) -> list[str]:
    """bibliometrix-style short references "First Author, Year, Source" for the given rows."""
    sub = corpus[rows]
    first = pc.struct_field(first_of_lists(sub.column("authors")), "name").to_pylist()
    years = sub.column("year").to_pylist()
    sources = sub.column("source_title").to_pylist()
    titles = sub.column("title").to_pylist()
    out = []
    for name, year, source, title in zip(first, years, sources, titles):
        parts = [name or (title[:40] if title else "Anonymous"), str(year) if year is not None else "n.d.", source or ""]
        out.append(", ".join(p for p in parts if p))
    return out


def most_cited_documents(
    corpus, top: int | None = DEFAULT_TOP, ref_year: int | None = None, query_year: int | None = None
) -> pd.DataFrame:
    """Most globally cited documents: TC, TC per Year = TC / (Y_ref - PY + 1), and NTC.

    NTC = TC / mean TC of the corpus documents published the same year (1 = average).
    """
    ref = ref_year if ref_year is not None else reference_year(corpus, query_year)
    tc = _citations(corpus)
    years = corpus.values("year")
    ok = ~np.isnan(years)
    ntc = np.full(len(corpus), np.nan)
    per_year = np.full(len(corpus), np.nan)
    if ok.any():
        y = years[ok].astype(np.int64)
        lo = int(y.min())
        sums = np.bincount(y - lo, weights=tc[ok])
        counts = np.bincount(y - lo)
        mean = sums / np.maximum(counts, 1)
        m = mean[y - lo]
        ntc[ok] = np.divide(tc[ok], m, out=np.full(m.shape, np.nan), where=m > 0)
        per_year[ok] = tc[ok] / np.maximum(1.0, ref - y + 1.0)
    order = np.lexsort((np.arange(len(corpus)), -tc))
    if top is not None:
        order = order[:top]
    sub = corpus[order]
    return pd.DataFrame(
        {
            "Document": document_labels(corpus, order),
            "Title": sub.column("title").to_pylist(),
            "DOI": sub.column("doi").to_pylist(),
            "Year": pd.array(sub.column("year").to_pylist(), dtype="Int64"),
            "TC": tc[order].astype(np.int64),
            "TC per Year": per_year[order],
            "NTC": ntc[order],
        }
    )


def source_production(corpus, top: int | None = DEFAULT_TOP) -> pd.DataFrame:
    """Most relevant sources: documents per source title."""
    d, c, labels = _scalar_items(corpus, "source_title")
    return _count_table(d, c, labels, "Source", "Articles", top)


def affiliation_production(corpus, top: int | None = DEFAULT_TOP) -> pd.DataFrame:
    """Most relevant affiliations: documents per affiliation string."""
    d, c, labels = _list_items(corpus, "affiliations")
    return _count_table(d, c, labels, "Affiliation", "Articles", top)


def keyword_frequency(corpus, field: str = "author_keywords", top: int | None = DEFAULT_TOP) -> pd.DataFrame:
    """Most frequent keywords of ``field`` (author_keywords or index_keywords): documents per keyword."""
    d, c, labels = _list_items(corpus, field)
    return _count_table(d, c, labels, "Keyword", "Occurrences", top)


def first_author_countries(corpus) -> pa.Array:
    """Country of the first author (first country of the first author, else of the document)."""
    first = first_of_lists(corpus.column("authors"))
    author_country = first_of_lists(pc.struct_field(first, "countries"))
    return pc.coalesce(author_country, first_of_lists(corpus.column("countries")))


def country_production(corpus, top: int | None = DEFAULT_TOP) -> pd.DataFrame:
    """Most productive countries by first-author country, with SCP and MCP.

    SCP: documents whose authors are all in one country; MCP = Articles - SCP (documents
    with more than one country); Freq = share of the documents with a country;
    MCP_Ratio = MCP / Articles. Also TC and Average Article Citations per country.
    """
    codes, labels = encode_normalized(first_author_countries(corpus))
    ok = codes >= 0
    k = len(labels)
    multi = corpus.list_lengths("countries") > 1
    tc = _citations(corpus)
    arts = np.bincount(codes[ok], minlength=k)
    mcp = np.bincount(codes[ok], weights=multi[ok].astype(float), minlength=k).astype(np.int64)
    cites = np.bincount(codes[ok], weights=tc[ok], minlength=k)
    total = max(int(ok.sum()), 1)
    df = pd.DataFrame(
        {
            "Country": labels,
            "Articles": arts.astype(np.int64),
            "Freq": arts / total,
            "SCP": arts.astype(np.int64) - mcp,
            "MCP": mcp,
            "MCP_Ratio": np.divide(mcp, arts, out=np.zeros(k), where=arts > 0),
            "TC": np.rint(cites).astype(np.int64),
            "Average Article Citations": np.divide(cites, arts, out=np.zeros(k), where=arts > 0),
        }
    )
    return _ranked(df[df["Articles"] > 0], ["Articles"], "Country", top)


def country_citations(corpus, top: int | None = DEFAULT_TOP) -> pd.DataFrame:
    """Most cited countries (first-author country): TC and average article citations."""
    df = country_production(corpus, None)[["Country", "TC", "Average Article Citations"]]
    return _ranked(df, ["TC"], "Country", top)


def local_impact(
    corpus, by: str = "author", top: int | None = DEFAULT_TOP, ref_year: int | None = None, query_year: int | None = None
) -> pd.DataFrame:
    """Authors' or sources' local impact: h, g and m index from the corpus citations.

    h = max{i : c_(i) >= i}; g = max{g : sum_{i<=g} c_(i) >= g^2}, capped at NP;
    m = h / (Y_ref - PY_start + 1), as bibliometrix's ``Hindex``. Columns: Element, h_index,
    g_index, m_index, TC, NP, PY_start.
    """
    ref = ref_year if ref_year is not None else reference_year(corpus, query_year)
    if by == "author":
        doc, codes, labels = _author_items(corpus)
    elif by == "source":
        doc, codes, labels = _scalar_items(corpus, "source_title")
    else:
        raise ValueError(f"local_impact: by must be 'author' or 'source', not {by!r}")
    cols = ["Element", "h_index", "g_index", "m_index", "TC", "NP", "PY_start"]
    if codes.size == 0:
        return pd.DataFrame(columns=cols)
    tc = _citations(corpus)[doc]
    years = corpus.values("year")[doc]
    order = np.lexsort((-tc, codes))
    codes_s, tc_s, years_s = codes[order], tc[order], years[order]
    k = len(labels)
    np_count = np.bincount(codes_s, minlength=k)
    starts = np.concatenate(([0], np.cumsum(np_count)[:-1]))
    rank = np.arange(codes_s.size) - starts[codes_s] + 1
    csum = np.cumsum(tc_s)
    before = np.concatenate(([0.0], csum))[starts]
    within = csum - before[codes_s]
    h = np.bincount(codes_s, weights=(tc_s >= rank).astype(float), minlength=k).astype(np.int64)
    g = np.bincount(codes_s, weights=(within >= rank.astype(float) ** 2).astype(float), minlength=k).astype(np.int64)
    present = np_count > 0
    py_start = np.full(k, np.nan)
    py_start[present] = np.fmin.reduceat(years_s, starts[present])
    m = h / np.maximum(1.0, ref - py_start + 1.0)
    df = pd.DataFrame(
        {
            "Element": labels,
            "h_index": h,
            "g_index": g,
            "m_index": m,
            "TC": np.rint(np.bincount(codes_s, weights=tc_s, minlength=k)).astype(np.int64),
            "NP": np_count,
            "PY_start": pd.array(np.where(np.isnan(py_start), None, py_start), dtype="Int64"),
        }
    )[present]
    return _ranked(df, ["h_index", "g_index", "TC"], "Element", top)


def _document_keys(corpus, with_ref_keys: bool) -> tuple[np.ndarray, pa.Array, str]:
    """(document index, key) for matching references to corpus documents, and the method used.

    DOI and OpenAlex keys are built vectorized. The ``ref:`` keys (first author, year, volume,
    page, source) come from ``bibliomap.corpus.references.document_keys``, a per-record pass,
    so they are built only when the references carry ``ref:`` keys.
    """
    if with_ref_keys:
        try:
            from bibliomap.corpus.references import document_keys
        except ImportError:  # the references module is optional here
            document_keys = None
        if document_keys is not None:
            per_doc = pa.array(document_keys(corpus), type=pa.list_(pa.string()))
            doc = pc.list_parent_indices(per_doc).to_numpy().astype(np.int64)
            return doc, pc.list_flatten(per_doc), "document_keys"
    docs, keys = [], []
    for column, prefix in (("doi", "doi:"), ("openalex_id", "openalex:")):
        values = combined(corpus.column(column))
        ok = pc.and_(pc.is_valid(values), pc.not_equal(pc.fill_null(values, ""), ""))
        idx = np.flatnonzero(ok.to_numpy(zero_copy_only=False))
        picked = pc.take(values, pa.array(idx, type=pa.int64()))
        if column == "doi":
            picked = pc.utf8_lower(picked)
        docs.append(idx.astype(np.int64))
        keys.append(pc.binary_join_element_wise(prefix, picked, ""))
    return np.concatenate(docs), pa.concat_arrays(keys), "doi+openalex"


def local_citation_counts(corpus) -> tuple[np.ndarray, str]:
    """How often each document is cited by other documents of the corpus (LCS), and the key method.

    Each citing document counts once per cited document; self-citations of a record by
    itself are ignored. References are matched by ``reference_keys`` against the documents'
    own keys (DOI and OpenAlex keys always; ``ref:`` keys when the references have them).
    """
    n = len(corpus)
    citing, ref_keys = _exploded(corpus, "reference_keys")
    with_ref = len(ref_keys) > 0 and bool(pc.any(pc.starts_with(ref_keys, "ref:")).as_py())
    doc_idx, doc_keys, method = _document_keys(corpus, with_ref)
    if len(ref_keys) == 0 or len(doc_keys) == 0:
        return np.zeros(n, dtype=np.int64), method
    pos = pc.index_in(ref_keys, value_set=doc_keys)
    pos_np = pc.fill_null(pos, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    hit = pos_np >= 0
    cited = doc_idx[pos_np[hit]]
    citing = citing[hit]
    keep = cited != citing
    citing, cited = distinct_per_doc(citing[keep], cited[keep])  # one count per citing document
    return np.bincount(cited, minlength=n).astype(np.int64), method


def local_citations(corpus, top: int | None = DEFAULT_TOP) -> pd.DataFrame:
    """Most locally cited documents: Local Citations (LCS) and Global Citations (TC)."""
    lcs, _ = local_citation_counts(corpus)
    tc = _citations(corpus)
    order = np.lexsort((np.arange(len(corpus)), -tc, -lcs))
    order = order[lcs[order] > 0]
    if top is not None:
        order = order[:top]
    sub = corpus[order]
    return pd.DataFrame(
        {
            "Document": document_labels(corpus, order),
            "DOI": sub.column("doi").to_pylist(),
            "Year": pd.array(sub.column("year").to_pylist(), dtype="Int64"),
            "Local Citations": lcs[order],
            "Global Citations": tc[order].astype(np.int64),
        }
    )


def summary_tables(
    corpus,
    top: int | None = DEFAULT_TOP,
    query_year: int | None = None,
    exclude_last_year: bool = False,
    ref_year: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Every descriptive table, keyed by a file-friendly name (CSV / sheet name).

    ``ref_year`` forces the reference year; else it comes from :func:`reference_year`
    with ``query_year`` as the fallback.
    """
    ref = ref_year if ref_year is not None else reference_year(corpus, query_year)
    return {
        "main_information": main_information(corpus, ref, exclude_last_year),
        "annual_production": annual_production(corpus, ref),
        "document_types": document_types(corpus),
        "most_productive_authors": author_production(corpus, top),
        "most_cited_documents": most_cited_documents(corpus, top, ref),
        "most_relevant_sources": source_production(corpus, top),
        "most_relevant_affiliations": affiliation_production(corpus, top),
        "countries_production": country_production(corpus, top),
        "countries_citations": country_citations(corpus, top),
        "author_keywords": keyword_frequency(corpus, "author_keywords", top),
        "index_keywords": keyword_frequency(corpus, "index_keywords", top),
        "authors_local_impact": local_impact(corpus, "author", top, ref),
        "sources_local_impact": local_impact(corpus, "source", top, ref),
        "local_citations": local_citations(corpus, top),
    }


_reference_year = reference_year


@dataclasses.dataclass
class Description(Mapping):
    """The whole performance analysis: tables, PoP metrics, laws, quartiles, word-cloud terms.

    It is also a read-only mapping of table name -> DataFrame (``description["lotka"]``,
    ``description.items()``), so code that wants only the tables can treat it as a dict.
    """

    tables: dict[str, pd.DataFrame]
    metrics: dict[str, Any]
    lotka: Any  # laws.LotkaResult
    bradford: Any  # laws.BradfordResult
    quartiles: Any | None  # quartiles.QuartileResult
    keyword_cloud: dict[str, int]
    reference_year: int

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __iter__(self):
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    __hash__ = object.__hash__  # identity, as before Mapping's __eq__


def describe(
    corpus,
    top: int | None = DEFAULT_TOP,
    query_year: int | None = None,
    exclude_last_year: bool = False,
    sjr: Any = None,
    cloud_terms: int = 100,
    reference_year: int | None = None,
) -> Description:
    """PoP metrics, every summary table, Lotka, Bradford and (with ``sjr``) journal quartiles.

    ``tables`` holds them all as DataFrames in a fixed order (pop_metrics first);
    ``sjr`` is a SCImago CSV path or a frame from :func:`quartiles.read_sjr`.
    """
    from bibliomap.analysis.citation_metrics import metrics_table, pop_metrics
    from bibliomap.analysis.laws import bradford, lotka
    from bibliomap.analysis.quartiles import attach_quartiles

    ref = _reference_year(corpus, query_year, force=reference_year)
    metrics = pop_metrics(corpus, query_year, reference_year=ref)
    tables = {"pop_metrics": metrics_table(metrics)}
    tables.update(summary_tables(corpus, top, query_year, exclude_last_year, ref_year=ref))
    lot, brad = lotka(corpus), bradford(corpus)
    tables["lotka"] = lot.table
    tables["lotka_fit"] = lot.summary()
    tables["bradford"] = brad.table
    tables["bradford_zones"] = brad.zones
    tables["bradford_fit"] = brad.summary()
    quart = None
    if sjr is not None:
        quart = attach_quartiles(corpus, sjr)
        tables["quartiles"] = quart.documents
        tables["quartile_matching"] = quart.summary()
        tables["unmatched_sources"] = quart.unmatched
    kw = keyword_frequency(corpus, "author_keywords", cloud_terms)
    if not len(kw):
        kw = keyword_frequency(corpus, "index_keywords", cloud_terms)
    cloud = dict(zip(kw["Keyword"], kw["Occurrences"].astype(int)))
    return Description(tables, metrics, lot, brad, quart, cloud, ref)
