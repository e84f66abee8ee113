"""Many figures as one PDF file each, with their fonts subset once.

A figure's PDF embeds the subset of the font its text uses (TrueType, ``pdf.fonttype`` 42, as
journals ask: no Type 3 fonts), and making that subset is four fifths of the cost of writing a
chart as PDF. Drawn as the pages of one document, the figures share one subset (made once, when
the document closes); each page is then written as its own file (pypdf), carrying the shared
font. Each page keeps its figure's size and frame.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

from bibliomap.atomic import atomic_path

if TYPE_CHECKING:
    from bibliomap.viz.deferred import Pending

#: Document information left out, so the same figure gives the same file.
_NO_DATES = {"CreationDate": None, "Creator": None, "Producer": None}


def write_pdfs(pending: Sequence[Pending]) -> list[Path]:
    """Write each pending figure (``savefig['format'] == 'pdf'``) to its target, as the pages of
    one document split into files; the files written. Raises when a figure cannot be drawn into
    the document (the caller then writes the figures one by one)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(_pages(pending)))
    written = []
    for p, page in zip(pending, reader.pages):
        writer = PdfWriter()
        writer.add_page(page)
        with atomic_path(p.target) as tmp:
            writer.write(str(tmp))
        written.append(p.target)
    return written


def _pages(pending: Sequence[Pending]) -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer, metadata=_NO_DATES) as document:
        for p in pending:
            options = {k: v for k, v in p.savefig.items() if k not in ("format", "metadata")}
            with matplotlib.rc_context(p.rc):
                document.savefig(p.the_figure(), **options)
    return buffer.getvalue()
