"""Results and report pages, the output's files (only those), the whole output as a zip."""
from __future__ import annotations


from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from bibliomap.app import results
from bibliomap.app.web import current_project, page

#: Served output files get this policy: an output HTML page runs its own scripts in an opaque origin.
OUTPUT_CSP = "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


async def results_page(request: Request) -> Response:
    proj, folder = current_project(request)
    return page(request, "results.html.j2", project=proj, files=results.listing(folder), tab="results")


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
    headers = {"Content-Security-Policy": OUTPUT_CSP, "X-Content-Type-Options": "nosniff"}
    if request.query_params.get("download"):
        return FileResponse(path, headers=headers, filename=path.name)
    return FileResponse(path, headers=headers)


async def output_zip(request: Request) -> Response:
    proj, folder = current_project(request)
    if not (results.output_dir(folder) / "report.html").exists():
        raise HTTPException(404, "no results yet: run the study first")
    path = await run_in_threadpool(results.zip_output, folder)
    return FileResponse(path, filename=f"bibliomap-study-{proj['id']}.zip", media_type="application/zip",
                        background=BackgroundTask(path.unlink, missing_ok=True))
