"""Benchmark: VOS layout and Leiden clustering on the shared benchmark networks, beside networkanalysis.

    python benchmarks/bench_mapping.py                 # 1k, 10k and 100k
    python benchmarks/bench_mapping.py --sizes 1k 10k  # skip 100k
    python benchmarks/bench_mapping.py --tasks clustering --sizes 1k 10k --seeds 0 1 2 3 4  # Q per seed

Networks are generated once by ../shared/bench/make_networks.py into benchmarks/out/nets
(reused afterwards). Every (network, task) runs in its own subprocess, so the peak memory
(max RSS) is that task's; numba code is loaded from its cache by a tiny warm-up first, so
the times are steady-state (the warm-up time, compilation included when the cache is cold,
is printed separately). Reference values: ../shared/reference/MAPPING-REFERENCE.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "make_networks.py"
DEFAULT_NETS = HERE / "out" / "nets"
SIZES = {"1k": 1000, "10k": 10000, "100k": 100000}

REFERENCE = {
    "1k": {"V*": -1_094_776.39, "layout_iterations": "329 (converged)", "layout_time": "4.0 s",
           "Q1": 0.663202, "Q10": 0.663335, "Q_time": "0.30 s / 0.74 s", "Q_budget": 0.74, "igraph1": 0.662634},
    "10k": {"V*": -109_815_291.5, "layout_iterations": "1000 (cap)", "layout_time": "751 s",
            "Q1": 0.704214, "Q10": 0.704326, "Q_time": "1.5 s / 4.4 s", "Q_budget": 4.4, "igraph1": 0.704147},
    "100k": {"V*": None, "layout_iterations": "-", "layout_time": "about a day",
             "Q1": 0.699091, "Q10": 0.699209, "Q_time": "10.8 s / 66 s", "Q_budget": 66.0, "igraph1": 0.699186},
}
TARGET = {"1k": "V* within 0.5% of reference", "10k": "V* <= reference in < 15 s",
          "100k": "converged in < 300 s, < 4 GB"}


def ensure_networks(outdir: Path, sizes: list[str]) -> None:
    missing = [s for s in sizes if not (outdir / f"cooc_{s}.tsv").exists()]
    if missing:
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(GENERATOR), "--outdir", str(outdir), "--sizes", *[str(SIZES[s]) for s in missing]]
        print("generating", " ".join(missing), "...", flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def load_network(path: Path):
    import numpy as np
    import pandas as pd

    from bibliomap.networks import Network
    links = pd.read_csv(path, sep="\t", header=None, names=["source", "target", "strength"],
                        dtype={"source": np.int64, "target": np.int64, "strength": np.float64})
    n = int(max(links["source"].max(), links["target"].max())) + 1
    return Network(pd.DataFrame({"id": np.arange(n)}), links)


def worker(size: str, task: str, nets: Path, seed: int) -> dict:
    """Run one task in this process and return its figures (printed as JSON by main)."""
    import numpy as np
    import pandas as pd

    from bibliomap.mapping import cluster, layout
    from bibliomap.networks import Network
    from bibliomap.networks.normalize import normalize

    t = time.perf_counter()
    tiny = Network(pd.DataFrame({"id": np.arange(4)}),
                   pd.DataFrame({"source": [0, 1, 2], "target": [1, 2, 3], "strength": [1.0, 1.0, 1.0]}))
    if task == "layout":
        layout(tiny, method="exact", max_iterations=2)
        layout(tiny, method="barnes_hut", max_iterations=2)
    warmup = time.perf_counter() - t
    t = time.perf_counter()
    net = load_network(nets / f"cooc_{size}.tsv")
    read_s = time.perf_counter() - t
    wall0, cpu0 = time.perf_counter(), time.process_time()
    norm = normalize(net)
    out: dict = {"size": size, "task": task, "n": net.n_items, "links": net.n_links, "read_s": read_s, "warmup_s": warmup}
    if task == "layout":
        res = layout(norm, seed=seed)
        out.update(V=res.V, V_star=res.V_star, iterations=res.iterations, converged=res.converged, method=res.method)
    else:
        res = cluster(norm, seed=seed)
        out.update(Q=res.quality, n_clusters=res.n_clusters, refinement_rounds=res.parameters["refinement_rounds"])
    out["wall_s"] = time.perf_counter() - wall0
    out["cpu_s"] = time.process_time() - cpu0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["children_cpu_s"] = children.ru_utime + children.ru_stime
    out["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    return out


def run_task(size: str, task: str, nets: Path, seed: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", size, task, "--nets", str(nets), "--seed", str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{task} on {size} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    ap.add_argument("--tasks", nargs="+", default=["layout", "clustering"], choices=["layout", "clustering"])
    ap.add_argument("--nets", type=Path, default=DEFAULT_NETS)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, nargs="+", help="clustering seeds, one run each (layout uses the first)")
    ap.add_argument("--worker", nargs=2, metavar=("SIZE", "TASK"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.nets, args.seed)))
        return
    ensure_networks(args.nets, args.sizes)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start (times grow with load)")
    seeds = args.seeds or [args.seed]
    for size in args.sizes:
        ref = REFERENCE[size]
        for task in args.tasks:
            for seed in (seeds if task == "clustering" else seeds[:1]):
                report(size, task, seed, run_task(size, task, args.nets, seed), ref)
        if "clustering" in args.tasks and len(seeds) > 1:
            print(f"  [{size} clustering per seed] target Q >= {ref['Q10']:.6f} in <= {ref['Q_budget']} s")
            for seed, r in _RUNS.get(size, []):
                ok = "ok" if r["Q"] >= ref["Q10"] and r["wall_s"] <= ref["Q_budget"] else "MISS"
                print(f"    seed {seed}: Q {r['Q']:.6f}  wall {r['wall_s']:.2f} s  cpu {r['cpu_s'] + r['children_cpu_s']:.2f} s  {ok}")
        sys.stdout.flush()


_RUNS: dict = {}


def report(size: str, task: str, seed: int, r: dict, ref: dict) -> None:
    """Print one task's figures beside the reference."""
    head = f"[{size} {task} seed {seed}] n={r['n']:,} links={r['links']:,} read {r['read_s']:.1f} s, warm-up {r['warmup_s']:.1f} s"
    print(head)
    if task == "layout":
        ref_v = ref["V*"]
        gap = "" if ref_v is None else f"  ({(r['V_star'] - ref_v) / abs(ref_v) * 100:+.3f}% vs reference; negative = better)"
        print(f"  bibliomap  V* = {r['V_star']:,.2f}{gap}")
        print(f"             iterations {r['iterations']} ({'converged' if r['converged'] else 'not converged'}), "
              f"method {r['method']}, wall {r['wall_s']:.1f} s, cpu {r['cpu_s']:.1f} s, peak RSS {r['peak_rss_gb']:.2f} GB")
        ref_txt = "-" if ref_v is None else f"{ref_v:,.2f}"
        print(f"  reference  V* = {ref_txt}, iterations {ref['layout_iterations']}, wall {ref['layout_time']}"
              f"   target: {TARGET[size]}")
    else:
        _RUNS.setdefault(size, []).append((seed, r))
        ok = "meets" if r["Q"] >= ref["Q10"] else "below"
        print(f"  bibliomap  Q = {r['Q']:.6f} ({ok} networkanalysis 10 starts), {r['n_clusters']} clusters, "
              f"refinement rounds {r['refinement_rounds']}, wall {r['wall_s']:.2f} s "
              f"(budget {ref['Q_budget']} s), cpu {r['cpu_s']:.2f} s + {r['children_cpu_s']:.2f} s in worker processes, peak RSS {r['peak_rss_gb']:.2f} GB")
        print(f"  reference  Q = {ref['Q10']:.6f} (10 starts), {ref['Q1']:.6f} (1 start), igraph 1 start "
              f"{ref['igraph1']:.6f}; networkanalysis wall {ref['Q_time']} (1 / 10 starts)")
    sys.stdout.flush()

if __name__ == "__main__":
    main()
