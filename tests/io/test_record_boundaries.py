"""Record boundaries follow each format's own separators: a mistyped start tag never merges or loses a record."""
from __future__ import annotations

import re

import pytest

from bibliomap.io.read import read_file


def _mutate(text: str, pattern: str, index: int, replace: str) -> tuple[str, int]:
    """``text`` with the ``index``-th line-start match of ``pattern`` replaced; and the 1-based line of it."""
    m = list(re.finditer(pattern, text, re.M))[index]
    return text[: m.start()] + replace + text[m.end():], text.count("\n", 0, m.start()) + 1


def test_medline_mistyped_pmid_tag_keeps_the_record_apart(corpora, tmp_path):
    path = corpora / "pubmed-medline" / "pubmed.txt"
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    ref = read_file(path)
    bad, line = _mutate(text, r"^PMID-", 10, "PMlD-")
    f = tmp_path / "pubmed.txt"
    f.write_text(bad, encoding="utf-8")
    res = read_file(f, format="medline")
    assert res.n_read == ref.n_read and len(res.records) == len(ref.records)
    # record 10 keeps its own authors, record 11 is read on its own, without a PMID
    assert len(res.records[9]["authors"]) == len(ref.records[9]["authors"])
    assert res.records[10]["title"] == ref.records[10]["title"] and res.records[10]["pmid"] is None
    assert any(f"line {line}" in w and "PMlD" in w for w in res.warnings)


def _bib(corpora, name: str) -> str:
    return (corpora / name).read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("name,start,index,broken", [
    ("scopus-bibtex/scopus.bib", r"^@ARTICLE\{", 5, "@ARTICLE "),  # '@ARTICLE Key,': no brace
    ("wos-bibtex/wos.bib", r"^@article\{", 3, "@art icle{"),  # a space inside the type
])
def test_bibtex_broken_entry_start_is_rejected_with_its_line(corpora, tmp_path, name, start, index, broken):
    ref = read_file(corpora / name)
    bad, line = _mutate(_bib(corpora, name), start, index, broken)
    f = tmp_path / "broken.bib"
    f.write_text(bad, encoding="utf-8")
    res = read_file(f, format="bibtex")
    assert res.n_read == ref.n_read
    assert len(res.records) == len(ref.records) - 1
    assert [r.line for r in res.rejected] == [line]
    assert broken.strip() in res.rejected[0].reason


def test_bibtex_extra_closing_brace_does_not_drop_the_rest_of_the_entry(corpora, tmp_path):
    text = _bib(corpora, "scopus-bibtex/scopus.bib")
    ref = read_file(corpora / "scopus-bibtex" / "scopus.bib")
    m = list(re.finditer(r"^(title=\{.*\}),$", text, re.M))[7]
    bad = text[: m.end(1)] + "}" + text[m.end(1):]
    line = text.count("\n", 0, m.start()) + 1
    f = tmp_path / "s.bib"
    f.write_text(bad, encoding="utf-8")
    res = read_file(f, format="bibtex")
    assert res.n_read == ref.n_read and len(res.records) == len(ref.records)
    i = next(k for k, r in enumerate(ref.records) if r["title"] and r["title"] in m.group(1))
    for field in ("year", "doi", "source_title", "volume"):
        assert res.records[i][field] == ref.records[i][field], field
    assert any(f"line {line}" in w and "'}'" in w for w in res.warnings)
