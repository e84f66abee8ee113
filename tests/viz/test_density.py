"""Item and cluster density (ANCHORS 1.8): against the direct formula, peaks, cluster colours."""
from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist

from bibliomap.mapping.density import cluster_density, item_density, mean_distance
from bibliomap.viz.theme import cluster_density_rgba, hex_to_rgb


def _direct(xs, ys, x, y, w, h):
    gx, gy = np.meshgrid(xs, ys)
    d2 = (gx[..., None] - x) ** 2 + (gy[..., None] - y) ** 2
    return (w * np.exp(-d2 / h ** 2)).sum(axis=-1)


def test_single_item_peaks_at_its_position():
    g = item_density([0.3], [-0.7], [2.0])
    row, col = np.unravel_index(np.argmax(g.values), g.values.shape)
    cell = g.xs[1] - g.xs[0]
    assert abs(g.xs[col] - 0.3) <= cell and abs(g.ys[row] + 0.7) <= cell
    assert abs(g.values.max() - 2.0) < 0.01  # weight times K(0) = 1


def test_matches_the_direct_formula():
    rng = np.random.default_rng(4)
    x, y, w = rng.normal(size=40), rng.normal(size=40), rng.uniform(1, 5, 40)
    g = item_density(x, y, w, kernel_width=0.3, size=200)
    dbar = pdist(np.column_stack([x, y])).mean()
    assert abs(g.bandwidth - 0.3 * dbar) < 1e-12
    exact = _direct(g.xs, g.ys, x, y, w, g.bandwidth)
    assert np.abs(g.values - exact).max() < 0.01 * exact.max()


def test_kernel_width_and_weights_matter():
    x, y = np.array([0.0, 1.0]), np.array([0.0, 0.0])
    narrow = item_density(x, y, [1, 1], kernel_width=0.2)
    wide = item_density(x, y, [1, 1], kernel_width=1.0)
    mid_n = narrow.values[np.argmin(np.abs(narrow.ys)), np.argmin(np.abs(narrow.xs - 0.5))]
    mid_w = wide.values[np.argmin(np.abs(wide.ys)), np.argmin(np.abs(wide.xs - 0.5))]
    assert mid_n < 0.01 < mid_w  # a valley between the items only with the narrow kernel
    heavy = item_density(x, y, [5, 1], kernel_width=0.2)
    left = heavy.values[np.argmin(np.abs(heavy.ys)), np.argmin(np.abs(heavy.xs))]
    right = heavy.values[np.argmin(np.abs(heavy.ys)), np.argmin(np.abs(heavy.xs - 1))]
    assert left > 4 * right


def test_mean_distance_sampled_for_large_maps():
    rng = np.random.default_rng(0)
    xy = rng.normal(size=(5000, 2))
    exact = pdist(xy[:3000]).mean()
    assert abs(mean_distance(xy) - exact) / exact < 0.03
    assert mean_distance(xy) == mean_distance(xy)  # deterministic


def test_cluster_density_separates_colours():
    x = np.array([-1.0, -1.1, 1.0, 1.1])
    y = np.zeros(4)
    g = cluster_density(x, y, [1, 1, 2, 0], kernel_width=0.2)
    assert g.clusters.tolist() == [1, 2]
    row = np.argmin(np.abs(g.ys))
    left, right = np.argmin(np.abs(g.xs + 1.05)), np.argmin(np.abs(g.xs - 1.0))
    assert g.values[0, row, left] > 100 * g.values[1, row, left]
    assert g.values[1, row, right] > 100 * g.values[0, row, right]
    rgb = cluster_density_rgba(g)[..., :3]
    red, green = np.array(hex_to_rgb("#d62728")), np.array(hex_to_rgb("#2ca02c"))
    # colour at each peak points towards its cluster colour; far away it fades to black
    for pixel, colour in ((rgb[row, left], red), (rgb[row, right], green)):
        assert np.dot(pixel, colour) / (np.linalg.norm(pixel) * np.linalg.norm(colour)) > 0.99
    assert rgb[0, 0].max() < 0.05
