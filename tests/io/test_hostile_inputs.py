"""Hostile or damaged inputs: each problem is warned or rejected with its place, never read as wrong data."""
from __future__ import annotations

import csv
import io

import pytest

from bibliomap.io.read import read_file


@pytest.mark.parametrize("name", [
    "wos-plaintext/bibliometrix_wos_sample.txt", "scopus-bibtex/scopus.bib", "demo/ieee_1.csv",
    "ris/example.ris", "pubmed-medline/mcda_pubmed.txt", "scopus-csv/bibliometrix_scopus_sample.csv",
])
def test_cr_only_line_ends_read_like_any_other(corpora, tmp_path, name):
    src = corpora / name
    f = tmp_path / ("cr" + src.suffix)
    f.write_bytes(src.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    ref, res = read_file(src), read_file(f)
    assert res.error is None and res.format == ref.format
    assert res.n_read == ref.n_read and not res.rejected
    assert [r["title"] for r in res.records] == [r["title"] for r in ref.records]


def _scopus_with(corpora, tmp_path, column: str, value: str, row: int = 0):
    rows = list(csv.reader(io.StringIO((corpora / "scopus-csv" / "bibliometrix_scopus_sample.csv").read_text(encoding="utf-8-sig"), newline="")))
    rows[1 + row][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    f = tmp_path / "scopus.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    return read_file(f, format="scopus_csv")


@pytest.mark.parametrize("value", ["-5e9999", "-5", "1e3", "12x"])
def test_garbage_citation_count_is_missing_and_warned(corpora, tmp_path, value):
    res = _scopus_with(corpora, tmp_path, "Cited by", value)
    assert res.records[0]["times_cited"] is None
    assert any("record 1" in w and value[:10] in w and "not a count" in w for w in res.warnings)
    assert len(res.records) == 8


def test_garbage_year_is_missing_and_warned(corpora, tmp_path):
    res = _scopus_with(corpora, tmp_path, "Year", "20x2", row=2)
    assert res.records[2]["year"] is None
    assert any("record 3" in w and "20x2" in w for w in res.warnings)


def test_a_duplicated_header_takes_the_first_column_and_warns(corpora, tmp_path):
    src = corpora / "demo" / "ieee_1.csv"
    rows = list(csv.reader(io.StringIO(src.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    rows = [r + ["a title from another column"] for r in rows]
    rows[0][-1] = "Document Title"  # a second 'Document Title' column at the end
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    f = tmp_path / "ieee.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    ref, res = read_file(src), read_file(f, format="ieee_csv")
    assert [r["title"] for r in res.records] == [r["title"] for r in ref.records]
    assert any("'Document Title' twice" in w for w in res.warnings)
    assert header.count("Document Title") == 1


def test_nul_characters_are_removed_with_a_warning(corpora, tmp_path):
    src = corpora / "ris" / "example.ris"
    data = src.read_bytes()
    i = data.index(b"TI  - ") + 8
    f = tmp_path / "nul.ris"
    f.write_bytes(data[:i] + b"\x00\x00" + data[i:])
    res, ref = read_file(f), read_file(src)
    assert [r["title"] for r in res.records] == [r["title"] for r in ref.records]
    assert any("NUL" in w for w in res.warnings)


def test_bibtex_repeated_single_field_keeps_the_first_and_warns(tmp_path):
    f = tmp_path / "d.bib"
    f.write_text("@article{k1,\n title={First title},\n title={Second title},\n year={2020},\n year={2021},\n"
                 " author={Ann Smith},\n author={Bob Jones}\n}\n", encoding="utf-8")
    res = read_file(f)
    rec = res.records[0]
    assert rec["title"] == "First title" and rec["year"] == 2020
    assert [a["surname"] for a in rec["authors"]] == ["Smith", "Jones"]  # list fields still add up
    assert sum("appears twice" in w for w in res.warnings) == 2


def test_a_device_is_not_read(tmp_path):
    res = read_file("/dev/zero")
    assert res.error and "not a regular file" in res.error and res.n_read == 0
