"""Reading speed of bibliomap against two Python peers, pyBibX and litstudy, in one run (issue #2).

Run: /work/venv/bin/python benchmarks/bench_peers.py [--repeats N] [--litstudy-repeats N]
         [--peers-python PATH] [--peers pybibx,litstudy] [--stages]

For each Scopus and Web of Science BibTeX export in the shared corpora, this times
- bibliomap ``io.read.read_file(path)`` (decode + detect + parse) and the full
  ``bibliomap.read(path)`` (read + finalize + dedup into a Corpus), in this process;
- pyBibX ``pbx_probe(path, db='scopus'|'wos', del_duplicated=True)`` and litstudy
  ``load_bibtex(path)``, each in one subprocess of the peers' venv (see
  peers-requirements.txt), because neither may enter the project's own environment.

Inside every process the load call alone is timed with ``time.perf_counter`` (wall) and
``time.process_time`` (CPU of all threads); interpreter start and imports are excluded
and the import time is printed on its own. Every tool makes one untimed-for-the-median
"cold" call per file (printed as "first s": it pays lazy imports and JIT warm-up), then
``--repeats`` timed calls (litstudy: ``--litstudy-repeats``, as one call takes tens of
seconds); the figures are their medians. Before every bibliomap call its memo caches
(reference keys, affiliation countries) are emptied, so no call profits from having
read the same file before. Speed-up = peer median wall s / bibliomap median wall s.
The speed-up in CPU seconds is printed as well: it is steadier than wall time when
other processes share the machine's two cores.

A peer whose venv is missing is skipped with a message. This file imports only the
standard library at top level, because it is also the worker run under the peers' venv.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
FILES = [  # (path, pyBibX database name)
    (CORPORA / "scopus-bibtex" / "scopus.bib", "scopus"),
    (CORPORA / "scopus-bibtex" / "mcda_scopus.bib", "scopus"),
    (CORPORA / "wos-bibtex" / "wos.bib", "wos"),
    (CORPORA / "wos-bibtex" / "mcda_wos.bib", "wos"),
]
DEFAULT_PEERS_PYTHON = Path("/work/peers-venv/bin/python")
RESULT_MARK = "BENCH_PEERS_JSON "
ENTRY_START = re.compile(r"^\s*@\s*(?!comment|preamble|string)\w+\s*[{(]", re.MULTILINE | re.IGNORECASE)
PBX_FOUND = re.compile(r"\(\s*(\d+)\s+Documents\s+and\s+(\d+)\s+Duplicates")
PEERS = {  # worker name -> label in the table
    "pybibx": "pyBibX pbx_probe",
    "litstudy": "litstudy load_bibtex",
}


def _time_calls(call, repeats: int, before=None) -> dict:
    """One cold call, then ``repeats`` timed calls; wall/CPU seconds of each and the record count.

    ``before`` runs untimed ahead of every call (bibliomap uses it to empty its
    per-value caches, so that no call profits from having seen the file before).
    """
    wall, cpu, counts, extra = [], [], [], None
    for _ in range(1 + repeats):
        if before is not None:
            before()
        w0, c0 = time.perf_counter(), time.process_time()
        n, extra = call()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
        counts.append(n)
    return {"cold_wall": wall[0], "wall": wall[1:], "cpu": cpu[1:], "records": counts[-1], "extra": extra}


# ---------------------------------------------------------------- workers (peers' venv)
def _pybibx_worker(files: list[tuple[str, str]], repeats: int) -> dict:
    t0 = time.perf_counter()
    from pybibx.base.pbx import pbx_probe

    import_s = time.perf_counter() - t0
    results = {}
    for path, db in files:
        def call(path=path, db=db):
            out = io.StringIO()  # pbx_probe prints a summary; keep it out of the table
            with contextlib.redirect_stdout(out):
                bib = pbx_probe(path, db=db, del_duplicated=True)
            found = PBX_FOUND.search(out.getvalue())
            before_dedup = int(found.group(1)) if found else None
            return int(bib.data.shape[0]), {"before_dedup": before_dedup}

        results[path] = _time_calls(call, repeats)
    return {"import_s": import_s, "results": results}


def _litstudy_worker(files: list[tuple[str, str]], repeats: int) -> dict:
    t0 = time.perf_counter()
    from litstudy import load_bibtex

    import_s = time.perf_counter() - t0
    results = {}
    for path, _db in files:
        def call(path=path):
            return len(load_bibtex(path)), None

        results[path] = _time_calls(call, repeats)
    return {"import_s": import_s, "results": results}


def _worker_main(name: str, payload: str) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    spec = json.loads(payload)
    files = [tuple(f) for f in spec["files"]]
    worker = {"pybibx": _pybibx_worker, "litstudy": _litstudy_worker}[name]
    result = worker(files, spec["repeats"])
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")


# ---------------------------------------------------------------- driver (project venv)
def _clear_bibliomap_value_caches() -> None:
    """Empty bibliomap's memo caches (lru_cache with maxsize > 1, e.g. reference keys, countries).

    A user reads a file once, so repeated timing on the same file must not reuse keys
    memoized by the previous call; one-time table loads (maxsize=1) are kept, like imports.
    """
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "bibliomap" or name.startswith("bibliomap.")):
            continue
        for obj in list(vars(module).values()):
            info = getattr(obj, "cache_info", None)
            if callable(info) and getattr(obj, "__module__", None) == name:
                size = info().maxsize
                if size is None or size > 1:
                    obj.cache_clear()


def _run_bibliomap(files: list[tuple[Path, str]], repeats: int) -> dict:
    t0 = time.perf_counter()
    import bibliomap
    from bibliomap.io.read import read_file

    import_s = time.perf_counter() - t0
    read_file_res, read_res = {}, {}
    for path, _db in files:
        def parse(path=path):
            res = read_file(path)
            return len(res.records), {"rejected": len(res.rejected), "error": res.error}

        def ingest(path=path):
            return len(bibliomap.read(path)), None

        read_file_res[str(path)] = _time_calls(parse, repeats, _clear_bibliomap_value_caches)
        read_res[str(path)] = _time_calls(ingest, repeats, _clear_bibliomap_value_caches)
    return {
        "bibliomap read_file": {"import_s": import_s, "results": read_file_res},
        "bibliomap.read": {"import_s": import_s, "results": read_res},
    }


def _bibliomap_stages(files: list[tuple[Path, str]], repeats: int) -> None:
    """Print where ``bibliomap.read`` spends its CPU time, per file (the fastest of ``repeats`` calls).

    The stages are timed by wrapping the functions that run them, for the duration of
    this report only: decoding, format detection, BibTeX entry parsing and record
    building, finalizing (and within it the reference keys), conversion to Arrow,
    duplicate detection; "other" is the rest of the call.
    """
    import bibliomap
    from bibliomap.corpus import finalize
    from bibliomap.io import ingest
    from bibliomap.corpus.corpus import Corpus
    from bibliomap.io import read as io_read
    from bibliomap.io.readers import bibtex

    spent: dict[str, float] = {}
    clock = time.process_time

    def timed(label, func):
        def wrapper(*args, **kwargs):
            t0 = clock()
            try:
                return func(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + clock() - t0
        return wrapper

    def timed_generator(label, func):
        def wrapper(*args, **kwargs):
            items = func(*args, **kwargs)
            while True:
                t0 = clock()
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    spent[label] = spent.get(label, 0.0) + clock() - t0
                yield item
        return wrapper

    patches = [  # (object, attribute, wrapper)
        (io_read, "decode", timed("decode", io_read.decode)),
        (io_read, "detect_format", timed("detect", io_read.detect_format)),
        (bibtex, "iter_entries", timed_generator("entries", bibtex.iter_entries)),
        (bibtex, "build_record", timed("records", bibtex.build_record)),
        (ingest, "finalize_record", timed("finalize", finalize.finalize_record)),
        (ingest, "reference_keys_array", timed("ref keys", ingest.reference_keys_array)),  # per chunk
        (ingest, "reference_keys", timed("ref keys", ingest.reference_keys)),  # chunks mixing styles
        (Corpus, "from_records", classmethod(timed("to arrow", Corpus.from_records.__func__))),
        (ingest, "find_duplicates", timed("dedup", ingest.find_duplicates)),
    ]
    originals = [(obj, attr, obj.__dict__[attr]) for obj, attr, _ in patches]
    order = ["decode", "detect", "entries", "records", "finalize", "ref keys", "to arrow", "dedup", "other"]
    print(f"\nbibliomap.read CPU ms by stage (fastest of {repeats} calls; reference keys are computed per chunk of records):")
    print(f"{'file':<18}" + "".join(f"{name:>10}" for name in ["total"] + order))
    try:
        for obj, attr, wrapper in patches:
            setattr(obj, attr, wrapper)
        for path, _db in files:
            best = None
            for _ in range(repeats):
                _clear_bibliomap_value_caches()
                spent.clear()
                t0 = clock()
                bibliomap.read(path)
                total = clock() - t0
                if best is None or total < best[0]:
                    best = (total, dict(spent))
            total, stages = best
            stages["other"] = total - sum(stages.values())
            print(f"{path.name:<18}{total * 1000:10.1f}" + "".join(f"{stages.get(k, 0.0) * 1000:10.1f}" for k in order))
    finally:
        for obj, attr, original in originals:
            setattr(obj, attr, original)


def _run_peer(name: str, python: Path, files: list[tuple[Path, str]], repeats: int,
              timeout: float) -> dict | str:
    """Run one peer's worker in the peers' venv; return its results or a reason it was skipped."""
    if not python.exists():
        return f"skipped: peers venv python {python} not found (see benchmarks/peers-requirements.txt)"
    payload = json.dumps({"files": [(str(p), db) for p, db in files], "repeats": repeats})
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false", PYTHONWARNINGS="ignore")
    env.pop("PYTHONPATH", None)
    try:
        proc = subprocess.run([str(python), str(Path(__file__).resolve()), "--worker", name, payload],
                              check=False, capture_output=True, text=True, timeout=timeout, env=env, cwd="/")
    except subprocess.TimeoutExpired:
        return f"skipped: timed out after {timeout:.0f} s"
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return f"skipped: worker failed (exit {proc.returncode}): {tail}"


def _entries_in_file(path: Path) -> int:
    return len(ENTRY_START.findall(path.read_text(encoding="utf-8", errors="replace")))


def _fmt_speedup(peer_s: float, ours_s: float) -> str:
    return f"{peer_s / ours_s:6.1f}x" if ours_s > 0 else "   n/a"


def _print_table(files, tools: dict, skipped: dict[str, str], repeats: int, litstudy_repeats: int) -> list[str]:
    """Print the comparison table; return the lines of the verdict (peer/file below 10x)."""
    ours_keys = ("bibliomap read_file", "bibliomap.read")
    print(f"\nmedians of {repeats} warm calls (litstudy {litstudy_repeats}); speed-up = peer seconds / bibliomap seconds "
          "(wall; CPU in brackets), against read_file | against bibliomap.read")
    header = (f"{'file (entries)':<24} {'tool':<22} {'records':>7} {'median s':>9} {'first s':>8} "
              f"{'cpu s':>7} {'rec/s':>9}  {'speed-up vs read_file':>24} {'speed-up vs read':>22}")
    print(header)
    print("-" * len(header))
    below = []
    for path, _db in files:
        key = str(path)
        label = f"{path.name} ({_entries_in_file(path)})"
        for tool, data in tools.items():
            res = data["results"].get(key)
            if res is None:
                continue
            med_w, med_c = statistics.median(res["wall"]), statistics.median(res["cpu"])
            n = res["records"]
            note = ""
            if tool == "pyBibX pbx_probe" and res["extra"] and res["extra"]["before_dedup"] is not None:
                note = f"  ({res['extra']['before_dedup']} before its dedup)"
            if tool == "bibliomap read_file" and res["extra"] and (res["extra"]["rejected"] or res["extra"]["error"]):
                note = f"  ({res['extra']['rejected']} rejected, error={res['extra']['error']})"
            speed = ""
            if tool not in ours_keys:
                parts = []
                for ours in ours_keys:
                    o = tools[ours]["results"][key]
                    ow, oc = statistics.median(o["wall"]), statistics.median(o["cpu"])
                    parts.append(f"{_fmt_speedup(med_w, ow)} ({_fmt_speedup(med_c, oc).strip()})")
                    if ours == "bibliomap.read" and med_w / ow < 10:
                        below.append(f"{tool} on {path.name}: bibliomap.read is only {med_w / ow:.1f}x faster "
                                     f"(CPU {med_c / oc:.1f}x)")
                speed = f"{parts[0]:>24} {parts[1]:>22}"
            print(f"{label:<24} {tool:<22} {n:>7} {med_w:9.3f} {res['cold_wall']:8.3f} {med_c:7.3f} "
                  f"{n / med_w:9,.0f}  {speed}{note}")
            label = ""
    print("\nimport time (s, once per process, excluded above): " + ", ".join(
        f"{tool} {data['import_s']:.2f}" for tool, data in tools.items() if tool != "bibliomap.read"))
    for name, why in skipped.items():
        print(f"{PEERS[name]}: {why}")
    return below


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed calls per tool and file after the cold one")
    parser.add_argument("--litstudy-repeats", type=int, default=2, help="timed litstudy calls per file (slow)")
    parser.add_argument("--peers-python", type=Path, default=DEFAULT_PEERS_PYTHON,
                        help="python of the venv that has pybibx and litstudy")
    parser.add_argument("--peers", default="pybibx,litstudy", help="comma-separated peers to run")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per peer process")
    parser.add_argument("--stages", action="store_true", help="also print bibliomap.read's CPU time by stage")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("payload", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker_main(args.worker, args.payload)
        return

    files = [(p, db) for p, db in FILES if p.exists()]
    for p, _db in FILES:
        if not p.exists():
            print(f"missing corpus file, skipped: {p}")
    if not files:
        sys.exit("no corpus files found under " + str(CORPORA))
    peers = [n.strip() for n in args.peers.split(",") if n.strip()]
    for name in peers:
        if name not in PEERS:
            sys.exit(f"unknown peer {name!r}; choose from {', '.join(PEERS)}")
    tools = _run_bibliomap(files, max(1, args.repeats))
    skipped = {}
    for name in peers:
        print(f"running {PEERS[name]} in {args.peers_python} ...", flush=True)
        repeats = args.litstudy_repeats if name == "litstudy" else args.repeats
        result = _run_peer(name, args.peers_python, files, max(1, repeats), args.timeout)
        if isinstance(result, str):
            skipped[name] = result
        else:
            tools[PEERS[name]] = result
    below = _print_table(files, tools, skipped, args.repeats, args.litstudy_repeats)
    print("\ngoal (issue #2): bibliomap.read at least 10x faster than each peer on every file: "
          + ("NOT MET" if below else "not checked (no peer ran)" if len(skipped) == len(peers)
             else "not checked for every peer (one was skipped)" if skipped else "MET"))
    for line in below:
        print("  " + line)
    if args.stages:
        _bibliomap_stages(files, max(5, args.repeats))


if __name__ == "__main__":
    main()
