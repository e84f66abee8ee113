"""Data shipped inside the package: the demo corpus (see data/demo/README.md for source and license)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_dir() -> Path:
    """The folder holding the demo corpus export files."""
    return Path(str(resources.files("bibliomap") / "data" / "demo"))


def demo_files() -> list[Path]:
    """Every export file in the demo folder (READMEs and licenses excluded), sorted."""
    from bibliomap.io.ingest import expand_paths

    return expand_paths([demo_dir()])
