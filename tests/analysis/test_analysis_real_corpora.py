"""Metrics and tables on real exports of several databases: relations that must hold on any corpus."""
from __future__ import annotations

import numpy as np
import pytest

import bibliomap
from bibliomap.analysis import descriptive as d
from bibliomap.analysis.citation_metrics import pop_metrics
from bibliomap.analysis.laws import bradford, lotka

FILES = [
    "demo/ieee_1.csv",
    "scopus-csv/bibliometrix_scopus_sample.csv",
    "wos-plaintext/bibliometrix_wos_sample.txt",
    "wos-plaintext/metaknowledge_savedrecs.txt",
]


@pytest.mark.parametrize("name", FILES)
def test_invariants_on_a_real_export(corpora, name):
    corpus = bibliomap.read(corpora / name, progress=False)
    n = len(corpus)
    assert n > 0
    m = pop_metrics(corpus, query_year=2026)
    tc = np.nan_to_num(corpus.values("times_cited"))
    assert m["papers"] == n and m["citations"] == int(tc.sum())
    assert m["h_index"] <= m["g_index"] <= n
    assert m["acc1"] >= m["acc2"] >= m["acc5"] >= m["acc10"] >= m["acc20"]
    assert m["hi_norm"] <= m["h_index"]  # round_half_up(c/a) <= c
    tables = d.summary_tables(corpus, top=5, query_year=2026)
    years = corpus.values("year")
    assert tables["annual_production"]["Articles"].sum() == int((~np.isnan(years)).sum())
    assert tables["document_types"]["Documents"].sum() == n
    info = dict(zip(tables["main_information"]["Description"], tables["main_information"]["Results"]))
    assert info["Documents"] == n
    assert info["Author Appearances"] == int(corpus.list_lengths("authors").sum())
    assert len(tables["most_productive_authors"]) <= 5
    lcs, _ = d.local_citation_counts(corpus)
    assert lcs.shape == (n,) and (lcs >= 0).all()
    brad = bradford(corpus)
    assert brad.zones["N. articles"].sum() == d.source_production(corpus, top=None)["Articles"].sum()
    lot = lotka(corpus)
    assert lot.table["N. of Authors"].sum() == info["Authors"]
