"""report.docx: the study's results for a manuscript in Word (python-docx).

The same sections, headline sentences, numbered tables (as real Word tables, their first rows
as the HTML report shows them) and numbered figures with captions as ``report.html``, so an
author copies them into a paper. Written atomically.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Emu, Inches, Pt

from bibliomap.i18n import _
from bibliomap.atomic import atomic_path
from bibliomap.report.columns import column_label
from bibliomap.report.results import Figure, Results, Table
from bibliomap.report.values import cell_text

_MAX_COLUMNS = 7  # wider tables keep their first columns; the CSV has all
_FIGURE_WIDTH = Inches(6.0)
_WIDEST = 40  # characters: a longer text gets no more of the width than this
_LONGEST_WORD = 14  # characters: a column is at least as wide as its longest word up to this
_CHAR, _PADDING = int(Pt(8) * 0.6), int(Inches(0.16))  # EMU: a character of the tables' 8 pt text; a cell's margins
_TWIP = 635  # EMU


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


def column_widths(values: list[list[str]], total: int) -> list[int]:
    """Widths (EMU) of a table's columns, summing to at most ``total`` (the text width).

    Each column gets at least the room of its longest word (a year or a number is never split;
    a word over :data:`_LONGEST_WORD` characters, such as a DOI, breaks anyway), and the rest of
    the width goes to the columns of long text in proportion to what their text needs beyond
    that, so titles get room and numbers little."""
    columns = list(zip(*values))
    words = [min(max((len(w) for text in col for w in text.split()), default=1), _LONGEST_WORD) for col in columns]
    texts = [min(max((len(text) for text in col), default=1), _WIDEST) for col in columns]
    least = [n * _CHAR + _PADDING for n in words]
    if sum(least) >= total:
        widths = [total * w / sum(least) for w in least]
    else:
        need = [max(t - w, 0) for t, w in zip(texts, words)]
        share = [n / sum(need) if sum(need) else 1 / len(need) for n in need]
        widths = [w + (total - sum(least)) * f for w, f in zip(least, share)]
    return [int(w) // _TWIP * _TWIP for w in widths]  # whole twips, as Word stores them: never past the total


def _texts(df) -> list[list[str]]:
    """The header and rows of a table as the report shows them."""
    return [[column_label(c) for c in df.columns]] + [[cell_text(v, c) for v, c in zip(row, df.columns)] for row in df.itertuples(index=False, name=None)]


def _text_width(doc) -> int:
    section = doc.sections[-1]
    return int(section.page_width - section.left_margin - section.right_margin)


def _table(doc, styles: _Styles, t: Table, rows: int | None = None) -> None:
    _caption(doc, styles, t.number, t.caption)
    df = t.frame.iloc[:t.top if rows is None else rows, :_MAX_COLUMNS]
    table = doc.add_table(rows=len(df) + 1, cols=len(df.columns))
    table.style = styles.table
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout: Word keeps the widths below instead of growing a column past the page
    values = _texts(df)
    widths = column_widths(values, _text_width(doc))
    for column, width in zip(table.columns, widths):
        column.width = Emu(width)
    for row, texts in zip(table.rows, values):
        for cell, text, width in zip(row.cells, texts, widths):
            cell.width = Emu(width)  # Word reads the cells' widths, LibreOffice the grid's: both are set
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
        if not (s.lead or s.blocks or s.notes):
            continue
        doc.add_heading(s.heading, level=1)
        for sentence in s.lead:
            doc.add_paragraph(sentence)
        for _status, note in s.notes:  # a step skipped or failed, as the HTML report says it
            doc.add_paragraph(note).runs[0].italic = True
        for b in s.blocks:
            if isinstance(b, Table):
                _table(doc, styles, b)
            elif isinstance(b, Figure):
                _figure(doc, styles, b)
    doc.add_heading(_("Research questions"), level=1)
    for question, answers in results.answers:
        doc.add_heading(question, level=2)
        for answer in answers:
            doc.add_paragraph(answer)
    doc.add_heading(_("Appendix: parameters and timings"), level=1)
    for t in results.appendix:
        _table(doc, styles, t, rows=len(t.frame))
    path = Path(path)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path


def update_steps_table(path: str | Path, steps: Table) -> None:
    """Write ``steps`` (Table A2, every step with its time) over the last table of the Word document
    at ``path``: the steps that ended after the document was written (the document itself, the
    figure files, the workbook) get their status and seconds, as in the HTML report."""
    path = Path(path)
    doc = Document(str(path))
    table = doc.tables[-1]
    values = _texts(steps.frame)
    while len(table.rows) < len(values):
        table.add_row()
    for row, texts in zip(table.rows, values):
        for cell, text in zip(row.cells, texts):
            if cell.text != text:
                cell.text = text
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
