"""One local SparkSession (local[2]) shared by every Spark test; skipped with the reason when Java or pyspark is missing."""
from __future__ import annotations

import shutil

import pytest

#: small and quiet: no UI, few shuffle partitions, modest driver memory
TEST_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "1g",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
}


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'bibliomap[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java on PATH: the Spark engine needs Java 17+")
    from bibliomap.engines.spark_session import spark_session

    session = spark_session("local[2]", TEST_CONF, app_name="bibliomap-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


SLOW_REASON = "slow Spark case (a minute or more): set BIBLIOMAP_SLOW_TESTS=1 to run it"


def pytest_configure(config):
    config.addinivalue_line("markers", f"slow: {SLOW_REASON}")


def pytest_collection_modifyitems(config, items):
    """Slow Spark cases run only with BIBLIOMAP_SLOW_TESTS=1, to keep the CI suite short."""
    import os

    if os.environ.get("BIBLIOMAP_SLOW_TESTS") == "1":
        return
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=SLOW_REASON))
