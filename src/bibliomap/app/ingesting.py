"""The Data page's ingest: the library's ``ingest`` over the uploads, its report and field completeness.

The report (``ingest.json`` in the project folder) is the library's ingest report plus the
corpus's field completeness and, for each analysis of the study, whether the data supports it.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bibliomap.app.workspace import INGEST, read_config, uploads

#: Share of records a field needs before an analysis runs on it (the study's steps use 5%).
MIN_SHARE = 0.05

#: (analysis, field it needs) for the study's steps that depend on one field.
ANALYSES: list[tuple[str, str]] = [
    ("Citation metrics", "times_cited"),
    ("Annual production and trends", "year"),
    ("Term co-occurrence map (titles)", "title"),
    ("Terms from abstracts", "abstract"),
    ("Author keyword co-occurrence map", "author_keywords"),
    ("Co-authorship of authors", "authors"),
    ("Co-authorship of countries", "countries"),
    ("Most relevant affiliations", "affiliations"),
    ("Most relevant sources, Bradford's law", "source_title"),
    ("Citation, coupling and co-citation maps", "references"),
    ("Merging duplicates by DOI", "doi"),
]


#: share of the progress bar for the library's ingest; the rest is completeness and threshold counts
_INGEST_SHARE = 0.9


def run_ingest(folder: Path, on_progress: Callable[[str, float], None] | None = None) -> dict[str, Any]:
    """Ingest the project's uploads with its settings; write and return the report.
    ``on_progress(message, fraction)`` follows the work (the library's ingest, then the report)."""
    from bibliomap.io.ingest import ingest
    from bibliomap.atomic import write_text

    tell = on_progress or (lambda message, fraction: None)
    files = uploads(folder)
    cfg = read_config(folder)["ingest"]
    corpus = ingest([str(f) for f in files], deduplicate=cfg["deduplicate"], fuzzy_threshold=cfg["fuzzy_threshold"],
                    workers=1, on_progress=lambda message, fraction: tell(message, _INGEST_SHARE * fraction))
    tell("field completeness and map thresholds", _INGEST_SHARE)
    report = dict(corpus.ingest_report)
    for f in report["files"]:
        f["name"] = Path(f["path"]).name
    completeness = corpus.completeness() if len(corpus) else {}
    report["documents"] = len(corpus)
    report["completeness"] = completeness
    report["analyses"] = supported_analyses(completeness)
    report["threshold_counts"] = threshold_counts(corpus) if len(corpus) else {}
    write_text(folder / INGEST, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    tell(f"{len(corpus):,} documents", 1.0)
    return report


class IngestRuns:
    """Ingests running in background threads (one per project at most) and their progress, so the
    Data page can show a determinate bar while a large export is read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[int, dict[str, Any]] = {}

    def start(self, project_id: int, folder: Path, on_done: Callable[[dict[str, Any]], None]) -> bool:
        """Start ingesting ``folder``'s uploads; False when the project's ingest is already running."""
        with self._lock:
            run = self._runs.get(project_id)
            if run is not None and not run["final"]:
                return False
            state = {"message": "starting", "fraction": 0.0, "final": False, "error": None, "started": time.time()}
            self._runs[project_id] = state

        def work() -> None:
            def tell(message: str, fraction: float) -> None:
                with self._lock:
                    state["message"], state["fraction"] = message, round(min(max(fraction, 0.0), 1.0), 4)

            try:
                on_done(run_ingest(folder, tell))
            except Exception as exc:  # noqa: BLE001 - shown on the page; the uploads are untouched
                with self._lock:
                    state["error"] = f"{type(exc).__name__}: {exc}"
            finally:
                with self._lock:
                    state["final"] = True

        threading.Thread(target=work, name=f"bibliomap-ingest-{project_id}", daemon=True).start()
        return True

    def status(self, project_id: int) -> dict[str, Any] | None:
        """A copy of the project's latest ingest state (None when none ran since the server started)."""
        with self._lock:
            run = self._runs.get(project_id)
            return None if run is None else {**run, "elapsed": round(time.time() - run["started"], 1)}

    def forget(self, project_id: int) -> None:
        """Drop a finished run's state (its outcome has been shown)."""
        with self._lock:
            run = self._runs.get(project_id)
            if run is not None and run["final"]:
                del self._runs[project_id]


#: Settings that set a minimum per item of a map, with the unit whose documents per item they bound.
THRESHOLDS = {
    "maps.keyword_min_occurrences": ("author-keywords", "keywords"),
    "maps.author_min_documents": ("authors", "authors"),
    "maps.country_min_documents": ("countries", "countries"),
    "maps.cocitation_min_citations": ("references", "cited references"),
}


def threshold_counts(corpus) -> dict[str, dict[str, Any]]:
    """For each map threshold: how many items have each number of documents (a histogram), so the
    Settings page can say live how many items meet a threshold, as VOSviewer's wizard does."""
    import numpy as np

    from bibliomap.networks.occurrences import occurrences

    out = {}
    for name, (unit, noun) in THRESHOLDS.items():
        per_item = occurrences(corpus, unit).documents_per_item()
        hist = np.bincount(per_item) if per_item.size else np.zeros(1, dtype=np.int64)
        out[name] = {"noun": noun, "hist": {int(k): int(v) for k, v in enumerate(hist) if v}}
    from bibliomap.networks.builders import document_indicators

    cites = document_indicators(corpus)["citations"].astype(np.int64).value_counts()  # coupling: documents by citations
    out["maps.coupling_min_citations"] = {"noun": "documents", "hist": {int(k): int(v) for k, v in sorted(cites.items())}}
    return out


def supported_analyses(completeness: dict[str, float]) -> list[dict[str, Any]]:
    """Each analysis with whether the data supports it and, if not, why."""
    out = []
    for name, field in ANALYSES:
        share = completeness.get(field, 0.0)
        ok = share >= MIN_SHARE
        why = "" if ok else f"only {share:.0%} of the records have {field.replace('_', ' ')} (needs {MIN_SHARE:.0%})"
        out.append({"analysis": name, "field": field, "share": share, "supported": ok, "why": why})
    return out


def load_report(folder: Path) -> dict[str, Any] | None:
    """The last ingest report, with ``stale`` set when the uploads changed since."""
    path = folder / INGEST
    if not path.exists():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    files = uploads(folder)
    read_at = path.stat().st_mtime
    report["stale"] = sorted(f["name"] for f in report["files"]) != [f.name for f in files] or any(f.stat().st_mtime > read_at for f in files)
    return report
