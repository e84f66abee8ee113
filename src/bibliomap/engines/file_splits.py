"""The steps of reading one export in several record-aligned splits, for any engine's tasks, and putting them together.

``bibliomap.io.splits`` cuts a file; here are the three steps an engine distributes:

1. ``locate``: per nominal split, its first record boundary and the newlines before it (a task
   each; reads about one split's bytes);
2. ``read_part``: per aligned split, the records read and normalized into Arrow, with the split's
   report entry (a task each; the split's text is parsed by the unchanged reader);
3. ``assemble``: on the driver, the splits' records in order with the file's record numbers
   (``provenance.record`` renumbered), and one report entry equal to reading the file whole:
   counts summed, the reader's rejections and warnings in file order with their marked record
   numbers renumbered, then the records that failed normalization. A split that failed, or
   whose last record was rejected (it may have been cut by a wrong boundary, and what the
   reader says of a last record can depend on what follows), makes ``assemble`` return None:
   the engine reads that file whole instead.

``read_in_splits`` runs the three steps one after another in this process (the reference the
tests compare with ``read_one_file``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from bibliomap.io.parts import renumber_records
from bibliomap.io.splits import (BARE_CR_FORMATS, SplitPlan, align, count_newlines, plan_splits, renumbered, split_header,
                                 split_start)


def locate(plan: SplitPlan, k: int) -> tuple[int, int, int]:
    """Nominal split ``k``: its aligned start, the newlines from its nominal to its aligned start, the newlines in its range."""
    start = plan.starts[k]
    end = plan.starts[k + 1] if k + 1 < len(plan.starts) else plan.size
    aligned = split_start(plan, k)
    bare_cr = plan.format in BARE_CR_FORMATS
    return aligned, count_newlines(plan.path, start, aligned, bare_cr), count_newlines(plan.path, start, end, bare_cr)


def read_part(plan: SplitPlan, start: int, end: int, first_line: int) -> tuple[list[pa.Table], dict[str, Any]]:
    """One aligned split read and normalized: its Arrow chunks and report entry (plus the reader's own rejections, counted)."""
    from bibliomap.io.ingest import read_one_file
    from bibliomap.io.read import read_split

    seen: dict[str, Any] = {}

    def read(path: Path, format: str | None = None, on_record=None):
        seen["result"] = read_split(path, plan.format, plan.encoding, start, end, first_line, plan.encoding_warning,
                                    on_record=on_record, header=split_header(plan, start),
                                    row_trailing=plan.csv.row_trailing if plan.csv is not None and start else None,
                                    database=plan.database)
        return seen["result"]

    tables, report = read_one_file(Path(plan.path), plan.format, read=read)
    return tables, {**report, "reader_rejected": len(seen["result"].rejected)}


def assemble(parts: list[dict[str, Any]]) -> tuple[list[int], dict[str, Any]] | None:
    """The record offset of each split and the file's report entry from the splits' entries; None: read the file whole."""
    offsets, total = [], 0
    for k, rep in enumerate(parts):
        if rep.get("error"):
            return None
        reader = rep["rejected"][: rep["reader_rejected"]]
        if k + 1 < len(parts) and rep["read"] and any(r["record"] == rep["read"] for r in reader):
            return None
        offsets.append(total)
        total += rep["read"]
    first = parts[0]
    report = {key: value for key, value in first.items() if key != "reader_rejected"}
    rejected: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    warnings: list[str] = []
    for offset, rep in zip(offsets, parts):
        n = rep["reader_rejected"]
        for i, r in enumerate(rep["rejected"]):
            moved = {**r, "record": None if r["record"] is None else r["record"] + offset,
                     "reason": renumbered(r["reason"], offset)}
            (rejected if i < n else failed).append(moved)
        warnings += [renumbered(w, offset) for w in rep["warnings"]]
    report.update(read=total, rejected=rejected + failed, warnings=warnings)
    return offsets, report


def split_ranges(plan: SplitPlan, located: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The aligned splits (start, end, first line) from ``locate``'s results for every nominal split."""
    return align(plan, [a for a, _, _ in located], [b for _, b, _ in located], [c for _, _, c in located])


def read_in_splits(path: str | Path, format: str | None, split_bytes: int) -> tuple[list[pa.Table], dict[str, Any]] | None:
    """``read_one_file``'s result for ``path`` read split by split in this process; None when it is not split or must be read whole."""
    plan = plan_splits(path, format, split_bytes)
    if plan is None:
        return None
    ranges = split_ranges(plan, [locate(plan, k) for k in range(len(plan.starts))])
    parts = [read_part(plan, *r) for r in ranges]
    assembled = assemble([rep for _, rep in parts])
    if assembled is None:
        return None
    offsets, report = assembled
    tables = [renumber_records(t, offset) for (chunks, _), offset in zip(parts, offsets) for t in chunks]
    return tables, {**report, "path": str(path)}
