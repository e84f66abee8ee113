"""Where counting runs.

The counting step (occurrences -> sparse co-occurrence counts) is one small module with
a plain input and output, :func:`bibliomap.networks.counting.count_cooccurrences`:
document ids, item ids, weights, sizes, the counting method and the per-document item
limit in; a symmetric scipy CSR matrix and per-item occurrence counts out. It runs
in-process (numpy/scipy) by default; another engine (e.g. Apache Spark for corpora
beyond one machine) implements the same contract and is chosen here.
"""
from bibliomap.networks.counting import count_cooccurrences

#: name -> function with the contract above
ENGINES = {"inprocess": count_cooccurrences}

__all__ = ["ENGINES", "count_cooccurrences"]
