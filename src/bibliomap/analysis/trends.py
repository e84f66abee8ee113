"""Trends over time: trend topics (bibliometrix's fieldByYear), emerging and declining items.

All functions take an occurrence table (document index, item index) plus the
documents' publication years, so they work for terms, keywords, sources, authors
or countries alike.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from bibliomap.analysis._columns import distinct_pairs


def trend_topics(
    doc_index: np.ndarray,
    item_index: np.ndarray,
    doc_years: np.ndarray,
    labels: list[str] | np.ndarray,
    weights: np.ndarray | None = None,
    min_freq: int = 2,
    n_items_per_year: int = 5,
) -> pd.DataFrame:
    """Per item: frequency and the 1st quartile, median and 3rd quartile of its publication years.

    Years are weighted by occurrence (bibliometrix ``fieldByYear``). Items with
    frequency below ``min_freq`` are dropped. ``shown`` marks the top
    ``n_items_per_year`` items by frequency within each median year, the ones a
    trend-topic chart draws.
    """
    doc_index = np.asarray(doc_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    w = np.ones(doc_index.size) if weights is None else np.asarray(weights, dtype=float)
    years = np.asarray(doc_years, dtype=float)[doc_index]
    ok = ~np.isnan(years) & (w > 0)
    it, yr, wt = item_index[ok], years[ok], w[ok]
    labels = np.asarray(labels, dtype=object)
    # weighted type-1 quantiles for all items at once: sort by (item, year), search the running weight
    order = np.lexsort((yr, it))
    it, yr, wt = it[order], yr[order], wt[order]
    uniq, start, n_per = np.unique(it, return_index=True, return_counts=True)
    cum = np.cumsum(wt)
    freq = np.add.reduceat(wt, start) if uniq.size else np.zeros(0)
    before = cum[start] - wt[start] if uniq.size else np.zeros(0)
    last = start + n_per - 1
    quant = []
    for q in (0.25, 0.5, 0.75):
        idx = np.searchsorted(cum, before + q * freq - 1e-9, side="left")
        quant.append(yr[np.minimum(idx, last)] if uniq.size else np.zeros(0))
    keep = freq >= min_freq
    rows = list(zip(labels[uniq[keep]], freq[keep].astype(float), quant[0][keep].astype(int), quant[1][keep].astype(int), quant[2][keep].astype(int)))
    out = pd.DataFrame(rows, columns=["item", "freq", "year_q1", "year_median", "year_q3"])
    if not len(out):
        out["shown"] = []
        return out
    out = out.sort_values(["year_median", "freq", "item"], ascending=[True, False, True], kind="mergesort").reset_index(drop=True)
    out["shown"] = out.groupby("year_median").cumcount() < n_items_per_year
    return out


#: an emerging (declining) item needs this many documents in the recent (earlier) window
MIN_DOCUMENTS = 5
#: false-discovery rate of the rise / fall tests (Benjamini-Hochberg)
FDR = 0.05
#: an emerging item's share grew at least this many times; a declining item's fell to at most this
EMERGING_GROWTH = 1.5
DECLINING_GROWTH = 0.67


def supported_change(documents: np.ndarray, q: np.ndarray, min_documents: int = MIN_DOCUMENTS,
                     fdr: float = FDR) -> np.ndarray:
    """Whether the window test supports a rise (``documents``: recent ones, ``q``: q_rise) or a fall (earlier
    documents, q_fall), however small: at least ``min_documents`` on that side and q within the false-discovery rate."""
    return (np.asarray(documents) >= min_documents) & (np.asarray(q) <= fdr)


def _window_tests(recent: np.ndarray, item_total: np.ndarray, recent_docs: float, all_docs: float) -> tuple[np.ndarray, np.ndarray]:
    """One-sided Fisher exact tests (hypergeometric tails) of each item's documents in the recent
    window against its documents overall: p of a rise, p of a fall."""
    from scipy.stats import hypergeom

    n_all, n_recent = int(round(all_docs)), int(round(recent_docs))
    k, total = np.rint(recent).astype(np.int64), np.rint(item_total).astype(np.int64)
    rise = hypergeom.sf(k - 1, n_all, total, n_recent)
    fall = hypergeom.cdf(k, n_all, total, n_recent)
    return np.clip(rise, 0.0, 1.0), np.clip(fall, 0.0, 1.0)


def _fdr(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values)."""
    from scipy.stats import false_discovery_control

    return false_discovery_control(p, method="bh") if len(p) else p


def _stable_evidence(growth: np.ndarray, recent_docs: np.ndarray, earlier_docs: np.ndarray, q_rise: np.ndarray,
                     q_fall: np.ndarray, supported_rise: np.ndarray, supported_fall: np.ndarray,
                     min_documents: int, fdr: float) -> list[str]:
    """Why each topic is neither emerging nor declining: a rise (fall) the test supports (``supported_rise``,
    ``supported_fall``: enough documents and q <= ``fdr``) but smaller than ``EMERGING_GROWTH`` (larger than
    ``DECLINING_GROWTH``), or no change supported at all."""
    out = []
    for g, r, e, qr, qf, up, down in zip(growth, recent_docs, earlier_docs, q_rise, q_fall, supported_rise,
                                         supported_fall):
        if up:
            out.append(f"share x{g:.2f} in {int(r)} recent documents, Fisher q={qr:.2g}: a rise, but below "
                       f"x{EMERGING_GROWTH:g}")
        elif down:
            out.append(f"share x{g:.2f} after {int(e)} earlier documents, Fisher q={qf:.2g}: a fall, but above "
                       f"x{DECLINING_GROWTH:g}")
        else:
            out.append(f"no rise or fall supported (needs a share x{EMERGING_GROWTH:g} or x{DECLINING_GROWTH:g}, "
                       f">= {min_documents} documents and FDR q <= {fdr:g})")
    return out


def emerging_and_declining(
    counts: np.ndarray,
    totals: np.ndarray,
    years: np.ndarray,
    labels: list[str] | np.ndarray,
    recent_years: int = 3,
    min_occurrences: int = 3,
    bursts: pd.DataFrame | None = None,
    min_documents: int = MIN_DOCUMENTS,
    fdr: float = FDR,
) -> pd.DataFrame:
    """Rank items by how their share of documents moves: recent window vs the years before it.

    ``counts`` is items x years (documents per year containing the item), ``totals``
    documents per year. For each item: occurrences, average publication year, documents
    and share of documents in the last ``recent_years`` years and before them, their ratio
    (growth), the OLS slope of the yearly share, whether a burst is active in the last
    year, and the one-sided Fisher exact tests of a rise and of a fall of the recent share
    (``p_rise``, ``p_fall``) with their Benjamini-Hochberg q-values over the items
    (``q_rise``, ``q_fall``). ``status`` is 'emerging' when the share grew at least 1.5
    times, in at least ``min_documents`` recent documents, with q_rise <= ``fdr``;
    'declining' when it fell to 0.67 or less, from at least ``min_documents`` earlier
    documents, with q_fall <= ``fdr``; else 'stable' ('undetermined' when every year of
    the data is recent: nothing earlier to compare with). An active burst alone does not
    make an item emerging; ``evidence`` says why each status was given.
    """
    counts = np.asarray(counts, dtype=float)
    totals = np.asarray(totals, dtype=float)
    years = np.asarray(years)
    labels = np.asarray(labels, dtype=object)
    occ = counts.sum(axis=1)
    keep = occ >= min_occurrences
    if not keep.any() or years.size == 0:
        return pd.DataFrame(columns=["item", "occurrences", "avg_year", "recent_documents", "earlier_documents",
                                     "recent_share", "earlier_share", "growth", "slope", "active_burst", "p_rise",
                                     "q_rise", "p_fall", "q_fall", "status", "evidence"])
    recent = years > years.max() - recent_years
    rec_tot, early_tot = totals[recent].sum(), totals[~recent].sum()
    recent_docs = counts[:, recent].sum(axis=1)
    earlier_docs = counts[:, ~recent].sum(axis=1)
    recent_share = recent_docs / max(rec_tot, 1.0)
    earlier_share = earlier_docs / max(early_tot, 1.0)
    growth = (recent_share + 1e-9) / (earlier_share + 1e-9)
    growth = np.where((earlier_share == 0) & (recent_share > 0), np.inf, growth)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals[None, :] > 0, counts / np.maximum(totals[None, :], 1), np.nan)
    x = years.astype(float)
    slope = np.full(counts.shape[0], np.nan)
    valid = totals > 0
    if valid.sum() >= 2:
        xv = x[valid] - x[valid].mean()
        slope = (share[:, valid] - np.nanmean(share[:, valid], axis=1, keepdims=True)) @ xv / (xv @ xv)
    avg_year = (counts * x[None, :]).sum(axis=1) / np.maximum(occ, 1)
    active = np.zeros(counts.shape[0], dtype=bool)
    if bursts is not None and len(bursts):
        live = set(bursts.loc[bursts["end"] >= years.max(), "item"])
        active = np.array([lab in live for lab in labels])
    p_rise, p_fall = np.ones(counts.shape[0]), np.ones(counts.shape[0])
    p_rise[keep], p_fall[keep] = _window_tests(recent_docs[keep], occ[keep], rec_tot, rec_tot + early_tot)
    q_rise, q_fall = np.ones_like(p_rise), np.ones_like(p_fall)
    q_rise[keep], q_fall[keep] = _fdr(p_rise[keep]), _fdr(p_fall[keep])
    supported_rise = supported_change(recent_docs, q_rise, min_documents, fdr)
    supported_fall = supported_change(earlier_docs, q_fall, min_documents, fdr)
    rising = supported_rise & (growth >= EMERGING_GROWTH)
    falling = supported_fall & (growth <= DECLINING_GROWTH)
    status = np.where(rising, "emerging", np.where(falling, "declining", "stable"))
    evidence = np.where(
        rising, [f"share x{g:.1f} in {int(r)} recent documents, Fisher q={q:.2g}" if np.isfinite(g)
                 else f"new in {int(r)} recent documents, Fisher q={q:.2g}" for g, r, q in zip(growth, recent_docs, q_rise)],
        np.where(falling, [f"share x{g:.2f} after {int(e)} earlier documents, Fisher q={q:.2g}"
                           for g, e, q in zip(growth, earlier_docs, q_fall)],
                 _stable_evidence(growth, recent_docs, earlier_docs, q_rise, q_fall, supported_rise & ~rising,
                                  supported_fall & ~falling, min_documents, fdr)))
    if not (~recent).any():  # every year is recent: nothing to compare with
        growth = np.full(counts.shape[0], np.nan)
        status = np.full(counts.shape[0], "undetermined")
        evidence = np.full(counts.shape[0], "every year is recent: nothing earlier to compare with")
    out = pd.DataFrame({
        "item": labels, "occurrences": occ, "avg_year": avg_year, "recent_documents": recent_docs.astype(np.int64),
        "earlier_documents": earlier_docs.astype(np.int64), "recent_share": recent_share,
        "earlier_share": earlier_share, "growth": growth, "slope": slope, "active_burst": active,
        "p_rise": p_rise, "q_rise": q_rise, "p_fall": p_fall, "q_fall": q_fall, "status": status, "evidence": evidence,
    })[keep]
    out = out.sort_values(["growth", "occurrences", "item"], ascending=[False, False, True], kind="mergesort").reset_index(drop=True)
    return out


# --- occurrence tables for any unit ------------------------------------------------------

#: Units the trend analyses accept (``terms`` are extracted from titles and abstracts).
TREND_UNITS = ("terms", "author-keywords", "index-keywords", "keywords", "references", "sources", "authors", "countries")


def reference_occurrences(corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(citing document, reference index, labels) for cited references.

    References are identified by their canonical ``reference_keys`` (DOI or parsed key)
    where one exists, else by the raw string lower-cased; the label is the first raw
    string seen for that key. Each document counts a reference once.
    """
    doc, raw = corpus.explode("references")
    raw_list = [str(x) if x is not None else "" for x in raw.to_pylist()]
    aligned = np.array_equal(corpus.list_lengths("references"), corpus.list_lengths("reference_keys"))
    keys: list[str] = []
    if aligned and doc.size:
        _, key_arr = corpus.explode("reference_keys")
        for k, r in zip(key_arr.to_pylist(), raw_list):
            keys.append(k if k else "raw:" + " ".join(r.lower().split()))
    else:
        keys = ["raw:" + " ".join(r.lower().split()) for r in raw_list]
    ok = np.array([bool(r.strip()) for r in raw_list], dtype=bool)
    if not ok.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object)
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object)[ok], sort=True)
    first_raw = pd.Series(np.asarray(raw_list, dtype=object)[ok]).groupby(codes, sort=True).first()
    labels = np.asarray([" ".join(str(x).split()) for x in first_raw.to_numpy()], dtype=object)
    doc = np.asarray(doc, dtype=np.int64)[ok]
    pairs = distinct_pairs(doc, codes)
    return pairs[:, 0], pairs[:, 1], labels


def unit_occurrences(corpus, unit: str = "terms", terms=None, **term_options) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document index, item index, labels) of ``unit`` (one of :data:`TREND_UNITS`) in ``corpus``.

    For ``terms`` a ready ``TermResult`` may be passed as ``terms``; otherwise terms are
    extracted with ``bibliomap.text.terms.extract_terms(corpus, **term_options)``.
    Keywords, sources, authors and countries use the network occurrence tables
    (labels lower-cased, one count per document).
    """
    if unit not in TREND_UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(TREND_UNITS)}")
    if unit == "terms":
        if terms is None:
            from bibliomap.text.terms import extract_terms

            terms = extract_terms(corpus, **term_options)
        occ = terms.occurrences
        return (occ["doc"].to_numpy(np.int64), occ["term"].to_numpy(np.int64), np.asarray(list(terms.labels), dtype=object))
    if unit == "references":
        return reference_occurrences(corpus)
    from bibliomap.networks.occurrences import occurrences

    o = occurrences(corpus, unit)
    return np.asarray(o.doc, np.int64), np.asarray(o.item, np.int64), np.asarray(o.labels, dtype=object)


# --- overlay scores and production per cluster --------------------------------------------


def document_citation_scores(years: np.ndarray, citations: np.ndarray) -> np.ndarray:
    """Normalized citations per document: citations / mean citations of same-year documents.

    0 when that mean is 0; NaN for documents without a year (VOSviewer's definition).
    """
    y = np.asarray(years, dtype=float)
    c = np.nan_to_num(np.asarray(citations, dtype=float), nan=0.0)
    mean = pd.Series(c).groupby(pd.Series(y)).transform("mean").to_numpy()
    out = np.divide(c, mean, out=np.zeros_like(c), where=np.nan_to_num(mean) > 0)
    out[np.isnan(y)] = np.nan
    return out


def overlay_scores(doc_index: np.ndarray, item_index: np.ndarray, doc_years: np.ndarray, citations: np.ndarray, labels: list[str] | np.ndarray) -> pd.DataFrame:
    """Per item: documents, average publication year, average citations and average normalized citations.

    The scores a map colours its items by (VOSviewer's overlay ``score<Avg. pub. year>``
    and ``score<Avg. norm. citations>``). Each (document, item) pair counts once;
    averages skip documents without a year.
    """
    labels = np.asarray(labels, dtype=object)
    n = labels.size
    years = np.asarray(doc_years, dtype=float)
    cites = np.nan_to_num(np.asarray(citations, dtype=float), nan=0.0)
    norm = document_citation_scores(years, cites)
    pairs = distinct_pairs(doc_index, item_index)
    d, i = pairs[:, 0], pairs[:, 1]
    docs = np.bincount(i, minlength=n).astype(float)
    has_y = ~np.isnan(years[d])
    n_y = np.bincount(i[has_y], minlength=n).astype(float)

    def mean(values: np.ndarray, mask: np.ndarray, count: np.ndarray) -> np.ndarray:
        s = np.bincount(i[mask], weights=values[mask], minlength=n)
        return np.divide(s, count, out=np.full(n, np.nan), where=count > 0)

    return pd.DataFrame({
        "item": labels, "documents": docs.astype(np.int64),
        "avg_pub_year": mean(years[d], has_y, n_y),
        "avg_citations": mean(cites[d], np.ones(d.size, bool), docs),
        "avg_norm_citations": mean(norm[d], has_y, n_y),
    })


def annual_production_by_cluster(document_cluster: np.ndarray, doc_years: np.ndarray) -> pd.DataFrame:
    """Documents per year per cluster (long table: year, cluster, documents); cluster 0 = unclassified.

    Every year from the first to the last appears for every cluster (zeros included),
    so the table plots as continuous lines.
    """
    cl = np.asarray(document_cluster, dtype=np.int64)
    y = np.asarray(doc_years, dtype=float)
    ok = ~np.isnan(y)
    if not ok.any():
        return pd.DataFrame(columns=["year", "cluster", "documents"])
    years = np.arange(int(y[ok].min()), int(y[ok].max()) + 1)
    clusters = np.unique(cl[ok])
    grid = pd.MultiIndex.from_product([years, clusters], names=["year", "cluster"])
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([y[ok].astype(int), cl[ok]], names=["year", "cluster"])).groupby(level=[0, 1]).sum()
    out = counts.reindex(grid, fill_value=0).rename("documents").reset_index()
    return out.astype({"year": np.int64, "cluster": np.int64, "documents": np.int64})


# --- everything at once -------------------------------------------------------------------


def trend_analysis(
    corpus,
    unit: str = "terms",
    terms=None,
    min_freq: int = 2,
    n_items_per_year: int = 5,
    gamma: float = 1.0,
    rate_ratio: float = 2.0,
    min_duration: int = 2,
    recent_years: int = 3,
    n_theme_items: int = 250,
    cuts: list[int] | None = None,
    reference_bursts: bool = True,
    seed: int = 0,
    **term_options,
) -> tuple[dict[str, pd.DataFrame], object]:
    """All trend and theme tables of ``corpus`` for one unit, plus the thematic evolution.

    Returns (tables, evolution). Table names: trend_topics, bursts, bursts_references
    (when the corpus has cited references), emerging_declining, item_scores,
    thematic_map, document_clusters, cluster_profiles, cluster_production,
    evolution_slices, evolution_themes, evolution_theme_items, evolution_links, gaps, and for terms
    stated_gaps (the gaps the abstracts state, ``bibliomap.analysis.stated_gaps``).
    Themes come from the ``n_theme_items`` most frequent items (at least ``min_freq``
    documents) clustered as a VOSviewer map; documents go to the cluster holding most
    of their items (0 = unclassified).
    """
    from bibliomap.analysis.bursts import burst_table, yearly_counts
    from bibliomap.analysis.evidence import with_cluster_documents, with_topic_documents
    from bibliomap.analysis.evolution import slice_themes, thematic_evolution
    from bibliomap.analysis.gaps import gap_candidates
    from bibliomap.analysis.thematic import classify_documents, describe_clusters

    years = corpus.values("year").astype(float)
    if np.isnan(years).all():
        raise ValueError("no document has a publication year: trends need years")
    n_docs = len(corpus)
    if unit == "terms" and terms is None:
        from bibliomap.text.terms import extract_terms

        terms = extract_terms(corpus, **term_options)
    doc, item, labels = unit_occurrences(corpus, unit, terms=terms, **term_options)
    if doc.size == 0:
        raise ValueError(f"no {unit} in the corpus: nothing to follow over time")
    tables: dict[str, pd.DataFrame] = {}
    tables["trend_topics"] = trend_topics(doc, item, years, labels, min_freq=min_freq, n_items_per_year=n_items_per_year)
    bursts = burst_table(doc, item, years, labels, gamma=gamma, s=rate_ratio, min_duration=min_duration, min_documents=min_freq)
    tables["bursts"] = bursts
    if reference_bursts and unit != "references" and (corpus.list_lengths("references") > 0).any():
        rd, ri, rl = reference_occurrences(corpus)
        tables["bursts_references"] = burst_table(rd, ri, years, rl, gamma=gamma, s=rate_ratio, min_duration=min_duration, min_documents=min_freq)
    counts, totals, yrs = yearly_counts(doc, item, years, labels.size)
    ed = emerging_and_declining(counts, totals, yrs, labels, recent_years=recent_years, min_occurrences=min_freq, bursts=bursts)
    tables["emerging_declining"] = with_topic_documents(ed, labels, doc, item, corpus, recent_years, rows=ed["status"] != "stable")
    citations = corpus.values("times_cited").astype(float)
    scores = overlay_scores(doc, item, years, citations, labels)
    tables["item_scores"] = scores[scores["documents"] >= min_freq].sort_values(["documents", "item"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    tm, theme_items = slice_themes(doc, item, labels, np.ones(n_docs, dtype=bool), min_freq=min_freq, n_items=n_theme_items, seed=seed)
    pos = {lab: k for k, lab in enumerate(labels)}
    item_cluster = np.zeros(labels.size, dtype=np.int64)
    for lab, k in zip(theme_items["item"], theme_items["cluster"]):
        item_cluster[pos[lab]] = int(k)
    cls = classify_documents(doc, item, item_cluster, n_docs)
    tables["thematic_map"] = with_cluster_documents(tm, cls, corpus, occurrences=(doc, item_cluster[item]))
    cls.insert(1, "id", corpus.values("id"))
    cls.insert(2, "title", corpus.values("title"))
    tables["document_clusters"] = cls
    profiles = describe_clusters(cls, years, citations, corpus.values("doc_type"), corpus.values("source_title"), themes=tm)
    tables["cluster_profiles"] = with_cluster_documents(profiles, cls, corpus)
    tables["cluster_production"] = annual_production_by_cluster(cls["cluster"].to_numpy(), years)
    evolution = thematic_evolution(doc, item, years, labels, cuts=cuts, min_freq=min_freq, n_items=n_theme_items, seed=seed)
    tables["evolution_slices"] = evolution.slices
    tables["evolution_themes"] = evolution.themes
    tables["evolution_theme_items"] = evolution.theme_items
    tables["evolution_links"] = evolution.links
    gaps = gap_candidates(doc, item, years, labels, item_cluster=item_cluster, recent_years=recent_years, min_occurrences=min_freq, seed=seed)
    tables["gaps"] = with_topic_documents(gaps, labels, doc, item, corpus, recent_years)
    if unit == "terms":
        from bibliomap.analysis.stated_gaps import stated_gaps

        tables["stated_gaps"] = stated_gaps(corpus, terms, dict(zip(labels, item_cluster)))
    return tables, evolution
