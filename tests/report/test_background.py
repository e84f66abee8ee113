"""Charts and the workbook are made in a background process; failures are reported, not fatal."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.report.background import BackgroundWork


def _table() -> pd.DataFrame:
    return pd.DataFrame({"Year": [2019, 2020, 2021], "Articles": [3, 5, 8], "Citations": [10, 4, 1]})


@pytest.mark.parametrize("background", [True, False], ids=["worker", "in-process"])
def test_jobs_write_their_files_and_failures_are_reported(tmp_path, background):
    work = BackgroundWork(("png",), background=background)
    try:
        work.submit("annual", "bibliomap.viz.charts:annual_production_chart", _table(), tmp_path / "annual")
        work.submit("broken", "bibliomap.viz.charts:annual_production_chart", "not a table", tmp_path / "broken")
        work.submit("workbook", "bibliomap.io.tables:tables_to_xlsx", {"t": _table()}, tmp_path / "t.xlsx")
        paths, errors, _ = work.wait()
    finally:
        work.close()
    assert sorted(p.name for p in paths) == ["annual.png", "t.xlsx"]
    assert all(p.is_file() for p in paths)
    assert not (tmp_path / "annual.svg").exists()  # only the formats asked for
    assert len(errors) == 1 and errors[0].startswith("broken:")


def test_study_without_svg_and_with_every_output_timed(corpora, tmp_path):
    config = tmp_path / "study.toml"
    config.write_text("[study]\nsvg = false\npdf = false\n")
    out = tmp_path / "study"
    res = CliRunner().invoke(app, ["study", str(corpora / "pubmed-medline" / "mcda_pubmed.txt"), "--config", str(config), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    figures = list((out / "figures").iterdir())
    assert figures and all(f.suffix == ".png" for f in figures)
    steps = {s["name"]: s for s in json.loads((out / "manifest.json").read_text())["steps"]}
    for name in ("figures", "outputs", "report", "workbook"):
        assert steps[name]["status"] == "done" and steps[name]["seconds"] >= 0
    assert (out / "tables" / "study.xlsx").is_file()
    assert "<img" in (out / "report.html").read_text()


_CACHED = ("import json; from bibliomap.numba_cache import in_numba_cache; from bibliomap.text import _scanner, tagger; "
           "print(json.dumps([in_numba_cache(_scanner.scan, _scanner.assign_types), in_numba_cache(tagger._decode)]))")


@pytest.mark.parametrize("large_text", [False, True], ids=["small-inputs", "large-inputs"])
def test_worker_warm_up_compiles_the_tokenizer_only_for_inputs_that_use_it(tmp_path, large_text):
    """With an empty numba cache, the worker's warm-up compiles the tagger always and the
    compiled tokenizer only when the inputs are large enough to use it (a demo-sized first run
    must not pay for a kernel it never calls)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    warm = f"from bibliomap.report.background import _warm_up_text; _warm_up_text({large_text})"
    subprocess.run([sys.executable, "-c", warm], env=env, check=True, timeout=300)
    cached = subprocess.run([sys.executable, "-c", _CACHED], env=env, check=True, capture_output=True, text=True, timeout=120)
    assert json.loads(cached.stdout) == [large_text, True]
