"""`bibliomap study`: the whole pipeline on real data, its outputs, robustness and determinism."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.report.config import ConfigError, defaults, load_config, to_toml


def _digest(folder: Path, pattern: str) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob(pattern))}


def test_study_on_the_shipped_demo_writes_every_output(demo_study):
    out = demo_study
    for name in ("report.html", "corpus.parquet", "ingest.json", "config.toml", "manifest.json", "tables/study.xlsx"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["records"]["read"] == 441
    assert manifest["documents_analysed"] > 400
    assert {s["name"] for s in manifest["steps"]} >= {"ingest", "descriptive", "terms", "trends", "report"}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert (out / "tables" / "pop_metrics.csv").is_file()
    assert (out / "tables" / "trend_topics.csv").is_file()
    html = (out / "report.html").read_text()
    for section in ('id="data-method"', 'id="fig-record-flow"', 'id="questions"', "How are the articles classified?", "Which topics are open for future research?"):
        assert section in html
    assert load_config(out / "config.toml") == load_config(None)


def test_study_is_deterministic(demo_study, tmp_path):
    out2 = tmp_path / "again"
    res = CliRunner().invoke(app, ["study", "--out", str(out2), "-q"])
    assert res.exit_code == 0, res.output
    assert _digest(demo_study, "tables/*.csv") == _digest(out2, "tables/*.csv")
    assert _digest(demo_study, "maps/*/*.txt") == _digest(out2, "maps/*/*.txt")


def test_steps_that_cannot_run_are_skipped_with_a_reason(corpora, tmp_path):
    # PubMed has no references and no citation counts: the citation maps must be skipped, not crash
    out = tmp_path / "pm"
    res = CliRunner().invoke(app, ["study", str(corpora / "pubmed-medline" / "mcda_pubmed.txt"), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    steps = {s["name"]: s for s in json.loads((out / "manifest.json").read_text())["steps"]}
    assert steps["citation_maps"]["status"] == "skipped"
    assert "references" in steps["citation_maps"]["message"]
    html = (out / "report.html").read_text()
    assert "skipped" in html
    # no citation counts in the export: the headlines say so instead of reporting zeros as findings
    assert "The exports give none of the" in html and "h-index is 0" not in html
    assert "No document has a citation count in the exports" in html and "with 0 citations" not in html


def test_write_config_and_reject_unknown_keys(tmp_path):
    path = tmp_path / "study.toml"
    res = CliRunner().invoke(app, ["study", "--write-config", str(path)])
    assert res.exit_code == 0
    text = path.read_text()
    assert "# minimum occurrences of a term" in text
    assert load_config(path) == defaults()
    bad = tmp_path / "bad.toml"
    bad.write_text(to_toml(defaults()).replace("min_occurrences = 10", "min_occurences = 10"))
    with pytest.raises(ConfigError, match="min_occurences"):
        load_config(bad)
    res = CliRunner().invoke(app, ["study", "--config", str(bad), "--out", str(tmp_path / "x")])
    assert res.exit_code == 2 and "unknown key" in res.output and not (tmp_path / "x").exists()
    out_of_range = tmp_path / "range.toml"
    out_of_range.write_text(to_toml(defaults()).replace("specificity_weight = 0.7", "specificity_weight = 2"))
    with pytest.raises(ConfigError, match=r"\[terms\] specificity_weight must be in \[0.0, 1.0\], got 2.0"):
        load_config(out_of_range)
    zero_keep = tmp_path / "keep.toml"
    zero_keep.write_text(to_toml(defaults()).replace("keep = 0.6", "keep = 0"))
    with pytest.raises(ConfigError, match=r"keep must be in \(0.0, 1.0\]"):
        load_config(zero_keep)


def test_maps_thesaurus_merges_and_drops_items_in_the_study(corpora, tmp_path):
    import collections

    import bibliomap

    source = corpora / "wos-bibtex" / "wos.bib"
    counts = collections.Counter(k.lower() for ks in bibliomap.read(source).values("author_keywords") for k in ks)
    (drop, _), (merged, _), (into, _) = counts.most_common(3)
    (tmp_path / "thesaurus.txt").write_text(f"label\treplace by\n{drop}\t\n{merged}\t{into}\n", encoding="utf-8")
    config = tmp_path / "study.toml"
    config.write_text('[maps]\nthesaurus = "thesaurus.txt"\n', encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["study", str(source), "--config", str(config), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    map_txt = (out / "maps" / "keyword_cooccurrence" / "map.txt").read_text(encoding="utf-8")
    labels = {line.split("\t")[1].lower() for line in map_txt.splitlines()[1:]}
    assert into in labels and drop not in labels and merged not in labels
    config.write_text('[maps]\nthesaurus = "missing.txt"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[maps\] thesaurus: no such file"):
        load_config(config)
