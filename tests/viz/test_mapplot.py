"""Static map figures: formats, 300 dpi, drawn pixels, colours by view, labels, CLI."""
from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.io import vosviewer as vv
from bibliomap.mapping import Map
from bibliomap.networks import Network
from bibliomap.viz.mapplot import plot_map, plot_map_file, save_figure, strongest_links
from bibliomap.viz.theme import hex_to_rgb

sys.path.insert(0, str(Path(__file__).parent))
from mapgen import keyword_map, random_map  # noqa: E402


@pytest.fixture(scope="module")
def real_map(corpora):
    import bibliomap

    return keyword_map(bibliomap.read(str(corpora / "scopus-csv" / "bibliometrix_scopus_sample.csv")))


def _pixels(path):
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).astype(float) / 255, im.info.get("dpi")


def _near(img, rgb, tol=0.04):
    return int((np.abs(img - np.asarray(rgb)).max(axis=-1) < tol).sum())


@pytest.mark.parametrize("view", ["network", "overlay", "density"])
@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_every_view_in_every_format(tmp_path, real_map, view, suffix):
    out = plot_map_file(real_map, tmp_path / f"map{suffix}", view, figure_width=4)
    data = out.read_bytes()
    assert len(data) > 1000
    if suffix == ".png":
        img, dpi = _pixels(out)
        assert dpi is not None and round(dpi[0]) == 300 and round(dpi[1]) == 300
        assert img.shape[1] == 1200  # 4 inches at 300 dpi
        assert (img.min(axis=-1) < 0.9).mean() > 0.01  # something other than white was drawn
    elif suffix == ".svg":
        assert data.lstrip().startswith(b"<?xml") and b"<svg" in data
    else:
        assert data.startswith(b"%PDF")


def test_network_view_uses_cluster_colours_and_overlay_viridis(tmp_path):
    items = pd.DataFrame({"label": ["a", "b", "c"], "weight<W>": [1.0, 1.0, 1.0], "score<S>": [0.0, 5.0, 10.0]})
    net = Network(items, pd.DataFrame({"source": [0], "target": [1], "strength": [1.0]}))
    m = Map.from_network(net, [0, 1, 2], [0, 0, 0], [1, 2, 0])
    plot_map_file(m, tmp_path / "n.png", "network", labels=False, figure_width=3)
    img, _ = _pixels(tmp_path / "n.png")
    # circles are drawn at alpha 0.9 over white
    for colour in ("#d62728", "#2ca02c", "#bfbfbf"):
        assert _near(img, 0.9 * np.array(hex_to_rgb(colour)) + 0.1) > 50
    plot_map_file(m, tmp_path / "o.png", "overlay", labels=False, score="score<S>", figure_width=3)
    img, _ = _pixels(tmp_path / "o.png")
    viridis = matplotlib.colormaps["viridis"]
    for t in (0.0, 0.5, 1.0):
        assert _near(img, 0.9 * np.array(viridis(t)[:3]) + 0.1) > 50
    assert _near(img, 0.9 * np.array(hex_to_rgb("#d62728")) + 0.1) == 0


def test_overlay_colour_range_clamps(tmp_path):
    items = pd.DataFrame({"label": ["a", "b"], "score<S>": [0.0, 10.0]})
    m = Map.from_network(Network(items, pd.DataFrame({"source": [], "target": [], "strength": []})), [0, 1], [0, 0], [1, 1])
    plot_map_file(m, tmp_path / "o.png", "overlay", labels=False, vmin=20, vmax=30, figure_width=3)
    img, _ = _pixels(tmp_path / "o.png")
    low = 0.9 * np.array(matplotlib.colormaps["viridis"](0.0)[:3]) + 0.1
    assert _near(img, low) > 100  # both items below the range: both at the low end


def test_labels_follow_the_scaling_rule(tmp_path):
    items = pd.DataFrame({"label": ["heavy label", "hidden twin", "far away"], "weight<W>": [10.0, 1.0, 1.0]})
    net = Network(items, pd.DataFrame({"source": [], "target": [], "strength": []}))
    m = Map.from_network(net, [0.0, 0.001, 1.0], [0.0, 0.0, 1.0], [1, 1, 2])
    plot_map_file(m, tmp_path / "m.svg", "network")
    svg = (tmp_path / "m.svg").read_text(encoding="utf-8")
    assert "heavy label" in svg and "far away" in svg and "hidden twin" not in svg


def test_strongest_links_and_curves():
    net = Network(pd.DataFrame({"label": list("abcd")}), pd.DataFrame({"source": [0, 1, 2, 0], "target": [1, 2, 3, 3], "strength": [1.0, 5.0, 3.0, 5.0]}))
    assert strongest_links(net, 2).tolist() == [1, 2]  # links sorted (0,1),(0,3),(1,2),(2,3): strengths 1,5,5,3
    assert strongest_links(net, 10, min_strength=2).tolist() == [1, 2, 3]


def test_output_is_deterministic(tmp_path):
    m = random_map(80, seed=9)
    for suffix in (".png", ".svg", ".pdf"):
        a = plot_map_file(m, tmp_path / f"a{suffix}", "network", figure_width=3).read_bytes()
        b = plot_map_file(m, tmp_path / f"b{suffix}", "network", figure_width=3).read_bytes()
        assert a == b, suffix


def test_bad_arguments(tmp_path):
    m = random_map(10)
    with pytest.raises(ValueError, match="unknown view"):
        plot_map(m, "map")
    with pytest.raises(ValueError, match="no score column 'score<nope>'"):
        plot_map(m, "overlay", score="score<nope>")
    bare = Map.from_network(Network(pd.DataFrame({"label": ["a"]}), pd.DataFrame({"source": [], "target": [], "strength": []})), [0], [0])
    with pytest.raises(ValueError, match="needs a score column"):
        plot_map(bare, "overlay")
    plot_map_file(bare, tmp_path / "one.png", "density", figure_width=2)  # a one-item map still draws
    with pytest.raises(ValueError, match="unsupported figure format"):
        save_figure(plot_map(m), tmp_path / "x.jpg")


def test_cli_plot_and_errors(tmp_path, real_map):
    vv.write_map_file(real_map, tmp_path / "map.txt")
    vv.write_network_file(real_map, tmp_path / "net.txt")
    runner = CliRunner()
    res = runner.invoke(app, ["plot", str(tmp_path / "map.txt"), "--network", str(tmp_path / "net.txt"), "--view", "overlay",
                              "--score", "Occurrences", "--out", str(tmp_path / "o.png")])
    assert res.exit_code == 2 and "no score column 'score<Occurrences>'" in res.output
    vv.write_json(real_map, tmp_path / "map.json")
    res = runner.invoke(app, ["plot", str(tmp_path / "map.json"), "--view", "density", "--density", "cluster", "--kernel-width", "0.3",
                              "--out", str(tmp_path / "d.png")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "d.png").stat().st_size > 1000
    res = runner.invoke(app, ["plot", str(tmp_path / "map.txt"), "--network", str(tmp_path / "net.txt"), "--max-links", "50", "--straight",
                              "--out", str(tmp_path / "n.svg")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["plot", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "x.png")])
    assert res.exit_code == 2 and "no such file" in res.output
    res = runner.invoke(app, ["plot", str(tmp_path / "net.txt"), "--out", str(tmp_path / "x.png")])
    assert res.exit_code == 2 and "not a VOSviewer map header" in res.output
    assert "Traceback" not in res.output


def test_items_without_coordinates_are_refused(tmp_path, fixtures):
    p = tmp_path / "m.txt"
    p.write_text("id\tlabel\tx\ty\n1\ta\t0.5\t0.5\n2\tb\t\t\n", encoding="utf-8")
    m = vv.read_map_file(p)
    with pytest.raises(ValueError, match=r"1 item\(s\) have no x/y coordinates, e.g. id 2 \('b'\)"):
        plot_map(m)
    res = CliRunner().invoke(app, ["view", str(p), "--out", str(tmp_path / "m.html")])
    assert res.exit_code == 2 and "have no x/y coordinates" in res.output


def test_a_network_without_layout_is_refused():
    net = Network(pd.DataFrame({"label": ["a", "b"]}), pd.DataFrame({"source": [0], "target": [1], "strength": [1.0]}))
    with pytest.raises(ValueError, match="no coordinates"):
        plot_map(net)
