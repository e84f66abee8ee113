"""Search page: a harvest from the simulated APIs on 127.0.0.1 becomes one of the project's files; failures say so."""
from __future__ import annotations

import re
import socket
import time
from pathlib import Path

from bibliomap.io.ingest import ingest
from bibliomap.io.read import read_file


def search(c, pid: int, **fields):
    return c.form(f"/p/{pid}/search", **{"source": "openalex", "query": "decision making", **fields})


def wait_search(c, pid: int, timeout: float = 60) -> dict:
    """The project's newest search as the page's JSON once it has ended."""
    sid = c.app.state.store.searches(pid)[0]["id"]
    end = time.time() + timeout
    while time.time() < end:
        s = c.get(f"/p/{pid}/searches/{sid}").json()
        if s["final"]:
            return s
        time.sleep(0.1)
    raise AssertionError(f"search {sid} did not end in {timeout} s")


def uploads(c, pid: int) -> list[Path]:
    return sorted((c.app.state.workspace.project_dir(pid) / "uploads").iterdir())


def test_openalex_search_becomes_a_file_that_the_data_page_ingests(app_client, sim):
    c = app_client
    pid = c.create("harvest")
    page = c.get(f"/p/{pid}/data").text
    assert f'href="/p/{pid}/search"' in page  # the navigation beside Data
    r = search(c, pid, from_year="1997", to_year="2025", max_records="1000", mailto="me@example.org", api_url=sim.url("openalex"))
    assert r.status_code == 200 and str(r.url).endswith(f"/p/{pid}/search")
    s = wait_search(c, pid)
    assert s["status"] == "done", s["message"]
    assert (s["records"], s["total"]) == (335, 335)
    files = uploads(c, pid)
    assert [f.name for f in files] == [s["file"]] and s["file"].startswith("openalex-decision-making-")
    # exactly the server's records, in its order, none twice
    assert [r["openalex_id"] for r in read_file(files[0]).records] == [w["id"].rsplit("/", 1)[1] for w in sim.works]
    first = sim.requests_to("/openalex/works")[0][2]
    assert first["search"] == "decision making" and first["mailto"] == "me@example.org"
    assert first["filter"] == "from_publication_date:1997-01-01,to_publication_date:2025-12-31"
    html = c.get(f"/p/{pid}/search").text
    assert "335 records fetched of 335 found" in html and "done" in html
    assert f"added to the project&#39;s files as {s['file']}" in html
    assert not (c.app.state.workspace.project_dir(pid) / "searches" / str(s["id"])).exists()  # no leftovers
    # the Data page reads it like any upload
    html = c.ingest(pid).text
    lib = ingest([files[0]])
    f = lib.ingest_report["files"][0]
    row = re.search(rf'<tr data-file="{re.escape(s["file"])}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[1] == f["format"] == "openalex_json"
    assert cells[3:7] == [str(f["read"]), str(f["kept"]), str(f["duplicates"]), str(len(f["rejected"]))]
    assert f["read"] == 335
    assert f"{len(lib)} documents to analyse" in html


def test_pubmed_and_crossref_with_a_maximum(app_client, sim):
    c = app_client
    pid = c.create("two sources")
    search(c, pid, source="pubmed", query="music therapy[MeSH]", max_records="120", api_url=sim.url("pubmed"))
    s = wait_search(c, pid)
    assert s["status"] == "done", s["message"]
    assert (s["records"], s["total"], s["target"]) == (120, 335, 120) and s["file"].endswith(".txt")
    search(c, pid, source="crossref", api_url=sim.url("crossref"))
    s2 = wait_search(c, pid)
    assert s2["status"] == "done" and s2["records"] == len(sim.items) == 331
    by_name = {p.name: p for p in uploads(c, pid)}
    assert [r["pmid"] for r in read_file(by_name[s["file"]]).records] == [re.match(r"PMID- *(\d+)", m).group(1) for m in sim.medline[:120]]
    assert [r["doi"].lower() for r in read_file(by_name[s2["file"]]).records] == [i["DOI"].lower() for i in sim.items]
    html = c.ingest(pid).text
    assert "451 records read from 2 file(s)" in html


def test_a_failing_server_shows_an_error_and_the_project_stays_usable(app_client, sim, ris):
    c = app_client
    pid = c.create("failures")
    sim.fault("openalex", page=None, kind="503", times=-1)
    search(c, pid, api_url=sim.url("openalex"), retries="0")
    s = wait_search(c, pid)
    assert s["status"] == "failed" and "Nothing was added" in s["message"]
    assert s["message"].startswith(sim.url("openalex") + "/works: HTTP 503; gave up after 1 attempts")  # no long query string
    html = c.get(f"/p/{pid}/search").text
    assert "HTTP 503" in html and "Traceback" not in html
    # a refused connection: a port nobody listens on
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    search(c, pid, api_url=f"http://127.0.0.1:{port}/openalex", retries="0")
    s = wait_search(c, pid)
    assert s["status"] == "failed" and "connection problem" in s["message"] and "Connection refused" in s["message"]
    assert uploads(c, pid) == [] and not list((c.app.state.workspace.project_dir(pid) / "searches").iterdir())
    # still usable: an upload ingests, and a new search runs
    c.upload(pid, ris)
    assert "documents to analyse" in c.ingest(pid).text
    sim.faults.clear()
    search(c, pid, api_url=sim.url("openalex"), max_records="10")
    assert wait_search(c, pid)["records"] == 10


def test_bad_form_values_are_refused_with_the_field_named(app_client):
    c = app_client
    pid = c.create("form")
    for fields, said in (({"query": "  "}, "query: type what"), ({"source": "scholar"}, "source: expected one of"),
                         ({"from_year": "2020", "to_year": "2010"}, "from year 2020 is after to year 2010"),
                         ({"max_records": "lots"}, "maximum records: &#39;lots&#39; is not a whole number"),
                         ({"api_url": "file:///etc/passwd"}, "API URL")):
        r = search(c, pid, **fields)
        assert r.status_code == 400 and said in r.text, (fields, r.text[:300])
    assert c.app.state.store.searches(pid) == []
    r = c.client.post(f"/p/{pid}/search", data={"source": "openalex", "query": "x"})  # no CSRF token
    assert r.status_code == 403 and c.app.state.store.searches(pid) == []


def test_a_hostile_query_is_shown_escaped(app_client, sim):
    c = app_client
    pid = c.create("escaping")
    hostile = '<script>alert("q")</script><img src=x onerror=alert(1)>'
    search(c, pid, query=hostile, api_url=sim.url("openalex"), max_records="5")
    s = wait_search(c, pid)
    assert s["status"] == "done" and s["query"] == hostile
    assert re.fullmatch(r"openalex-script-alert-q-script-img-src-x-onerror-\d+\.jsonl", s["file"]), s["file"]
    html = c.get(f"/p/{pid}/search").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;q&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # a refused form keeps the hostile values inert too
    r = search(c, pid, query=hostile, from_year='"><script>x</script>')
    assert r.status_code == 400 and "<script>x" not in r.text and "&#34;&gt;&lt;script&gt;x&lt;/script&gt;" in r.text


def test_progress_shows_records_fetched_of_the_apis_count_while_it_runs(app_client, sim):
    c = app_client
    pid = c.create("progress")
    sim.fault("openalex", page=1, kind="503")  # after the first page: one retry, 0.5 to 1 s of backoff
    search(c, pid, api_url=sim.url("openalex"), retries="1")
    sid = c.app.state.store.searches(pid)[0]["id"]
    seen = set()
    end = time.time() + 30
    while time.time() < end:
        s = c.get(f"/p/{pid}/searches/{sid}").json()
        seen.add((s["status"], s["records"], s["total"]))
        if s["final"]:
            break
        time.sleep(0.02)
    assert ("running", 200, 335) in seen, seen  # the first page of 200, of the 335 the API counts
    assert ("done", 335, 335) in seen
    html = c.get(f"/p/{pid}/search").text
    assert 'progress max="335" value="335"' in html


def test_a_restart_marks_a_running_search_interrupted_and_removes_its_work(open_app):
    c = open_app()
    pid = c.create("restart")
    store = c.app.state.store
    sid = store.add_search(pid, "openalex", "x", '{"max_records": 1000}', "openalex-x-1.jsonl")
    work = c.app.state.workspace.project_dir(pid) / "searches" / str(sid)
    work.mkdir(parents=True)
    (work / "openalex-x-1.jsonl.part").write_text("{}\n")
    c.__exit__(None, None, None)
    c2 = open_app()
    s = c2.get(f"/p/{pid}/searches/{sid}").json()
    assert s["status"] == "interrupted" and "search again" in s["message"]
    assert not work.exists()
    assert 'id="search" disabled' not in c2.get(f"/p/{pid}/search").text  # a new search can start


def test_deleting_a_project_during_its_search_leaves_nothing_behind(app_client, sim):
    import threading

    c = app_client
    pid = c.create("deleted")
    sim.fault("openalex", page=1, kind="429", retry_after="1")  # the search waits 1 s after its first page
    search(c, pid, api_url=sim.url("openalex"), retries="1")
    sid = c.app.state.store.searches(pid)[0]["id"]
    thread = next(t for t in threading.enumerate() if t.name == f"bibliomap-search-{sid}")
    folder = c.app.state.workspace.project_dir(pid)
    end = time.time() + 10
    while not list(folder.glob("searches/*/*.state.json")) and time.time() < end:
        time.sleep(0.02)  # the first page is written
    assert c.form(f"/p/{pid}/delete").status_code == 200
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert not folder.exists() and c.app.state.store.search(sid) is None
    assert c.get(f"/p/{pid}/search").status_code == 404


def test_the_api_key_is_sent_but_never_stored_or_shown(app_client, sim):
    c = app_client
    pid = c.create("key")
    search(c, pid, api_key="sekrit-key-123", api_url=sim.url("openalex"), max_records="5")
    assert wait_search(c, pid)["status"] == "done"
    assert sim.requests_to("/openalex/works")[0][2]["api_key"] == "sekrit-key-123"
    assert "sekrit-key-123" not in c.get(f"/p/{pid}/search").text
    database = c.app.state.workspace.database
    assert not any(b"sekrit-key-123" in p.read_bytes() for p in database.parent.glob(database.name + "*"))


def test_filters_go_to_the_api_as_the_command_line_sends_them(app_client, sim):
    c = app_client
    pid = c.create("filtered")
    r = search(c, pid, filters="type:article\n\n language:en ", from_year="2000", api_url=sim.url("openalex"))
    assert r.status_code == 200
    assert wait_search(c, pid)["status"] == "done"
    sent = sim.requests_to("/openalex/works")[0][2]["filter"]
    assert sent.split(",")[:2] == ["type:article", "language:en"] and "from_publication_date:2000-01-01" in sent
    assert "type:article\nlanguage:en" in c.get(f"/p/{pid}/search").text  # the form keeps them
    for bad, says in (("type", "KEY:VALUE"), ("type:article", "PubMed")):
        r = search(c, pid, source="pubmed" if says == "PubMed" else "openalex", filters=bad, api_url=sim.url("openalex"))
        assert r.status_code == 400 and says in r.text
