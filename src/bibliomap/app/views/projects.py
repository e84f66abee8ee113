"""Projects page: create, rename, duplicate, delete with confirmation; the list with record counts and last run."""
from __future__ import annotations


from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bibliomap.app.security import checked_form
from bibliomap.app.web import app_state, current_project, name_field, page, see_other


async def projects_page(request: Request) -> Response:
    _, store, _ = app_state(request)
    return page(request, "projects.html.j2", projects=store.projects())


async def create_project(request: Request) -> Response:
    form = await checked_form(request)
    ws, store, _ = app_state(request)
    pid = store.add_project(name_field(form))
    ws.create(pid)
    return see_other(f"/p/{pid}/data")


async def rename_project(request: Request) -> Response:
    form = await checked_form(request)
    proj, _ = current_project(request)
    app_state(request)[1].rename_project(proj["id"], name_field(form))
    return see_other("/")


async def duplicate_project(request: Request) -> Response:
    await checked_form(request)
    proj, _ = current_project(request)
    ws, store, _ = app_state(request)
    pid = store.add_project(f"{proj['name']} (copy)")
    ws.create(pid)
    await run_in_threadpool(ws.duplicate, proj["id"], pid)
    store.set_records(pid, proj["records"])
    return see_other("/")


async def delete_page(request: Request) -> Response:
    proj, _ = current_project(request)
    return page(request, "delete.html.j2", project=proj)


async def delete_project(request: Request) -> Response:
    await checked_form(request)
    proj, _ = current_project(request)
    ws, store, sched = app_state(request)
    for job in store.jobs(proj["id"], status=("queued", "running")):
        await run_in_threadpool(sched.cancel, job["id"], 30.0)  # its process must not write into the removed folder
    store.delete_project(proj["id"])
    await run_in_threadpool(ws.delete, proj["id"])
    return see_other("/")
