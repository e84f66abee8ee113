"""Fixtures for the harvest tests: the simulated APIs on 127.0.0.1 and a retry policy that records its waits."""
from __future__ import annotations

import random

import pytest
from apisim import ApiSim, real_data

from bibliomap.harvest.client import RetryPolicy


@pytest.fixture(scope="session")
def api_data(corpora):  # noqa: ARG001 - needs the real corpora
    """(MEDLINE records, OpenAlex works, Crossref items) built from the real PubMed export."""
    return real_data()


@pytest.fixture()
def sim(api_data):
    medline, works, items = api_data
    with ApiSim(works=works, items=items, medline=medline) as server:
        yield server


class RecordingSleep:
    """Stands in for time.sleep: remembers every wait, waits a millisecond at most."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture()
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture()
def retry(sleeps) -> RetryPolicy:
    """Real backoff arithmetic, recorded instead of slept, seeded jitter."""
    return RetryPolicy(max_retries=4, base_delay=0.5, max_delay=8.0, sleep=sleeps, rng=random.Random(7))
