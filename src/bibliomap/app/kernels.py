"""The compiled kernel that reading cited references needs, made ready when the app starts.

Reading an export with cited references (Scopus, Web of Science) keys every reference with a
numba kernel (:func:`bibliomap.corpus.references.reference_keys_array`). Numba caches it on
disk, but the first ingest after installing compiles it: 20-35 s on a loaded two-core
machine, during which an ingest's progress could not move. So the app compiles it at start,
in a process of its own (the server keeps answering), only when numba's cache lacks it; an
ingest started meanwhile waits for that process and says so, with the seconds elapsed,
instead of compiling it a second time.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

#: What an ingest shows while it waits for the compilation.
WAITING = "preparing the reader of cited references (compiled once after installing): {s:.0f} s"


def compile_kernels() -> None:
    """Key two references of each batch style, so the kernel is compiled into numba's cache with the
    argument types an ingest passes (Arrow buffers seen as read-only NumPy arrays)."""
    import pyarrow as pa

    from bibliomap.corpus.references import reference_keys_array

    for style in ("wos", "scopus"):
        reference_keys_array(pa.array(["SMITH J, 2001, NATURE, V1, P1", "Smith, J., Title, (2001) Nature, 1, p. 1"]), style)


def cached() -> bool:
    """Whether numba's cache holds the kernel already (an earlier run compiled it)."""
    from bibliomap.corpus.references import _compiled_scan

    try:
        return os.path.exists(_compiled_scan()._cache._cache_file._index_path)
    except AttributeError:  # numba's cache internals moved: compile it anyway
        return False


class KernelWarmUp:
    """The compiling process (at most one), started by :meth:`start` and waited for by an ingest."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._started = 0.0

    def start(self) -> bool:
        """Compile in the background when the cache lacks the kernel; True when a process was started."""
        if cached():
            return False
        with self._lock:
            if self._proc is None:
                self._started = time.monotonic()
                self._proc = subprocess.Popen([sys.executable, "-c", "from bibliomap.app.kernels import compile_kernels; compile_kernels()"],
                                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True

    def running(self) -> bool:
        with self._lock:
            return self._proc is not None and self._proc.poll() is None

    def wait(self, tell: Callable[[str, float], None], fraction: float = 0.0, every: float = 0.5) -> None:
        """Until the compiling process ends, call ``tell(message, fraction)`` every ``every`` seconds
        with the seconds elapsed (returns at once when none runs)."""
        while self.running():
            tell(WAITING.format(s=time.monotonic() - self._started), fraction)
            time.sleep(every)

    def stop(self) -> None:
        """End the compiling process if it still runs (the server stops)."""
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
