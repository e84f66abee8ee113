"""Project folders in the workspace: uploads, the project's study.toml and thesaurus, the study output.

Layout of one project (``projects/<id>/``)::

    uploads/              the export files, under sanitized names
    study.toml            the project's study configuration (what ``bibliomap study --config`` reads)
    thesaurus_terms.txt   the term verification choices, as a VOSviewer thesaurus
    thesaurus_maps.txt    an uploaded VOSviewer thesaurus for the bibliographic maps (optional)
    ingest.json           the last ingest report, with field completeness
    output/               the last study output (report.html, tables, figures, maps)
"""
from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

from bibliomap.report.config import FILE_NAMES, defaults, load_config, to_toml

UPLOADS = "uploads"
CONFIG = "study.toml"
#: The study parameters naming a thesaurus, and the project file each one names (a study's output
#: names its copies the same way, so the project's study.toml and the output's config.toml agree).
THESAURI = FILE_NAMES
TERMS_THESAURUS = THESAURI[("terms", "thesaurus")]
MAPS_THESAURUS = THESAURI[("maps", "thesaurus")]
INGEST = "ingest.json"
OUTPUT = "output"
_PARTIAL = ".partial-"

_UNSAFE = re.compile(r"[^A-Za-z0-9._()+ -]+")


class Workspace:
    """The workspace folder: the state database and one folder per project."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()
        (self.root / "projects").mkdir(parents=True, exist_ok=True)

    @property
    def database(self) -> Path:
        return self.root / "bibliomap-app.sqlite"

    def project_dir(self, pid: int) -> Path:
        return self.root / "projects" / str(int(pid))

    def create(self, pid: int) -> Path:
        """A new project folder with the default study configuration."""
        folder = self.project_dir(pid)
        (folder / UPLOADS).mkdir(parents=True, exist_ok=True)
        write_config(folder, defaults())
        return folder

    def duplicate(self, src: int, dst: int) -> None:
        """Copy uploads, configuration, thesaurus and ingest report (not the study output)."""
        a, b = self.project_dir(src), self.project_dir(dst)
        shutil.copytree(a / UPLOADS, b / UPLOADS, ignore=shutil.ignore_patterns(f"{_PARTIAL}*"), dirs_exist_ok=True)
        for name in (CONFIG, TERMS_THESAURUS, MAPS_THESAURUS, INGEST):
            if (a / name).exists():
                shutil.copy2(a / name, b / name)

    def remove_partial_outputs(self) -> None:
        """After a restart (no job runs): the temporary outputs of interrupted studies go."""
        for folder in (self.root / "projects").iterdir():
            if folder.is_dir():
                remove_partial_outputs(folder)

    def delete(self, pid: int) -> None:
        shutil.rmtree(self.project_dir(pid), ignore_errors=True)


def remove_partial_outputs(folder: Path) -> list[str]:
    """Remove the temporary folders a stopped study left beside its output (``run_study`` writes into
    ``.output.*.tmp`` and keeps the old output as ``.output.old-*`` while swapping); their names.
    An old output whose replacement never arrived is put back, so finished results are never lost."""
    removed = []
    for p in folder.glob(f".{OUTPUT}.old-*"):
        if not (folder / OUTPUT).exists():
            os.replace(p, folder / OUTPUT)
            continue
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p.name)
    for p in folder.glob(f".{OUTPUT}.*.tmp"):
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p.name)
    return sorted(removed)


def safe_filename(name: str) -> str:
    """The last path component of ``name``, reduced to safe characters (no traversal, no hidden file)."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"\.{2,}", ".", _UNSAFE.sub("_", name)).strip(" .")
    name = name.lstrip(".-_ ")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110] + dot + ext[:9]) if dot else name[:120]
    return name or "upload"


def uploads(folder: Path) -> list[Path]:
    """The project's uploaded files, sorted by name (partial uploads excluded)."""
    d = folder / UPLOADS
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir() if p.is_file() and not p.name.startswith("."))


def partial_path(folder: Path, name: str, token: str) -> Path:
    return folder / UPLOADS / f"{_PARTIAL}{token}-{name}"


def write_config(folder: Path, cfg: dict) -> None:
    """Write the project's study.toml; file parameters are stored relative to the project folder."""
    from bibliomap.atomic import write_text

    cfg = {s: dict(v) for s, v in cfg.items()}
    for (section, key), name in THESAURI.items():
        cfg[section][key] = name if (folder / name).exists() else ""
    write_text(folder / CONFIG, to_toml(cfg))


def read_config(folder: Path) -> dict:
    """The project's configuration as ``bibliomap study --config study.toml`` reads it."""
    return load_config(folder / CONFIG)


def export_config(dest: Path) -> None:
    """Write ``dest/study.toml`` for a study output ``dest``: its ``config.toml``, which names the
    thesauri copied beside it, so ``bibliomap study FILES --config dest/study.toml`` runs with exactly
    this configuration and writes this same file as its own ``config.toml``."""
    from bibliomap.atomic import write_bytes

    write_bytes(dest / CONFIG, (dest / "config.toml").read_bytes())
