"""Date cells written back by a spreadsheet (dd/mm/yyyy) become the Corpus's ISO dates.

Our own fixture ``web/dimensions_spreadsheet_dates.csv`` holds one invented Dimensions record
per date shape seen in a re-saved export, plus odd values that must not break the reader.
"""
from __future__ import annotations

import pytest

from bibliomap.io.read import read_file
from bibliomap.io.readers.csvutil import cell_iso_date


@pytest.mark.parametrize("cell, iso", [
    ("29/11/2022", "2022-11-29"),   # day > 12: day first, certain
    ("11/29/2022", "2022-11-29"),   # second number > 12: month first (US locale), certain
    ("29.11.2022", "2022-11-29"),
    ("29-11-2022", "2022-11-29"),
    ("29/11/2022 00:00", "2022-11-29"),
    ("01/01/1998", "1998-01-01"),   # both readings agree
    ("03/04/2022", "2022"),         # March or April: only the year is certain
    ("2020-03-25", "2020-03-25"),
    ("2020-3-5", "2020-03-05"),
    ("2022-11-29T10:00:00Z", "2022-11-29"),
    ("2019-07", "2019-07"),
    ("2019", "2019"),
    ("31/02/2021", "2021"),         # no such day
    ("00/00/2021", "2021"),
    ("2022-13", "2022"),
    ("99/99/9999", None),
    ("15/06/18", None),             # two-digit year: century unknown
    ("n.d.", None),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_cell_iso_date(cell, iso):
    assert cell_iso_date(cell) == iso


@pytest.fixture(scope="module")
def records(fixtures):
    res = read_file(fixtures / "web" / "dimensions_spreadsheet_dates.csv")
    assert res.format == "dimensions_csv" and res.error is None and res.rejected == []
    return {r["title"]: r for r in res.records}


def test_dimensions_dates_are_iso(records):
    dates = {title: r["date"] for title, r in records.items()}
    assert dates == {
        "Day above twelve": "2022-11-29",
        "Month first from a US spreadsheet": "2022-11-29",
        "Ambiguous day and month": "2022",
        "Same day and month": "1998-01-01",
        "Untouched ISO date": "2020-03-25",
        "Untouched ISO month": "2019-07",
        "Impossible date": "2021",
        "Date with a time of day": "2018-06-15",
        "Odd text": None,
        "Two-digit year": None,
        "No date": None,
    }
    assert all(r["year"] for r in records.values())  # from PubYear even when the date is odd


def test_raw_cell_kept_only_when_the_iso_date_says_less(records):
    kept = {title: r["extra"].get("Publication date") for title, r in records.items()}
    assert kept["Ambiguous day and month"] == "03/04/2022"
    assert kept["Impossible date"] == "31/02/2021"
    assert kept["Odd text"] == "n.d." and kept["Two-digit year"] == "15/06/18"
    for title in ("Day above twelve", "Same day and month", "Untouched ISO date", "Untouched ISO month",
                  "Date with a time of day", "No date"):
        assert kept[title] is None, title
