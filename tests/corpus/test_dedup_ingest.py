"""Merging and deduplication rules, the merge policy, and the ingest accounting."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.corpus.corpus import Corpus
from bibliomap.corpus.dedup import _normalized_titles, find_duplicates, merge_group
from bibliomap.corpus.finalize import finalize_record
from bibliomap.io.ingest import ingest
from bibliomap.corpus.schema import new_author, new_record


def rec(title, year, surname, file="a.txt", n=1, **kw):
    r = new_record()
    r.update(title=title, year=year, authors=[new_author(f"{surname}, J", surname, "J")], database=kw.pop("database", "scopus"))
    r["provenance"] = [{"file": file, "format": "x", "record": n, "line": n}]
    r.update(kw)
    return finalize_record(r)


def test_rules_fire_in_order_and_are_named():
    recs = [
        rec("Deep learning for music generation from video", 2020, "Smith", doi="https://doi.org/10.1000/ABC", n=1),
        rec("Deep Learning for Music Generation from Video.", 2020, "Smith", file="b.bib", doi="10.1000/abc", n=1),
        rec("Deep learning for music generation from video", 2021, "Smith", file="c.csv", n=1),
        rec("Deep learning for music generaton from video", 2020, "Smith", file="d.csv", n=1),
        rec("Deep learning for music generation from video", 2024, "Smith", file="e.csv", n=1),
        rec("Deep learning for music generation from video", 2020, "Jones", file="f.csv", n=1),
    ]
    groups, rules = find_duplicates(recs)
    assert groups == [[0, 1, 2, 3]]
    assert rules[1] == "doi"
    assert rules[2] == "title_year_author"
    assert rules[3] == "fuzzy_title"


def test_different_dois_or_native_ids_never_merge_by_title():
    a = rec("A study of burst detection in citation networks", 2019, "Lee", doi="10.1000/x")
    b = rec("A study of burst detection in citation networks", 2019, "Lee", doi="10.1000/y")
    c = rec("A study of burst detection in citation networks", 2019, "Lee", wos_ut="WOS:000000000000001")
    d = rec("A study of burst detection in citation networks", 2019, "Lee", wos_ut="WOS:000000000000002")
    groups, _ = find_duplicates([a, b])
    assert groups == []
    groups, _ = find_duplicates([c, d])
    assert groups == []


def test_merge_keeps_union_of_references_and_max_citations():
    a = rec("Merging bibliographic databases", 2018, "Aria", file="s.csv", times_cited=10, database="scopus",
            references=["Aria, M., (2017) Journal of Informetrics, 11 (4), pp. 959-975."], author_keywords=["Bibliometrics"],
            _reference_style="scopus")
    b = rec("Merging bibliographic databases", 2018, "Aria", file="w.txt", times_cited=14, database="wos",
            references=["Aria M, 2017, J INFORMETR, V11, P959", "Small H, 1973, J AM SOC INFORM SCI, V24, P265"],
            author_keywords=["bibliometrics", "science mapping"], abstract="A longer abstract than none.", _reference_style="wos")
    merged = merge_group([a, b])
    assert merged["times_cited"] == 14
    assert {c["database"]: c["count"] for c in merged["citation_counts"]} == {"scopus": 10, "wos": 14}
    # the same cited work from two databases is one reference (same canonical key); nothing dropped
    assert len(merged["references"]) == 2
    assert "ref:small|1973|v24|p265" in merged["reference_keys"]
    assert merged["author_keywords"] == ["Bibliometrics", "science mapping"]
    assert merged["abstract"] == "A longer abstract than none."
    assert merged["databases"] == ["scopus", "wos"]
    assert len(merged["provenance"]) == 2
    fields = {f["field"]: f["source"] for f in merged["field_sources"]}
    assert fields["abstract"] == 1 and fields["times_cited"] == 1


def test_normalize_title():
    r = new_record()
    r["title"] = "  Ñoño: A (new) Title!  "
    assert list(_normalized_titles(Corpus.from_records([r]).table)) == ["nono a new title"]


def test_ingest_accounts_for_every_record(corpora, tmp_path):
    paths = sorted((corpora / "wos-plaintext").glob("*.txt"))
    corpus = ingest(paths + paths[:1])  # the first file twice: every record of the copy is a duplicate
    rep = corpus.ingest_report
    t = rep["totals"]
    assert t["read"] == t["kept"] + t["duplicates"] + t["rejected"]
    for f in rep["files"]:
        assert f["read"] == f["kept"] + f["duplicates"] + len(f["rejected"])
    assert rep["files"][-1]["duplicates"] == rep["files"][-1]["read"]
    assert len(corpus) == t["kept"]
    assert len(set(corpus.column("id").to_pylist())) == len(corpus)
    assert all(m["rule"] for m in rep["merges"])


def test_cli_ingest_writes_corpus_and_report(corpora, tmp_path):
    out, report = tmp_path / "c.parquet", tmp_path / "r.json"
    res = CliRunner().invoke(app, ["ingest", str(corpora / "wos-plaintext"), "--out", str(out), "--report", str(report), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(report.read_text())
    assert set(data) >= {"files", "totals", "merges"}
    assert set(data["files"][0]) >= {"path", "format", "read", "kept", "duplicates", "rejected"}
    assert set(data["totals"]) >= {"read", "kept", "duplicates", "rejected"}
    res = CliRunner().invoke(app, ["info", str(out)])
    assert res.exit_code == 0 and "references" in res.output


def test_cli_bad_input_is_a_clear_error_not_a_traceback(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    junk = tmp_path / "junk.dat"
    junk.write_bytes(b"\x00\x01 nothing bibliographic here \x02" * 10)
    res = CliRunner().invoke(app, ["ingest", str(empty), str(junk), "--report", str(tmp_path / "r.json")])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    data = json.loads((tmp_path / "r.json").read_text())
    errors = [f.get("error", "") for f in data["files"]]
    assert "empty" in errors[0] and str(empty) in errors[0]
    assert "unknown format" in errors[1]
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "missing.txt")])
    assert res.exit_code == 2 and "no such file" in res.output


def test_same_database_twice_in_the_same_source_merges_but_not_across_sources():
    a = rec("Web-based MCDA: Web-HIPRE decision support", 2000, "Mustajoki", eid="2-s2.0-001", source_title="INFOR", doi="10.1000/infor.1")
    b = rec("Web-based MCDA: Web-HIPRE decision support", 2000, "Mustajoki", eid="2-s2.0-002", source_title="INFOR Journal")
    c = rec("Spin angular momentum of a field at an interface", 1979, "Huard", wos_ut="WOS:A1979HF52100003", source_title="Optics Communications")
    d = rec("Spin angular momentum of a field at an interface", 1979, "Huard", wos_ut="WOS:A1979HS85100478", source_title="Journal of the Optical Society of America")
    groups, rules = find_duplicates([a, b, c, d])
    assert groups == [[0, 1]] and rules[1] == "title_year_author"


def test_proceedings_volumes_without_authors_stay_apart():
    recs = []
    for k, vol in enumerate(["6016", "6017", "6018"]):
        r = rec("Computational Science and Its Applications - ICCSA 2010", 2010, "x", volume=vol, eid=f"2-s2.0-{k}")
        r["authors"] = []
        recs.append(r)
    assert find_duplicates(recs)[0] == []
    a = rec("Same title of a proceedings paper here", 2010, "Lee", volume="12", source_title="LNCS")
    b = rec("Same title of a proceedings paper here", 2010, "Lee", volume="13", source_title="LNCS")
    assert find_duplicates([a, b])[0] == []
