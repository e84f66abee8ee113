"""Releasing freed memory between steps is safe to call at any time, with or without Arrow loaded."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from bibliomap.memory import release_freed_memory


def test_release_after_arrow_and_numpy_work_keeps_data_intact():
    table = pa.table({"x": np.arange(2_000_000)})
    kept = table.column("x").to_numpy()[::1000].copy()
    del table
    release_freed_memory()
    release_freed_memory()
    assert int(kept.sum()) == sum(range(0, 2_000_000, 1000))
