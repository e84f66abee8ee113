"""The job queue: at most ``slots`` studies run at once (one per core by default), each in its own process.

A scheduler thread in the server starts queued jobs when a slot is free and notices
processes that ended without recording a final status (killed): those jobs are marked
failed. Cancelling a queued job just marks it; cancelling a running one sends SIGTERM.

Job processes are not daemonic, so a study may start its own background worker (figures and
workbook, :mod:`bibliomap.report.background`) as on the command line. The server therefore ends
them itself: :meth:`Scheduler.stop` marks them interrupted, sends SIGTERM and waits; a job whose
server was killed outright notices and stops on its own (:mod:`bibliomap.app.worker`).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading

from bibliomap.app.store import Store
from bibliomap.app.workspace import Workspace


#: Seconds a job gets to stop cleanly when the server stops, before it is killed.
STOP_GRACE = 15.0


def _end_group(pgid: int) -> None:
    """Kill what is left of a finished job's process group (nothing, when the job ended normally)."""
    if hasattr(os, "killpg"):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _kill_with_helpers(proc: mp.Process) -> None:
    """Kill a job that did not stop in time, with the helper processes it started (its process group)."""
    try:
        if hasattr(os, "killpg") and os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signal.SIGKILL)
            return
    except (ProcessLookupError, PermissionError):
        pass
    proc.kill()


class Scheduler:
    """Starts queued jobs in spawned processes, up to ``slots`` at a time."""

    def __init__(self, workspace: Workspace, store: Store, slots: int | None = None, interval: float = 0.25) -> None:
        self.workspace = workspace
        self.store = store
        self.slots = max(1, slots or os.cpu_count() or 1)
        self.interval = interval
        self.running: dict[int, mp.Process] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="bibliomap-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the scheduler; running jobs are cancelled and marked interrupted."""
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=5)
        with self._lock:
            for job_id, proc in self.running.items():
                self.store.finish_job(job_id, "interrupted", "the server stopped before the job finished")
                proc.terminate()
            for proc in self.running.values():  # each stops its study (temporary output removed) and its worker
                proc.join(timeout=STOP_GRACE)
                if proc.is_alive():
                    _kill_with_helpers(proc)
                    proc.join(timeout=5)
            self.running.clear()

    def submit(self, project_id: int) -> int:
        job_id = self.store.add_job(project_id)
        self._wake.set()
        return job_id

    def cancel(self, job_id: int, wait: float = 0.0) -> None:
        """Cancel a queued job, or stop a running one (waiting up to ``wait`` seconds for its process to end)."""
        with self._lock:
            proc = self.running.get(job_id)
            if proc is None:
                self.store.finish_job(job_id, "cancelled", "cancelled before it started")
                return
        proc.terminate()
        if wait:
            proc.join(timeout=wait)

    def busy(self, project_id: int) -> bool:
        return bool(self.store.jobs(project_id, status=("queued", "running")))

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._tick()
            except Exception:  # noqa: BLE001 - the scheduler must survive a transient database error
                import traceback

                traceback.print_exc()
            self._wake.wait(self.interval)
            self._wake.clear()

    def _tick(self) -> None:
        with self._lock:
            for job_id, proc in list(self.running.items()):
                if not proc.is_alive():
                    proc.join()
                    del self.running[job_id]
                    _end_group(proc.pid)  # helpers a killed job left behind (its background worker)
                    self.store.finish_job(job_id, "failed", f"the job process ended unexpectedly (exit code {proc.exitcode})")
            free = self.slots - len(self.running)
            if free <= 0:
                return
            for job in self.store.jobs(status=("queued",))[:free]:
                self._launch(job)

    def _launch(self, job: dict) -> None:
        from bibliomap.app.worker import run_job

        folder = self.workspace.project_dir(job["project_id"])
        self.store.set_job(job["id"], status="running")
        ctx = mp.get_context("spawn")
        proc = ctx.Process(target=run_job, args=(str(self.store.path), job["id"], str(folder), os.getpid()),
                           name=f"bibliomap-job-{job['id']}", daemon=False)
        proc.start()
        self.running[job["id"]] = proc
