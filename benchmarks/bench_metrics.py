"""Benchmark: every citation metric and descriptive table on a synthetic 1,000,000-record corpus.

    /work/venv/bin/python benchmarks/bench_metrics.py [--records 1000000] [--seed 7]

The corpus is generated directly as an Arrow table with the Corpus schema (authors drawn from
a pool with a skewed productivity, sources, countries, affiliations, keywords, and reference
keys pointing at other records so that local citations exist). Prints the time of each step
and the total for "all metrics and all tables together" (charts and file writing excluded).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bibliomap.corpus import SCHEMA, Corpus
from bibliomap.corpus.schema import AUTHOR_TYPE


def _pool(prefix: str, n: int) -> pa.Array:
    return pa.array([f"{prefix} {i}" for i in range(n)], type=pa.string())


def _lists(rng: np.random.Generator, n_docs: int, lo: int, hi: int, pool: pa.Array, skew: float = 1.3) -> pa.ListArray:
    """A list<string> column: lo..hi values per document drawn from ``pool`` (Zipf-like skew)."""
    lengths = rng.integers(lo, hi + 1, size=n_docs)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32 if lengths.sum() < 2**31 else np.int64)
    idx = (rng.zipf(skew, size=int(lengths.sum())) - 1) % len(pool)
    return pa.ListArray.from_arrays(pa.array(offsets), pc.take(pool, pa.array(idx)))


def synthetic_corpus(n: int, seed: int = 7) -> Corpus:
    """An ``n``-record Corpus with realistic shapes (see module docstring)."""
    rng = np.random.default_rng(seed)
    countries = _pool("Country", 80)
    sources = _pool("Journal", 20_000)
    issns = pa.array([f"{i // 10000 % 10000:04d}-{i % 10000:04d}" for i in range(20_000)])

    # authors: 1..8 per record from a pool of n/3 names; each with one country
    n_auth = rng.integers(1, 9, size=n)
    offsets = np.concatenate(([0], np.cumsum(n_auth))).astype(np.int32)
    total = int(n_auth.sum())
    author_idx = (rng.zipf(1.6, size=total) - 1) % max(n // 3, 1)
    names = pc.binary_join_element_wise("Author ", pc.cast(pa.array(author_idx), pa.string()), "")
    country_idx = author_idx % len(countries)
    author_countries = pa.ListArray.from_arrays(pa.array(np.arange(total + 1, dtype=np.int32)),
                                                pc.take(countries, pa.array(country_idx)))
    empty = pa.ListArray.from_arrays(pa.array(np.zeros(total + 1, dtype=np.int32)), pa.array([], pa.string()))
    nulls = pa.nulls(total, pa.string())
    structs = pa.StructArray.from_arrays(
        [names, nulls, nulls, nulls, nulls, nulls, empty, author_countries], fields=list(AUTHOR_TYPE)
    )
    authors = pa.ListArray.from_arrays(pa.array(offsets), structs)
    # document countries: those of the first two authors (distinct enough for SCP/MCP shares)
    first_two = np.minimum(n_auth, 2)
    doc_offsets = np.concatenate(([0], np.cumsum(first_two))).astype(np.int32)
    pick = np.repeat(offsets[:-1], first_two) + (np.arange(int(first_two.sum())) - np.repeat(doc_offsets[:-1], first_two))
    doc_countries = pa.ListArray.from_arrays(pa.array(doc_offsets), pc.take(countries, pa.array(country_idx[pick])))

    source_idx = (rng.zipf(1.4, size=n) - 1) % len(sources)
    years = rng.integers(1990, 2026, size=n).astype(np.int32)
    cites = np.minimum(rng.pareto(1.2, size=n) * 5, 50_000).astype(np.int64)
    ids = pc.binary_join_element_wise("B", pc.cast(pa.array(np.arange(n)), pa.string()), "")
    dois = pc.binary_join_element_wise("10.5555/b", pc.cast(pa.array(np.arange(n)), pa.string()), "")
    # 10 references per record: 3 to earlier corpus records, 7 outside the corpus
    n_refs = 10
    ref_offsets = pa.array(np.arange(0, n * n_refs + 1, n_refs, dtype=np.int64))
    inside = rng.integers(0, n, size=(n, 3))
    outside = rng.integers(0, 5_000_000, size=(n, 7)) + n
    targets = np.concatenate([inside, outside], axis=1).ravel()
    ref_keys = pc.binary_join_element_wise("doi:10.5555/b", pc.cast(pa.array(targets), pa.string()), "")
    columns = {
        "id": ids,
        "doi": dois,
        "year": pa.array(years),
        "times_cited": pa.array(cites),
        "authors": authors,
        "n_authors": pa.array(n_auth.astype(np.int32)),
        "authors_truncated": pa.array(np.zeros(n, dtype=bool)),
        "countries": doc_countries,
        "affiliations": _lists(rng, n, 1, 3, _pool("University", 50_000)),
        "source_title": pc.take(sources, pa.array(source_idx)),
        "issn": pa.ListArray.from_arrays(pa.array(np.arange(n + 1, dtype=np.int32)), pc.take(issns, pa.array(source_idx))),
        "doc_type": pc.take(pa.array(["article", "review", "conference paper", "book chapter"]),
                            pa.array(rng.choice(4, size=n, p=[0.7, 0.1, 0.15, 0.05]))),
        "author_keywords": _lists(rng, n, 3, 6, _pool("keyword", 100_000)),
        "index_keywords": _lists(rng, n, 4, 8, _pool("index term", 50_000)),
        "references": pa.LargeListArray.from_arrays(ref_offsets, ref_keys),
        "reference_keys": pa.LargeListArray.from_arrays(ref_offsets, ref_keys),
    }
    arrays = []
    for field in SCHEMA:
        if field.name in columns:
            arrays.append(columns[field.name].cast(field.type))
        elif pa.types.is_list(field.type) or pa.types.is_map(field.type):
            arrays.append(pa.array([[]] * n, type=field.type) if n < 1000 else _empty_lists(n, field.type))
        else:
            arrays.append(pa.nulls(n, field.type))
    return Corpus(pa.Table.from_arrays(arrays, schema=SCHEMA))


def _empty_lists(n: int, typ: pa.DataType) -> pa.Array:
    offsets = pa.array(np.zeros(n + 1, dtype=np.int32))
    if pa.types.is_map(typ):
        return pa.MapArray.from_arrays(offsets, pa.array([], typ.key_type), pa.array([], typ.item_type))
    return pa.ListArray.from_arrays(offsets, pa.array([], typ.value_type)).cast(typ)


def synthetic_sjr(n_sources: int = 20_000) -> pd.DataFrame:
    """An SJR frame covering 70% of the synthetic sources (by ISSN) with cycling quartiles."""
    keep = np.arange(n_sources)[np.arange(n_sources) % 10 < 7]
    return pd.DataFrame(
        {
            "Title": [f"Journal {i}" for i in keep],
            "title_key": [f"journal {i}" for i in keep],
            "issns": [[f"{i // 10000 % 10000:04d}{i % 10000:04d}"] for i in keep],
            "quartile": [("Q1", "Q2", "Q3", "Q4")[i % 4] for i in keep],
            "sjr": 1.0,
            "categories": "",
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()

    from bibliomap.analysis import descriptive as d
    from bibliomap.analysis.citation_metrics import pop_metrics
    from bibliomap.analysis.laws import bradford, lotka
    from bibliomap.analysis.quartiles import attach_quartiles

    t0 = time.perf_counter()
    corpus = synthetic_corpus(args.records, args.seed)
    sjr = synthetic_sjr()
    print(f"generated {len(corpus):,} records in {time.perf_counter() - t0:.1f} s "
          f"({int(corpus.list_lengths('authors').sum()):,} authorships, "
          f"{int(corpus.list_lengths('reference_keys').sum()):,} references)")

    ref = 2025
    top = args.top
    steps = [
        ("PoP metrics (all 31 + extras)", lambda: pop_metrics(corpus, ref)),
        ("main information", lambda: d.main_information(corpus, ref)),
        ("annual production", lambda: d.annual_production(corpus, ref)),
        ("document types", lambda: d.document_types(corpus)),
        ("most productive authors", lambda: d.author_production(corpus, top)),
        ("most cited documents", lambda: d.most_cited_documents(corpus, top, ref)),
        ("most relevant sources", lambda: d.source_production(corpus, top)),
        ("affiliations", lambda: d.affiliation_production(corpus, top)),
        ("countries (SCP/MCP)", lambda: d.country_production(corpus, top)),
        ("author keywords", lambda: d.keyword_frequency(corpus, "author_keywords", top)),
        ("index keywords", lambda: d.keyword_frequency(corpus, "index_keywords", top)),
        ("authors' local impact", lambda: d.local_impact(corpus, "author", top, ref)),
        ("sources' local impact", lambda: d.local_impact(corpus, "source", top, ref)),
        ("local citations", lambda: d.local_citations(corpus, top)),
        ("Lotka", lambda: lotka(corpus)),
        ("Bradford", lambda: bradford(corpus)),
        ("quartiles (SJR match)", lambda: attach_quartiles(corpus, sjr)),
    ]
    total = cpu_total = 0.0
    print(f"  {'step':<32} {'wall':>7}   {'cpu':>7}")
    for name, fn in steps:
        t, c = time.perf_counter(), time.process_time()
        fn()
        dt, dc = time.perf_counter() - t, time.process_time() - c
        total += dt
        cpu_total += dc
        print(f"  {name:<32} {dt:7.2f} s {dc:7.2f} s")
    print(f"all metrics and tables: {total:.1f} s wall ({cpu_total:.1f} s CPU) for {len(corpus):,} records")
    t, c = time.perf_counter(), time.process_time()
    d.describe(corpus, top=top, query_year=ref, sjr=sjr)
    print(f"describe() end to end (same work, one call): {time.perf_counter() - t:.1f} s wall "
          f"({time.process_time() - c:.1f} s CPU)")


if __name__ == "__main__":
    main()
