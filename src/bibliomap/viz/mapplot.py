"""Static map figures as VOSviewer draws them: network, overlay and density views.

Circles are sized by weight and coloured by cluster (or by a score in the overlay view),
the strongest links are drawn straight or curved, and labels follow VOSviewer's
label-scaling rule at zoom 1, so none overlaps a heavier one. Everything is drawn with
collections (one artist for all circles, one for all links), so a 10,000-item map renders
in seconds. Output: PNG at 300 dpi, SVG or PDF by the file's suffix.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from bibliomap.atomic import atomic_path
from bibliomap.mapping.density import DEFAULT_KERNEL_WIDTH, cluster_density, item_density
from bibliomap.networks.network import Network
from bibliomap.viz import labels as lab
from bibliomap.viz import theme
from bibliomap.viz.theme import cluster_density_rgba, item_density_rgba

VIEWS = ("network", "overlay", "density")
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
FIGURE_WIDTH_IN = 10.0
CURVE_SEGMENTS = 12
CURVATURE = 0.2
DENSITY_GRID = 300  # cells along the longer side
UPSAMPLE = 3  # density grid -> image pixels (bilinear) before drawing


def strongest_links(network: Network, max_links: int = 1000, min_strength: float = 0.0) -> np.ndarray:
    """Row positions of the strongest links (at most ``max_links``), strongest first, ties by position."""
    s = network.links["strength"].to_numpy(float)
    idx = np.flatnonzero(s > min_strength)
    order = idx[np.lexsort((idx, -s[idx]))]
    return order[: max(int(max_links), 0)]


def curve_points(p0: np.ndarray, p1: np.ndarray, segments: int = CURVE_SEGMENTS, curvature: float = CURVATURE) -> np.ndarray:
    """(m, segments+1, 2) polylines of quadratic Bezier arcs bending to the same side of each link."""
    mid = (p0 + p1) / 2
    d = p1 - p0
    control = mid + curvature * np.column_stack([d[:, 1], -d[:, 0]])
    t = np.linspace(0, 1, segments + 1)[None, :, None]
    a, c, b = p0[:, None, :], control[:, None, :], p1[:, None, :]
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * c + t ** 2 * b


def _limits(x: np.ndarray, y: np.ndarray, pad_fraction: float = 0.06) -> tuple[float, float, float, float]:
    if len(x) == 0:
        return -1.0, 1.0, -1.0, 1.0
    x0, x1, y0, y1 = float(np.min(x)), float(np.max(x)), float(np.min(y)), float(np.max(y))
    span = max(x1 - x0, y1 - y0)
    pad = pad_fraction * span if span > 1e-12 else 0.5  # one item (or all at one spot): a unit square around it
    return x0 - pad, x1 + pad, y0 - pad, y1 + pad


def _weights(network: Network, weight: str | None) -> np.ndarray | None:
    col = weight or theme.default_weight_column(list(network.items.columns))
    if col is None:
        return None
    if col not in network.items and f"weight<{col}>" in network.items:
        col = f"weight<{col}>"
    if col not in network.items:
        raise ValueError(f"no weight column {col!r}; the map has {network.weight_columns() or 'no weight columns'}")
    return network.items[col].to_numpy(float)


def plot_map(map_: Network, view: str = "network", *, score: str | None = None, weight: str | None = None, cmap: str = theme.DEFAULT_SCORE_CMAP,
             vmin: float | None = None, vmax: float | None = None, max_links: int = 1000, min_link_strength: float = 0.0, curved: bool = True,
             kernel_width: float = DEFAULT_KERNEL_WIDTH, density: str = "item", labels: bool = True, scale: float = 1.0, max_label_length: int = lab.MAX_LABEL_LENGTH,
             title: str | None = None, figure_width: float = FIGURE_WIDTH_IN) -> Figure:
    """A matplotlib Figure of the map in the given view (``network``, ``overlay`` or ``density``)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: expected one of {', '.join(VIEWS)}")
    if density not in ("item", "cluster"):
        raise ValueError(f"unknown density {density!r}: expected 'item' or 'cluster'")
    items = map_.items
    n = len(items)
    x = items["x"].to_numpy(float) if "x" in items else np.zeros(n)
    y = items["y"].to_numpy(float) if "y" in items else np.zeros(n)
    cluster = items["cluster"].to_numpy(np.int64) if "cluster" in items else np.zeros(n, np.int64)
    require_coordinates(items, x, y)
    w = _weights(map_, weight)
    diameter, font = lab.item_sizes(w, n, scale)
    x0, x1, y0, y1 = _limits(x, y)
    aspect = (y1 - y0) / (x1 - x0)
    height = float(np.clip(figure_width * aspect, 0.3 * figure_width, 1.4 * figure_width))
    dark = view == "density" and density == "cluster"
    with matplotlib.rc_context(theme.apply_style()):
        fig = Figure(figsize=(figure_width, height))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal", adjustable="box")
        fig.patch.set_facecolor("black" if dark else "white")
        # points per data unit once the equal aspect is applied
        ppu = min(figure_width * 72 / (x1 - x0), height * 72 / (y1 - y0))
        if view == "density":
            _draw_density(ax, x, y, cluster, w, kernel_width, density, cmap)
        else:
            colors, sm, score_column = _item_colors(map_, view, cluster, score, cmap, vmin, vmax)
            _draw_links(ax, map_, x, y, colors, view, max_links, min_link_strength, curved, scale)
            order = lab.weight_order(w, n)[::-1]  # light first, heavy on top
            ax.scatter(x[order], y[order], s=diameter[order] ** 2, c=colors[order], linewidths=0, alpha=0.9, zorder=2)
            if sm is not None:
                cax = fig.add_axes((0.70, 0.035, 0.26, 0.016))
                cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
                cb.locator = MaxNLocator(4)
                cb.formatter = ScalarFormatter(useOffset=False)
                cb.update_ticks()
                cb.ax.xaxis.set_label_position("top")
                cb.set_label(score_name(score_column), fontsize=8)
                cb.ax.tick_params(labelsize=7)
        if labels and n:
            _draw_labels(ax, items["label"].astype(str).tolist(), x, y, w, font, ppu, x0, y0, max_label_length, "white" if dark else theme.TEXT_COLOR)
        if title:
            fig.text(0.01, 0.99, title, ha="left", va="top", fontsize=11, color="white" if dark else theme.TEXT_COLOR)
    return fig


def require_coordinates(items, x: np.ndarray, y: np.ndarray) -> None:
    """Refuse to draw items without a layout (no x/y columns, or missing values)."""
    if "x" not in items or "y" not in items:
        raise ValueError("the network has no coordinates (x, y): make a map (layout) first")
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError(f"{int(bad.sum())} item(s) have no x/y coordinates, e.g. id {items['id'].iloc[k]} ({items['label'].iloc[k]!r}); lay the map out first")


def score_name(column: str) -> str:
    """'score<Avg. pub. year>' -> 'Avg. pub. year'."""
    return column[6:-1] if column.startswith("score<") and column.endswith(">") else column


def _item_colors(map_: Network, view: str, cluster: np.ndarray, score: str | None, cmap: str, vmin, vmax):
    if view == "network":
        return theme.cluster_colors_rgb(cluster), None, None
    col = score or theme.default_score_column(list(map_.items.columns))
    if col is None:
        raise ValueError("the overlay view needs a score column (score<...>); the map has none")
    if col not in map_.items and f"score<{col}>" in map_.items:
        col = f"score<{col}>"
    if col not in map_.items:
        raise ValueError(f"no score column {col!r}; the map has {map_.score_columns() or 'no score columns'}")
    values = map_.items[col].to_numpy(float)
    finite = values[np.isfinite(values)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    norm = Normalize(lo, hi, clip=True)  # VOSviewer clamps scores outside the range
    colormap = matplotlib.colormaps[cmap]
    rgba = colormap(norm(np.where(np.isfinite(values), values, lo)))[:, :3]
    rgba[~np.isfinite(values)] = theme.hex_to_rgb(theme.NO_CLUSTER_COLOR)
    sm = ScalarMappable(norm=norm, cmap=colormap)
    return rgba, sm, col


def _draw_links(ax, map_: Network, x, y, colors, view, max_links, min_strength, curved, scale) -> None:
    chosen = strongest_links(map_, max_links, min_strength)
    if chosen.size == 0:
        return
    s = map_.links["source"].to_numpy(np.int64)[chosen]
    t = map_.links["target"].to_numpy(np.int64)[chosen]
    p0 = np.column_stack([x[s], y[s]])
    p1 = np.column_stack([x[t], y[t]])
    segs = curve_points(p0, p1) if curved else np.stack([p0, p1], axis=1)
    widths = lab.link_widths(map_.links["strength"].to_numpy(float)[chosen], scale)
    if view == "network":
        rgba = np.column_stack([colors[s], np.full(len(s), 0.45)])
    else:
        rgba = np.tile([0.55, 0.55, 0.55, 0.35], (len(s), 1))
    order = np.arange(len(s))[::-1]  # strongest on top
    ax.add_collection(LineCollection(segs[order], colors=rgba[order], linewidths=widths[order], zorder=1, capstyle="round"))


def _draw_density(ax, x, y, cluster, w, kernel_width, density, cmap) -> None:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    cell = max(x1 - x0, y1 - y0) / (DENSITY_GRID - 1)
    frame = (np.arange(x0, x1 + cell, cell), np.arange(y0, y1 + cell, cell))  # only the visible frame
    if density == "item":
        grid = item_density(x, y, w, kernel_width, grid=frame)
        img = item_density_rgba(grid, cmap)
    else:
        grid = cluster_density(x, y, cluster, w, kernel_width, grid=frame)
        img = cluster_density_rgba(grid)
    # smooth the grid ourselves (bilinear, 2.5x) and let matplotlib place it without resampling cost
    from scipy.ndimage import zoom

    img = zoom((np.clip(img, 0, 1) * 255).round().astype(np.uint8), (UPSAMPLE, UPSAMPLE, 1), order=1)
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    ax.imshow(img, origin="lower", extent=grid.extent, interpolation="none", zorder=0)  # vector files embed it unresampled
    ax.set_xlim(*xlim)  # the grid reaches beyond the items; keep the map's own frame
    ax.set_ylim(*ylim)


def _draw_labels(ax, texts, x, y, w, font, ppu, x0, y0, max_length, color) -> None:
    n = len(texts)
    shown_text = [lab.shorten(t, max_length) for t in texts]
    px = (x - x0) * ppu
    py = (y - y0) * ppu
    widths = lab.text_widths(shown_text, font)
    factors = lab.label_scaling_factors(px, py, widths, font, lab.weight_order(w, n))
    (fx0, fx1) = ax.get_xlim()
    for i in np.flatnonzero(factors <= 1.0):
        half = 0.5 * widths[i] / ppu
        tx = min(max(x[i], fx0 + half), fx1 - half) if fx1 - fx0 > 2 * half else x[i]  # keep labels inside the frame
        ax.text(tx, y[i], shown_text[i], fontsize=font[i], ha="center", va="center", color=color, zorder=3, clip_on=True)


def _save_options(fig: Figure, fmt: str, dpi: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The savefig options and matplotlib settings of a map figure in ``fmt``."""
    meta: dict[str, Any] = {"png": {"Software": "bibliomap"}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    extra: dict[str, Any] = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    options = {"format": fmt, "dpi": dpi, "facecolor": fig.get_facecolor(), "metadata": meta, **extra}
    return options, {"svg.hashsalt": "bibliomap", "svg.fonttype": "none", "pdf.fonttype": 42}


def save_figure(fig: Figure, path: str | Path, dpi: int = theme.DPI) -> Path:
    """Save atomically as PNG (``dpi`` recorded in the file), SVG or PDF, by suffix."""
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ValueError(f"{p}: unsupported figure format {p.suffix!r}: expected .png, .svg or .pdf")
    options, rc = _save_options(fig, fmt, dpi)
    with atomic_path(p) as tmp, matplotlib.rc_context(rc):
        fig.savefig(tmp, **options)
    return p


def plot_map_file(map_: Network, path: str | Path, view: str = "network", **options: Any) -> Path:
    """Draw ``map_`` in ``view`` and save it to ``path`` (PNG 300 dpi, SVG or PDF)."""
    fig = plot_map(map_, view, **options)
    return save_figure(fig, path)


def map_figure(map_: Network, stem: str | Path, view: str = "network", figure_width: float = 7.0, **options: Any) -> list[Path]:
    """The map in ``view`` for a report: ``stem.png`` (300 dpi) and the vector formats the study asks for
    (:func:`bibliomap.viz.charts.figure_formats`); in the density view those hold the density as an
    image under the labels as text. Inside :func:`bibliomap.viz.deferred.deferring` the vector files
    are queued and written later from the same figure; the paths are returned all the same."""
    from bibliomap.viz.charts import current_formats
    from bibliomap.viz.deferred import later_figure

    fig = plot_map(map_, view, figure_width=figure_width, **options)
    paths = []
    for ext in current_formats():
        target = Path(stem).with_suffix(f".{ext}")
        if ext == "png" or not later_figure(target, fig, *_save_options(fig, ext, theme.DPI)):
            save_figure(fig, target)
        paths.append(target)
    return paths
