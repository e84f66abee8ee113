"""Run by test_engines_spark_connect in its own process: a local Spark Connect server, then ingest and terms through
an sc:// URL (reading, deduplication, tagging, of a saved corpus read by the server too, and co-citation counting in
the server's tasks) against in-process; prints one JSON line.

The server is the Connect plugin of a classic local session, in a child process (a process holding a classic
session cannot also be a Connect client: pyspark.sql.functions would build classic columns), on a free port and with
an authentication token (pyspark 4.3's servers require one), which the client finds in SPARK_CONNECT_AUTHENTICATE_TOKEN.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid

from pyspark.sql import SparkSession

from bibliomap.io.ingest import ingest
from bibliomap.engines import engine
from bibliomap.networks.builders import build_network
from bibliomap.text.terms import extract_terms


def serve(port: int) -> None:
    """Run a Spark Connect server on ``port`` until killed (the child process)."""
    (SparkSession.builder.master("local[2]")
     .config("spark.plugins", "org.apache.spark.sql.connect.SparkConnectPlugin")
     .config("spark.connect.grpc.binding.port", str(port))
     .config("spark.ui.showConsoleProgress", "false")
     .getOrCreate())
    while True:
        time.sleep(60)


def start_server(port: int) -> subprocess.Popen:
    """The server's child process, once its port accepts connections."""
    os.environ["SPARK_CONNECT_AUTHENTICATE_TOKEN"] = str(uuid.uuid4())
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"the Spark Connect server stopped with code {child.returncode}")
        try:
            socket.create_connection(("localhost", port), timeout=1).close()
            return child
        except OSError:
            time.sleep(1)
    child.kill()
    raise RuntimeError(f"the Spark Connect server did not open port {port} within 300 s")


def main(port: int, files: list[str]) -> None:
    import tempfile

    from bibliomap.corpus.stored import StoredCorpus

    server = start_server(port)
    saved = tempfile.mkdtemp(prefix="bibliomap-connect-")
    try:
        expected = ingest(files, workers=1)
        expected.write_parquet(os.path.join(saved, "corpus.parquet"))
        with engine("spark", master=f"sc://localhost:{port}") as session:
            kind = type(session).__module__
            corpus = ingest(files)
            got_terms = extract_terms(expected, min_occurrences=3)
            stored_terms = extract_terms(StoredCorpus(os.path.join(saved, "corpus.parquet")), min_occurrences=3)
            got_network = build_network(expected, "co-citation", "references", counting="fractional", min_citations=2)
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(saved, ignore_errors=True)
    terms = extract_terms(expected, min_occurrences=3)
    network = build_network(expected, "co-citation", "references", counting="fractional", min_citations=2)
    print(json.dumps({
        "session": kind,
        "same_corpus": corpus.table.equals(expected.table),
        "same_report": corpus.ingest_report == expected.ingest_report,
        "records": len(expected),
        "same_labels": got_terms.labels == terms.labels,
        "n_labels": len(terms.labels),
        "relevance_gap": float((got_terms.terms["relevance"] - terms.terms["relevance"]).abs().max()),
        "same_table": got_terms.terms.drop(columns="relevance").equals(terms.terms.drop(columns="relevance")),
        "same_occurrences": got_terms.occurrences.equals(terms.occurrences),
        "same_stored_terms": (stored_terms.labels == terms.labels
                              and stored_terms.occurrences.equals(terms.occurrences)),
        "n_links": len(network.links),
        "same_items": network.items["label"].tolist() == got_network.items["label"].tolist(),
        "same_links": network.links[["source", "target"]].equals(got_network.links[["source", "target"]]),
        "strength_gap": float((network.links["strength"] - got_network.links["strength"]).abs().max()),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
    else:
        main(int(sys.argv[1]), sys.argv[2:])
