"""VOS layout, Leiden clustering, cluster labels and density, and make_map that does them all.

The clustering names are imported on first use, so that the layout alone does not load igraph
(and the plotting library igraph loads with it). ``layout`` is imported here: it is also the
name of a submodule, which would otherwise shadow the function once imported.
"""
from __future__ import annotations

import importlib
from typing import Any

from bibliomap.mapping.layout import LayoutResult, layout
from bibliomap.networks.map import Map

_LAZY = {
    "make_map": "bibliomap.mapping.build",
    "ClusteringResult": "bibliomap.mapping.clustering",
    "cluster": "bibliomap.mapping.clustering",
    "stability": "bibliomap.mapping.clustering",
}

__all__ = sorted([*_LAZY, "LayoutResult", "Map", "layout"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'bibliomap.mapping' has no attribute {name!r}")
