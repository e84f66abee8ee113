"""Ingest benchmark: records/second per real export file, and a large synthetic corpus.

    python benchmarks/bench_ingest.py                 # real files + 100k synthetic records
    python benchmarks/bench_ingest.py --n 1000000     # the 1M-record run (about 2.5 GB of CSV)
    python benchmarks/bench_ingest.py --n 1000000 --skip-real --memory-limit 4   # ... confined to 4 GB

The synthetic corpus comes from make_synthetic_corpus.py (real records replicated with
perturbed ids, titles and authors, 1% planted duplicates). Peak memory: the main
process's allocated (anonymous) memory, sampled every 0.1 s, the same summed over the main
process and its reader workers at each sample (what the machine must hold at once), and separately the
memory-mapped pages of the spilled Arrow files (file-backed page cache the kernel
can reclaim), plus the largest reader worker's maximum resident set size.
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

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


#: Export file types; anything else under the corpora folder is documentation or licensing.
_EXPORT_SUFFIXES = {".csv", ".txt", ".bib", ".ris", ".json", ".jsonl", ".xlsx"}
#: Names of files that sit next to the exports but are never exports themselves.
_NOT_EXPORTS = ("README", "LICENSE", "LICENCE", "PROVENANCE", "NOTICE", "COPYING")


def _is_export(path: Path) -> bool:
    """Whether ``path`` is an export to time: an export file type, not a README/LICENSE-like
    file, and content that format detection recognizes (a .txt licence would otherwise be
    timed as format '?' with 0 records)."""
    from bibliomap.io.read import detect_format

    if path.suffix.lower() not in _EXPORT_SUFFIXES or path.name.upper().startswith(_NOT_EXPORTS):
        return False
    if path.suffix.lower() == ".xlsx":
        return True
    with open(path, "rb") as f:
        head = f.read(1 << 16).decode("utf-8", errors="replace")
    return detect_format(head, path.name)[0] is not None


def real_files() -> None:
    from bibliomap.io.ingest import ingest
    from bibliomap.io.read import read_file

    files = [p for p in sorted(CORPORA.rglob("*")) if p.is_file()]
    skipped = [p for p in files if not _is_export(p)]
    print(f"{'file':58s} {'format':14s} {'records':>8s} {'read rec/s':>11s} {'ingest rec/s':>13s}")
    for path in files:
        if path in skipped:
            continue
        reps = max(1, int(2_000_000 / max(path.stat().st_size, 1)))
        t0 = time.perf_counter()
        for _ in range(reps):
            res = read_file(path)
        t_read = (time.perf_counter() - t0) / reps
        t0 = time.perf_counter()
        for _ in range(reps):
            c = ingest([path])
        t_ing = (time.perf_counter() - t0) / reps
        n = res.n_read
        print(f"{str(path.relative_to(CORPORA)):58s} {res.format:14s} {n:8d} {n / t_read:11,.0f} {n / t_ing:13,.0f}")
    if skipped:
        print(f"skipped {len(skipped)} files that are not exports: {', '.join(str(p.relative_to(CORPORA)) for p in skipped)}")


def _memory_cgroup(limit: int) -> str | None:
    """A fresh cgroup v1 memory group capped at ``limit`` bytes (swap included), or None."""
    own = next((line.split(":", 2)[2].strip() for line in open("/proc/self/cgroup") if ":memory:" in line), None)
    if own is None:
        return None
    path = Path("/sys/fs/cgroup/memory") / own.lstrip("/") / f"bibliomap-bench-{os.getpid()}"
    try:
        path.mkdir(exist_ok=True)
        (path / "memory.limit_in_bytes").write_text(str(limit))
        swap = path / "memory.memsw.limit_in_bytes"
        if swap.exists():
            swap.write_text(str(limit))
    except OSError:
        return None
    return str(path)


def synthetic(n: int, memory_limit: int = 0) -> None:
    out = ROOT / "benchmarks" / "out" / f"synthetic_{n}"
    meta = out / "synthetic.json"
    if not meta.exists() or json.loads(meta.read_text())["records"] != n:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_synthetic_corpus.py"), "--n", str(n), "--out", str(out)], check=True)
    info = json.loads(meta.read_text())
    code = (
        "import time,resource,json,sys,threading\n"
        "from bibliomap.io.ingest import ingest\n"
        "import os\n"
        "peak={'anon':0,'file':0,'tree':0}\n"
        "def status(pid='self'):\n"
        "    d=dict(l.split(':',1) for l in open(f'/proc/{pid}/status') if l.startswith(('RssAnon','RssFile')))\n"
        "    return int(d['RssAnon'].split()[0])/1024, int(d['RssFile'].split()[0])/1024\n"
        "def children():\n"
        "    out=[]\n"
        "    for tid in os.listdir('/proc/self/task'):\n"
        "        try: out+=open(f'/proc/self/task/{tid}/children').read().split()\n"
        "        except OSError: pass\n"
        "    return out\n"
        "def tree_anon(a):\n"
        "    for pid in children():\n"
        "        try: a+=status(pid)[0]\n"
        "        except (OSError, KeyError): pass\n"
        "    return a\n"
        "def watch():\n"
        "    while True:\n"
        "        a,f=status(); peak['anon']=max(peak['anon'],a); peak['file']=max(peak['file'],f)\n"
        "        peak['tree']=max(peak['tree'],tree_anon(a)); time.sleep(0.1)\n"
        "threading.Thread(target=watch,daemon=True).start()\n"
        "t=time.perf_counter(); c=ingest(sorted(__import__('glob').glob(sys.argv[1]+'/*.csv')))\n"
        "dt=time.perf_counter()-t\n"
        "print(json.dumps({'seconds':dt,'totals':c.ingest_report['totals'],'maxrss_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,"
        "'anon_mb':peak['anon'],'file_mb':peak['file'],'tree_mb':peak['tree'],'child_maxrss_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))\n"
    )
    cgroup = _memory_cgroup(memory_limit) if memory_limit else None
    if memory_limit and cgroup is None:
        print("--memory-limit: no writable cgroup v1 memory controller here; running without a limit")
    preexec = (lambda: Path(cgroup, "cgroup.procs").write_text(str(os.getpid()))) if cgroup else None
    res = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, preexec_fn=preexec)
    if cgroup:
        peak = int(Path(cgroup, "memory.max_usage_in_bytes").read_text()) / 2**20
        fails = int(Path(cgroup, "memory.failcnt").read_text())
        print(f"run confined to {memory_limit / 2**30:.1f} GB (cgroup, page cache included, no swap): "
              f"{'completed' if res.returncode == 0 else f'FAILED (exit {res.returncode})'}, peak charged "
              f"{peak:,.0f} MB, {fails} allocations pushed back to reclaim")
        try:
            os.rmdir(cgroup)
        except OSError:
            pass
    if res.returncode != 0:
        sys.exit(f"ingest failed (exit {res.returncode}): {res.stderr[-2000:]}")
    r = json.loads(res.stdout.strip().splitlines()[-1])
    t = r["totals"]
    print(f"synthetic {n:,} records: ingest + dedup {r['seconds']:.1f} s = {n / r['seconds']:,.0f} records/s, "
          f"peak memory: main process {r['anon_mb']:,.0f} MB allocated (+ up to {r['file_mb']:,.0f} MB of memory-mapped, "
          f"reclaimable file pages; max RSS {r['maxrss_mb']:,.0f} MB), largest reader worker {r['child_maxrss_mb']:,.0f} MB "
          f"(2 workers); main + workers together at most {r['tree_mb']:,.0f} MB allocated at once; kept {t['kept']:,}, duplicates merged {t['duplicates']:,} "
          f"(planted {info['planted_duplicates']:,}), rejected {t['rejected']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="synthetic corpus size (0 = skip)")
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--memory-limit", type=float, default=0,
                    help="GB: run the synthetic ingest inside a memory cgroup capped at this (e.g. 4), to prove it fits")
    args = ap.parse_args()
    if not args.skip_real:
        real_files()
    if args.n:
        synthetic(args.n, int(args.memory_limit * 2**30))


if __name__ == "__main__":
    main()
