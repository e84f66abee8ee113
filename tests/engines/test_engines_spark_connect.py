"""Spark Connect: reading, deduplication, tagging and pair counting through an sc:// URL give what in-process gives.

pyspark ships the Connect server (its spark-connect jar), so a local server runs here without
downloads; it needs its own process (a second JVM gateway beside the shared classic session).
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_ingest_and_terms_through_spark_connect(corpora):
    pytest.importorskip("pyspark.sql.connect.session", reason="pyspark without its Connect client")
    if shutil.which("java") is None:
        pytest.skip("no Java on PATH: the Spark engine needs Java 17+")
    files = [str(p) for p in sorted((corpora / "scopus-bibtex").glob("*.bib"))]
    script = Path(__file__).with_name("connect_session.py")
    done = subprocess.run([sys.executable, str(script), str(free_port()), *files], capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["session"] == "pyspark.sql.connect.session"
    assert result["records"] > 100 and result["same_corpus"] and result["same_report"]
    assert result["n_labels"] > 20 and result["same_labels"] and result["same_table"] and result["same_occurrences"]
    assert result["relevance_gap"] <= 1e-12 and result["same_stored_terms"]
    assert result["n_links"] > 100 and result["same_items"] and result["same_links"] and result["strength_gap"] <= 1e-9
