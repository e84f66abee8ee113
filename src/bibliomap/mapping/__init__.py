"""VOS layout, Leiden clustering, cluster labels, density."""
from bibliomap.mapping.build import make_map
from bibliomap.mapping.clustering import ClusteringResult, cluster, stability
from bibliomap.mapping.layout import LayoutResult, layout
from bibliomap.mapping.map import Map

__all__ = ["ClusteringResult", "LayoutResult", "Map", "cluster", "layout", "make_map", "stability"]
