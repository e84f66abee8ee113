"""A harvest's output while it grows: a ``.part`` file plus a state file, so a run can resume.

Records are appended to ``OUT.part`` page by page; after each page the state file
``OUT.state.json`` records the next cursor and the byte length of the part file. A
resumed run cuts the part file back to that length (dropping a page half written
when the run stopped) and continues from that cursor, so no record is written twice
or lost. When the harvest ends, the part file is renamed onto ``OUT`` (a complete
file appears at once, never a partial one under the final name) and the state file
is removed. The raw pages cached beside the output (``OUT.cache/``) serve a resumed
run; a fresh run clears them, so it asks the API afresh.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bibliomap.harvest.client import HarvestError
from bibliomap.atomic import write_text

STATE_VERSION = 1


def part_path(out: Path) -> Path:
    return out.with_name(out.name + ".part")


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".state.json")


def cache_path(out: Path) -> Path:
    return out.with_name(out.name + ".cache")


def lock_path(out: Path) -> Path:
    return out.with_name(out.name + ".lock")


class ResumableOutput:
    """The part file and state of one harvest into ``out`` (see the module docstring)."""

    def __init__(self, out: str | Path, source: str, query: dict[str, Any]) -> None:
        self.out = Path(out)
        self.source = source
        self.query = query
        self.part = part_path(self.out)
        self.state_file = state_path(self.out)
        self.cursor: str | None = None
        self.pages = 0
        self.records = 0
        self.total: int | None = None
        self.info: dict[str, Any] = {}
        self.resumed = False
        self.saved_at: float | None = None  # when the state was last saved (epoch seconds)
        self._lock: Any = None

    def open(self) -> None:
        """Resume from the state file when there is one for this query; otherwise start afresh."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        state = self._read_state()
        if state is None:
            self.part.write_bytes(b"")
            self.clear_cache()  # a new run asks the API afresh
            return
        if state.get("source") != self.source or state.get("query") != self.query:
            raise HarvestError(
                f"{self.state_file}: an unfinished harvest of another query ({state.get('source')}: "
                f"{json.dumps(state.get('query'), ensure_ascii=False)}) writes to {self.out}; "
                "finish it with its own command, or delete the state file to start this one"
            )
        size = int(state.get("bytes", 0))
        if not self.part.exists() or self.part.stat().st_size < size:
            raise HarvestError(
                f"{self.part}: shorter than the {size} bytes its state file {self.state_file} records; "
                "delete both files to start the harvest again"
            )
        with open(self.part, "r+b") as fh:
            fh.truncate(size)  # drop a page half written when the run stopped
        self.cursor = state.get("cursor")
        self.pages = int(state.get("pages", 0))
        self.records = int(state.get("records", 0))
        self.total = state.get("total")
        self.info = dict(state.get("info") or {})
        self.saved_at = state.get("saved_at")
        self.resumed = True

    def _acquire_lock(self) -> None:
        """Hold an exclusive lock on OUT.lock while harvesting (released when the process ends, however it ends)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            return
        fh = open(lock_path(self.out), "a")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.close()
            raise HarvestError(f"{self.out}: another harvest is writing this file right now ({lock_path(self.out)} is locked)") from exc
        self._lock = fh

    def clear_cache(self) -> None:
        """Forget the raw pages cached beside the output (their cursors are no longer valid)."""
        shutil.rmtree(cache_path(self.out), ignore_errors=True)

    def close(self) -> None:
        """Release the lock (the part and state files stay for a resume)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _read_state(self) -> dict[str, Any] | None:
        if not self.state_file.exists():
            return None
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HarvestError(f"{self.state_file}: unreadable harvest state ({exc}); delete it to start again") from exc
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise HarvestError(f"{self.state_file}: not a bibliomap harvest state (version {STATE_VERSION}); delete it to start again")
        return state

    def append(self, chunk: str, n_records: int, next_cursor: str | None) -> None:
        """Append one page's records durably, then record the new position."""
        data = chunk.encode("utf-8")
        with open(self.part, "ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        self.records += n_records
        self.pages += 1
        self.cursor = next_cursor
        self.save()

    def save(self) -> None:
        """Write the state file atomically."""
        state = {
            "version": STATE_VERSION,
            "source": self.source,
            "query": self.query,
            "cursor": self.cursor,
            "pages": self.pages,
            "records": self.records,
            "bytes": self.part.stat().st_size if self.part.exists() else 0,
            "total": self.total,
            "info": self.info,
            "saved_at": time.time(),
        }
        write_text(self.state_file, json.dumps(state, indent=1, ensure_ascii=False) + "\n")

    def finish(self) -> None:
        """Move the complete part file onto the output and forget the state."""
        os.replace(self.part, self.out)
        with contextlib.suppress(OSError):
            self.state_file.unlink()
        with contextlib.suppress(OSError):
            lock_path(self.out).unlink()
        self.close()
