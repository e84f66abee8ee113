"""Output problems (a file where a folder should be, a read-only folder, a full disk) end as one
line naming the path with exit status 2, never a traceback."""
from __future__ import annotations

import errno

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.atomic import WriteError, write_text


def _no_traceback(res) -> None:
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_out_under_a_file(corpora, tmp_path):
    (tmp_path / "afile").write_text("x")
    ris = str(corpora / "ris" / "example.ris")
    for args in (["ingest", ris, "--out", str(tmp_path / "afile" / "c.parquet")],
                 ["ingest", ris, "--report", str(tmp_path / "afile" / "r.json")],
                 ["metrics", ris, "--json", str(tmp_path / "afile" / "m.json")],
                 ["study", ris, "--out", str(tmp_path / "afile" / "study")]):
        res = CliRunner().invoke(app, args + ["-q"] if args[0] != "metrics" else args)
        assert res.exit_code == 2, (args, res.output)
        _no_traceback(res)
        assert "afile" in res.output and "not a folder" in res.output


def test_out_that_is_a_folder(corpora, tmp_path):
    res = CliRunner().invoke(app, ["ingest", str(corpora / "ris" / "example.ris"), "--out", str(tmp_path), "-q"])
    assert res.exit_code == 2 and "folder" in res.output
    _no_traceback(res)


def test_read_only_folder(corpora, tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    monkeypatch.setattr("tempfile.mkdtemp", refuse)
    ris = str(corpora / "ris" / "example.ris")
    for args in (["ingest", ris, "--out", str(tmp_path / "c.parquet"), "-q"],
                 ["study", ris, "--out", str(tmp_path / "study"), "-q"]):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 2, res.output
        _no_traceback(res)
        assert "Permission denied" in res.output and str(tmp_path) in res.output


def test_full_disk_while_writing_the_corpus(corpora, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    def full(*a, **k):
        raise OSError("[Errno 28] Error writing bytes to file. Detail: [errno 28] No space left on device")

    monkeypatch.setattr(pq, "write_table", full)
    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)  # `ingest --out` writes the corpus as it is merged
    target = tmp_path / "c.parquet"
    res = CliRunner().invoke(app, ["ingest", str(corpora / "ris" / "example.ris"), "--out", str(target), "-q"])
    assert res.exit_code == 2, res.output
    _no_traceback(res)
    assert str(target) in res.output and "No space left" in res.output
    assert not list(tmp_path.iterdir())  # no temporary file left behind


def test_write_error_names_the_target(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(WriteError) as exc:
        write_text(tmp_path / "f" / "out.txt", "data")
    assert exc.value.filename == str(tmp_path / "f" / "out.txt")
    assert "is a file, not a folder" in str(exc.value)
