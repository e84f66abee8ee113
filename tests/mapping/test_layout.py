"""VOS layout: objective and rescaling, standardization, Barnes-Hut accuracy, planted structure."""
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import minimize_scalar

from bibliomap.mapping import layout
from bibliomap.mapping.barnes_hut import all_pairs_field, exact_field
from bibliomap.mapping.layout import mean_pairwise_distance, standardize_layout
from bibliomap.mapping.quality import layout_quality
from bibliomap.networks.normalize import normalize

from _nets import planted_two_communities


def _direct_parts(coords, matrix, w, a, b, eps):
    """A and B of the VOS objective by plain numpy over all pairs (independent of the code)."""
    d = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1))
    iu = np.triu_indices(len(coords), 1)
    dense = matrix.toarray()
    pot = (lambda x, e: np.log(x) if e == 0 else x ** e / e)
    A = (dense[iu] * pot(d[iu], a)).sum() + eps * pot(d[iu], a).sum()
    B = (np.outer(w, w)[iu] * pot(d[iu], b)).sum()
    return A, B


@pytest.mark.parametrize("a,b,eps", [(2.0, 1.0, 0.0), (2.0, 0.0, 0.01), (1.0, 0.0, 0.0), (2.0, -1.0, 0.0)])
def test_objective_and_optimal_rescaling_match_direct_computation(a, b, eps):
    net, _ = planted_two_communities()
    norm = normalize(net, "linlog" if b == -1.0 else "association")
    rng = np.random.default_rng(3)
    coords = rng.normal(size=(net.n_items, 2))
    q = layout_quality(coords, norm.matrix, norm.node_weights, attraction=a, repulsion=b, edge_weight_increment=eps)
    A, B = _direct_parts(coords, norm.matrix, norm.node_weights, a, b, eps)
    assert q.V == pytest.approx(A - B, rel=1e-10)
    # V* is the minimum of V over uniform rescalings s
    def v_of(log_s):
        A_s, B_s = _direct_parts(coords * np.exp(log_s), norm.matrix, norm.node_weights, a, b, eps)
        return A_s - B_s
    best = minimize_scalar(v_of, bounds=(-8, 8), method="bounded", options={"xatol": 1e-10})
    assert q.V_star == pytest.approx(best.fun, rel=1e-7)
    assert q.V_star <= q.V + 1e-9


def test_standardization_properties():
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(400, 2)) @ np.array([[0.3, 2.0], [1.5, -0.2]]) + [5.0, -3.0]
    raw[:40] += [9.0, 4.0]  # skew so medians differ from means
    c = standardize_layout(raw)
    assert np.allclose(c.mean(axis=0), 0.0, atol=1e-12)
    assert mean_pairwise_distance(c) == pytest.approx(1.0, rel=1e-12)
    assert np.median(c[:, 0]) <= 0 and np.median(c[:, 1]) <= 0
    assert c[:, 0].var() >= c[:, 1].var()
    assert abs(np.cov(c.T)[0, 1]) < 1e-10  # principal axes
    # distances are preserved up to one scale factor
    d_raw = np.linalg.norm(raw[1:] - raw[:-1], axis=1)
    d_std = np.linalg.norm(c[1:] - c[:-1], axis=1)
    assert np.allclose(d_std / d_raw, d_std[0] / d_raw[0])


def test_barnes_hut_field_close_to_exact():
    rng = np.random.default_rng(5)
    coords = np.vstack([rng.normal(size=(1500, 2)), rng.normal(loc=4, scale=0.3, size=(1500, 2))])
    weights = rng.uniform(0.5, 2.0, size=3000)
    out_bh = [np.empty(3000) for _ in range(3)]
    out_ex = [np.empty(3000) for _ in range(3)]
    # (attraction, repulsion, epsilon, bound on the median and 99th percentile relative error)
    for a, b, eps, med, q99 in [(2.0, 1.0, 0.0, 0.01, 0.05), (2.0, 0.0, 0.01, 0.02, 0.2)]:
        all_pairs_field(coords, weights, a, b, eps, 0.9, 8, *out_bh)
        exact_field(coords, weights, a, b, eps, *out_ex)
        g_bh = np.column_stack(out_bh[:2])
        g_ex = np.column_stack(out_ex[:2])
        rel = np.linalg.norm(g_bh - g_ex, axis=1) / np.linalg.norm(g_ex, axis=1)
        assert np.median(rel) < med and np.quantile(rel, 0.99) < q99
        # monopole energies underestimate the convex repulsion slightly; only step control uses them
        assert out_bh[2].sum() == pytest.approx(out_ex[2].sum(), rel=1e-2)


def test_layout_separates_planted_communities_and_is_deterministic():
    net, truth = planted_two_communities()
    first = layout(net, seed=7)
    again = layout(net, seed=7)
    other = layout(net, seed=8)
    assert first.method == "exact" and first.converged
    assert np.array_equal(first.coords, again.coords)
    assert not np.array_equal(first.coords, other.coords)
    c = first.coords
    d = np.linalg.norm(c[:, None] - c[None], axis=-1)
    same = truth[:, None] == truth[None]
    off_diag = ~np.eye(len(c), dtype=bool)
    assert d[same & off_diag].mean() < 0.5 * d[~same].mean()
    # every item is nearer to its own community's centre than to the other one
    centres = np.array([c[truth == g].mean(axis=0) for g in (0, 1)])
    nearest = np.argmin(np.linalg.norm(c[:, None] - centres[None], axis=-1), axis=1)
    assert np.array_equal(nearest, truth)
    assert mean_pairwise_distance(c) == pytest.approx(1.0)


def test_barnes_hut_layout_reaches_exact_quality():
    net, _ = planted_two_communities(size=60, seed=3)
    exact = layout(net, method="exact", seed=1)
    bh = layout(net, method="barnes_hut", seed=1)
    assert bh.method == "barnes_hut"
    assert bh.V_star == pytest.approx(exact.V_star, rel=0.01)


def test_disconnected_network_gets_epsilon_and_bad_parameters_fail():
    net, _ = planted_two_communities()
    m = net.adjacency().tolil()
    m[:15, 15:] = 0
    m[15:, :15] = 0
    res = layout(sp.csr_matrix(m))
    assert res.parameters["edge_weight_increment"] == 0.01
    assert np.isfinite(res.coords).all()
    with pytest.raises(ValueError, match="attraction"):
        layout(net, attraction=1, repulsion=1)
    with pytest.raises(ValueError, match="layout method"):
        layout(net, method="fft")


def test_network_without_links_is_laid_out():
    import pandas as pd

    from bibliomap.networks import Network
    net = Network(pd.DataFrame({"id": [1, 2, 3, 4]}), pd.DataFrame({"source": [], "target": [], "strength": []}))
    res = layout(net)
    assert res.coords.shape == (4, 2) and np.isfinite(res.coords).all()
    assert res.parameters["edge_weight_increment"] == 0.01
