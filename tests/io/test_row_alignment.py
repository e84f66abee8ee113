"""CSV rows whose cell count does not match the header are rejected with their line, never shifted."""
from __future__ import annotations

import csv
import io

import pytest

from bibliomap.io.read import read_file

# (real file, required format) for every header-driven CSV reader with a real export
REAL_CSV = [
    ("demo/ieee_1.csv", "ieee_csv"),
    ("lens-csv/lens_sample.csv", "lens_csv"),
    ("openalex-csv/openalex_sample.csv", "openalex_csv"),
    ("springer-csv/springer.csv", "springer_csv"),
    ("scopus-csv/bibliometrix_scopus_sample.csv", "scopus_csv"),
]


def _rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write(rows: list[list[str]], path, trailing: bool = False) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for r in rows:
        w.writerow(r + ([""] if trailing else []))
    path.write_text(buf.getvalue(), encoding="utf-8")


def _titles(result) -> list[str]:
    return [r.get("title") for r in result.records]


def _line_of_row(path, k: int) -> int:
    """1-based physical line where data row ``k`` (1-based, after the header) starts."""
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    next(reader)
    for i in range(k - 1):
        next(reader)
    return reader.line_num + 1


@pytest.mark.parametrize("trailing", [False, True], ids=["plain", "trailing-delimiter"])
@pytest.mark.parametrize("name,fmt", REAL_CSV, ids=[n for n, _ in REAL_CSV])
def test_a_row_missing_one_cell_is_rejected_with_its_line(corpora, tmp_path, name, fmt, trailing):
    rows = _rows(corpora / name)
    header, data = rows[0], rows[1:]
    k = min(3, len(data))  # the 3rd data row loses its 2nd cell
    broken = [list(r) for r in data]
    del broken[k - 1][1]
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    _write([header] + data, good, trailing)
    _write([header] + broken, bad, trailing)
    ref = read_file(good, format=fmt)
    res = read_file(bad, format=fmt)
    assert not ref.rejected and res.n_read == ref.n_read
    assert [r.line for r in res.rejected] == [_line_of_row(bad, k)]
    assert "cells" in res.rejected[0].reason
    expected = [t for i, t in enumerate(_titles(ref)) if i != k - 1]
    assert _titles(res) == expected
    # the kept records are field for field those of the intact file
    kept_ref = [r for i, r in enumerate(ref.records) if i != k - 1]
    for a, b in zip(res.records, kept_ref):
        assert (a.get("doi"), a.get("year"), a.get("source_title")) == (b.get("doi"), b.get("year"), b.get("source_title"))


@pytest.mark.parametrize("name,fmt", REAL_CSV, ids=[n for n, _ in REAL_CSV])
def test_a_file_cut_mid_row_rejects_the_cut_row(corpora, tmp_path, name, fmt):
    rows = _rows(corpora / name)
    full = tmp_path / "full.csv"
    _write(rows, full)
    text = full.read_text(encoding="utf-8")
    last_start = text.rstrip("\n").rfind("\n") + 1
    cut = tmp_path / "cut.csv"
    # cut inside the last row, after a cell boundary, so the row is short but parses
    cut_at = text.index('","', last_start + 1) + 1
    cut.write_text(text[:cut_at] + "\n", encoding="utf-8")
    res = read_file(cut, format=fmt)
    ref = read_file(full, format=fmt)
    assert len(res.records) == len(ref.records) - 1
    assert len(res.rejected) == 1 and res.rejected[0].line == text[:last_start].count("\n") + 1


def test_ieee_deleted_cell_no_longer_shifts_authors_into_affiliations(corpora, tmp_path):
    """The case seen in the wild: one deleted cell made an affiliation the author and a date the source."""
    rows = _rows(corpora / "demo" / "ieee_1.csv")
    header = rows[0]
    authors = header.index("Authors")
    target = next(i for i, r in enumerate(rows[1:], 1) if r[authors].strip())
    del rows[target][authors]
    path = tmp_path / "ieee.csv"
    _write(rows, path)
    res = read_file(path, format="ieee_csv")
    assert len(res.rejected) == 1
    ref = read_file(corpora / "demo" / "ieee_1.csv", format="ieee_csv")
    assert {r.get("source_title") for r in res.records} <= {r.get("source_title") for r in ref.records}
    ref_authors = {a["name"] for r in ref.records for a in r.get("authors") or []}
    assert {a["name"] for r in res.records for a in r.get("authors") or []} <= ref_authors


def test_pop_csv_short_row_is_rejected(fixtures, tmp_path):
    rows = _rows(fixtures / "analysis" / "pop_truncated.csv")
    del rows[1][3]
    path = tmp_path / "pop.csv"
    _write(rows, path)
    res = read_file(path, format="pop_csv")
    assert [r.record for r in res.rejected] == [1]
    assert len(res.records) == len(rows) - 2
