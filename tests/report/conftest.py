"""A study on the shipped demo corpus, run once for the report tests."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app


@pytest.fixture(scope="session")
def demo_study(tmp_path_factory):
    out = tmp_path_factory.mktemp("study") / "out"
    res = CliRunner().invoke(app, ["study", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="session")
def demo_study_id(tmp_path_factory):
    """The same study in Bahasa Indonesia (--lang id)."""
    out = tmp_path_factory.mktemp("study_id") / "out"
    res = CliRunner().invoke(app, ["study", "--lang", "id", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out
