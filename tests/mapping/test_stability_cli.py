"""`bibliomap map --stability N`: clustering agreement across seeds, per-item confidence in the map file."""
from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from bibliomap.cli import app


def test_stability_option_reports_agreement_and_confidence(corpora, tmp_path):
    out = tmp_path / "m"
    res = CliRunner().invoke(app, ["map", "co-occurrence:author-keywords", str(corpora / "demo"), "--min-occurrences", "3",
                                   "--stability", "4", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    items = pd.read_csv(out / "map.txt", sep="\t")
    conf = items["score<Cluster confidence>"]
    assert len(conf) > 10 and conf.between(0, 1).all()
    assert (conf < 1).any() or (conf == 1).all()
    import json

    params = json.loads((out / "map.json").read_text(encoding="utf-8-sig"))["config"]["parameters"]
    assert 0 < params["stability_mean_ari"] <= 1 and params["stability_runs"] == 4
    res = CliRunner().invoke(app, ["map", "co-occurrence:author-keywords", str(corpora / "demo"), "--stability", "1", "--out", str(tmp_path / "x")])
    assert res.exit_code == 2 and "at least 2" in res.output
