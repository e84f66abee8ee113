"""Reading one export in record-aligned splits gives what reading it whole gives (issue #18: one file, several tasks).

The split steps (``engines.file_splits``: locate, read each split, assemble) run here one after
another, without Spark, on every real export in a format that can be cut and on damaged copies
of them (records not closed, without title, mistyped tags, undefined macros, repeated fields),
with split sizes from a few kB up: the same records in the same order with the same
provenance (file, record, line), the same report entry (counts, rejections with their record,
line and reason, warnings naming lines and records).
"""
from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest

from bibliomap.io.ingest import read_one_file
from bibliomap.engines.file_splits import read_in_splits, renumber_records
from bibliomap.io.splits import SPLIT_FORMATS, align, count_newlines, plan_splits, record_start, split_header, split_start

SIZES = (2_500, 9_000, 40_000)


def splittable_exports(corpora: Path) -> list[Path]:
    files = [p for p in sorted(corpora.rglob("*")) if p.suffix.lower() in (".ris", ".txt", ".bib", ".csv")
             and p.name != "PROVENANCE.txt" and "LICENSE" not in p.name]
    return [p for p in files if (plan := plan_splits(p, None, 2_000)) is not None and plan.format in SPLIT_FORMATS]


def assert_same_as_whole(path: Path, split_bytes: int) -> dict | None:
    """Split reading equals whole reading (when the file is split and not sent back to whole reading); its report."""
    got = read_in_splits(path, None, split_bytes)
    if got is None:
        return None
    tables, report = got
    expected_tables, expected_report = read_one_file(path)
    assert pa.concat_tables(tables).equals(pa.concat_tables(expected_tables)), f"{path.name} at {split_bytes} bytes"
    assert report == expected_report, f"{path.name} at {split_bytes} bytes"
    return report


def test_real_exports_split_read_as_whole(corpora):
    files = splittable_exports(corpora)
    formats = {plan_splits(p, None, 2_000).format for p in files}
    assert formats == set(SPLIT_FORMATS), f"a format has no real export to cut: {sorted(SPLIT_FORMATS - formats)}"
    for path in files:  # the smallest and largest split sizes (all three: the damaged copies below)
        split = [s for s in (SIZES[0], SIZES[-1]) if assert_same_as_whole(path, s) is not None]
        assert SIZES[0] in split, f"{path.name} was not read in splits at {SIZES[0]} bytes"


def _damage(path: Path, tmp_path: Path, edits) -> Path:
    text = path.read_bytes().decode("utf-8")
    for pattern, repl, which in edits:
        hits = list(re.finditer(pattern, text, re.M))
        m = hits[which]
        text = text[: m.start()] + m.expand(repl) + text[m.end():]
    out = tmp_path / path.name
    out.write_bytes(text.encode("utf-8"))
    return out


DAMAGES = {
    # an ER removed mid-file and at the end, a record stripped of title and DOI
    "ris/example.ris": [(r"^ER  - *\r?\n", "", 4), (r"^(TI|DO)  - .*\r?\n", "", 20), (r"^(TI|DO)  - .*\r?\n", "", 20),
                        (r"^ER  - *\r?\n", "", -1)],
    # a mistyped PMID tag (a record read without PMID, with a warning naming its line), a record without TI and PMID
    "pubmed-medline/pubmed.txt": [(r"^PMID- ", "PMDI- ", 30), (r"^PMID- .*\n", "", 120), (r"^TI  - .*\n(      .*\n)*", "", 119)],
    # an ER removed (the record runs into the next PT), a title removed
    "wos-plaintext/metaknowledge_savedrecs.txt": [(r"^ER\s*\n", "", 9), (r"^TI .*\n", "", 20)],
    # an undefined macro and a repeated field (warnings naming line and record), an entry without title and DOI,
    # a broken entry start (rejected, and counted as a record)
    "scopus-bibtex/scopus.bib": [(r"^journal=\{", "publisher=NOSUCHMACRO,\njournal={", 30), (r"^year=\{(\d+)\},", r"year={\1},\nyear={\1},", 60),
                                 (r"^(title|doi)=\{.*\},\n", "", 180), (r"^(title|doi)=\{.*\},\n", "", 180),
                                 (r"^@ARTICLE\{", "@ARTICLE oops\n\n@ARTICLE{", 150)],
}


@pytest.mark.parametrize("name", sorted(DAMAGES))
def test_damaged_exports_split_read_as_whole(corpora, tmp_path, name):
    path = _damage(corpora / name, tmp_path, DAMAGES[name])
    whole = read_one_file(path)[1]
    assert whole["rejected"] or whole["warnings"], "the damage gave nothing to renumber"
    reports = [r for s in SIZES if (r := assert_same_as_whole(path, s)) is not None]
    assert reports, f"{name}: no split size kept the splits (each sent the file back to whole reading)"
    numbered = [w for w in reports[0]["warnings"] if "record " in w] + [r["reason"] for r in reports[0]["rejected"]]
    assert all("\x1e" not in m for m in numbered), "a record mark was left in a message"


def test_a_cut_record_sends_the_file_back_to_whole_reading(corpora, tmp_path):
    """A BibTeX entry start inside a field value (a line '@misc{' after a line ending with '}' in braces):
    whole, the reader rejects the entry around it as running into the next entry; the split ending
    there would reject it for another reason (never closed), and a rejected last record of a split
    sends the file back to whole reading, so the report cannot differ."""
    source = (corpora / "scopus-bibtex/scopus.bib").read_text(encoding="utf-8")
    entries = [m.start() for m in re.finditer(r"^@ARTICLE\{", source, re.M)]
    inside = source.index("abstract={", entries[3]) + len("abstract={")
    text = source[:inside] + "{a braced note}\n@misc{fake,\n" + source[inside:entries[6]]
    path = tmp_path / "cut.bib"
    path.write_text(text, encoding="utf-8")
    whole = read_one_file(path)[1]
    assert whole["read"] == 7 and "runs into the next entry" in whole["rejected"][0]["reason"]
    plan = plan_splits(path, None, 200)
    starts = [record_start(path, "bibtex", s) for s in plan.starts]
    assert text.encode().index(b"@misc{fake") in starts, "the false boundary was not taken (the case tests nothing)"
    assert read_in_splits(path, None, 200) is None


def test_splits_cover_the_file_at_record_starts(corpora):
    path = corpora / "pubmed-medline/pubmed.txt"
    plan = plan_splits(path, None, 7_000)
    located = [(a := record_start(path, plan.format, s), count_newlines(path, s, a, True),
                count_newlines(path, s, plan.starts[k + 1] if k + 1 < len(plan.starts) else plan.size, True))
               for k, s in enumerate(plan.starts)]
    ranges = align(plan, *map(list, zip(*located)))
    data = path.read_bytes()
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data) and len(ranges) > 100
    for (start, end, first_line), (nxt, _, _) in zip(ranges, ranges[1:] + [(len(data), 0, 0)]):
        assert end == nxt and data[start:start + 5] == b"PMID-" and first_line == data[:start].count(b"\n") + 1


def test_not_cut_when_cutting_could_change_the_reading(corpora, tmp_path):
    bib = (corpora / "scopus-bibtex/scopus.bib").read_bytes()
    macro = tmp_path / "macro.bib"
    macro.write_bytes(b"@string{ejor = {European Journal of Operational Research}}\n" + bib)
    nul = tmp_path / "nul.ris"
    nul.write_bytes((corpora / "ris/example.ris").read_bytes().replace(b"ER  -", b"ER\x00  -", 1))
    scopus = (corpora / "scopus-csv/litstudy_scopus.csv").read_bytes()
    unclosed = tmp_path / "unclosed.csv"  # a quote opened in the last row and never closed
    unclosed.write_bytes(scopus.rstrip(b"\r\n") + b'\n"never closed,2024,\n')
    bare_cr = tmp_path / "cr.csv"
    bare_cr.write_bytes(scopus.replace(b"\n", b"\r", 1))
    # a real IEEE export with quotes inside a quoted cell left undoubled ("... on "Computer as a Tool"",):
    # csv reads them as text, so the quote parity does not say where cells are
    stray = corpora / "demo/ieee_1.csv"
    assert b'on "Computer as a Tool""' in stray.read_bytes()
    assert plan_splits(corpora / "scopus-bibtex/scopus.bib", None, 5_000) is not None
    assert plan_splits(corpora / "scopus-csv/litstudy_scopus.csv", None, 5_000) is not None
    for path in (macro, nul, unclosed, bare_cr, stray):
        assert plan_splits(path, None, 5_000) is None, path.name


def test_renumber_records_moves_only_the_record_number(corpora):
    table = pa.concat_tables(read_one_file(corpora / "ris/example.ris")[0])
    moved = renumber_records(table, 1000)
    before, after = table.column("provenance").to_pylist(), moved.column("provenance").to_pylist()
    assert [[{**p, "record": p["record"] + 1000} for p in ps] for ps in before] == after
    assert moved.drop_columns(["provenance"]).equals(table.drop_columns(["provenance"]))


@pytest.mark.parametrize("name", ["scopus-csv/litstudy_scopus.csv", "springer-csv/springer_notebook.csv"])
def test_csv_splits_begin_outside_quoted_cells(corpora, name):
    """Exports whose quoted cells hold line breaks: a split begins only at a line end outside quotes (a naive
    cut at the next line end would fall inside a cell), after the header row, with the same reading."""
    path = corpora / name
    data = path.read_bytes()
    naive_inside = 0
    for size in (1_000, 3_000):
        plan = plan_splits(path, None, size)
        starts = [split_start(plan, k) for k in range(len(plan.starts))]
        naive = [data.find(b"\n", s - 1) + 1 for s in plan.starts[1:]]
        naive_inside += sum(data[:b].count(b'"') % 2 for b in naive if b)
        assert all(data[:b].count(b'"') % 2 == 0 and (b in (0, len(data)) or data[b - 1:b] == b"\n") for b in starts)
        assert split_header(plan, starts[1]).count("\n") == 1 and split_header(plan, 0) == ""
        assert assert_same_as_whole(path, size) is not None
    assert naive_inside, "no nominal start falls in a multi-line cell: the case tests nothing"


def test_damaged_csv_split_read_as_whole(tmp_path, corpora):
    """A Scopus CSV with a column named twice (a header warning, said once), a row with a cell missing and one
    without title or identifier (rejections with their line and record numbers), read in splits as whole."""
    lines = (corpora / "scopus-csv/bibliometrix_scopus_sample.csv").read_bytes().decode("utf-8-sig").split("\n")
    header = lines[0].split(",")
    lines[0] = ",".join(header + [header[2]])
    rows = [line + ',""' if line.strip() else line for line in lines[1:]]
    rows[3] = rows[3][: rows[3].rindex(",")]  # one cell short
    path = tmp_path / "scopus.csv"
    path.write_text("\n".join([lines[0]] + rows * 4), encoding="utf-8")
    whole = read_one_file(path)[1]
    assert whole["warnings"] and len(whole["rejected"]) == 4
    # rows of ~10 kB: with smaller splits a rejected row ends its split, which sends the file back to whole reading
    reports = [r for s in (40_000, 100_000, 150_000) if (r := assert_same_as_whole(path, s)) is not None]
    assert reports, "the damaged CSV was never read in splits"
    assert "\x1e" not in str(reports[0]) and reports[0]["rejected"][2]["line"] == whole["rejected"][2]["line"]
