"""VOS layout, Leiden clustering, cluster labels, density."""
from bibliomap.mapping.map import Map

__all__ = ["Map"]
