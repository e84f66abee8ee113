"""Term extraction with the tagging in Spark tasks selects the same terms as in-process, on every real corpus with texts."""
from __future__ import annotations

import pandas as pd
import pytest

import bibliomap
from bibliomap.text.terms import extract_terms


@pytest.mark.parametrize("counting", ["binary", "full"])
def test_terms_on_spark_equal_inprocess(spark, corpora, counting):
    from bibliomap.engines.spark_terms import extract_terms_spark

    files = sorted(p for p in corpora.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".txt", ".bib", ".ris")
                   and p.name != "PROVENANCE.txt" and "LICENSE" not in p.name)
    corpus = bibliomap.read(*files)
    expected = extract_terms(corpus, counting=counting, min_occurrences=3, nested=counting == "full")
    # small slices, so the corpus spans many tasks and the joining order matters
    got = extract_terms_spark(spark, corpus, counting=counting, min_occurrences=3, nested=counting == "full",
                              documents_per_task=400)
    assert len(corpus) > 2000
    assert len(expected.labels) > 50
    assert got.labels == expected.labels
    pd.testing.assert_frame_equal(got.terms, expected.terms, check_exact=False, rtol=0, atol=1e-12)
    pd.testing.assert_frame_equal(got.occurrences, expected.occurrences)
    assert got.n_tokens == expected.n_tokens
