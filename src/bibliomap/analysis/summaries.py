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

from bibliomap.i18n import N_, _, localize_number, ngettext

QUESTIONS = (
    N_("How are the articles classified?"),
    N_("What are the research trends?"),
    N_("Which topics are published most?"),
    N_("Which topics are open for future research?"),
)

_QUADRANT_TEXT = {
    "motor themes": N_("a motor theme (central to the field and well developed)"),
    "niche themes": N_("a niche theme (well developed internally but isolated from the rest)"),
    "emerging or declining themes": N_("an emerging or declining theme (peripheral and weakly developed)"),
    "basic themes": N_("a basic theme (central but weakly developed: transversal, general topics)"),
}

#: Units of the items the answers talk about, as the study names them.
_UNITS = {"terms": N_("terms"), "author keywords": N_("author keywords"), "keywords": N_("keywords")}


def cite(refs: Mapping[str, str] | None, *keys: str) -> str:
    """' (Table 7, Figure 4)' for those of ``keys`` ('table:NAME', 'figure:NAME') the report numbered; '' for none."""
    found = list(dict.fromkeys(refs[k] for k in keys if refs and k in refs))
    return f" ({', '.join(found)})" if found else ""


def _only_selected(df: pd.DataFrame | None, column: str, selected: set[str] | None) -> pd.DataFrame | None:
    """The rows of ``df`` whose ``column`` is a selected term (all rows when no selection is given)."""
    if df is None or selected is None or column not in df:
        return df
    kept = df[df[column].astype(str).isin(selected)]
    return kept if len(kept) else None


def _cluster_name(k: int, label: object) -> str:
    """A cluster named by its label: '“label” (cluster 3)', or 'cluster 3' without a label."""
    label = str(label or "").strip()
    return _("“{label}” (cluster {k})").format(label=label, k=k) if label else _("cluster {k}").format(k=k)


def _get(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    t = tables.get(name)
    return t if isinstance(t, pd.DataFrame) and len(t) else None


def _join(items: list[str], n: int = 5) -> str:
    items = [str(x) for x in items[:n] if str(x)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _(" and ") + items[-1]


_WORDS = {
    "document": (N_("{n} document"), N_("{n} documents")),
    "cluster": (N_("{n} cluster"), N_("{n} clusters")),
    "burst": (N_("{n} burst"), N_("{n} bursts")),
    "theme": (N_("{n} theme"), N_("{n} themes")),
    "research-gap candidate": (N_("{n} research-gap candidate"), N_("{n} research-gap candidates")),
}


def _plural(n: float, word: str) -> str:
    n = int(n)
    one, many = _WORDS[word]
    return ngettext(one, many, n).format(n=n)


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


def theme_moves(tables: Mapping[str, pd.DataFrame], recent_years: int = 3) -> pd.DataFrame | None:
    """Per cluster (> 0) of ``cluster_production``, the test of a rise or fall of its share of the documents in the
    last ``recent_years`` years against the years before (``trends.emerging_and_declining``, one item per cluster,
    index: cluster), so a theme is called emerging or declining on the same evidence as a term; None without
    publication years before the recent window."""
    from bibliomap.analysis.trends import emerging_and_declining

    prod = _get(tables, "cluster_production")
    if prod is None:
        return None
    years = np.sort(prod["year"].unique())
    if years.size <= recent_years:
        return None
    table = prod.pivot_table(index="cluster", columns="year", values="documents", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=years, fill_value=0)
    themes = table[table.index > 0]
    if not len(themes):
        return None
    moves = emerging_and_declining(themes.to_numpy(), table.sum(axis=0).to_numpy(), years, themes.index.to_numpy(),
                                   recent_years=recent_years, min_occurrences=1)
    return moves.set_index("item")


def _supported(move: pd.Series, direction: str) -> bool:
    """Whether the test of ``theme_moves`` supports a rise (``direction`` 'rise') or a fall of a theme's share, however
    small: enough documents on that side and a q-value within the false-discovery rate (``trends.emerging_and_declining``)."""
    from bibliomap.analysis.trends import supported_change

    docs = move["recent_documents"] if direction == "rise" else move["earlier_documents"]
    return bool(supported_change(docs, move[f"q_{direction}"]))


def _move_text(move: pd.Series | None) -> str:
    """Whether a peripheral, weakly developed theme is emerging or declining, by the test of its share
    (``theme_moves``): the quadrant alone cannot tell, nor can its mean year (one recent paper moves it)."""
    if move is None:
        return _("; whether it is emerging or declining cannot be tested (no publication years before the recent window)")
    if move["status"] == "emerging":
        return _("; its share of the documents rose from {before:.0%} to {recent:.0%} in the recent years (Fisher q={q}), "
                 "so it is emerging").format(before=move["earlier_share"], recent=move["recent_share"],
                                             q=localize_number(f"{move['q_rise']:.2g}"))
    if move["status"] == "declining":
        return _("; its share of the documents fell from {before:.0%} to {recent:.0%} in the recent years (Fisher q={q}), "
                 "so it is declining").format(before=move["earlier_share"], recent=move["recent_share"],
                                              q=localize_number(f"{move['q_fall']:.2g}"))
    if _supported(move, "rise"):
        return _("; its share of the documents rose from {before:.0%} to {recent:.0%} in the recent years (Fisher q={q}), "
                 "too little to call it emerging").format(before=move["earlier_share"], recent=move["recent_share"],
                                                          q=localize_number(f"{move['q_rise']:.2g}"))
    if _supported(move, "fall"):
        return _("; its share of the documents fell from {before:.0%} to {recent:.0%} in the recent years (Fisher q={q}), "
                 "too little to call it declining").format(before=move["earlier_share"], recent=move["recent_share"],
                                                           q=localize_number(f"{move['q_fall']:.2g}"))
    return _("; the data do not show whether it is emerging or declining (no rise or fall of its share of the documents "
             "is statistically supported: {recent} recent and {earlier} earlier documents)").format(
        recent=int(move["recent_documents"]), earlier=int(move["earlier_documents"]))


def _cluster_sentence(r: pd.Series, moves: pd.DataFrame | None, unit: str, cited: bool = True) -> str:
    """One cluster in words; ``cited``: whether the exports count citations at all (PubMed's do not, and
    "0.0 citations per document" would be read as a finding)."""
    bits = [_plural(r["documents"], "document")]
    if pd.notna(r.get("mean_year")):
        bits.append(_("mean year {year:.0f}").format(year=r["mean_year"]))
    if pd.notna(r.get("mean_citations")) and cited:
        bits.append(_("{n:.1f} citations per document").format(n=r["mean_citations"]))
    label = str(r.get("label") or "").strip()
    s = (_("The cluster “{label}” (cluster {k}; {facts})") if label else _("Cluster {k} ({facts})")).format(
        label=label, k=int(r["cluster"]), facts=", ".join(bits))
    quadrant = str(r.get("quadrant") or "")
    if quadrant in _QUADRANT_TEXT:
        s += _(" is ") + _(_QUADRANT_TEXT[quadrant])
        if quadrant == "emerging or declining themes":
            k = int(r["cluster"])
            s += _move_text(moves.loc[k] if moves is not None and k in moves.index else None)
    else:
        s += _(" is a group of documents")
    top = str(r.get("top_items") or "")
    if top:
        s += _(". Its most frequent {unit} are {items}").format(unit=unit, items=_join(top.split("; ")))
    extras = []
    doc_type, source = _dominant(r.get("doc_types"), r["documents"]), _dominant(r.get("sources"), r["documents"])
    if doc_type:
        extras.append(_("the main document type is {type}").format(type=doc_type))
    if source:
        extras.append(_("the main source is {source}").format(source=source))
    if extras:
        s += "; " + _(" and ").join(extras)
    return s + "."


def _unit(unit: str) -> str:
    return _(_UNITS[unit]) if unit in _UNITS else unit


def classification(tables: Mapping[str, pd.DataFrame], unit: str = "terms", refs: Mapping[str, str] | None = None,
                   recent_years: int = 3) -> list[str]:
    """How are the articles classified? Clusters, named by their labels, with their size, year, citations, quadrant and
    items; a peripheral, weakly developed cluster is called emerging or declining only on a supported change of its
    share of the documents in the last ``recent_years`` years (``theme_moves``)."""
    out: list[str] = []
    unit = _unit(unit)
    prof = _get(tables, "cluster_profiles")
    if prof is None:
        return [_("The data did not support a classification (no clusters of terms or keywords).")]
    total = int(prof["documents"].sum())
    classified = prof[prof["cluster"] > 0].sort_values(["documents", "cluster"], ascending=[False, True], kind="mergesort")
    n0 = int(prof.loc[prof["cluster"] == 0, "documents"].sum())
    moves = theme_moves(tables, recent_years)
    cited = "mean_citations" not in prof or bool(prof["mean_citations"].fillna(0).gt(0).any())
    head = _("The {total} documents are classified into {clusters} of {unit}, each document going to the cluster that holds "
             "most of its {unit}; {n} documents ({share:.0%}) are classified").format(
        total=total, clusters=_plural(len(classified), "cluster"), unit=unit, n=total - n0, share=(total - n0) / max(total, 1))
    if n0:
        head += ngettext(N_(" and {n0} has no clustered {unit} (cluster 0, unclassified)"),
                         N_(" and {n0} have no clustered {unit} (cluster 0, unclassified)"), n0).format(n0=n0, unit=unit)
    out.append(head + cite(refs, "table:cluster_profiles", "figure:term_network", "table:clusters_term_cooccurrence") + ".")
    for _i, r in classified.iterrows():
        out.append(_cluster_sentence(r, moves, unit, cited))
    return out


def research_trends(tables: Mapping[str, pd.DataFrame], recent_years: int = 3, refs: Mapping[str, str] | None = None,
                    selected: set[str] | None = None) -> list[str]:
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
            out.append(_("All {n} dated documents are from {year}.").format(n=int(per_year.sum()), year=int(years[0])))
        else:
            out.append(_("Publications span {y0}-{y1} and peak in {peak} with {n} documents{cite}.").format(
                y0=int(years[0]), y1=int(years[-1]), peak=peak, n=int(per_year.max()), cite=cite(refs, "figure:annual_production", "figure:cluster_production")))
        moves = theme_moves(tables, recent_years)
        if moves is not None and len(moves) > 1:  # with one theme, its share says nothing of a trend
            change = (moves["recent_share"] - moves["earlier_share"]).sort_values(ascending=False, kind="mergesort")
            if len(change) and change.iloc[0] > 0:
                k = int(change.index[0])
                m = moves.loc[k]
                facts = dict(name=_cluster_name(k, labels.get(k)), recent=m["recent_share"], years=recent_years,
                             before=m["earlier_share"], q=localize_number(f"{m['q_rise']:.2g}"), cite=cite(refs, "figure:cluster_production"))
                if m["status"] == "emerging":
                    out.append(_("The fastest-growing theme is {name}: {recent:.0%} of the documents of the last {years} "
                                 "years, against {before:.0%} before, a statistically supported rise (Fisher q={q}){cite}."
                                 ).format(**facts))
                elif _supported(m, "rise"):
                    out.append(_("The theme whose share rose most is {name}: {recent:.0%} of the documents of the last "
                                 "{years} years, against {before:.0%} before, a statistically supported rise but below "
                                 "the x1.5 that makes a topic emerging (Fisher q={q}){cite}.").format(**facts))
                else:
                    out.append(_("The theme whose share rose most is {name}: {recent:.0%} of the documents of the last "
                                 "{years} years, against {before:.0%} before, not a statistically supported rise (Fisher "
                                 "q={q}){cite}.").format(**facts))
    b = _only_selected(_get(tables, "bursts"), "item", selected)
    if b is not None:
        # the strongest three items, each with all its bursts ("dynamics (2016-2019, strength 5.05; 2009-2010, ...)")
        strongest = list(dict.fromkeys(b["item"]))[:3]
        parts = [f"{item} (" + "; ".join(_("{begin}-{end}, strength {s:.2f}").format(
                     begin=int(r["begin"]), end=int(r["end"]), s=r["strength"]) for _i, r in b[b["item"] == item].iterrows()) + ")"
                 for item in strongest]
        out.append(_("{bursts} of sudden attention were detected; the strongest are {items}{cite}.").format(
            bursts=_plural(len(b), "burst"), items=_join(parts, 3), cite=cite(refs, "figure:bursts", "table:bursts")))
    br = _get(tables, "bursts_references")
    if br is not None:
        r = br.iloc[0]
        out.append(_("Among cited references, the strongest citation burst ({begin}-{end}, strength {s:.2f}) is for {item}{cite}.").format(
            begin=int(r["begin"]), end=int(r["end"]), s=r["strength"], item=str(r["item"])[:120], cite=cite(refs, "table:bursts_references")))
    tt = _only_selected(_get(tables, "trend_topics"), "item", selected)
    if tt is not None:
        recent_tt = tt.sort_values(["year_median", "freq", "item"], ascending=[False, False, True], kind="mergesort").head(5)
        parts = [_("{item} (median year {year})").format(item=r["item"], year=int(r["year_median"])) for _i, r in recent_tt.iterrows()]
        out.append(_("The most recent trend topics are {items}{cite}.").format(items=_join(parts), cite=cite(refs, "figure:trend_topics", "table:trend_topics")))
    themes, links = _get(tables, "evolution_themes"), tables.get("evolution_links")
    if themes is not None:
        slices = list(dict.fromkeys(themes["slice"]))
        counts = themes.groupby("slice", sort=False).size()
        if len(slices) == 1:
            out.append(_("The period forms a single time slice ({slice}, {themes}), so no evolution of themes can be traced.").format(
                slice=slices[0], themes=_plural(counts.iloc[0], "theme")))
            return out
        sentence = _("Across the time slices {slices}, ").format(slices=_join([f"{s} ({_plural(counts.get(s, 0), 'theme')})" for s in slices], 10))
        if links is not None and len(links):
            best = links.sort_values(["inclusion", "weighted_inclusion"], ascending=False, kind="mergesort").iloc[0]
            sentence += _("the clearest continuation is “{a}” ({sa}) into “{b}” ({sb}, inclusion {inc:.2f}){cite}.").format(
                a=best["from_label"], sa=best["from_slice"], b=best["to_label"], sb=best["to_slice"], inc=best["inclusion"],
                cite=cite(refs, "figure:thematic_evolution", "table:evolution_links"))
            out.append(sentence)
            last = slices[-1]
            fed = set(links.loc[links["to_slice"] == last, "to_cluster"])
            new = themes[(themes["slice"] == last) & ~themes["cluster"].isin(fed)]
            if len(new):
                out.append(_("New in {slice} (no link to earlier themes): {themes}.").format(slice=last, themes=_join([f"“{x}”" for x in new["label"]])))
        else:
            out.append(sentence + _("no theme continues from one slice to the next."))
    return out or [_("The data did not support a trend analysis (no publication years).")]


def most_published(tables: Mapping[str, pd.DataFrame], unit: str = "terms", refs: Mapping[str, str] | None = None,
                   selected: set[str] | None = None) -> list[str]:
    """Which topics are published most? The largest clusters and the most frequent items."""
    out: list[str] = []
    unit = _unit(unit)
    prof = _get(tables, "cluster_profiles")
    if prof is not None:
        c = prof[prof["cluster"] > 0].sort_values(["documents", "cluster"], ascending=[False, True], kind="mergesort").head(3)
        total = max(int(prof["documents"].sum()), 1)
        parts = [_("{name} with {n} documents ({share:.0%})").format(name=_cluster_name(int(r["cluster"]), r.get("label")), n=int(r["documents"]),
                                                                      share=r["documents"] / total) for _i, r in c.iterrows()]
        if parts:
            out.append(_("The most published themes are {themes}{cite}.").format(themes=_join(parts, 3), cite=cite(refs, "table:cluster_profiles")))
    scores = _only_selected(_get(tables, "item_scores"), "item", selected)
    tt = _only_selected(_get(tables, "trend_topics"), "item", selected)
    if scores is not None:
        top = scores.sort_values(["documents", "item"], ascending=[False, True], kind="mergesort").head(8)
        out.append(_("The most frequent {unit} are {items}{cite}.").format(
            unit=unit, items=_join([f"{r['item']} ({int(r['documents'])})" for _i, r in top.iterrows()], 8), cite=cite(refs, "table:terms_most", "figure:wordcloud")))
    elif tt is not None:
        top = tt.sort_values(["freq", "item"], ascending=[False, True], kind="mergesort").head(8)
        out.append(_("The most frequent {unit} are {items}{cite}.").format(
            unit=unit, items=_join([f"{r['item']} ({int(r['freq'])})" for _i, r in top.iterrows()], 8), cite=cite(refs, "table:trend_topics")))
    tm = _get(tables, "thematic_map")
    if tm is not None:
        motor = tm[tm["quadrant"] == "motor themes"]
        if len(motor):
            out.append(_("Motor themes, both central and well developed: {themes}{cite}.").format(
                themes=_join([f"“{x}”" for x in motor["label"]]), cite=cite(refs, "figure:thematic_map", "table:thematic_map")))
        basic = tm[tm["quadrant"] == "basic themes"]
        if len(basic):
            out.append(_("Basic, transversal themes: {themes}{cite}.").format(
                themes=_join([f"“{x}”" for x in basic["label"]]), cite=cite(refs, "figure:thematic_map")))
    return out or [_("No {unit} were available.").format(unit=unit)]


def future_topics(tables: Mapping[str, pd.DataFrame], refs: Mapping[str, str] | None = None, selected: set[str] | None = None) -> list[str]:
    """Which topics are open for future research? Gaps the authors state, then emerging items, active
    bursts, gap candidates and weak themes; only selected terms are presented as topics."""
    out: list[str] = []
    stated = _only_selected(_get(tables, "stated_gaps"), "topic", selected)
    if stated is not None:
        out.append(_("The authors themselves state these limitations, open problems and needs (sentences of the abstracts "
                     "recognised by bibliomap.text.gapstatements), by the documents stating them{cite}:").format(cite=cite(refs, "table:stated_gaps")))
        for _i, r in stated.head(5).iterrows():
            docs = str(r.get("representative_documents") or "")
            see = _(" (see {document})").format(document=docs.split(" | ")[0]) if docs else ""
            out.append(f"{r['topic']} ({_plural(int(r['documents']), 'document')}): \"{r['statement']}\"{see}.")
    ed = _only_selected(_get(tables, "emerging_declining"), "item", selected)
    if ed is not None:
        em = ed[ed["status"] == "emerging"].head(6)
        if len(em):
            parts = [_("{item} (share x{growth:.1f})").format(item=r["item"], growth=r["growth"]) if np.isfinite(r["growth"])
                     else _("{item} (new)").format(item=r["item"]) for _i, r in em.iterrows()]
            how = _("a rising share of recent documents")
            if "q_rise" in em:
                how += _(" (at least {n} recent documents each; one-sided Fisher test, false-discovery rate {q:.2g} or less)").format(
                    n=int(em["recent_documents"].min()), q=float(em["q_rise"].max()))
            out.append(_("Emerging topics, with {how}{cite}: {items}.").format(how=how, items=_join(parts, 6), cite=cite(refs, "table:emerging_declining")))
        elif "q_rise" in ed and len(ed):
            top = ed[np.isfinite(ed["growth"]) & (ed["growth"] >= 1.5)].sort_values(["q_rise", "item"], kind="mergesort").head(3)
            msg = _("No topic's rise in the recent years is statistically supported (at least 5 recent documents and a "
                    "one-sided Fisher test surviving a false-discovery rate of 0.05)")
            if len(top):
                msg += _("; the largest rises, not significant: ") + _join(
                    [_("{item} (share x{growth:.1f}, q={q:.2f})").format(item=r["item"], growth=r["growth"], q=r["q_rise"])
                     for _i, r in top.iterrows()], 3)
            out.append(msg + cite(refs, "table:emerging_declining") + ".")
        dec = ed[ed["status"] == "declining"].sort_values(["growth", "item"], kind="mergesort").head(4)
        if len(dec):
            out.append(_("Fading topics: {items}.").format(items=_join(list(dec["item"]), 4)))
    b = _only_selected(_get(tables, "bursts"), "item", selected)
    prod = _get(tables, "cluster_production")
    if b is not None and prod is not None:
        live = b[b["end"] >= prod["year"].max()]
        if len(live):
            out.append(_("Bursts still active in the last year: {items}.").format(
                items=_join([_("{item} (since {year})").format(item=r["item"], year=int(r["begin"])) for _i, r in live.head(5).iterrows()])))
    gap_table = "gaps" if "gaps" in tables else "gap_candidates"  # the study's name is gap_candidates (trend_analysis: gaps)
    gaps = _only_selected(_get(tables, gap_table), "item", selected)
    if isinstance(tables.get(gap_table), pd.DataFrame) and not len(tables[gap_table]):
        out.append(_("No term is a research-gap candidate in the data: no rare term's rise is statistically supported, "
                     "and no term that bridges clusters sits in a weakly developed theme."))
    if gaps is not None:
        out.append(ngettext(N_("{gaps} stands out{cite}:"), N_("{gaps} stand out; the top ones{cite}:"), len(gaps)).format(
            gaps=_plural(len(gaps), "research-gap candidate"), cite=cite(refs, "table:gap_candidates")))
        for _i, r in gaps.head(5).iterrows():
            docs = str(r.get("representative_documents") or "")
            see = _(" (see {document})").format(document=docs.split(" | ")[0]) if docs else ""
            out.append(f"{r['item']}: {r['reason']}{see}.")
    tm = _get(tables, "thematic_map")  # every cluster; the profiles hold only those documents are classified into
    if tm is None or "quadrant" not in tm:
        tm = _get(tables, "cluster_profiles")
    if tm is not None and "quadrant" in tm:
        low = tm[tm["quadrant"] == "emerging or declining themes"]
        size = next((c for c in ("frequency", "documents") if c in tm), None)
        # a weak theme larger than the average one is broad and loosely knit, not open: with few themes the
        # quadrants are ranks, and the field's largest theme can rank last by a few percent of centrality
        broad = low[low[size] > tm[size].mean()] if size is not None and len(tm) > 1 else low.iloc[:0]
        low = low.drop(broad.index)
        if len(low):
            out.append(_("Peripheral, weakly developed themes, open for development: {themes}{cite}.").format(
                themes=_join([f"“{x}”" for x in low["label"]]), cite=cite(refs, "figure:thematic_map")))
        if len(broad):
            out.append(ngettext(
                N_("{themes} ranks as peripheral and weakly developed but is larger than the average theme: a broad, "
                   "loosely knit theme rather than an open one{cite}."),
                N_("{themes} rank as peripheral and weakly developed but are larger than the average theme: broad, "
                   "loosely knit themes rather than open ones{cite}."), len(broad)).format(
                themes=_join([f"“{x}”" for x in broad["label"]]), cite=cite(refs, "figure:thematic_map")))
        niche = tm[tm["quadrant"] == "niche themes"]
        if len(niche):
            out.append(_("Niche themes that could be connected to the core of the field: {themes}{cite}.").format(
                themes=_join([f"“{x}”" for x in niche["label"]]), cite=cite(refs, "figure:thematic_map")))
    return out or [_("The data did not support a gap analysis.")]


def summarize(tables: Mapping[str, pd.DataFrame], unit: str = "terms", recent_years: int = 3,
              refs: Mapping[str, str] | None = None, selected: set[str] | None = None) -> list[tuple[str, list[str]]]:
    """(question, sentences) for the four research questions, from the result tables.

    ``refs`` maps 'table:NAME' / 'figure:NAME' to the report's numbers ('Table 7'), which the sentences
    cite; ``selected`` (the selected terms) keeps any other item from being presented as a topic.
    """
    return [
        (_(QUESTIONS[0]), classification(tables, unit, refs, recent_years)),
        (_(QUESTIONS[1]), research_trends(tables, recent_years, refs, selected)),
        (_(QUESTIONS[2]), most_published(tables, unit, refs, selected)),
        (_(QUESTIONS[3]), future_topics(tables, refs, selected)),
    ]


def to_markdown(answers: list[tuple[str, list[str]]]) -> str:
    """The answers as Markdown: a heading per question, one paragraph of sentences each."""
    parts = []
    for question, sentences in answers:
        parts.append(f"## {question}\n\n" + " ".join(sentences) + "\n")
    return "\n".join(parts)
