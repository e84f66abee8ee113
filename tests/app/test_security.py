"""Security: upload names cannot traverse, only workspace files are served, the access token off
localhost, the Host/Origin checks, CSRF on state-changing requests, escaped user text, the upload limit."""
from __future__ import annotations

import os

import pytest

from bibliomap.app.workspace import safe_filename


@pytest.mark.parametrize("given, expected", [
    ("../../../etc/passwd", "passwd"),
    ("..\\..\\windows\\evil.ris", "evil.ris"),
    ("/abs/path/scopus.csv", "scopus.csv"),
    ("..", "upload"),
    (".hidden.csv", "hidden.csv"),
    ("a<b>|c?.csv", "a_b_c_.csv"),
    ("", "upload"),
])
def test_safe_filename(given, expected):
    assert safe_filename(given) == expected


def test_upload_names_cannot_leave_the_project(app_client, ris):
    c = app_client
    pid = c.create("traversal")
    folder = c.app.state.workspace.project_dir(pid)
    for name in ("../../../evil.ris", "..%2F..%2Fevil2.ris", "../study.toml"):
        r = c.upload(pid, ris, name=name)
        assert r.status_code == 200
        assert "/" not in r.json()["name"] and ".." not in r.json()["name"]
    stored = sorted(p.name for p in (folder / "uploads").iterdir())
    assert len(stored) == 3 and "evil.ris" in stored and "study.toml" in stored
    assert not (c.app.state.workspace.root / "evil.ris").exists()
    assert (folder / "study.toml").read_text().startswith("# bibliomap study configuration")  # not overwritten


def test_only_output_files_are_served(app_client, ris, tmp_path):
    c = app_client
    pid = c.create("served files")
    out = c.app.state.workspace.project_dir(pid) / "output"
    out.mkdir()
    (out / "report.html").write_text("<p>ok</p>")
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    os.symlink(secret, out / "link.txt")
    assert c.get(f"/p/{pid}/output/report.html").status_code == 200
    for path in ("%2e%2e/study.toml", "..%2f..%2f..%2fbibliomap-app.sqlite", "link.txt", "%2fetc%2fpasswd", "missing.csv"):
        r = c.get(f"/p/{pid}/output/{path}")
        assert r.status_code == 404, path
        assert "private" not in r.text
    r = c.get(f"/p/{pid}/output/report.html")
    assert "sandbox" in r.headers["content-security-policy"]


def test_token_required_off_localhost(open_app):
    c = open_app(token="s3cret-token")
    assert c.client.get("/").status_code == 403
    assert c.client.get("/?token=wrong").status_code == 403
    assert c.client.get("/static/app.js").status_code == 403
    r = c.client.get("/?token=s3cret-token", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "bibliomap_token=s3cret-token" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    assert c.client.get("/").status_code == 200  # the cookie now carries it
    c.client.cookies.clear()
    assert c.client.get("/", headers={"Authorization": "token s3cret-token"}).status_code == 200
    assert c.client.get("/", headers={"Authorization": "token nope"}).status_code == 403


def test_local_mode_refuses_foreign_host_and_origin(app_client):
    c = app_client
    assert c.get("/", headers={"Host": "evil.example"}).status_code == 403  # DNS rebinding
    assert c.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    r = c.post("/projects", data={"name": "x", "csrf": c.csrf}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert c.app.state.store.projects() == []


def test_csrf_token_required(app_client, ris):
    c = app_client
    assert c.post("/projects", data={"name": "no token"}).status_code == 403
    assert c.post("/projects", data={"name": "bad token", "csrf": "x" * 43}).status_code == 403
    assert c.app.state.store.projects() == []
    pid = c.create("ok")
    assert c.put(f"/p/{pid}/upload", params={"name": "a.ris"}, content=ris.read_bytes()).status_code == 403
    assert c.post(f"/p/{pid}/delete", data={}).status_code == 403
    assert c.post(f"/p/{pid}/terms", json={"choices": []}).status_code == 403
    assert c.app.state.store.project(pid) is not None


def test_hostile_text_is_escaped(app_client):
    c = app_client
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    pid = c.create(hostile)
    for url in ("/", f"/p/{pid}/data", f"/p/{pid}/delete", f"/p/{pid}/run"):
        html = c.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url
    assert "script-src 'self'" in c.get("/").headers["content-security-policy"]


def test_oversized_upload_is_refused_and_leaves_nothing(open_app, ris):
    c = open_app(max_upload=10_000)
    pid = c.create("limits")
    uploads = c.app.state.workspace.project_dir(pid) / "uploads"
    r = c.upload(pid, ris)  # 43 kB with a Content-Length header
    assert r.status_code == 413 and "limit" in r.json()["error"]
    data = ris.read_bytes()
    # streamed without a Content-Length: counted while it arrives
    r = c.put(f"/p/{pid}/upload", params={"name": "chunked.ris"}, headers={"X-CSRF-Token": c.csrf},
              content=(data[i:i + 4096] for i in range(0, len(data), 4096)))
    assert r.status_code == 413
    assert list(uploads.iterdir()) == []
    assert c.put(f"/p/{pid}/upload", params={"name": "small.ris"}, headers={"X-CSRF-Token": c.csrf}, content=data[:5000]).status_code == 200
