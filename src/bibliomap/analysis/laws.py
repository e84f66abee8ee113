"""Productivity laws: Lotka (author productivity) and Bradford (scattering over sources).

Both follow bibliometrix's ``lotka`` and ``bradford`` (ANCHORS.md section 3.4): Lotka fits
log10(share of authors) = log10 C - beta log10(documents) by OLS and compares the observed
distribution with the theoretical beta = 2 one and with the fitted one by two-sample
Kolmogorov-Smirnov tests; Bradford splits the sources, sorted by documents, into three zones
of about a third of the documents each.
"""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from bibliomap.analysis._columns import statistics_frame
from bibliomap.analysis._items import _author_items, _scalar_items


@dataclasses.dataclass
class LotkaResult:
    """Lotka's law fit: the productivity table, beta, C, R^2 and the KS comparisons."""

    table: pd.DataFrame  # Documents written, N. of Authors, Proportion of Authors, Theoretical, Fitted
    beta: float | None
    c: float | None
    r_squared: float | None
    ks_theoretical: tuple[float, float] | None  # (statistic, p-value) vs beta = 2
    ks_fitted: tuple[float, float] | None  # (statistic, p-value) vs the fitted curve

    def summary(self) -> pd.DataFrame:
        """The fit as a two-column table for CSV/XLSX."""
        rows = [
            ("Beta", self.beta),
            ("C", self.c),
            ("R2", self.r_squared),
            ("KS statistic vs theoretical (beta=2)", self.ks_theoretical[0] if self.ks_theoretical else None),
            ("KS p-value vs theoretical (beta=2)", self.ks_theoretical[1] if self.ks_theoretical else None),
            ("KS statistic vs fitted", self.ks_fitted[0] if self.ks_fitted else None),
            ("KS p-value vs fitted", self.ks_fitted[1] if self.ks_fitted else None),
        ]
        return statistics_frame(rows)


def lotka_from_counts(documents_per_author: np.ndarray) -> LotkaResult:
    """Lotka's law from each author's number of documents.

    Table: x = documents written, N. of Authors with exactly x documents, Proportion =
    N / total authors; OLS of log10(Proportion) on log10(x) gives beta = -slope,
    C = 10^intercept and R^2. Theoretical = x^-2 and Fitted = C x^-beta, each normalized to
    sum 1 over the observed x. KS: scipy.stats.ks_2samp(Proportion, Theoretical) and
    (Proportion, Fitted), as bibliometrix compares the two frequency vectors.
    """
    counts = np.asarray(documents_per_author, dtype=np.int64)
    counts = counts[counts > 0]
    x, n_auth = np.unique(counts, return_counts=True)
    prop = n_auth / n_auth.sum() if n_auth.size else n_auth.astype(float)
    theoretical = 1.0 / x.astype(float) ** 2
    theoretical = theoretical / theoretical.sum() if x.size else theoretical
    beta = c = r2 = None
    fitted = np.full(x.shape, np.nan)
    ks_t = ks_f = None
    if x.size >= 2:
        fit = stats.linregress(np.log10(x), np.log10(prop))
        beta, c, r2 = float(-fit.slope), float(10**fit.intercept), float(fit.rvalue**2)
        fitted = c / x.astype(float) ** beta
        fitted = fitted / fitted.sum()
        ks_f = _ks(prop, fitted)
    if x.size >= 1:
        ks_t = _ks(prop, theoretical)
    table = pd.DataFrame(
        {
            "Documents written": x,
            "N. of Authors": n_auth,
            "Proportion of Authors": prop,
            "Theoretical (beta=2)": theoretical,
            "Fitted": fitted,
        }
    )
    return LotkaResult(table, beta, c, r2, ks_t, ks_f)


def _ks(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Two-sample KS (statistic, p-value); scipy falls back to the asymptotic p-value on ties."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.ks_2samp(a, b)
    return float(res.statistic), float(res.pvalue)


def lotka(corpus) -> LotkaResult:
    """Lotka's law on the corpus authors (distinct names, full counting)."""
    _, codes, labels = _author_items(corpus)
    per_author = np.bincount(codes, minlength=len(labels)) if codes.size else np.zeros(0, np.int64)
    return lotka_from_counts(per_author)


@dataclasses.dataclass
class BradfordResult:
    """Bradford's zones: the per-source table, the zone summary and the multiplier."""

    table: pd.DataFrame  # Rank, Source, Articles, cumFreq, Zone
    zones: pd.DataFrame  # Zone, N. sources, % sources, N. articles, % articles
    multiplier: float | None  # k = (n2/n1 + n3/n2) / 2
    fit_a: float | None  # cumulative articles ~ a + b ln(rank), OLS
    fit_b: float | None

    def summary(self) -> pd.DataFrame:
        rows = [("Bradford multiplier", self.multiplier), ("Fit a", self.fit_a), ("Fit b", self.fit_b)]
        return statistics_frame(rows)


def bradford_from_counts(sources: list[str] | np.ndarray, articles: np.ndarray) -> BradfordResult:
    """Bradford zones from documents per source.

    Sources are sorted by documents (descending, then name); with cumFreq the running total
    and N the documents, zone 1 holds the first ``sum(cumFreq <= N/3) + 1`` sources, zone 2
    runs to ``sum(cumFreq <= 2N/3) + 1``, zone 3 holds the rest (bibliometrix's rule). The
    multiplier is k = (n2/n1 + n3/n2) / 2 over the source counts per zone.
    """
    df = pd.DataFrame({"Source": np.asarray(sources, dtype=object), "Articles": np.asarray(articles, dtype=np.int64)})
    df = df[df["Articles"] > 0].sort_values(["Articles", "Source"], ascending=[False, True], kind="mergesort")
    df = df.reset_index(drop=True)
    n_sources = len(df)
    cum = df["Articles"].cumsum().to_numpy()
    total = int(cum[-1]) if n_sources else 0
    end1 = min(n_sources, int(np.count_nonzero(cum <= total / 3)) + 1)
    end2 = max(end1, min(n_sources, int(np.count_nonzero(cum <= 2 * total / 3)) + 1))
    zone = np.full(n_sources, 3, dtype=np.int64)
    zone[:end2] = 2
    zone[:end1] = 1
    df.insert(0, "Rank", np.arange(1, n_sources + 1))
    df["cumFreq"] = cum
    df["Zone"] = [f"Zone {z}" for z in zone]
    n_src = np.array([np.count_nonzero(zone == z) for z in (1, 2, 3)])
    n_art = np.array([int(df["Articles"].to_numpy()[zone == z].sum()) for z in (1, 2, 3)])
    zones = pd.DataFrame(
        {
            "Zone": ["Zone 1", "Zone 2", "Zone 3"],
            "N. sources": n_src,
            "% sources": 100.0 * n_src / max(n_sources, 1),
            "N. articles": n_art,
            "% articles": 100.0 * n_art / max(total, 1),
        }
    )
    multiplier = None
    if n_src[0] > 0 and n_src[1] > 0:
        multiplier = float((n_src[1] / n_src[0] + n_src[2] / n_src[1]) / 2)
    fit_a = fit_b = None
    if n_sources >= 2:
        b, a = np.polyfit(np.log(df["Rank"].to_numpy(dtype=float)), cum.astype(float), 1)
        fit_a, fit_b = float(a), float(b)
    return BradfordResult(df, zones, multiplier, fit_a, fit_b)


def bradford(corpus) -> BradfordResult:
    """Bradford's law on the corpus sources (source titles, case-insensitive)."""
    _, codes, labels = _scalar_items(corpus, "source_title")
    counts = np.bincount(codes, minlength=len(labels)) if codes.size else np.zeros(len(labels), np.int64)
    return bradford_from_counts(labels, counts)
