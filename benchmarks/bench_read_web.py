"""Read speed of the web-export readers: records per second for each real file of their formats.

Run: python benchmarks/bench_read_web.py
Small files are read repeatedly until at least MIN_SECONDS have passed. The JSON readers
have no real file in the corpora, so they are timed on the test fixtures replicated into
one larger temporary file (labelled "synthetic").
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bibliomap.io.read import read_file

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
FIXTURES = ROOT / "tests" / "fixtures" / "web"
DIRS = ("openalex-csv", "lens-csv", "ieee-csv", "springer-csv", "demo")
MIN_SECONDS = 1.0


def bench(path: Path, label: str) -> None:
    runs, records, start = 0, 0, time.perf_counter()
    while True:
        res = read_file(path)
        if res.error:
            print(f"{label}: ERROR {res.error}")
            return
        runs += 1
        records += len(res.records)
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS:
            break
    print(
        f"{label:<45} {res.format:<16} {len(res.records):>6} records x {runs:>4} runs"
        f"  {records / elapsed:>10,.0f} records/s"
    )


def _synthetic(tmp: Path) -> list[tuple[Path, str]]:
    out = []
    work = json.loads((FIXTURES / "openalex_work.json").read_text(encoding="utf-8"))
    jsonl = tmp / "openalex_5000.jsonl"
    jsonl.write_text("".join(json.dumps(work) + "\n" for _ in range(5000)), encoding="utf-8")
    out.append((jsonl, "synthetic openalex_5000.jsonl"))
    page = tmp / "openalex_page_5000.json"
    page.write_text(json.dumps({"meta": {"count": 5000}, "results": [work] * 5000}), encoding="utf-8")
    out.append((page, "synthetic openalex_page_5000.json"))
    item = json.loads((FIXTURES / "crossref_work.json").read_text(encoding="utf-8"))["message"]
    cr = tmp / "crossref_5000.json"
    cr.write_text(json.dumps({"message-type": "work-list", "message": {"items": [item] * 5000}}), encoding="utf-8")
    out.append((cr, "synthetic crossref_5000.json"))
    dim = (FIXTURES / "dimensions_mapping.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    big = tmp / "dimensions_3000.csv"
    big.write_text("".join(dim[:2]) + "".join(dim[2:5]) * 1000, encoding="utf-8")
    out.append((big, "synthetic dimensions_3000.csv"))
    return out


def main() -> int:
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA}", file=sys.stderr)
        return 2
    for d in DIRS:
        for path in sorted((CORPORA / d).glob("*.csv")):
            bench(path, f"{d}/{path.name}")
    with tempfile.TemporaryDirectory() as tmp:
        for path, label in _synthetic(Path(tmp)):
            bench(path, label)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
