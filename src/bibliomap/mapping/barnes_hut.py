"""Barnes-Hut quadtree for the all-pairs part of the VOS layout gradient (large maps).

The all-pairs terms of V are the repulsion -sum_{i<j} w_i w_j d^beta/beta and, for
networks with several components, the epsilon attraction eps sum_{i<j} d^alpha/alpha.
For a node far from a cell (cell width / distance to the cell's centre of mass < theta)
the cell's points are replaced by their total weight at their weighted centre of mass;
cells holding at most ``leaf_size`` points are otherwise summed exactly. With alpha == 2
the epsilon term is computed exactly in closed form (it only needs sums of coordinates).

``all_pairs_field`` returns, for every node, the gradient of those terms and their energy
(each pair seen from both ends), computed in parallel over nodes.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from bibliomap.mapping._kernels import grad_factor, potential

MAX_DEPTH = 48


@njit(cache=True)
def _grow(a, size):
    out = np.empty(size, a.dtype)
    out[: a.shape[0]] = a
    return out


@njit(cache=True)
def build_tree(coords, weights, leaf_size):
    """Quadtree over ``coords``; returns the cell arrays and the point order.

    Cells: centre (cx, cy), half width, weighted mass and centre of mass (mass, mx, my),
    unweighted count and centroid (cnt, ux, uy), point range [start, end) in ``order``
    and first child / number of children (child = -1 for a leaf).
    """
    n = coords.shape[0]
    order = np.arange(n)
    buf = np.empty(n, np.int64)
    cap = max(16, 4 * (n // max(leaf_size, 1) + 1))
    cx = np.empty(cap)
    cy = np.empty(cap)
    half = np.empty(cap)
    mass = np.empty(cap)
    mx = np.empty(cap)
    my = np.empty(cap)
    cnt = np.empty(cap)
    ux = np.empty(cap)
    uy = np.empty(cap)
    start = np.empty(cap, np.int64)
    end = np.empty(cap, np.int64)
    child = np.empty(cap, np.int64)
    nchild = np.empty(cap, np.int64)
    depth = np.empty(cap, np.int64)

    xmin = coords[:, 0].min()
    xmax = coords[:, 0].max()
    ymin = coords[:, 1].min()
    ymax = coords[:, 1].max()
    h = max(xmax - xmin, ymax - ymin) / 2.0
    h = h * (1.0 + 1e-9) + 1e-12
    cx[0] = (xmin + xmax) / 2.0
    cy[0] = (ymin + ymax) / 2.0
    half[0] = h
    start[0] = 0
    end[0] = n
    depth[0] = 0
    ncells = 1
    i = 0
    while i < ncells:
        s = start[i]
        e = end[i]
        m = 0.0
        sx = 0.0
        sy = 0.0
        px = 0.0
        py = 0.0
        for q in range(s, e):
            p = order[q]
            wp = weights[p]
            m += wp
            sx += wp * coords[p, 0]
            sy += wp * coords[p, 1]
            px += coords[p, 0]
            py += coords[p, 1]
        c = e - s
        mass[i] = m
        cnt[i] = c
        ux[i] = px / c
        uy[i] = py / c
        if m > 0.0:
            mx[i] = sx / m
            my[i] = sy / m
        else:
            mx[i] = ux[i]
            my[i] = uy[i]
        child[i] = -1
        nchild[i] = 0
        if c > leaf_size and depth[i] < MAX_DEPTH:
            counts = np.zeros(4, np.int64)
            for q in range(s, e):
                p = order[q]
                quad = (1 if coords[p, 0] >= cx[i] else 0) + (2 if coords[p, 1] >= cy[i] else 0)
                counts[quad] += 1
            offs = np.zeros(4, np.int64)
            acc = s
            for quad in range(4):
                offs[quad] = acc
                acc += counts[quad]
            pos = offs.copy()
            for q in range(s, e):
                p = order[q]
                quad = (1 if coords[p, 0] >= cx[i] else 0) + (2 if coords[p, 1] >= cy[i] else 0)
                buf[pos[quad]] = p
                pos[quad] += 1
            for q in range(s, e):
                order[q] = buf[q]
            if ncells + 4 > cap:
                cap = 2 * cap
                cx = _grow(cx, cap)
                cy = _grow(cy, cap)
                half = _grow(half, cap)
                mass = _grow(mass, cap)
                mx = _grow(mx, cap)
                my = _grow(my, cap)
                cnt = _grow(cnt, cap)
                ux = _grow(ux, cap)
                uy = _grow(uy, cap)
                start = _grow(start, cap)
                end = _grow(end, cap)
                child = _grow(child, cap)
                nchild = _grow(nchild, cap)
                depth = _grow(depth, cap)
            child[i] = ncells
            hh = half[i] / 2.0
            for quad in range(4):
                if counts[quad] == 0:
                    continue
                j = ncells
                cx[j] = cx[i] + (hh if (quad & 1) else -hh)
                cy[j] = cy[i] + (hh if (quad & 2) else -hh)
                half[j] = hh
                start[j] = offs[quad]
                end[j] = offs[quad] + counts[quad]
                depth[j] = depth[i] + 1
                ncells += 1
            nchild[i] = ncells - child[i]
        i += 1
    return (cx[:ncells], cy[:ncells], half[:ncells], mass[:ncells], mx[:ncells], my[:ncells],
            cnt[:ncells], ux[:ncells], uy[:ncells], start[:ncells], end[:ncells],
            child[:ncells], nchild[:ncells], order)


@njit(cache=True, parallel=True)
def all_pairs_field(coords, weights, alpha, beta, eps, theta, leaf_size, out_x, out_y, out_energy):
    """Fill the all-pairs gradient (out_x, out_y) and energy of every node (Barnes-Hut)."""
    n = coords.shape[0]
    (cx, cy, half, mass, mx, my, cnt, ux, uy, start, end, child, nchild, order) = build_tree(coords, weights, leaf_size)
    theta2 = theta * theta
    # closed form of the epsilon term when alpha == 2: sum_l (x_k - x_l) and sum_l |x_k - x_l|^2 / 2
    sx = coords[:, 0].sum()
    sy = coords[:, 1].sum()
    sxx = (coords[:, 0] ** 2).sum() + (coords[:, 1] ** 2).sum()
    eps_closed = eps > 0.0 and alpha == 2.0
    eps_tree = eps > 0.0 and alpha != 2.0
    # points in tree order: leaves read contiguous memory and neighbouring tasks share paths
    sx_ = np.empty(n)
    sy_ = np.empty(n)
    sw_ = np.empty(n)
    for q in range(n):
        sx_[q] = coords[order[q], 0]
        sy_[q] = coords[order[q], 1]
        sw_[q] = weights[order[q]]
    for kk in prange(n):
        k = order[kk]
        px = coords[k, 0]
        py = coords[k, 1]
        wk = weights[k]
        gx = 0.0
        gy = 0.0
        en = 0.0
        stack = np.empty(4 * MAX_DEPTH + 8, np.int64)
        top = 0
        stack[0] = 0
        top = 1
        while top > 0:
            top -= 1
            c = stack[top]
            inside = abs(px - cx[c]) <= half[c] and abs(py - cy[c]) <= half[c]
            size2 = 4.0 * half[c] * half[c]
            dx = px - mx[c]
            dy = py - my[c]
            d2 = dx * dx + dy * dy
            if (not inside) and d2 > 0.0 and size2 < theta2 * d2:
                if wk != 0.0 and mass[c] != 0.0:
                    b = wk * mass[c] * grad_factor(d2, beta)
                    gx -= b * dx
                    gy -= b * dy
                    en -= wk * mass[c] * potential(d2, beta)
                if eps_tree:
                    ex = px - ux[c]
                    ey = py - uy[c]
                    e2 = ex * ex + ey * ey
                    if e2 > 0.0:
                        b = eps * cnt[c] * grad_factor(e2, alpha)
                        gx += b * ex
                        gy += b * ey
                        en += eps * cnt[c] * potential(e2, alpha)
            elif child[c] < 0:
                for q in range(start[c], end[c]):
                    if q == kk:
                        continue
                    ex = px - sx_[q]
                    ey = py - sy_[q]
                    e2 = ex * ex + ey * ey
                    if e2 <= 0.0:
                        continue
                    ww = wk * sw_[q]
                    if ww != 0.0:
                        b = ww * grad_factor(e2, beta)
                        gx -= b * ex
                        gy -= b * ey
                        en -= ww * potential(e2, beta)
                    if eps_tree:
                        b = eps * grad_factor(e2, alpha)
                        gx += b * ex
                        gy += b * ey
                        en += eps * potential(e2, alpha)
            else:
                for j in range(child[c], child[c] + nchild[c]):
                    stack[top] = j
                    top += 1
        if eps_closed:
            gx += eps * (n * px - sx)
            gy += eps * (n * py - sy)
            en += eps * (n * (px * px + py * py) - 2.0 * (px * sx + py * sy) + sxx) / 2.0
        out_x[k] = gx
        out_y[k] = gy
        out_energy[k] = en


@njit(cache=True, parallel=True)
def exact_field(coords, weights, alpha, beta, eps, out_x, out_y, out_energy):
    """The same field computed exactly over all pairs (reference for tests; O(n^2))."""
    n = coords.shape[0]
    for k in prange(n):
        px = coords[k, 0]
        py = coords[k, 1]
        gx = 0.0
        gy = 0.0
        en = 0.0
        for l in range(n):
            if l == k:
                continue
            dx = px - coords[l, 0]
            dy = py - coords[l, 1]
            d2 = dx * dx + dy * dy
            if d2 <= 0.0:
                continue
            ww = weights[k] * weights[l]
            b = ww * grad_factor(d2, beta)
            gx -= b * dx
            gy -= b * dy
            en -= ww * potential(d2, beta)
            if eps > 0.0:
                b = eps * grad_factor(d2, alpha)
                gx += b * dx
                gy += b * dy
                en += eps * potential(d2, alpha)
        out_x[k] = gx
        out_y[k] = gy
        out_energy[k] = en
