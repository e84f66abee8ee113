"""Benchmark network building on a large synthetic corpus; prints wall times and sizes.

    python benchmarks/bench_networks.py [--docs 1000000] [--seed 0]

A synthetic corpus (Arrow-built, so that generating it is cheap) with Zipf-like author
and keyword frequencies: 1 + Poisson(3) authors per document drawn from a pool of
docs/2 authors, 2 + Poisson(3) author keywords from a pool of docs/10 keywords. It
times (1) the counting kernel alone on the occurrence arrays (full and fractional)
and (2) the whole ``build_network`` path (occurrence table from the Corpus, labels,
thresholds, counting, weights and scores) for co-authorship of authors and keyword
co-occurrence with VOSviewer's default thresholds.
"""
from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pyarrow as pa

from bibliomap.corpus.corpus import Corpus
from bibliomap.corpus.schema import AUTHOR_TYPE, SCHEMA
from bibliomap.networks.builders import build_network
from bibliomap.networks.counting import count_cooccurrences
from bibliomap.networks.occurrences import occurrences


def zipf_choice(rng: np.random.Generator, pool: int, size: int, exponent: float = 1.1) -> np.ndarray:
    """Item ids in [0, pool) with Zipf-like frequencies (rank r has weight r**-exponent)."""
    weights = np.arange(1, pool + 1, dtype=float) ** -exponent
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(size)), pool - 1)


def synthetic_corpus(n_docs: int, seed: int) -> Corpus:
    rng = np.random.default_rng(seed)
    n_auth = 1 + rng.poisson(3, n_docs)
    n_kw = 2 + rng.poisson(3, n_docs)
    author_ids = zipf_choice(rng, max(n_docs // 2, 10), int(n_auth.sum()), 0.8)
    keyword_ids = zipf_choice(rng, max(n_docs // 10, 10), int(n_kw.sum()), 1.0)
    surnames = pa.array([f"Surname{i}" for i in range(author_ids.max() + 1)]).take(pa.array(author_ids))
    given = pa.array([f"G{i % 26}" for i in range(author_ids.max() + 1)]).take(pa.array(author_ids))
    names = pa.array([f"Surname{i}, G{i % 26}" for i in range(author_ids.max() + 1)]).take(pa.array(author_ids))
    n = int(author_ids.size)
    empty_list = pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], pa.string()))
    structs = pa.StructArray.from_arrays(
        [names, surnames, given, pa.nulls(n, pa.string()), pa.nulls(n, pa.string()), pa.nulls(n, pa.string()), empty_list, empty_list],
        fields=list(AUTHOR_TYPE),
    )
    authors = pa.ListArray.from_arrays(pa.array(np.r_[0, np.cumsum(n_auth)].astype(np.int32)), structs)
    vocab = pa.array([f"Keyword {i}" for i in range(keyword_ids.max() + 1)])
    keywords = pa.ListArray.from_arrays(pa.array(np.r_[0, np.cumsum(n_kw)].astype(np.int32)), vocab.take(pa.array(keyword_ids)))
    columns = {
        "id": pa.array([f"D{i}" for i in range(n_docs)]),
        "authors": authors,
        "author_keywords": keywords,
        "year": pa.array(rng.integers(1990, 2025, n_docs).astype(np.int32)),
        "times_cited": pa.array(rng.poisson(5, n_docs).astype(np.int64)),
    }
    arrays = [columns.get(f.name, pa.nulls(n_docs, f.type)) for f in SCHEMA]
    return Corpus(pa.Table.from_arrays(arrays, schema=SCHEMA))


def timed(label: str, fn):
    t = time.perf_counter()
    result = fn()
    print(f"{label:<58s} {time.perf_counter() - t:8.2f} s")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(f"synthetic corpus: {args.docs:,} documents")
    corpus = timed("generate corpus (Arrow)", lambda: synthetic_corpus(args.docs, args.seed))
    for unit in ("authors", "author-keywords"):
        occ = timed(f"occurrence table: {unit}", lambda: occurrences(corpus, unit))
        print(f"  {len(occ):,} occurrences, {occ.n_items:,} distinct items")
        for method in ("full", "fractional"):
            max_items = 25 if unit == "authors" else None
            c = timed(f"counting kernel, all items, {method}", lambda: count_cooccurrences(occ.doc, occ.item, occ.weight, occ.n_docs, occ.n_items, method, max_items))
            print(f"  {c.matrix.nnz // 2:,} links")
    for analysis, unit in (("co-authorship", "authors"), ("co-occurrence", "author-keywords")):
        for method in ("full", "fractional"):
            net = timed(f"build_network {analysis}:{unit} ({method}, defaults)", lambda: build_network(corpus, analysis, unit, counting=method))
            print(f"  {net.n_items:,} items meet the threshold (of {net.meta['items_total']:,}), {net.n_links:,} links")
    net = timed("build_network co-authorship:authors, top 1000, largest comp.", lambda: build_network(corpus, "co-authorship", "authors", n_items=1000, largest_component=True))
    print(f"  {net.n_items:,} items, {net.n_links:,} links")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
