"""Main information and summary tables on a five-document corpus worked out by hand.

The corpus (tests/analysis/analysis_helpers.py), reference year 2025:
  D1 2020 TC10 Smith(USA), Lee(Korea)            Journal A  article          cites d9 (outside)
  D2 2022 TC 2 Smith(USA)                        Journal A  article          cites D1
  D3 2022 TC 6 Garcia(Spain), Smith, Chen(China)  Journal B  review           cites D1, D2, itself
  D4 2024 TC 0 Chen(China)                       Proc C     conference paper cites D1
  D5 2024 TC 1 Lee, Park, Kim (Korea)            journal a  article          cites D3 twice
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bibliomap.analysis import descriptive as d

REF = 2025


def _main(df: pd.DataFrame) -> dict:
    return dict(zip(df["Description"], df["Results"]))


def test_main_information_by_hand(describe_corpus):
    info = _main(d.main_information(describe_corpus, REF))
    assert info["Timespan"] == "2020:2024"
    assert info["Sources (Journals, Books, etc)"] == 3  # 'Journal A' and 'journal a' are one source
    assert info["Documents"] == 5
    # documents per year 2020:1, 2022:2, 2024:2 -> ((2/1)^(1/4) - 1) * 100
    assert info["Annual Growth Rate %"] == pytest.approx((2 ** 0.25 - 1) * 100)
    assert info["Document Average Age"] == pytest.approx(2025 - (2020 + 2022 + 2022 + 2024 + 2024) / 5)
    assert info["Average citations per doc"] == pytest.approx(19 / 5)
    # TC / (2025 - PY + 1): 10/6, 2/4, 6/4, 0/2, 1/2
    assert info["Average citations per year per doc"] == pytest.approx((10 / 6 + 0.5 + 1.5 + 0 + 0.5) / 5)
    assert info["References"] == 4  # d9, d1, d2, d3
    assert info["Keywords Plus (ID)"] == 2
    assert info["Author's Keywords (DE)"] == 3  # deep learning, music, audio (case-insensitive)
    assert info["article"] == 3 and info["review"] == 1 and info["conference paper"] == 1
    assert info["Authors"] == 6
    assert info["Author Appearances"] == 10
    assert info["Authors of single-authored docs"] == 2  # Smith (D2), Chen (D4)
    assert info["Single-authored docs"] == 2
    assert info["Documents per Author"] == pytest.approx(5 / 6)
    assert info["Co-Authors per Doc"] == pytest.approx(10 / 5)
    assert info["International co-authorships %"] == pytest.approx(40.0)  # D1 and D3
    # bibliometrix: (distinct authors - authors of single-authored docs) / multi-authored docs
    assert info["Collaboration Index"] == pytest.approx((6 - 2) / 3)


def test_growth_rate_can_leave_out_the_incomplete_last_year(describe_corpus):
    info = _main(d.main_information(describe_corpus, REF, exclude_last_year=True))
    assert info["Annual Growth Rate %"] == pytest.approx((2 ** 0.5 - 1) * 100)  # 2020:1 -> 2022:2
    assert d.annual_growth_rate(np.array([2020.0, 2020.0])) == 0.0
    assert d.annual_growth_rate(np.array([np.nan])) is None


def test_reference_year_comes_from_the_query_date_then_the_option(describe_corpus):
    assert d.reference_year(describe_corpus, 2030) == 2030
    assert d.reference_year(describe_corpus, 2030, force=2001) == 2001


def test_annual_production_fills_empty_years(describe_corpus):
    t = d.annual_production(describe_corpus, REF)
    assert t["Year"].tolist() == [2020, 2021, 2022, 2023, 2024]
    assert t["Articles"].tolist() == [1, 0, 2, 0, 2]
    assert t["Citations"].tolist() == [10, 0, 8, 0, 1]
    assert t["MeanTCperYear"].tolist() == pytest.approx([10 / 6, 0, 4 / 4, 0, 0.5 / 2])


def test_author_production_full_and_fractional(describe_corpus):
    t = d.author_production(describe_corpus, top=None)
    assert t["Author"].tolist() == ["Smith, J", "Chen, L", "Lee, K", "Garcia, M", "Kim, H", "Park, S"]
    assert t["Articles"].tolist() == [3, 2, 2, 1, 1, 1]
    assert t["Articles Fractionalized"].tolist() == pytest.approx([1 / 2 + 1 + 1 / 3, 1 / 3 + 1, 1 / 2 + 1 / 3, 1 / 3, 1 / 3, 1 / 3])
    assert len(d.author_production(describe_corpus, top=2)) == 2


def test_most_cited_documents_with_per_year_and_normalized_citations(describe_corpus):
    t = d.most_cited_documents(describe_corpus, top=5, ref_year=REF)
    assert t["DOI"].tolist()[:4] == ["10.1000/d1", "10.1000/d3", "10.1000/d2", "10.1000/d5"]
    assert pd.isna(t["DOI"].iloc[4])  # D4 has no DOI
    assert t["TC"].tolist() == [10, 6, 2, 1, 0]
    assert t["TC per Year"].tolist() == pytest.approx([10 / 6, 6 / 4, 2 / 4, 1 / 2, 0])
    # NTC: TC over the mean TC of the same year (2020: 10; 2022: 4; 2024: 0.5)
    assert t["NTC"].tolist() == pytest.approx([1.0, 1.5, 0.5, 2.0, 0.0])
    assert t["Document"][0] == "Smith, J, 2020, Journal A"


def test_sources_affiliations_keywords(describe_corpus):
    s = d.source_production(describe_corpus, top=None)
    assert s.values.tolist() == [["Journal A", 3], ["Journal B", 1], ["Proc C", 1]]
    a = d.affiliation_production(describe_corpus, top=2)
    assert a.values.tolist() == [["Univ X", 3], ["Univ W", 2]]
    k = d.keyword_frequency(describe_corpus, "author_keywords", top=None)
    assert k.values.tolist() == [["audio", 2], ["Deep Learning", 2], ["music", 2]]
    i = d.keyword_frequency(describe_corpus, "index_keywords", top=None)
    assert i.values.tolist() == [["neural networks", 2], ["audio", 1]]
    assert d.document_types(describe_corpus).values.tolist() == [["article", 3], ["conference paper", 1], ["review", 1]]


def test_countries_by_first_author_with_scp_and_mcp(describe_corpus):
    t = d.country_production(describe_corpus, top=None)
    assert t["Country"].tolist() == ["USA", "China", "Korea", "Spain"]
    assert t["Articles"].tolist() == [2, 1, 1, 1]
    assert t["SCP"].tolist() == [1, 1, 1, 0]
    assert t["MCP"].tolist() == [1, 0, 0, 1]
    assert t["MCP_Ratio"].tolist() == pytest.approx([0.5, 0, 0, 1])
    assert t["Freq"].tolist() == pytest.approx([0.4, 0.2, 0.2, 0.2])
    assert t["TC"].tolist() == [12, 0, 1, 6]
    c = d.country_citations(describe_corpus, top=2)
    assert c["Country"].tolist() == ["USA", "Spain"]


def test_local_impact_of_authors_and_sources(describe_corpus):
    t = d.local_impact(describe_corpus, "author", top=None, ref_year=REF)
    assert t["Element"].tolist() == ["Smith, J", "Lee, K", "Chen, L", "Garcia, M", "Kim, H", "Park, S"]
    assert t["h_index"].tolist() == [2, 1, 1, 1, 1, 1]  # Smith: 10, 6, 2
    assert t["g_index"].tolist() == [3, 2, 2, 1, 1, 1]  # Smith: 10, 16, 18 >= 1, 4, 9
    assert t["NP"].tolist() == [3, 2, 2, 1, 1, 1]
    assert t["TC"].tolist() == [18, 11, 6, 6, 1, 1]
    assert t["PY_start"].tolist() == [2020, 2020, 2022, 2022, 2024, 2024]
    # m = h / (2025 - PY_start + 1)
    assert t["m_index"].tolist() == pytest.approx([2 / 6, 1 / 6, 1 / 4, 1 / 4, 1 / 2, 1 / 2])
    s = d.local_impact(describe_corpus, "source", top=1, ref_year=REF)
    assert s.iloc[0][["Element", "h_index", "g_index", "NP", "TC"]].tolist() == ["Journal A", 2, 3, 3, 13]
    with pytest.raises(ValueError):
        d.local_impact(describe_corpus, "country")


def test_local_citations_match_reference_keys_to_documents(describe_corpus):
    lcs, method = d.local_citation_counts(describe_corpus)
    # D1 cited by D2, D3, D4; D2 by D3; D3 by D5 (twice, counted once; its self-citation ignored)
    assert lcs.tolist() == [3, 1, 1, 0, 0]
    assert method == "doi+openalex"  # no ref: keys among the references: the vectorized path
    t = d.local_citations(describe_corpus, top=None)
    assert t["DOI"].tolist() == ["10.1000/d1", "10.1000/d3", "10.1000/d2"]
    assert t["Local Citations"].tolist() == [3, 1, 1]


def test_summary_tables_on_an_empty_selection(describe_corpus):
    empty = describe_corpus[np.zeros(len(describe_corpus), dtype=bool)]
    tables = d.summary_tables(empty, query_year=REF)
    assert all(len(t) == 0 for name, t in tables.items() if name != "main_information")
    info = _main(tables["main_information"])
    assert info["Documents"] == 0 and info["Timespan"] is None


def test_describe_bundles_metrics_laws_and_every_table(describe_corpus):
    res = d.describe(describe_corpus, top=3, query_year=REF)
    for name in ("pop_metrics", "main_information", "annual_production", "most_productive_authors",
                 "most_cited_documents", "most_relevant_sources", "most_relevant_affiliations",
                 "countries_production", "author_keywords", "index_keywords", "authors_local_impact",
                 "sources_local_impact", "local_citations", "lotka", "bradford", "bradford_zones"):
        assert name in res.tables, name
    assert len(res.tables["most_productive_authors"]) == 3
    assert res.metrics["h_index"] == 2 and res.metrics["citations"] == 19
    assert res.reference_year == REF and res.quartiles is None
    assert res.keyword_cloud == {"audio": 2, "Deep Learning": 2, "music": 2}
    assert not math.isnan(res.metrics["awcr"])


def test_local_citations_by_ref_keys_when_references_have_no_doi():
    from analysis_helpers import record

    from bibliomap.corpus import Corpus, new_author
    from bibliomap.corpus.references import reference_key

    key = reference_key("Aria M, 2017, J INFORMETR, V11, P959", "wos")
    cited = record(id="A", year=2017, volume="11", page_start="959", source_title="Journal of Informetrics",
                   authors=[new_author(name="Aria, M", surname="Aria", given="M")], times_cited=50)
    citing = [record(id=f"C{i}", year=2020, times_cited=0, references=["Aria M, 2017, J INFORMETR, V11, P959"],
                     reference_keys=[key]) for i in range(2)]
    lcs, method = d.local_citation_counts(Corpus.from_records([cited, *citing]))
    assert method == "document_keys"
    assert lcs.tolist() == [2, 0, 0]
