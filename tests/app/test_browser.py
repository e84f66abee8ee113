"""The whole flow in headless Chromium against a real `bibliomap app` server: create a project, upload
two formats, check the ingest counts, run, untick two terms and merge two others, run again, check the
term map, download the zip; hostile text stays inert; a restart during a job; the token off localhost."""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from bibliomap.report.pipeline import FINAL_STEPS, STEPS

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`bibliomap app` in a subprocess, as a user starts it."""

    def __init__(self, workspace: Path, host: str = "127.0.0.1", port: int | None = None, extra: tuple[str, ...] = (),
                 env: dict[str, str] | None = None) -> None:
        self.workspace, self.host, self.port = workspace, host, port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from bibliomap.cli import main; main()", "app", "--no-browser", "--workspace", str(workspace),
             "--host", host, "--port", str(self.port), "--jobs", "1", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})})
        self.lines = []
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            self.lines.append(line)
            if line.startswith("open http"):
                break
            if self.proc.poll() is not None:
                raise AssertionError("the app did not start: " + "".join(self.lines))
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the app does not listen")

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "ws")
    yield s
    s.stop()


def _page(browser, errors):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    return page


def _create_project(page, url: str, name: str) -> int:
    """Create a project on the Projects page; its id, once its Data page is open."""
    page.goto(url + "/")
    page.fill("#create-project input[name=name]", name)
    page.click("#create-project button")
    page.wait_for_url(re.compile(r"/p/\d+/data$"))
    return int(re.search(r"/p/(\d+)/", page.url).group(1))


def _wait_done(page, timeout=180_000) -> str:
    """The status of the newest job once it ended and the page has reloaded (a reloaded page has no live stream)."""
    page.wait_for_function("() => { const s = document.querySelector('section.job');"
                           " return s && !s.dataset.events && ['done','failed','cancelled','interrupted'].includes(s.dataset.status); }", timeout=timeout)
    page.wait_for_load_state("load")
    return page.locator("section.job").first.get_attribute("data-status")


def test_whole_flow(browser, server, scopus, ris):
    from bibliomap.io.ingest import ingest

    errors: list[str] = []
    page = _page(browser, errors)
    pid = _create_project(page, server.url, "Review " + HOSTILE)
    assert page.locator(".project-name").inner_text() == "Review " + HOSTILE  # shown as text

    # upload two formats at once: progress bars, then the ingest runs and the page shows the report
    page.set_input_files("#file-input", [str(scopus), str(ris)])
    page.wait_for_selector("#ingest-summary", timeout=60_000)
    lib = ingest([ris, scopus]).ingest_report
    for f in lib["files"]:
        name = Path(f["path"]).name
        row = page.locator(f'tr[data-file="{name}"]')
        assert row.locator(".format").inner_text() == f["format"]
        assert [row.locator(f".{k}").inner_text() for k in ("read", "kept", "duplicates")] == [str(f["read"]), str(f["kept"]), str(f["duplicates"])]
    assert f"{lib['totals']['read']} records read from 2 file(s)" in page.locator("#ingest-summary").inner_text()

    # settings that keep the run quick
    page.click("nav a:text('Settings')")
    page.fill("#terms\\.min_occurrences", "3")
    page.fill("#maps\\.clustering_random_starts", "2")
    page.click("#save-settings")
    page.wait_for_selector("#settings-saved")

    # run, with live progress
    page.click("nav a:text('Run')")
    page.click("#run")
    page.wait_for_selector("section.job")
    assert _wait_done(page) == "done"
    n_steps = len(STEPS) + len(FINAL_STEPS)
    assert page.locator("section.job .steps tbody tr.status-done").count() == n_steps - 1  # quartiles skipped without --sjr
    assert page.locator("section.job .steps tbody tr").count() == n_steps

    # settings: live counts of the items meeting each threshold, from the data and the last run's terms
    page.click("nav a:text('Settings')")
    page.fill("#terms\\.min_occurrences", "5")
    with open(server.workspace / "projects" / str(pid) / "output" / "tables" / "terms.csv", newline="", encoding="utf-8") as f:
        occ = [int(row["occurrences"]) for row in csv.DictReader(f)]
    expected = f"{sum(o >= 5 for o in occ):,} of {len(occ):,} candidate terms (last run, binary counting) meet the threshold"
    assert page.locator('.live-count[data-for="terms.min_occurrences"]').inner_text() == expected
    meeting = sum(o >= 5 for o in occ)  # and how many of them are kept: a share, or a number when n_terms is set
    kept = page.locator('.live-count[data-for="terms.keep"]')
    assert kept.inner_text() == f"up to {math.ceil(0.6 * meeting):,} of the {meeting:,} terms meeting the threshold are kept, the most relevant first"
    page.fill("#terms\\.n_terms", "7")
    assert kept.inner_text().startswith(f"up to 7 of the {meeting:,} terms")
    page.fill("#terms\\.n_terms", "0")
    page.fill("#maps\\.keyword_min_occurrences", "2")
    assert "keywords meet the threshold" in page.locator('.live-count[data-for="maps.keyword_min_occurrences"]').inner_text()

    # verification: untick two terms, merge two others into one (hostile) label, save
    page.click("nav a:text('Term verification')")
    page.wait_for_selector("#terms-table tbody tr")
    rows = page.locator("#terms-table tbody tr")
    terms = [rows.nth(i).get_attribute("data-term") for i in range(4)]
    for i in (0, 1):
        rows.nth(i).locator("input.keep").uncheck()
    for i in (2, 3):
        rows.nth(i).locator("input.mark").check()
    label = "merged " + HOSTILE
    page.fill("#merge-label", label)
    page.click("#merge")
    page.click("#save-terms")
    page.wait_for_function("() => document.getElementById('save-status').textContent.startsWith('saved')")
    assert "2 dropped, 2 merged" in page.locator("#save-status").inner_text()
    page.fill("#term-search", terms[2])
    assert page.locator("#terms-table tbody tr").first.locator(".merge").inner_text() == label

    page.click("nav a:text('Run')")
    page.click("#run")
    page.wait_for_selector("section.job[data-events]")
    assert _wait_done(page) == "done"

    # results: the report in its sandboxed frame, the term map without the dropped terms and with the merged label
    page.click("nav a:text('Report')")
    frame = page.frame_locator("#report-frame")
    frame.locator("#term-map").wait_for()
    assert page.evaluate("() => window.__pwned") is None
    assert frame.locator("body").evaluate("() => window.__pwned") is None
    page.click("nav a:text('Results')")
    map_txt = page.request.get(f"{server.url}/p/{pid}/output/maps/term_cooccurrence/map.txt").text()
    labels = {row["label"] for row in csv.DictReader(io.StringIO(map_txt), delimiter="\t")}
    assert terms[0] not in labels and terms[1] not in labels
    assert terms[2] not in labels and terms[3] not in labels
    assert label in labels
    page.wait_for_load_state("load")
    page.click("#all-files summary")  # every file of the output, beside the report's sections
    page.click("#tables a[href$='/tables/terms']")
    page.wait_for_url(re.compile(r"/tables/terms$"))
    page.click("#result-table th >> text=occurrences")
    page.click("#result-table th >> text=occurrences")  # descending
    first = int(page.locator("#result-table tbody tr").first.locator("td").nth(1).inner_text())
    assert first == max(int(v) for v in page.locator("#result-table tbody tr td:nth-child(2)").all_inner_texts())
    page.go_back()

    # the report's sections as pages: the term map's page shows the viewer, whose data holds the merged
    # (hostile) label as inert text; a table there downloads alone as XLSX
    page.click("#result-sections a:text('Term co-occurrence map and clusters')")
    page.wait_for_url(re.compile(r"/results/term-map$"))
    viewer = page.frame_locator("#section iframe.map-frame").first
    viewer.locator(".bm-viewer svg, .bm-viewer canvas").first.wait_for()
    data = json.loads(viewer.locator("script[type='application/json']").first.text_content())
    assert label in _strings(data)
    assert viewer.locator("body").evaluate("() => window.__pwned") is None
    with page.expect_download() as dl:
        page.locator(".result-table .dl-xlsx").first.click()
    assert dl.value.suggested_filename == "clusters_term_cooccurrence.xlsx"
    assert Path(dl.value.path()).read_bytes()[:2] == b"PK"
    page.click("#section-nav a:text('Research questions')")
    assert page.locator("p.answer").count() >= 4
    page.click("#section-nav > a")
    with page.expect_download() as dl:
        page.click("#download-zip")
    z = zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes()))
    names = set(z.namelist())
    assert {"study/report.html", "study/study.toml", "study/thesaurus_terms.txt", "study/tables/terms.csv"} <= names
    assert "thesaurus_terms.txt" in z.read("study/study.toml").decode()
    # the hostile label and project name never ran
    assert page.evaluate("() => window.__pwned") is None
    assert errors == []


def test_restart_during_a_job(browser, tmp_path, scopus, ris, children):
    from bibliomap.app.store import Store

    ws = tmp_path / "ws"
    first = Server(ws)
    errors: list[str] = []
    page = _page(browser, errors)
    _create_project(page, first.url, "restart")
    page.set_input_files("#file-input", [str(scopus), str(ris)])
    page.wait_for_selector("#ingest-summary", timeout=60_000)
    uploads = sorted(p.name for p in (ws / "projects" / "1" / "uploads").iterdir())
    page.click("nav a:text('Run')")
    page.click("#run")
    assert _wait_done(page) == "done"  # a finished study, which the kill below must not lose
    manifest = (ws / "projects" / "1" / "output" / "manifest.json").read_bytes()
    page.click("#run")
    store = Store(ws / "bibliomap-app.sqlite")
    deadline = time.time() + 120
    while time.time() < deadline and len(store.steps(2)) < 2:  # killed mid-run, its temporary output half-written
        time.sleep(0.1)
    worker = store.job(2)["pid"]
    helpers = children(worker)
    assert helpers, "the job's study has no background worker"
    assert [p for p in (ws / "projects" / "1").iterdir() if p.name.startswith(".output")]
    first.stop(signal.SIGKILL)  # the server dies without a chance to clean up
    deadline = time.time() + 30  # SIGTERM, or the worker's own exit after its grace period
    while time.time() < deadline and any(_alive(p) for p in (worker, *helpers)):
        time.sleep(0.2)
    assert not _alive(worker), "the job process outlived its server"
    assert not [p for p in helpers if _alive(p)], "the study's background worker outlived its job"

    second = Server(ws, port=first.port)
    try:
        page.goto(second.url + "/p/1/run")
        assert page.locator("section.job").first.get_attribute("data-status") == "interrupted"
        assert page.locator("section.job").nth(1).get_attribute("data-status") == "done"
        assert sorted(p.name for p in (ws / "projects" / "1" / "uploads").iterdir()) == uploads  # no uploaded data lost
        assert (ws / "projects" / "1" / "output" / "manifest.json").read_bytes() == manifest  # nor finished results
        assert not [p for p in (ws / "projects" / "1").iterdir() if p.name.startswith(".output")]
        page.click("button.rerun")
        assert _wait_done(page) == "done"
    finally:
        second.stop()
    # the live-progress stream of the killed server broke off (and the page retried while it was down): expected here
    expected = ("ERR_INCOMPLETE_CHUNKED_ENCODING", "ERR_CONNECTION_REFUSED", "ERR_EMPTY_RESPONSE")
    assert [e for e in errors if not any(x in e for x in expected)] == []


def _strings(value) -> set[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    return set().union(*map(_strings, value)) if isinstance(value, list) else set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_token_off_localhost(tmp_path):
    s = Server(tmp_path / "ws", host="0.0.0.0")
    try:
        token = next(l.split()[2] for l in s.lines + [s.proc.stdout.readline()] if l.startswith("access token:"))
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(s.url + "/", timeout=10)
        assert exc.value.code == 403
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(s.url + "/static/app.js", timeout=10)
        assert exc.value.code == 403
        req = urllib.request.Request(s.url + "/", headers={"Authorization": f"token {token}"})
        assert urllib.request.urlopen(req, timeout=10).status == 200
        assert any(f"?token={token}" in l for l in s.lines)
    finally:
        s.stop()


DROP = """async ([name, text, big]) => {
  const dt = new DataTransfer();
  dt.items.add(new File([text], name, {type: "text/plain"}));
  dt.items.add(new File([new Uint8Array(big)], "huge.csv", {type: "text/csv"}));
  document.getElementById("dropzone").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""


def test_drop_files_and_oversized_upload(browser, tmp_path, ris):
    s = Server(tmp_path / "ws", extra=("--max-upload-mb", "1"))
    errors: list[str] = []
    page = _page(browser, errors)
    try:
        _create_project(page, s.url, "dropped")
        # one export dropped with a file over the limit: the export is uploaded and read, the big one refused
        page.evaluate(DROP, ["../../dropped.ris", ris.read_text(encoding="utf-8"), (1 << 20) + 1])
        page.wait_for_selector("#ingest-summary", timeout=60_000)
        uploads = tmp_path / "ws" / "projects" / "1" / "uploads"
        assert [p.name for p in uploads.iterdir()] == ["dropped.ris"]
        assert page.locator('tr[data-file="dropped.ris"] .format').inner_text() == "ris"
        # the server refuses it too when the page's check is bypassed
        status = page.evaluate("""async () => {
          const r = await fetch("/p/1/upload?name=huge.csv", {method: "PUT", body: new Uint8Array((1 << 20) + 1),
            headers: {"X-CSRF-Token": document.querySelector('meta[name="csrf"]').content}});
          return [r.status, (await r.json()).error];
        }""")
        assert status[0] == 413 and "upload limit" in status[1]
        assert [p.name for p in uploads.iterdir()] == ["dropped.ris"]
    finally:
        s.stop()
    assert [e for e in errors if "413" not in e] == []


def test_search_page_live_progress_then_ingest(browser, server, sim):
    """Search the simulated OpenAlex from the page: the progress updates while it runs, the page reloads when it
    ends, and the Data page reads the harvested file."""
    errors: list[str] = []
    page = _page(browser, errors)
    _create_project(page, server.url, "searched")
    page.click("nav a:text('Search')")
    sim.fault("openalex", page=1, kind="429", retry_after="2")  # the search waits 2 s after its first page
    page.select_option("#source", "openalex")
    page.fill("#query", HOSTILE)
    page.fill("#api_url", sim.url("openalex"))
    page.fill("#retries", "1")
    page.click("#search")
    page.wait_for_selector("section.search[data-poll]")
    try:
        page.wait_for_function("() => /^200 records fetched of 335 found$/.test(document.querySelector('.search-count').textContent)", timeout=30_000)
    except Exception:
        raise AssertionError(f"no live progress: {page.locator('section.search').first.inner_html()} {errors}") from None
    page.wait_for_selector("section.search[data-status=done]:not([data-poll])", timeout=30_000)  # reloaded when it ended
    assert page.locator(".search-count").first.inner_text() == "335 records fetched of 335 found"
    assert page.locator(".search-query").first.inner_text() == HOSTILE  # shown as text
    assert page.evaluate("window.__pwned") is None
    page.click("nav a:text('Data')")
    page.click("#ingest")
    page.wait_for_selector("#ingest-summary")
    assert "335 records read from 1 file(s)" in page.locator("#ingest-summary").inner_text()
    assert errors == []


def test_a_first_ingest_after_installing_compiles_nothing(tmp_path, scopus):
    """The first start after installing (numba's cache empty): an ingest of an export with cited
    references reads it as the library does, with progress, and compiles no kernel (the reference
    keys take the Python path until a run large enough to pay for compiling them)."""
    from bibliomap.io.ingest import ingest

    cache = tmp_path / "numba-cache"
    s = Server(tmp_path / "ws", env={"NUMBA_CACHE_DIR": str(cache)})
    try:
        html = urllib.request.urlopen(s.url + "/", timeout=10).read().decode()
        csrf = re.search(r'name="csrf" content="([^"]+)"', html).group(1)
        post = lambda path, body, **h: urllib.request.urlopen(urllib.request.Request(s.url + path, data=body, headers=h), timeout=60)  # noqa: E731
        post("/projects", f"name=first&csrf={csrf}".encode())
        req = urllib.request.Request(s.url + "/p/1/upload?name=" + scopus.name, data=scopus.read_bytes(), method="PUT",
                                     headers={"X-CSRF-Token": csrf})
        assert urllib.request.urlopen(req, timeout=60).status == 200
        post("/p/1/ingest", f"csrf={csrf}".encode())
        deadline = time.time() + 120
        while time.time() < deadline:
            state = json.loads(urllib.request.urlopen(s.url + "/p/1/ingest/status", timeout=10).read())
            if state["final"]:
                break
            time.sleep(0.2)
        assert state["final"] and state["error"] is None, state
        page = urllib.request.urlopen(s.url + "/p/1/data", timeout=10).read().decode()
        lib = ingest([scopus]).ingest_report["totals"]
        assert f"{lib['read']} records read from 1 file(s): {lib['kept']} kept" in page
        assert not list(cache.rglob("references._scan_reference_keys-*.nbi")), "the first ingest compiled the reference kernel"
    finally:
        s.stop()


#: Hostile strings put into real records: markup, a script end, a template expression, a javascript: link.
HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script> {{7*7}} molecular dynamics'
HOSTILE_KEYWORD = '<svg onload="window.__pwned=3">'
HOSTILE_AUTHOR = '<b onmouseover="window.__pwned=5">Evil</b> A.'
HOSTILE_DOI = "javascript:window.__pwned=4"
HOSTILE_LABEL = '<img src=x onerror="window.__pwned=6">'

#: Elements or attributes the hostile strings would have made had they been parsed as markup.
INJECTED = """() => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) if (/^on/i.test(a.name)) bad.push(e.tagName + ' ' + a.name);
    if (e.tagName === 'SCRIPT' && e.type !== 'application/json' && e.textContent.includes('__pwned')) bad.push('script');
  }
  document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i], img[src="x"], svg[onload]').forEach((e) => bad.push(e.outerHTML));
  return bad.concat(window.__pwned === undefined ? [] : ['ran ' + window.__pwned]);
}"""


def _hostile_scopus(scopus: Path, dest: Path) -> Path:
    """The real Scopus export with hostile text in real records: the most cited title, the keywords of
    six records, the first author of three, a DOI."""
    with open(scopus, encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    col = {name: header.index(name) for name in ("Title", "Cited by", "Author Keywords", "Authors", "DOI")}
    order = sorted(range(len(rows)), key=lambda i: -int(rows[i][col["Cited by"]] or 0))
    rows[order[0]][col["Title"]] = HOSTILE_TITLE
    keyworded = [i for i in order if rows[i][col["Author Keywords"]]][:6]
    for i in keyworded:
        rows[i][col["Author Keywords"]] += "; " + HOSTILE_KEYWORD
    for i in keyworded[:3]:
        rows[i][col["Authors"]] = HOSTILE_AUTHOR + ", " + rows[i][col["Authors"]]
    rows[order[1]][col["DOI"]] = HOSTILE_DOI
    with open(dest, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return dest


def test_hostile_text_from_an_export_stays_inert_on_every_page_and_results_speak_the_reports_language(browser, server, scopus, ris, tmp_path):
    """Markup, a script end, a template expression and a javascript: DOI inside a real export (and a hostile
    file name and thesaurus label): on the Data page, the term verification table, every Results section (its
    tables, figures, the research-question answers) and the map viewers' labels, search results and tooltips,
    nothing runs and nothing is injected, and the text is shown as text. The study is in Indonesian: the section
    pages' own labels are too; every figure offers its SVG."""
    errors: list[str] = []
    page = _page(browser, errors)
    pid = _create_project(page, server.url, "hostile")
    named = tmp_path / 'evil<img src=x onerror="window.__pwned=7">.ris'
    named.write_bytes(ris.read_bytes())
    page.set_input_files("#file-input", [str(_hostile_scopus(scopus, tmp_path / "scopus.csv")), str(named)])
    page.wait_for_selector("#ingest-summary", timeout=60_000)
    assert page.evaluate(INJECTED) == []
    shown = {r.get_attribute("data-file") for r in page.locator("#ingest-files tr[data-file]").all()}
    assert shown == {"scopus.csv", "evil_img src_x onerror_window.__pwned_7_.ris"}, shown

    page.click("nav a:text('Settings')")
    page.fill("#terms\\.min_occurrences", "3")
    page.fill("#maps\\.clustering_random_starts", "2")
    page.fill("#maps\\.keyword_min_occurrences", "2")
    page.select_option("#study\\.lang", "id")
    page.select_option("#maps\\.counting", "fractional")  # VOSviewer's wizard's other counting method
    page.click("#save-settings")
    page.wait_for_selector("#settings-saved")
    page.click("nav a:text('Term verification')")
    thesaurus = tmp_path / "thesaurus.txt"
    thesaurus.write_text(f"label\treplace by\n{{{{7*7}}}}\t{HOSTILE_LABEL}\n</script>\t\n", encoding="utf-8")
    page.set_input_files("#thesaurus-upload input[type=file]", str(thesaurus))
    page.click("#thesaurus-upload button")
    page.click("nav a:text('Run')")
    page.click("#run")
    assert _wait_done(page) == "done"

    network = (server.workspace / "projects" / str(pid) / "output" / "maps" / "keyword_cooccurrence" / "network.txt").read_text()
    strengths = [float(line.split("\t")[2]) for line in network.splitlines() if line.strip()]
    assert any(not s.is_integer() for s in strengths)  # fractional counting: full counting gives whole numbers only

    page.click("nav a:text('Term verification')")
    page.wait_for_selector("#terms-table tbody tr")
    page.fill("#term-search", "{{7*7}}")
    row = page.locator("#terms-table tbody tr").first
    assert row.locator(".term").inner_text() == "{{7*7}}" and row.locator(".merge").inner_text() == HOSTILE_LABEL
    page.fill("#term-search", "</script>")
    assert page.locator("#terms-table tbody tr").first.locator(".term").inner_text() == "</script>"
    assert page.evaluate(INJECTED) == []

    page.click("nav a:text('Results')")
    cards = page.locator("#result-sections")
    assert cards.get_attribute("lang") == "id" and "tabel" in cards.inner_text() and " table" not in cards.inner_text()
    sections = [a.get_attribute("href") for a in page.locator("#result-sections li > a").all()]
    texts, svgs = {}, 0
    for href in sections:
        page.goto(server.url + href)
        assert page.evaluate(INJECTED) == [], href
        texts[href.rsplit("/", 1)[1]] = page.locator("#section").inner_text()
        assert page.locator("#section").get_attribute("lang") == "id"
        assert page.locator("#section-nav > a").inner_text() == "‹ Hasil"
        for th in page.locator("#section th").all()[:3]:
            assert th.get_attribute("title") == "Urutkan menurut kolom ini"
        for fig in page.locator("#section figure.result-figure").all():  # every figure as PNG and SVG
            svg = fig.locator("a.dl-svg")
            assert svg.count() == 1, fig.get_attribute("id")
            assert page.request.get(server.url + svg.get_attribute("href")).body().lstrip().startswith((b"<?xml", b"<svg"))
            svgs += 1
        for frame in page.locator("#section iframe.map-frame").all():
            viewer = frame.content_frame
            viewer.locator(".bm-viewer canvas").first.wait_for()
            assert viewer.locator("body").evaluate(INJECTED) == [], frame.get_attribute("src")
    assert svgs >= 10
    # a column of decimal commas (the report's language writes 0,3286) sorts as numbers
    page.goto(server.url + f"/p/{pid}/results/annual-production")
    table = page.locator("#section table.sortable-static").first
    cells = table.locator("tbody tr").evaluate_all("rows => rows.map(r => Array.from(r.cells, c => c.textContent.trim()))")
    col = next(i for i in range(len(cells[0])) if any(re.fullmatch(r"\d+,\d+", row[i]) for row in cells))
    table.locator("thead th").nth(col).click()
    shown = table.locator("tbody tr").evaluate_all(f"rows => rows.map(r => r.cells[{col}].textContent.trim())")
    values = [float(t.replace(".", "").replace(",", ".")) for t in shown if t]
    assert len(values) > 2 and values == sorted(values), shown
    assert HOSTILE_TITLE in texts["most-cited"]  # the title as text, the expression not evaluated
    assert HOSTILE_KEYWORD in texts["keywords"]
    assert '<b onmouseover="window.__pwned=5">Evil</b>' in texts["authors-sources"]
    assert "Tampilkan semua" in texts["terms"] or "baris" in texts["terms"]
    answers = texts["questions"]
    assert "Pertanyaan" in page.locator("#section-nav").inner_text() and answers

    # the keyword map's viewer: the hostile keyword found by the search, shown in its result list, its details and its tooltip
    page.goto(server.url + f"/p/{pid}/results/keyword-map")
    viewer = page.locator("#section iframe.map-frame").first.content_frame
    viewer.locator(".bm-viewer canvas").first.wait_for()
    search = viewer.locator(".bm-search input")
    search.fill("svg onload")
    assert viewer.locator(".bm-result").first.inner_text() == HOSTILE_KEYWORD
    search.press("Enter")
    assert viewer.locator(".bm-item-label").first.inner_text() == HOSTILE_KEYWORD
    canvas = viewer.locator(".bm-viewer canvas").first
    tip = viewer.locator(".bm-tooltip")
    box = canvas.bounding_box()
    for attempt in range(40):  # the view glides to the found item: point at the centre again until it is there
        canvas.hover(position={"x": box["width"] / 2 + attempt % 2, "y": box["height"] / 2})
        if tip.is_visible():
            break
        page.wait_for_timeout(250)
    tip.wait_for(state="visible")
    assert tip.locator(".bm-item-label").inner_text() == HOSTILE_KEYWORD
    assert viewer.locator("body").evaluate(INJECTED) == [] and page.evaluate(INJECTED) == []
    page.goto(server.url + f"/p/{pid}/report")
    report = page.frame_locator("#report-frame")
    report.locator("body").wait_for()
    assert report.locator("body").evaluate(INJECTED) == []
    assert errors == []
