"""Ingest: read export files, finalize records, merge duplicates, account for every record.

``ingest(paths)`` returns a Corpus whose ``ingest_report`` says, per file, how many
records were read, kept, merged as duplicates and rejected (with a reason each):
read = kept + duplicates + rejected. The report's keys are a contract of the
``bibliomap ingest --report`` command.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bibliomap.corpus.corpus import Corpus
from bibliomap.corpus.dedup import find_duplicates, merge_group
from bibliomap.corpus.finalize import finalize_record
from bibliomap.io.read import read_file

_SKIP_NAMES = {"readme.md", "readme.txt", "license", "provenance.txt"}


def expand_paths(paths: Sequence[str | os.PathLike]) -> list[Path]:
    """Files named, globbed or inside named folders (sorted; READMEs and licenses skipped)."""
    out: list[Path] = []
    for p in paths:
        s = str(p)
        matches = sorted(glob.glob(s)) if any(c in s for c in "*?[") else [s]
        for m in matches:
            path = Path(m)
            if path.is_dir():
                for f in sorted(path.iterdir()):
                    if f.is_file() and not f.name.startswith(".") and f.name.lower() not in _SKIP_NAMES and not f.name.lower().startswith("license"):
                        out.append(f)
            else:
                out.append(path)
    return out


def ingest(
    paths: Sequence[str | os.PathLike],
    format: str | None = None,
    deduplicate: bool = True,
    fuzzy: bool = True,
    fuzzy_threshold: float = 0.95,
    progress: bool = False,
) -> Corpus:
    """Read ``paths`` (files, folders or globs), merge duplicates and return the Corpus."""
    files = expand_paths(paths)
    records: list[dict[str, Any]] = []
    origin: list[int] = []  # file index per record
    file_reports: list[dict[str, Any]] = []
    warnings: list[str] = []

    iterator = _progress(files, progress)
    for fi, path in iterator:
        result = read_file(path, format=format)
        rep: dict[str, Any] = {
            "path": str(path),
            "format": result.format,
            "encoding": result.encoding,
            "read": result.n_read,
            "kept": 0,
            "duplicates": 0,
            "rejected": [r.to_dict() for r in result.rejected],
            "warnings": list(result.warnings),
        }
        if result.error:
            rep["error"] = result.error
        file_reports.append(rep)
        warnings.extend(result.warnings)
        for rec in result.records:
            try:
                records.append(finalize_record(rec))
                origin.append(fi)
            except Exception as exc:  # noqa: BLE001 - a bad record must not stop the run
                prov = (rec.get("provenance") or [{}])[0]
                rep["rejected"].append({"record": prov.get("record"), "line": prov.get("line"), "reason": f"could not normalize the record: {type(exc).__name__}: {exc}"})

    merges: list[dict[str, Any]] = []
    if deduplicate and records:
        groups, rule_of = find_duplicates(records, fuzzy=fuzzy, fuzzy_threshold=fuzzy_threshold)
    else:
        groups, rule_of = [], {}
    merged_into: dict[int, int] = {}
    for g in groups:
        for i in g[1:]:
            merged_into[i] = g[0]
    group_of_head = {g[0]: g for g in groups}

    out: list[dict[str, Any]] = []
    for i, rec in enumerate(records):
        if i in merged_into:
            file_reports[origin[i]]["duplicates"] += 1
            continue
        file_reports[origin[i]]["kept"] += 1
        if i in group_of_head:
            g = group_of_head[i]
            merged = merge_group([records[k] for k in g])
            merged["id"] = f"D{len(out) + 1:06d}"
            merges.append({
                "kept_id": merged["id"],
                "kept_record": _input_id(records[i]),
                "merged_ids": [_input_id(records[k]) for k in g[1:]],
                "rule": rule_of.get(g[1], "doi"),
                "rules": [rule_of.get(k, "") for k in g[1:]],
            })
            out.append(merged)
        else:
            rec["id"] = f"D{len(out) + 1:06d}"
            out.append(rec)

    totals = {
        "files": len(file_reports),
        "read": sum(f["read"] for f in file_reports),
        "kept": sum(f["kept"] for f in file_reports),
        "duplicates": sum(f["duplicates"] for f in file_reports),
        "rejected": sum(len(f["rejected"]) for f in file_reports),
        "unreadable_files": sum(1 for f in file_reports if f.get("error")),
    }
    report = {"files": file_reports, "totals": totals, "merges": merges}
    return Corpus.from_records(out, ingest_report=report)


def _input_id(rec: dict[str, Any]) -> str:
    prov = (rec.get("provenance") or [{}])[0]
    return f"{prov.get('file')}#{prov.get('record')}"


def _progress(files: list[Path], enabled: bool):
    if not enabled or len(files) < 2:
        yield from enumerate(files)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True) as prog:
        task = prog.add_task("", total=len(files))
        for i, f in enumerate(files):
            prog.update(task, description=f.name)
            yield i, f
            prog.advance(task)
