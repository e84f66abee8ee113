"""Web of Science tab-delimited export: a header row of tags, one record per row.

WoS writes it as UTF-16 LE with BOM ("Win") or UTF-8 (with BOM); decoding is
done before the reader runs. Cells are unquoted; multi-valued cells use "; ".
The field mapping is the plain-text reader's (:func:`build_wos_record`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.wos_plaintext import WOS_LINE_LIST_TAGS, build_wos_record, normalize_newlines

_TAG = re.compile(r"^[A-Z][A-Z0-9]$")
_C1_SPLIT = re.compile(r";\s*(?=\[)")


def _split_cell(tag: str, cell: str) -> list[str]:
    """Values of one cell: line-list tags split on '; ' (C1 on '; [' when bracketed)."""
    if tag not in WOS_LINE_LIST_TAGS:
        return [cell]
    if tag == "C1" and cell.startswith("["):
        return [p.strip() for p in _C1_SPLIT.split(cell) if p.strip()]
    return [p.strip() for p in cell.split("; ") if p.strip()]


@register(
    "wos_tab",
    sniff=lambda head, name: sniff_wos_tab(head, name),
    description="Web of Science tab-delimited export (header row of tags, UTF-16 LE or UTF-8)",
    extensions=(".txt", ".tsv"),
    aliases=("wos_tabdelimited", "wos_tsv", "isi_tab"),
)
def read_wos_tab(source: Source) -> Iterator[dict]:
    """Yield one record per data row; short (truncated) or untitled rows are rejected. A split of a file
    (``bibliomap.io.splits``) is read after the file's header row (``Source.header``)."""
    lines = normalize_newlines(source.text).split("\n")
    if source.header:
        head, first_line = normalize_newlines(source.header).split("\n")[0], source.first_line
    else:
        head, lines, first_line = lines[0], lines[1:], 2
    header = [h.strip().lstrip("\ufeff") for h in head.split("\t")]
    if not {"TI", "UT"} & set(header):
        raise ReaderError(
            f"{source.where(line=1)}: not a Web of Science tab-delimited header: expected tag columns "
            f"such as PT, AU, TI, UT; found: {', '.join(header[:15])}"
        )
    columns = [(i, tag) for i, tag in enumerate(header) if _TAG.match(tag)]
    n_named = max(i for i, _ in columns) + 1
    record_no = 0
    for line_no, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        record_no += 1
        cells = line.split("\t")
        if len(cells) < n_named:
            source.reject(
                record_no, line_no,
                f"row has {len(cells)} cells but the header names {n_named} columns (truncated or broken row)",
            )
            continue
        fields: dict[str, list[str]] = {}
        for i, tag in columns:
            cell = cells[i].strip()
            if cell:
                fields[tag] = _split_cell(tag, cell)
        rec = build_wos_record(fields, source, record_no, line_no)
        if rec is None:
            source.reject(record_no, line_no, "record has neither a title (TI) nor an identifier (UT, DI)")
            continue
        yield rec
    source.n_read = record_no


def sniff_wos_tab(head: str, filename: str) -> float:  # noqa: ARG001
    """High when the first row is tab-separated WoS tags (PT, AU, ..., TI, ..., UT)."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    cells = [c.strip() for c in first.split("\t") if c.strip()]
    if len(cells) < 5:
        return 0.0
    tags = sum(1 for c in cells if _TAG.match(c))
    if tags < 0.9 * len(cells):
        return 0.0
    names = set(cells)
    if "PT" in names and "AU" in names and ("TI" in names or "UT" in names):
        return 0.95
    if {"AU", "TI", "SO"} <= names:
        return 0.7
    return 0.0
