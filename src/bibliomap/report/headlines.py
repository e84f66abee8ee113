"""The sentence that opens each section of the report: its headline finding, with its numbers.

Each function reads the study's tables and returns a list of sentences (empty when the
tables it needs are missing); sentences cite the numbered tables and figures they draw on.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from bibliomap.i18n import N_, _, localize_number, ngettext


def _t(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    t = tables.get(name)
    return t if isinstance(t, pd.DataFrame) and len(t) else None


def _cite(refs: dict[str, str], *keys: str) -> str:
    found = list(dict.fromkeys(refs[k] for k in keys if k in refs))
    return f" ({', '.join(found)})" if found else ""


def _num(v: Any, digits: int = 1) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return str(int(f)) if f.is_integer() else localize_number(f"{f:.{digits}f}")


def main_value(tables: dict[str, pd.DataFrame], contains: str) -> str | None:
    """A value of bibliometrix's main information (or the PoP metrics) whose name contains ``contains``."""
    for name in ("main_information", "pop_metrics"):
        t = _t(tables, name)
        if t is None:
            continue
        label, value = t.columns[-2], t.columns[-1]
        row = t[t[label].astype(str).str.contains(contains, case=False, regex=False)]
        if len(row):
            return _num(row.iloc[0][value])
    return None


def pop_value(tables: dict[str, pd.DataFrame], metric: str) -> str | None:
    """The Publish or Perish metric named exactly ``metric``."""
    t = _t(tables, "pop_metrics")
    if t is None:
        return None
    row = t[t.iloc[:, 0].astype(str) == metric]
    return _num(row.iloc[0, 1], 2) if len(row) else None


def data_and_method(report: dict[str, Any], analysed: int) -> list[str]:
    t = report.get("totals", {})
    files = len(report.get("files", []))
    return [_("{read} records were read from {files} export files; {dup} duplicates were merged and {rej} records "
              "rejected, leaving {n} documents for the analysis.").format(
        read=t.get("read", 0), files=files, dup=t.get("duplicates", 0), rej=t.get("rejected", 0), n=analysed)]


def _annual(tables, ctx, refs) -> list[str]:
    a = _t(tables, "annual_production")
    if a is None:
        return []
    peak = a.sort_values(["Articles", "Year"], ascending=[False, True], kind="mergesort").iloc[0]
    out = [_("Publications span {y0}–{y1} and peak in {peak} with {n} documents{cite}.").format(
        y0=int(a["Year"].min()), y1=int(a["Year"].max()), peak=int(peak["Year"]), n=int(peak["Articles"]),
        cite=_cite(refs, "figure:annual_production", "table:annual_production"))]
    growth = main_value(tables, "Growth")
    if growth is not None:
        out.append(_("The annual growth rate is {rate}%.").format(rate=growth))
    return out


def _metrics(tables, ctx, refs) -> list[str]:
    docs, cites, h, g, cpp = (pop_value(tables, k) for k in ("Papers", "Citations", "h-index", "g-index", "Cites/paper"))
    if docs is None or cites is None:
        return []
    if float(cites) == 0:
        return [_("The exports give none of the {docs} documents a citation count, so the citation metrics are all zero{cite}; "
                  "they need exports that count citations (Scopus, Web of Science, OpenAlex, Google Scholar through Publish "
                  "or Perish).").format(docs=docs, cite=_cite(refs, "table:pop_metrics"))]
    return [_("The {docs} documents received {cites} citations ({cpp} per document); their h-index is {h} and their "
              "g-index {g}{cite}.").format(docs=docs, cites=cites, cpp=cpp, h=h, g=g, cite=_cite(refs, "table:pop_metrics"))]


def _authors_sources(tables, ctx, refs) -> list[str]:
    out = []
    s = _t(tables, "most_relevant_sources")
    n_sources = main_value(tables, "Sources")
    if s is not None:
        out.append(_("The documents appeared in {n} sources; the most productive is {source} with {k} documents{cite}.").format(
            n=n_sources or "?", source=s.iloc[0, 0], k=int(s.iloc[0, 1]), cite=_cite(refs, "table:most_relevant_sources", "figure:most_relevant_sources")))
    z = _t(tables, "bradford_zones")
    if z is not None:
        out.append(_("{n} core sources (Bradford zone 1) publish {share:.0f}% of the documents{cite}.").format(
            n=int(z.iloc[0, 1]), share=float(z.iloc[0, 4]), cite=_cite(refs, "table:bradford_zones", "figure:bradford")))
    a = _t(tables, "most_productive_authors")
    if a is not None:
        out.append(_("The most productive author is {author} with {k} documents{cite}.").format(
            author=a.iloc[0, 0], k=int(a.iloc[0, 1]), cite=_cite(refs, "table:most_productive_authors", "figure:most_productive_authors")))
    lotka = _t(tables, "lotka")
    if lotka is not None:
        out.append(_("{share:.0f}% of the authors wrote a single document{cite}.").format(
            share=100 * float(lotka.iloc[0, 2]), cite=_cite(refs, "table:lotka", "figure:lotka")))
    return out


def _quartiles(tables, ctx, refs) -> list[str]:
    q = _t(tables, "quartiles")
    if q is None or "Quartile" not in q:
        return []
    count = next((c for c in q.columns if c != "Quartile"), None)
    if count is None:
        return []
    top = q[q["Quartile"] == "Q1"]
    n = int(pd.to_numeric(top[count], errors="coerce").fillna(0).sum()) if len(top) else 0
    return [_("{n} documents appeared in first-quartile (Q1) journals{cite}.").format(n=n, cite=_cite(refs, "table:quartiles", "figure:quartiles"))]


def _countries(tables, ctx, refs) -> list[str]:
    c = _t(tables, "countries_production")
    if c is None:
        return []
    r = c.iloc[0]
    return [_("{country} is the most productive country with {n} documents, {mcp:.0f}% of them with co-authors from other "
              "countries{cite}.").format(country=r["Country"], n=int(r["Articles"]), mcp=100 * float(r.get("MCP_Ratio", 0) or 0),
                                          cite=_cite(refs, "table:countries_production", "figure:countries"))]


def _most_cited(tables, ctx, refs) -> list[str]:
    m = _t(tables, "most_cited_documents")
    if m is None:
        return []
    r = m.iloc[0]
    if not float(r["TC"]):
        return [_("No document has a citation count in the exports, so the documents cannot be ranked by citations{cite}.").format(
            cite=_cite(refs, "table:most_cited_documents"))]
    title = r.get("Title") or r.get("Document")
    return [_("The most cited document is “{title}” ({year}) with {tc} citations{cite}.").format(
        title=title, year=_num(r.get("Year")), tc=int(r["TC"]), cite=_cite(refs, "table:most_cited_documents", "figure:most_cited_documents"))]


def _keywords(tables, ctx, refs) -> list[str]:
    for name in ("author_keywords", "index_keywords"):
        k = _t(tables, name)
        if k is not None:
            parts = ", ".join(f"{r.iloc[0]} ({int(r.iloc[1])})" for _i, r in k.head(3).iterrows())
            return [_("The most frequent keywords are {keywords}{cite}.").format(keywords=parts, cite=_cite(refs, f"table:{name}", "figure:wordcloud"))]
    return []


def _terms(tables, ctx, refs) -> list[str]:
    terms = _t(tables, "terms")
    most = _t(tables, "terms_most")
    if terms is None or most is None:
        return []
    parts = ", ".join(f"{r.iloc[0]} ({int(r.iloc[1])})" for _i, r in most.head(3).iterrows())
    return [_("{k} of {n} candidate terms were selected; the most frequent are {terms}{cite}.").format(
        k=int(terms["selected"].astype(str).str.lower().isin(["true", "yes", "1"]).sum()), n=len(terms), terms=parts,
        cite=_cite(refs, "table:terms_most", "table:terms_least"))]


#: The sentence opening a map's section: its items, clusters and the labels of the largest clusters.
MAP_HOLDS = N_("The map holds {items} in {k} clusters ({labels}){cite}.")


def _clusters(name: str, table: str, figure: str, what: Callable[[int], str], message: str = MAP_HOLDS) -> Callable:
    def lead(tables, ctx, refs) -> list[str]:
        m = ctx.maps.get(name)
        c = _t(tables, table)
        if m is None or c is None:
            return []
        labels = "; ".join(f"“{lab}”" for lab in c["label"].astype(str).head(4))
        return [_(message).format(items=what(m.n_items), k=m.n_clusters, labels=labels, cite=_cite(refs, f"figure:{figure}", f"table:{table}"))]
    return lead


def _each(*leads: Callable) -> Callable:
    """The sentences of several leads, in order (a section showing several maps)."""
    def lead(tables, ctx, refs) -> list[str]:
        return [sentence for fn in leads for sentence in fn(tables, ctx, refs)]
    return lead


def _trends(tables, ctx, refs) -> list[str]:
    out = []
    b = _t(tables, "bursts")
    if b is not None:
        r = b.iloc[0]
        out.append(_("{n} bursts of attention were detected; the strongest is {item} ({begin}–{end}, strength {s:.2f}){cite}.").format(
            n=len(b), item=r["item"], begin=int(r["begin"]), end=int(r["end"]), s=float(r["strength"]), cite=_cite(refs, "figure:bursts", "table:bursts")))
    ed = _t(tables, "emerging_declining")
    if ed is not None and "status" in ed:
        em, de = int((ed["status"] == "emerging").sum()), int((ed["status"] == "declining").sum())
        out.append(_("{em} topics are emerging and {de} declining by a statistically supported change of their share{cite}.").format(
            em=em, de=de, cite=_cite(refs, "table:emerging_declining")))
    return out


def _themes(tables, ctx, refs) -> list[str]:
    tm = _t(tables, "thematic_map")
    if tm is None:
        return []
    motor = tm[tm["quadrant"] == "motor themes"]
    out = [_("The thematic map places {n} themes; {k} are motor themes (central and well developed){cite}.").format(
        n=len(tm), k=len(motor), cite=_cite(refs, "figure:thematic_map", "table:thematic_map"))]
    if len(motor):
        out[-1] = out[-1][:-1] + ": " + "; ".join(f"“{x}”" for x in motor["label"].astype(str)) + "."
    return out


def _gaps(tables, ctx, refs) -> list[str]:
    out = []
    sg = _t(tables, "stated_gaps")
    if sg is not None:
        out.append(_("The abstracts state {n} groups of limitations, open problems or needs; the most stated concerns {topic} "
                     "({k} documents){cite}.").format(n=len(sg), topic=sg.iloc[0]["topic"], k=int(sg.iloc[0]["documents"]),
                                                       cite=_cite(refs, "table:stated_gaps")))
    g = _t(tables, "gap_candidates")
    if g is not None:
        out.append(ngettext(N_("One research-gap candidate stands out in the data: {item}{cite}."),
                            N_("{n} research-gap candidates stand out in the data; the first is {item}{cite}."), len(g)).format(
            n=len(g), item=g.iloc[0]["item"], cite=_cite(refs, "table:gap_candidates")))
    return out


def _counted(singular: str, plural: str) -> Callable[[int], str]:
    """'{n} term' / '{n} terms' for a count, in the report's language."""
    return lambda n: ngettext(singular, plural, n).format(n=n)


_term_items = _counted(N_("{n} term"), N_("{n} terms"))
_keyword_items = _counted(N_("{n} keyword"), N_("{n} keywords"))
_author_items = _counted(N_("{n} author"), N_("{n} authors"))
_country_items = _counted(N_("{n} country"), N_("{n} countries"))
_document_items = _counted(N_("{n} document"), N_("{n} documents"))
_reference_items = _counted(N_("{n} cited reference"), N_("{n} cited references"))


_LEADS: dict[str, Callable[[dict, Any, dict], list[str]]] = {
    "annual-production": _annual,
    "main-information": _metrics,
    "authors-sources": _authors_sources,
    "quartiles": _quartiles,
    "countries": _countries,
    "most-cited": _most_cited,
    "keywords": _keywords,
    "terms": _terms,
    "term-map": _clusters("term_cooccurrence", "clusters_term_cooccurrence", "term_network", _term_items),
    "keyword-map": _clusters("keyword_cooccurrence", "clusters_keyword_cooccurrence", "keyword_network", _keyword_items),
    "coauthorship": _each(
        _clusters("coauthorship_authors", "clusters_coauthorship_authors", "coauthorship_authors", _author_items,
                  N_("The co-authorship map of authors holds {items} in {k} clusters ({labels}){cite}.")),
        _clusters("coauthorship_countries", "clusters_coauthorship_countries", "coauthorship_countries", _country_items,
                  N_("The co-authorship map of countries holds {items} in {k} clusters ({labels}){cite}."))),
    "citation-maps": _each(
        _clusters("coupling_documents", "clusters_coupling_documents", "coupling_network", _document_items,
                  N_("The bibliographic coupling map holds {items} in {k} clusters ({labels}){cite}.")),
        _clusters("cocitation_references", "clusters_cocitation_references", "cocitation_network", _reference_items,
                  N_("The co-citation map holds {items} in {k} clusters ({labels}){cite}."))),
    "trends": _trends,
    "themes": _themes,
    "gaps": _gaps,
}


def lead(section: str, tables: dict[str, pd.DataFrame], ctx: Any, refs: dict[str, str]) -> list[str]:
    """The opening sentences of ``section`` (none when its tables are missing)."""
    fn = _LEADS.get(section)
    if fn is None:
        return []
    try:
        return fn(tables, ctx, refs)
    except (KeyError, IndexError, ValueError, TypeError):  # a table without the expected columns: no headline, not a failed report
        return []
