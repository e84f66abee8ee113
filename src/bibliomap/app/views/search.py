"""Search page: harvest records from OpenAlex, Crossref or PubMed into the project's files, with progress."""
from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bibliomap.app import searching
from bibliomap.app.security import checked_form
from bibliomap.app.web import app_state, current_project, page, see_other


def _view(folder, search: dict[str, Any]) -> dict[str, Any]:
    records, total = searching.progress(folder, search)
    cap = json.loads(search["params"]).get("max_records")
    target = total if cap is None or total is None else min(total, cap)
    return {"id": search["id"], "source": searching.SOURCES[search["source"]][0], "query": search["query"],
            "file": search["file"], "status": search["status"], "message": search["message"], "created": search["created"],
            "records": records, "total": total, "target": target, "final": search["status"] != "running"}


def _render(request: Request, proj, folder, values: dict[str, Any], error: str = "", status: int = 200) -> Response:
    store = app_state(request)[1]
    searches = [_view(folder, s) for s in store.searches(proj["id"])[:20]]
    running = any(not s["final"] for s in searches)
    return page(request, "search.html.j2", status=status, project=proj, tab="search", sources=searching.SOURCES,
                values=values, searches=searches, running=running, error=error)


async def search_page(request: Request) -> Response:
    proj, folder = current_project(request)
    last = app_state(request)[1].searches(proj["id"])
    values = {"source": "openalex", "max_records": searching.DEFAULT_MAX, "retries": searching.DEFAULT_RETRIES}
    if last:  # start from the last search (its query, years, address, mirror), never an API key
        values.update(json.loads(last[0]["params"]), source=last[0]["source"], query=last[0]["query"])
    return _render(request, proj, folder, values)


async def start_search(request: Request) -> Response:
    form = await checked_form(request)
    proj, folder = current_project(request)
    store = app_state(request)[1]
    values = {k: form.get(k) or "" for k in ("source", "query", "from_year", "to_year", "max_records", "mailto", "api_url", "retries")}
    try:
        params = searching.parse_form(form)
    except searching.SearchFormError as exc:
        return _render(request, proj, folder, values, error=str(exc), status=400)
    if any(s["status"] == "running" for s in store.searches(proj["id"])):
        return _render(request, proj, folder, values, error="a search of this project is running: wait for it to finish", status=409)
    source, query = params.pop("source"), params.pop("query")
    sid = store.add_search(proj["id"], source, query, json.dumps(params), "")
    store.set_search(sid, file=searching.file_name(source, query, sid))
    searching.start(store, folder, sid, str(form.get("api_key") or "").strip() or None)
    return see_other(f"/p/{proj['id']}/search")


async def search_status(request: Request) -> Response:
    """One search as JSON (the page polls it while the search runs)."""
    proj, folder = current_project(request)
    search = app_state(request)[1].search(int(request.path_params["sid"]))
    if search is None or search["project_id"] != proj["id"]:
        raise HTTPException(404, "no such search")
    return JSONResponse(_view(folder, search), headers={"Cache-Control": "no-store"})
