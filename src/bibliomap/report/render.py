"""Rendering the study report: one self-contained HTML page (figures embedded, maps interactive)."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from bibliomap import __version__

_TEMPLATES = Path(__file__).with_name("templates")

#: (section id, heading, tables, figures, maps) in the order of a bibliometric article's results.
SECTIONS: list[tuple[str, str, list[str], list[str], list[str]]] = [
    ("main-information", "Main information and citation metrics", ["main_information", "pop_metrics"], [], []),
    ("annual-production", "Annual production and citations", ["annual_production"], ["annual_production"], []),
    ("most-cited", "Most cited documents", ["most_cited_documents", "local_citations"], ["most_cited_documents"], []),
    ("authors-sources", "Most productive authors and sources", ["most_productive_authors", "authors_local_impact", "most_relevant_sources", "sources_local_impact", "bradford_zones", "bradford_fit", "lotka", "lotka_fit"], ["most_productive_authors", "most_relevant_sources", "lotka", "bradford"], []),
    ("quartiles", "Journal quartiles", ["quartiles", "quartile_matching", "unmatched_sources"], ["journal_quartiles", "quartiles"], []),
    ("countries", "Countries, affiliations and document types", ["countries_production", "countries_citations", "most_relevant_affiliations", "document_types"], ["countries_production", "document_types"], []),
    ("keywords", "Keywords", ["author_keywords", "index_keywords"], ["word_cloud", "author_keywords"], []),
    ("term-map", "Term co-occurrence map", ["clusters_term_cooccurrence"], [], ["term_cooccurrence"]),
    ("terms", "Most and least frequent terms", [], [], []),
    ("keyword-map", "Keyword co-occurrence map", ["clusters_keyword_cooccurrence"], [], ["keyword_cooccurrence"]),
    ("coauthorship", "Co-authorship", ["clusters_coauthorship_authors", "clusters_coauthorship_countries"], [], ["coauthorship_authors", "coauthorship_countries"]),
    ("citation-maps", "Citation-based maps", ["clusters_coupling_documents", "clusters_cocitation_references"], [], ["coupling_documents", "cocitation_references"]),
    ("trends", "Trend topics, bursts, emerging and declining topics", ["trend_topics", "bursts", "bursts_references", "emerging_declining"], ["trend_topics", "bursts", "bursts_references"], []),
    ("themes", "Thematic map, classification and evolution", ["thematic_map", "cluster_profiles", "evolution_links", "gap_candidates", "stated_gaps"], ["thematic_map", "cluster_production", "thematic_evolution"], []),
]


def _img(path: Path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


def _table_html(df: pd.DataFrame, max_rows: int = 30) -> str:
    df = df.head(max_rows)
    return df.to_html(index=False, escape=True, border=0, classes="table", na_rep="", float_format=_number)


def _number(v: float) -> str:
    """Whole numbers plainly (years stay 2015, not 2,015), others with three to four significant digits."""
    if v != v:  # NaN
        return ""
    if float(v).is_integer():
        return str(int(v))
    if abs(v) >= 100:
        return f"{v:.1f}"
    return f"{v:.4g}"


def _element_id(name: str) -> str:
    return f"map-{name.replace('_', '-')}"


def write_viewer_fragment(m: Any, name: str, title: str, path: Path) -> Path:
    """The viewer <div> and data of one map, written to ``path`` (the study makes it in the background)."""
    from bibliomap.io.atomic import write_text
    from bibliomap.viz.viewer import viewer_html

    write_text(path, viewer_html(m, standalone=False, element_id=_element_id(name), include_assets=False, title=title))
    return Path(path)


def _map_html(m: Any, name: str, title: str, first: bool, fragment: Path | None = None) -> str:
    """The interactive viewer for one map (made ahead in ``fragment`` when there is one); the
    viewer's script and styles go in once per page."""
    from bibliomap.viz.viewer import viewer_assets_html, viewer_html

    assets = viewer_assets_html() if first else ""
    if fragment is not None and fragment.is_file():
        return assets + fragment.read_text(encoding="utf-8")
    return assets + viewer_html(m, standalone=False, element_id=_element_id(name), include_assets=False, title=title)


def _terms_tables(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    terms = tables.get("terms")
    if terms is None or not len(terms) or "selected" not in terms:
        return []
    sel = terms[terms["selected"].astype(str).str.lower().isin(["yes", "true", "1"])]
    occ = "occurrences" if "occurrences" in sel else sel.columns[1]
    most = sel.sort_values([occ, sel.columns[0]], ascending=[False, True], kind="mergesort").head(20)
    least = sel.sort_values([occ, sel.columns[0]], ascending=[True, True], kind="mergesort").head(20)
    return [("Most frequent selected terms", _table_html(most)), ("Least frequent selected terms", _table_html(least))]


def render_report(ctx: Any) -> Path:
    """Write ``report.html`` into the context's output folder and return its path."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=jinja2.select_autoescape(["html", "j2"]))
    template = env.get_template("report.html.j2")
    tables = ctx.tables
    titles = ctx.results.get("map_titles", {})
    step_by_name = {s.name: s for s in ctx.steps}
    sections = []
    maps_done = 0
    for sid, heading, tnames, fnames, mnames in SECTIONS:
        blocks: list[tuple[str, str, str]] = []  # (kind, caption, html)
        for f in fnames:
            if f in ctx.figures:
                blocks.append(("figure", f.replace("_", " "), _img(ctx.figures[f])))
        for mname in mnames:
            if mname in ctx.maps:
                title = titles.get(mname, mname)
                fragment = ctx.viewer_fragments.get(mname)
                blocks.append(("map", title, _map_html(ctx.maps[mname], mname, title, maps_done == 0, fragment)))
                maps_done += 1
        for t in tnames:
            if t in tables and len(tables[t]):
                blocks.append(("table", t.replace("_", " "), _table_html(tables[t])))
        if sid == "terms":
            blocks += [("table", cap, h) for cap, h in _terms_tables(tables)]
        notes = [f"{s.title}: {s.status} — {s.message}" for s in ctx.steps if s.status in ("skipped", "failed") and _step_section(s.name) == sid]
        sections.append({"id": sid, "heading": heading, "blocks": blocks, "notes": notes})
    rep = ctx.corpus.ingest_report if ctx.corpus is not None else {"files": [], "totals": {}}
    params = [(section, key, value) for section, values in ctx.config.items() for key, value in values.items()]
    page = template.render(
        title=ctx.config["study"]["title"], version=__version__, files=rep["files"], totals=rep["totals"],
        n_analysed=len(ctx.corpus) if ctx.corpus is not None else 0, params=params,
        steps=ctx.steps, sections=sections, questions=_answers(ctx), step_by_name=step_by_name,
    )
    from bibliomap.io.atomic import write_text

    path = ctx.out / "report.html"
    write_text(path, page)
    return path


def _answers(ctx: Any) -> list[tuple[str, list[str]]]:
    """The four research questions (analysis.summaries), with the growth rate and document types added."""
    from bibliomap.analysis.summaries import summarize

    answers = summarize(ctx.tables, unit=ctx.results.get("trend_unit", "terms"), recent_years=ctx.config["trends"]["recent_years"])
    extra: dict[int, list[str]] = {0: [], 1: []}
    dt = ctx.tables.get("document_types")
    if dt is not None and len(dt):
        extra[0].append(f"By document type, {dt.iloc[0, 0]} is the most common ({dt.iloc[0, 1]} documents).")
    mi = ctx.tables.get("main_information")
    if mi is not None and len(mi):
        row = mi[mi.iloc[:, 0].astype(str).str.contains("Growth", case=False)]
        if len(row):
            extra[1].append(f"The annual growth rate of publications is {row.iloc[0, 1]}%.")
    return [(q, extra.get(i, []) + sentences) for i, (q, sentences) in enumerate(answers)]


def _step_section(step: str) -> str:
    return {
        "quartiles": "quartiles", "terms": "terms", "term_map": "term-map", "keyword_map": "keyword-map",
        "coauthorship_authors": "coauthorship", "coauthorship_countries": "coauthorship", "citation_maps": "citation-maps",
        "trends": "trends", "thematic": "themes", "descriptive": "main-information",
    }.get(step, "")
