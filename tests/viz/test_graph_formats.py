"""GEXF, GraphML, Pajek and CSV: round trips of a real keyword map, and bad input."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bibliomap.io import graph_formats as gf
from bibliomap.mapping import Map

sys.path.insert(0, str(Path(__file__).parent))
from mapgen import keyword_map  # noqa: E402


@pytest.fixture(scope="module")
def real_map(corpora):
    import bibliomap

    return keyword_map(bibliomap.read(str(corpora / "scopus-csv" / "bibliometrix_scopus_sample.csv")))


def _same(a, b, attributes=True):
    assert isinstance(b, Map)
    assert a.items["label"].tolist() == b.items["label"].tolist()
    np.testing.assert_allclose(a.items["x"].to_numpy(), b.items["x"].to_numpy(), rtol=0, atol=0)
    np.testing.assert_allclose(a.items["y"].to_numpy(), b.items["y"].to_numpy(), rtol=0, atol=0)
    pd.testing.assert_frame_equal(a.links, b.links)
    if attributes:
        assert a.items["id"].tolist() == b.items["id"].tolist()
        assert a.items["cluster"].tolist() == b.items["cluster"].tolist()
        for c in a.weight_columns() + a.score_columns():
            np.testing.assert_allclose(a.items[c].to_numpy(float), b.items[c].to_numpy(float))


@pytest.mark.parametrize(("writer", "reader", "suffix"), [(gf.write_gexf, gf.read_gexf, "gexf"), (gf.write_graphml, gf.read_graphml, "graphml")])
def test_xml_round_trip(tmp_path, real_map, writer, reader, suffix):
    path = tmp_path / f"map.{suffix}"
    writer(real_map, path)
    ET.parse(path)  # well-formed
    _same(real_map, reader(path))


def test_gexf_has_gephi_viz_attributes(tmp_path, real_map):
    gf.write_gexf(real_map, tmp_path / "m.gexf")
    root = ET.parse(tmp_path / "m.gexf").getroot()
    viz = "{http://gexf.net/1.3/viz}"
    node = root.find(".//{http://gexf.net/1.3}node")
    color = node.find(f"{viz}color")
    assert color is not None and node.find(f"{viz}position") is not None and node.find(f"{viz}size") is not None
    cluster = int(real_map.items["cluster"][0])
    expected = gf.cluster_color(cluster)
    assert "#%02x%02x%02x" % tuple(int(color.get(k)) for k in "rgb") == expected
    titles = {a.get("title") for a in root.iter("{http://gexf.net/1.3}attribute")}
    assert {"x", "y", "cluster", "weight<Occurrences>", "weight<Links>"} <= titles


def test_pajek_round_trip(tmp_path, real_map):
    files = gf.write_pajek(real_map, tmp_path / "map", vector="weight<Occurrences>")
    assert [f.suffix for f in files] == [".net", ".clu", ".vec"]
    back = gf.read_pajek_net(files[0])
    _same(real_map, back, attributes=False)
    assert back.items["id"].tolist() == list(range(1, real_map.n_items + 1))
    np.testing.assert_array_equal(gf.read_pajek_clu(files[1]), real_map.items["cluster"].to_numpy())
    np.testing.assert_array_equal(gf.read_pajek_vec(files[2]), real_map.items["weight<Occurrences>"].to_numpy(float))


def test_pajek_arcs_and_lists(tmp_path):
    p = tmp_path / "g.net"
    p.write_text('*Vertices 3\n1 "a b"\n2 "c"\n3 d\n*Arcs\n1 2 2\n2 1 1\n*Edgeslist\n3 1 2\n', encoding="utf-8")
    net = gf.read_pajek_net(p)
    assert net.items["label"].tolist() == ["a b", "c", "d"]
    links = {(s, t): w for s, t, w in net.links.itertuples(index=False)}
    assert links == {(0, 1): 2.0 + 1.0, (0, 2): 1.0, (1, 2): 1.0}  # arcs both ways summed; list "3 1 2" = 3-1, 3-2


def test_csv_round_trip(tmp_path, real_map):
    gf.write_items_csv(real_map, tmp_path / "items.csv")
    gf.write_links_csv(real_map, tmp_path / "links.csv")
    header = (tmp_path / "links.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "source_id,target_id,source_label,target_label,strength"
    _same(real_map, gf.read_csv(tmp_path / "items.csv", tmp_path / "links.csv"))


def test_bad_graph_files(tmp_path):
    p = tmp_path / "bad.gexf"
    p.write_text("<gexf><graph><nodes><node id='1'/></nodes><edges><edge source='1' target='9'/></edges></graph></gexf>", encoding="utf-8")
    with pytest.raises(gf.GraphFormatError, match="unknown nodes"):
        gf.read_gexf(p)
    p.write_text("<gexf><graph>", encoding="utf-8")
    with pytest.raises(gf.GraphFormatError, match="not well-formed XML"):
        gf.read_gexf(p)
    q = tmp_path / "g.net"
    q.write_text("*Vertices 2\n1 a\n2 b\n*Edges\n1 3\n", encoding="utf-8")
    with pytest.raises(gf.GraphFormatError, match="vertex number 3 outside 1..2"):
        gf.read_pajek_net(q)
    q.write_text("*Vertices 2\n*Matrix\n0 1\n1 0\n", encoding="utf-8")
    with pytest.raises(gf.GraphFormatError, match="line 2: unsupported Pajek section"):
        gf.read_pajek_net(q)
    c = tmp_path / "c.clu"
    c.write_text("*Vertices 3\n1\n2\n", encoding="utf-8")
    with pytest.raises(gf.GraphFormatError, match="but 2 values follow"):
        gf.read_pajek_clu(c)
