"""VOSviewer's item sizes and label-scaling rule (ANCHORS 1.8), shared by plots and viewer.

Items are ranked by weight (heaviest first). Item i gets a label scaling factor
F_i = max over heavier j with f_ij > F_j of f_ij, where
f_ij = min(0.5 (w_i + w_j + 2) / |dx|, 0.5 (h_i + h_j + 2) / |dy|) in screen pixels at zoom 1
(w = text width, h = font size). A label is drawn when zoom >= F_i, so labels never
overlap a visible heavier label and the heaviest label is always shown. The viewer's
JavaScript implements the same rule with measured text widths.
"""
from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

MAX_LABEL_LENGTH = 30
SIZE_VARIATION = 0.5
CHAR_WIDTH = 0.58  # average glyph advance of a sans-serif font, as a fraction of the font size


def normalized_weights(weights: np.ndarray | None, n: int) -> np.ndarray:
    """weight / mean(weight); all ones when there is no weight (or all are zero)."""
    if weights is None:
        return np.ones(n)
    w = np.nan_to_num(np.asarray(weights, dtype=float), nan=0.0).clip(min=0)
    mean = w.mean() if w.size else 0.0
    return w / mean if mean > 0 else np.ones(n)


def item_sizes(weights: np.ndarray | None, n: int, scale: float = 1.0, variation: float = SIZE_VARIATION) -> tuple[np.ndarray, np.ndarray]:
    """(circle diameter, label font size) in pixels, as VOSviewer sizes them."""
    wn = normalized_weights(weights, n) ** variation
    diameter = scale * np.maximum(16.0 * wn, 5.0)
    font = scale * 9.0 + 4.0 * wn
    return diameter, font


def link_widths(strength: np.ndarray, scale: float = 1.0, variation: float = SIZE_VARIATION) -> np.ndarray:
    """Line widths in pixels for the drawn links (strength relative to their mean)."""
    s = np.asarray(strength, dtype=float)
    if s.size == 0:
        return s
    rel = s / s.mean() if s.mean() > 0 else np.ones_like(s)
    return scale * np.maximum(1.5 * rel ** variation, 0.1)


def shorten(label: str, max_length: int = MAX_LABEL_LENGTH) -> str:
    """A label cut to ``max_length`` characters with an ellipsis, as VOSviewer shows it."""
    label = str(label)
    return label if len(label) <= max_length else label[: max_length - 1].rstrip() + "\u2026"


def text_widths(labels: list[str], font: np.ndarray) -> np.ndarray:
    """Estimated text widths in pixels (no font rendering; good for 10,000 labels at once)."""
    lengths = np.fromiter((len(s) for s in labels), dtype=float, count=len(labels))
    return CHAR_WIDTH * np.asarray(font, dtype=float) * lengths


def weight_order(weights: np.ndarray | None, n: int) -> np.ndarray:
    """Item positions by weight descending (ties by position, so the order is deterministic)."""
    if weights is None:
        return np.arange(n)
    w = np.nan_to_num(np.asarray(weights, dtype=float), nan=0.0)
    return np.lexsort((np.arange(n), -w))


def _candidate_pairs(px, py, width, height, min_zoom: float) -> np.ndarray:
    """Pairs (i < j) whose label boxes can overlap at zoom ``min_zoom`` (a superset).

    f_ij > z needs |dx| < (w_i + w_j + 2) / 2z and |dy| < (h_i + h_j + 2) / 2z. Most labels are
    small: pairs of small labels come from one k-d tree query with the small-label box; the
    few large labels (top 5% by width or font) query their own, wider boxes.
    """
    n = len(px)
    big = (width > np.percentile(width, 95)) | (height > np.percentile(height, 95))
    small = np.flatnonzero(~big)
    chunks = []
    if len(small) > 1:
        hw = (width[small].max() + 1) / min_zoom
        hh = (height[small].max() + 1) / min_zoom
        local = cKDTree(np.column_stack([px[small] / hw, py[small] / hh])).query_pairs(1.0, p=np.inf, output_type="ndarray")
        chunks.append(small[local])
    large = np.flatnonzero(big)
    if len(large):
        ratio = (height.max() + 1) / (width.max() + 1)
        tree = cKDTree(np.column_stack([px, py / ratio]))
        rx = (width[large] + width.max() + 2) / (2 * min_zoom)
        ry = (height[large] + height.max() + 2) / (2 * min_zoom) / ratio
        found = tree.query_ball_point(np.column_stack([px[large], py[large] / ratio]), np.maximum(rx, ry), p=np.inf, return_sorted=False)
        counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(large))
        a = np.repeat(large, counts)
        b = np.fromiter((j for f in found for j in f), dtype=np.int64, count=int(counts.sum()))
        chunks.append(np.column_stack([np.minimum(a, b), np.maximum(a, b)])[a != b])
    if not chunks:
        return np.zeros((0, 2), np.int64)
    pairs = np.concatenate(chunks).astype(np.int64)
    key = np.sort(pairs[:, 0] * n + pairs[:, 1])  # sort + diff: np.unique's hash path is slow here
    if key.size:
        key = key[np.r_[True, key[1:] != key[:-1]]]
    return np.column_stack([key // n, key % n])


def label_scaling_factors(px: np.ndarray, py: np.ndarray, width: np.ndarray, height: np.ndarray, order: np.ndarray, min_zoom: float = 1.0) -> np.ndarray:
    """F_i for every item (screen coordinates at zoom 1, pixels); 0 means always visible.

    Only pairs whose factor exceeds ``min_zoom`` matter for zooms >= ``min_zoom``; a k-d
    tree finds those, so the cost is near-linear in the number of items.
    """
    n = len(px)
    factors = np.zeros(n)
    if n < 2:
        return factors
    px = np.asarray(px, float)
    py = np.asarray(py, float)
    width = np.asarray(width, float)
    height = np.asarray(height, float)
    pairs = _candidate_pairs(px, py, width, height, min_zoom)
    if len(pairs) == 0:
        return factors
    a, b = pairs[:, 0], pairs[:, 1]
    dx = np.abs(px[a] - px[b])
    dy = np.abs(py[a] - py[b])
    with np.errstate(divide="ignore"):
        fx = np.where(dx > 0, 0.5 * (width[a] + width[b] + 2) / np.where(dx > 0, dx, 1), np.inf)
        fy = np.where(dy > 0, 0.5 * (height[a] + height[b] + 2) / np.where(dy > 0, dy, 1), np.inf)
    f = np.minimum(fx, fy)
    f = np.where(np.isinf(f), 1e9, f)  # two labels at the same spot: the lighter one practically never shows
    keep = f > min_zoom
    a, b, f = a[keep], b[keep], f[keep]
    rank = np.empty(n, np.int64)
    rank[np.asarray(order)] = np.arange(n)
    heavy = np.where(rank[a] < rank[b], a, b)
    light = np.where(rank[a] < rank[b], b, a)
    srt = np.argsort(rank[light], kind="stable")
    heavy, light, f = heavy[srt], light[srt], f[srt]
    starts = np.flatnonzero(np.r_[True, light[1:] != light[:-1]])
    ends = np.r_[starts[1:], len(light)]
    for s, e in zip(starts.tolist(), ends.tolist()):
        fs = f[s:e]
        ok = fs > factors[heavy[s:e]]
        if ok.any():
            factors[light[s]] = fs[ok].max()
    return factors
