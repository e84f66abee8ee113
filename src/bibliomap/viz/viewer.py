"""The interactive map viewer: one self-contained HTML file (or page fragment) per map.

The map travels as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and
``&`` escaped, the viewer script and style are inlined from ``viz/assets``, and the page's
Content-Security-Policy forbids any network access. The script puts user text into the
page only with ``textContent``, so a label such as ``<img src=x onerror=alert(1)>`` shows
as text and runs nothing.
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from bibliomap.i18n import N_, _, current_language, decimal_mark
from bibliomap.atomic import write_text
from bibliomap.mapping.density import cluster_density, grid_for, item_density
from bibliomap.networks.network import Network
from bibliomap.viz import theme
from bibliomap.viz.theme import cluster_density_rgba, item_density_rgba
from bibliomap.viz.labels import MAX_LABEL_LENGTH
from bibliomap.viz.mapplot import require_coordinates

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
DENSITY_GRID = 300

#: The viewer's own words (controls, legend, hints): the payload carries them in the current
#: language (:mod:`bibliomap.i18n`), the script shows each by its English text.
UI_TEXT = (
    N_("Map"), N_("items"), N_("links"), N_("Search items"), N_("Network"), N_("Overlay"), N_("Density"),
    N_("Item density"), N_("Cluster density"), N_("View"), N_("Score"), N_("Size"), N_("Links"), N_("Curved"),
    N_("Reset view"), N_("Zoom in"), N_("Zoom out"), N_("Map of {n} items; drag to pan, scroll or +/- to zoom"),
    N_("Clusters"), N_("Cluster {n}"), N_("No cluster"), N_("Strongest links ({n})"),
    N_("Hover over an item for details; click to highlight its links."), N_("No item found"),
)
#: VOSviewer's names of weights and scores, shown in the current language (the data keeps them).
MEASURES = (
    N_("Links"), N_("Total link strength"), N_("Occurrences"), N_("Documents"), N_("Citations"), N_("Norm. citations"),
    N_("Avg. pub. year"), N_("Pub. year"), N_("Avg. citations"), N_("Avg. norm. citations"), N_("Cluster confidence"),
)


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("bibliomap.viz").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(obj: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>', '&' or line separators."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _numbers(values: np.ndarray, digits: int | None = None) -> list:
    """A JSON-ready list: whole numbers as ints, NaN as null, optional rounding."""
    v = np.asarray(values, dtype=float)
    if digits is not None:
        v = np.round(v, digits)
    out: list = []
    for f in v.tolist():
        if not math.isfinite(f):
            out.append(None)
        elif f.is_integer() and abs(f) < 2**53:
            out.append(int(f))
        else:
            out.append(f)
    return out


def _text_column(items, col: str) -> list[str] | None:
    if col not in items:
        return None
    return ["" if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v) for v in items[col].tolist()]


def _png_data_uri(rgba: np.ndarray) -> str:
    from PIL import Image

    img = Image.fromarray((np.clip(rgba[::-1], 0, 1) * 255).round().astype(np.uint8), mode="RGBA")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _density_payload(x, y, cluster, weights, kernel_width: float) -> dict:
    span = max(float(np.ptp(x)), float(np.ptp(y))) if len(x) else 0.0
    frame = grid_for(np.column_stack([x, y]), 1.0, DENSITY_GRID, margin=0.15 * span if span > 0 else 1.0)
    grid = item_density(x, y, weights, kernel_width, grid=frame)
    out = {"item": {"png": _png_data_uri(item_density_rgba(grid)), "extent": list(map(float, grid.extent))}}
    cgrid = cluster_density(x, y, cluster, weights, kernel_width, grid=(grid.xs, grid.ys))
    out["cluster"] = {"png": _png_data_uri(cluster_density_rgba(cgrid)), "extent": list(map(float, cgrid.extent))}
    return out


def viewer_data(map_: Network, *, title: str | None = None, max_links: int = 1000, score: str | None = None, curved: bool = True,
                view: str = "network", kernel_width: float = 1.0, density: bool = True, score_range: tuple[float, float] | None = None,
                max_label_length: int = MAX_LABEL_LENGTH) -> dict:
    """The JSON payload the viewer script reads (columns as arrays; links strongest first)."""
    items = map_.items
    n = len(items)
    x = items["x"].to_numpy(float) if "x" in items else np.zeros(n)
    y = items["y"].to_numpy(float) if "y" in items else np.zeros(n)
    cluster = items["cluster"].to_numpy(np.int64) if "cluster" in items else np.zeros(n, np.int64)
    require_coordinates(items, x, y)
    weights = {c[7:-1]: _numbers(items[c].to_numpy(float)) for c in map_.weight_columns()}
    scores = {c[6:-1]: _numbers(items[c].to_numpy(float), 6) for c in map_.score_columns()}
    strength = map_.links["strength"].to_numpy(float)
    order = np.lexsort((np.arange(len(strength)), -strength))
    clusters_df = getattr(map_, "clusters", None)
    names = {}
    if clusters_df is not None and len(clusters_df):
        names = {int(c): str(lab) for c, lab in zip(clusters_df["cluster"], clusters_df["label"])}
    used = sorted({int(c) for c in cluster} - {0})
    score_col = score or theme.default_score_column(map_.score_columns())
    score_name = score_col[6:-1] if score_col and score_col.startswith("score<") else score_col
    if score_name is not None and score_name not in scores:
        raise ValueError(f"no score column {score!r}; the map has {map_.score_columns() or 'no score columns'}")
    from matplotlib import colormaps

    cmap = (colormaps[theme.DEFAULT_SCORE_CMAP](np.linspace(0, 1, 256))[:, :3] * 255).round().astype(int).tolist()
    first_weight = theme.default_weight_column(map_.weight_columns())
    data = {
        "title": title or str(map_.meta.get("title", _("Map"))),
        "decimal_mark": decimal_mark(),  # the page's numbers in its language ("," in Indonesian)
        "text": {m: _(m) for m in UI_TEXT},
        "names": {m: _(m) for m in (*weights, *scores) if m in MEASURES},
        "n": n,
        "id": [int(v) for v in items["id"].tolist()],
        "label": _text_column(items, "label"),
        "description": _text_column(items, "description"),
        "url": _text_column(items, "url"),
        "x": _numbers(x, 6),
        "y": _numbers(y, 6),
        "cluster": [int(c) for c in cluster.tolist()],
        "weights": weights,
        "scores": scores,
        "links": {
            "s": map_.links["source"].to_numpy(np.int64)[order].tolist(),
            "t": map_.links["target"].to_numpy(np.int64)[order].tolist(),
            "w": _numbers(strength[order]),
        },
        "clusters": [{"cluster": c, "label": names.get(c) or _("Cluster {n}").format(n=c), "color": theme.cluster_color(c)} for c in used],
        "palette": list(theme.CLUSTER_PALETTE),
        "no_cluster_color": theme.NO_CLUSTER_COLOR,
        "settings": {
            "size_weight": first_weight[7:-1] if first_weight else None,
            "view": view, "max_links": int(max_links), "curved": bool(curved), "score": score_name,
            "max_label_length": int(max_label_length), "cmap": cmap,
            "score_range": {score_name: [float(score_range[0]), float(score_range[1])]} if (score_range and score_name) else None,
        },
        "density": _density_payload(x, y, cluster, items[first_weight].to_numpy(float) if first_weight else None, kernel_width) if (density and n) else None,
    }
    return data


def viewer_assets_html() -> str:
    """The viewer's <style> and <script> (include once per page; repeated copies are harmless)."""
    return f"<style>{_asset('viewer.css')}</style>\n<script>{_asset('viewer.js')}</script>\n"


def viewer_html(map_: Network, standalone: bool = False, element_id: str | None = None, include_assets: bool = True, **options: Any) -> str:
    """The viewer for one map: a full HTML page (``standalone``) or a <div> + <script> fragment.

    Fragments get element ids derived from ``element_id`` (default: a hash of the map data),
    so several maps can live on one page; pass distinct ids when embedding the same map twice.
    """
    payload = script_json(viewer_data(map_, **options))
    if element_id is None:
        element_id = "bm-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:10]
    if not element_id.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"element_id must be letters, digits, '-' or '_': {element_id!r}")
    prefix = "" if standalone else element_id
    classes = "bm-viewer bm-standalone" if standalone else "bm-viewer"
    block = (
        f'<div id="{element_id}" class="{classes}" data-id-prefix="{prefix}"></div>\n'
        f'<script type="application/json" id="{element_id}-data">{payload}</script>\n'
        f'<script>BibliomapViewer.mountFromPage("{element_id}");</script>\n'
    )
    if not standalone:
        return (viewer_assets_html() if include_assets else "") + block
    title = html.escape(options.get("title") or str(map_.meta.get("title", "Map")))
    return (
        f"<!DOCTYPE html>\n<html lang=\"{current_language()}\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} \u2013 bibliomap</title>\n<link rel=\"icon\" href=\"data:,\">\n"
        f"<style>{_asset('viewer.css')}</style>\n</head>\n<body style=\"margin:0\">\n"
        f"<script>{_asset('viewer.js')}</script>\n{block}</body>\n</html>\n"
    )


def write_viewer(map_: Network, path: str | Path, **options: Any) -> Path:
    """Write the standalone viewer page for ``map_`` to ``path`` (atomically)."""
    write_text(path, viewer_html(map_, standalone=True, **options))
    return Path(path)
