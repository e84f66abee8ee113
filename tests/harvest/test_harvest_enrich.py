"""Enrichment of a real Publish or Perish export against a simulated OpenAlex / Crossref."""
from __future__ import annotations

import copy
import json

import pytest
from apisim import ApiSim, crossref_item, scholar_style_export
from typer.testing import CliRunner

import bibliomap
from bibliomap.cli import app
from bibliomap.corpus import Corpus
from bibliomap.harvest import crossref, openalex
from bibliomap.harvest.enrich import doi_candidates, enrich_corpus
from bibliomap.io.read import read_file

FAST = 1000.0
POP = "harvest/pop_propithecus.csv"
BY_DOI = {"D000001", "D000004", "D000005", "D000015", "D000023"}
BY_TITLE = {"D000002", "D000007", "D000026", "D000027"}


@pytest.fixture(scope="module")
def works(fixtures):
    return [json.loads(line) for line in (fixtures / "harvest" / "openalex_propithecus.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def pop(fixtures):
    return bibliomap.read(str(fixtures / POP))


@pytest.fixture()
def oa_sim(works):
    with ApiSim(works=works) as server:
        yield server


def run(corpus, source, url, retry, **kw):
    module = openalex if source == "openalex" else crossref
    with module.make_client(url, rate=FAST, retry=retry) as client:
        return enrich_corpus(corpus, source, client, **kw)


def test_openalex_enrichment_matches_strictly(pop, oa_sim, retry):
    enriched, report = run(pop, "openalex", oa_sim.url("openalex"), retry)
    how = {m["id"]: m["how"] for m in report["matched"]}
    assert {k for k, v in how.items() if v == "doi"} == BY_DOI
    assert {k for k, v in how.items() if v == "title"} == BY_TITLE
    unmatched = {u["id"]: u["reason"] for u in report["unmatched"]}
    assert set(unmatched) == {r["id"] for r in pop.to_records()} - BY_DOI - BY_TITLE
    assert "Behavioural husbandry of captive giraffes" in unmatched["D000010"]  # a wrong DOI is not trusted
    assert "first authors differ" in unmatched["D000016"]  # same title, another first author
    assert "DOI 10.1002/ajp.23103 not found" in unmatched["D000009"]  # same title 5 years earlier: filtered out
    assert report["counts"] == {"records": 30, "complete": 0, "looked_up": 30, "matched_by_doi": 5, "matched_by_title": 4,
                                "unmatched": 21, "snippets_kept": 9, "requests": report["counts"]["requests"], "shared_ids": 0}
    assert {m["id"]: m["work"] for m in report["matched"]}["D000027"] == "W2021660027"  # not the near-miss W2021660028


def test_openalex_enrichment_fills_only_what_is_missing(pop, oa_sim, retry):
    before = {r["id"]: r for r in pop.to_records()}
    enriched, _ = run(pop, "openalex", oa_sim.url("openalex"), retry, replace_snippets=True)
    after = {r["id"]: r for r in enriched.to_records()}
    d1, d1_before = after["D000001"], before["D000001"]
    assert d1["affiliations"] == ["Instituto Gulbenkian de Ciência", "University of Mahajanga"]
    assert d1["countries"] == ["Portugal", "Madagascar"]
    assert d1["references"] == ["W2014660002", "W2000660015"]
    assert d1["reference_keys"] == ["openalex:W2014660002", "openalex:W2000660015"]
    assert d1["openalex_id"] == "W2014660001" and d1["index_keywords"] == ["Sifaka", "Population density"]
    assert d1["abstract"].startswith("We estimated the density") and d1["extra"]["scholar_snippet"] == d1_before["abstract"]
    assert d1["authors"][0]["surname"] == "Kun‐Rodrigues" and d1["authors"][0]["affiliations"] == ["Instituto Gulbenkian de Ciência"]
    assert d1["authors"][2]["countries"] == ["Madagascar"]
    assert "openalex" in d1["databases"] and d1["provenance"][-1]["file"].endswith("/works/W2014660001")
    for field in ("title", "year", "times_cited", "source_title", "doi", "query_date", "n_authors"):
        assert d1[field] == d1_before[field]
    assert after["D000002"]["doi"] == "10.3354/esr00621"  # the export had none
    assert after["D000004"]["doi"] == "10.1638/2009-0160.1.short"  # the export's DOI is never overwritten
    for rid in ("D000003", "D000010", "D000016"):
        assert after[rid] == before[rid]  # unmatched records are untouched


def test_snippet_abstracts_are_kept_unless_asked(pop, oa_sim, retry):
    enriched, report = run(pop, "openalex", oa_sim.url("openalex"), retry)
    before = {r["id"]: r["abstract"] for r in pop.to_records()}
    assert {r["id"]: r["abstract"] for r in enriched.to_records()} == before
    assert all("abstract" not in m["filled"] for m in report["matched"])
    assert all("scholar_snippet" not in r["extra"] for r in enriched.to_records())
    assert report["counts"]["snippets_kept"] == 9


def test_crossref_enrichment(pop, works, retry, tmp_path):
    path = tmp_path / "works.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    items = []
    for work, rec in zip(works, read_file(path).records):
        if work["doi"]:  # the raw DOI: the corpus's DOI normalization cuts SICI DOIs at '<'
            items.append(crossref_item({**rec, "doi": work["doi"].removeprefix("https://doi.org/")}))
    with ApiSim(items=items) as sim:
        enriched, report = run(pop, "crossref", sim.url("crossref"), retry)
        how = {m["id"]: m["how"] for m in report["matched"]}
        assert {k for k, v in how.items() if v == "doi"} == BY_DOI
        assert {k for k, v in how.items() if v == "title"} == {"D000002", "D000007", "D000026"}  # D27's work has no DOI here
        calls = [c[2] for c in sim.requests_to("/crossref/works") if "query.bibliographic" in c[2]]
        assert calls and all("query.author" in c for c in calls)
    d2 = {r["id"]: r for r in enriched.to_records()}["D000002"]
    assert d2["doi"] == "10.3354/esr00621" and d2["affiliations"] == ["Instituto Gulbenkian de Ciência", "University of Mahajanga"]
    assert "crossref" in d2["databases"]


def test_doi_candidates_undo_google_scholar_damage():
    assert doi_candidates("10.1638/2009-0160.1.short") == ["10.1638/2009-0160.1.short", "10.1638/2009-0160.1"]
    assert doi_candidates("10.1002/1098-2345%28200011%2952%3a3%3c133%3a%3aaid-ajp2%3e3.0.co%3b2-%23")[-1] == (
        "10.1002/1098-2345(200011)52:3<133::aid-ajp2>3.0.co;2-#")
    assert doi_candidates(None) == [] and doi_candidates("not a doi") == []


def test_enrich_command_writes_corpus_and_report(fixtures, oa_sim, tmp_path):
    out = tmp_path / "enriched.parquet"
    result = CliRunner().invoke(app, ["enrich", str(fixtures / POP), "--with", "openalex", "--api-url", oa_sim.url("openalex"),
                                      "--rate", "1000", "--mailto", "me@example.org", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "enriched.enrich.json").read_text())
    assert report["counts"]["matched_by_doi"] == 5 and len(report["unmatched"]) == 21
    corpus = Corpus.read_parquet(out)
    assert len(corpus) == 30 and corpus.ingest_report["files"][0]["format"] == "pop_csv"
    assert corpus.column("abstract").to_pylist()[0].startswith("… Propithecus coquereli is one")  # snippets kept by default
    assert "--replace-snippets puts it in" in " ".join(result.output.split())
    assert sum(bool(r) for r in corpus.column("references").to_pylist()) == 5  # D1, D2, D5, D23, D26 cite works
    assert all(c[2].get("mailto") == "me@example.org" for c in oa_sim.log)
    # a second run answers from the cache: no new request
    n = len(oa_sim.log)
    again = CliRunner().invoke(app, ["enrich", str(fixtures / POP), "--with", "openalex", "--api-url", oa_sim.url("openalex"),
                                     "--rate", "1000", "--out", str(out), "--quiet", "--replace-snippets"])
    assert again.exit_code == 0 and len(oa_sim.log) == n
    abstracts = dict(zip(Corpus.read_parquet(out).column("id").to_pylist(), Corpus.read_parquet(out).column("abstract").to_pylist()))
    assert abstracts["D000001"].startswith("We estimated the density")


def test_enrich_command_errors_are_clear(fixtures, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["enrich", str(fixtures / POP), "--with", "scopus", "--out", str(tmp_path / "x.parquet")])
    assert bad.exit_code == 2 and "expected one of openalex, crossref" in bad.output
    down = runner.invoke(app, ["enrich", str(fixtures / POP), "--with", "openalex", "--api-url", "http://127.0.0.1:9",
                               "--out", str(tmp_path / "x.parquet"), "--retries", "0", "--quiet"], env={"COLUMNS": "200"})
    assert down.exit_code == 1 and "connection problem" in down.output and "Traceback" not in down.output
    assert not (tmp_path / "x.parquet").exists()


def test_unmatched_records_are_byte_identical(pop, oa_sim, retry):
    records = copy.deepcopy(pop.to_records())
    enriched, report = run(pop, "openalex", oa_sim.url("openalex"), retry)
    unmatched = {u["id"] for u in report["unmatched"]}
    assert [r for r in enriched.to_records() if r["id"] in unmatched] == [r for r in records if r["id"] in unmatched]


def test_records_that_now_share_an_identifier_are_reported(pop, oa_sim, retry):
    records = pop.to_records()
    twin = dict(records[1], id="D000031", provenance=list(records[1]["provenance"]))  # a second Google Scholar version of D2
    enriched, report = run(Corpus.from_records([*records, twin]), "openalex", oa_sim.url("openalex"), retry)
    assert {"field": "doi", "value": "10.3354/esr00621", "ids": ["D000002", "D000031"]} in report["shared_ids"]
    assert len(enriched) == 31  # listed, not merged


def test_title_matching_on_real_records_finds_them_and_rejects_shifted_years(api_data, tmp_path, retry):
    """Recall and precision of the title rule on the 335 real PubMed records, shown the Google Scholar way."""
    from apisim import MEDLINE_FILE

    from bibliomap.io.read import read_file as read

    records = [r for r in read(MEDLINE_FILE).records if r["title"] and r["authors"] and r["year"]]
    export = tmp_path / "PoPCites.csv"
    scholar_style_export(records, export)
    corpus = bibliomap.read(str(export), deduplicate=False)  # two truncated titles coincide: keep both rows
    assert len(corpus) == len(records) == 335
    assert sum(t.endswith("…") for t in corpus.column("title").to_pylist()) == 40  # cut titles
    _, works, _ = api_data
    with ApiSim(works=works) as sim:
        _, report = run(corpus, "openalex", sim.url("openalex"), retry)
    assert report["counts"]["matched_by_title"] == len(records)  # every one found, by title alone
    title_of = {w["id"].rsplit("/", 1)[1]: w["title"] for w in works}
    assert all(title_of[m["work"]] == records[int(m["id"][1:]) - 1]["title"] for m in report["matched"])  # and the right one
    shifted = copy.deepcopy(works)
    for w in shifted:
        w["publication_year"] += 2
    with ApiSim(works=shifted) as sim:
        _, report = run(corpus, "openalex", sim.url("openalex"), retry)
    assert report["counts"]["matched_by_title"] == 0 and report["counts"]["unmatched"] == len(records)


def test_enrich_reads_a_saved_corpus(pop, oa_sim, tmp_path):
    saved = tmp_path / "pop.parquet"
    pop.write_parquet(saved)
    out = tmp_path / "enriched.parquet"
    result = CliRunner().invoke(app, ["enrich", str(saved), "--with", "openalex", "--api-url", oa_sim.url("openalex"),
                                      "--rate", "1000", "--out", str(out), "--report", str(tmp_path / "r.json"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["counts"]["matched_by_title"] == 4
