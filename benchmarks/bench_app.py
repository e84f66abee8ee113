"""The web app's speed: each page on the demo project, and uploading + ingesting a 10,000-record export.

Starts ``bibliomap app`` on a free port over a temporary workspace, drives it over HTTP as a
browser would (CSRF token from the page), runs the demo study once, then times every page
(median of 5 requests, wall seconds) and the upload and ingest of a synthetic 10,000-record
Scopus-style export (benchmarks/make_synthetic_corpus.py).

    python benchmarks/bench_app.py [--records 10000] [--cold-cache]

``--cold-cache`` starts the app with an empty numba cache (the first start after installing):
the app then compiles the reference kernel in a process of its own while the demo study runs.
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.csrf = re.search(r'name="csrf" content="([^"]+)"', self.get("/")[1]).group(1)

    def get(self, path: str) -> tuple[float, str]:
        t0 = time.perf_counter()
        with self.opener.open(self.base + path, timeout=600) as r:
            body = r.read().decode("utf-8", "replace")
        return time.perf_counter() - t0, body

    def post(self, path: str, **data) -> tuple[float, str]:
        body = urllib.parse.urlencode({"csrf": self.csrf, **data}).encode()
        t0 = time.perf_counter()
        with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=600) as r:
            text = r.read().decode("utf-8", "replace")
        return time.perf_counter() - t0, text

    def upload(self, pid: int, path: Path) -> float:
        req = urllib.request.Request(f"{self.base}/p/{pid}/upload?name={urllib.parse.quote(path.name)}", data=path.read_bytes(),
                                     method="PUT", headers={"X-CSRF-Token": self.csrf, "Content-Type": "application/octet-stream"})
        t0 = time.perf_counter()
        with self.opener.open(req, timeout=600) as r:
            r.read()
        return time.perf_counter() - t0


def _ingest(c: Client, pid: int) -> tuple[float, list[tuple[float, float, str]]]:
    """Start the project's ingest and poll its progress until it ends: the seconds it took and the
    distinct (seconds, fraction, message) updates seen."""
    import json

    t0 = time.perf_counter()
    c.post(f"/p/{pid}/ingest")
    seen: list[tuple[float, float, str]] = []
    while True:
        status = json.loads(c.get(f"/p/{pid}/ingest/status")[1])
        update = (round(status.get("fraction") or 0.0, 4), status.get("message") or "")
        if not seen or seen[-1][1:] != update:
            seen.append((time.perf_counter() - t0, *update))
        if status.get("final"):
            return time.perf_counter() - t0, seen
        time.sleep(0.1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--cold-cache", action="store_true",
                    help="start the app with an empty numba cache, as the first start after installing")
    args = ap.parse_args()
    from bibliomap.data import demo_files

    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-c", "from bibliomap.cli import main; main()", "app", "--no-browser",
                                 "--workspace", str(Path(tmp) / "ws"), "--port", str(port)], stdout=subprocess.PIPE, text=True,
                                env={**os.environ, **({"NUMBA_CACHE_DIR": str(Path(tmp) / "numba")} if args.cold_cache else {})})
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.1)
            c = Client(f"http://127.0.0.1:{port}")
            _, html = c.post("/projects", name="demo")
            pid = int(re.search(r"/p/(\d+)/", html).group(1))
            for f in demo_files():
                c.upload(pid, Path(f))
            t_ingest, _ = _ingest(c, pid)
            t0 = time.perf_counter()
            c.post(f"/p/{pid}/run")
            while '"final": true' not in c.get(f"/p/{pid}/jobs/1/events")[1]:
                time.sleep(0.5)
            t_run = time.perf_counter() - t0
            print(f"demo project: {len(demo_files())} files, ingest {t_ingest:.2f} s, study run {t_run:.1f} s (wall, queued to done)")
            print("page render (median of 5 GETs, wall seconds):")
            sections = re.findall(rf'href="(/p/{pid}/results/[a-z-]+)"', c.get(f"/p/{pid}/results")[1])
            maps = sorted({m for path in sections for m in re.findall(rf'src="(/p/{pid}/results/maps/[a-z_]+)"', c.get(path)[1])})
            for path in ("/", f"/p/{pid}/data", f"/p/{pid}/settings", f"/p/{pid}/terms", f"/p/{pid}/run", f"/p/{pid}/results", *sections,
                         *maps, f"/p/{pid}/results/tables/most_cited_documents.xlsx", f"/p/{pid}/report", f"/p/{pid}/tables/terms",
                         f"/p/{pid}/output/report.html"):
                times = [c.get(path)[0] for _ in range(5)]
                print(f"  {path:<44s} {statistics.median(times):6.3f} s  (first {times[0]:.3f}, max {max(times):.3f})")

            data = Path(tmp) / "synthetic"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_synthetic_corpus.py"), "--n", str(args.records), "--out", str(data),
                            "--per-file", str(args.records)], check=True, capture_output=True)
            files = sorted(data.glob("*.csv"))
            _, html = c.post("/projects", name="large")
            pid2 = int(re.search(r"/p/(\d+)/", html).group(1))
            t_up = sum(c.upload(pid2, f) for f in files)
            size = sum(f.stat().st_size for f in files)
            t_ing, updates = _ingest(c, pid2)
            summary = re.search(r'id="ingest-summary">([^<]+)', c.get(f"/p/{pid2}/data")[1]).group(1)
            print(f"{args.records:,}-record synthetic export ({len(files)} files, {size / 1e6:.1f} MB): upload {t_up:.2f} s, ingest {t_ing:.2f} s")
            print(f"  {summary}")
            print(f"  progress seen while ingesting (polled every 0.1 s): {len(updates)} distinct updates; the longest wait "
                  f"between two was {max(b[0] - a[0] for a, b in zip(updates, updates[1:])) if len(updates) > 1 else t_ing:.2f} s")
            for t, fraction, message in updates:
                print(f"    {t:6.2f} s  {fraction:5.1%}  {message}")
            t_data = statistics.median(c.get(f"/p/{pid2}/data")[0] for _ in range(5))
            print(f"  data page with its report: {t_data:.3f} s")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
