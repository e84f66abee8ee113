"""Work of the study that needs nothing but its inputs (charts, the workbook), done in a
background process while the other steps run.

A study's charts cost seconds of matplotlib work and its workbook seconds of xlsxwriter work,
all from tables the study already has, so the steps hand them to :class:`BackgroundWork` and
go on; it runs them in one spawned worker process (on a machine with more than one core) and
the study waits for them where it needs their files; while it waits, it runs the jobs the worker
has not started yet itself (the last first), so both cores draw. A job is named as
``"module:function"``, so the study's own process imports the plotting stack only if it comes to
draw; it is called as ``function(*args, **kwargs)`` and returns the file or files it wrote.
"""
from __future__ import annotations

import concurrent.futures as cf
from concurrent.futures.process import BrokenProcessPool
import importlib
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: Formats written for each figure when none are given (a study writes PNG always, SVG and PDF
#: behind the ``[study] svg`` and ``[study] pdf`` switches, both on by default).
PNG_AND_SVG = ("png", "svg")


def figure_formats_of(study: dict[str, Any]) -> tuple[str, ...]:
    """The figure formats the ``[study]`` configuration asks for."""
    return ("png",) + (("svg",) if study.get("svg") else ()) + (("pdf",) if study.get("pdf") else ())


#: The job that writes the figure files a process deferred (:mod:`bibliomap.viz.deferred`): it must run
#: in the worker that drew them, so it is never taken over by the waiting process.
WRITE_DEFERRED = "bibliomap.viz.deferred:write_pending"


def _run(job: str, formats: Sequence[str], lang: str, args: tuple, kwargs: dict, deferred: Sequence[str] = ()) -> list[Path]:
    """Run ``job`` ('module:function') with the study's figure formats and language; the files it wrote
    (or, for the ``deferred`` formats, queued: see :mod:`bibliomap.viz.deferred`)."""
    from bibliomap.i18n import language
    from bibliomap.viz.charts import figure_formats
    from bibliomap.viz.deferred import deferring

    module, function = job.split(":")
    fn: Callable[..., Path | list[Path]] = getattr(importlib.import_module(module), function)
    with figure_formats(formats), language(lang), deferring(deferred):
        written = fn(*args, **kwargs)
    return [written] if isinstance(written, Path) else list(written)


def _warm_up_text(scanner: bool = False) -> None:
    """Tag one sentence and find its noun phrases, so that the tagger's and the noun-phrase
    kernels (and, with ``scanner``, for inputs large enough to use it, the compiled tokenizer's)
    are compiled into numba's cache while the study's first steps run (a first run after
    installing then does not compile them in the study's own process)."""
    from bibliomap.numba_cache import in_numba_cache
    from bibliomap.text import _scanner, nounphrases, tagger
    from bibliomap.text.nounphrases import noun_phrases
    from bibliomap.text.tagger import default_tagger
    from bibliomap.text.tokenize import tokenize, tokenize_compiled

    sentence = ["Music generation from video with deep neural networks."]
    if scanner and not in_numba_cache(_scanner.scan, _scanner.assign_types):
        tokenize_compiled(sentence)
    if in_numba_cache(tagger._decode, nounphrases._runs):  # later runs: loading the tagger here would only
        return                                              # delay the charts queued behind this job
    tokens = tokenize(sentence)
    noun_phrases(tokens, default_tagger().tag_types(tokens.types, tokens.vocabulary, tokens.sentence_starts))
    default_tagger.cache_clear()  # the worker never tags again: its model need not stay in memory


def _warm_up() -> None:
    """Lay out a three-item network, so that the exact layout kernel the maps use is compiled
    into numba's cache, and import the plotting stack."""
    import numpy as np
    import scipy.sparse as sp

    from bibliomap.mapping.layout import layout

    layout(sp.csr_matrix(np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])), seed=0)
    import bibliomap.viz.charts  # noqa: F401
    import bibliomap.viz.trendplots  # noqa: F401


class BackgroundWork:
    """Jobs queued by the study's steps and run in the background; :meth:`wait` collects their files."""

    def __init__(self, formats: Sequence[str] = PNG_AND_SVG, background: bool | None = None, lang: str = "en",
                 deferred: Sequence[str] = ()) -> None:
        self.formats = tuple(formats)
        self.lang = lang
        self.deferred = tuple(deferred)  # formats the jobs queue, to be written by WRITE_DEFERRED in their process
        if background is None:  # a daemonic process (a job of the web app) may not start workers
            background = (os.cpu_count() or 1) > 1 and not multiprocessing.current_process().daemon
        self.background = background
        self._pool: cf.ProcessPoolExecutor | None = None
        self._text_kernels: cf.Future | None = None
        # (name, job, args, kwargs, future or None when run in-process, files or the error)
        self._jobs: list[tuple[str, str, tuple, dict, cf.Future | None, list[Path] | BaseException | None]] = []

    def start(self, large_text: bool = False) -> None:
        """Start the background worker now, so that its imports overlap the study's first steps
        (``large_text``: the inputs are large enough for the compiled tokenizer, see
        :func:`bibliomap.text.tokenize.tokenize`, whose kernels it then compiles too)."""
        if self.background and self._pool is None:
            # spawn, not fork: the study's threads (numba, progress display) must not be copied
            self._pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            try:
                self._text_kernels = self._pool.submit(_warm_up_text, large_text)
                self._pool.submit(_warm_up)
            except (AssertionError, OSError, BrokenProcessPool):  # no worker can start here: work in-process
                self.close()
                self.background = False

    def await_text_kernels(self, timeout: float = 30.0) -> None:
        """Before extracting terms: let the worker finish compiling the text kernels (or loading
        them from the cache), rather than compiling them a second time here."""
        if self._text_kernels is not None:
            try:
                self._text_kernels.result(timeout=timeout)
            except Exception:  # noqa: BLE001 - a failed warm-up only means this process compiles them
                pass
            self._text_kernels = None

    def submit(self, name: str, job: str, *args: Any, **kwargs: Any) -> None:
        """Queue ``job(*args, **kwargs)`` under ``name``, ``job`` a 'module:function' name
        (run now when not in the background)."""
        if self.background:
            self.start()
        if self.background:
            try:
                future = self._pool.submit(_run, job, self.formats, self.lang, args, kwargs, self.deferred)
            except (BrokenProcessPool, AssertionError, OSError):
                self.background = False  # a worker could not start here: run in-process from now on
            else:
                self._jobs.append((name, job, args, kwargs, future, None))
                return
        self._jobs.append((name, job, args, kwargs, None, self._run_here(job, args, kwargs)))

    def _run_here(self, job: str, args: tuple, kwargs: dict) -> list[Path] | BaseException:
        try:
            return _run(job, self.formats, self.lang, args, kwargs, self.deferred)
        except Exception as exc:  # noqa: BLE001 - a job that fails must not fail the study
            return exc

    def wait(self) -> tuple[list[Path], list[str], float]:
        """The files of every job queued so far, a line per job that failed, and the seconds spent waiting.

        A job whose worker died (the process pool broke) is run again in-process.
        """
        t0 = time.perf_counter()
        self._share_the_rest()
        paths: list[Path] = []
        errors: list[str] = []
        for name, job, args, kwargs, future, done in self._jobs:
            if future is not None:
                try:
                    done = future.result()
                except BrokenProcessPool:
                    self.background = False
                    done = self._run_here(job, args, kwargs)
                except Exception as exc:  # noqa: BLE001
                    done = exc
            if isinstance(done, BaseException):
                errors.append(f"{name}: {type(done).__name__}: {done}")
            else:
                paths += done
        self._jobs.clear()
        return paths, errors, time.perf_counter() - t0

    def _share_the_rest(self) -> None:
        """While waiting, run here the queued jobs the worker has not started, the last first, so
        the two processes meet in the middle instead of this one idling (two cores, not one)."""
        while True:
            for i in range(len(self._jobs) - 1, -1, -1):
                name, job, args, kwargs, future, _done = self._jobs[i]
                if future is not None and job != WRITE_DEFERRED and future.cancel():
                    self._jobs[i] = (name, job, args, kwargs, None, self._run_here(job, args, kwargs))
                    break
            else:
                return

    def close(self) -> None:
        """Stop the worker (queued jobs not yet run are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
