"""The four research questions of a bibliometric study, answered in sentences built from the figures.

Every sentence is a template filled with numbers computed by the pipeline, so the
answers change with the data and never state what the tables do not show.
"""
from __future__ import annotations

from typing import Any

import pandas as pd


def _fmt_list(items: list[str], n: int = 5) -> str:
    items = [str(x) for x in items[:n]]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def classification(tables: dict[str, pd.DataFrame], maps: dict[str, Any]) -> list[str]:
    """How are the articles classified? Clusters of the term map, their size and themes."""
    out = []
    cls = tables.get("document_clusters")
    clusters = tables.get("clusters_term_cooccurrence")
    if clusters is None:
        clusters = tables.get("clusters_keyword_cooccurrence")
    if clusters is not None and len(clusters):
        out.append(f"The term map groups the field into {len(clusters)} clusters.")
        for _, r in clusters.head(6).iterrows():
            year = f", mean publication year {r['mean_year']:.0f}" if pd.notna(r.get("mean_year")) else ""
            out.append(f"Cluster {int(r['cluster'])} ({r['size']} terms{year}) is characterized by {r['most_frequent'].replace('; ', ', ')}.")
    if cls is not None and len(cls):
        share = float((cls["cluster"] > 0).mean())
        counts = cls.loc[cls["cluster"] > 0, "cluster"].value_counts().sort_index()
        if len(counts):
            biggest = int(counts.idxmax())
            out.append(f"{share:.0%} of the documents are assigned to a cluster (the one holding most of their terms); cluster {biggest} holds the most documents ({int(counts.max())}).")
    dt = tables.get("document_types")
    if dt is not None and len(dt):
        first = dt.iloc[0]
        out.append(f"By document type, {first.iloc[0]} is the most common ({first.iloc[1]} documents).")
    return out or ["The data did not support a classification (no term or keyword map)."]


def research_trends(tables: dict[str, pd.DataFrame]) -> list[str]:
    """What are the research trends? Growth, trend topics and bursts."""
    out = []
    ap = tables.get("annual_production")
    if ap is not None and len(ap):
        ycol = ap.columns[0]
        ncol = next((c for c in ap.columns if c.lower() in ("articles", "documents", "n")), ap.columns[1])
        peak = ap.loc[ap[ncol].idxmax()]
        out.append(f"Publications span {int(ap[ycol].min())}-{int(ap[ycol].max())}, peaking in {int(peak[ycol])} with {int(peak[ncol])} documents.")
    mi = tables.get("main_information")
    if mi is not None and len(mi):
        row = mi[mi.iloc[:, 0].astype(str).str.contains("Growth", case=False)]
        if len(row):
            out.append(f"The annual growth rate is {row.iloc[0, 1]}%.")
    b = tables.get("bursts")
    if b is not None and len(b):
        top = b.head(3)
        parts = [f"{r['item']} ({r['begin']}-{r['end']}, strength {r['strength']:.1f})" for _, r in top.iterrows()]
        out.append("The strongest bursts: " + _fmt_list(parts, 3) + ".")
    tt = tables.get("trend_topics")
    if tt is not None and len(tt):
        recent = tt.sort_values(["year_median", "freq"], ascending=[False, False]).head(5)
        out.append(f"The most recent trend topics (latest median year) are {_fmt_list(list(recent['item']))}.")
    return out or ["The data did not support a trend analysis."]


def most_published(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Which topics are published most? The most frequent terms and keywords."""
    out = []
    terms = tables.get("terms")
    if terms is not None and len(terms):
        sel = terms[terms["selected"].astype(str).str.lower().isin(["yes", "true", "1"])] if "selected" in terms else terms
        occ = "occurrences" if "occurrences" in sel else sel.columns[1]
        top = sel.sort_values([occ], ascending=False, kind="mergesort").head(8)
        out.append("The most frequent terms are " + _fmt_list([f"{r.iloc[0]} ({int(r[occ])})" for _, r in top.iterrows()], 8) + ".")
    kw = tables.get("author_keywords")
    if kw is not None and len(kw):
        out.append("The most frequent author keywords are " + _fmt_list([f"{r.iloc[0]} ({r.iloc[1]})" for _, r in kw.head(8).iterrows()], 8) + ".")
    tm = tables.get("thematic_map")
    if tm is not None and len(tm):
        motor = tm[tm["quadrant"] == "motor themes"]
        if len(motor):
            out.append("Motor themes (central and developed): " + _fmt_list(list(motor["label"])) + ".")
        basic = tm[tm["quadrant"] == "basic themes"]
        if len(basic):
            out.append("Basic, transversal themes: " + _fmt_list(list(basic["label"])) + ".")
    return out or ["No terms or keywords were available."]


def future_topics(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Which topics are open for future research? Emerging items and weakly developed themes."""
    out = []
    ed = tables.get("emerging_declining")
    if ed is not None and len(ed):
        em = ed[ed["status"] == "emerging"].head(6)
        if len(em):
            out.append("Emerging topics (a rising share of recent documents or an active burst): " + _fmt_list(list(em["item"]), 6) + ".")
        dec = ed[ed["status"] == "declining"].head(4)
        if len(dec):
            out.append("Declining topics: " + _fmt_list(list(dec["item"]), 4) + ".")
    tm = tables.get("thematic_map")
    if tm is not None and len(tm):
        low = tm[tm["quadrant"] == "emerging or declining themes"]
        if len(low):
            out.append("Weakly developed and peripheral themes, candidates for future work: " + _fmt_list(list(low["label"])) + ".")
        niche = tm[tm["quadrant"] == "niche themes"]
        if len(niche):
            out.append("Niche themes (developed but isolated) that could connect to the core: " + _fmt_list(list(niche["label"])) + ".")
    return out or ["The data did not support a gap analysis."]


def answer_all(tables: dict[str, pd.DataFrame], maps: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(question, sentences) for the four research questions."""
    return [
        ("How are the articles classified?", classification(tables, maps)),
        ("What are the research trends?", research_trends(tables)),
        ("Which topics are published most?", most_published(tables)),
        ("Which topics are open for future research?", future_topics(tables)),
    ]
