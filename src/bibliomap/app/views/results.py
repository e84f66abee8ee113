"""Results pages (an overview, then one page per section of the report, the research questions and
the appendix), each table downloadable alone as CSV or XLSX, the maps in the interactive viewer,
the report, the output's files (only those) and the whole output as a zip."""
from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from bibliomap.app import results, sections
from bibliomap.app.web import current_project, page
from bibliomap.i18n import decimal_mark, language

#: Served output files get this policy: an output HTML page runs its own scripts in an opaque origin.
OUTPUT_CSP = "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
_OUTPUT_HEADERS = {"Content-Security-Policy": OUTPUT_CSP, "X-Content-Type-Options": "nosniff"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sections(folder: Path) -> dict | None:
    return sections.load(results.output_dir(folder)) if (results.output_dir(folder) / "report.html").exists() else None


async def results_page(request: Request) -> Response:
    proj, folder = current_project(request)
    data = _sections(folder)
    with language(sections.lang(data)):  # the report's sections are listed in its language
        return page(request, "results.html.j2", project=proj, files=results.listing(folder), tab="results",
                    pages=sections.pages(data) if data else [], title=data["title"] if data else "", lang=sections.lang(data))


async def section_page(request: Request) -> Response:
    proj, folder = current_project(request)
    data = _sections(folder)
    if data is None:
        raise HTTPException(404, "no results yet: run the study first")
    sid = request.path_params["sid"]
    sec = sections.section(data, sid)
    if sec is None:
        raise HTTPException(404, "no such section in this project's report")
    files = results.listing(folder)
    figure_files = {path for f in files.get("figures", []) for kind, path in f.items() if kind != "name"}
    with language(sections.lang(data)):  # a section page speaks the report's language, as the report does
        return page(request, "section.html.j2", project=proj, tab="results", section=sec, pages=sections.pages(data),
                    shown=sections.SHOWN_ROWS, maps=files.get("maps", {}), figure_files=figure_files, lang=sections.lang(data),
                    decimal=decimal_mark())


async def table_download(request: Request) -> Response:
    """One of the report's tables alone: ``.csv`` (the study's own file when it has one) or ``.xlsx``."""
    proj, folder = current_project(request)
    data = _sections(folder)
    key, fmt = request.path_params["key"], request.path_params["fmt"]
    out = results.output_dir(folder)
    table = sections.find_table(data, key) if data else None
    if table is None and results.table_file(folder, key) is not None:  # a table of the output outside the report
        table = {"key": key, "csv": f"tables/{key}.csv"}
    if table is None or fmt not in ("csv", "xlsx"):
        raise HTTPException(404, "no such table in this project's output")
    filename = f"{key}.{fmt}"
    if fmt == "csv":
        body = await run_in_threadpool(sections.table_csv, out, table)
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"})
    tmp = Path(tempfile.mkdtemp(prefix="bibliomap-table-")) / filename
    await run_in_threadpool(sections.table_xlsx, out, table, tmp)
    return FileResponse(tmp, filename=filename, media_type=XLSX, background=BackgroundTask(_remove, tmp))


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.parent.rmdir()


async def map_viewer(request: Request) -> Response:
    """The interactive viewer of one of the study's maps, as a page of its own (shown in a frame)."""
    proj, folder = current_project(request)
    html = await run_in_threadpool(results.map_viewer, folder, request.path_params["name"])
    if html is None:
        raise HTTPException(404, "no such map in this project's output")
    return HTMLResponse(html, headers=_OUTPUT_HEADERS)


async def report_page(request: Request) -> Response:
    proj, folder = current_project(request)
    return page(request, "report.html.j2", project=proj, tab="report", sections=results.sections(),
                has_report=(results.output_dir(folder) / "report.html").exists())


async def table_page(request: Request) -> Response:
    proj, folder = current_project(request)
    name = request.path_params["name"]
    table = await run_in_threadpool(results.read_table, folder, name)
    if table is None:
        raise HTTPException(404, "no such table in this project's output")
    header, rows, n = table
    return page(request, "table.html.j2", project=proj, tab="results", name=name, header=header, rows=rows, n=n)


async def output_file(request: Request) -> Response:
    proj, folder = current_project(request)
    path = results.resolve_inside(results.output_dir(folder), request.path_params["path"])
    if path is None:
        raise HTTPException(404, "no such file in this project's output")
    if request.query_params.get("download"):
        return FileResponse(path, headers=_OUTPUT_HEADERS, filename=path.name)
    return FileResponse(path, headers=_OUTPUT_HEADERS)


async def output_zip(request: Request) -> Response:
    proj, folder = current_project(request)
    if not (results.output_dir(folder) / "report.html").exists():
        raise HTTPException(404, "no results yet: run the study first")
    path = await run_in_threadpool(results.zip_output, folder)
    return FileResponse(path, filename=f"bibliomap-study-{proj['id']}.zip", media_type="application/zip",
                        background=BackgroundTask(path.unlink, missing_ok=True))
