"""Figure files written later: the vector copies (SVG, PDF) of a study's figures, written after
the report has what it shows.

The report and report.docx embed a figure's PNG; its SVG and PDF are for the author's manuscript
and nobody waits for them. So inside :func:`deferring`, a chart writes its PNG at once and queues
its vector files here, keeping the laid-out figure (and the matplotlib settings it was drawn
with) in memory; :func:`write_pending` writes them all from those same figure objects, once the
study's process and its background worker are otherwise idle. The PDFs go through one
document (:func:`bibliomap.viz.pdf_pages.write_pdfs`), so their fonts are subset once, not once per
figure (four fifths of a PDF's cost). Each thread holds its own queue (a worker process runs its
jobs in one thread; two studies may run side by side in the threads of one process): the thread
that drew a figure writes its files.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import threading
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import matplotlib

from bibliomap.atomic import atomic_path
from bibliomap.scoped import set_within

_DEFERRED: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("deferred_formats", default=frozenset())


@dataclasses.dataclass
class Pending:
    """One file to write: by ``write()``, or by saving ``figure`` (a matplotlib Figure, or a function
    making it) with ``savefig`` options under the matplotlib settings ``rc``."""

    target: Path
    rc: dict[str, Any]
    write: Callable[[], Any] | None = None
    figure: Any = None
    savefig: dict[str, Any] = dataclasses.field(default_factory=dict)

    def the_figure(self) -> Any:
        return self.figure() if callable(self.figure) else self.figure

    def save(self) -> None:
        """Write this file on its own."""
        with matplotlib.rc_context(self.rc):
            if self.write is not None:
                self.write()
                return
            with atomic_path(self.target) as tmp:
                self.the_figure().savefig(tmp, **self.savefig)


_LOCAL = threading.local()


def _queue() -> list[Pending]:
    """The files queued by this thread, oldest first."""
    if not hasattr(_LOCAL, "queue"):
        _LOCAL.queue = []
    return _LOCAL.queue


def deferring(formats: Collection[str]) -> contextlib.AbstractContextManager:
    """Inside, files of the ``formats`` (such as 'svg', 'pdf') are queued by :func:`later`, not written."""
    return set_within(_DEFERRED, frozenset(formats))


def _deferred(target: Path) -> bool:
    return Path(target).suffix.lstrip(".").lower() in _DEFERRED.get()


def later(target: Path, write: Callable[[], Any]) -> bool:
    """Queue ``write()`` (which writes ``target``) when ``target``'s format is deferred now; whether it was queued."""
    if not _deferred(target):
        return False
    _queue().append(Pending(Path(target), dict(matplotlib.rcParams), write=write))
    return True


def later_figure(target: Path, figure: Any, savefig: dict[str, Any], rc: dict[str, Any] | None = None) -> bool:
    """Queue saving ``figure`` (or what the function ``figure`` returns) to ``target`` with the
    ``savefig`` options (format included) under the current matplotlib settings updated by ``rc``,
    when ``target``'s format is deferred now; whether it was queued."""
    if not _deferred(target):
        return False
    _queue().append(Pending(Path(target), {**matplotlib.rcParams, **(rc or {})}, figure=figure, savefig=dict(savefig)))
    return True


def pending() -> list[Path]:
    """The files queued in this thread and not written yet."""
    return [p.target for p in _queue()]


def write_pending() -> list[Path]:
    """Write every file queued in this thread and return them; a file that fails is left out and
    the others written, then one error names them all."""
    from bibliomap.viz.pdf_pages import write_pdfs

    queue = list(_queue())
    _queue().clear()
    pdfs = [p for p in queue if p.write is None and p.savefig.get("format") == "pdf"]
    written, failed = save_each([p for p in queue if not any(p is q for q in pdfs)])
    if len(pdfs) > 1:
        try:
            written += write_pdfs(pdfs)
            pdfs = []
        except Exception:  # noqa: BLE001 - a figure the shared document cannot take: each PDF on its own
            pass
    done, errors = save_each(pdfs)
    written += done
    failed += errors
    if failed:
        raise RuntimeError(f"{len(failed)} figure file(s) not written: " + "; ".join(failed))
    return written


def save_each(pending: list[Pending]) -> tuple[list[Path], list[str]]:
    """Write each file on its own: the files written and a line per file that failed."""
    written, failed = [], []
    for p in pending:
        try:
            p.save()
        except Exception as exc:  # noqa: BLE001 - one figure must not cost the others
            failed.append(f"{p.target.name}: {type(exc).__name__}: {exc}")
        else:
            written.append(p.target)
    return written, failed
