"""Scale benchmark of the counting stages on both engines: wall time and peak memory per stage and size.

Synthetic corpora (make_synthetic_corpus.citation_corpus: heavy-tailed references per
paper, Zipf-like popularity of cited references, heavy-tailed times cited) of each size in
--sizes; for each engine and stage a fresh process loads the corpus (Parquet) and runs the
stage, while this process samples the memory of that process and its children (the Spark
JVM in local mode) every 0.2 s. Stages:

  ingest        reading and deduplicating synthetic exports (make_synthetic_corpus.py: replicated real
                IEEE and Scopus records, 1% planted duplicates, 50,000 records per file) into a saved corpus, as
                `bibliomap ingest --out` does (io.ingest_stored: written a batch at a time as merged); Spark: one
                task per file writing Parquet, duplicate links found on the cluster
  terms         term extraction (extract_terms defaults) on the ingested synthetic exports, a saved corpus read as
                `bibliomap terms corpus.parquet` reads it (StoredCorpus): in-process its texts a batch at a time;
                Spark: the executors read the texts from the file and tag, count and sum the co-occurrence KL, the
                driver reads only titles and keywords and selects.
                Above 1M records the saved corpus is the 1M one written over and over (the same documents again)
  cooccurrence  co-occurrence of author keywords (build_network, min occurrences 5)
  coupling      bibliographic coupling of the --top most cited documents (citations.coupling_matrix)
  cocitation    co-citation of the --top most cited references (build_network, min citations = the top's least)

  read-one-file (on request) reading one MEDLINE export of about that many records (the real pubmed.txt
                repeated): in-process whole, on Spark in record-aligned splits of --split-bytes, several tasks

Prints one row per (size, engine, stage) (result: links for the networks, records kept for ingest,
terms selected for terms), where Spark local mode overtakes in-process, and a
projection to 100M records on a cluster with its assumptions. Examples:

    python benchmarks/bench_scale.py                                  # quick: 20k records
    python benchmarks/bench_scale.py --sizes 100000,1000000
    python benchmarks/bench_scale.py --sizes 1000000 --distribution fixed --references 30 \\
        --engines inprocess --stages coupling                         # the 8 GB check of issue #18
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
STAGES = ("ingest", "terms", "cooccurrence", "coupling", "cocitation")
#: a stage on request only: reading one large MEDLINE export (copies of the real pubmed.txt), whole
#: in-process, in record-aligned splits of --split-bytes on Spark
READ_STAGE = "read-one-file"
#: stages that read the synthetic exports (the others: the synthetic citation corpus)
TEXT_STAGES = ("ingest", "terms")


# memory of a process tree ------------------------------------------------------------------

def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            pid, ppid, pages = int(entry), int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run_measured(cmd: list[str], timeout: float | None = None,
                 max_bytes: float | None = None) -> tuple[dict | None, float, str]:
    """Run ``cmd`` (which prints one JSON line last); its result, the peak RSS of its tree in MB, and why it was
    stopped ("" when it finished).

    After ``timeout`` seconds, or as soon as the tree's memory passes ``max_bytes`` (a cell that does not
    fit in this machine is stopped before the kernel's out-of-memory killer picks a process), the process
    tree is stopped and the result is None (the peak so far is still returned)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    peak = [0]
    over = threading.Event()

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            if max_bytes is not None and peak[0] > max_bytes and not over.is_set():
                over.set()
                os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)  # the stage's process and its Spark JVM
        try:
            proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        sampler.join()
        return None, peak[0] / 2**20, f"stopped after {timeout:.0f} s"
    sampler.join()
    if over.is_set():
        return None, peak[0] / 2**20, f"stopped above {max_bytes / 2**30:g} GB"
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), peak[0] / 2**20, ""


# one stage in this process ------------------------------------------------------------------

def top_positions(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest values (ties: lowest position first), sorted."""
    order = np.lexsort((np.arange(values.size), -values))
    return np.sort(order[:k])


def stage(name: str, corpus, top: int) -> int:
    """Run stage ``name``; the number of links it produced."""
    from bibliomap.networks import citations as cit
    from bibliomap.networks.builders import build_network

    if name == "terms":
        from bibliomap.text.terms import extract_terms

        # (inside engine("spark") extract_terms hands its work to extract_terms_spark)
        return len(extract_terms(corpus).labels)
    if name == "cooccurrence":
        return build_network(corpus, "co-occurrence", "author-keywords", min_occurrences=5).n_links
    if name == "coupling":
        documents = top_positions(corpus.values("times_cited").astype(float), top)
        return int(cit.coupling_matrix(corpus, "full", documents=documents).nnz // 2)
    if name == "cocitation":
        cited = cit.reference_occurrences(corpus).documents_per_item()
        least = int(np.sort(cited)[::-1][min(top, cited.size) - 1]) if cited.size else 0
        return build_network(corpus, "co-citation", "references", min_citations=least).n_links
    raise ValueError(f"unknown stage {name!r}")


def read_one_large_file(path: Path, session, split_bytes: int) -> int:
    """Records read from ``path``: in-process as ``ingest`` reads a file, or on Spark in splits (Parquet parts)."""
    if session is None:
        from bibliomap.io.ingest import read_one_file

        return read_one_file(path)[1]["read"]
    import tempfile

    from bibliomap.engines.spark_reading import read_to_parquet

    with tempfile.TemporaryDirectory(dir=path.parent) as staging:
        [(parts, report)] = read_to_parquet(session, [path], None, staging, split_bytes)
    print(f"{len(parts)} splits", file=sys.stderr)
    return report["read"]


def large_medline(n: int, args: argparse.Namespace) -> Path:
    """One MEDLINE export of about ``n`` records: the real pubmed.txt repeated (made once)."""
    real = HERE.parent.parent / "shared" / "corpora" / "pubmed-medline" / "pubmed.txt"
    data = real.read_bytes().rstrip(b"\n") + b"\n\n"
    copies = max(1, round(n / data.count(b"\nPMID-")))
    path = args.out / f"medline-{n}.txt"
    if not path.exists():
        args.out.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            for _ in range(copies):
                f.write(data)
    return path


def run_stage(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(HERE.parent / "src"))
    from bibliomap.corpus.corpus import Corpus
    from bibliomap.engines import engine

    if args.run_stage in ("ingest", READ_STAGE):
        corpus = None
    elif args.run_stage == "terms":  # the texts read from the file a batch at a time (on Spark by the executors)
        from bibliomap.corpus.stored import StoredCorpus

        corpus = StoredCorpus(args.corpus)
    else:
        corpus = Corpus.read_parquet(args.corpus)
    conf = {"spark.driver.memory": args.spark_driver_memory, "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false", "spark.sql.shuffle.partitions": str(args.shuffle_partitions)}
    if args.event_log:  # every task's run time, kept even when the cell is stopped (small buffer, flushed often)
        Path(args.event_log).mkdir(parents=True, exist_ok=True)
        conf.update({"spark.eventLog.enabled": "true", "spark.eventLog.dir": Path(args.event_log).resolve().as_uri(),
                     "spark.eventLog.buffer.kb": "1k", "spark.eventLog.compress": "false"})
    started = time.perf_counter()
    with engine(args.engine, args.spark_master if args.engine == "spark" else None, conf) as session:
        if session is not None:
            session.sparkContext.setLogLevel("ERROR")
        ready = time.perf_counter()
        if args.run_stage == READ_STAGE:
            links = read_one_large_file(Path(args.corpus), session, args.split_bytes)
        elif args.run_stage == "ingest":  # as `bibliomap ingest --out` does: written as merged, never held whole
            import tempfile

            from bibliomap.io.ingest_stored import ingest_to_parquet

            with tempfile.TemporaryDirectory(prefix="bench-ingest-", dir=Path(args.corpus).parent) as folder:
                links, _ = ingest_to_parquet([args.corpus], Path(folder) / "corpus.parquet")
        else:
            links = stage(args.run_stage, corpus, args.top)
        done = time.perf_counter()
    print(json.dumps({"seconds": done - ready, "startup": ready - started, "links": links}))


# per-task costs from Spark's event log -----------------------------------------------------------

def task_costs(folder: Path) -> dict | None:
    """Tasks finished and their executor run time (s), per stage and in all, from the event logs in ``folder``.

    Read also after a stopped cell: the tasks that finished before the stop are counted, which
    gives the per-task cost of a stage that did not complete."""
    stages: dict[int, dict] = {}
    names: dict[int, str] = {}
    for log in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []:
        with open(log, errors="replace") as f:
            for line in f:
                if '"SparkListenerTaskEnd"' in line:
                    try:
                        event = json.loads(line)
                    except json.JSONDecodeError:  # the last line of a stopped run may be cut
                        continue
                    if event.get("Task End Reason", {}).get("Reason") != "Success":
                        continue
                    run = event.get("Task Metrics", {}).get("Executor Run Time", 0) / 1000
                    st = stages.setdefault(event["Stage ID"], {"tasks": 0, "seconds": 0.0, "max": 0.0})
                    st["tasks"] += 1
                    st["seconds"] += run
                    st["max"] = max(st["max"], run)
                elif '"SparkListenerStageSubmitted"' in line:
                    try:
                        info = json.loads(line)["Stage Info"]
                    except (json.JSONDecodeError, KeyError):
                        continue
                    names[info["Stage ID"]] = info.get("Stage Name", "").split(" at ")[0]
                    stages.setdefault(info["Stage ID"], {"tasks": 0, "seconds": 0.0, "max": 0.0})["planned"] = info.get("Number of Tasks")
    if not stages:
        return None
    for sid, st in stages.items():
        st["name"] = names.get(sid, "")
    return {"tasks": sum(st["tasks"] for st in stages.values()),
            "task_seconds": sum(st["seconds"] for st in stages.values()), "stages": stages}


def describe_costs(costs: dict | None) -> str:
    """One line: tasks, task-seconds, and the three costliest stages with their per-task mean."""
    if not costs:
        return "no Spark tasks finished"
    top = sorted(costs["stages"].items(), key=lambda kv: -kv[1]["seconds"])[:3]
    parts = [f"stage {sid} {st['name']}: {st['tasks']}/{st.get('planned', '?')} tasks, "
             f"{st['seconds'] / max(st['tasks'], 1):.1f} s per task (max {st['max']:.1f})" for sid, st in top]
    return f"{costs['tasks']} tasks, {costs['task_seconds']:.0f} task-seconds; " + "; ".join(parts)


# the benchmark ----------------------------------------------------------------------------------

def corpus_file(n: int, args: argparse.Namespace) -> Path:
    """The synthetic corpus of ``n`` records as Parquet (made once, kept in --out)."""
    path = args.out / f"scale-{n}-{args.distribution}-{args.references:g}.parquet"
    if not path.exists():  # in a process of its own: this one's memory stays small beside the measured cells
        args.out.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, "--make-corpus", str(n), "--references", str(args.references),
                        "--distribution", args.distribution, "--corpus", str(path)], check=True)
    return path


def make_corpus(n: int, args: argparse.Namespace) -> None:
    """Make the synthetic citation corpus of ``n`` records and write it to ``args.corpus`` (Parquet)."""
    from make_synthetic_corpus import citation_corpus

    t = time.perf_counter()
    corpus = citation_corpus(n, args.references, args.distribution)
    corpus.write_parquet(args.corpus)
    refs = corpus.list_lengths("references")
    print(f"made {n:,} records, {int(refs.sum()):,} references (mean {refs.mean():.1f}, max {refs.max()}) "
          f"in {time.perf_counter() - t:.0f} s -> {args.corpus}", flush=True)


#: above this many records the terms stage's saved corpus repeats the ingested exports of this many (ingesting
#: more in one process does not fit this machine)
REPEAT_ABOVE = 1_000_000


def exports_folder(n: int, args: argparse.Namespace) -> Path:
    """The folder of synthetic exports of ``n`` records (made once)."""
    folder = args.out.parent / f"exports-{n}"
    if not (folder / "synthetic.json").exists():
        subprocess.run([sys.executable, str(HERE / "make_synthetic_corpus.py"), "--n", str(n), "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def texts_corpus(n: int, args: argparse.Namespace) -> Path:
    """The saved corpus the terms stage reads: the synthetic exports of ``n`` records ingested (Parquet, made once);
    above REPEAT_ABOVE, the ingested REPEAT_ABOVE written over and over to ``n`` records (a batch at a time)."""
    parquet = args.out / f"exports-{n}.parquet"
    if parquet.exists():
        return parquet
    args.out.mkdir(parents=True, exist_ok=True)
    if n <= REPEAT_ABOVE:  # (in a process of its own, as corpus_file)
        code = "import sys; from bibliomap.io.ingest_stored import ingest_to_parquet; ingest_to_parquet([sys.argv[1]], sys.argv[2])"
        subprocess.run([sys.executable, "-c", code, str(exports_folder(n, args)), str(parquet)], check=True)
        return parquet
    import pyarrow.parquet as pq

    base = texts_corpus(REPEAT_ABOVE, args)
    partial = parquet.with_suffix(".partial")
    with pq.ParquetFile(base) as source, pq.ParquetWriter(partial, source.schema_arrow, compression="zstd") as out:
        left = n
        while left:
            for batch in source.iter_batches(batch_size=100_000):
                batch = batch.slice(0, min(left, batch.num_rows))
                out.write_batch(batch)
                left -= batch.num_rows
                if not left:
                    break
    partial.replace(parquet)
    return parquet


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20000", help="comma-separated record counts (e.g. 100000,1000000,5000000)")
    ap.add_argument("--engines", default="inprocess,spark")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--references", type=float, default=30.0, help="mean references per paper")
    ap.add_argument("--distribution", default="lognormal", choices=("lognormal", "fixed"))
    ap.add_argument("--top", type=int, default=10_000, help="documents (coupling) and references (co-citation) counted")
    ap.add_argument("--spark-master", default="local[2]")
    ap.add_argument("--spark-driver-memory", default="4g")
    ap.add_argument("--shuffle-partitions", type=int, default=8)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "scale")
    ap.add_argument("--timeout", type=float, default=None,
                    help="stop a cell after this many seconds (Spark cells still report the per-task costs measured)")
    ap.add_argument("--max-memory", type=float, default=round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
                                                                 * 0.85 / 2**30, 1),
                    help="stop a cell whose process tree passes this many GB (default: 85%% of this machine's memory)")
    ap.add_argument("--event-log", help=argparse.SUPPRESS)
    ap.add_argument("--split-bytes", type=int, default=32 * 2**20,
                    help=f"split size of the {READ_STAGE} stage on Spark (default 32 MB)")
    ap.add_argument("--run-stage", help=argparse.SUPPRESS)
    ap.add_argument("--make-corpus", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--engine", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_stage:
        return run_stage(args)
    if args.make_corpus:
        return make_corpus(args.make_corpus, args)
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    stages = args.stages.split(",")
    rows = []
    print(f"{'records':>10} {'engine':>9} {'stage':>12} {'seconds':>9} {'startup':>8} {'peak MB':>8} {'result':>11}", flush=True)
    for n in sizes:
        path = corpus_file(n, args) if set(stages) - set(TEXT_STAGES) - {READ_STAGE} else None
        medline = large_medline(n, args) if READ_STAGE in stages else None
        folder = exports_folder(n, args) if "ingest" in stages else None
        texts = texts_corpus(n, args) if "terms" in stages else None
        for eng in engines:
            for st in stages:
                source = folder if st == "ingest" else texts if st == "terms" else medline if st == READ_STAGE else path
                cmd = [sys.executable, __file__, "--run-stage", st, "--engine", eng, "--corpus", str(source),
                       "--top", str(args.top), "--spark-master", args.spark_master,
                       "--spark-driver-memory", args.spark_driver_memory, "--shuffle-partitions", str(args.shuffle_partitions),
                       "--split-bytes", str(args.split_bytes)]
                events = args.out / "events" / f"{n}-{st}-{time.strftime('%Y%m%d%H%M%S')}"
                if eng == "spark":
                    cmd += ["--event-log", str(events)]
                started = time.perf_counter()
                result, peak, stopped = run_measured(cmd, args.timeout, args.max_memory * 2**30)
                costs = task_costs(events) if eng == "spark" else None
                if result is None:
                    print(f"{n:>10,} {eng:>9} {st:>12} {stopped} ({time.perf_counter() - started:.0f} s, start-up "
                          f"included), peak {peak:.0f} MB so far", flush=True)
                else:
                    rows.append({"n": n, "engine": eng, "stage": st, "peak_mb": peak, **result})
                    print(f"{n:>10,} {eng:>9} {st:>12} {result['seconds']:>9.1f} {result['startup']:>8.1f} {peak:>8.0f} {result['links']:>11,}", flush=True)
                if eng == "spark":
                    print(f"{'':>10} {'':>9} {'':>12} tasks: {describe_costs(costs)}", flush=True)
    summarize(rows)


def summarize(rows: list[dict]) -> None:
    """Where Spark local overtakes in-process, and a projection to 100M records on 32 nodes."""
    by = {(r["n"], r["engine"], r["stage"]): r for r in rows}
    for st in dict.fromkeys(r["stage"] for r in rows):
        pairs = [(n, by[(n, "inprocess", st)]["seconds"], by[(n, "spark", st)]["seconds"])
                 for n in sorted({r["n"] for r in rows}) if (n, "inprocess", st) in by and (n, "spark", st) in by]
        if not pairs:
            continue
        faster = [n for n, a, b in pairs if b < a]
        where = f"from {faster[0]:,} records" if faster else f"not within the sizes measured (up to {pairs[-1][0]:,})"
        n, a, b = pairs[-1]
        print(f"{st}: Spark local faster {where}; at {n:,}: in-process {a:.1f} s, Spark {b:.1f} s")
        cores_local, nodes, cores_node = 2, 32, 16
        if len(pairs) >= 2 and pairs[-1][0] > pairs[-2][0]:  # marginal cost: the fixed job overhead left out
            per_record = max(pairs[-1][2] - pairs[-2][2], 0.0) / (pairs[-1][0] - pairs[-2][0])
            basis = f"marginal Spark cost between {pairs[-2][0]:,} and {n:,} records"
        else:
            per_record = b / n
            basis = f"Spark cost at {n:,} records, fixed overhead included (give two sizes for the marginal cost)"
        projected = per_record * cores_local * 100_000_000 / (nodes * cores_node)
        print(f"  projection, 100M records on {nodes} nodes x {cores_node} cores: ~{projected:.0f} s of task time "
              f"({basis}, in core-seconds spread over {nodes * cores_node} cores; assumes cost linear in records at a "
              f"fixed top selection, perfect scaling and no skew; job start-up and the network shuffle are not in it)")


if __name__ == "__main__":
    main()
