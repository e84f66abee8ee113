"""Whether numba's on-disk cache already holds a kernel, so that a run can choose between
loading it (cheap) and compiling it (seconds) or taking a slower path that needs no compiling."""
from __future__ import annotations

import os
from typing import Any


def in_numba_cache(*kernels: Any) -> bool:
    """Whether every kernel (a ``numba.njit(cache=True)`` dispatcher) has an index in numba's
    cache, that is, an earlier run compiled it on this machine."""
    try:
        return all(os.path.exists(k._cache._cache_file._index_path) for k in kernels)
    except AttributeError:  # numba's cache internals moved: behave as if it were compiled
        return True
