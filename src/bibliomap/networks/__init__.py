"""Occurrence tables -> sparse counts -> networks; counting and normalization."""
from bibliomap.networks.network import Network

__all__ = ["Network"]
