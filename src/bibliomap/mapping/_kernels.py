"""Small numba kernels shared by the layout and its quality: distance powers and potentials.

``grad_factor(d2, e)`` is d^(e-2) (the factor multiplying x_k - x_l in the gradient of
d^e/e) and ``potential(d2, e)`` is d^e/e, or ln d when e == 0. Common exponents get
branch-free fast paths, because ``pow`` dominates the all-pairs loops otherwise.
"""
from __future__ import annotations

import math

from numba import njit


@njit(cache=True, inline="always")
def grad_factor(d2: float, e: float) -> float:
    if e == 2.0:
        return 1.0
    if e == 1.0:
        return 1.0 / math.sqrt(d2)
    if e == 0.0:
        return 1.0 / d2
    if e == -1.0:
        return 1.0 / (d2 * math.sqrt(d2))
    if e == 3.0:
        return math.sqrt(d2)
    return d2 ** ((e - 2.0) / 2.0)


@njit(cache=True, inline="always")
def potential(d2: float, e: float) -> float:
    if e == 2.0:
        return d2 / 2.0
    if e == 1.0:
        return math.sqrt(d2)
    if e == 0.0:
        return 0.5 * math.log(d2)
    if e == -1.0:
        return -1.0 / math.sqrt(d2)
    return d2 ** (e / 2.0) / e
