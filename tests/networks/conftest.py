"""Helpers for the network tests: tiny hand-made corpora."""
from __future__ import annotations

import pytest

from bibliomap.corpus import Corpus, new_author, new_record


def record(authors=(), **fields) -> dict:
    """A record with authors given as 'Surname, Given' strings or (name, affiliations, countries)."""
    rec = new_record()
    people = []
    for a in authors:
        if isinstance(a, str):
            a = (a, [], [])
        name, affs, countries = a
        surname, _, given = name.partition(", ")
        people.append(new_author(name=name, surname=surname, given=given or None, affiliations=affs, countries=countries))
    rec["authors"] = people
    rec.update(fields)
    return rec


def corpus_of(*records: dict) -> Corpus:
    recs = []
    for i, r in enumerate(records):
        r = dict(r)
        r.setdefault("id", f"D{i + 1}")
        recs.append(r)
    return Corpus.from_records(recs)


@pytest.fixture(scope="session")
def make_corpus():
    return corpus_of


@pytest.fixture(scope="session")
def make_record():
    return record
