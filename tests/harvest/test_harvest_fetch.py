"""Harvests against the simulated APIs: paging to the end, faults, interruption and resume, --max."""
from __future__ import annotations

import json

import pytest

from bibliomap.harvest.client import HarvestError, RetryPolicy
from bibliomap.harvest.crossref import fetch_crossref
from bibliomap.harvest.openalex import SELECT, fetch_openalex
from bibliomap.harvest.pubmed import fetch_pubmed
from bibliomap.harvest.resume import cache_path, part_path, state_path
from bibliomap.io.read import read_file

FAST = 1000.0  # requests per second in tests that do not measure the rate


def ids_in(path, key="openalex_id"):
    return [r[key] for r in read_file(path).records]


def expected_openalex(sim, n=None):
    return [w["id"].rsplit("/", 1)[1] for w in sim.works[:n]]


def test_openalex_pages_to_the_end_with_select_and_mailto(sim, retry, tmp_path):
    out = tmp_path / "works.jsonl"
    result = fetch_openalex(out, search="decision making", from_year=1997, to_year=2025, mailto="me@example.org",
                            api_url=sim.url("openalex"), rate=FAST, retry=retry)
    assert ids_in(out) == expected_openalex(sim)
    assert result.records == len(sim.works) == 335 and result.total == 335
    # 200 per page: two pages of works, then the empty page whose next_cursor is null
    calls = sim.requests_to("/openalex/works")
    assert [c[2]["cursor"] == "*" for c in calls] == [True, False, False]
    first = calls[0][2]
    assert first["per_page"] == "200" and first["select"] == SELECT and first["mailto"] == "me@example.org"
    assert first["search"] == "decision making"
    assert first["filter"] == "from_publication_date:1997-01-01,to_publication_date:2025-12-31"
    assert not state_path(out).exists() and not part_path(out).exists()
    assert len(list(cache_path(out).rglob("*.raw"))) == 3


def test_openalex_survives_429_503_malformed_and_dropped_connection(sim, retry, sleeps, tmp_path):
    sim.fault("openalex", page=1, kind="429", retry_after="3")
    sim.fault("openalex", page=2, kind="503", times=2)
    sim.fault("openalex", page=3, kind="malformed")
    sim.fault("openalex", page=4, kind="drop")
    out = tmp_path / "works.jsonl"
    result = fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    got = ids_in(out)
    assert got == expected_openalex(sim) and len(set(got)) == 335
    assert result.duplicates_skipped == 0
    assert len(sim.requests_to("/openalex/works")) == 8 + 5  # 7 pages + the empty one, 5 retried answers
    assert len(sleeps.waits) == 5
    assert sleeps.waits[0] >= 3.0  # Retry-After honoured
    assert 0.25 <= sleeps.waits[1] <= 0.5 and 0.5 <= sleeps.waits[2] <= 1.0  # backoff doubles, with jitter


def test_openalex_gives_up_then_resumes_from_its_cursor(sim, retry, tmp_path):
    sim.fault("openalex", page=3, kind="500", times=-1)
    out = tmp_path / "works.jsonl"
    with pytest.raises(HarvestError, match="HTTP 500; gave up after 5 attempts"):
        fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    assert not out.exists()  # never a partial file under the final name
    state = json.loads(state_path(out).read_text())
    assert state["records"] == 150 and state["pages"] == 3
    sim.faults.clear()
    sim.log.clear()
    result = fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    assert result.resumed and result.records == 335
    assert ids_in(out) == expected_openalex(sim)
    assert all(c[2]["cursor"] != "*" for c in sim.requests_to("/openalex/works"))  # did not start over


def test_interrupted_mid_page_loses_and_duplicates_nothing(sim, retry, tmp_path):
    out = tmp_path / "works.jsonl"
    calls = []

    class Interrupt(BaseException):
        pass

    import bibliomap.harvest.paging as paging

    original = paging.CursorPager.fetch

    def fetch_then_stop(self, cursor):
        calls.append(cursor)
        if len(calls) == 4:
            raise Interrupt()  # like Ctrl-C while the fourth page was on its way
        return original(self, cursor)

    paging.CursorPager.fetch = fetch_then_stop
    try:
        with pytest.raises(Interrupt):
            fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    finally:
        paging.CursorPager.fetch = original
    # a crash while the part file was being written leaves half a page behind the saved position
    with open(part_path(out), "a", encoding="utf-8") as fh:
        fh.write(json.dumps(sim.works[150]) + "\n" + json.dumps(sim.works[151])[:40])
    result = fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    got = ids_in(out)
    assert got == expected_openalex(sim) and result.resumed


def test_resume_refuses_another_query(sim, retry, tmp_path):
    sim.fault("openalex", page=1, kind="503", times=-1)
    out = tmp_path / "works.jsonl"
    with pytest.raises(HarvestError):
        fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    with pytest.raises(HarvestError, match="unfinished harvest of another query"):
        fetch_openalex(out, search="y", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)


def test_max_records_stops_exactly(sim, retry, tmp_path):
    out = tmp_path / "works.jsonl"
    result = fetch_openalex(out, search="x", max_records=120, api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    assert ids_in(out) == expected_openalex(sim, 120) and result.records == 120
    assert len(sim.requests_to("/openalex/works")) == 3


def test_a_long_retry_after_stops_with_a_clear_error(sim, sleeps, tmp_path):
    sim.fault("openalex", page=0, kind="429", retry_after="86400")
    policy = RetryPolicy(max_retries=3, base_delay=0.01, sleep=sleeps)
    with pytest.raises(HarvestError, match="asks to wait 86400 s"):
        fetch_openalex(tmp_path / "w.jsonl", search="x", api_url=sim.url("openalex"), rate=FAST, retry=policy)
    assert sleeps.waits == []


def test_crossref_pages_to_the_end_with_faults(sim, retry, tmp_path):
    sim.fault("crossref", page=1, kind="drop")
    sim.fault("crossref", page=2, kind="429", retry_after="1")
    sim.fault("crossref", page=2, kind="malformed")
    out = tmp_path / "crossref.jsonl"
    result = fetch_crossref(out, query="decision", from_year=2000, mailto="me@example.org", api_url=sim.url("crossref"), rows=100, rate=FAST, retry=retry)
    expected = [it["DOI"].lower() for it in sim.items]
    got = ids_in(out, "doi")
    assert got == expected and len(set(got)) == len(expected) == result.records
    first = sim.requests_to("/crossref/works")[0][2]
    assert first == {"query": "decision", "filter": "from-pub-date:2000", "rows": "100", "cursor": "*", "mailto": "me@example.org"}


def test_crossref_default_rows_is_1000(sim, retry, tmp_path):
    out = tmp_path / "crossref.jsonl"
    fetch_crossref(out, query="decision", api_url=sim.url("crossref"), rate=FAST, retry=retry)
    calls = sim.requests_to("/crossref/works")
    assert [c[2]["rows"] for c in calls] == ["1000", "1000"]  # one full page, then the empty one
    assert len(ids_in(out, "doi")) == len(sim.items)


def test_pubmed_history_batches_faults_and_resume(sim, retry, tmp_path):
    sim.fault("pubmed", page=1, kind="malformed")
    sim.fault("pubmed", page=2, kind="drop")
    sim.fault("pubmed", page=3, kind="503", times=-1)
    out = tmp_path / "pubmed.txt"
    with pytest.raises(HarvestError):
        fetch_pubmed(out, query="decision making", from_year=1997, to_year=2025, mailto="me@example.org",
                     api_url=sim.url("pubmed"), batch=50, rate=FAST, retry=retry)
    search = sim.requests_to("esearch")[0][2]
    assert search["usehistory"] == "y" and search["term"] == "(decision making) AND (1997:2025[dp])"
    assert search["email"] == "me@example.org" and search["tool"] == "bibliomap"
    sim.faults.clear()
    result = fetch_pubmed(out, query="decision making", from_year=1997, to_year=2025, mailto="me@example.org",
                          api_url=sim.url("pubmed"), batch=50, rate=FAST, retry=retry)
    assert result.resumed and result.records == 335
    fetches = sim.requests_to("efetch")
    assert fetches[-1][2]["WebEnv"] == "MCID_sim2"  # the resumed run searched again for a fresh history key
    assert {c[2]["rettype"] for c in fetches} == {"medline"}
    pmids = ids_in(out, "pmid")
    expected = [rec.split("\n", 1)[0][6:].strip() for rec in sim.medline]
    assert pmids == expected and len(set(pmids)) == 335
    assert out.read_text(encoding="utf-8").strip() == "\n\n".join(sim.medline).strip()  # records verbatim


def test_client_never_exceeds_its_rate_limit(sim, tmp_path):
    policy = RetryPolicy(max_retries=2, base_delay=0.01)
    fetch_openalex(tmp_path / "w.jsonl", search="x", api_url=sim.url("openalex"), per_page=20, rate=20.0, retry=policy)
    assert len(sim.log) == 18
    assert sim.max_requests_per_second() <= 20


def test_an_api_key_demand_is_explained_not_retried(sim, retry, sleeps, tmp_path):
    sim.fault("openalex", page=1, kind="401")
    with pytest.raises(HarvestError, match="HTTP 401.*OPENALEX_API_KEY"):
        fetch_openalex(tmp_path / "w.jsonl", search="x", api_key="WRONG", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    assert sleeps.waits == [] and all(c[2]["api_key"] == "WRONG" for c in sim.log)


def test_pubmed_search_limit_is_respected_with_a_warning(sim, retry, tmp_path, monkeypatch):
    import bibliomap.harvest.pubmed as pm

    monkeypatch.setattr(pm, "SEARCH_LIMIT", 120)  # NCBI's limit is 10,000; the simulated search finds 335
    out = tmp_path / "pubmed.txt"
    result = fetch_pubmed(out, query="x", api_url=sim.url("pubmed"), batch=50, rate=FAST, retry=retry)
    assert result.records == 120 and len(ids_in(out, "pmid")) == 120
    assert [int(c[2]["retstart"]) for c in sim.requests_to("efetch")] == [0, 50, 100]
    assert len(result.warnings) == 1 and "only the first 120" in result.warnings[0]


def test_two_harvests_into_one_file_are_refused(sim, retry, tmp_path):
    from bibliomap.harvest.resume import ResumableOutput, lock_path

    out = tmp_path / "works.jsonl"
    holder = ResumableOutput(out, "openalex", {"search": "x"})
    holder.open()  # another run holds the file
    try:
        with pytest.raises(HarvestError, match="another harvest is writing this file"):
            fetch_openalex(out, search="x", api_url=sim.url("openalex"), rate=FAST, retry=retry)
    finally:
        holder.close()
    fetch_openalex(out, search="x", api_url=sim.url("openalex"), rate=FAST, retry=retry)
    assert len(ids_in(out)) == 335 and not lock_path(out).exists()


def test_crossref_resume_after_the_cursor_expired_pages_again_without_duplicates(sim, retry, tmp_path):
    sim.fault("crossref", page=2, kind="503", times=-1)
    out = tmp_path / "crossref.jsonl"
    with pytest.raises(HarvestError):
        fetch_crossref(out, query="x", api_url=sim.url("crossref"), rows=50, rate=FAST, retry=retry)
    state = json.loads(state_path(out).read_text())
    state["saved_at"] -= 600  # ten minutes ago: Crossref has forgotten the cursor
    state_path(out).write_text(json.dumps(state))
    sim.faults.clear()
    sim.log.clear()
    result = fetch_crossref(out, query="x", api_url=sim.url("crossref"), rows=50, rate=FAST, retry=retry)
    assert sim.requests_to("/crossref/works")[0][2]["cursor"] == "*"
    assert ids_in(out, "doi") == [it["DOI"].lower() for it in sim.items]
    assert result.duplicates_skipped == 100 and "cursor had expired" in result.warnings[0]


def test_a_short_harvest_is_reported(sim, retry, tmp_path):
    sim.works = sim.works[:100]  # the API now stops early, though its count still says 335
    import apisim

    original = apisim.ApiSim._openalex_list

    def claim_more(self, params):
        doc, page = original(self, params)
        doc["meta"]["count"] = 335
        return doc, page

    apisim.ApiSim._openalex_list = claim_more
    try:
        result = fetch_openalex(tmp_path / "w.jsonl", search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    finally:
        apisim.ApiSim._openalex_list = original
    assert result.records == 100 and "reported 335 records and 100 were written" in result.warnings[0]


def test_progress_reports_records_out_of_the_api_count(sim, retry, tmp_path):
    from bibliomap.harvest.openalex import make_client, work_key
    from bibliomap.harvest.paging import CursorPager, jsonl_format, run_harvest
    from bibliomap.harvest.resume import ResumableOutput

    calls = []
    with make_client(sim.url("openalex"), rate=FAST, retry=retry) as client:
        run_harvest(CursorPager(client.page, {"search": "x", "per_page": 200}), jsonl_format(work_key),
                    ResumableOutput(tmp_path / "w.jsonl", "openalex", {}), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, None), (200, 335), (335, 335), (335, 335)]


def test_a_damaged_part_file_is_named_not_a_traceback(sim, retry, tmp_path):
    sim.fault("openalex", page=1, kind="503", times=-1)
    out = tmp_path / "works.jsonl"
    with pytest.raises(HarvestError):
        fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
    text = part_path(out).read_text(encoding="utf-8").splitlines()
    text[3] = "X" + text[3][1:]  # same length, no longer JSON
    part_path(out).write_text("\n".join(text) + "\n", encoding="utf-8")
    sim.faults.clear()
    with pytest.raises(HarvestError, match=r"works.jsonl.part, line 4: not a JSON record"):
        fetch_openalex(out, search="x", api_url=sim.url("openalex"), per_page=50, rate=FAST, retry=retry)
