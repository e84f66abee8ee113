"""``--engine`` and ``--spark-master``: where the stages that grow with the corpus run (see bibliomap.engines).

Shared by map, terms, ingest and study; pyspark is imported only inside
:func:`chosen_engine` when the Spark engine is chosen, so ``--help`` stays fast.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Optional

import typer

from bibliomap.cli.common import fail

ENGINE_HELP = ("inprocess (default: this process) or spark (Apache Spark; pip install 'bibliomap[spark]'); "
               "layout and clustering always run here")
MASTER_HELP = ("Spark master: local[*], a cluster URL (spark://host:7077, yarn, k8s://...) or a Spark Connect URL "
               "(sc://host:15002). Default: spark-submit's master, else local[*]")


def engine_option(default: Optional[str] = "inprocess") -> Any:
    return typer.Option(default, "--engine", help=ENGINE_HELP)


def master_option() -> Any:
    return typer.Option(None, "--spark-master", help=MASTER_HELP)


def check_engine(name: str, master: Optional[str]) -> str:
    """The engine's canonical name, or a clear exit (unknown name, a master without Spark)."""
    from bibliomap.engines import ENGINE_NAMES

    name = name.strip().lower()
    if name not in ENGINE_NAMES:
        fail(f"--engine {name!r}: expected one of {', '.join(ENGINE_NAMES)}")
    if master and name != "spark":
        fail("--spark-master goes with --engine spark")
    return name


@contextlib.contextmanager
def chosen_engine(name: str, master: Optional[str]) -> Iterator[Any]:
    """The block runs on engine ``name`` (its SparkSession stopped after); a clear exit when it cannot start."""
    from bibliomap.engines import EngineError, engine

    name = check_engine(name, master)
    try:
        with engine(name, master) as session:
            yield session
    except EngineError as exc:
        fail(str(exc), code=1)
