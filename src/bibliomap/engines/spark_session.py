"""A SparkSession for bibliomap: local mode, a cluster master URL or a Spark Connect URL (sc://...).

pyspark is imported here only, when the Spark engine is chosen, so the command line
starts as fast without it. Anything Spark's own configuration says (spark-defaults.conf,
SPARK_CONF_DIR, environment) still applies; ``conf`` adds to it.
"""
from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping
from typing import Any


class EngineError(RuntimeError):
    """The engine cannot run: pyspark or Java missing, or the master unreachable (the message says which)."""


def require_pyspark() -> Any:
    """The pyspark.sql module, or an EngineError saying how to install it."""
    try:
        import pyspark.sql
    except ImportError as exc:
        raise EngineError("the Spark engine needs pyspark: pip install 'bibliomap[spark]'") from exc
    return pyspark.sql


@contextlib.contextmanager
def quiet_pandas_warning() -> Iterator[None]:
    """Silence pyspark 4's warnings on every Arrow conversion under pandas 3 (ours carry plain numeric and string columns)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        warnings.filterwarnings("ignore", message="The copy keyword is deprecated", module="pyspark")
        yield


#: settings that make Spark's defaults fit bibliomap's small-to-medium jobs; the user's configuration wins
_DEFAULTS = {
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.adaptive.enabled": "true",
}


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None, app_name: str = "bibliomap") -> Any:
    """A SparkSession on ``master`` ('local[*]', 'spark://host:7077', 'yarn', 'sc://host:15002', ...).

    ``None``: spark-submit's --master when run under spark-submit, else local[*].
    """
    sql = require_pyspark()
    builder = sql.SparkSession.builder.appName(app_name)
    if master and master.startswith("sc://"):
        builder = builder.remote(master)
    else:
        import os

        if master:
            builder = builder.master(master)
        elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit, which sets the master itself
            builder = builder.master("local[*]")
        for key, value in _DEFAULTS.items():
            builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - Java missing, master unreachable: one clear message
        where = master or "local[*]"
        raise EngineError(f"cannot start Spark on {where}: {_first_line(exc)} (the Spark engine needs Java 17+ and a reachable master)") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def active_session() -> Any:
    """The SparkSession already running in this process (a notebook's, spark-submit's), or None."""
    sql = require_pyspark()
    return sql.SparkSession.getActiveSession()
