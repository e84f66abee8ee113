"""Full-study benchmark: `bibliomap study` on 1,000 and 10,000 records, time per step.

Records are real ones (demo IEEE exports and Scopus samples) replicated with perturbed ids,
titles and authors by make_synthetic_corpus.py. Prints the wall time and the manifest's
time per step.

    python benchmarks/bench_study.py                # 1,000 and 10,000 records
    python benchmarks/bench_study.py --sizes 1000
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = ap.parse_args()
    for n in args.sizes:
        data = ROOT / "benchmarks" / "out" / f"study_input_{n}"
        meta = data / "synthetic.json"
        if not meta.exists() or json.loads(meta.read_text())["records"] != n:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_synthetic_corpus.py"), "--n", str(n), "--out", str(data), "--per-file", str(max(n // 4, 250))], check=True, capture_output=True)
        out = ROOT / "benchmarks" / "out" / f"study_{n}"
        files = sorted(str(p) for p in data.glob("*.csv"))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bibliomap", "study", *files, "--out", str(out), "-q"], check=True)
        wall = time.perf_counter() - t0
        manifest = json.loads((out / "manifest.json").read_text())
        print(f"\n{n:,} records: study in {wall:.1f} s (wall, including interpreter start)")
        for s in manifest["steps"]:
            print(f"  {s['name']:<24s} {s['status']:<8s} {s['seconds']:8.2f} s  {s['message'][:70]}")


if __name__ == "__main__":
    main()
