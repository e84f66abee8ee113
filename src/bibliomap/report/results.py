"""The study's results as a paper presents them: sections in an article's order, each opening with
its headline finding, with numbered tables and figures and their captions.

One :class:`Results` is built from a finished study (:func:`build_results`) and written as HTML
(:mod:`bibliomap.report.render`) and as Word (:mod:`bibliomap.report.docx_report`), so both hold
the same numbers, captions and sentences. Text goes through :func:`bibliomap.i18n._`.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd

from bibliomap.i18n import N_, _
from bibliomap.report import headlines
from bibliomap.report.values import translate_value, with_sentences_shown


@dataclasses.dataclass
class Table:
    key: str
    number: str
    caption: str
    frame: pd.DataFrame
    csv: str = ""  # the file holding the whole table, relative to the study folder
    top: int = 10  # rows shown before "show all" and in the Word document ([study] table_rows)


@dataclasses.dataclass
class Figure:
    key: str
    number: str
    caption: str
    png: Path
    files: list[str] = dataclasses.field(default_factory=list)  # its file names (PNG, SVG, PDF), in the figures folder


@dataclasses.dataclass
class MapView:
    name: str
    title: str


@dataclasses.dataclass
class Section:
    id: str
    heading: str
    lead: list[str]
    blocks: list[Table | Figure | MapView]
    notes: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (step status, sentence)


@dataclasses.dataclass
class Results:
    title: str
    sections: list[Section]
    answers: list[tuple[str, list[str]]]
    appendix: list[Table]

    @property
    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


#: (section id, heading, blocks) in the order of a bibliometric article's results; a block is
#: ("table" | "figure" | "map", key, caption). Data and method, the research questions and
#: the appendix frame them.
SECTIONS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("annual-production", N_("Annual scientific production"), [
        ("figure", "annual_production", N_("Annual scientific production and citations")),
        ("table", "annual_production", N_("Documents and citations per year")),
    ]),
    ("main-information", N_("Main information and citation metrics"), [
        ("table", "main_information", N_("Main information about the data")),
        ("table", "pop_metrics", N_("Citation metrics")),
    ]),
    ("authors-sources", N_("Sources and authors"), [
        ("figure", "most_relevant_sources", N_("Most relevant sources")),
        ("table", "most_relevant_sources", N_("Most relevant sources")),
        ("table", "sources_local_impact", N_("Impact of the sources")),
        ("figure", "bradford", N_("Core sources by Bradford's law")),
        ("table", "bradford_zones", N_("Bradford zones")),
        ("figure", "most_productive_authors", N_("Most productive authors")),
        ("table", "most_productive_authors", N_("Most productive authors")),
        ("table", "authors_local_impact", N_("Impact of the authors")),
        ("figure", "lotka", N_("Author productivity by Lotka's law")),
        ("table", "lotka", N_("Author productivity by Lotka's law")),
    ]),
    ("quartiles", N_("Journal quartiles"), [
        ("figure", "quartiles", N_("Documents by journal quartile (SCImago)")),
        ("table", "quartiles", N_("Documents by journal quartile")),
        ("table", "quartile_matching", N_("Matching of sources to SCImago")),
        ("table", "unmatched_sources", N_("Sources without a quartile")),
    ]),
    ("countries", N_("Countries, affiliations and document types"), [
        ("figure", "countries", N_("Most productive countries (single- and multiple-country publications)")),
        ("table", "countries_production", N_("Production of the countries")),
        ("table", "countries_citations", N_("Citations of the countries")),
        ("table", "most_relevant_affiliations", N_("Most relevant affiliations")),
        ("figure", "document_types", N_("Document types")),
        ("table", "document_types", N_("Document types")),
    ]),
    ("most-cited", N_("Most cited documents"), [
        ("figure", "most_cited_documents", N_("Most cited documents")),
        ("table", "most_cited_documents", N_("Most cited documents")),
        ("table", "local_citations", N_("Most locally cited documents")),
    ]),
    ("keywords", N_("Keywords"), [
        ("figure", "wordcloud", N_("Word cloud of the keywords")),
        ("table", "author_keywords", N_("Most frequent author keywords")),
        ("table", "index_keywords", N_("Most frequent index keywords")),
    ]),
    ("terms", N_("Most and least frequent terms"), [
        ("table", "terms_most", N_("Most frequent selected terms")),
        ("table", "terms_least", N_("Least frequent selected terms")),
    ]),
    ("term-map", N_("Term co-occurrence map and clusters"), [
        ("figure", "term_network", N_("Term co-occurrence network")),
        ("figure", "term_density", N_("Term density view")),
        ("table", "clusters_term_cooccurrence", N_("Clusters of the term map")),
        ("map", "term_cooccurrence", N_("Interactive term co-occurrence map")),
    ]),
    ("keyword-map", N_("Keyword co-occurrence map"), [
        ("figure", "keyword_network", N_("Author keyword co-occurrence network")),
        ("table", "clusters_keyword_cooccurrence", N_("Clusters of the keyword map")),
        ("map", "keyword_cooccurrence", N_("Interactive keyword co-occurrence map")),
    ]),
    ("coauthorship", N_("Co-authorship"), [
        ("figure", "coauthorship_authors", N_("Co-authorship network of authors")),
        ("table", "clusters_coauthorship_authors", N_("Clusters of the co-authorship network of authors")),
        ("figure", "coauthorship_countries", N_("Co-authorship network of countries")),
        ("table", "clusters_coauthorship_countries", N_("Clusters of the co-authorship network of countries")),
        ("map", "coauthorship_authors", N_("Interactive co-authorship map of authors")),
        ("map", "coauthorship_countries", N_("Interactive co-authorship map of countries")),
    ]),
    ("citation-maps", N_("Citation-based maps"), [
        ("figure", "coupling_network", N_("Bibliographic coupling network of documents")),
        ("table", "clusters_coupling_documents", N_("Clusters of the bibliographic coupling of documents")),
        ("figure", "cocitation_network", N_("Co-citation network of cited references")),
        ("table", "clusters_cocitation_references", N_("Clusters of the co-citation of references")),
        ("map", "coupling_documents", N_("Interactive bibliographic coupling map")),
        ("map", "cocitation_references", N_("Interactive co-citation map")),
    ]),
    ("trends", N_("Trend topics, bursts, emerging and declining topics"), [
        ("figure", "trend_topics", N_("Trend topics")),
        ("table", "trend_topics", N_("Trend topics")),
        ("figure", "bursts", N_("Terms with the strongest bursts")),
        ("table", "bursts", N_("Bursts of attention")),
        ("figure", "bursts_references", N_("Cited references with the strongest bursts")),
        ("table", "bursts_references", N_("Bursts of cited references")),
        ("table", "emerging_declining", N_("Emerging and declining topics")),
    ]),
    ("themes", N_("Thematic map and evolution"), [
        ("figure", "thematic_map", N_("Thematic map")),
        ("table", "thematic_map", N_("Themes of the thematic map")),
        ("table", "cluster_profiles", N_("Profiles of the clusters")),
        ("figure", "cluster_production", N_("Annual production per cluster")),
        ("figure", "thematic_evolution", N_("Thematic evolution")),
        ("table", "evolution_links", N_("Links between themes across time slices")),
    ]),
    ("gaps", N_("Research gaps"), [
        ("table", "stated_gaps", N_("Research gaps stated by the authors")),
        ("table", "gap_candidates", N_("Research-gap candidates from the data")),
    ]),
]

#: The statuses of a step, for the catalogue (the report shows them translated).
STATUSES = (N_("done"), N_("skipped"), N_("failed"))

#: Rows of a table written into the report (the CSV beside it holds all).
MAX_ROWS = 500
#: Rows shown before "show all" (and in the Word document) unless ``[study] table_rows`` says otherwise.
TOP_ROWS = 10


#: The columns a reader needs first, for the tables whose key text (a reason, a statement, a quadrant)
#: the analysis writes late: shown first, so they are among the columns seen before "show all" and
#: in the Word document; the others follow in their order (the CSV keeps the analysis' order).
KEY_COLUMNS: dict[str, list[str]] = {
    "gap_candidates": ["rank", "item", "kind", "reason", "occurrences", "growth"],
    "stated_gaps": ["rank", "topic", "documents", "kinds", "statement", "mean_year"],
    "emerging_declining": ["item", "status", "occurrences", "recent_documents", "growth", "evidence"],
    "cluster_profiles": ["cluster", "label", "documents", "share", "mean_year", "quadrant"],
    "thematic_map": ["cluster", "label", "quadrant", "n_items", "centrality", "density"],
    "evolution_links": ["from_slice", "from_label", "to_slice", "to_label", "weighted_inclusion", "inclusion"],
}


def key_columns_first(key: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the :data:`KEY_COLUMNS` of table ``key`` first (those it has), the rest after."""
    first = [c for c in KEY_COLUMNS.get(key, []) if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]] if first else df


def _selected_terms(tables: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    terms = tables.get("terms")
    if terms is None or not len(terms) or "selected" not in terms:
        return None
    return terms[terms["selected"].astype(str).str.lower().isin(["yes", "true", "1"])]


def derived_tables(tables: dict[str, pd.DataFrame], top: int = 10) -> dict[str, pd.DataFrame]:
    """The report's own views of the study's tables: the most and least frequent selected terms."""
    sel = _selected_terms(tables)
    if sel is None or not len(sel):
        return {}
    occ = "occurrences" if "occurrences" in sel else sel.columns[1]
    first = sel.columns[0]
    return {
        "terms_most": sel.sort_values([occ, first], ascending=[False, True], kind="mergesort").head(top * 2),
        "terms_least": sel.sort_values([occ, first], ascending=[True, True], kind="mergesort").head(top * 2),
    }


def sources_table(report: dict[str, Any]) -> pd.DataFrame:
    """Records per input file (read, kept, duplicates, rejected), from the ingest report."""
    rows = [{_("File"): Path(str(f.get("path", ""))).name, _("Format"): f.get("format", ""), _("Read"): f.get("read", 0),
             _("Kept"): f.get("kept", 0), _("Duplicates"): f.get("duplicates", 0), _("Rejected"): len(f.get("rejected", []))}
            for f in report.get("files", [])]
    return pd.DataFrame(rows)


def build_results(ctx: Any) -> Results:
    """Number the tables and figures of the study ``ctx`` in reading order and write the headline sentences."""
    top = ctx.config["study"].get("table_rows", TOP_ROWS)
    tables = {**ctx.tables, **derived_tables(ctx.tables, top)}
    figures = ctx.figures
    counter = {"table": 0, "figure": 0}
    refs: dict[str, str] = {}

    def table(key: str, caption: str, frame: pd.DataFrame | None = None, csv: str = "") -> Table | None:
        df = tables.get(key) if frame is None else frame
        if df is None or not len(df):
            return None
        df = key_columns_first(key, df)
        counter["table"] += 1
        number = _("Table {n}").format(n=counter["table"])
        refs.setdefault(f"table:{key}", number)
        return Table(key, number, _(caption), df, csv or (f"tables/{key}.csv" if key in ctx.tables else ""), top)

    def figure(key: str, caption: str) -> Figure | None:
        if key not in figures:
            return None
        counter["figure"] += 1
        number = _("Figure {n}").format(n=counter["figure"])
        refs.setdefault(f"figure:{key}", number)
        png = figures[key]
        files = ctx.results.get("figure_files", {}).get(key) or sorted(png.parent.glob(png.stem + ".*"))
        order = {".png": 0, ".svg": 1, ".pdf": 2}
        return Figure(key, number, _(caption), png, [Path(f).name for f in sorted(files, key=lambda f: (order.get(Path(f).suffix, 3), str(f)))])

    rep = ctx.corpus.ingest_report if ctx.corpus is not None else {"files": [], "totals": {}}
    data_blocks = [b for b in (figure("record_flow", N_("Flow of records from the exports to the analysis")),
                               table("sources", N_("Records per input file"), sources_table(rep), "ingest.json")) if b]
    sections = [Section("data-method", _("Data and method"), headlines.data_and_method(rep, len(ctx.corpus) if ctx.corpus is not None else 0), data_blocks)]
    for sid, heading, spec in SECTIONS:
        blocks: list[Table | Figure | MapView] = []
        for kind, key, caption in spec:
            if kind == "map":
                if key in ctx.maps:
                    blocks.append(MapView(key, _(caption)))
                continue
            made = table(key, caption) if kind == "table" else figure(key, caption)
            if made is not None:
                blocks.append(made)
        notes = [(s.status, _("{step}: {status} — {message}").format(step=_(s.title), status=_(s.status), message=translate_value(s.message)))
                 for s in ctx.steps if s.status in ("skipped", "failed") and STEP_SECTION.get(s.name) == sid]
        lead = headlines.lead(sid, tables, ctx, refs)
        sections.append(Section(sid, _(heading), lead, blocks, notes))
    answers = answers_of(ctx, tables, refs)
    appendix = [
        Table("parameters", _("Table A{n}").format(n=1), _("Parameters of the study"),
              pd.DataFrame([(sec, key, str(v)) for sec, values in ctx.config.items() for key, v in values.items()],
                           columns=[_("Section"), _("Parameter"), _("Value")]), "config.toml", top),
        steps_table(ctx),
    ]
    return Results(report_title(ctx.config), sections, answers, appendix)


#: The title a study has when its configuration names none (shown in the report's language).
DEFAULT_TITLE = N_("Bibliometric study")


def report_title(config: dict[str, dict[str, Any]]) -> str:
    """The report's title: the configured one, or the default title in the report's language."""
    title = config["study"]["title"]
    return _(DEFAULT_TITLE) if title == DEFAULT_TITLE else title


def steps_table(ctx: Any) -> Table:
    """Table A2: every step of the study with its status, seconds and result. The steps that come
    after the report (``ctx.results['final_steps']``: the Word document, the figure files, the
    workbook) are listed as in progress until :func:`bibliomap.report.render.update_timings`
    writes their times in."""
    rows = [(_(s.title), _(s.status) if s.status != "pending" else _(IN_PROGRESS), round(s.seconds, 2) if s.status != "pending" else None,
             translate_value(s.message)) for s in ctx.steps]
    done = {s.name for s in ctx.steps}
    rows += [(_(title), _(IN_PROGRESS), None, "") for name, title in ctx.results.get("final_steps", []) if name not in done]
    return Table("steps", _("Table A{n}").format(n=2), _("Steps of the study and their timings"),
                 pd.DataFrame(rows, columns=[_("Step"), _("Status"), _("Seconds"), _("Result")]), "manifest.json",
                 ctx.config["study"].get("table_rows", TOP_ROWS))


#: The status of a step that has not ended when the report is written.
IN_PROGRESS = N_("in progress")


def answers_of(ctx: Any, tables: dict[str, pd.DataFrame], refs: dict[str, str]) -> list[tuple[str, list[str]]]:
    """The four research questions (analysis.summaries) citing the numbered tables and figures, with the
    growth rate and document types added."""
    from bibliomap.analysis.summaries import summarize

    sel = _selected_terms(tables)
    unit = ctx.results.get("trend_unit", "terms")
    selected = set(sel.iloc[:, 0].astype(str)) if sel is not None and unit == "terms" else None
    quoted = {k: with_sentences_shown(v) for k, v in tables.items()}  # the answers quote the gaps' reasons
    answers = summarize(quoted, unit=unit, recent_years=ctx.config["trends"]["recent_years"], refs=refs, selected=selected)
    extra: dict[int, list[str]] = {0: [], 1: []}
    dt = tables.get("document_types")
    if dt is not None and len(dt):
        extra[0].append(_("By document type, {type} is the most common ({n} documents){cite}.").format(
            type=translate_value(str(dt.iloc[0, 0])), n=dt.iloc[0, 1], cite=cite(refs, "table:document_types")))
    growth = headlines.main_value(tables, "Growth")
    if growth is not None:
        extra[1].append(_("The annual growth rate of publications is {rate}%{cite}.").format(
            rate=growth, cite=cite(refs, "table:main_information")))
    return [(q, extra.get(i, []) + sentences) for i, (q, sentences) in enumerate(answers)]


def cite(refs: dict[str, str], *keys: str) -> str:
    """' (Table 7, Figure 4)' for the keys that were numbered, '' when none was."""
    found = list(dict.fromkeys(refs[k] for k in keys if k in refs))
    return f" ({', '.join(found)})" if found else ""


#: The section where a step's skip or failure is reported.
STEP_SECTION = {
    "ingest": "data-method", "quartiles": "quartiles", "terms": "terms", "term_map": "term-map", "keyword_map": "keyword-map",
    "coauthorship_authors": "coauthorship", "coauthorship_countries": "coauthorship", "citation_maps": "citation-maps",
    "trends": "trends", "thematic": "themes", "descriptive": "main-information",
}

