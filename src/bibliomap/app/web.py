"""What every page shares: rendering a template, the app's state, the project of the URL, small form helpers."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from bibliomap import __version__
from bibliomap.i18n import _ as i18n_message
from bibliomap.app import workspace
from bibliomap.app.jobs import Scheduler
from bibliomap.app.store import Store

HERE = Path(__file__).parent
PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'"

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else ""


_env.filters["when"] = _when
_env.globals["_"] = i18n_message  # the report's catalogue, in the language set around a render (the Results pages)
_env.filters["pct"] = lambda v: f"{100 * float(v):.0f}%"


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(csrf=request.app.state.csrf, version=__version__, request=request, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


def app_state(request: Request) -> tuple[workspace.Workspace, Store, Scheduler]:
    s = request.app.state
    return s.workspace, s.store, s.scheduler


def current_project(request: Request) -> tuple[dict[str, Any], Path]:
    ws, store, _ = app_state(request)
    try:
        pid = int(request.path_params["pid"])
    except ValueError:
        raise HTTPException(404, "no such project") from None
    proj = store.project(pid)
    if proj is None:
        raise HTTPException(404, "no such project")
    return proj, ws.project_dir(pid)


def name_field(form, field: str = "name") -> str:
    name = " ".join(str(form.get(field) or "").split())[:200]
    if not name:
        raise HTTPException(400, "a project needs a name")
    return name


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
