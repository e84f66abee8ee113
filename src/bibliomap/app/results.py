"""The Results page: the study output's files, grouped for download, and the whole output as one zip."""
from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from bibliomap.app.workspace import OUTPUT

#: Written by the worker beside the output: the configuration that reproduces it.
STUDY_TOML = "study.toml"


def sections() -> list[tuple[str, str]]:
    """(anchor, heading) of the report's sections, in the report's order."""
    from bibliomap.report.render import SECTIONS

    return [("data-method", "Data and method")] + [(sid, heading) for sid, heading, *_ in SECTIONS] + [("questions", "Research questions")]


def output_dir(folder: Path) -> Path:
    return folder / OUTPUT


def resolve_inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` if it is an existing file inside ``root`` (symlinks resolved), else None."""
    root = root.resolve()
    try:
        path = (root / relative).resolve()
    except (OSError, ValueError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def listing(folder: Path) -> dict[str, Any]:
    """The output's files by kind: tables (CSV, XLSX), figures (PNG, SVG, PDF), maps, other."""
    out = output_dir(folder)
    if not (out / "report.html").exists():
        return {}
    rel = lambda p: p.relative_to(out).as_posix()  # noqa: E731
    tables = sorted((out / "tables").glob("*.csv"))
    figures: dict[str, dict[str, str]] = {}
    for p in sorted((out / "figures").glob("*")):
        if p.suffix in (".png", ".svg", ".pdf"):
            figures.setdefault(p.stem, {})[p.suffix[1:]] = rel(p)
    maps = {d.name: [rel(p) for p in sorted(d.iterdir()) if p.is_file()] for d in sorted((out / "maps").glob("*")) if d.is_dir()}
    return {
        "tables": [{"name": p.stem, "csv": rel(p)} for p in tables],
        "xlsx": rel(out / "tables" / "study.xlsx") if (out / "tables" / "study.xlsx").exists() else None,
        "figures": [{"name": k, **v} for k, v in figures.items()],
        "maps": maps,
        "other": [rel(p) for p in sorted(out.glob("*")) if p.is_file() and not p.name.startswith(".")],
    }


#: Rows of a table shown on its page (the CSV download has them all).
MAX_ROWS = 5000


def table_file(folder: Path, name: str) -> Path | None:
    """The CSV file of the output table ``name`` (None if there is none)."""
    path = resolve_inside(output_dir(folder) / "tables", f"{name}.csv")
    if path is None or path.parent != (output_dir(folder) / "tables").resolve():
        return None
    return path


def read_table(folder: Path, name: str) -> tuple[list[str], list[list[str]], int] | None:
    """Header, the first ``MAX_ROWS`` rows and the row count of an output table (None if there is none)."""
    import csv

    path = table_file(folder, name)
    if path is None:
        return None
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        shown, n = [], 0
        for row in reader:
            n += 1
            if n <= MAX_ROWS:
                shown.append(row)
    return header, shown, n


def zip_output(folder: Path) -> Path:
    """The whole output folder (not the app's hidden files in it) as a zip in a temporary file (the caller removes it)."""
    out = output_dir(folder)
    fd, name = tempfile.mkstemp(prefix="bibliomap-study-", suffix=".zip")
    os.close(fd)
    with zipfile.ZipFile(name, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(out.rglob("*")):
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts):  # the app's own files
                zf.write(p, "study/" + p.relative_to(out).as_posix())
    return Path(name)


#: The viewers of the output's maps, made on first view (they go with the output when a new run replaces it).
VIEWERS = ".viewers"


def _report_viewer(out: Path, name: str) -> str | None:
    """The viewer block of map ``name`` as the report embeds it (its data computed once, by the
    study), or None when the report has none."""
    report = (out / "report.html").read_text(encoding="utf-8")
    element = "map-" + name.replace("_", "-")  # the report's element id of a map (bibliomap.report.render)
    start = report.find(f'<div id="{element}" class="bm-viewer"')
    end_marker = f'BibliomapViewer.mountFromPage("{element}");</script>'
    end = report.find(end_marker, start)
    if start < 0 or end < 0:
        return None
    return report[start:end + len(end_marker)]


def map_viewer(folder: Path, name: str) -> str | None:
    """The interactive viewer page of the output's map ``name`` (None if there is no such map): the
    report's own viewer of it, on a page of its own (made from ``map.json`` when the report has
    none), kept for the next view."""
    import html as html_lib

    from bibliomap.app import sections
    from bibliomap.atomic import write_text
    from bibliomap.viz.viewer import viewer_assets_html, viewer_html

    out = output_dir(folder)
    source = resolve_inside(out / "maps", f"{name}/map.json")
    if source is None or source.parent.parent != (out / "maps").resolve():
        return None
    cached = out / VIEWERS / f"{source.parent.name}.html"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    data = sections.load(out) or {"sections": []}
    titles = {b["name"]: b["title"] for s in data["sections"] for b in s["blocks"] if b["kind"] == "map"}
    title = titles.get(name, name.replace("_", " "))
    block = _report_viewer(out, name)
    if block is not None:
        page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html_lib.escape(title)}</title>\n'
                f'<link rel="icon" href="data:,">\n</head>\n<body style="margin:0">\n{viewer_assets_html()}'
                f'<style>.bm-viewer {{ height: 100vh; border: 0; }}</style>\n{block}\n</body>\n</html>\n')
    else:
        from bibliomap.io.vosviewer import read_json

        page = viewer_html(read_json(source), standalone=True, title=title)
    write_text(cached, page)
    return page
