"""The study's output folder: what it may replace, and a swap into place that a crash cannot lose.

A study is written into a temporary folder beside its target and moved into place only when
complete (its ``manifest.json`` is the last file written). The target may be replaced only
when it is absent, an empty folder, or a previous bibliomap study; anything else (a folder
of exports, a regular file) needs ``force``, and a folder holding the study's own inputs or
the working directory is never replaced. The swap renames the old study aside, the new one
in, then removes the old one; a run killed between the renames is repaired by the next run
(:func:`recover`), which also removes temporaries that dead runs left behind.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

MANIFEST = "manifest.json"


class OutputFolderError(Exception):
    """The study cannot be written to the requested place; the message names the path and why."""


def is_study_folder(path: Path) -> bool:
    """True when ``path`` is a folder written by ``bibliomap study`` (its manifest says so)."""
    manifest = Path(path) / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "bibliomap" in data and isinstance(data.get("steps"), list)


def _within(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_output_folder(out_dir: Path, inputs: Iterable[Path] = (), force: bool = False) -> None:
    """Raise :class:`OutputFolderError` when writing a study to ``out_dir`` would destroy what it must not."""
    out_dir = Path(out_dir)
    target = out_dir.resolve()
    if _within(Path.cwd().resolve(), target):
        raise OutputFolderError(f"{out_dir}: is the working folder or contains it; give a new folder for the study")
    for f in inputs:
        if _within(Path(f).resolve(), target):
            raise OutputFolderError(f"{out_dir}: holds the input {f}; the study would replace its own input, give another --out")
    parent = target.parent
    if parent.exists() and not parent.is_dir():
        raise OutputFolderError(f"{out_dir}: {parent} is not a folder")
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if out_dir.is_symlink() or not out_dir.is_dir():
        if not force:
            raise OutputFolderError(f"{out_dir}: exists and is not a folder; the study will not replace it (use --force to replace it)")
        return
    if is_study_folder(out_dir) or not any(out_dir.iterdir()):
        return
    if not force:
        raise OutputFolderError(
            f"{out_dir}: is a folder that is not a bibliomap study (no {MANIFEST} of one); "
            "the study will not replace it (give a new folder, or --force to replace it)"
        )


def make_temporary(out_dir: Path) -> Path:
    """A new temporary folder beside ``out_dir`` (named after this process), with the usual permissions."""
    out_dir = Path(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{os.getpid()}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as exc:
        raise OutputFolderError(f"{out_dir}: cannot write beside it in {out_dir.parent}: {exc.strerror or exc}") from exc
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o777 & ~mask)  # mkdtemp makes 0700; a study folder should follow the umask
    return tmp


def _old_name(out_dir: Path, pid: int) -> Path:
    return out_dir.with_name(f".{out_dir.name}.old-{pid}")


def swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by the complete study in ``tmp``; the old one is removed only after the swap."""
    out_dir = Path(out_dir)
    old = None
    if out_dir.exists() or out_dir.is_symlink():
        old = _old_name(out_dir, os.getpid())
        os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    if old is not None:
        _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out_dir: Path) -> list[str]:
    """Repair what runs that died left beside ``out_dir``; returns a line per thing done.

    A run killed between its two renames left the old study in ``.NAME.old-PID`` and the new
    one, complete, in ``.NAME.PID.*.tmp``: the swap is completed (or, with no complete new one,
    the old study is put back). Temporaries of dead runs are removed.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    name = re.escape(out_dir.name)
    tmp_re = re.compile(rf"^\.{name}\.(\d+)\.[^/]*\.tmp$")
    old_re = re.compile(rf"^\.{name}\.old-(\d+)$")
    tmps: dict[int, list[Path]] = {}
    olds: dict[int, Path] = {}
    for entry in parent.iterdir():
        if m := tmp_re.match(entry.name):
            tmps.setdefault(int(m.group(1)), []).append(entry)
        elif m := old_re.match(entry.name):
            olds[int(m.group(1))] = entry
    done: list[str] = []
    for pid, old in sorted(olds.items()):
        if _alive(pid):
            continue
        if not out_dir.exists():
            complete = [t for t in tmps.get(pid, []) if is_study_folder(t)]
            if complete:
                os.replace(complete[0], out_dir)
                done.append(f"completed the interrupted replacement of {out_dir} by the new study")
                tmps[pid].remove(complete[0])
            else:
                os.replace(old, out_dir)
                done.append(f"restored the previous study in {out_dir}, left aside by an interrupted run")
                continue
        _remove(old)
    for pid, paths in sorted(tmps.items()):
        if _alive(pid):
            continue
        for t in paths:
            _remove(t)
            done.append(f"removed {t.name}, left by an interrupted run")
    return done
