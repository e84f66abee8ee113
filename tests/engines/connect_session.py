"""Run by test_engines_spark_connect in its own process: a local Spark Connect server, then ingest and terms through
an sc:// URL (reading, deduplication and tagging in the server's tasks) against in-process; prints one JSON line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from bibliomap.io.ingest import ingest
from bibliomap.engines import engine
from bibliomap.text.terms import extract_terms


def main(port: int, files: list[str]) -> None:
    SparkSession.builder.remote("local[2]").config("spark.connect.grpc.binding.port", str(port)).getOrCreate()
    expected = ingest(files, workers=1)
    with engine("spark", master=f"sc://localhost:{port}") as session:
        kind = type(session).__module__
        corpus = ingest(files)
        got_terms = extract_terms(expected, min_occurrences=3)
    terms = extract_terms(expected, min_occurrences=3)
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
    }))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
