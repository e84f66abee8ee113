"""report.docx: the study's results for a manuscript in Word (python-docx).

The same sections, headline sentences, numbered tables (as real Word tables, their first rows
as the HTML report shows them) and numbered figures with captions as ``report.html``, so an
author copies them into a paper. Written atomically.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Inches, Pt

from bibliomap.i18n import _
from bibliomap.io.atomic import atomic_path
from bibliomap.report.results import TOP_ROWS, Figure, Results, Table

_MAX_COLUMNS = 7  # wider tables keep their first columns; the CSV has all
_FIGURE_WIDTH = Inches(6.0)


def _caption(doc, number: str, caption: str) -> None:
    p = doc.add_paragraph(style="Caption")
    p.add_run(f"{number}. ").bold = True
    p.add_run(caption)


def _cell_text(v) -> str:
    from bibliomap.report.render import _cell

    return _cell(v)


def _table(doc, t: Table, rows: int = TOP_ROWS) -> None:
    _caption(doc, t.number, t.caption)
    df = t.frame.iloc[:rows, :_MAX_COLUMNS]
    table = doc.add_table(rows=1, cols=len(df.columns))
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, df.columns):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in df.itertuples(index=False, name=None):
        cells = table.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = _cell_text(v)
    for row in table.rows:
        for cell in row.cells:
            for par in cell.paragraphs:
                for run in par.runs:
                    run.font.size = Pt(8)
    left_out = []
    if len(t.frame) > len(df):
        left_out.append(_("first {n} of {total} rows").format(n=len(df), total=len(t.frame)))
    if len(t.frame.columns) > len(df.columns):
        left_out.append(_("first {n} of {total} columns").format(n=len(df.columns), total=len(t.frame.columns)))
    if left_out:
        note = _("Shown: {what}.").format(what="; ".join(left_out))
        if t.csv:
            note += " " + _("Full table: {file}.").format(file=t.csv)
        doc.add_paragraph(note).runs[0].font.size = Pt(8)


def _figure(doc, f: Figure) -> None:
    doc.add_picture(str(f.png), width=_FIGURE_WIDTH)
    _caption(doc, f.number, f.caption)


def write_docx(results: Results, path: str | Path) -> Path:
    """Write ``results`` as a Word document to ``path`` and return it."""
    doc = Document()
    doc.core_properties.title = results.title
    doc.add_heading(results.title, level=0)
    for s in results.sections:
        if not (s.lead or s.blocks):
            continue
        doc.add_heading(s.heading, level=1)
        for sentence in s.lead:
            doc.add_paragraph(sentence)
        for b in s.blocks:
            if isinstance(b, Table):
                _table(doc, b)
            elif isinstance(b, Figure):
                _figure(doc, b)
    doc.add_heading(_("Research questions"), level=1)
    for question, answers in results.answers:
        doc.add_heading(question, level=2)
        doc.add_paragraph(" ".join(answers))
    doc.add_heading(_("Appendix: parameters and timings"), level=1)
    for t in results.appendix:
        _table(doc, t, rows=len(t.frame))
    path = Path(path)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
