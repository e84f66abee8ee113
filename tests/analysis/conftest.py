"""Fixtures of the analysis tests."""
from __future__ import annotations

import pytest
from analysis_helpers import describe_records

from bibliomap.corpus import Corpus


@pytest.fixture()
def describe_corpus() -> Corpus:
    """Five documents whose main information and tables are worked out by hand in the tests."""
    return Corpus.from_records(describe_records())
