"""Full-study benchmark: `bibliomap study` on the shipped demo and on synthetic corpora, against #20's targets.

Prints, in one run: the start-up time of `bibliomap --version` and `--help`; the demo study's
first run after the numba caches are cleared against a second run (`--first-run`); the wall
time, peak memory (largest process, and all processes together) and per-step times of the study on the demo and on N synthetic records
(real records replicated with perturbed ids, titles and authors by make_synthetic_corpus.py),
each beside its target. Timings on a shared machine are noisy: compare ratios within one run.

    python benchmarks/bench_study.py                       # start-up, demo, 10,000 records
    python benchmarks/bench_study.py --sizes 10000 50000 --first-run
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bibliomap"
#: #20's targets: wall seconds per corpus size ("demo" = the shipped 441 records)
TARGETS = {"demo": 10.0, 10_000: 30.0, 50_000: 150.0}
PEAK_TARGET_GB = {50_000: 2.0}


def _pss_mb(pid: int) -> float:
    """Proportional set size of one process (MB): pages shared with others counted in shares."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    kids = [int(c) for c in f.read().split()]
                found += kids
                todo += kids
        except OSError:
            continue
    return found


def _run(args: list[str]) -> tuple[float, float, float, float]:
    """Wall seconds, peak resident memory of the largest process (GB, GNU time) and peak memory of
    the whole process tree (GB, the sum of proportional set sizes sampled every 0.1 s: the study's
    background worker and the clustering's forked workers included, shared pages once), and the CPU
    seconds of the whole tree (user + system: steadier than wall time on a loaded machine)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree_peak = 0.0
    while proc.poll() is None:
        pids = _descendants(proc.pid)
        tree_peak = max(tree_peak, sum(_pss_mb(p) for p in pids))
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    _out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{err[-2000:]}")
    peak_kb, user, system = err.strip().splitlines()[-1].split()
    return wall, int(peak_kb) / 1e6, tree_peak / 1e3, float(user) + float(system)


def startup() -> None:
    for flag in ("--version", "--help"):
        times = []
        for _ in range(5):  # timed alone: the memory sampling's 0.1 s polls would round these up
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bibliomap", flag], capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(f"bibliomap {flag:<10s} median {med:.2f} s of 5 (target 0.3 s: {'met' if med <= 0.3 else 'NOT met'})")


def _clear_numba_cache() -> int:
    files = [p for p in PACKAGE.rglob("*") if p.suffix in (".nbi", ".nbc")]
    for p in files:
        p.unlink()
    return len(files)


def study(label: str | int, files: list[str], out: Path) -> tuple[float, float]:
    wall, peak, tree, cpu = _run([sys.executable, "-m", "bibliomap", "study", *files, "--out", str(out), "-q"])
    target = TARGETS.get(label)
    verdict = "" if target is None else f" (target {target:.0f} s: {'met' if wall <= target else 'NOT met'})"
    peak_target = PEAK_TARGET_GB.get(label)

    def judged(gb: float) -> str:
        return "" if peak_target is None else f" (target {peak_target} GB: {'met' if gb <= peak_target else 'NOT met'})"

    name = "demo (441 records)" if label == "demo" else f"{label:,} records"
    print(f"\n{name}: study in {wall:.1f} s wall{verdict}, {cpu:.1f} s CPU; peak memory {peak:.2f} GB in the largest process{judged(peak)}, "
          f"{tree:.2f} GB all processes together{judged(tree)}")
    for s in json.loads((out / "manifest.json").read_text())["steps"]:
        print(f"  {s['name']:<24s} {s['status']:<8s} {s['seconds']:8.2f} s  {s['message'][:70]}")
    return wall, cpu


def synthetic(n: int) -> list[str]:
    data = ROOT / "benchmarks" / "out" / f"study_input_{n}"
    meta = data / "synthetic.json"
    if not meta.exists() or json.loads(meta.read_text())["records"] != n:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_synthetic_corpus.py"), "--n", str(n), "--out", str(data),
                        "--per-file", str(max(n // 4, 250))], check=True, capture_output=True)
    return sorted(str(p) for p in data.glob("*.csv"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000], help="synthetic corpus sizes (default 10000)")
    ap.add_argument("--first-run", action="store_true", help="clear the numba caches and time the demo's first run against a second")
    ap.add_argument("--no-startup", action="store_true", help="skip the --version/--help timing")
    args = ap.parse_args()
    out_root = ROOT / "benchmarks" / "out"
    out_root.mkdir(parents=True, exist_ok=True)
    if not args.no_startup:
        startup()
    if args.first_run:
        n = _clear_numba_cache()
        first, first_cpu = study("demo", [], out_root / "study_demo")
        second, second_cpu = study("demo", [], out_root / "study_demo")
        ratio = first / second
        print(f"\nfirst run after clearing {n} numba cache files: {first:.1f} s; second run {second:.1f} s; "
              f"ratio {ratio:.2f} (target at most 1.20: {'met' if ratio <= 1.2 else 'NOT met'}); "
              f"CPU {first_cpu:.1f} s against {second_cpu:.1f} s, ratio {first_cpu / second_cpu:.2f}")
    else:
        study("demo", [], out_root / "study_demo")
    for n in args.sizes:
        study(n, synthetic(n), out_root / f"study_{n}")
    print(f"\n(cores: {os.cpu_count()}; load average now: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
