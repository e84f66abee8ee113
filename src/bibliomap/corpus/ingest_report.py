"""Printing the ingest report: per-file counts, rejected records, merges, and field completeness."""
from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def print_summary(report: dict[str, Any] | None, console: Console, max_rejected: int = 10) -> None:
    """A table of read/kept/duplicates/rejected per file, then errors and the first rejections."""
    if not report:
        console.print("no ingest report")
        return
    table = Table(title="Ingest", show_lines=False)
    for col in ("file", "format", "read", "kept", "duplicates", "rejected"):
        table.add_column(col, justify="right" if col not in ("file", "format") else "left")
    for f in report["files"]:
        table.add_row(f["path"], f["format"], str(f["read"]), str(f["kept"]), str(f["duplicates"]), str(len(f["rejected"])))
    t = report["totals"]
    table.add_row("[b]total[/b]", "", str(t["read"]), str(t["kept"]), str(t["duplicates"]), str(t["rejected"]))
    console.print(table)
    for f in report["files"]:
        if f.get("error"):
            console.print(f"[red]unreadable:[/] {f['error']}", highlight=False)
        for w in f.get("warnings", []):
            console.print(f"[yellow]warning:[/] {w}", highlight=False)
        for r in f["rejected"][:max_rejected]:
            where = ", ".join(x for x in (f"record {r['record']}" if r.get("record") else "", f"line {r['line']}" if r.get("line") else "") if x)
            console.print(f"[yellow]skipped[/] {f['path']} {where}: {r['reason']}", highlight=False)
        if len(f["rejected"]) > max_rejected:
            console.print(f"... and {len(f['rejected']) - max_rejected} more skipped in {f['path']} (see the JSON report)")
    if report.get("merges"):
        rules: dict[str, int] = {}
        for m in report["merges"]:
            for r in m.get("rules") or [m["rule"]]:
                rules[r] = rules.get(r, 0) + 1
        console.print("duplicates merged by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(rules.items())))


def print_completeness(completeness: dict[str, float], n: int, console: Console) -> None:
    """Share of records with each field, and which analyses that allows."""
    table = Table(title=f"Field completeness ({n} records)")
    table.add_column("field")
    table.add_column("share", justify="right")
    table.add_column("needed for")
    needs = {
        "abstract": "term maps from abstracts",
        "references": "citation, coupling, co-citation maps; local citations",
        "author_keywords": "author-keyword co-occurrence",
        "index_keywords": "index-keyword co-occurrence",
        "affiliations": "organization co-authorship",
        "countries": "country co-authorship, SCP/MCP",
        "doi": "merging, citation matching",
        "times_cited": "citation metrics",
        "year": "trends, metrics",
    }
    for k, v in completeness.items():
        table.add_row(k, f"{100 * v:.1f}%", needs.get(k, ""))
    console.print(table)


def why_nothing_usable(report: dict[str, Any] | None) -> str:
    """One line per input file saying why it gave no usable record (for 'nothing usable was read')."""
    lines = []
    for f in (report or {}).get("files", []):
        if f.get("error"):
            lines.append(f"  {f['error']}")
        elif f["rejected"]:
            first = f["rejected"][0]
            where = f" (line {first['line']})" if first.get("line") else ""
            lines.append(f"  {f['path']}: {f['read']} record(s) read, {len(f['rejected'])} rejected; first{where}: {first['reason']}")
        else:
            lines.append(f"  {f['path']}: no records found in this {f['format']} file")
    return "\n".join(lines) if lines else "  no input files"
