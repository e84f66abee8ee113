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
    from bibliomap.io.ingest import ingest

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


def test_a_project_with_thesauri_can_be_duplicated_and_moved(open_app, tmp_path):
    """The project's study.toml names its thesauri relative to the project, so a copy uses its own and a
    moved workspace still runs."""
    import shutil

    from bibliomap.app.workspace import read_config

    c = open_app()
    pid = c.create("with thesauri")
    c.post(f"/p/{pid}/thesaurus", data={"csrf": c.csrf, "kind": "maps"}, files={"file": ("m.txt", b"label\treplace by\nfoo\tbar\n")})
    c.post(f"/p/{pid}/thesaurus", data={"csrf": c.csrf, "kind": "terms"}, files={"file": ("t.txt", b"label\treplace by\nbaz\t\n")})
    assert c.form(f"/p/{pid}/duplicate").status_code == 200
    copy_id = c.app.state.store.projects()[0]["id"]
    ws = c.app.state.workspace
    for p in (pid, copy_id):
        cfg = read_config(ws.project_dir(p))
        assert cfg["maps"]["thesaurus"] == str(ws.project_dir(p) / "thesaurus_maps.txt")
        assert cfg["terms"]["thesaurus"] == str(ws.project_dir(p) / "thesaurus_terms.txt")
    assert "baz" in c.get(f"/p/{copy_id}/thesaurus.txt").text
    text = (ws.project_dir(pid) / "study.toml").read_text()
    assert str(ws.root) not in text  # nothing absolute
    moved = tmp_path / "moved"
    shutil.copytree(ws.root / "projects", moved)
    assert read_config(moved / str(pid))["maps"]["thesaurus"] == str(moved / str(pid) / "thesaurus_maps.txt")
