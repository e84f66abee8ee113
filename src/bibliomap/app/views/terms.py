"""Term verification page and the project's thesauri (download, upload)."""
from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bibliomap.app import verification, workspace
from bibliomap.app.security import check_csrf, checked_form
from bibliomap.app.web import current_project, page, see_other


async def terms_page(request: Request) -> Response:
    proj, folder = current_project(request)
    rows = await run_in_threadpool(verification.rows, folder)
    return page(request, "terms.html.j2", project=proj, rows=rows, tab="terms",
                n_rules=len(verification.thesaurus(folder)), n_map_rules=len(verification.thesaurus(folder, "maps")),
                error=request.query_params.get("error", ""))


async def save_terms(request: Request) -> Response:
    check_csrf(request, None)
    proj, folder = current_project(request)
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
    proj, folder = current_project(request)
    name = verification.FILES[_kind(request.query_params.get("kind"))]
    path = folder / name
    text = path.read_text(encoding="utf-8") if path.exists() else "label\treplace by\n"
    return Response(text, media_type="text/plain; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def thesaurus_upload(request: Request) -> Response:
    form = await checked_form(request)
    proj, folder = current_project(request)
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read"):
        return see_other(f"/p/{proj['id']}/terms?error=choose+a+thesaurus+file")
    data = await upload.read()
    from bibliomap.text.thesaurus import ThesaurusError

    try:
        verification.save_uploaded(folder, data, workspace.safe_filename(upload.filename or "thesaurus.txt"), _kind(form.get("kind")))
    except ThesaurusError as exc:
        from urllib.parse import quote

        return see_other(f"/p/{proj['id']}/terms?error=" + quote(str(exc)))
    workspace.write_config(folder, workspace.read_config(folder))
    return see_other(f"/p/{proj['id']}/terms")
