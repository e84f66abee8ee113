"""Builders for small hand-made corpora used by the analysis tests."""
from __future__ import annotations

from bibliomap.corpus import new_author, new_record


def record(**fields) -> dict:
    rec = new_record()
    rec.update(fields)
    return rec


def author(name: str, *countries: str) -> dict:
    return new_author(name=name, countries=list(countries))


def describe_records() -> list[dict]:
    """Five documents whose main information and tables are worked out by hand in the tests."""
    refs = lambda *keys: {"references": [f"raw {k}" for k in keys], "reference_keys": list(keys)}  # noqa: E731
    recs = [
        record(id="D1", doi="10.1000/d1", year=2020, times_cited=10, doc_type="article", source_title="Journal A",
               authors=[author("Smith, J", "USA"), author("Lee, K", "Korea")], countries=["USA", "Korea"],
               affiliations=["Univ X", "Univ Y"],
               author_keywords=["Deep Learning", "music"], index_keywords=["neural networks"], **refs("doi:10.1000/d9")),
        record(id="D2", doi="10.1000/d2", year=2022, times_cited=2, doc_type="article", source_title="Journal A",
               authors=[author("Smith, J", "USA")], countries=["USA"], affiliations=["Univ X"],
               author_keywords=["deep learning"], **refs("doi:10.1000/d1")),
        record(id="D3", doi="10.1000/d3", year=2022, times_cited=6, doc_type="review", source_title="Journal B",
               authors=[author("Garcia, M", "Spain"), author("Smith, J", "USA"), author("Chen, L", "China")],
               countries=["Spain", "USA", "China"], affiliations=["Univ Z", "Univ X", "Univ W"],
               author_keywords=["Music", "audio"], index_keywords=["neural networks", "audio"],
               **refs("doi:10.1000/d1", "doi:10.1000/d2", "doi:10.1000/d3")),
        record(id="D4", doi=None, year=2024, times_cited=0, doc_type="conference paper", source_title="Proc C",
               authors=[author("Chen, L", "China")], countries=["China"], affiliations=["Univ W"],
               **refs("doi:10.1000/d1")),
        record(id="D5", doi="10.1000/d5", year=2024, times_cited=1, doc_type="article", source_title="journal a",
               authors=[author("Lee, K", "Korea"), author("Park, S", "Korea"), author("Kim, H", "Korea")],
               countries=["Korea"], affiliations=["Univ Y"], author_keywords=["audio"],
               **refs("doi:10.1000/d3", "doi:10.1000/d3")),
    ]
    return recs
