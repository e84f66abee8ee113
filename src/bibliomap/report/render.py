"""Rendering the study report: one self-contained HTML page (figures embedded, maps interactive)."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from bibliomap import __version__
from bibliomap.i18n import _, current_language, decimal_mark
from bibliomap.report.columns import column_label
from bibliomap.report.values import cell_text
from bibliomap.report.results import MAX_ROWS, Figure, MapView, Results, Table, build_results
from bibliomap.report.results import SECTIONS as _RESULT_SECTIONS

_TEMPLATES = Path(__file__).with_name("templates")

#: (section id, heading) of the report's result sections, in order (the app lists them).
SECTIONS = [(sid, heading) for sid, heading, _spec in _RESULT_SECTIONS]
#: Columns shown before "show all" expands a table (the others are secondary and collapse).
MAIN_COLUMNS = 6


def _img(path: Path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


#: A table of more columns than this is "wide": shown whole ("show all"), it is set smaller to fit the page.
WIDE_COLUMNS = 7
#: A word longer than this (a DOI, a URL) may break anywhere; shorter words break only between them.
LONG_WORD = 18


def cell_kind(value: Any, text: str) -> str:
    """How a cell wraps: "num" (a number: never broken), "long" (holds a word longer than
    :data:`LONG_WORD`, such as a DOI or URL, which may break anywhere) or "" (breaks between words)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return "num"
    return "long" if any(len(word) > LONG_WORD for word in text.split()) else ""


def table_view(t: Table) -> dict[str, Any]:
    """What the template shows of a numbered table: its header, formatted rows (at most MAX_ROWS),
    how each cell wraps (:func:`cell_kind`), and how many rows there are."""
    df = t.frame.head(MAX_ROWS)
    rows, kinds = [], []
    for row in df.itertuples(index=False, name=None):
        texts = [cell_text(v, c) for v, c in zip(row, df.columns)]
        rows.append(texts)
        kinds.append([cell_kind(v, text) for v, text in zip(row, texts)])
    return {"number": t.number, "caption": t.caption, "columns": [column_label(c) for c in df.columns], "rows": rows,
            "kinds": kinds, "wide": len(df.columns) > WIDE_COLUMNS, "total": len(t.frame), "csv": t.csv,
            "id": f"tab-{t.key.replace('_', '-')}", "top": t.top, "main": MAIN_COLUMNS}


def _element_id(name: str) -> str:
    return f"map-{name.replace('_', '-')}"


def write_viewer_fragment(m: Any, name: str, title: str, path: Path) -> Path:
    """The viewer <div> and data of one map, written to ``path`` (the study makes it in the background)."""
    from bibliomap.atomic import write_text
    from bibliomap.viz.viewer import viewer_html

    write_text(path, viewer_html(m, standalone=False, element_id=_element_id(name), include_assets=False, title=_(title)))
    return Path(path)


def _map_html(m: Any, name: str, title: str, first: bool, fragment: Path | None = None) -> str:
    """The interactive viewer for one map (made ahead in ``fragment`` when there is one); the
    viewer's script and styles go in once per page."""
    from bibliomap.viz.viewer import viewer_assets_html, viewer_html

    assets = viewer_assets_html() if first else ""
    if fragment is not None and fragment.is_file():
        return assets + fragment.read_text(encoding="utf-8")
    return assets + viewer_html(m, standalone=False, element_id=_element_id(name), include_assets=False, title=title)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=jinja2.select_autoescape(["html", "j2"]))
    env.globals["_"] = _
    return env


def update_timings(ctx: Any) -> None:
    """Write the final timings into the report's table of steps (Table A2), once the steps that
    come after the report (the Word document, the figure files, the workbook) have ended."""
    from bibliomap.atomic import write_text
    from bibliomap.report.results import steps_table

    path = ctx.out / "report.html"
    if not path.is_file():
        return
    view = table_view(steps_table(ctx))
    start, end = f"<!--table:{view['id']}-->", f"<!--/table:{view['id']}-->"
    page = path.read_text(encoding="utf-8")
    i, j = page.find(start), page.find(end)
    if i < 0 or j < i:
        return
    table = _environment().from_string('{% from "table.html.j2" import numbered_table %}{{ numbered_table(t) }}').render(t=view)
    write_text(path, page[:i + len(start)] + table + page[j:])


def render_report(ctx: Any) -> Path:
    """Write ``report.html`` into the context's output folder and return its path (the results are
    kept in ``ctx.results['report_results']`` for the Word document)."""
    template = _environment().get_template("report.html.j2")
    results: Results = build_results(ctx)
    ctx.results["report_results"] = results
    sections = []
    maps_done = 0
    for section in results.sections:
        blocks: list[tuple[str, Any]] = []
        for b in section.blocks:
            if isinstance(b, Figure):
                blocks.append(("figure", {"number": b.number, "caption": b.caption, "src": _img(b.png), "id": f"fig-{b.key.replace('_', '-')}",
                                          "files": b.files}))
            elif isinstance(b, Table):
                blocks.append(("table", table_view(b)))
            elif isinstance(b, MapView):
                fragment = ctx.viewer_fragments.get(b.name)
                blocks.append(("map", {"caption": b.title, "html": _map_html(ctx.maps[b.name], b.name, b.title, maps_done == 0, fragment)}))
                maps_done += 1
        if blocks or section.notes or section.lead:
            sections.append({"id": section.id, "heading": section.heading, "lead": section.lead, "blocks": blocks, "notes": section.notes})
    page = template.render(
        lang=current_language(), decimal_mark=decimal_mark(), title=results.title, version=__version__, n_analysed=len(ctx.corpus) if ctx.corpus is not None else 0,
        sections=sections, questions=results.answers, appendix=[table_view(t) for t in results.appendix],
    )
    from bibliomap.atomic import write_text

    path = ctx.out / "report.html"
    write_text(path, page)
    return path
