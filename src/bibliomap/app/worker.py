"""What a job process runs: the project's study via ``run_study``, its progress written to the store.

The process is started with the ``spawn`` method by the scheduler. SIGTERM (cancel) becomes
SystemExit, so ``run_study`` removes its temporary folder and the previous output stays
intact; if the server dies, the process notices its parent is gone and stops the same way.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import traceback
from pathlib import Path

from bibliomap.app import sections
from bibliomap.app.store import Store
from bibliomap.app.workspace import OUTPUT, export_config, read_config, remove_partial_outputs, uploads


class Cancelled(SystemExit):
    """The job was cancelled (SIGTERM) or its server went away."""


_cancel = threading.Event()


def _on_term(signum, frame):  # noqa: ARG001
    _cancel.set()  # remembered: code inside a step (a compiler, say) may swallow the exception below
    raise Cancelled(1)


_orphaned = threading.Event()
#: Seconds an orphaned job gets to stop cleanly (a step inside a long C call sees SIGTERM only after it).
GRACE = 10.0


def _watch_parent(parent: int, store: Store, job_id: int, folder: Path) -> None:
    """Stop this process when the server that started it is gone (killed without a chance to stop us):
    SIGTERM first, so ``run_study`` removes its temporary folder; if that does not end it in time,
    remove the temporary output here and exit."""
    while os.getppid() == parent:
        time.sleep(0.5)
    _orphaned.set()
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE)
    remove_partial_outputs(folder)
    store.finish_job(job_id, "interrupted", "the server stopped before the job finished; the previous results are unchanged")
    for helper in multiprocessing.active_children():  # the study's background worker would wait for work forever
        helper.kill()
    os._exit(1)


def run_job(database: str, job_id: int, project_dir: str, parent: int) -> None:
    """Run the study of ``project_dir`` and record each step, then the job's final status."""
    if hasattr(os, "setpgrp"):  # a group of its own: the server can end this job with its helpers (jobs.Scheduler.stop)
        os.setpgrp()
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the server's terminal: the server stops us (SIGTERM)
    store = Store(database)
    folder = Path(project_dir)
    threading.Thread(target=_watch_parent, args=(parent, store, job_id, folder), daemon=True).start()
    store.set_job(job_id, status="running", started=time.time(), pid=os.getpid())
    seq = 0

    def progress(rec) -> None:
        nonlocal seq
        seq += 1
        store.add_step(job_id, seq, rec.name, rec.title, rec.status, round(rec.seconds, 3), rec.message)
        if _cancel.is_set():  # a cancel that a step swallowed still stops the study after that step
            raise Cancelled(1)

    try:
        from bibliomap.report.pipeline import run_study

        files = uploads(folder)
        if not files:
            raise RuntimeError("no uploaded files: add export files on the Data page")
        cfg = read_config(folder)
        ctx = run_study(files, folder / OUTPUT, cfg, progress=progress)
        export_config(folder / OUTPUT)
        sections.save(ctx.results["report_results"], folder / OUTPUT, cfg["study"]["lang"])
        store.set_records(store.job(job_id)["project_id"], len(ctx.corpus))
        done = sum(s.status == "done" for s in ctx.steps)
        store.finish_job(job_id, "done", f"{done} of {len(ctx.steps)} steps done; {len(ctx.corpus)} documents analysed")
    except Cancelled:
        remove_partial_outputs(folder)  # whatever a stopped study left beside the output (the previous output stays)
        if _orphaned.is_set():
            store.finish_job(job_id, "interrupted", "the server stopped before the job finished; the previous results are unchanged")
        else:
            store.finish_job(job_id, "cancelled", "cancelled; the previous results are unchanged")
    except Exception as exc:  # noqa: BLE001 - the error is shown on the run page, the project stays usable
        store.finish_job(job_id, "failed", f"{type(exc).__name__}: {exc}")
        traceback.print_exc()
