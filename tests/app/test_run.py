"""Settings, runs (queue, progress, cancel) and results (files, zip, a study.toml that reproduces the run)."""
from __future__ import annotations

import csv
import io
import json
import re
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bibliomap.app import settings as app_settings
from bibliomap.app.workspace import read_config
from bibliomap.cli import app as cli
from bibliomap.report.config import ConfigError, defaults, load_config, to_toml
from bibliomap.report.pipeline import FINAL_STEPS, STEPS

FAST = {"terms.min_occurrences": "3", "maps.clustering_random_starts": "2"}


def settings_form(c, pid: int, **changes: str) -> dict:
    """The settings form as the page fills it, with ``changes`` (keys like 'terms.min_occurrences')."""
    cfg = read_config(c.app.state.workspace.project_dir(pid))
    form = {}
    for f in app_settings.fields(cfg):
        name = f"{f['section']}.{f['key']}"
        if f["managed"]:
            continue
        if f["kind"] == "bool":
            if f["value"]:
                form[name] = "on"
        else:
            form[name] = str(f["value"])
    form.update(changes)
    return form


def project_with_data(c, scopus, ris, name="study") -> int:
    pid = c.create(name)
    for p in (scopus, ris):
        assert c.upload(pid, p).status_code == 200
    r = c.form(f"/p/{pid}/settings", **settings_form(c, pid, **FAST))
    assert "Saved." in r.text
    return pid


def running_study(c, pid: int):
    """Start the project's study (its first job) and return the store once its first step is recorded."""
    c.form(f"/p/{pid}/run")
    store = c.app.state.store
    deadline = time.time() + 60
    while not store.steps(1) and time.time() < deadline:
        time.sleep(0.2)
    return store


def test_settings_round_trip_and_refusal(app_client, tmp_path):
    c = app_client
    pid = c.create("settings")
    html = c.get(f"/p/{pid}/settings").text
    for section in ("study", "ingest", "terms", "maps", "trends"):
        assert f"<legend>[{section}]</legend>" in html
    assert html.count('class="field"') == len(app_settings.PARAMETERS)
    c.form(f"/p/{pid}/settings", **settings_form(c, pid, **{"terms.counting": "full", "trends.time_slices": "2015, 2020", "study.title": 'A "quoted" title'}))
    cfg = read_config(c.app.state.workspace.project_dir(pid))
    assert cfg["terms"]["counting"] == "full" and cfg["trends"]["time_slices"] == [2015, 2020]
    assert cfg["study"]["title"] == 'A "quoted" title'
    assert cfg["ingest"]["deduplicate"] is True
    r = c.form(f"/p/{pid}/settings", **settings_form(c, pid, **{"terms.keep": "0"}))
    assert r.status_code == 400 and "[terms] keep must be in (0.0, 1.0]" in r.text
    c.form(f"/p/{pid}/settings", **settings_form(c, pid, **{"maps.counting": "fractional"}))
    assert read_config(c.app.state.workspace.project_dir(pid))["maps"]["counting"] == "fractional"
    assert '<option selected>fractional</option>' in c.get(f"/p/{pid}/settings").text
    r = c.form(f"/p/{pid}/settings", **settings_form(c, pid, **{"maps.counting": "binary"}))
    assert r.status_code == 400 and "[maps] counting must be one of full, fractional" in r.text
    toml = tmp_path / "study.toml"  # the command line refuses it too
    toml.write_text(to_toml({**defaults(), "maps": {**defaults()["maps"], "counting": "binary"}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[maps\] counting must be one of full, fractional, got 'binary'"):
        load_config(toml)
    r = c.form(f"/p/{pid}/settings", **settings_form(c, pid, **{"maps.resolution": "high"}))
    assert r.status_code == 400 and "resolution" in r.text
    assert read_config(c.app.state.workspace.project_dir(pid))["terms"]["keep"] == 0.6  # nothing saved


def test_settings_show_how_many_items_meet_each_threshold(app_client, scopus, ris):
    from bibliomap.io.ingest import ingest
    from bibliomap.networks.occurrences import occurrences

    c = app_client
    pid = project_with_data(c, scopus, ris)
    c.ingest(pid)
    html = c.get(f"/p/{pid}/settings").text
    hist = json.loads(re.search(r'data-for="maps.keyword_min_occurrences" data-noun="keywords" data-mode="threshold" data-hist=\'([^\']*)\'', html).group(1))
    per_item = occurrences(ingest([ris, scopus]), "author-keywords").documents_per_item()
    assert sum(hist.values()) == len(per_item) > 0
    assert sum(v for k, v in hist.items() if int(k) >= 3) == int((per_item >= 3).sum())
    from bibliomap.networks.builders import document_indicators

    cites = document_indicators(ingest([ris, scopus]))["citations"].to_numpy()
    hist = json.loads(re.search(r'data-for="maps.coupling_min_citations" data-noun="documents" data-mode="threshold" data-hist=\'([^\']*)\'', html).group(1))
    assert sum(hist.values()) == len(cites) and sum(v for k, v in hist.items() if int(k) >= 10) == int((cites >= 10).sum()) > 0


def test_run_results_zip_and_reproducible_config(app_client, scopus, ris, tmp_path):
    c = app_client
    pid = project_with_data(c, scopus, ris)
    folder = c.app.state.workspace.project_dir(pid)
    # a thesaurus for the maps: the study.toml must name it so that it travels with the output
    rules = "label\treplace by\nno such item anywhere\t\n"
    c.post(f"/p/{pid}/thesaurus", data={"csrf": c.csrf, "kind": "maps"}, files={"file": ("maps.txt", rules.encode())})
    c.form(f"/p/{pid}/run")
    events = c.get(f"/p/{pid}/jobs/1/events").text  # streams until the job ends
    job = c.wait(pid)
    assert job["status"] == "done", job
    updates = [json.loads(line[6:]) for line in events.splitlines() if line.startswith("data: ")]
    assert updates[-1]["status"] == "done" and len(updates[-1]["steps"]) == len(STEPS) + len(FINAL_STEPS)
    assert len(updates) >= 2  # progress arrived in several messages
    steps = c.app.state.store.steps(job["id"])
    assert [s["name"] for s in steps] == [n for n, _, _ in STEPS + FINAL_STEPS]
    run_html = c.get(f"/p/{pid}/run").text
    assert "Term co-occurrence map" in run_html and "status-done" in run_html
    assert re.search(r'class="last-run">done', c.get("/").text)

    results = c.get(f"/p/{pid}/results").text
    for link in ("tables/terms.csv?download=1", "figures/annual_production.png?download=1", "figures/annual_production.svg?download=1",
                 "tables/study.xlsx?download=1", "maps/term_cooccurrence/map.json?download=1", "study.toml?download=1"):
        assert f"/p/{pid}/output/{link}" in results, link
    report = c.get(f"/p/{pid}/report").text
    assert f'href="/p/{pid}/output/report.html#term-map" target="report"' in report  # the report's sections as links
    table = c.get(f"/p/{pid}/tables/terms").text
    n_rows = len((folder / "output/tables/terms.csv").read_text().splitlines()) - 1
    assert f"{n_rows} row(s)" in table and "<th>occurrences</th>" in table
    for bad in ("nope", "..%2Fstudy", "%2E%2E%2F%2E%2E%2Fstudy"):
        assert c.get(f"/p/{pid}/tables/{bad}").status_code == 404
    r = c.get(f"/p/{pid}/output/tables/terms.csv?download=1")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"] and r.text.startswith("term,occurrences")

    check_section_pages(c, pid, folder / "output")

    z = zipfile.ZipFile(io.BytesIO(c.get(f"/p/{pid}/study.zip").content))
    names = set(z.namelist())
    for n in ("study/report.html", "study/study.toml", "study/config.toml", "study/tables/terms.csv", "study/tables/study.xlsx",
              "study/maps/term_cooccurrence/map.txt", "study/manifest.json", "study/ingest.json", "study/thesaurus_maps.txt"):
        assert n in names, n
    assert not [n for n in names if "/." in n]  # the app's own files (sections, viewers) stay out of the study
    # study.toml is the study's own config.toml, naming the thesaurus copied beside it (not the project's path)
    assert z.read("study/study.toml") == z.read("study/config.toml")
    assert tomllib.loads(z.read("study/study.toml").decode())["maps"]["thesaurus"] == "thesaurus_maps.txt"
    assert z.read("study/thesaurus_maps.txt").decode() == rules
    # `bibliomap study FILES --config study.toml` from the unpacked zip reproduces it byte for byte
    z.extractall(tmp_path / "unzipped")
    files = sorted((folder / "uploads").iterdir())
    again = tmp_path / "again"
    r = CliRunner().invoke(cli, ["study", *map(str, files), "--config", str(tmp_path / "unzipped/study/study.toml"), "--out", str(again), "--quiet"])
    assert r.exit_code == 0, r.output
    assert (again / "config.toml").read_bytes() == z.read("study/study.toml")
    compared = [p.relative_to(again).as_posix() for p in sorted(again.rglob("*")) if p.suffix in (".csv", ".txt", ".toml")]
    assert len(compared) > 40
    for rel in compared:
        assert (again / rel).read_bytes() == z.read(f"study/{rel}"), rel


def check_section_pages(c, pid: int, out) -> None:
    """The report's sections as pages: each page listed, every numbered table, figure and map of the
    report on one of them; each table downloads alone as CSV (the study's file) and XLSX (same rows)."""
    import openpyxl

    from bibliomap.app import sections

    data = sections.load(out)
    overview = c.get(f"/p/{pid}/results").text
    pages = sections.pages(data)
    assert [p["id"] for p in pages][:2] == ["data-method", "annual-production"] and pages[-2]["id"] == "questions"
    html = ""
    for p in pages:
        assert f'href="/p/{pid}/results/{p["id"]}"' in overview
        r = c.get(f"/p/{pid}/results/{p['id']}")
        assert r.status_code == 200, p
        html += r.text
    assert c.get(f"/p/{pid}/results/no-such-section").status_code == 404
    report = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('class="result-table"') == report.count('<p class="caption"><b>') > 20
    assert html.count('class="result-figure"') == report.count('<figure class="numbered"') > 10
    assert html.count('class="result-map"') == report.count('<div class="interactive">') >= 4
    questions = c.get(f"/p/{pid}/results/questions").text
    assert questions.count('<p class="answer">') >= 4 and "How are the articles classified?" in questions
    for key in re.findall(r'id="tab-([a-z_]+)"', html):
        csv_r = c.get(f"/p/{pid}/results/tables/{key}.csv")
        assert csv_r.status_code == 200 and "attachment" in csv_r.headers["content-disposition"], key
        own = out / "tables" / f"{key}.csv"
        if own.exists():
            assert csv_r.content == own.read_bytes(), key
        xlsx_r = c.get(f"/p/{pid}/results/tables/{key}.xlsx")
        assert xlsx_r.status_code == 200, key
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx_r.content), read_only=True).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        lines = list(csv.reader(io.StringIO(csv_r.text)))
        assert len(rows) == len(lines) and [str(v) for v in rows[0]] == lines[0], key
    for png in re.findall(rf'href="(/p/{pid}/output/figures/[a-z_]+\.(?:png|svg))\?download=1"', html):
        r = c.get(png)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/"), png
    assert c.get(f"/p/{pid}/results/tables/nope.xlsx").status_code == 404
    terms = openpyxl.load_workbook(io.BytesIO(c.get(f"/p/{pid}/results/tables/terms.xlsx").content), read_only=True).active
    assert terms.max_row == len((out / "tables/terms.csv").read_text(encoding="utf-8").splitlines())  # a table outside the report, too
    with open(out / "maps/term_cooccurrence/map.txt", newline="", encoding="utf-8") as f:
        labels = [r["label"] for r in csv.DictReader(f, delimiter="\t")]
    viewer = c.get(f"/p/{pid}/results/maps/term_cooccurrence")
    assert viewer.status_code == 200 and "sandbox" in viewer.headers["content-security-policy"]
    assert all(json.dumps(label) in viewer.text for label in labels if label.isascii() and label.replace(" ", "").isalnum())
    data = re.compile(r'<script type="application/json" id="map-term-cooccurrence-data">(.*?)</script>', re.S)
    assert data.search(viewer.text).group(1) == data.search(report).group(1)  # the report's own viewer of the map
    for bad in ("nope", "%2E%2E", "..%2F..%2Fuploads"):
        assert c.get(f"/p/{pid}/results/maps/{bad}").status_code == 404, bad


def test_queue_cancel_and_other_projects_stay_usable(open_app, scopus, ris, children):
    c = open_app(slots=1)
    a = project_with_data(c, scopus, ris, "first")
    b = project_with_data(c, scopus, ris, "second")
    old = c.app.state.workspace.project_dir(a) / "output"
    c.form(f"/p/{a}/run")
    c.form(f"/p/{b}/run")
    time.sleep(0.6)
    store = c.app.state.store
    assert [j["status"] for j in store.jobs()] == ["running", "queued"]  # one slot: the second waits
    assert c.get(f"/p/{b}/settings").status_code == 200  # pages answer while a study runs
    assert "first (running)" in c.get(f"/p/{b}/run").text
    waiting = c.get(f"/p/{b}/run").text
    assert waiting.count('class="status-pending"') == len(STEPS) + len(FINAL_STEPS)  # the queued run lists every step as waiting
    c.form(f"/p/{b}/jobs/2/cancel")
    assert store.job(2)["status"] == "cancelled"
    deadline = time.time() + 60
    while not store.steps(1) and time.time() < deadline:
        time.sleep(0.2)
    worker = store.job(1)["pid"]
    helpers = children(worker)
    assert helpers, "the job's study has no background worker (figures and workbook drawn in the job's own process)"
    c.form(f"/p/{a}/jobs/1/cancel")
    job = c.wait(a)
    assert job["status"] == "cancelled", job
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(h) for h in helpers):
        time.sleep(0.2)
    assert not [h for h in helpers if _alive(h)], "the background worker outlived its cancelled job"
    assert not old.exists()
    leftovers = [p.name for p in old.parent.iterdir() if p.name.startswith(".output")]
    assert leftovers == []  # the half-written study was removed
    # a cancelled project can run again
    c.form(f"/p/{a}/run")
    assert c.wait(a)["status"] == "done"
    assert (old / "report.html").exists()


def test_terms_page_saves_a_thesaurus_the_next_run_uses(app_client, scopus, ris):
    import collections
    import csv

    from bibliomap.io.ingest import ingest

    c = app_client
    pid = project_with_data(c, scopus, ris)
    assert "No terms yet" in c.get(f"/p/{pid}/terms").text
    # a thesaurus for the bibliographic maps drops the most frequent country
    countries = collections.Counter(x for xs in ingest([ris, scopus]).column("countries").to_pylist() for x in set(xs))
    top = countries.most_common(1)[0][0]
    c.post(f"/p/{pid}/thesaurus", data={"csrf": c.csrf, "kind": "maps"}, files={"file": ("maps.txt", f"label\treplace by\n{top}\t\n".encode())})
    assert "1 rule(s)" in c.get(f"/p/{pid}/terms").text
    c.form(f"/p/{pid}/run")
    assert c.wait(pid)["status"] == "done"
    out = c.app.state.workspace.project_dir(pid) / "output"
    with open(out / "maps/coauthorship_countries/map.txt", newline="", encoding="utf-8") as f:
        labels = {r["label"].lower() for r in csv.DictReader(f, delimiter="\t")}
    assert len(labels) > 3 and top.lower() not in labels
    assert tomllib.loads((out / "study.toml").read_text())["maps"]["thesaurus"] == "thesaurus_maps.txt"
    assert (out / "thesaurus_maps.txt").read_text() == f"label\treplace by\n{top}\t\n"
    html = c.get(f"/p/{pid}/terms").text
    rows = json.loads(re.search(r'<script type="application/json" id="terms-data">(.*?)</script>', html, re.S).group(1))
    assert len(rows) > 20 and all(r["occurrences"] >= 3 for r in rows)
    choices = [{"term": r["term"], "keep": True, "merge": ""} for r in rows]
    choices[0]["keep"] = False
    choices[1]["merge"] = choices[2]["merge"] = "merged <label>"
    r = c.post(f"/p/{pid}/terms", json={"choices": choices}, headers={"X-CSRF-Token": c.csrf})
    assert r.json() == {"rules": 3, "dropped": 1, "merged": 2}
    text = c.get(f"/p/{pid}/thesaurus.txt").text
    assert text.splitlines() == ["label\treplace by", f"{rows[0]['term']}\t", f"{rows[1]['term']}\tmerged <label>", f"{rows[2]['term']}\tmerged <label>"]
    cfg = tomllib.loads((c.app.state.workspace.project_dir(pid) / "study.toml").read_text())
    assert cfg["terms"]["thesaurus"] == "thesaurus_terms.txt"
    bad = c.post(f"/p/{pid}/thesaurus", data={"csrf": c.csrf}, files={"file": ("t.txt", b"no header here\n")})
    assert "expected the header" in bad.text
    assert c.get(f"/p/{pid}/thesaurus.txt").text == text  # a bad file changes nothing


def test_a_failing_job_shows_its_error_and_leaves_the_project_usable(app_client, ris, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("these are my notes, not an export\n" * 20, encoding="utf-8")
    c = app_client
    pid = c.create("failing")
    c.upload(pid, junk)
    c.form(f"/p/{pid}/run")
    job = c.wait(pid)
    assert job["status"] == "failed" and "nothing usable was read" in job["message"]
    assert "nothing usable was read" in c.get(f"/p/{pid}/run").text
    assert 'class="rerun"' in c.get(f"/p/{pid}/run").text
    c.form(f"/p/{pid}/uploads/delete", name="notes.txt")
    c.upload(pid, ris)
    c.form(f"/p/{pid}/settings", **settings_form(c, pid, **FAST))
    c.form(f"/p/{pid}/run")
    assert c.wait(pid)["status"] == "done"
    from bibliomap.io.ingest import ingest

    assert c.app.state.store.project(pid)["records"] == len(ingest([ris]))  # the run updates the record count


def test_stale_ingest_report_is_flagged(app_client, ris, scopus):
    c = app_client
    pid = c.create("stale")
    c.upload(pid, ris)
    assert 'id="stale"' not in c.ingest(pid).text
    c.upload(pid, scopus)
    assert 'id="stale"' in c.get(f"/p/{pid}/data").text


def test_deleting_a_project_stops_its_running_job(app_client, scopus, ris):
    c = app_client
    pid = project_with_data(c, scopus, ris)
    store = running_study(c, pid)
    assert store.job(1)["status"] == "running"
    assert c.form(f"/p/{pid}/delete").status_code == 200
    folder = c.app.state.workspace.project_dir(pid)
    time.sleep(1.5)  # a job process still running would recreate its output folder by now
    assert not folder.exists() and store.project(pid) is None and store.jobs(pid) == []


def test_stopping_the_server_interrupts_its_job_and_the_study_workers(open_app, scopus, ris, children):
    c = open_app()
    pid = project_with_data(c, scopus, ris)
    store = running_study(c, pid)
    worker = store.job(1)["pid"]
    helpers = children(worker)
    assert helpers  # the study's background worker
    c.client.__exit__(None, None, None)  # the server stops (as on Ctrl-C): its lifespan ends the job
    assert store.job(1)["status"] == "interrupted"
    assert not [p for p in (worker, *helpers) if _alive(p)]
    folder = c.app.state.workspace.project_dir(pid)
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".output")]
    again = open_app()
    assert 'class="rerun"' in again.get(f"/p/{pid}/run").text  # shown as interrupted, and can run again


def test_an_orphaned_job_that_ignores_sigterm_still_ends_and_cleans_up(tmp_path):
    """A step stuck in a long C call never sees SIGTERM: the worker's watch thread then cleans up and exits."""
    import subprocess
    import sys

    from bibliomap.app.store import Store

    folder = tmp_path / "projects" / "1"
    (folder / ".output.abc.tmp").mkdir(parents=True)
    store = Store(tmp_path / "state.sqlite")
    pid = store.add_project("orphan")
    jid = store.add_job(pid)
    store.set_job(jid, status="running")
    code = (
        "import signal, sys; from pathlib import Path; from bibliomap.app import worker; from bibliomap.app.store import Store;"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN); worker.GRACE = 0.2;"
        f"worker._watch_parent(-1, Store({str(tmp_path / 'state.sqlite')!r}), {jid}, Path({str(folder)!r}))"
    )
    done = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert done.returncode == 1
    assert not (folder / ".output.abc.tmp").exists()
    assert store.job(jid)["status"] == "interrupted"


def _alive(pid: int) -> bool:
    """``pid`` runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
