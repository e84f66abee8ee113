"""What the figure formats cost the demo study: `bibliomap study` with PNG only, PNG + SVG, and
PNG + SVG + PDF (the default), run in turn, each --repeat times, interleaved so that a shared
machine's load falls on all alike.

Prints per setting the median wall time and the median CPU time (user + system, the background
worker included) with the figure_files step of the manifest, the one that writes the vector files
after the report. On a loaded machine read the CPU column and the ratios.

    python benchmarks/bench_figure_formats.py            # 3 rounds
    python benchmarks/bench_figure_formats.py --repeat 5
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = {"png": (False, False), "png+svg": (True, False), "png+svg+pdf": (True, True)}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(setting: str, folder: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the figure_files step's seconds of one demo study."""
    svg, pdf = SETTINGS[setting]
    config = folder / f"{setting}.toml"
    config.write_text(f"[study]\nsvg = {str(svg).lower()}\npdf = {str(pdf).lower()}\n")
    out = folder / setting
    cpu0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "bibliomap", "study", "--config", str(config), "--out", str(out), "-q"], check=True)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    steps = {s["name"]: s for s in json.loads((out / "manifest.json").read_text())["steps"]}
    return wall, cpu, steps.get("figure_files", {}).get("seconds", 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the three settings (default 3)")
    args = ap.parse_args()
    results: dict[str, list[tuple[float, float, float]]] = {s: [] for s in SETTINGS}
    with tempfile.TemporaryDirectory() as tmp:
        run("png", Path(tmp))  # a first run fills the numba caches
        for _ in range(args.repeat):
            for setting in SETTINGS:
                results[setting].append(run(setting, Path(tmp)))
    base_wall = statistics.median(r[0] for r in results["png"])
    base_cpu = statistics.median(r[1] for r in results["png"])
    print(f"demo study, median of {args.repeat} interleaved runs")
    print(f"{'figures':<14s} {'wall s':>8s} {'x png':>6s} {'cpu s':>8s} {'x png':>6s} {'figure_files s':>15s}")
    for setting, runs in results.items():
        wall, cpu, files = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"{setting:<14s} {wall:8.1f} {wall / base_wall:6.2f} {cpu:8.1f} {cpu / base_cpu:6.2f} {files:15.2f}")


if __name__ == "__main__":
    main()
