"""The study's term table says which label counts each variant and acronym, and the app's verification page shows it."""
from __future__ import annotations

import shutil

import pandas as pd

from bibliomap.app import verification
from bibliomap.app.workspace import OUTPUT


def test_variants_and_acronyms_name_the_label_that_counts_them(demo_study, tmp_path):
    terms = pd.read_csv(demo_study / "tables" / "terms.csv", keep_default_na=False)
    counted = dict(zip(terms["term"], terms["counted_as"]))
    assert counted["graphics processing unit"] == counted["graphic processing unit"] == "gpu"
    assert counted["gpu"] == ""  # a label counts itself
    selected = set(terms.loc[terms["selected"].astype(str) == "True", "term"])
    assert {label for label in counted.values() if label} <= selected
    assert not (terms["selected"].astype(str) == "True")[terms["counted_as"] != ""].any()

    (tmp_path / OUTPUT / "tables").mkdir(parents=True)
    shutil.copy(demo_study / "tables" / "terms.csv", tmp_path / OUTPUT / "tables" / "terms.csv")
    rows = {r["term"]: r for r in verification.rows(tmp_path)}
    assert rows["graphics processing unit"]["counted_as"] == "gpu" and rows["graphics processing unit"]["selected"] is False
    assert rows["gpu"]["counted_as"] == ""
