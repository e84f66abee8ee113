"""Journal quartiles from a hand-written SCImago CSV: ISSN and title matching, the unmatched report."""
from __future__ import annotations

import pytest
from analysis_helpers import record

from bibliomap.analysis.quartiles import NO_QUARTILE, SJRFormatError, attach_quartiles, normalize_title, read_sjr
from bibliomap.corpus import Corpus


@pytest.fixture()
def sjr(fixtures):
    return read_sjr(fixtures / "analysis" / "sjr_sample.csv")


def test_read_sjr_handles_bom_semicolons_decimal_commas_and_issn_lists(sjr):
    assert sjr["Title"].tolist()[0] == "Journal A"  # the BOM did not stick to the first column
    assert sjr["issns"].tolist()[0] == ["15424863", "00079235"]
    assert sjr["issns"].tolist()[1] == ["1234567X"]
    assert sjr["issns"].tolist()[2] == []  # '-' is no ISSN
    assert sjr["sjr"].tolist()[0] == pytest.approx(13.329)
    assert sjr["quartile"].tolist() == ["Q1", "Q2", NO_QUARTILE, "Q3", "Q4"]
    assert sjr.attrs["year"] == 2023


def test_normalize_title():
    assert normalize_title("The Journal of B & C") == normalize_title("journal of b and c") == "journal of b and c"
    assert normalize_title("Proceedings of Élan") == "proceedings of elan"


def test_attach_quartiles_by_issn_then_title(sjr):
    recs = [
        record(id="R1", issn=["1542-4863"], source_title="Something Else"),  # ISSN wins over the title
        record(id="R2", issn=["0007-9235", "1111-2222"], source_title="Journal A"),  # best of Q1 and Q3
        record(id="R3", source_title="The Journal of B and C"),  # title only
        record(id="R4", source_title="Proceedings of Elan"),  # listed without quartile
        record(id="R5", issn=["9999-9999"], source_title="Unknown J"),  # not in the file
        record(id="R6"),  # no source at all
        record(id="R7", issn=["1234-567x"], source_title="B and C"),  # lower-case check digit
        record(id="R8", issn=["1111-2222"], source_title="Journal D"),  # shared ISSN: best of Q3, Q4
    ]
    res = attach_quartiles(Corpus.from_records(recs), sjr)
    assert res.quartile.tolist() == ["Q1", "Q1", "Q2", NO_QUARTILE, NO_QUARTILE, NO_QUARTILE, "Q2", "Q3"]
    assert res.matched_by.tolist() == ["issn", "issn", "title", "title", None, None, "issn", "issn"]
    assert res.match_rate == pytest.approx(6 / 7)  # R6 has no source and is not counted
    assert res.documents.values.tolist() == [["Q1", 2, 2], ["Q2", 2, 2], ["Q3", 1, 1], ["Q4", 0, 0],
                                             [NO_QUARTILE, 3, 2]]
    assert res.unmatched.values.tolist() == [["Unknown J", "9999-9999", 1]]
    summary = dict(zip(res.summary()["Statistic"], res.summary()["Value"]))
    assert summary["SJR year"] == 2023 and summary["Matched by title"] == 2


def test_not_an_sjr_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "scopus.csv"
    bad.write_text("Authors,Title,Year\nA,B,2020\n", encoding="utf-8")
    with pytest.raises(SJRFormatError, match="scopus.csv.*missing column"):
        read_sjr(bad)
    wrong_q = tmp_path / "sjr.csv"
    wrong_q.write_text("Title;Issn;SJR Best Quartile\nJ;\"12345678\";Q7\n", encoding="utf-8")
    with pytest.raises(SJRFormatError, match="line 2"):
        read_sjr(wrong_q)
