"""``bibliomap map``: argument checking, clear errors, and the three output files."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["map", *map(str, args)])


def wos(corpora):
    return sorted(corpora.glob("wos-plaintext/*.txt"))


def test_help_lists_every_analysis():
    res = run("--help")
    assert res.exit_code == 0
    for name in ("co-authorship", "co-occurrence", "citation", "bibliographic-coupling", "co-citation", "--network"):
        assert name in res.output


@pytest.mark.parametrize("spec,needle", [("co-authorship:keywords", "not defined for unit"), ("co-authorship", "ANALYSIS:UNIT"), ("mapping:authors", "unknown analysis")])
def test_bad_analysis_is_a_clear_error(corpora, tmp_path, spec, needle):
    res = run(spec, *wos(corpora), "--out", tmp_path / "out")
    assert res.exit_code == 2
    assert needle in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_network_and_analysis_together_are_refused(corpora, tmp_path):
    net = tmp_path / "n.txt"
    net.write_text("0\t1\t1\n")
    res = run("co-authorship:authors", *wos(corpora), "--network", net, "--out", tmp_path / "out")
    assert res.exit_code == 2 and "not both" in res.output


def test_missing_network_file(tmp_path):
    res = run("--network", tmp_path / "missing.txt", "--out", tmp_path / "out")
    assert res.exit_code == 2 and "no such file" in res.output


def test_no_item_meets_the_thresholds(corpora, tmp_path):
    res = run("co-authorship:authors", *wos(corpora), "--min-documents", "1000", "--out", tmp_path / "out", "-q")
    assert res.exit_code == 1 and "thresholds" in res.output


def test_citation_analysis_without_references(corpora, tmp_path):
    res = run("citation:documents", *sorted(corpora.glob("demo/*.csv")), "--out", tmp_path / "out", "-q")
    assert res.exit_code == 2 and "cited references" in res.output


def test_thesaurus_file_is_read(tmp_path):
    from bibliomap.cli.common import load_thesaurus

    path = tmp_path / "thesaurus.txt"
    path.write_text("label\treplace by\nbibliometric analysis\tbibliometrics\nstop word\t\n", encoding="utf-16")
    assert dict(load_thesaurus(path)) == {"bibliometric analysis": "bibliometrics", "stop word": ""}


def _mapping_available() -> bool:
    try:
        from bibliomap.mapping import make_map  # noqa: F401
    except ImportError:
        return False
    return True


needs_mapping = pytest.mark.skipif(not _mapping_available(), reason="bibliomap.mapping.make_map not yet in the tree")


@needs_mapping
def test_map_from_corpus_writes_three_deterministic_files(corpora, tmp_path):
    outs = []
    for k in range(2):
        out = tmp_path / f"out{k}"
        res = run("co-occurrence:keywords", *wos(corpora), "--min-occurrences", "2", "--seed", "3", "--out", out)
        assert res.exit_code == 0, res.output
        assert sorted(p.name for p in out.iterdir()) == ["map.json", "map.txt", "network.txt"]
        outs.append(out)
    for name in ("map.txt", "network.txt", "map.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    header = (outs[0] / "map.txt").read_text().splitlines()[0].split("\t")
    assert header[:2] == ["id", "label"] and "weight<Occurrences>" in header and "score<Avg. pub. year>" in header
    doc = json.loads((outs[0] / "map.json").read_text())
    params = doc["config"]["parameters"]
    assert "V*" in params and "Q" in params and params["analysis"] == "co-occurrence"
    n_links = len((outs[0] / "network.txt").read_text().splitlines())
    assert n_links == len(doc["network"]["links"]) > 0


@needs_mapping
def test_map_from_a_zero_based_network_file(tmp_path):
    net = tmp_path / "net.txt"
    net.write_text("0\t1\t2\n1\t2\t1\n0\t2\t1\n3\t4\t5\n")
    out = tmp_path / "out"
    res = run("--network", net, "--out", out, "--largest-component")
    assert res.exit_code == 0, res.output
    ids = sorted(int(line.split("\t")[0]) for line in (out / "map.txt").read_text().splitlines()[1:])
    assert ids == [0, 1, 2]  # ids kept as given; the 3-4 component dropped


def test_unknown_normalization(corpora, tmp_path):
    res = run("co-occurrence:keywords", *wos(corpora), "--min-occurrences", "2", "--normalization", "cosine", "--out", tmp_path / "o", "-q")
    assert res.exit_code == 2 and "normalization" in res.output
    assert not (tmp_path / "o").exists()
