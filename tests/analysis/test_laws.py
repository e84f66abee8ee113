"""Lotka's and Bradford's laws on distributions whose fits are known exactly."""
from __future__ import annotations

import math

import pytest

from bibliomap.analysis.laws import bradford, bradford_from_counts, lotka, lotka_from_counts


def test_lotka_on_an_exact_inverse_square_distribution():
    # 16 authors with 1 document, 4 with 2, 1 with 4: shares 16/21, 4/21, 1/21 = (16/21) x^-2
    counts = [1] * 16 + [2] * 4 + [4]
    res = lotka_from_counts(counts)
    assert res.table["Documents written"].tolist() == [1, 2, 4]
    assert res.table["N. of Authors"].tolist() == [16, 4, 1]
    assert res.table["Proportion of Authors"].tolist() == pytest.approx([16 / 21, 4 / 21, 1 / 21])
    assert res.beta == pytest.approx(2.0)
    assert res.c == pytest.approx(16 / 21)
    assert res.r_squared == pytest.approx(1.0)
    # the theoretical beta = 2 curve, normalized, is the observed one: KS statistic 0
    assert res.table["Theoretical (beta=2)"].tolist() == pytest.approx([16 / 21, 4 / 21, 1 / 21])
    assert res.ks_theoretical[0] == pytest.approx(0.0) and res.ks_theoretical[1] == pytest.approx(1.0)
    assert res.ks_fitted[0] == pytest.approx(0.0)


def test_lotka_on_a_flatter_distribution():
    # 2 authors with 1 document, 2 with 2: shares 1/2, 1/2 -> slope 0 (beta 0), C = 1/2
    res = lotka_from_counts([1, 1, 2, 2])
    assert res.beta == pytest.approx(0.0, abs=1e-12) and res.c == pytest.approx(0.5)
    summary = dict(zip(res.summary()["Statistic"], res.summary()["Value"]))
    assert summary["Beta"] == pytest.approx(0.0, abs=1e-12)


def test_lotka_single_class_has_no_fit():
    res = lotka_from_counts([1, 1, 1])
    assert res.beta is None and res.r_squared is None and res.ks_theoretical is not None


def test_lotka_on_a_corpus(describe_corpus):
    # authors' documents: Smith 3, Lee 2, Chen 2, Garcia 1, Park 1, Kim 1
    res = lotka(describe_corpus)
    assert res.table["N. of Authors"].tolist() == [3, 2, 1]


def test_bradford_zones_by_thirds():
    names = list("ABCDEFGHIJ")
    counts = [10, 5, 4, 3, 2, 2, 1, 1, 1, 1]  # 30 documents; cumulative 10, 15, 19, 22, ...
    res = bradford_from_counts(names[::-1], counts[::-1])  # input order must not matter
    assert res.table["Source"].tolist() == names
    # zone 1: sum(cum <= 10) + 1 = 2 sources; zone 2 up to sum(cum <= 20) + 1 = 4
    assert res.table["Zone"].tolist() == ["Zone 1"] * 2 + ["Zone 2"] * 2 + ["Zone 3"] * 6
    assert res.zones["N. sources"].tolist() == [2, 2, 6]
    assert res.zones["N. articles"].tolist() == [15, 7, 8]
    assert res.zones["% articles"].tolist() == pytest.approx([50.0, 70 / 3, 80 / 3])
    assert res.multiplier == pytest.approx((2 / 2 + 6 / 2) / 2)
    assert res.fit_b > 0 and not math.isnan(res.fit_a)


def test_bradford_on_a_corpus(describe_corpus):
    res = bradford(describe_corpus)
    # Journal A 3, Journal B 1, Proc C 1 (5 documents): cum 3, 4, 5
    assert res.table["Source"].tolist() == ["Journal A", "Journal B", "Proc C"]
    assert res.zones["N. sources"].tolist() == [1, 1, 1]  # sum(cum <= 5/3) + 1 = 1; sum(cum <= 10/3) + 1 = 2
