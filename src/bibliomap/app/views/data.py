"""Data page: streamed uploads (size limit, safe names), the ingest and its report."""
from __future__ import annotations

import os
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bibliomap.app import ingesting, results, workspace
from bibliomap.app.security import check_csrf, checked_form
from bibliomap.app.web import app_state, current_project, page, see_other


async def data_page(request: Request) -> Response:
    proj, folder = current_project(request)
    files = [{"name": p.name, "bytes": p.stat().st_size} for p in workspace.uploads(folder)]
    report = ingesting.load_report(folder)
    running = request.app.state.ingests.status(proj["id"])
    error = request.query_params.get("error", "")
    if running is not None and running["final"]:
        request.app.state.ingests.forget(proj["id"])
        error = error or (f"The ingest failed: {running['error']}" if running["error"] else "")
        running = None
    return page(request, "data.html.j2", project=proj, files=files, report=report, tab="data",
                max_upload=request.app.state.max_upload, error=error, ingest_running=running)


async def upload(request: Request) -> Response:
    """One file, streamed from the request body to a partial file, renamed when complete."""
    check_csrf(request, None)
    proj, folder = current_project(request)
    limit = request.app.state.max_upload
    name = workspace.safe_filename(request.query_params.get("name", ""))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return JSONResponse({"error": f"{name}: {int(declared):,} bytes is over the upload limit of {limit:,} bytes"}, status_code=413)
    partial = workspace.partial_path(folder, name, secrets.token_hex(6))
    partial.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    try:
        with open(partial, "wb") as f:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _TooLarge
                f.write(chunk)
        if size == 0:
            partial.unlink(missing_ok=True)
            return JSONResponse({"error": f"{name}: the file is empty"}, status_code=400)
        target = folder / workspace.UPLOADS / name
        replaced = target.exists()
        os.replace(partial, target)
    except _TooLarge:
        partial.unlink(missing_ok=True)
        return JSONResponse({"error": f"{name}: over the upload limit of {limit:,} bytes"}, status_code=413)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return JSONResponse({"name": name, "bytes": size, "replaced": replaced})


class _TooLarge(Exception):
    pass


async def delete_upload(request: Request) -> Response:
    form = await checked_form(request)
    proj, folder = current_project(request)
    name = workspace.safe_filename(str(form.get("name") or ""))
    path = results.resolve_inside(folder / workspace.UPLOADS, name)
    if path is not None:
        path.unlink()
    return see_other(f"/p/{proj['id']}/data")


async def ingest(request: Request) -> Response:
    """Start reading and merging the uploads in the background; the Data page follows its progress."""
    await checked_form(request)
    proj, folder = current_project(request)
    if not workspace.uploads(folder):
        return see_other(f"/p/{proj['id']}/data?error=" + "upload+export+files+first")
    store = app_state(request)[1]
    request.app.state.ingests.start(proj["id"], folder, lambda report: store.set_records(proj["id"], report["documents"]))
    return see_other(f"/p/{proj['id']}/data#ingest-progress")


async def ingest_status(request: Request) -> Response:
    """The project's running (or last) ingest as JSON: message, fraction, final, error."""
    proj, _ = current_project(request)
    state = request.app.state.ingests.status(proj["id"]) or {"message": "", "fraction": 1.0, "final": True, "error": None}
    return JSONResponse(state, headers={"Cache-Control": "no-store"})
