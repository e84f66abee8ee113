"""`bibliomap fetch ...` end to end: fetch -> ingest -> study, and the command's errors and resume message."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.corpus import Corpus

FAST = ["--rate", "1000", "--quiet"]


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_fetch_ingest_study_end_to_end(sim, tmp_path):
    oa, cr, pm = tmp_path / "works.jsonl", tmp_path / "crossref.jsonl", tmp_path / "pubmed.txt"
    r = invoke("fetch", "openalex", "--search", "decision making", "--filter", "type:article", "--from-year", 1997,
               "--to-year", 2025, "--api-url", sim.url("openalex"), "--per-page", 100, "--out", oa, *FAST)
    assert r.exit_code == 0, r.output
    r = invoke("fetch", "crossref", "--query", "decision making", "--api-url", sim.url("crossref"), "--rows", 100, "--out", cr, *FAST)
    assert r.exit_code == 0, r.output
    r = invoke("fetch", "pubmed", "--query", "decision making", "--api-url", sim.url("pubmed"), "--batch", 100, "--out", pm, *FAST)
    assert r.exit_code == 0, r.output
    assert sim.requests_to("/openalex/works")[0][2]["filter"] == "type:article,from_publication_date:1997-01-01,to_publication_date:2025-12-31"

    corpus_path, report_path = tmp_path / "corpus.parquet", tmp_path / "ingest.json"
    r = invoke("ingest", oa, cr, pm, "--out", corpus_path, "--report", report_path, "--quiet")
    assert r.exit_code == 0, r.output
    files = {f["format"]: f for f in json.loads(report_path.read_text())["files"]}
    assert files["openalex_json"]["read"] == files["openalex_json"]["kept"] == 335
    assert files["medline"]["read"] == 335 and files["crossref_json"]["read"] == len(sim.items)
    corpus = Corpus.read_parquet(corpus_path)
    assert len(corpus) == 335  # the three harvests of the same records merge into one row each
    assert all(set(d) == {"openalex", "pubmed"} or set(d) == {"openalex", "pubmed", "crossref"} for d in corpus.column("databases").to_pylist())

    out = tmp_path / "study"
    r = invoke("study", oa, cr, pm, "--out", out, "-q")  # the study reads export files
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["records"]["read"] == 335 * 2 + len(sim.items) and manifest["documents_analysed"] == 335
    assert (out / "report.html").is_file()


def test_fetch_errors_are_clear(sim, tmp_path):
    r = invoke("fetch", "openalex", "--out", tmp_path / "w.jsonl")
    assert r.exit_code == 2 and "give --search and/or --filter" in r.output
    r = invoke("fetch", "openalex", "--filter", "nocolon", "--out", tmp_path / "w.jsonl")
    assert r.exit_code == 2 and "expected KEY:VALUE" in r.output
    r = invoke("fetch", "crossref", "--query", "x", "--from-year", 2020, "--to-year", 2010, "--out", tmp_path / "w.jsonl")
    assert r.exit_code == 2 and "after --to-year" in r.output
    r = invoke("fetch", "crossref", "--query", "x", "--api-url", "api.crossref.org", "--out", tmp_path / "w.jsonl", *FAST)
    assert r.exit_code == 1 and "expected an http:// or https:// URL" in r.output
    r = invoke("fetch", "pubmed", "--query", "x", "--api-url", "http://127.0.0.1:9", "--retries", 0, "--out", tmp_path / "p.txt", *FAST)
    assert r.exit_code == 1 and "connection problem" in r.output and "Traceback" not in r.output


def test_failed_fetch_says_how_to_resume_and_resumes(sim, tmp_path):
    out = tmp_path / "works.jsonl"
    sim.fault("openalex", page=2, kind="503", times=-1)
    args = ["fetch", "openalex", "--search", "x", "--api-url", sim.url("openalex"), "--per-page", 100, "--retries", 1, "--out", out, "--rate", 1000]
    r = invoke(*args)
    assert r.exit_code == 1 and "HTTP 503" in r.output and "run the same command again to continue" in r.output
    sim.faults.clear()
    r = invoke(*args)
    assert r.exit_code == 0 and "wrote 335 records of 335 found" in r.output and "resumed" in r.output
    assert len(out.read_text().splitlines()) == 335
