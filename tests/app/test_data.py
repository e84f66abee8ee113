"""Data page: streamed uploads, the library's ingest report per file, field completeness."""
from __future__ import annotations

import re

from bibliomap.io.ingest import ingest


def test_two_formats_ingest_like_the_library(app_client, scopus, ris):
    c = app_client
    pid = c.create("two formats")
    for path in (scopus, ris):
        r = c.upload(pid, path)
        assert r.status_code == 200 and r.json()["bytes"] == path.stat().st_size
    html = c.ingest(pid).text
    expected = ingest([ris, scopus])  # the uploads are read in name order
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in expected.ingest_report["files"]}
    for name, fmt in (("litstudy_scopus.csv", "scopus_csv"), ("example.ris", "ris")):
        row = re.search(rf'<tr data-file="{re.escape(name)}">(.*?)</tr>', html, re.S).group(1)
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
        f = by_name[name]
        assert cells[1] == fmt == f["format"]
        assert cells[3:7] == [str(f["read"]), str(f["kept"]), str(f["duplicates"]), str(len(f["rejected"]))]
    t = expected.ingest_report["totals"]
    assert f"{t['read']} records read from 2 file(s)" in html
    assert f"{len(expected)} documents to analyse" in html
    # completeness: RIS and Scopus both carry titles; the analyses table says what runs
    analyses = re.search(r'<table class="table" id="analyses">(.*?)</table>', html, re.S).group(1)
    assert re.search(r"Term co-occurrence map \(titles\)</td><td>title</td><td class=\"num\">100%</td>\s*<td>yes", analyses)
    share = expected.completeness()["references"]
    assert f"{round(100 * share)}%" in analyses


def test_rejected_records_show_reason_and_line(app_client, tmp_path):
    bad = tmp_path / "broken.ris"
    bad.write_text("TY  - JOUR\nTI  - A good record\nPY  - 2020\nER  - \n\nTY  - JOUR\nPY  - 2021\nER  - \n", encoding="utf-8")
    c = app_client
    pid = c.create("rejects")
    c.upload(pid, bad)
    html = c.ingest(pid).text
    lib = ingest([bad]).ingest_report["files"][0]
    assert lib["rejected"], "the fixture must produce a rejected record"
    table = re.search(r'<table class="table" id="rejected">(.*?)</table>', html, re.S).group(1)
    first = lib["rejected"][0]
    assert first["reason"].replace("'", "&#39;").replace('"', "&#34;") in table
    assert f'<td class="num">{first["line"]}</td>' in table


def test_upload_replaces_a_file_of_the_same_name_and_can_be_removed(app_client, ris):
    c = app_client
    pid = c.create("files")
    assert c.upload(pid, ris).json()["replaced"] is False
    assert c.upload(pid, ris).json()["replaced"] is True
    folder = c.app.state.workspace.project_dir(pid) / "uploads"
    assert [p.name for p in folder.iterdir()] == ["example.ris"]
    c.form(f"/p/{pid}/uploads/delete", name="example.ris")
    assert list(folder.iterdir()) == []
    assert "upload export files first" in c.ingest(pid).text


def test_ingest_progress_is_determinate(app_client, scopus, ris, tmp_path):
    """The ingest reports each file as it starts and the merge, with a fraction that only grows to 1;
    the page's status endpoint says when it is over."""
    from bibliomap.app import ingesting

    c = app_client
    pid = c.create("progress")
    for path in (scopus, ris):
        c.upload(pid, path)
    events: list[tuple[str, float]] = []
    folder = c.app.state.workspace.project_dir(pid)
    report = ingesting.run_ingest(folder, lambda message, fraction: events.append((message, fraction)))
    fractions = [f for _, f in events]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert len(set(fractions)) >= 4  # more than start and end: per file, the merge, the report
    messages = " | ".join(m for m, _ in events)
    assert "example.ris (1 of 2)" in messages and "litstudy_scopus.csv (2 of 2)" in messages
    assert "finding duplicates" in messages
    assert events[-1][0] == f"{report['documents']:,} documents"
    html = c.ingest(pid).text
    assert 'id="ingest-progress"' not in html and 'id="ingest-summary"' in html
    status = c.get(f"/p/{pid}/ingest/status").json()
    assert status["final"] is True and status["error"] is None


def test_failing_ingest_is_shown_and_the_project_stays_usable(app_client, ris, monkeypatch):
    from bibliomap.app import ingesting

    c = app_client
    pid = c.create("failing ingest")
    c.upload(pid, ris)

    def broken(folder, on_progress=None):
        on_progress("reading", 0.1)
        raise OSError("disk on fire")

    monkeypatch.setattr(ingesting, "run_ingest", broken)
    html = c.ingest(pid).text
    assert "The ingest failed: OSError: disk on fire" in html
    monkeypatch.undo()
    assert 'id="ingest-summary"' in c.ingest(pid).text


def test_a_large_file_reports_progress_while_it_is_read(corpora, monkeypatch):
    """One file alone: its progress moves with the records read (by their line numbers), not only at its end."""
    from bibliomap.io import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "_PROGRESS_BYTES", 0)  # pubmed.txt (1.4 MB) stands for a large export
    monkeypatch.setattr(ingest_module, "_PROGRESS_EVERY", 50)
    events: list[tuple[str, float]] = []
    pubmed_file = next(corpora.glob("*/pubmed.txt"))
    corpus = ingest_module.ingest([pubmed_file], on_progress=lambda m, f: events.append((m, f)))
    within = [(m, f) for m, f in events if m.startswith("reading pubmed.txt (1 of 1): ")]
    n = corpus.ingest_report["files"][0]["read"]
    assert len(within) == n // 50 >= 6
    assert [m.rsplit(": ", 1)[1] for m, _ in within] == [f"{k * 50:,} records" for k in range(1, n // 50 + 1)]
    fractions = [f for _, f in events]
    assert fractions == sorted(fractions)
    read_share = ingest_module._READ_SHARE
    assert 0 < within[0][1] < within[-1][1] < read_share  # between the file's start and its end
