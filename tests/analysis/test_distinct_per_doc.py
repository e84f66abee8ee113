"""The two ways of removing repeated items within a document (hash pass, compiled scan) agree on real data."""
from __future__ import annotations

import numpy as np
import pandas as pd

from bibliomap.analysis import _columns
from bibliomap.io.ingest import ingest


def test_compiled_scan_and_hash_pass_agree_on_real_author_lists(corpora, monkeypatch):
    corpus = ingest(sorted((corpora / "wos-plaintext").glob("*.txt")))
    doc, names = corpus.author_names("name")
    codes, _ = pd.factorize(pd.Series(names).str.lower(), use_na_sentinel=True)
    doc, codes = np.asarray(doc, dtype=np.int64), np.asarray(codes, dtype=np.int64)
    # a document that repeats an author, and a null, so both paths have something to drop
    doc, codes = np.concatenate([doc, [doc[-1], doc[-1]]]), np.concatenate([codes, [codes[-1], -1]])
    hashed = _columns.distinct_per_doc(doc, codes)
    monkeypatch.setattr(_columns, "COMPILED_MIN_PAIRS", 0)
    scanned = _columns.distinct_per_doc(doc, codes)
    assert len(hashed[0]) == len(doc) - 2  # the repeat and the null are gone
    assert np.array_equal(hashed[0], scanned[0]) and np.array_equal(hashed[1], scanned[1])
