"""Settings page: every study.toml parameter as a form field, checked as ``bibliomap study --config`` checks it."""
from __future__ import annotations


from starlette.requests import Request
from starlette.responses import Response

from bibliomap.app import ingesting, settings, workspace
from bibliomap.app.security import checked_form
from bibliomap.app.web import current_project, page, see_other
from bibliomap.report.config import ConfigError, defaults


async def settings_page(request: Request) -> Response:
    proj, folder = current_project(request)
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
            return see_other(f"/p/{proj['id']}/settings?saved=1")
    try:
        cfg = cfg or workspace.read_config(folder)
    except ConfigError as exc:
        error, cfg = str(exc), defaults()
    report = ingesting.load_report(folder) or {}
    counts = dict(report.get("threshold_counts", {}))
    terms_hist, counting = settings.term_counts(folder)
    if terms_hist:
        counts["terms.min_occurrences"] = {"noun": f"candidate terms (last run, {counting} counting)", "hist": terms_hist}
        counts["terms.keep"] = {"noun": "terms", "hist": terms_hist, "mode": "keep"}
    groups: dict[str, list] = {}
    for f in settings.fields(cfg):
        f["counts"] = counts.get(f"{f['section']}.{f['key']}")
        groups.setdefault(f["section"], []).append(f)
    return page(request, "settings.html.j2", project=proj, groups=groups, error=error, tab="settings",
                saved=request.query_params.get("saved") == "1", status=400 if error else 200)
