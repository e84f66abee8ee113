"""The Map lives with the Network in :mod:`bibliomap.networks.map` (readers and writers use it
without the layout and clustering code); this name is kept for existing imports."""
from bibliomap.networks.map import Map

__all__ = ["Map"]
