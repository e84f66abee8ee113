"""The web app: one Starlette application over a workspace; the pages live in ``bibliomap.app.views``.

Every handler only composes the app's modules and the library; pages are Jinja2 templates
with autoescaping, so user text (project names, file names, labels) is always inert text.
"""
from __future__ import annotations

import contextlib
import secrets
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bibliomap.app import ingesting, searching, workspace
from bibliomap.app.jobs import Scheduler
from bibliomap.app.security import Guard
from bibliomap.app.store import Store
from bibliomap.app.views import data, projects, results, runs, search, settings, terms
from bibliomap.app.web import HERE, page, see_other

GB = 1 << 30


async def http_error(request: Request, exc: HTTPException) -> Response:
    if "application/json" in request.headers.get("accept", "") or request.method == "PUT":
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return page(request, "error.html.j2", status=exc.status_code, message=exc.detail, code=exc.status_code)


async def project_home(request: Request) -> Response:
    return see_other(f"/p/{request.path_params['pid']}/data")


def routes() -> list:
    P = "/p/{pid}"
    return [
        Route("/", projects.projects_page),
        Route("/projects", projects.create_project, methods=["POST"]),
        Route(P, project_home),
        Route(P + "/rename", projects.rename_project, methods=["POST"]),
        Route(P + "/duplicate", projects.duplicate_project, methods=["POST"]),
        Route(P + "/delete", projects.delete_page),
        Route(P + "/delete", projects.delete_project, methods=["POST"]),
        Route(P + "/data", data.data_page),
        Route(P + "/upload", data.upload, methods=["PUT", "POST"]),
        Route(P + "/uploads/delete", data.delete_upload, methods=["POST"]),
        Route(P + "/ingest", data.ingest, methods=["POST"]),
        Route(P + "/ingest/status", data.ingest_status),
        Route(P + "/search", search.search_page),
        Route(P + "/search", search.start_search, methods=["POST"]),
        Route(P + "/searches/{sid:int}", search.search_status),
        Route(P + "/settings", settings.settings_page, methods=["GET", "POST"]),
        Route(P + "/terms", terms.terms_page),
        Route(P + "/terms", terms.save_terms, methods=["POST"]),
        Route(P + "/thesaurus.txt", terms.thesaurus_download),
        Route(P + "/thesaurus", terms.thesaurus_upload, methods=["POST"]),
        Route(P + "/run", runs.run_page),
        Route(P + "/run", runs.start_run, methods=["POST"]),
        Route(P + "/jobs/{jid:int}/cancel", runs.cancel_run, methods=["POST"]),
        Route(P + "/jobs/{jid:int}/events", runs.job_events),
        Route(P + "/results", results.results_page),
        Route(P + "/results/tables/{key}.{fmt}", results.table_download),
        Route(P + "/results/maps/{name}", results.map_viewer),
        Route(P + "/results/{sid}", results.section_page),
        Route(P + "/report", results.report_page),
        Route(P + "/study.zip", results.output_zip),
        Route(P + "/tables/{name}", results.table_page),
        Route(P + "/output/{path:path}", results.output_file),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]


def _warm_up() -> None:
    """Import what the Results pages need (the map viewer, pandas) while the server idles, so that
    the first map shown does not wait seconds for the imports."""
    import bibliomap.io.vosviewer  # noqa: F401
    import bibliomap.viz.viewer  # noqa: F401


def create_app(workspace_dir: str | Path, token: str | None = None, max_upload: int = GB, slots: int | None = None) -> Starlette:
    """The app over ``workspace_dir``; with ``token``, every request must carry it (see security)."""
    ws = workspace.Workspace(workspace_dir)
    store = Store(ws.database)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        store.mark_interrupted()
        ws.remove_partial_outputs()
        searching.remove_work_folders(ws.root / "projects")
        app.state.scheduler.start()
        threading.Thread(target=_warm_up, name="bibliomap-warm-up", daemon=True).start()
        yield
        app.state.scheduler.stop()

    app = Starlette(routes=routes(), middleware=[Middleware(Guard, token=token)], lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.state.workspace = ws
    app.state.store = store
    app.state.scheduler = Scheduler(ws, store, slots=slots)
    app.state.csrf = secrets.token_urlsafe(32)
    app.state.max_upload = max_upload
    app.state.ingests = ingesting.IngestRuns()
    return app
