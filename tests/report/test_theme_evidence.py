"""Every theme of the demo study's thematic map names its evidence (issue #15, item 5)."""
from __future__ import annotations

import pandas as pd


def test_every_theme_of_the_demo_study_cites_documents(demo_study):
    """The demo's term map has small clusters ("graph; edge; execution time", "data parallelism") that no
    document is classified into: the thematic map still names documents for every theme, and never the front
    matter of a proceedings volume ("[Title page i]", whose abstract lists every topic of the conference)."""
    tm = pd.read_csv(demo_study / "tables" / "thematic_map.csv")
    profiles = pd.read_csv(demo_study / "tables" / "cluster_profiles.csv")
    assert len(tm) > len(profiles[profiles["cluster"] > 0])  # some theme has no document classified into it
    assert tm["representative_documents"].notna().all()
    assert not tm["representative_documents"].str.contains(r"\[(?:Title page|Front matter)", regex=True).any()


def test_the_answer_on_open_topics_names_the_weak_themes_and_why_no_gap_candidate(demo_study):
    """The answer to "which topics are open for future research?" takes the weak themes from the thematic map
    (all clusters, not only those documents are classified into) and says why the data give no gap candidate."""
    import re

    html = (demo_study / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    answer = text[text.index("Which topics are open for future research?"):]
    tm = pd.read_csv(demo_study / "tables" / "thematic_map.csv")
    weak = tm.loc[tm["quadrant"] == "emerging or declining themes", "label"]
    assert len(weak) and all(f"“{label}”" in answer for label in weak)
    gaps = pd.read_csv(demo_study / "tables" / "gap_candidates.csv")
    if not len(gaps):
        assert "No term is a research-gap candidate in the data" in answer
