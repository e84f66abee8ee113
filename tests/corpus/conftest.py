"""Shared fixtures of the corpus tests."""
from __future__ import annotations

import pytest

from bibliomap.io.ingest import expand_paths
from bibliomap.io.read import read_file


@pytest.fixture(scope="session")
def real_references(corpora) -> list[tuple[str, str]]:
    """(reference, the style its reader gave) for every reference of every real file."""
    refs: set[tuple[str, str]] = set()
    for path in expand_paths(sorted(p for p in corpora.iterdir() if p.is_dir())):
        for rec in read_file(path).records:
            style = rec.get("_reference_style") or "generic"
            for r in rec.get("references") or []:
                text = " ".join(str(r).split())
                if text:
                    refs.add((text, style))
    assert len(refs) > 30_000  # the Scopus and WoS exports alone cite that many
    return sorted(refs)
