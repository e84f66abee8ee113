"""The look shared by every figure: VOSviewer's cluster palette, fonts and a matplotlib style.

Static plots and the HTML viewer take their colours from here, so a cluster has the same
colour in a PNG, in the browser and in VOSviewer itself (ANCHORS 1.8).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from bibliomap.io.vosviewer import CLUSTER_PALETTE, NO_CLUSTER_COLOR, cluster_color, default_weight_column
from bibliomap.mapping.density import DensityGrid

__all__ = [
    "CLUSTER_PALETTE", "NO_CLUSTER_COLOR", "cluster_color", "cluster_colors_rgb", "hex_to_rgb",
    "FONT_FAMILY", "STYLE", "DEFAULT_SCORE_CMAP", "DPI", "apply_style", "default_weight_column",
    "default_score_column", "item_density_rgba", "cluster_density_rgba",
]

FONT_FAMILY = ["Open Sans", "DejaVu Sans", "Arial", "sans-serif"]
DEFAULT_SCORE_CMAP = "viridis"
DPI = 300
TEXT_COLOR = "#222222"

STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.labelsize": 9,
    "axes.edgecolor": "#666666",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": None,  # set in apply_style (cycler)
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "text.color": TEXT_COLOR,
}


def apply_style() -> dict[str, Any]:
    """The rcParams for bibliomap figures (use with ``matplotlib.rc_context``)."""
    from cycler import cycler

    style = dict(STYLE)
    style["axes.prop_cycle"] = cycler(color=list(CLUSTER_PALETTE))
    return style


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """'#rrggbb' -> floats in [0, 1]."""
    c = color.lstrip("#")
    return tuple(int(c[i:i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


def cluster_colors_rgb(clusters: np.ndarray) -> np.ndarray:
    """(n, 3) RGB floats for an array of cluster numbers (0 = no cluster, grey)."""
    clusters = np.asarray(clusters, dtype=np.int64)
    table = np.array([hex_to_rgb(NO_CLUSTER_COLOR)] + [hex_to_rgb(c) for c in CLUSTER_PALETTE])
    idx = np.where(clusters > 0, (clusters - 1) % len(CLUSTER_PALETTE) + 1, 0)
    return table[idx]


def default_score_column(columns: list[str]) -> str | None:
    """The overlay score by default: average publication year if present, else the first score."""
    scores = [c for c in columns if c.startswith("score<")]
    for c in scores:
        if "pub. year" in c.lower() or "year" in c.lower():
            return c
    return scores[0] if scores else None


def item_density_rgba(grid: DensityGrid, cmap: str = "viridis") -> np.ndarray:
    """Colour image (rows from the lowest y up) of an item density, scaled by its maximum."""
    from matplotlib import colormaps

    v = grid.values
    top = v.max()
    return colormaps[cmap](v / top if top > 0 else v)


def cluster_density_rgba(grid: DensityGrid, background: str = "black") -> np.ndarray:
    """Cluster colours mixed by each cluster's density, fading into the background where density is low."""
    layers = grid.values
    ny, nx = (layers.shape[1:] if layers.ndim == 3 else (len(grid.ys), len(grid.xs)))
    if layers.shape[0] == 0:
        rgb = np.zeros((ny, nx, 3)) if background == "black" else np.ones((ny, nx, 3))
        return np.dstack([rgb, np.ones((ny, nx))])
    colors = cluster_colors_rgb(grid.clusters)
    total = layers.sum(axis=0)
    mix = np.einsum("kyx,kc->yxc", layers, colors) / np.where(total > 0, total, 1)[..., None]
    top = total.max()
    strength = 1 - np.exp(-3.0 * total / top) if top > 0 else total
    strength = strength / strength.max() if strength.max() > 0 else strength
    bg = np.zeros(3) if background == "black" else np.ones(3)
    rgb = bg + (mix - bg) * strength[..., None]
    return np.dstack([rgb, np.ones((ny, nx))])
