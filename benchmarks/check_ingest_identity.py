"""Fingerprint of ingesting every real corpus file, to prove a speed-up changes nothing.

``--save FILE`` writes the fingerprints (sha256 per column of ``to_pylist`` JSON, plus the
ingest report) of ``bibliomap.read(file)`` for every file under shared/corpora, one file
at a time; ``--check FILE`` recomputes them and prints every file/column that differs
(exit status 1 when any does).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import bibliomap
from bibliomap.io.ingest import expand_paths

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def fingerprints(root: Path) -> dict[str, dict[str, str]]:
    """File (relative to ``root``) -> column or 'ingest_report' -> sha256."""
    out: dict[str, dict[str, str]] = {}
    for f in expand_paths([str(p) for p in sorted(root.iterdir()) if p.is_dir()]):
        corpus = bibliomap.read(f)
        table = corpus.table
        fp = {name: _digest(table.column(name).to_pylist()) for name in table.column_names}
        report = json.loads(json.dumps(corpus.ingest_report, default=str))
        fp["ingest_report"] = _digest(report)
        fp["rows"] = str(table.num_rows)
        out[str(f.relative_to(root))] = fp
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", help="write fingerprints to this JSON file")
    g.add_argument("--check", help="compare against fingerprints saved in this JSON file")
    ap.add_argument("--root", default=str(CORPORA), help="corpora folder")
    args = ap.parse_args()
    now = fingerprints(Path(args.root))
    if args.save:
        Path(args.save).write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"saved fingerprints of {len(now)} files to {args.save}")
        return 0
    before = json.loads(Path(args.check).read_text())
    diffs = []
    for f in sorted(set(before) | set(now)):
        a, b = before.get(f, {}), now.get(f, {})
        for col in sorted(set(a) | set(b)):
            if a.get(col) != b.get(col):
                diffs.append(f"{f}: {col}")
    for d in diffs:
        print("DIFFERS", d)
    print(f"{len(now)} files checked, {len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
