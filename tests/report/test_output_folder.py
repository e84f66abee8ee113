"""`study --out` never destroys what is not a previous study, and a killed swap is repaired."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.report.output_folder import (
    OutputFolderError,
    check_output_folder,
    is_study_folder,
    make_temporary,
    recover,
)


def _fake_study(folder, marker: str) -> None:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"bibliomap": "0", "steps": [], "marker": marker}))
    (folder / "report.html").write_text(marker)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_study_refuses_to_replace_a_folder_of_exports(corpora, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(corpora / "ris" / "example.ris", data / "example.ris")
    res = CliRunner().invoke(app, ["study", str(data), "--out", str(data), "-q"])
    assert res.exit_code == 2
    assert "input" in res.output and str(data) in res.output
    assert (data / "example.ris").read_bytes() == (corpora / "ris" / "example.ris").read_bytes()
    # --force does not make a folder holding the inputs replaceable
    res = CliRunner().invoke(app, ["study", str(data), "--out", str(data), "-q", "--force"])
    assert res.exit_code == 2 and (data / "example.ris").is_file()


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_study_refuses_other_targets_without_force(corpora, tmp_path, kind):
    target = tmp_path / "target"
    if kind == "file":
        target.write_text("my notes")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("my notes")
    res = CliRunner().invoke(app, ["study", str(corpora / "ris" / "example.ris"), "--out", str(target), "-q"])
    assert res.exit_code == 2 and "--force" in res.output
    assert (target.read_text() if kind == "file" else (target / "notes.txt").read_text()) == "my notes"


def test_study_refuses_the_working_folder(corpora, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x")
    res = CliRunner().invoke(app, ["study", str(corpora / "ris" / "example.ris"), "--out", ".", "-q", "--force"])
    assert res.exit_code == 2 and "working folder" in res.output
    assert (tmp_path / "keep.txt").is_file()


def test_check_accepts_absent_empty_and_previous_study(tmp_path):
    check_output_folder(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty")
    _fake_study(tmp_path / "old", "old")
    assert is_study_folder(tmp_path / "old")
    check_output_folder(tmp_path / "old")
    (tmp_path / "old" / "manifest.json").write_text("{not json")
    with pytest.raises(OutputFolderError):
        check_output_folder(tmp_path / "old")
    check_output_folder(tmp_path / "old", force=True)


def test_check_names_a_parent_that_is_a_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputFolderError, match="not a folder"):
        check_output_folder(tmp_path / "afile" / "study")


def test_make_temporary_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        tmp = make_temporary(tmp_path / "study")
    finally:
        os.umask(old)
    assert tmp.stat().st_mode & 0o777 == 0o755
    assert tmp.name.startswith(f".study.{os.getpid()}.")


def test_make_temporary_error_names_the_path(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkdtemp", refuse)
    with pytest.raises(OutputFolderError, match="Permission denied") as exc:
        make_temporary(tmp_path / "study")
    assert str(tmp_path) in str(exc.value)


def test_recover_completes_a_swap_killed_between_the_renames(tmp_path):
    out = tmp_path / "study"
    pid = _dead_pid()
    _fake_study(tmp_path / f".study.old-{pid}", "old")
    _fake_study(tmp_path / f".study.{pid}.abc.tmp", "new")
    done = recover(out)
    assert (out / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]
    assert done and "completed" in done[0]


def test_recover_restores_the_old_study_when_the_new_one_is_incomplete(tmp_path):
    out = tmp_path / "study"
    pid = _dead_pid()
    _fake_study(tmp_path / f".study.old-{pid}", "old")
    half = tmp_path / f".study.{pid}.xyz.tmp"
    half.mkdir()
    (half / "report.html").write_text("half")  # no manifest: the run died before finishing
    recover(out)
    assert (out / "report.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]


def test_recover_leaves_live_runs_alone(tmp_path):
    out = tmp_path / "study"
    live = tmp_path / f".study.{os.getpid()}.run.tmp"
    live.mkdir()
    other = tmp_path / ".unrelated.123.tmp"
    other.mkdir()
    assert recover(out) == []
    assert live.is_dir() and other.is_dir()


def test_a_process_killed_between_the_renames_loses_no_study(tmp_path):
    """A real process dies (os._exit) after renaming the old study aside; the next run repairs it."""
    out = tmp_path / "study"
    _fake_study(out, "old")
    new = tmp_path / "new"
    _fake_study(new, "new")
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from bibliomap.report import output_folder
        from bibliomap.report.output_folder import make_temporary, swap_into_place
        tmp = make_temporary(Path({str(out)!r}))
        for f in Path({str(new)!r}).iterdir():
            os.replace(f, tmp / f.name)
        calls = []
        real = os.replace
        def dying_replace(a, b):
            calls.append(a)
            if len(calls) == 2:
                os._exit(9)  # killed between the two renames
            real(a, b)
        output_folder.os.replace = dying_replace
        swap_into_place(tmp, Path({str(out)!r}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert not out.exists()  # the kill left no study at the target...
    recover(out)  # ...until the next run repairs it
    assert (out / "report.html").read_text() == "new"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".study")]
