"""VOSviewer map, network and JSON files: reading hand-made fixtures, round trips, bad input."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bibliomap.io import vosviewer as vv
from bibliomap.mapping import Map

sys.path.insert(0, str(Path(__file__).parent))
from mapgen import keyword_map, random_map  # noqa: E402


@pytest.fixture(scope="module")
def real_map(corpora):
    import bibliomap

    return keyword_map(bibliomap.read(str(corpora / "scopus-csv" / "bibliometrix_scopus_sample.csv")))


def _links_by_id(m) -> dict[tuple[int, int], float]:
    ids = m.items["id"].to_numpy()
    out = {}
    for s, t, w in m.links.itertuples(index=False):
        a, b = sorted((int(ids[s]), int(ids[t])))
        out[(a, b)] = w
    return out


def test_map_and_network_fixture(fixtures):
    m = vv.read_map_file(fixtures / "viz" / "map_tab.txt", fixtures / "viz" / "network_tab.txt")
    assert m.items["id"].tolist() == [0, 4, 9, 12]
    assert m.items["label"].tolist() == ["bibliometrics", "citation analysis, co-citation", 'h "index"', "néel temperature"]
    assert m.items["x"].tolist() == [-0.8406, 0.4121, 0.0, 1.25]
    assert m.items["cluster"].tolist() == [3, 1, 1, 2]
    assert m.items["weight<Occurrences>"].tolist() == [12, 8, 3, 2]
    assert m.score_columns() == ["score<Avg. pub. year>"]
    # 0-4 appears twice (3 + 1, either order): summed; the 9-9 self-link is dropped
    assert _links_by_id(m) == {(0, 4): 4.0, (0, 12): 1.0, (4, 9): 1.0, (4, 12): 1.0}
    assert m.clusters["cluster"].tolist() == [1, 2, 3]


def test_semicolon_map_plain_weight_and_score(fixtures):
    m = vv.read_map_file(fixtures / "viz" / "map_semicolon.txt")
    assert m.items["label"].tolist() == ["alpha; beta", "gamma"]
    assert m.items["weight<Weight>"].tolist() == [3, 1]
    assert m.items["score<Score>"].tolist() == [1.5, -2]
    assert m.n_links == 0


def test_network_only_space_separated_two_and_three_columns(fixtures):
    net = vv.read_network_file(fixtures / "viz" / "network_space.txt")
    assert net.items["id"].tolist() == [1, 2, 3]
    assert net.items["label"].tolist() == ["1", "2", "3"]
    assert _links_by_id(net) == {(1, 2): 2.0, (2, 3): 2.5}


def test_full_matrix_network_is_symmetrized(fixtures):
    net = vv.read_network_file(fixtures / "viz" / "network_full.txt")
    assert net.items["id"].tolist() == [5, 6, 7]
    # row 5 -> 6 is 2, row 6 -> 5 is 2: 2; 6 -> 7 is 3, 7 -> 6 is 4: average 3.5
    assert _links_by_id(net) == {(5, 6): 2.0, (6, 7): 3.5}


def test_network_file_with_map_path_uses_map_items(fixtures):
    net = vv.read_network_file(fixtures / "viz" / "network_tab.txt", map_path=fixtures / "viz" / "map_tab.txt")
    assert isinstance(net, Map) and net.n_items == 4 and net.n_links == 4


@pytest.mark.parametrize("sep", [",", ";", "\t", " "])
def test_network_separators(tmp_path, sep):
    p = tmp_path / "net.txt"
    p.write_text(f"0{sep}1{sep}2\n1{sep}2{sep}1.5\n", encoding="utf-8")
    net = vv.read_network_file(p)
    assert _links_by_id(net) == {(0, 1): 2.0, (1, 2): 1.5}


def test_json_with_bom(fixtures):
    m = vv.read_json(fixtures / "viz" / "bom.json")
    assert m.items["id"].tolist() == [14, 462]
    assert m.items["label"].tolist() == ["abramo, giovanni", "d\u2019angelo, ciriaco andrea"]
    assert m.items["weight<Documents>"].tolist() == [4, 3]
    assert m.items["score<Avg. pub. year>"].tolist() == [2020.25, 2021]
    assert dict(zip(m.clusters["cluster"], m.clusters["label"])) == {2: "Italy", 17: "Rome"}
    assert _links_by_id(m) == {(14, 462): 4.0}
    assert m.meta["json_info"]["title"] == "QSS example"


def _assert_same_map(a, b, columns=None):
    assert a.items["id"].tolist() == b.items["id"].tolist()
    assert a.items["label"].tolist() == b.items["label"].tolist()
    np.testing.assert_array_equal(a.items["x"].to_numpy(), b.items["x"].to_numpy())
    np.testing.assert_array_equal(a.items["y"].to_numpy(), b.items["y"].to_numpy())
    assert a.items["cluster"].tolist() == b.items["cluster"].tolist()
    for c in columns or (a.weight_columns() + a.score_columns()):
        np.testing.assert_allclose(a.items[c].to_numpy(float), b.items[c].to_numpy(float), equal_nan=True)
    pd.testing.assert_frame_equal(a.links, b.links)


def test_round_trip_map_and_network_files(tmp_path, real_map):
    vv.write_map_file(real_map, tmp_path / "map.txt")
    vv.write_network_file(real_map, tmp_path / "network.txt")
    back = vv.read_map_file(tmp_path / "map.txt", tmp_path / "network.txt")
    _assert_same_map(real_map, back)
    assert back.weight_columns() == real_map.weight_columns()


def test_round_trip_tricky_labels_and_nan_scores(tmp_path):
    m = random_map(12, seed=5)
    m.items["label"] = m.items["label"].astype(object)
    m.items.loc[0, "label"] = 'quote "inside", comma; semicolon'
    m.items.loc[1, "label"] = "tab\tand newline\nlabel"
    m.items.loc[2, "label"] = "<img src=x onerror=alert(1)>"
    m.items.loc[3, "score<Avg. citations>"] = np.nan
    m.items.loc[4, "x"] = 1 / 3
    vv.write_map_file(m, tmp_path / "m.txt")
    vv.write_network_file(m, tmp_path / "n.txt")
    back = vv.read_map_file(tmp_path / "m.txt", tmp_path / "n.txt")
    expected = m.items["label"].tolist()
    expected[1] = "tab\tand newline label"  # one item per line: line breaks become spaces
    assert back.items["label"].tolist() == expected
    assert np.isnan(back.items.loc[3, "score<Avg. citations>"])
    assert back.items.loc[4, "x"] == 1 / 3
    pd.testing.assert_frame_equal(m.links, back.links)


def test_round_trip_json(tmp_path, real_map):
    vv.write_json(real_map, tmp_path / "map.json", parameters={"resolution": 1.5, "quality_Q": 0.42}, info={"title": "Keywords"})
    doc = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    assert doc["config"]["parameters"]["resolution"] == 1.5
    assert doc["config"]["parameters"]["quality_Q"] == 0.42
    assert doc["config"]["parameters"]["max_n_links"] == 1000
    assert doc["info"] == {"title": "Keywords"}
    first = doc["network"]["items"][0]
    assert set(first) >= {"id", "label", "x", "y", "cluster", "weights"}
    assert set(first["weights"]) == {"Occurrences", "Links", "Total link strength"}
    assert set(doc["network"]["links"][0]) == {"source_id", "target_id", "strength"}
    colors = {c["cluster"]: c["color"] for c in doc["config"]["color_schemes"]["cluster_colors"]}
    assert colors[1] == "#d62728" and colors[2] == "#2ca02c"
    back = vv.read_json(tmp_path / "map.json")
    _assert_same_map(real_map, back)


def test_json_is_deterministic(tmp_path):
    m = random_map(40, seed=2)
    vv.write_json(m, tmp_path / "a.json")
    vv.write_json(m, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("net.txt", "1\t2\t1\n3\tx\t1\n", "line 2: column 'id2': expected a number"),
        ("net.txt", "1\t2\t1\n3\t-4\t1\n", "line 2: ids must be non-negative"),
        ("net.txt", "1\t2\t1\n1\t2\t3\t4\t5\n", "line 2: expected 2 or 3 columns"),
            ("net.txt", "1\t0\t1\t2\n2\t1\t0\t0\n", "line 1: full-matrix network file with 2 rows needs 3 columns"),
        ("net.txt", "1\t2.5\t1\n", "line 1: column 'id2': expected an integer"),
    ],
)
def test_bad_network_files(tmp_path, name, text, message):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError) as err:
        vv.read_network_file(p)
    assert str(p) in str(err.value) and message in str(err.value)


def test_bad_map_files(tmp_path, fixtures):
    p = tmp_path / "map.txt"
    p.write_text("id\tlabel\tx\n1\ta\t0.5\n", encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match="x and y must appear together"):
        vv.read_map_file(p)
    p.write_text("id\tlabel\n1\ta\n2\tb\textra\n", encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match="line 3: expected 2 fields"):
        vv.read_map_file(p)
    p.write_text("id\tlabel\n1\ta\n1\tb\n", encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match="line 3: duplicate id 1"):
        vv.read_map_file(p)
    p.write_text("id\tlabel\n1\ta\n2\tb\n", encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match="id1 0: no item with this id"):
        vv.read_map_file(p, fixtures / "viz" / "network_tab.txt")
    with pytest.raises(vv.VOSviewerFormatError, match="cannot read file"):
        vv.read_map_file(tmp_path / "missing.txt")


def test_bad_json(tmp_path):
    p = tmp_path / "m.json"
    p.write_text('{"network": {"items": [{"id": 1}], "links": [{"source_id": 1, "target_id": 2}]}}', encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match=r"links\[0\]: unknown item id 2"):
        vv.read_json(p)
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match="not valid JSON"):
        vv.read_json(p)
    p.write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match="network.items"):
        vv.read_json(p)


def test_json_item_size_points_at_the_content_weight(tmp_path):
    m = random_map(10, seed=1)
    order = ["id", "label", "weight<Links>", "weight<Total link strength>", "weight<Occurrences>", "x", "y", "cluster"]
    m.items = m.items[order + [c for c in m.items.columns if c not in order]]
    vv.write_json(m, tmp_path / "m.json")
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert list(doc["network"]["items"][0]["weights"]) == ["Links", "Total link strength", "Occurrences"]
    assert doc["config"]["parameters"]["item_size"] == 3
    assert vv.default_weight_column(["weight<Links>", "weight<Total link strength>"]) == "weight<Total link strength>"
    assert vv.default_weight_column(["weight<Links>", "weight<Papers>", "weight<Citations>"]) == "weight<Citations>"
    assert vv.default_weight_column(["weight<Links>", "weight<Papers>"]) == "weight<Papers>"
    assert vv.default_weight_column(["score<x>"]) is None


def test_json_with_text_ids(tmp_path):
    p = tmp_path / "m.json"
    p.write_text(json.dumps({"network": {"items": [{"id": "a b", "label": "A"}, {"id": "c", "label": "C", "x": 1, "y": 2}],
                                         "links": [{"source_id": "c", "target_id": "a b", "strength": 2}]}}), encoding="utf-8")
    m = vv.read_json(p)
    assert m.items["id"].tolist() == [1, 2] and m.items["source_id"].tolist() == ["a b", "c"]
    assert m.links.values.tolist() == [[0, 1, 2.0]]
    p.write_text(json.dumps({"network": {"items": [{"id": 3}, {"id": 3}]}}), encoding="utf-8")
    with pytest.raises(vv.VOSviewerFormatError, match="duplicate item id 3"):
        vv.read_json(p)
