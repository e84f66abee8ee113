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
from bibliomap.atomic import atomic_path
from bibliomap.report.columns import column_label
from bibliomap.report.results import TOP_ROWS, Figure, Results, Table
from bibliomap.report.values import cell_text

_MAX_COLUMNS = 7  # wider tables keep their first columns; the CSV has all
_FIGURE_WIDTH = Inches(6.0)


class _Styles:
    """The document's styles, looked up once (python-docx finds a style by scanning them all)."""

    def __init__(self, doc) -> None:
        self.caption = doc.styles["Caption"]
        self.table = doc.styles["Light Grid Accent 1"]
        self.table.font.size = Pt(8)  # every table of the report is small print
        self.normal = doc.styles["Normal"]


def _caption(doc, styles: _Styles, number: str, caption: str) -> None:
    p = doc.add_paragraph(style=styles.caption)
    p.add_run(f"{number}. ").bold = True
    p.add_run(caption)


def _table(doc, styles: _Styles, t: Table, rows: int = TOP_ROWS) -> None:
    _caption(doc, styles, t.number, t.caption)
    df = t.frame.iloc[:rows, :_MAX_COLUMNS]
    table = doc.add_table(rows=len(df) + 1, cols=len(df.columns))
    table.style = styles.table
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    values = [[column_label(c) for c in df.columns]] + [[cell_text(v, c) for v, c in zip(row, df.columns)] for row in df.itertuples(index=False, name=None)]
    for row, texts in zip(table.rows, values):
        for cell, text in zip(row.cells, texts):
            cell.paragraphs[0].add_run(text)
    left_out = []
    if len(t.frame) > len(df):
        left_out.append(_("first {n} of {total} rows").format(n=len(df), total=len(t.frame)))
    if len(t.frame.columns) > len(df.columns):
        left_out.append(_("first {n} of {total} columns").format(n=len(df.columns), total=len(t.frame.columns)))
    if left_out:
        note = _("Shown: {what}.").format(what="; ".join(left_out))
        if t.csv:
            note += " " + _("Full table: {file}.").format(file=t.csv)
        doc.add_paragraph(note, style=styles.normal).runs[0].font.size = Pt(8)


def _figure(doc, styles: _Styles, f: Figure) -> None:
    doc.add_picture(str(f.png), width=_FIGURE_WIDTH)
    _caption(doc, styles, f.number, f.caption)


def write_docx(results: Results, path: str | Path) -> Path:
    """Write ``results`` as a Word document to ``path`` and return it."""
    doc = Document()
    styles = _Styles(doc)
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
                _table(doc, styles, b)
            elif isinstance(b, Figure):
                _figure(doc, styles, b)
    doc.add_heading(_("Research questions"), level=1)
    for question, answers in results.answers:
        doc.add_heading(question, level=2)
        doc.add_paragraph(" ".join(answers))
    doc.add_heading(_("Appendix: parameters and timings"), level=1)
    for t in results.appendix:
        _table(doc, styles, t, rows=len(t.frame))
    path = Path(path)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
