"""Figures of the trend and theme analyses: trend topics, bursts, thematic map, thematic evolution, production per cluster.

Each function draws one figure from a result table of ``bibliomap.analysis`` and
writes ``<stem>.png`` (300 dpi) and ``<stem>.svg`` atomically and deterministically
(through ``bibliomap.viz.charts.save_figure``); it returns the two paths. Figures use
matplotlib's object API (no pyplot state) and the cluster palette of the maps.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from bibliomap.i18n import N_, _, localize_number
from bibliomap.viz.charts import save_figure
from bibliomap.viz.theme import NO_CLUSTER_COLOR, apply_style, cluster_color

_WIDTH = 6.5
_BURST_RED = "#d62728"
_BASE_BLUE = "#1f5fa8"
_BEFORE_BLUE = "#c6d9ef"


@contextlib.contextmanager
def _figure(width: float, height: float) -> Iterator[Figure]:
    style = dict(apply_style())
    style.update({"svg.hashsalt": "bibliomap", "savefig.bbox": "tight"})
    with matplotlib.rc_context(style):
        yield Figure(figsize=(width, height))


def _short(text: object, width: int = 45) -> str:
    s = "" if text is None or (isinstance(text, float) and np.isnan(text)) else " ".join(str(text).split())
    return s if len(s) <= width else s[: width - 1] + "\u2026"


def _empty(fig: Figure, message: str) -> None:
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)


def trend_topics_chart(trends: pd.DataFrame, stem: str | Path, title: str = N_("Trend topics")) -> list[Path]:
    """bibliometrix's trend-topic plot: per shown item a line from q1 to q3 year, a bubble at the median sized by frequency."""
    t = trends[trends["shown"]] if "shown" in trends else trends
    t = t.sort_values(["year_median", "freq", "item"], ascending=[True, True, True], kind="mergesort").reset_index(drop=True)
    with _figure(_WIDTH, max(2.5, 0.22 * len(t) + 1.0)) as fig:
        if not len(t):
            _empty(fig, _("No item reaches the minimum frequency"))
        else:
            ax = fig.add_subplot()
            yy = np.arange(len(t))
            ax.hlines(yy, t["year_q1"], t["year_q3"], color="#7f9fc6", lw=1.6, zorder=1)
            f = t["freq"].to_numpy(float)
            size = 20 + 220 * (f - f.min()) / max(f.max() - f.min(), 1e-9)
            ax.scatter(t["year_median"], yy, s=size, color=_BASE_BLUE, alpha=0.8, zorder=2, edgecolors="white", linewidths=0.5)
            ax.set_yticks(yy, [_short(x, 40) for x in t["item"]])
            ax.set_xlabel(_("Year (line: 1st to 3rd quartile; bubble: median, sized by frequency)"))
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.set_ylim(-0.8, len(t) - 0.2)
            ax.set_title(_(title))
        return save_figure(fig, stem)


def burst_chart(bursts: pd.DataFrame, first_year: int, last_year: int, stem: str | Path, top: int = 25,
                title: str = N_("Items with the strongest bursts")) -> list[Path]:
    """CiteSpace's burst table as a chart: one row per burst with strength, begin, end and a year bar (red = burst years)."""
    b = bursts.head(top).reset_index(drop=True)
    years = np.arange(int(first_year), int(last_year) + 1)
    with _figure(_WIDTH + 1.5, max(2.0, 0.25 * len(b) + 1.0)) as fig:
        if not len(b):
            _empty(fig, _("No burst detected"))
            return save_figure(fig, stem)
        ax = fig.add_subplot()
        n = len(b)
        for r, row in b.iterrows():
            y = n - 1 - r
            start = int(row["first_year"]) if "first_year" in b and pd.notna(row.get("first_year")) else years[0]
            for yr in years:
                color = _BURST_RED if row["begin"] <= yr <= row["end"] else (_BASE_BLUE if yr >= start else _BEFORE_BLUE)
                ax.add_patch(Rectangle((yr - 0.5, y - 0.3), 1.0, 0.6, color=color, lw=0))
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_yticks(np.arange(n)[::-1], [_short(x, 55) for x in b["item"]])
        right = ax.secondary_yaxis("right")
        right.set_yticks(np.arange(n)[::-1], [localize_number(f"{s:.2f}") + f"  {int(a)}-{int(e)}" for s, a, e in zip(b["strength"], b["begin"], b["end"])])
        right.tick_params(length=0)
        right.spines["right"].set_visible(False)
        step = max(1, int(np.ceil(years.size / 12)))
        ax.set_xticks(years[::step])
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_title(_("{title} (strength, begin-end)").format(title=_(title)))
        return save_figure(fig, stem)


def thematic_map_chart(themes: pd.DataFrame, stem: str | Path, title: str = N_("Thematic map")) -> list[Path]:
    """The strategic diagram: rank of centrality (x) against rank of density (y), quadrant lines at the mean ranks."""
    with _figure(_WIDTH, 5.2) as fig:
        if not len(themes):
            _empty(fig, _("No themes"))
            return save_figure(fig, stem)
        ax = fig.add_subplot()
        x, y = themes["rank_centrality"].to_numpy(float), themes["rank_density"].to_numpy(float)
        f = themes["frequency"].to_numpy(float)
        size = 150 + 1500 * (f - f.min()) / max(f.max() - f.min(), 1e-9)
        colors = [cluster_color(int(k)) for k in themes["cluster"]]
        ax.scatter(x, y, s=size, c=colors, alpha=0.55, edgecolors="#444444", linewidths=0.5)
        for xi, yi, lab in zip(x, y, themes["label"]):
            ax.annotate(_short(lab, 28), (xi, yi), ha="center", va="center", fontsize=7.5)
        mx, my = x.mean(), y.mean()
        ax.axvline(mx, color="#888888", lw=0.8, ls="--")
        ax.axhline(my, color="#888888", lw=0.8, ls="--")
        pad = 1.3
        ax.set_xlim(x.min() - pad, x.max() + pad)
        ax.set_ylim(y.min() - pad, y.max() + pad)
        corner = dict(fontsize=8, color="#555555", style="italic")
        ax.text(0.99, 0.99, _("Motor themes"), transform=ax.transAxes, ha="right", va="top", **corner)
        ax.text(0.01, 0.99, _("Niche themes"), transform=ax.transAxes, ha="left", va="top", **corner)
        ax.text(0.01, 0.01, _("Emerging or declining themes"), transform=ax.transAxes, ha="left", va="bottom", **corner)
        ax.text(0.99, 0.01, _("Basic themes"), transform=ax.transAxes, ha="right", va="bottom", **corner)
        ax.set_xlabel(_("Relevance degree (rank of Callon centrality)"))
        ax.set_ylabel(_("Development degree (rank of Callon density)"))
        ax.set_title(_(title))
        return save_figure(fig, stem)


def _band(ax, x0: float, x1: float, y0a: float, y0b: float, y1a: float, y1b: float, color: str) -> None:
    """A smooth flow from [y0a, y0b] at x0 to [y1a, y1b] at x1 (cubic Bezier edges)."""
    xm = (x0 + x1) / 2
    verts = [(x0, y0a), (xm, y0a), (xm, y1a), (x1, y1a), (x1, y1b), (xm, y1b), (xm, y0b), (x0, y0b), (x0, y0a)]
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
    ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=color, alpha=0.35, lw=0))


#: The indexes a thematic-evolution flow can be weighted by, as the chart's title names them.
EVOLUTION_INDEXES = {"inclusion": N_("inclusion"), "weighted_inclusion": N_("weighted inclusion"), "stability": N_("stability")}


def evolution_chart(evolution, stem: str | Path, weight: str = "weighted_inclusion", min_weight: float = 0.1,
                    title: str = N_("Thematic evolution")) -> list[Path]:
    """Alluvial (Sankey) diagram: one column of theme blocks per slice (height = frequency), flows = ``weight`` index.

    Flows below ``min_weight`` are left out so the main continuations stay readable.
    """
    themes, links, slices = evolution.themes, evolution.links, evolution.slices
    names = list(slices["slice"])
    with _figure(_WIDTH + 1.5, 5.0) as fig:
        if not len(themes):
            _empty(fig, _("No themes in any time slice"))
            return save_figure(fig, stem)
        ax = fig.add_subplot()
        ax.axis("off")
        gap, width = 0.02, 0.09
        blocks: dict[tuple[str, int], list[float]] = {}
        xs = np.linspace(0, 1, max(len(names), 2))[: len(names)] if len(names) > 1 else np.array([0.5])
        for x, name in zip(xs, names):
            t = themes[themes["slice"] == name].sort_values(["frequency", "cluster"], ascending=[False, True], kind="mergesort")
            if not len(t):
                continue
            total = t["frequency"].sum()
            avail = 1.0 - gap * (len(t) - 1)
            top = 1.0
            for _i, r in t.iterrows():
                h = avail * r["frequency"] / total
                blocks[(name, int(r["cluster"]))] = [x, top - h, top, top, top]  # x, bottom, top, out cursor, in cursor
                ax.add_patch(Rectangle((x - width / 2, top - h), width, h, color=cluster_color(int(r["cluster"])), lw=0))
                ax.text(x + width / 2 + 0.005, top - h / 2, _short(r["label"], 30), ha="left", va="center", fontsize=7,
                        bbox=dict(facecolor="white", alpha=0.6, lw=0, pad=0.5))
                top -= h + gap
            ax.text(x, 1.04, name, ha="center", va="bottom", fontsize=9, weight="bold")
        if len(links):
            l = links[links[weight] >= min_weight].sort_values(["from_slice", "from_cluster", "to_cluster"], kind="mergesort")
            out_sum = l.groupby(["from_slice", "from_cluster"])[weight].transform("sum")
            in_sum = l.groupby(["to_slice", "to_cluster"])[weight].transform("sum")
            for (_i, r), os_, is_ in zip(l.iterrows(), out_sum, in_sum):
                a, b = blocks.get((r["from_slice"], int(r["from_cluster"]))), blocks.get((r["to_slice"], int(r["to_cluster"])))
                if a is None or b is None or r[weight] <= 0:
                    continue
                ha = (a[2] - a[1]) * r[weight] / max(os_, 1e-12)
                hb = (b[2] - b[1]) * r[weight] / max(is_, 1e-12)
                _band(ax, a[0] + width / 2, b[0] - width / 2, a[3], a[3] - ha, b[4], b[4] - hb, cluster_color(int(r["from_cluster"])))
                a[3] -= ha
                b[4] -= hb
        ax.set_xlim(-0.1, 1.25)
        ax.set_ylim(-0.02, 1.1)
        index = _(EVOLUTION_INDEXES[weight]) if weight in EVOLUTION_INDEXES else weight.replace("_", " ")
        ax.set_title(_("{title} (flows: {weight} >= {min_weight:g})").format(title=_(title), weight=index, min_weight=min_weight))
        return save_figure(fig, stem)


def cluster_production_chart(production: pd.DataFrame, stem: str | Path, labels: dict[int, str] | None = None,
                             title: str = N_("Annual production per cluster")) -> list[Path]:
    """Documents per year, one line per cluster (cluster 0, unclassified, in grey)."""
    with _figure(_WIDTH, 3.4) as fig:
        if not len(production):
            _empty(fig, _("No dated documents"))
            return save_figure(fig, stem)
        ax = fig.add_subplot()
        wide = production.pivot_table(index="year", columns="cluster", values="documents", aggfunc="sum", fill_value=0).sort_index()
        for k in wide.columns:
            k = int(k)
            name = _("unclassified") if k == 0 else f"{k}: {_short((labels or {}).get(k, ''), 25)}".rstrip(": ")
            ax.plot(wide.index, wide[k], color=NO_CLUSTER_COLOR if k == 0 else cluster_color(k), lw=1.4,
                    ls=":" if k == 0 else "-", label=name, marker="o", ms=2.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(_("Year"))
        ax.set_ylabel(_("Documents"))
        ax.legend(loc="upper left", ncols=2 if wide.shape[1] > 6 else 1, fontsize=7)
        ax.set_title(_(title))
        return save_figure(fig, stem)
