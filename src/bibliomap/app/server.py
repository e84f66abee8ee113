"""The web app: Starlette routes for the pages (projects, data, settings, terms, run, results).

Every handler only composes the app's modules and the library; pages are Jinja2 templates
with autoescaping, so user text (project names, file names, labels) is always inert text.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bibliomap import __version__
from bibliomap.app import ingesting, results, settings, verification, workspace
from bibliomap.app.jobs import Scheduler
from bibliomap.app.security import Guard, check_csrf, checked_form
from bibliomap.app.store import FINAL, Store
from bibliomap.report.config import ConfigError, defaults

HERE = Path(__file__).parent
GB = 1 << 30
#: Served files get this policy: an output HTML page runs its own scripts in an opaque origin.
OUTPUT_CSP = "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'"

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else ""


_env.filters["when"] = _when
_env.filters["pct"] = lambda v: f"{100 * float(v):.0f}%"


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(csrf=request.app.state.csrf, version=__version__, request=request, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


def _state(request: Request) -> tuple[workspace.Workspace, Store, Scheduler]:
    s = request.app.state
    return s.workspace, s.store, s.scheduler


def _project(request: Request) -> tuple[dict[str, Any], Path]:
    ws, store, _ = _state(request)
    try:
        pid = int(request.path_params["pid"])
    except ValueError:
        raise HTTPException(404, "no such project") from None
    proj = store.project(pid)
    if proj is None:
        raise HTTPException(404, "no such project")
    return proj, ws.project_dir(pid)


def _name(form, field: str = "name") -> str:
    name = " ".join(str(form.get(field) or "").split())[:200]
    if not name:
        raise HTTPException(400, "a project needs a name")
    return name


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- projects -------------------------------------------------------------------------

async def projects_page(request: Request) -> Response:
    _, store, _ = _state(request)
    return page(request, "projects.html.j2", projects=store.projects())


async def create_project(request: Request) -> Response:
    form = await checked_form(request)
    ws, store, _ = _state(request)
    pid = store.add_project(_name(form))
    ws.create(pid)
    return _back(f"/p/{pid}/data")


async def rename_project(request: Request) -> Response:
    form = await checked_form(request)
    proj, _ = _project(request)
    _state(request)[1].rename_project(proj["id"], _name(form))
    return _back("/")


async def duplicate_project(request: Request) -> Response:
    await checked_form(request)
    proj, _ = _project(request)
    ws, store, _ = _state(request)
    pid = store.add_project(f"{proj['name']} (copy)")
    ws.create(pid)
    await run_in_threadpool(ws.duplicate, proj["id"], pid)
    store.set_records(pid, proj["records"])
    return _back("/")


async def delete_page(request: Request) -> Response:
    proj, _ = _project(request)
    return page(request, "delete.html.j2", project=proj)


async def delete_project(request: Request) -> Response:
    await checked_form(request)
    proj, _ = _project(request)
    ws, store, sched = _state(request)
    for job in store.jobs(proj["id"], status=("queued", "running")):
        await run_in_threadpool(sched.cancel, job["id"], 30.0)  # its process must not write into the removed folder
    store.delete_project(proj["id"])
    await run_in_threadpool(ws.delete, proj["id"])
    return _back("/")


# --- data -----------------------------------------------------------------------------

async def data_page(request: Request) -> Response:
    proj, folder = _project(request)
    files = [{"name": p.name, "bytes": p.stat().st_size} for p in workspace.uploads(folder)]
    report = ingesting.load_report(folder)
    return page(request, "data.html.j2", project=proj, files=files, report=report, tab="data",
                max_upload=request.app.state.max_upload, error=request.query_params.get("error", ""))


async def upload(request: Request) -> Response:
    """One file, streamed from the request body to a partial file, renamed when complete."""
    check_csrf(request, None)
    proj, folder = _project(request)
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
    proj, folder = _project(request)
    name = workspace.safe_filename(str(form.get("name") or ""))
    path = results.resolve_inside(folder / workspace.UPLOADS, name)
    if path is not None:
        path.unlink()
    return _back(f"/p/{proj['id']}/data")


async def ingest(request: Request) -> Response:
    await checked_form(request)
    proj, folder = _project(request)
    if not workspace.uploads(folder):
        return _back(f"/p/{proj['id']}/data?error=" + "upload+export+files+first")
    report = await run_in_threadpool(ingesting.run_ingest, folder)
    _state(request)[1].set_records(proj["id"], report["documents"])
    return _back(f"/p/{proj['id']}/data#report")


# --- settings -------------------------------------------------------------------------

async def settings_page(request: Request) -> Response:
    proj, folder = _project(request)
    error, cfg = "", None
    if request.method == "POST":
        form = await checked_form(request)
        current = workspace.read_config(folder)
        try:
            cfg = settings.from_form(form, current)
        except ConfigError as exc:
            error = str(exc)
        else:
            workspace.write_config(folder, cfg)
            return _back(f"/p/{proj['id']}/settings?saved=1")
    try:
        cfg = cfg or workspace.read_config(folder)
    except ConfigError as exc:
        error, cfg = str(exc), defaults()
    report = ingesting.load_report(folder) or {}
    counts = dict(report.get("threshold_counts", {}))
    terms_hist = settings.term_counts(folder)
    if terms_hist:
        counts["terms.min_occurrences"] = {"noun": "candidate terms (last run)", "hist": terms_hist}
    groups: dict[str, list] = {}
    for f in settings.fields(cfg):
        f["counts"] = counts.get(f"{f['section']}.{f['key']}")
        groups.setdefault(f["section"], []).append(f)
    return page(request, "settings.html.j2", project=proj, groups=groups, error=error, tab="settings",
                saved=request.query_params.get("saved") == "1", status=400 if error else 200)


# --- terms ----------------------------------------------------------------------------

async def terms_page(request: Request) -> Response:
    proj, folder = _project(request)
    rows = await run_in_threadpool(verification.rows, folder)
    return page(request, "terms.html.j2", project=proj, rows=rows, tab="terms",
                n_rules=len(verification.thesaurus(folder)), n_map_rules=len(verification.thesaurus(folder, "maps")),
                error=request.query_params.get("error", ""))


async def save_terms(request: Request) -> Response:
    check_csrf(request, None)
    proj, folder = _project(request)
    try:
        choices = (await request.json())["choices"]
        th = verification.save_choices(folder, list(choices))
    except (ValueError, KeyError, TypeError) as exc:
        return JSONResponse({"error": f"not saved: {exc}"}, status_code=400)
    workspace.write_config(folder, workspace.read_config(folder))
    return JSONResponse({"rules": len(th), "dropped": sum(v == "" for v in th.values()), "merged": sum(v != "" for v in th.values())})


def _kind(value: Any) -> str:
    kind = str(value or "terms")
    if kind not in verification.FILES:
        raise HTTPException(400, "thesaurus kind must be terms or maps")
    return kind


async def thesaurus_download(request: Request) -> Response:
    proj, folder = _project(request)
    name = verification.FILES[_kind(request.query_params.get("kind"))]
    path = folder / name
    text = path.read_text(encoding="utf-8") if path.exists() else "label\treplace by\n"
    return Response(text, media_type="text/plain; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def thesaurus_upload(request: Request) -> Response:
    form = await checked_form(request)
    proj, folder = _project(request)
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read"):
        return _back(f"/p/{proj['id']}/terms?error=choose+a+thesaurus+file")
    data = await upload.read()
    from bibliomap.text.thesaurus import ThesaurusError

    try:
        verification.save_uploaded(folder, data, workspace.safe_filename(upload.filename or "thesaurus.txt"), _kind(form.get("kind")))
    except ThesaurusError as exc:
        from urllib.parse import quote

        return _back(f"/p/{proj['id']}/terms?error=" + quote(str(exc)))
    workspace.write_config(folder, workspace.read_config(folder))
    return _back(f"/p/{proj['id']}/terms")


# --- run ------------------------------------------------------------------------------

def _job_view(store: Store, job: dict[str, Any]) -> dict[str, Any]:
    from bibliomap.report.pipeline import STEPS

    steps = store.steps(job["id"])
    final = job["status"] in FINAL
    titles = [title for _, title, _ in STEPS] + ["Report"]
    pending = [] if final else titles[len(steps):]
    return {**job, "steps": steps, "pending": pending, "total": len(titles), "final": final}


async def run_page(request: Request) -> Response:
    proj, folder = _project(request)
    _, store, sched = _state(request)
    jobs = [_job_view(store, j) for j in reversed(store.jobs(proj["id"])[-20:])]  # the last 20 runs
    queue = [j for j in store.jobs(status=("queued", "running")) if j["project_id"] != proj["id"]]
    names = {p["id"]: p["name"] for p in store.projects()}
    return page(request, "run.html.j2", project=proj, jobs=jobs, tab="run", busy=sched.busy(proj["id"]),
                queue=[{**j, "project": names.get(j["project_id"], "?")} for j in queue], slots=sched.slots,
                has_files=bool(workspace.uploads(folder)))


async def start_run(request: Request) -> Response:
    await checked_form(request)
    proj, _ = _project(request)
    _, _, sched = _state(request)
    if not sched.busy(proj["id"]):
        sched.submit(proj["id"])
    return _back(f"/p/{proj['id']}/run")


async def cancel_run(request: Request) -> Response:
    await checked_form(request)
    proj, _ = _project(request)
    _, store, sched = _state(request)
    job = store.job(int(request.path_params["jid"]))
    if job is None or job["project_id"] != proj["id"]:
        raise HTTPException(404, "no such job")
    if job["status"] not in FINAL:
        sched.cancel(job["id"])
    return _back(f"/p/{proj['id']}/run")


async def job_events(request: Request) -> Response:
    """Server-sent events: the job with its steps whenever they change, until it ends."""
    proj, _ = _project(request)
    _, store, _ = _state(request)
    jid = int(request.path_params["jid"])
    job = store.job(jid)
    if job is None or job["project_id"] != proj["id"]:
        raise HTTPException(404, "no such job")

    async def events():
        last = None
        while True:
            job = store.job(jid)
            if job is None:
                return
            view = _job_view(store, job)
            text = json.dumps(view)
            if text != last:
                last = text
                yield f"data: {text}\n\n"
            if view["final"] or await request.is_disconnected():
                return
            await asyncio.sleep(0.3)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


# --- results --------------------------------------------------------------------------

async def results_page(request: Request) -> Response:
    proj, folder = _project(request)
    return page(request, "results.html.j2", project=proj, files=results.listing(folder), tab="results")


async def report_page(request: Request) -> Response:
    proj, folder = _project(request)
    return page(request, "report.html.j2", project=proj, tab="report", sections=results.sections(),
                has_report=(results.output_dir(folder) / "report.html").exists())


async def table_page(request: Request) -> Response:
    proj, folder = _project(request)
    name = request.path_params["name"]
    table = await run_in_threadpool(results.read_table, folder, name)
    if table is None:
        raise HTTPException(404, "no such table in this project's output")
    header, rows, n = table
    return page(request, "table.html.j2", project=proj, tab="results", name=name, header=header, rows=rows, n=n)


async def output_file(request: Request) -> Response:
    proj, folder = _project(request)
    path = results.resolve_inside(results.output_dir(folder), request.path_params["path"])
    if path is None:
        raise HTTPException(404, "no such file in this project's output")
    headers = {"Content-Security-Policy": OUTPUT_CSP, "X-Content-Type-Options": "nosniff"}
    if request.query_params.get("download"):
        return FileResponse(path, headers=headers, filename=path.name)
    return FileResponse(path, headers=headers)


async def output_zip(request: Request) -> Response:
    proj, folder = _project(request)
    if not (results.output_dir(folder) / "report.html").exists():
        raise HTTPException(404, "no results yet: run the study first")
    path = await run_in_threadpool(results.zip_output, folder)
    return FileResponse(path, filename=f"bibliomap-study-{proj['id']}.zip", media_type="application/zip",
                        background=BackgroundTask(path.unlink, missing_ok=True))


# --- the app --------------------------------------------------------------------------

async def http_error(request: Request, exc: HTTPException) -> Response:
    if "application/json" in request.headers.get("accept", "") or request.method == "PUT":
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return page(request, "error.html.j2", status=exc.status_code, message=exc.detail, code=exc.status_code)


def create_app(workspace_dir: str | Path, token: str | None = None, max_upload: int = GB, slots: int | None = None) -> Starlette:
    """The app over ``workspace_dir``; with ``token``, every request must carry it (see security)."""
    ws = workspace.Workspace(workspace_dir)
    store = Store(ws.database)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        store.mark_interrupted()
        app.state.scheduler.start()
        yield
        app.state.scheduler.stop()

    P = "/p/{pid}"
    routes = [
        Route("/", projects_page),
        Route("/projects", create_project, methods=["POST"]),
        Route(P, lambda r: _back(f"/p/{r.path_params['pid']}/data")),
        Route(P + "/rename", rename_project, methods=["POST"]),
        Route(P + "/duplicate", duplicate_project, methods=["POST"]),
        Route(P + "/delete", delete_page),
        Route(P + "/delete", delete_project, methods=["POST"]),
        Route(P + "/data", data_page),
        Route(P + "/upload", upload, methods=["PUT", "POST"]),
        Route(P + "/uploads/delete", delete_upload, methods=["POST"]),
        Route(P + "/ingest", ingest, methods=["POST"]),
        Route(P + "/settings", settings_page, methods=["GET", "POST"]),
        Route(P + "/terms", terms_page),
        Route(P + "/terms", save_terms, methods=["POST"]),
        Route(P + "/thesaurus.txt", thesaurus_download),
        Route(P + "/thesaurus", thesaurus_upload, methods=["POST"]),
        Route(P + "/run", run_page),
        Route(P + "/run", start_run, methods=["POST"]),
        Route(P + "/jobs/{jid:int}/cancel", cancel_run, methods=["POST"]),
        Route(P + "/jobs/{jid:int}/events", job_events),
        Route(P + "/results", results_page),
        Route(P + "/report", report_page),
        Route(P + "/study.zip", output_zip),
        Route(P + "/tables/{name}", table_page),
        Route(P + "/output/{path:path}", output_file),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, token=token)], lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.state.workspace = ws
    app.state.store = store
    app.state.scheduler = Scheduler(ws, store, slots=slots)
    app.state.csrf = secrets.token_urlsafe(32)
    app.state.max_upload = max_upload
    return app
