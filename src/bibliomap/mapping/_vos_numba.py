"""Numba kernels of the VOS layout optimizer (gradient descent with adaptive step size).

``improve_exact`` is the sequential all-pairs optimizer of networkanalysis'
``GradientDescentVOSLayoutAlgorithm``: each iteration visits the nodes in a fixed random
permutation and moves each one by ``step`` against its unit-normalized gradient; the
quality is accumulated during the sweep and drives the step-size control.

``sweep_with_field`` is the same sweep for large maps, where the all-pairs part of the
gradient (repulsion, plus the epsilon attraction between all pairs) was computed for all
nodes at the start of the iteration by the Barnes-Hut tree (``barnes_hut.py``) and only the
link attraction is evaluated on the current coordinates.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from bibliomap.mapping._kernels import grad_factor, potential


@njit(cache=True)
def improve_exact(coords, indptr, indices, data, node_w, alpha, beta, eps, perm,
                  max_iter, step, min_step, reduction, required):
    """Run the exact optimizer in place; returns (iterations, final quality V, final step)."""
    n = coords.shape[0]
    quality = np.inf
    n_improvements = 0
    it = 0
    while it < max_iter and step >= min_step:
        old_quality = quality
        quality = 0.0
        for jj in range(n):
            k = perm[jj]
            xk = coords[k, 0]
            yk = coords[k, 1]
            g1 = 0.0
            g2 = 0.0
            for p in range(indptr[k], indptr[k + 1]):
                l = indices[p]
                dx = xk - coords[l, 0]
                dy = yk - coords[l, 1]
                d2 = dx * dx + dy * dy
                if d2 > 0.0:
                    b = data[p] * grad_factor(d2, alpha)
                    g1 += b * dx
                    g2 += b * dy
                    quality += data[p] * potential(d2, alpha)
            wk = node_w[k]
            for l in range(n):
                if l == k:
                    continue
                dx = xk - coords[l, 0]
                dy = yk - coords[l, 1]
                d2 = dx * dx + dy * dy
                if d2 <= 0.0:
                    continue
                if eps > 0.0:
                    b = eps * grad_factor(d2, alpha)
                    g1 += b * dx
                    g2 += b * dy
                    quality += eps * potential(d2, alpha)
                ww = wk * node_w[l]
                if ww != 0.0:
                    b = ww * grad_factor(d2, beta)
                    g1 -= b * dx
                    g2 -= b * dy
                    quality -= ww * potential(d2, beta)
            length = math.sqrt(g1 * g1 + g2 * g2)
            if length > 0.0:
                coords[k, 0] = xk - step * g1 / length
                coords[k, 1] = yk - step * g2 / length
        if quality < old_quality:
            n_improvements += 1
            if n_improvements >= required:
                step /= reduction
                n_improvements = 0
        else:
            step *= reduction
            n_improvements = 0
        it += 1
    return it, quality / 2.0, step


@njit(cache=True)
def sweep_with_field(coords, indptr, indices, data, alpha, perm, field_x, field_y, field_energy, step):
    """One sequential sweep using a precomputed all-pairs gradient field; returns the quality.

    ``field_x/y`` hold each node's all-pairs gradient and ``field_energy`` its all-pairs
    energy (both computed at the start of the iteration); link attraction uses the current
    coordinates, as in the exact optimizer. The returned quality counts each pair twice.
    """
    quality = 0.0
    for jj in range(perm.shape[0]):
        k = perm[jj]
        xk = coords[k, 0]
        yk = coords[k, 1]
        g1 = field_x[k]
        g2 = field_y[k]
        quality += field_energy[k]
        for p in range(indptr[k], indptr[k + 1]):
            l = indices[p]
            dx = xk - coords[l, 0]
            dy = yk - coords[l, 1]
            d2 = dx * dx + dy * dy
            if d2 > 0.0:
                b = data[p] * grad_factor(d2, alpha)
                g1 += b * dx
                g2 += b * dy
                quality += data[p] * potential(d2, alpha)
        length = math.sqrt(g1 * g1 + g2 * g2)
        if length > 0.0:
            coords[k, 0] = xk - step * g1 / length
            coords[k, 1] = yk - step * g2 / length
    return quality
