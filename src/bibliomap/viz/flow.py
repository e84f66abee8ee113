"""The record flow of a study as a PRISMA-style diagram: files -> merged -> duplicates removed -> rejected -> analysed.

Drawn with matplotlib from the ingest report (``Corpus.ingest_report``): one box per input
file on top, the main flow down the middle and what left it (duplicates, rejected records
with their most frequent reasons) in boxes to the right, joined by arrows.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from bibliomap.i18n import _
from bibliomap.viz.charts import _style, save_figure

_EDGE = "#1f3b57"
_FILL = "#eef3f8"
_OUT_FILL = "#fbf1e4"
_MAX_FILES = 6
_PAD = 0.01  # the rounded boxes' padding, outside their nominal width


def _box(ax, x: float, y: float, w: float, h: float, text: str, fill: str = _FILL) -> None:
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=f"round,pad={_PAD},rounding_size=0.015",
                                linewidth=1.0, edgecolor=_EDGE, facecolor=fill))
    ax.text(x, y, text, ha="center", va="center", fontsize=7.5, color="#222222")


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, linewidth=1.0, color=_EDGE))


def _file_label(f: dict[str, Any]) -> str:
    name = Path(str(f.get("path", ""))).name
    name = name if len(name) <= 24 else name[:23] + "\u2026"
    return f"{name}\n{f.get('format', '')}\nn = {f.get('read', 0)}"


def _reasons(files: list[dict[str, Any]], n: int = 2) -> list[str]:
    counts = Counter(str(r.get("reason", "")).split(":")[0][:40] for f in files for r in f.get("rejected", []))
    return [f"{reason} ({k})" for reason, k in counts.most_common(n) if reason]


def file_boxes(n: int) -> list[tuple[float, float]]:
    """(centre, nominal width) of the boxes of ``n`` input files across the top (axes fraction),
    each narrower than its slot by a gap and the rounded boxes' padding, so neighbours never touch."""
    slot = 0.9 / max(n, 1)
    width = min(slot, 0.3) * 0.88 - 2 * _PAD
    return [(0.05 + slot * (i + 0.5), width) for i in range(n)]


def record_flow_chart(report: dict[str, Any], stem: str | Path) -> list[Path]:
    """Draw the record flow of ``report`` (an ingest report) to ``stem`` in the study's figure formats."""
    files = list(report.get("files", []))
    t = report.get("totals", {})
    read, dup, rej, kept = (int(t.get(k, 0)) for k in ("read", "duplicates", "rejected", "kept"))
    shown = files[:_MAX_FILES]
    if len(files) > len(shown):
        rest = files[len(shown):]
        shown.append({"path": _("{n} more files").format(n=len(rest)), "format": "", "read": sum(int(f.get("read", 0)) for f in rest)})
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(6.5, 4.6))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
        cx, w, h = 0.36, 0.42, 0.1
        ys = [0.66, 0.47, 0.28, 0.09]
        for f, (fx, fw) in zip(shown, file_boxes(len(shown))):
            _box(ax, fx, 0.89, fw, 0.12, _file_label(f))
            _arrow(ax, (fx, 0.83), (cx, ys[0] + h / 2))
        _box(ax, cx, ys[0], w, h, _("Records read and merged\nn = {n} from {k} files").format(n=read, k=len(files)))
        _box(ax, cx, ys[1], w, h, _("After duplicates removed\nn = {n}").format(n=read - dup))
        _box(ax, cx, ys[2], w, h, _("After unusable records rejected\nn = {n}").format(n=read - dup - rej))
        _box(ax, cx, ys[3], w, h, _("Records analysed\nn = {n}").format(n=kept))
        for a, b in zip(ys, ys[1:]):
            _arrow(ax, (cx, a - h / 2), (cx, b + h / 2))
        ox, ow = 0.8, 0.34
        mid1, mid2 = (ys[0] + ys[1]) / 2, (ys[1] + ys[2]) / 2
        _box(ax, ox, mid1, ow, h, _("Duplicates removed\nn = {n}").format(n=dup), _OUT_FILL)
        rejected = _("Records rejected\nn = {n}").format(n=rej)
        reasons = _reasons(files)
        if reasons:
            rejected += "\n" + "\n".join(reasons)
        _box(ax, ox, mid2, ow, h * (1 + 0.35 * len(reasons)), rejected, _OUT_FILL)
        _arrow(ax, (cx, mid1), (ox - ow / 2, mid1))
        _arrow(ax, (cx, mid2), (ox - ow / 2, mid2))
        return save_figure(fig, stem)
