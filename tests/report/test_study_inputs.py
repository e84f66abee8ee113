"""Every command reads the same inputs: a saved corpus, files, folders and globs; bad inputs are named."""
from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app


def test_study_reads_a_saved_corpus_and_mixed_inputs(corpora, tmp_path):
    ris = corpora / "ris" / "example.ris"
    saved = tmp_path / "corpus.parquet"
    assert CliRunner().invoke(app, ["ingest", str(ris), "--out", str(saved), "-q"]).exit_code == 0
    out = tmp_path / "study"
    res = CliRunner().invoke(app, ["study", str(saved), str(ris), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    report = json.loads((out / "ingest.json").read_text())
    assert [f["format"] for f in report["files"]] == ["bibliomap-corpus", "ris"]
    # the saved corpus and the export hold the same records: every one is merged
    assert report["totals"]["kept"] == report["files"][0]["read"] == report["totals"]["duplicates"]


def test_a_single_saved_corpus_keeps_its_ingest_report(corpora, tmp_path):
    from bibliomap.io.ingest import ingest

    saved = tmp_path / "c.parquet"
    assert CliRunner().invoke(app, ["ingest", str(corpora / "ris" / "example.ris"), "--out", str(saved), "-q"]).exit_code == 0
    corpus = ingest([saved])
    assert corpus.ingest_report["files"][0]["format"] == "ris"


@pytest.mark.parametrize("command", [["study", "-q"], ["info"], ["metrics"], ["ingest", "-q"]])
def test_inputs_that_give_no_file_are_named(tmp_path, command):
    empty = tmp_path / "empty"
    empty.mkdir()
    for arg, says in ((str(tmp_path / "nothing*.ris"), "no file matches"), (str(empty), "holds no export files"),
                      (str(tmp_path / "missing.ris"), "no such file"), ("/dev/zero", "not a regular file")):
        res = CliRunner().invoke(app, [command[0], arg, *command[1:]])
        assert res.exit_code == 2, (arg, res.output)
        assert says in res.output and arg in res.output


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.ris"
    os.mkfifo(fifo)
    res = CliRunner().invoke(app, ["ingest", str(fifo), "-q"])
    assert res.exit_code == 2 and "not a regular file" in res.output


def test_study_says_which_file_gave_nothing(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes, not an export\n")
    res = CliRunner().invoke(app, ["study", str(bad), "--out", str(tmp_path / "s"), "-q"])
    assert res.exit_code == 1
    assert "notes.txt" in res.output and "nothing usable" in res.output


def test_ingest_refuses_to_overwrite_its_input_or_report(corpora, tmp_path):
    ris = tmp_path / "a.ris"
    ris.write_bytes((corpora / "ris" / "example.ris").read_bytes())
    res = CliRunner().invoke(app, ["ingest", str(ris), "--out", str(ris), "-q"])
    assert res.exit_code == 2 and "input" in res.output
    assert ris.read_bytes() == (corpora / "ris" / "example.ris").read_bytes()
    same = tmp_path / "x"
    res = CliRunner().invoke(app, ["ingest", str(ris), "--out", str(same), "--report", str(same), "-q"])
    assert res.exit_code == 2 and not same.exists()
