"""VOSviewer's sizes and label-scaling rule: against a brute-force reading of the definition."""
from __future__ import annotations

import numpy as np

from bibliomap.viz import labels as lab


def _brute(px, py, width, height, weights):
    n = len(px)
    order = lab.weight_order(weights, n)
    factors = np.zeros(n)
    for r, i in enumerate(order):
        best = 0.0
        for j in order[:r]:
            dx, dy = abs(px[i] - px[j]), abs(py[i] - py[j])
            fx = 0.5 * (width[i] + width[j] + 2) / dx if dx else np.inf
            fy = 0.5 * (height[i] + height[j] + 2) / dy if dy else np.inf
            f = min(fx, fy)
            f = 1e9 if np.isinf(f) else f
            if f > 1 and f > factors[j] and f > best:
                best = f
        factors[i] = best
    return factors


def _case(n, seed):
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, n) + 1
    _, font = lab.item_sizes(weights, n)
    width = lab.text_widths([f"label {'x' * int(k)}" for k in rng.integers(0, 20, n)], font)
    return rng.uniform(0, 900, n), rng.uniform(0, 700, n), width, font, weights


def test_factors_match_the_definition():
    for seed, n in ((1, 250), (2, 500)):
        px, py, width, font, weights = _case(n, seed)
        got = lab.label_scaling_factors(px, py, width, font, lab.weight_order(weights, n))
        np.testing.assert_allclose(got, _brute(px, py, width, font, weights))


def test_shown_labels_never_overlap_and_heaviest_is_shown():
    px, py, width, font, weights = _case(800, 3)
    n = len(px)
    factors = lab.label_scaling_factors(px, py, width, font, lab.weight_order(weights, n))
    assert factors[np.argmax(weights)] == 0
    for zoom in (1.0, 2.5, 6.0):
        shown = np.flatnonzero(factors <= zoom)
        assert 0 < len(shown) <= n
        x, y = px[shown] * zoom, py[shown] * zoom
        overlap_x = np.abs(x[:, None] - x[None]) < 0.5 * (width[shown][:, None] + width[shown][None] + 2)
        overlap_y = np.abs(y[:, None] - y[None]) < 0.5 * (font[shown][:, None] + font[shown][None] + 2)
        both = overlap_x & overlap_y
        np.fill_diagonal(both, False)
        assert not both.any()
    assert (factors <= 6.0).sum() > (factors <= 1.0).sum()  # zooming in reveals more labels


def test_sizes_follow_vosviewer():
    diameter, font = lab.item_sizes(np.array([0.0, 1.0, 4.0, 7.0]), 4)  # mean 3
    np.testing.assert_allclose(diameter, [5.0, np.maximum(16 * (1 / 3) ** 0.5, 5), 16 * (4 / 3) ** 0.5, 16 * (7 / 3) ** 0.5])
    np.testing.assert_allclose(font, 9 + 4 * (np.array([0, 1, 4, 7]) / 3) ** 0.5)
    np.testing.assert_allclose(lab.link_widths(np.array([1.0, 4.0])), [np.maximum(1.5 * 0.4 ** 0.5, 0.1), 1.5 * 1.6 ** 0.5])
    assert lab.shorten("x" * 40) == "x" * 29 + "\u2026" and lab.shorten("short") == "short"
