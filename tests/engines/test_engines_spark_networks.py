"""Every network builder gives the same network on Spark as in-process, on every real corpus.

Each Spark count costs about a second of job overhead in local mode, so each corpus runs
every network once, with full and fractional counting alternating over corpora and
networks: every network type is compared with both countings, every corpus with both.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bibliomap
from bibliomap.engines import engine
from bibliomap.networks.builders import build_network

#: one corpus per folder of ../shared/corpora (its files read together)
FOLDERS = ("demo", "ieee-csv", "lens-csv", "openalex-csv", "pubmed-medline", "ris", "scopus-bibtex", "scopus-csv",
           "springer-csv", "wos-bibtex", "wos-plaintext")

#: (analysis, unit, countings, low thresholds so the networks are not trivial)
NETWORKS = [
    ("co-authorship", "authors", ("full", "fractional"), dict(min_documents=1)),
    ("co-occurrence", "keywords", ("full", "fractional"), dict(min_occurrences=2)),
    ("co-occurrence", "terms", ("binary", "fractional"), dict(min_occurrences=None)),
    ("bibliographic-coupling", "documents", ("full", "fractional"), dict(min_citations=0)),
    ("bibliographic-coupling", "countries", ("full", "fractional"), dict(min_documents=1)),
    ("co-citation", "references", ("full", "fractional"), dict(min_citations=2)),
]


def assert_same_network(a, b) -> None:
    """Same items with the same weights and scores, the same links with strengths equal to 1e-9."""
    assert a.items["label"].tolist() == b.items["label"].tolist()
    pd.testing.assert_frame_equal(a.items, b.items, check_exact=False, rtol=0, atol=1e-9)
    assert a.links[["source", "target"]].equals(b.links[["source", "target"]])
    assert np.allclose(a.links["strength"], b.links["strength"], rtol=0, atol=1e-9)
    assert a.meta == b.meta


def buildable(corpus, analysis: str, unit: str) -> bool:
    needs_references = analysis in ("bibliographic-coupling", "co-citation")
    return not needs_references or bool((corpus.list_lengths("references") > 0).any())


@pytest.mark.parametrize("folder", FOLDERS)
def test_networks_on_spark_equal_inprocess(spark, corpora, folder):
    from bibliomap.text.terms import extract_terms

    files = sorted(p for p in (corpora / folder).iterdir() if p.suffix.lower() in (".csv", ".txt", ".bib", ".ris"))
    corpus = bibliomap.read(*files)
    assert len(corpus) > 0
    terms = extract_terms(corpus, min_occurrences=3)
    compared = 0
    for k, (analysis, unit, countings, thresholds) in enumerate(NETWORKS):
        if not buildable(corpus, analysis, unit):
            continue
        for counting in countings[(FOLDERS.index(folder) + k) % 2:][:1]:
            kwargs = dict(counting=counting, terms=terms if unit == "terms" else None, **thresholds)
            expected = build_network(corpus, analysis, unit, **kwargs)
            with engine("spark"):
                got = build_network(corpus, analysis, unit, **kwargs)
            assert_same_network(expected, got)
            compared += expected.n_links
    assert compared > 0, f"{folder}: no network with links was compared"
