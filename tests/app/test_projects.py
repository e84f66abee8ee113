"""Projects page: create, rename, duplicate, delete with confirmation; the list survives a restart."""
from __future__ import annotations

import re


def _rows(html: str) -> list[str]:
    return re.findall(r'class="project-link" href="/p/\d+/data">([^<]*)</a>', html)


def test_create_rename_duplicate_delete(app_client, corpora):
    c = app_client
    pid = c.create("Video to music")
    assert c.upload(pid, corpora / "ris/example.ris").status_code == 200
    c.ingest(pid)
    assert _rows(c.get("/").text) == ["Video to music"]
    assert c.form(f"/p/{pid}/rename", name="Music review").status_code == 200
    assert c.form(f"/p/{pid}/duplicate").status_code == 200
    html = c.get("/").text
    assert _rows(html) == ["Music review (copy)", "Music review"]
    from bibliomap.corpus.ingest import ingest

    n = len(ingest([corpora / "ris/example.ris"]))
    counts = re.findall(r'class="num records">([^<]*)<', html)
    assert n > 10 and counts == [str(n), str(n)]  # the copy keeps the uploads and the ingest report
    copy_id = c.app.state.store.projects()[0]["id"]
    assert (c.app.state.workspace.project_dir(copy_id) / "uploads" / "example.ris").exists()
    confirm = c.get(f"/p/{copy_id}/delete")
    assert "Delete the project" in confirm.text and _rows(c.get("/").text)[0] == "Music review (copy)"
    assert c.form(f"/p/{copy_id}/delete").status_code == 200
    assert _rows(c.get("/").text) == ["Music review"]
    assert not c.app.state.workspace.project_dir(copy_id).exists()


def test_state_survives_a_restart(open_app):
    first = open_app()
    first.create("kept across restarts")
    second = open_app()
    assert _rows(second.get("/").text) == ["kept across restarts"]


def test_a_project_needs_a_name(app_client):
    assert app_client.form("/projects", name="   ").status_code == 400
    assert app_client.get("/p/999/data").status_code == 404


def test_a_restart_removes_half_written_outputs_and_keeps_finished_ones(open_app):
    first = open_app()
    a, b = first.create("swap interrupted"), first.create("run interrupted")
    ws = first.app.state.workspace
    fa, fb = ws.project_dir(a), ws.project_dir(b)
    (fa / ".output.old-123").mkdir()  # killed between the two renames of the swap: the old output is all there is
    (fa / ".output.old-123" / "report.html").write_text("finished")
    (fb / "output").mkdir()
    (fb / "output" / "report.html").write_text("finished")
    (fb / ".output.x1y2.tmp").mkdir()  # killed while writing the new output
    (fb / ".output.x1y2.tmp" / "half.csv").write_text("partial")
    open_app()
    assert (fa / "output" / "report.html").read_text() == "finished"
    assert (fb / "output" / "report.html").read_text() == "finished"
    assert sorted(p.name for p in fa.iterdir() if p.name.startswith(".")) == []
    assert sorted(p.name for p in fb.iterdir() if p.name.startswith(".")) == []
