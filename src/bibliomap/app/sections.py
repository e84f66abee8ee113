"""The report's sections as the app's Results pages: what a finished study's report holds, section
by section (headline sentences, numbered tables, figures, maps, research-question answers), kept
beside its output so each section can be a page of its own, and each table downloaded alone.

The job process has the report's :class:`bibliomap.report.results.Results` in hand when the study
ends (``ctx.results['report_results']``, built once by the report itself); :func:`save` writes
its structure to ``output/.sections.json`` with every table as the report formats it
(:func:`bibliomap.report.render.table_view`). Nothing of the pipeline is redone here: the pages
only read that file and the output's own files.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

#: The sections file, hidden in the output folder (the zip leaves it out: it is the app's, not the study's).
SECTIONS_FILE = ".sections.json"
#: Ids of the two pages that frame the report's sections.
QUESTIONS, APPENDIX = "questions", "appendix"
#: Rows of a table shown on its section's page before "all rows" (the table page and downloads have all).
SHOWN_ROWS = 25


def _table(t: Any) -> dict[str, Any]:
    from bibliomap.i18n import language
    from bibliomap.report.columns import column_label
    from bibliomap.report.render import table_view

    view = table_view(t)
    view.update(kind="table", key=t.key)
    if not str(t.csv).startswith("tables/"):  # a view of the report's own (small): its data are kept for downloads
        view["csv"] = ""
        with language("en"):  # as the study's CSV files: English headers, machine-readable numbers
            columns = [column_label(c) for c in t.frame.columns]
        view["data"] = {"columns": columns, "rows": json.loads(t.frame.to_json(orient="values", date_format="iso"))}
    return view


def _block(b: Any) -> dict[str, Any]:
    from bibliomap.report.results import Figure, Table

    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Figure):
        return {"kind": "figure", "key": b.key, "number": b.number, "caption": b.caption, "png": f"figures/{Path(b.png).name}"}
    return {"kind": "map", "name": b.name, "title": b.title}


def save(results: Any, out: Path, lang: str = "en") -> Path:
    """Write the structure of the report's ``results`` into the study folder ``out`` (headings of the
    two framing pages in the report's language ``lang``)."""
    from bibliomap.i18n import _, language
    from bibliomap.atomic import write_text

    with language(lang):  # the tables' cells as the report shows them: generated values and numbers in its language
        data = {
            "title": results.title,
            "lang": lang,
            "headings": {QUESTIONS: _("Research questions"), APPENDIX: _("Appendix: parameters and timings")},
            "sections": [{"id": s.id, "heading": s.heading, "lead": list(s.lead), "notes": [list(n) for n in s.notes],
                          "blocks": [_block(b) for b in s.blocks]} for s in results.sections],
            "answers": [[q, list(a)] for q, a in results.answers],
            "appendix": [_table(t) for t in results.appendix],
        }
    path = Path(out) / SECTIONS_FILE
    write_text(path, json.dumps(data, ensure_ascii=False))
    return path


def load(out: Path) -> dict[str, Any] | None:
    """The sections of the study in ``out`` (None before a run, or for an output the app did not make)."""
    try:
        return json.loads((Path(out) / SECTIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


_ENGLISH = {QUESTIONS: "Research questions", APPENDIX: "Appendix: parameters and timings"}


def _heading(data: dict[str, Any], page: str) -> str:
    return data.get("headings", {}).get(page) or _ENGLISH[page]


def lang(data: dict[str, Any] | None) -> str:
    """The language of the report whose sections ``data`` holds (its pages speak it too)."""
    from bibliomap.i18n import LANGUAGES

    code = (data or {}).get("lang", "en")
    return code if code in LANGUAGES else "en"


def pages(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per Results page, in the report's order: id, heading, its first headline sentence and what it holds."""
    out = []
    for s in data["sections"]:
        kinds = [b["kind"] for b in s["blocks"]]
        out.append({"id": s["id"], "heading": s["heading"], "lead": s["lead"][0] if s["lead"] else "",
                    "tables": kinds.count("table"), "figures": kinds.count("figure"), "maps": kinds.count("map")})
    out.append({"id": QUESTIONS, "heading": _heading(data, QUESTIONS), "lead": (data["answers"][0][0] if data["answers"] else ""),
                "tables": 0, "figures": 0, "maps": 0})
    out.append({"id": APPENDIX, "heading": _heading(data, APPENDIX), "lead": "", "tables": len(data["appendix"]),
                "figures": 0, "maps": 0})
    return out


def section(data: dict[str, Any], sid: str) -> dict[str, Any] | None:
    """The page ``sid``: a report section, the research questions or the appendix."""
    if sid == QUESTIONS:
        return {"id": sid, "heading": _heading(data, sid), "lead": [], "notes": [], "blocks": [], "answers": data["answers"]}
    if sid == APPENDIX:
        return {"id": sid, "heading": _heading(data, sid), "lead": [], "notes": [], "blocks": data["appendix"]}
    return next((s for s in data["sections"] if s["id"] == sid), None)


def find_table(data: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The report's table ``key`` (its first occurrence, as numbered)."""
    for t in [b for s in data["sections"] for b in s["blocks"]] + data["appendix"]:
        if t["kind"] == "table" and t["key"] == key:
            return t
    return None


def _unsafe(value: str) -> str:
    """A CSV cell as the study wrote it, without the apostrophe that kept a formula inert
    (a workbook holds text as text, so it needs none)."""
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


def table_frame(out: Path, table: dict[str, Any]):
    """The whole table as a DataFrame: read from its CSV in the output, or the data of the report's own view."""
    import pandas as pd

    if table["csv"]:
        path = Path(out) / table["csv"]
        df = pd.read_csv(path, keep_default_na=False, na_values=[""])
        for col in df.columns:
            if not pd.api.types.is_numeric_dtype(df[col]):
                df[col] = df[col].map(lambda v: _unsafe(v) if isinstance(v, str) else v).astype(object)
        return df
    if "data" in table:
        return pd.DataFrame(table["data"]["rows"], columns=table["data"]["columns"])
    return pd.DataFrame(table["rows"], columns=table["columns"])  # sections saved before the data were kept


def table_csv(out: Path, table: dict[str, Any]) -> bytes:
    """The table as the study's CSV file (the file itself when it has one)."""
    if table["csv"]:
        return (Path(out) / table["csv"]).read_bytes()
    from bibliomap.io.tables import spreadsheet_safe

    buf = io.StringIO()
    spreadsheet_safe(table_frame(out, table)).to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue().encode("utf-8")


def table_xlsx(out: Path, table: dict[str, Any], dest: Path) -> Path:
    """The table as a one-sheet workbook at ``dest`` (text as text, never a formula)."""
    from bibliomap.io.tables import tables_to_xlsx

    return tables_to_xlsx({table["key"]: table_frame(out, table)}, dest)
