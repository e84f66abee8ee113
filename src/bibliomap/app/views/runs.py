"""Run page: start, queue and cancel studies; live progress as server-sent events."""
from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bibliomap.app import workspace
from bibliomap.app.security import checked_form
from bibliomap.app.store import FINAL, Store
from bibliomap.app.web import app_state, current_project, page, see_other


def _job_view(store: Store, job: dict[str, Any]) -> dict[str, Any]:
    from bibliomap.report.pipeline import FINAL_STEPS, STEPS

    steps = store.steps(job["id"])
    final = job["status"] in FINAL
    titles = [title for _, title, _ in STEPS + FINAL_STEPS]
    pending = [] if final else titles[len(steps):]
    return {**job, "steps": steps, "pending": pending, "total": len(titles), "final": final}


async def run_page(request: Request) -> Response:
    proj, folder = current_project(request)
    _, store, sched = app_state(request)
    jobs = [_job_view(store, j) for j in reversed(store.jobs(proj["id"])[-20:])]  # the last 20 runs
    queue = [j for j in store.jobs(status=("queued", "running")) if j["project_id"] != proj["id"]]
    names = {p["id"]: p["name"] for p in store.projects()}
    return page(request, "run.html.j2", project=proj, jobs=jobs, tab="run", busy=sched.busy(proj["id"]),
                queue=[{**j, "project": names.get(j["project_id"], "?")} for j in queue], slots=sched.slots,
                has_files=bool(workspace.uploads(folder)))


async def start_run(request: Request) -> Response:
    await checked_form(request)
    proj, _ = current_project(request)
    _, _, sched = app_state(request)
    if not sched.busy(proj["id"]):
        sched.submit(proj["id"])
    return see_other(f"/p/{proj['id']}/run")


async def cancel_run(request: Request) -> Response:
    await checked_form(request)
    proj, _ = current_project(request)
    _, store, sched = app_state(request)
    job = store.job(int(request.path_params["jid"]))
    if job is None or job["project_id"] != proj["id"]:
        raise HTTPException(404, "no such job")
    if job["status"] not in FINAL:
        sched.cancel(job["id"])
    return see_other(f"/p/{proj['id']}/run")


async def job_events(request: Request) -> Response:
    """Server-sent events: the job with its steps whenever they change, until it ends."""
    proj, _ = current_project(request)
    _, store, _ = app_state(request)
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
