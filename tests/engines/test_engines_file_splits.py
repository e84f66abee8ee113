"""Reading one export in record-aligned splits gives what reading it whole gives (issue #18: one file, several tasks).

The split steps (``engines.file_splits``: locate, read each split, assemble) run here one after
another, without Spark, on every real export in a format that can be cut (the formats the corpora
hold no file of from real data: ``derived_exports``) and on damaged copies of them (records not closed, without title, mistyped tags, undefined macros, repeated fields),
with split sizes from a few kB up: the same records in the same order with the same
provenance (file, record, line), the same report entry (counts, rejections with their record,
line and reason, warnings naming lines and records).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from bibliomap.io.ingest import read_one_file
from bibliomap.engines.file_splits import read_in_splits, renumber_records
from bibliomap.io.splits import SPLIT_FORMATS, align, count_newlines, plan_splits, record_start, split_header, split_start

SIZES = (2_500, 9_000, 40_000)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def splittable_exports(corpora: Path) -> list[Path]:
    files = [p for p in sorted(corpora.rglob("*")) if p.suffix.lower() in (".ris", ".txt", ".bib", ".csv")
             and p.name != "PROVENANCE.txt" and "LICENSE" not in p.name]
    return [p for p in files if (plan := plan_splits(p, None, 2_000)) is not None and plan.format in SPLIT_FORMATS]


def derived_exports(corpora: Path, folder: Path) -> dict[str, Path]:
    """Exports, by name, in the formats the corpora hold no file of: Web of Science tab-delimited converted from
    the real plain-text exports (``fixtures/tagged/make_wos_tab.py``, UTF-8 with BOM and CRLF as WoS writes it),
    OpenAlex and Crossref JSON Lines of the real PubMed export's records (``tests/harvest/apisim.py``), the real
    Publish or Perish export of ``fixtures/harvest``, and the Dimensions CSV fixtures' rows copied four times
    (with and without the "About the data" preamble; their quoted cells hold line breaks)."""
    for where in (FIXTURES / "tagged", FIXTURES.parent / "harvest"):
        if str(where) not in sys.path:
            sys.path.insert(0, str(where))
    from apisim import real_data
    from make_wos_tab import plaintext_to_tab

    out = {"pop_propithecus.csv": FIXTURES / "harvest/pop_propithecus.csv"}
    for name in ("metaknowledge_savedrecs", "bibliometrix_wos_sample"):
        tab = plaintext_to_tab((corpora / f"wos-plaintext/{name}.txt").read_text(encoding="utf-8-sig"))
        out[f"{name}_tab.txt"] = folder / f"{name}_tab.txt"
        out[f"{name}_tab.txt"].write_bytes(codecs.BOM_UTF8 + tab.encode("utf-8"))
    _, works, items = real_data()
    for name, objects in (("openalex_pubmed.jsonl", works), ("crossref_pubmed.jsonl", items)):
        out[name] = folder / name
        out[name].write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    for name, head_rows in (("dimensions_full_resaved.csv", 2), ("dimensions_standard.csv", 1)):
        lines = (FIXTURES / "web" / name).read_bytes().split(b"\n")
        rows = [b"\n".join(lines[head_rows:]).rstrip(b"\n")] * 4
        out[name] = folder / name
        out[name].write_bytes(b"\n".join(lines[:head_rows] + rows) + b"\n")
    return out


@pytest.fixture(scope="module")
def derived(corpora, tmp_path_factory) -> dict[str, Path]:
    return derived_exports(corpora, tmp_path_factory.mktemp("derived"))


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


def test_real_exports_split_read_as_whole(corpora, derived):
    files = splittable_exports(corpora) + [p for p in derived.values() if plan_splits(p, None, 2_000) is not None]
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


def _several_splits(path: Path, split_bytes: int) -> int:
    """How many record-aligned splits ``path`` is read in at ``split_bytes`` (0: not split)."""
    from bibliomap.engines.file_splits import locate, split_ranges

    plan = plan_splits(path, None, split_bytes)
    return 0 if plan is None else len(split_ranges(plan, [locate(plan, k) for k in range(len(plan.starts))]))


def _edited(path: Path, tmp_path: Path, edit) -> Path:
    """A copy of ``path`` (its text, UTF-8) changed by ``edit``, under the same name."""
    out = tmp_path / path.name
    out.write_text(edit(path.read_bytes().decode("utf-8")), encoding="utf-8")
    return out


def _wos_tab_damage(text: str) -> str:
    """Row 5 cut short (truncated), row 12 without title, UT and DOI, a blank line between rows 20 and 21."""
    lines = text.split("\r\n")
    header = lines[0].lstrip("\ufeff").split("\t")
    lines[5] = "\t".join(lines[5].split("\t")[:10])
    cells = lines[12].split("\t")
    for tag in ("TI", "UT", "DI"):
        cells[header.index(tag)] = ""
    lines[12] = "\t".join(cells)
    lines.insert(21, "")
    return "\r\n".join(lines)


def _jsonl_damage(text: str) -> str:
    """Line 40 cut (invalid JSON), line 90 a list (no work), a blank line before line 150, one work without id and title."""
    lines = text.split("\n")
    lines[40] = lines[40][:50]
    lines[90] = '["not", "a", "work"]'
    work = json.loads(lines[200])
    lines[200] = json.dumps({k: v for k, v in work.items() if k not in ("id", "title", "display_name", "DOI")})
    lines.insert(150, "")
    return "\n".join(lines)


def _pop_damage(text: str) -> str:
    """Row 7's Cites 'n/a' (a warning naming line and record), row 19 without title and DOI, row 23 cut short
    (both rejected); each row rewritten with the csv module, as PoP quotes."""
    lines = text.split("\n")

    def rewrite(i: int, change) -> None:
        [row] = csv.reader([lines[i]])
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(change(row))
        lines[i] = out.getvalue()

    rewrite(7, lambda row: ["n/a"] + row[1:])
    rewrite(19, lambda row: row[:2] + [""] + row[3:11] + [""] + row[12:])
    rewrite(23, lambda row: row[:-3])
    return "\n".join(lines)


def _dimensions_damage(text: str) -> str:
    """In the third copy of the rows: the first row's Times cited 'n/a' (a warning), the second row without
    Publication ID, DOI and Title (rejected); rows rewritten with the csv module."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    third = 1 + 2 * (len(rows) - 1) // 4
    rows[third][header.index("Times cited")] = "n/a"
    for column in ("Publication ID", "DOI", "Title"):
        rows[third + 1][header.index(column)] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


NEW_DAMAGES = {
    "dimensions_standard.csv": _dimensions_damage,
    "metaknowledge_savedrecs_tab.txt": _wos_tab_damage,
    "openalex_pubmed.jsonl": _jsonl_damage,
    "crossref_pubmed.jsonl": _jsonl_damage,
    "pop_propithecus.csv": _pop_damage,
}


@pytest.mark.parametrize("name", sorted(NEW_DAMAGES))
def test_damaged_line_exports_split_read_as_whole(derived, tmp_path, name):
    """Damaged copies of the exports cut at any line end (WoS tab-delimited, JSON Lines) and of the PoP and Dimensions exports:
    rejections and warnings with the file's record and line numbers, read in several splits as whole."""
    path = _edited(derived[name], tmp_path, NEW_DAMAGES[name])
    whole = read_one_file(path)[1]
    assert len(whole["rejected"]) + len(whole["warnings"]) >= 2, "the damage gave little to renumber"
    reports = [r for s in (1_000,) + SIZES if (r := assert_same_as_whole(path, s)) is not None and _several_splits(path, s) > 2]
    assert reports, f"{name}: no split size kept several splits (each sent the file back to whole reading)"
    assert "\x1e" not in str(reports[0])


def test_new_formats_are_read_in_several_splits(derived):
    """Each format made splittable here is cut in several splits that begin at line (or row) starts after the
    header, with the file's line numbers."""
    for name, size in (("metaknowledge_savedrecs_tab.txt", 9_000), ("openalex_pubmed.jsonl", 40_000),
                       ("crossref_pubmed.jsonl", 40_000), ("pop_propithecus.csv", 2_500),
                       ("dimensions_full_resaved.csv", 2_500), ("dimensions_standard.csv", 1_000)):
        path = derived[name]
        assert _several_splits(path, size) > 2, name
        plan = plan_splits(path, None, size)
        data = path.read_bytes()
        starts = [split_start(plan, k) for k in range(len(plan.starts))]
        assert all(b == 0 or b == len(data) or data[b - 1:b] == b"\n" for b in starts), name
        header = split_header(plan, starts[1])
        if plan.format in ("openalex_json", "crossref_json"):
            assert header == ""
        else:  # the header row (after Dimensions' preamble row), as the file has it
            assert data.startswith(codecs.BOM_UTF8 * data.startswith(codecs.BOM_UTF8) + header.encode()), name
            assert header.count("\n") == (2 if name == "dimensions_full_resaved.csv" else 1), name


def test_line_exports_not_cut_when_cutting_could_change_the_reading(derived, tmp_path):
    """Read whole: a UTF-16 WoS tab-delimited export (0x0A is half a character there), one with a bare CR, a
    JSON document (an array spanning lines, or one work on its line with blank lines after it), JSON Lines with
    a character ``str.splitlines`` takes for a line end inside a string, and a PoP export whose rows show no
    Google Scholar CitesURL (its database is decided by all its rows)."""
    utf16 = FIXTURES / "tagged/wos_tab_utf16.txt"
    assert read_one_file(utf16)[1]["read"] > 0
    tab = derived["metaknowledge_savedrecs_tab.txt"].read_bytes()
    bare_cr = tmp_path / "cr_tab.txt"
    bare_cr.write_bytes(tab.replace(b"\r\n", b"\r", 3))
    works = [json.loads(line) for line in derived["openalex_pubmed.jsonl"].read_text(encoding="utf-8").splitlines()]
    array = tmp_path / "works.json"
    array.write_text(json.dumps(works[:40], indent=1), encoding="utf-8")
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(works[0]) + "\n" * 3000, encoding="utf-8")
    ls = tmp_path / "ls.jsonl"
    ls.write_text("".join(json.dumps(w, ensure_ascii=False).replace("a", "a\u2028", 1 if i == 7 else 0) + "\n"
                          for i, w in enumerate(works)), encoding="utf-8")
    pop = _edited(derived["pop_propithecus.csv"], tmp_path, lambda t: t.replace("scholar.google.com", "openalex.org"))
    assert read_one_file(pop)[0][0].column("database").to_pylist()[0] == "openalex"
    assert plan_splits(derived["metaknowledge_savedrecs_tab.txt"], None, 2_000) is not None
    assert plan_splits(derived["openalex_pubmed.jsonl"], None, 2_000) is not None
    assert plan_splits(derived["pop_propithecus.csv"], None, 2_000) is not None
    for path in (utf16, bare_cr, array, one, ls, pop):
        assert plan_splits(path, None, 1_000) is None, path.name
