"""Plain-language answers to the four questions of a bibliometric study, built from the result tables.

Every sentence is a template filled with figures from the tables (cluster profiles,
thematic map, bursts, trend topics, emerging items, thematic evolution, gap
candidates), so the text changes with the data and never claims what the tables do
not show. Missing tables simply leave their sentences out.

Table names (keys of the ``tables`` mapping): ``cluster_profiles``
(:func:`bibliomap.analysis.thematic.describe_clusters` with themes), ``thematic_map``,
``document_clusters``, ``cluster_production``, ``trend_topics``, ``bursts``,
``bursts_references``, ``emerging_declining``, ``evolution_themes``,
``evolution_links``, ``gaps``, ``annual_production``.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

QUESTIONS = (
    "How are the articles classified?",
    "What are the research trends?",
    "Which topics are published most?",
    "Which topics are open for future research?",
)

_QUADRANT_TEXT = {
    "motor themes": "a motor theme (central to the field and well developed)",
    "niche themes": "a niche theme (well developed internally but isolated from the rest)",
    "emerging or declining themes": "an emerging or declining theme (peripheral and weakly developed)",
    "basic themes": "a basic theme (central but weakly developed: transversal, general topics)",
}


def _get(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    t = tables.get(name)
    return t if isinstance(t, pd.DataFrame) and len(t) else None


def _join(items: list[str], n: int = 5) -> str:
    items = [str(x) for x in items[:n] if str(x)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(n: float, word: str) -> str:
    n = int(n)
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _first_of(value: object) -> str:
    """'article (40); review (3)' -> 'article (40)'."""
    s = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    return s.split("; ")[0]


def _dominant(value: object, documents: float, min_share: float = 0.1) -> str:
    """The first 'name (n)' entry when it covers at least ``min_share`` of the documents (and 2 of them), else ''."""
    first = _first_of(value)
    if not first.endswith(")") or " (" not in first:
        return ""
    try:
        n = int(first.rsplit(" (", 1)[1][:-1])
    except ValueError:
        return ""
    return first if n >= max(2, min_share * documents) else ""


def _cluster_sentence(r: pd.Series, corpus_mean_year: float | None, unit: str) -> str:
    label = str(r.get("label") or "").strip()
    head = f"Cluster {int(r['cluster'])}" + (f" ({label}, " if label else " (")
    bits = [_plural(r["documents"], "document")]
    if pd.notna(r.get("mean_year")):
        bits.append(f"mean year {r['mean_year']:.0f}")
    if pd.notna(r.get("mean_citations")):
        bits.append(f"{r['mean_citations']:.1f} citations per document")
    s = head + ", ".join(bits) + ")"
    quadrant = str(r.get("quadrant") or "")
    if quadrant in _QUADRANT_TEXT:
        s += " is " + _QUADRANT_TEXT[quadrant]
        if quadrant == "emerging or declining themes" and corpus_mean_year is not None and pd.notna(r.get("mean_year")):
            s += "; its mean year is " + ("later than the field's, so it is more likely emerging" if r["mean_year"] > corpus_mean_year
                                           else "earlier than the field's, so it is more likely declining")
    else:
        s += " is a group of documents"
    top = str(r.get("top_items") or "")
    if top:
        s += f". Its most frequent {unit} are {_join(top.split('; '))}"
    extras = []
    doc_type, source = _dominant(r.get("doc_types"), r["documents"]), _dominant(r.get("sources"), r["documents"])
    if doc_type:
        extras.append(f"the main document type is {doc_type}")
    if source:
        extras.append(f"the main source is {source}")
    if extras:
        s += "; " + " and ".join(extras)
    return s + "."


def classification(tables: Mapping[str, pd.DataFrame], unit: str = "terms") -> list[str]:
    """How are the articles classified? Clusters with their size, year, citations, quadrant and items."""
    out: list[str] = []
    prof = _get(tables, "cluster_profiles")
    if prof is None:
        return ["The data did not support a classification (no clusters of terms or keywords)."]
    total = int(prof["documents"].sum())
    classified = prof[prof["cluster"] > 0].sort_values(["documents", "cluster"], ascending=[False, True], kind="mergesort")
    n0 = int(prof.loc[prof["cluster"] == 0, "documents"].sum())
    mean_year = None
    if "mean_year" in prof and prof["mean_year"].notna().any():
        w = prof["documents"].where(prof["mean_year"].notna(), 0)
        mean_year = float((prof["mean_year"].fillna(0) * w).sum() / max(w.sum(), 1))
    out.append(f"The {total} documents are classified into {_plural(len(classified), 'cluster')} of {unit}, each document going to the "
               f"cluster that holds most of its {unit}; {total - n0} documents ({(total - n0) / max(total, 1):.0%}) are classified"
               + (f" and {n0} have no clustered {unit} (cluster 0, unclassified)." if n0 else "."))
    for _, r in classified.iterrows():
        out.append(_cluster_sentence(r, mean_year, unit))
    return out


def research_trends(tables: Mapping[str, pd.DataFrame], recent_years: int = 3) -> list[str]:
    """What are the research trends? Growth per cluster, bursts, trend topics and the evolution of themes."""
    out: list[str] = []
    prod = _get(tables, "cluster_production")
    prof = _get(tables, "cluster_profiles")
    labels = dict(zip(prof["cluster"], prof["label"])) if prof is not None and "label" in prof else {}
    if prod is not None:
        years = np.sort(prod["year"].unique())
        per_year = prod.groupby("year")["documents"].sum()
        peak = int(per_year.idxmax())
        if years.size == 1:
            out.append(f"All {int(per_year.sum())} dated documents are from {int(years[0])}.")
        else:
            out.append(f"Publications span {int(years[0])}-{int(years[-1])} and peak in {peak} with {int(per_year.max())} documents.")
        if years.size > recent_years:
            recent = prod["year"] > years[-1] - recent_years
            rec = prod[recent & (prod["cluster"] > 0)].groupby("cluster")["documents"].sum()
            early = prod[~recent & (prod["cluster"] > 0)].groupby("cluster")["documents"].sum()
            rec_share = rec / max(prod.loc[recent, "documents"].sum(), 1)
            early_share = early.reindex(rec.index, fill_value=0) / max(prod.loc[~recent, "documents"].sum(), 1)
            change = (rec_share - early_share).sort_values(ascending=False, kind="mergesort")
            if len(change) and change.iloc[0] > 0:
                k = int(change.index[0])
                name = f"cluster {k}" + (f" ({labels[k]})" if labels.get(k) else "")
                out.append(f"The fastest-growing theme is {name}: {rec_share[k]:.0%} of the documents of the last {recent_years} years, "
                           f"against {early_share[k]:.0%} before.")
    b = _get(tables, "bursts")
    if b is not None:
        parts = [f"{r['item']} ({int(r['begin'])}-{int(r['end'])}, strength {r['strength']:.2f})" for _, r in b.head(3).iterrows()]
        out.append(f"{_plural(len(b), 'burst')} of sudden attention were detected; the strongest are {_join(parts, 3)}.")
    br = _get(tables, "bursts_references")
    if br is not None:
        r = br.iloc[0]
        out.append(f"Among cited references, the strongest citation burst ({int(r['begin'])}-{int(r['end'])}, strength "
                   f"{r['strength']:.2f}) is for {str(r['item'])[:120]}.")
    tt = _get(tables, "trend_topics")
    if tt is not None:
        recent = tt.sort_values(["year_median", "freq", "item"], ascending=[False, False, True], kind="mergesort").head(5)
        parts = [f"{r['item']} (median year {int(r['year_median'])})" for _, r in recent.iterrows()]
        out.append(f"The most recent trend topics are {_join(parts)}.")
    themes, links = _get(tables, "evolution_themes"), tables.get("evolution_links")
    if themes is not None:
        slices = list(dict.fromkeys(themes["slice"]))
        counts = themes.groupby("slice", sort=False).size()
        if len(slices) == 1:
            out.append(f"The period forms a single time slice ({slices[0]}, {_plural(counts.iloc[0], 'theme')}), so no evolution of themes can be traced.")
            return out
        out.append("Across the time slices " + _join([f"{s} ({_plural(counts.get(s, 0), 'theme')})" for s in slices], 10) + ", ")
        if links is not None and len(links):
            best = links.sort_values(["inclusion", "weighted_inclusion"], ascending=False, kind="mergesort").iloc[0]
            out[-1] += (f"the clearest continuation is {best['from_label']} ({best['from_slice']}) into {best['to_label']} "
                        f"({best['to_slice']}, inclusion {best['inclusion']:.2f}).")
            last = slices[-1]
            fed = set(links.loc[links["to_slice"] == last, "to_cluster"])
            new = themes[(themes["slice"] == last) & ~themes["cluster"].isin(fed)]
            if len(slices) > 1 and len(new):
                out.append(f"New in {last} (no link to earlier themes): {_join(list(new['label']))}.")
        else:
            out[-1] += "no theme continues from one slice to the next."
    return out or ["The data did not support a trend analysis (no publication years)."]


def most_published(tables: Mapping[str, pd.DataFrame], unit: str = "terms") -> list[str]:
    """Which topics are published most? The largest clusters and the most frequent items."""
    out: list[str] = []
    prof = _get(tables, "cluster_profiles")
    if prof is not None:
        c = prof[prof["cluster"] > 0].sort_values(["documents", "cluster"], ascending=[False, True], kind="mergesort").head(3)
        total = max(int(prof["documents"].sum()), 1)
        parts = [f"cluster {int(r['cluster'])}" + (f" ({r['label']})" if r.get("label") else "") + f" with {int(r['documents'])} documents ({r['documents'] / total:.0%})"
                 for _, r in c.iterrows()]
        if parts:
            out.append(f"The most published themes are {_join(parts, 3)}.")
    scores = _get(tables, "item_scores")
    tt = _get(tables, "trend_topics")
    if scores is not None:
        top = scores.sort_values(["documents", "item"], ascending=[False, True], kind="mergesort").head(8)
        out.append(f"The most frequent {unit} are " + _join([f"{r['item']} ({int(r['documents'])})" for _, r in top.iterrows()], 8) + ".")
    elif tt is not None:
        top = tt.sort_values(["freq", "item"], ascending=[False, True], kind="mergesort").head(8)
        out.append(f"The most frequent {unit} are " + _join([f"{r['item']} ({int(r['freq'])})" for _, r in top.iterrows()], 8) + ".")
    tm = _get(tables, "thematic_map")
    if tm is not None:
        motor = tm[tm["quadrant"] == "motor themes"]
        if len(motor):
            out.append("Motor themes, both central and well developed: " + _join(list(motor["label"])) + ".")
        basic = tm[tm["quadrant"] == "basic themes"]
        if len(basic):
            out.append("Basic, transversal themes: " + _join(list(basic["label"])) + ".")
    return out or [f"No {unit} were available."]


def future_topics(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Which topics are open for future research? Gaps the authors state, then emerging items, active
    bursts, gap candidates and weak themes."""
    out: list[str] = []
    stated = _get(tables, "stated_gaps")
    if stated is not None:
        out.append("The authors themselves state these limitations, open problems and needs (sentences of the abstracts "
                   "recognised by bibliomap.text.gapstatements; see stated_gaps), by the documents stating them:")
        for _, r in stated.head(5).iterrows():
            docs = str(r.get("representative_documents") or "")
            see = f" (see {docs.split(' | ')[0]})" if docs else ""
            out.append(f"{r['topic']} ({_plural(int(r['documents']), 'document')}): \"{r['statement']}\"{see}.")
    ed = _get(tables, "emerging_declining")
    if ed is not None:
        em = ed[ed["status"] == "emerging"].head(6)
        if len(em):
            parts = [f"{r['item']} (share x{r['growth']:.1f})" if np.isfinite(r["growth"]) else f"{r['item']} (new)" for _, r in em.iterrows()]
            how = "a rising share of recent documents"
            if "q_rise" in em:
                how += (f" (at least {int(em['recent_documents'].min())} recent documents each; one-sided Fisher test, "
                        f"false-discovery rate {float(em['q_rise'].max()):.2g} or less)")
            out.append(f"Emerging topics, with {how}: " + _join(parts, 6) + ".")
        elif "q_rise" in ed and len(ed):
            top = ed[np.isfinite(ed["growth"]) & (ed["growth"] >= 1.5)].sort_values(["q_rise", "item"], kind="mergesort").head(3)
            msg = ("No topic's rise in the recent years is statistically supported (at least 5 recent documents and a "
                   "one-sided Fisher test surviving a false-discovery rate of 0.05)")
            if len(top):
                msg += "; the largest rises, not significant: " + _join(
                    [f"{r['item']} (share x{r['growth']:.1f}, q={r['q_rise']:.2f})" for _, r in top.iterrows()], 3)
            out.append(msg + ".")
        dec = ed[ed["status"] == "declining"].sort_values(["growth", "item"], kind="mergesort").head(4)
        if len(dec):
            out.append("Fading topics: " + _join(list(dec["item"]), 4) + ".")
    b = _get(tables, "bursts")
    prod = _get(tables, "cluster_production")
    if b is not None and prod is not None:
        live = b[b["end"] >= prod["year"].max()]
        if len(live):
            out.append("Bursts still active in the last year: " + _join([f"{r['item']} (since {int(r['begin'])})" for _, r in live.head(5).iterrows()]) + ".")
    gaps = _get(tables, "gaps")
    if gaps is None:  # the study names the table gap_candidates (trend_analysis: gaps)
        gaps = _get(tables, "gap_candidates")
    if gaps is not None:
        out.append(f"{_plural(len(gaps), 'research-gap candidate')} stand out; the top ones:")
        for _, r in gaps.head(5).iterrows():
            docs = str(r.get("representative_documents") or "")
            see = f" (see {docs.split(' | ')[0]})" if docs else ""
            out.append(f"{r['item']}: {r['reason']}{see}.")
    prof = _get(tables, "cluster_profiles")
    tm = prof if prof is not None and "quadrant" in prof else _get(tables, "thematic_map")
    if tm is not None:
        low = tm[tm["quadrant"] == "emerging or declining themes"]
        if len(low):
            out.append("Peripheral, weakly developed themes, open for development: " + _join(list(low["label"])) + ".")
        niche = tm[tm["quadrant"] == "niche themes"]
        if len(niche):
            out.append("Niche themes that could be connected to the core of the field: " + _join(list(niche["label"])) + ".")
    return out or ["The data did not support a gap analysis."]


def summarize(tables: Mapping[str, pd.DataFrame], unit: str = "terms", recent_years: int = 3) -> list[tuple[str, list[str]]]:
    """(question, sentences) for the four research questions, from the result tables."""
    return [
        (QUESTIONS[0], classification(tables, unit)),
        (QUESTIONS[1], research_trends(tables, recent_years)),
        (QUESTIONS[2], most_published(tables, unit)),
        (QUESTIONS[3], future_topics(tables)),
    ]


def to_markdown(answers: list[tuple[str, list[str]]]) -> str:
    """The answers as Markdown: a heading per question, one paragraph of sentences each."""
    parts = []
    for question, sentences in answers:
        parts.append(f"## {question}\n\n" + " ".join(sentences) + "\n")
    return "\n".join(parts)
