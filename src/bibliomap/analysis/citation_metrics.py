"""Publish or Perish citation metrics for a set of papers (a Corpus or plain arrays).

Definitions follow the Publish or Perish help ("Metrics", harzing.com/pophelp/metrics.htm) and
the conventions verified against real PoP 8.2 reports (ANCHORS.md section 4.1):

* reference year ``Y_q``: the PoP ``QueryDate`` year when the data came from PoP, else the
  query year the caller gives, else today's year (``reference_year`` forces a value);
* citation years = ``Y_q - min(y_i)`` (at least 1, so that the per-year rates are defined);
* paper age ``age_i = max(1, Y_q - y_i)`` for AWCR, AWCRpA, ACC and hA (no +1);
* hc-index age ``Y_q - y_i + 1`` (at least 1) with gamma = 4 and delta = 1;
* author count ``a_i`` = PoP ``AuthorCount`` (``n_authors``) when given, else the number of
  listed authors, at least 1; truncated author lists make every per-author figure an upper
  bound, which the result flags (``author_counts_truncated``).

Everything is vectorized with numpy: one sort per index, no per-paper Python loop.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Keys of :func:`pop_metrics` that the issue fixes (stable, snake_case), in display order.
METRIC_KEYS: tuple[str, ...] = (
    "papers", "citations", "citation_years", "cites_per_year", "cites_per_paper", "cites_per_author",
    "cites_per_author_per_year", "papers_per_author", "authors_per_paper", "h_index", "g_index",
    "e_index", "hc_index", "hi_index", "hi_norm", "hi_annual", "hm_index", "ha_index", "awcr",
    "aw_index", "awcrpa", "acc1", "acc2", "acc5", "acc10", "acc20", "hirsch_a", "hirsch_m",
    "contemporary_ac", "publication_year_min", "publication_year_max",
)

#: Metrics that divide by author counts: upper bounds when author lists were truncated.
AUTHOR_BASED_KEYS: tuple[str, ...] = (
    "cites_per_author", "cites_per_author_per_year", "papers_per_author", "authors_per_paper",
    "hi_index", "hi_norm", "hi_annual", "hm_index", "awcrpa",
)

#: Thresholds of the "papers with ACC >= n" counts.
ACC_THRESHOLDS: tuple[int, ...] = (1, 2, 5, 10, 20)

#: Contemporary h-index parameters (Sidiropoulos et al. 2007; PoP's values).
HC_GAMMA = 4.0
HC_DELTA = 1.0


@dataclasses.dataclass(frozen=True)
class PaperData:
    """Per-paper inputs of the metrics: citations, years (NaN = unknown), author counts."""

    citations: np.ndarray  # float64, >= 0 (null citation counts become 0)
    years: np.ndarray  # float64, NaN where the year is unknown
    authors: np.ndarray  # int64 author count a_i >= 1
    truncated: np.ndarray  # bool: the author list was truncated (count is a lower bound)
    without_authors: int = 0  # papers whose author count was missing (counted as 1)
    query_year: int | None = None  # year of the PoP QueryDate found in the data, if any

    def __len__(self) -> int:
        return int(self.citations.shape[0])


def _query_date_year(column: pa.ChunkedArray) -> int | None:
    """Latest year among ISO ``query_date`` strings (PoP QueryDate), None when there is none."""
    years = pc.utf8_slice_codeunits(pc.fill_null(column, ""), 0, 4)
    valid = pc.match_substring_regex(years, r"^\d{4}$")
    picked = pc.filter(years, valid)
    if len(picked) == 0:
        return None
    return int(pc.max(pc.cast(picked, pa.int32())).as_py())


def paper_data(data: Any) -> PaperData:
    """Per-paper arrays from a Corpus, a :class:`PaperData`, or a mapping of arrays.

    A mapping needs ``citations`` and ``years`` and may give ``n_authors`` (default 1),
    ``truncated`` (default False) and ``query_year``.
    """
    if isinstance(data, PaperData):
        return data
    if isinstance(data, Mapping):
        cites = np.nan_to_num(np.asarray(data["citations"], dtype=float), nan=0.0)
        n = cites.shape[0]
        years = np.asarray(data.get("years", np.full(n, np.nan)), dtype=float)
        raw_authors = np.asarray(data.get("n_authors", np.ones(n)), dtype=float)
        truncated = np.asarray(data.get("truncated", np.zeros(n, bool)), dtype=bool)
        missing = ~(raw_authors >= 1)
        authors = np.where(missing, 1, np.nan_to_num(raw_authors, nan=1.0)).astype(np.int64)
        return PaperData(cites, years, authors, truncated, int(missing.sum()), data.get("query_year"))
    # a Corpus (duck-typed to avoid importing the corpus layer's heavy parts here)
    cites = np.nan_to_num(data.values("times_cited"), nan=0.0)
    years = data.values("year")
    counted = data.values("n_authors")
    listed = data.list_lengths("authors").astype(float)
    raw = np.where(np.isnan(counted) | (counted < 1), listed, counted)
    missing = raw < 1
    authors = np.where(missing, 1, raw).astype(np.int64)
    truncated = np.asarray(pc.fill_null(data.column("authors_truncated"), False).to_numpy(zero_copy_only=False), dtype=bool)
    return PaperData(cites, years, authors, truncated, int(missing.sum()), _query_date_year(data.column("query_date")))


def resolve_reference_year(
    data_query_year: int | None, query_year: int | None = None, today: _dt.date | None = None
) -> tuple[int, str]:
    """The reference year and where it came from: 'query_date', 'query_year' or 'today'."""
    if data_query_year is not None:
        return int(data_query_year), "query_date"
    if query_year is not None:
        return int(query_year), "query_year"
    return (today or _dt.date.today()).year, "today"


# -- index primitives -----------------------------------------------------------------------


def h_index(values: np.ndarray) -> int:
    """Largest h such that h values are >= h (Hirsch 2005); works on real-valued scores too."""
    s = np.sort(np.asarray(values, dtype=float))[::-1]
    return int(np.count_nonzero(s >= np.arange(1, s.shape[0] + 1)))


def g_index(citations: np.ndarray) -> int:
    """Largest g <= N whose top-g citations sum to at least g^2 (Egghe 2006; capped at N as PoP)."""
    s = np.sort(np.asarray(citations, dtype=float))[::-1]
    ranks = np.arange(1, s.shape[0] + 1, dtype=float)
    # the top-g mean falls while g grows, so the qualifying g form a prefix
    return int(np.count_nonzero(np.cumsum(s) >= ranks**2))


def _mode(values: np.ndarray) -> float | None:
    """Most frequent value (the smallest one when several tie); None for no values."""
    if values.shape[0] == 0:
        return None
    uniq, counts = np.unique(values, return_counts=True)
    return _num(uniq[int(np.argmax(counts))])


def _num(x: Any) -> float | int | None:
    """A JSON-friendly Python number: ints stay ints, NaN/inf become None."""
    if x is None:
        return None
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _div(a: float, b: float) -> float | None:
    return None if not b else a / b


# -- the metric set ----------------------------------------------------------------------------


def pop_metrics(
    data: Any,
    query_year: int | None = None,
    *,
    reference_year: int | None = None,
    today: _dt.date | None = None,
) -> dict[str, Any]:
    """The Publish or Perish metric set for ``data`` (a Corpus, PaperData or mapping of arrays).

    ``query_year`` is used when the data carry no PoP QueryDate; ``reference_year`` overrides
    both. Returns a dict with every key of :data:`METRIC_KEYS` plus extras: reference_year
    (and its source), publication_years, cites_per_paper_median/mode,
    authors_per_paper_median/mode, h_core_citation_share, papers_without_year,
    papers_without_authors, author_counts_truncated and truncated_author_metrics.
    Undefined values (e.g. Hirsch a when h = 0) are None.

    Definitions (c_i citations, a_i authors, y_i year, c_(1) >= c_(2) >= ...; PoP help):

    * papers N; citations C = sum c_i; citation_years = Y_q - min y_i (floored at 1);
    * cites_per_year = C / citation_years; cites_per_paper = C / N (median, mode too);
    * cites_per_author = sum c_i / a_i; cites_per_author_per_year = that / citation_years;
    * papers_per_author = sum 1 / a_i; authors_per_paper = sum a_i / N (median, mode too);
    * h_index = max{h : c_(h) >= h} (Hirsch 2005), with the h-core's share of C;
    * hirsch_a = C / h^2 and hirsch_m = h / citation_years (Hirsch 2005);
    * g_index = max{g <= N : sum_{i<=g} c_(i) >= g^2} (Egghe 2006);
    * e_index = sqrt(sum_{i<=h} c_(i) - h^2) (Zhang 2009);
    * hc_index = h-index of S_i = 4 c_i / (Y_q - y_i + 1); contemporary_ac = sum S_i / hc^2
      (Sidiropoulos, Katsaros & Manolopoulos 2007);
    * hi_index = h^2 / (authors of the h-core papers) (Batista et al. 2006); the h-core is the
      top h papers by citations, ties kept in input order;
    * hi_norm = h-index of round_half_up(c_i / a_i); hi_annual = hi_norm / citation_years
      (Harzing, Alakangas & Adams 2014);
    * hm_index = max{r_eff(r) : c_(r) >= r_eff(r)}, r_eff(r) = sum_{r'<=r} 1/a_(r')
      (Schreiber 2008);
    * awcr = sum c_i / age_i with age_i = max(1, Y_q - y_i); aw_index = sqrt(awcr);
      awcrpa = sum c_i / (age_i a_i) (Jin 2007, PoP's all-papers variant);
    * accN = #{i : c_i / age_i >= N} for N in 1, 2, 5, 10, 20 (PoP);
    * ha_index = h-index of the annual citation rates c_i / age_i (Fassin; matches PoP 8.2).

    Papers without a year count in every metric except the age-based ones (hc, ac, AWCR,
    AW, AWCRpA, ACC, hA).
    """
    p = paper_data(data)
    if reference_year is not None:
        ref, ref_source = int(reference_year), "reference_year"
    else:
        ref, ref_source = resolve_reference_year(p.query_year, query_year, today)

    n = len(p)
    c = p.citations
    a = p.authors.astype(float)
    has_year = ~np.isnan(p.years)
    known_years = p.years[has_year]
    total = float(c.sum())

    y_min = float(known_years.min()) if known_years.size else None
    y_max = float(known_years.max()) if known_years.size else None
    cit_years = max(1, int(ref - y_min)) if y_min is not None else None

    # h-core in citation order; a stable sort keeps input order among equal citations
    order = np.argsort(-c, kind="stable")
    c_sorted = c[order]
    a_sorted = a[order]
    h = int(np.count_nonzero(c_sorted >= np.arange(1, n + 1)))
    h_core_cites = float(c_sorted[:h].sum())
    h_core_authors = float(a_sorted[:h].sum())

    r_eff = np.cumsum(1.0 / a_sorted)
    hm_ok = c_sorted >= r_eff
    hm = float(r_eff[hm_ok].max()) if hm_ok.any() else 0.0

    # PoP's CitesPerAuthor column: c_i / a_i rounded half up (integer arithmetic, exact)
    c_int = np.rint(c).astype(np.int64)
    norm = (2 * c_int + p.authors) // (2 * p.authors)
    hi_norm = h_index(norm)

    y = p.years[has_year]
    cy = c[has_year]
    ay = a[has_year]
    age = np.maximum(1.0, ref - y)
    acc = cy / age
    awcr = float(acc.sum())
    awcrpa = float((acc / ay).sum())
    contemporary = HC_GAMMA * cy / np.maximum(1.0, ref - y + 1.0) ** HC_DELTA
    hc = h_index(contemporary)

    per_author = float((c / a).sum())
    out: dict[str, Any] = {
        "papers": n,
        "citations": _num(total),
        "citation_years": cit_years,
        "cites_per_year": _div(total, cit_years or 0),
        "cites_per_paper": _div(total, n),
        "cites_per_author": per_author,
        "cites_per_author_per_year": _div(per_author, cit_years or 0),
        "papers_per_author": float((1.0 / a).sum()),
        "authors_per_paper": _div(float(a.sum()), n),
        "h_index": h,
        "g_index": g_index(c),
        "e_index": math.sqrt(max(0.0, h_core_cites - h * h)),
        "hc_index": hc,
        "hi_index": _div(float(h * h), h_core_authors),
        "hi_norm": hi_norm,
        "hi_annual": _div(float(hi_norm), cit_years or 0),
        "hm_index": hm,
        "ha_index": h_index(acc),
        "awcr": awcr,
        "aw_index": math.sqrt(awcr),
        "awcrpa": awcrpa,
    }
    for t in ACC_THRESHOLDS:
        out[f"acc{t}"] = int(np.count_nonzero(acc >= t))
    out.update(
        {
            "hirsch_a": _div(total, float(h * h)),
            "hirsch_m": _div(float(h), cit_years or 0),
            "contemporary_ac": _div(float(contemporary.sum()), float(hc * hc)),
            "publication_year_min": _num(y_min),
            "publication_year_max": _num(y_max),
            # extras
            "publication_years": f"{int(y_min)}-{int(y_max)}" if y_min is not None else None,
            "reference_year": ref,
            "reference_year_source": ref_source,
            "cites_per_paper_median": _num(np.median(c)) if n else None,
            "cites_per_paper_mode": _mode(c),
            "authors_per_paper_median": _num(np.median(a)) if n else None,
            "authors_per_paper_mode": _mode(a),
            "h_core_citation_share": _div(h_core_cites, total),
            "papers_without_year": int(n - has_year.sum()),
            "papers_without_authors": int(p.without_authors),
            "author_counts_truncated": int(p.truncated.sum()),
        }
    )
    out["truncated_author_metrics"] = list(AUTHOR_BASED_KEYS) if out["author_counts_truncated"] else []
    return {k: (_num(v) if isinstance(v, (float, np.floating, np.integer)) else v) for k, v in out.items()}


#: Human labels for the metrics table (PoP's wording).
LABELS: dict[str, str] = {
    "publication_years": "Publication years",
    "citation_years": "Citation years",
    "papers": "Papers",
    "citations": "Citations",
    "cites_per_year": "Cites/year",
    "cites_per_paper": "Cites/paper",
    "cites_per_paper_median": "Cites/paper (median)",
    "cites_per_paper_mode": "Cites/paper (mode)",
    "cites_per_author": "Cites/author",
    "cites_per_author_per_year": "Cites/author/year",
    "papers_per_author": "Papers/author",
    "authors_per_paper": "Authors/paper",
    "authors_per_paper_median": "Authors/paper (median)",
    "authors_per_paper_mode": "Authors/paper (mode)",
    "h_index": "h-index",
    "h_core_citation_share": "h-core share of citations",
    "g_index": "g-index",
    "e_index": "e-index",
    "hc_index": "hc-index",
    "hi_index": "hI-index",
    "hi_norm": "hI,norm",
    "hi_annual": "hI,annual",
    "hm_index": "hm-index",
    "ha_index": "hA-index",
    "awcr": "AWCR",
    "aw_index": "AW-index",
    "awcrpa": "AWCRpA",
    "acc1": "Papers with ACC >= 1",
    "acc2": "Papers with ACC >= 2",
    "acc5": "Papers with ACC >= 5",
    "acc10": "Papers with ACC >= 10",
    "acc20": "Papers with ACC >= 20",
    "hirsch_a": "Hirsch a",
    "hirsch_m": "Hirsch m",
    "contemporary_ac": "Contemporary ac",
    "reference_year": "Reference year",
    "author_counts_truncated": "Papers with truncated author lists",
}


def metrics_table(metrics: Mapping[str, Any]):
    """The metrics as a two-column DataFrame (Metric, Value) in PoP's order, for CSV/XLSX."""
    from bibliomap.analysis._columns import statistics_frame

    rows = [(LABELS[k], metrics.get(k)) for k in LABELS if k in metrics]
    return statistics_frame(rows, ("Metric", "Value"))
