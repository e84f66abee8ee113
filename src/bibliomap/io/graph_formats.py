"""Maps and networks in other tools' formats: GEXF (Gephi), GraphML (Cytoscape, yEd, igraph),
Pajek .net/.clu/.vec, and plain CSV of items and links. Writers and readers.

Every format keeps the item ids, labels, coordinates (x, y), clusters, weights and scores
where it can hold them, so writing a map and reading it back gives the same map. Pajek has
no ids or attributes beyond label and coordinates: its vertices are numbered 1..n.
"""
from __future__ import annotations

import csv
import io
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.atomic import write_bytes, write_text
from bibliomap.networks.map import Map
from bibliomap.networks.network import Network
from bibliomap.io.vosviewer import cluster_color, default_weight_column

GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ = "http://gexf.net/1.3/viz"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_POSITION_SCALE = 100.0  # VOS coordinates are about -1..1; Gephi works in screen-like units
TEXT_COLUMNS = ("label", "sublabel", "description", "url")


class GraphFormatError(ValueError):
    """A graph file that cannot be read; the message names the file and what was expected."""


def _num(v: Any) -> str:
    f = float(v)
    if math.isnan(f):
        return ""
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def _attribute_columns(network: Network) -> list[tuple[str, str]]:
    """(column, type) for every item attribute a file should carry."""
    items = network.items
    cols: list[tuple[str, str]] = [(c, "string") for c in TEXT_COLUMNS[1:] if c in items]
    cols += [(c, "double") for c in ("x", "y") if c in items]
    if "cluster" in items:
        cols.append(("cluster", "integer"))
    cols += [(c, "double") for c in network.weight_columns() + network.score_columns()]
    return cols


def _build_map(items: pd.DataFrame, links: pd.DataFrame, meta: dict) -> Network:
    if "x" in items and "y" in items:
        m = Map(items=items, links=links, meta=meta)
        ids = np.unique(m.items["cluster"].to_numpy()[m.items["cluster"].to_numpy() > 0])
        m.clusters = pd.DataFrame({"cluster": ids.astype(np.int64), "label": [f"Cluster {c}" for c in ids]})
        return m
    return Network(items, links, meta)


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _parse_xml(path: str | Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except OSError as exc:
        raise GraphFormatError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    except ET.ParseError as exc:
        raise GraphFormatError(f"{path}: not well-formed XML: {exc}") from None


def _typed(value: str | None, kind: str) -> Any:
    if value is None or value == "":
        return np.nan if kind != "string" else ""
    if kind == "string":
        return value
    return float(value) if kind != "integer" else int(float(value))


# ---------------------------------------------------------------- GEXF

def write_gexf(network: Network, path: str | Path) -> None:
    """Write GEXF 1.3 for Gephi: attributes (x, y, cluster, weights, scores) plus viz position, size and colour."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", GEXF_VIZ)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    ET.SubElement(ET.SubElement(root, f"{{{GEXF_NS}}}meta"), f"{{{GEXF_NS}}}creator").text = "bibliomap"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "undirected", "mode": "static"})
    attrs = _attribute_columns(network)
    decl = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node", "mode": "static"})
    for k, (col, kind) in enumerate(attrs):
        ET.SubElement(decl, f"{{{GEXF_NS}}}attribute", {"id": str(k), "title": col, "type": kind})
    items = network.items
    diameter = _diameters(network)
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    values = {c: items[c].to_numpy() for c, _ in attrs}
    for i, (iid, label) in enumerate(zip(items["id"].tolist(), items["label"].astype(str).tolist())):
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": str(iid), "label": label})
        av = ET.SubElement(node, f"{{{GEXF_NS}}}attvalues")
        for k, (col, kind) in enumerate(attrs):
            v = values[col][i]
            text = str(v) if kind == "string" else _num(v)
            if text != "":
                ET.SubElement(av, f"{{{GEXF_NS}}}attvalue", {"for": str(k), "value": text})
        if "cluster" in values:
            r, g, b = (int(cluster_color(int(values["cluster"][i]))[j:j + 2], 16) for j in (1, 3, 5))
            ET.SubElement(node, f"{{{GEXF_VIZ}}}color", {"r": str(r), "g": str(g), "b": str(b)})
        if "x" in values:
            ET.SubElement(node, f"{{{GEXF_VIZ}}}position", {"x": _num(float(values["x"][i]) * GEXF_POSITION_SCALE), "y": _num(float(values["y"][i]) * GEXF_POSITION_SCALE), "z": "0"})
        ET.SubElement(node, f"{{{GEXF_VIZ}}}size", {"value": _num(round(float(diameter[i]) / 2, 3))})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    ids = items["id"].to_numpy(np.int64)
    for k, (s, t, w) in enumerate(zip(network.links["source"].tolist(), network.links["target"].tolist(), network.links["strength"].tolist())):
        ET.SubElement(edges, f"{{{GEXF_NS}}}edge", {"id": str(k), "source": str(ids[s]), "target": str(ids[t]), "weight": _num(w)})
    write_bytes(path, _xml_bytes(root))


def _diameters(network: Network) -> np.ndarray:
    """VOSviewer's circle diameter, max(16 (w / mean w)^0.5, 5), from the default size weight."""
    column = default_weight_column(network.weight_columns())
    n = len(network.items)
    if column is None:
        return np.full(n, 16.0)
    w = np.nan_to_num(network.items[column].to_numpy(float)).clip(min=0)
    mean = w.mean() if n else 0.0
    return np.maximum(16.0 * np.sqrt(w / mean), 5.0) if mean > 0 else np.full(n, 16.0)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_gexf(path: str | Path) -> Network:
    """A map (when x and y are known) or network from a GEXF file (any 1.x namespace)."""
    root = _parse_xml(path)
    if _local(root.tag) != "gexf":
        raise GraphFormatError(f"{path}: not a GEXF file (root element <{_local(root.tag)}>)")
    graph = next((e for e in root if _local(e.tag) == "graph"), None)
    if graph is None:
        raise GraphFormatError(f"{path}: GEXF without a <graph> element")
    decls: dict[str, tuple[str, str]] = {}
    for block in graph:
        if _local(block.tag) == "attributes" and block.get("class", "node") == "node":
            for a in block:
                decls[a.get("id")] = (a.get("title") or a.get("id"), a.get("type", "string"))
    rows, viz_xy = [], []
    for nodes in (e for e in graph if _local(e.tag) == "nodes"):
        for node in nodes:
            row: dict[str, Any] = {"_key": node.get("id"), "label": node.get("label", node.get("id"))}
            pos = None
            for child in node:
                tag = _local(child.tag)
                if tag == "attvalues":
                    for av in child:
                        col, kind = decls.get(av.get("for") or av.get("id"), (av.get("for"), "string"))
                        row[col] = _typed(av.get("value"), "double" if kind in ("float", "double", "long") else kind)
                elif tag == "position":
                    pos = (float(child.get("x", 0)), float(child.get("y", 0)))
            viz_xy.append(pos)
            rows.append(row)
    items = pd.DataFrame(rows)
    if "x" not in items and rows and all(p is not None for p in viz_xy):
        items["x"] = [p[0] / GEXF_POSITION_SCALE for p in viz_xy]
        items["y"] = [p[1] / GEXF_POSITION_SCALE for p in viz_xy]
    return _finish_graph(items, _gexf_edges(graph, path), path)


def _gexf_edges(graph: ET.Element, path) -> list[tuple[str, str, float]]:
    out = []
    for edges in (e for e in graph if _local(e.tag) == "edges"):
        for e in edges:
            if e.get("source") is None or e.get("target") is None:
                raise GraphFormatError(f"{path}: edge {e.get('id')!r} without source or target")
            out.append((e.get("source"), e.get("target"), float(e.get("weight", 1.0))))
    return out


def _finish_graph(items: pd.DataFrame, edges: list[tuple[str, str, float]], path) -> Network:
    """Item ids from the file's node ids when they are non-negative integers, else 1..n."""
    if items.empty:
        items = pd.DataFrame({"_key": pd.Series([], dtype=str), "label": pd.Series([], dtype=str)})
    keys = items["_key"].astype(str).tolist()
    if len(set(keys)) != len(keys):
        raise GraphFormatError(f"{path}: duplicate node id")
    position = {k: i for i, k in enumerate(keys)}
    try:
        ids = [int(k) for k in keys]
        if any(i < 0 for i in ids):
            raise ValueError
    except ValueError:
        ids = list(range(1, len(keys) + 1))
    items = items.drop(columns="_key")
    items.insert(0, "id", np.asarray(ids, dtype=np.int64))
    if "cluster" in items:
        items["cluster"] = items["cluster"].fillna(0).astype(np.int64)
    s, t, w = [], [], []
    for a, b, x in edges:
        if a not in position or b not in position:
            raise GraphFormatError(f"{path}: edge between unknown nodes {a!r} and {b!r}")
        s.append(position[a]); t.append(position[b]); w.append(x)
    links = pd.DataFrame({"source": s, "target": t, "strength": w})
    return _build_map(items, links[links["strength"] > 0] if len(links) else links, {"source_files": [str(path)]})


# ---------------------------------------------------------------- GraphML

def write_graphml(network: Network, path: str | Path) -> None:
    """Write GraphML with keys for label, x, y, cluster, weights and scores, and edge weight."""
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    attrs = [("label", "string")] + _attribute_columns(network)
    kind_map = {"string": "string", "double": "double", "integer": "int"}
    for k, (col, kind) in enumerate(attrs):
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": f"d{k}", "for": "node", "attr.name": col, "attr.type": kind_map[kind]})
    ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": "weight", "for": "edge", "attr.name": "weight", "attr.type": "double"})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "G", "edgedefault": "undirected"})
    items = network.items
    values = {c: items[c].to_numpy() for c, _ in attrs}
    for i, iid in enumerate(items["id"].tolist()):
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": f"n{iid}"})
        for k, (col, kind) in enumerate(attrs):
            v = values[col][i]
            text = str(v) if kind == "string" else _num(v)
            if text != "":
                ET.SubElement(node, f"{{{GRAPHML_NS}}}data", {"key": f"d{k}"}).text = text
    ids = items["id"].to_numpy(np.int64)
    for s, t, w in zip(network.links["source"].tolist(), network.links["target"].tolist(), network.links["strength"].tolist()):
        e = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", {"source": f"n{ids[s]}", "target": f"n{ids[t]}"})
        ET.SubElement(e, f"{{{GRAPHML_NS}}}data", {"key": "weight"}).text = _num(w)
    write_bytes(path, _xml_bytes(root))


def read_graphml(path: str | Path) -> Network:
    """A map (when x and y are present) or network from a GraphML file."""
    root = _parse_xml(path)
    if _local(root.tag) != "graphml":
        raise GraphFormatError(f"{path}: not a GraphML file (root element <{_local(root.tag)}>)")
    keys: dict[str, tuple[str, str, str]] = {}
    for key in (e for e in root if _local(e.tag) == "key"):
        keys[key.get("id")] = (key.get("attr.name") or key.get("id"), key.get("attr.type", "string"), key.get("for", "node"))
    graph = next((e for e in root if _local(e.tag) == "graph"), None)
    if graph is None:
        raise GraphFormatError(f"{path}: GraphML without a <graph> element")
    kinds = {"int": "integer", "long": "integer", "double": "double", "float": "double", "string": "string", "boolean": "string"}
    rows, edges = [], []
    for e in graph:
        tag = _local(e.tag)
        if tag == "node":
            nid = e.get("id")
            row: dict[str, Any] = {"_key": nid[1:] if nid and nid.startswith("n") and nid[1:].isdigit() else nid}
            for d in (c for c in e if _local(c.tag) == "data"):
                name, kind, _ = keys.get(d.get("key"), (d.get("key"), "string", "node"))
                row[name] = _typed(d.text, kinds.get(kind, "string"))
            row.setdefault("label", row["_key"])
            rows.append(row)
        elif tag == "edge":
            w = 1.0
            for d in (c for c in e if _local(c.tag) == "data"):
                name = keys.get(d.get("key"), (d.get("key"),))[0]
                if name in ("weight", "strength") and d.text:
                    w = float(d.text)
            strip = (lambda v: v[1:] if v and v.startswith("n") and v[1:].isdigit() else v)
            edges.append((strip(e.get("source")), strip(e.get("target")), w))
    return _finish_graph(pd.DataFrame(rows), edges, path)


# ---------------------------------------------------------------- Pajek

def _pajek_label(label: Any) -> str:
    return '"' + str(label).replace('"', "'").replace("\n", " ").replace("\r", " ") + '"'


def write_pajek_net(network: Network, path: str | Path) -> None:
    """Write a Pajek network: ``*Vertices n`` (number, "label", x, y) then ``*Edges`` (i j strength)."""
    items = network.items
    has_xy = "x" in items and "y" in items
    out = [f"*Vertices {len(items)}"]
    xs = items["x"].to_numpy(float) if has_xy else None
    ys = items["y"].to_numpy(float) if has_xy else None
    for i, label in enumerate(items["label"].tolist()):
        line = f"{i + 1} {_pajek_label(label)}"
        if has_xy:
            line += f" {_num(xs[i])} {_num(ys[i])}"
        out.append(line)
    out.append("*Edges")
    for s, t, w in zip(network.links["source"].tolist(), network.links["target"].tolist(), network.links["strength"].tolist()):
        out.append(f"{s + 1} {t + 1} {_num(w)}")
    write_text(path, "\r\n".join(out) + "\r\n")


def _pajek_values(values: np.ndarray, integer: bool) -> str:
    lines = [f"*Vertices {len(values)}"] + [str(int(v)) if integer else _num(v) for v in values]
    return "\r\n".join(lines) + "\r\n"


def write_pajek_clu(map_: Network, path: str | Path) -> None:
    """Write a Pajek partition: the cluster of each vertex (0 = none)."""
    write_text(path, _pajek_values(map_.items["cluster"].to_numpy(np.int64), True))


def write_pajek_vec(values: np.ndarray, path: str | Path) -> None:
    """Write a Pajek vector: one number per vertex (e.g. a weight or score column)."""
    write_text(path, _pajek_values(np.asarray(values, dtype=float), False))


def _pajek_lines(path: str | Path) -> list[tuple[int, str]]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GraphFormatError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    from bibliomap.io.encoding import decode

    return [(k, ln.strip()) for k, ln in enumerate(decode(data)[0].splitlines(), 1) if ln.strip() and not ln.lstrip().startswith("%")]


def _vertex_count(line: tuple[int, str], path) -> int:
    parts = line[1].split()
    if not parts[0].lower().startswith("*vertices") or len(parts) < 2 or not parts[1].isdigit():
        raise GraphFormatError(f"{path}: line {line[0]}: expected '*Vertices n', got {line[1]!r}")
    return int(parts[1])


def read_pajek_net(path: str | Path) -> Network:
    """A network (a map when vertices have coordinates) from a Pajek .net file (*Edges, *Arcs and their lists)."""
    lines = _pajek_lines(path)
    if not lines:
        raise GraphFormatError(f"{path}: empty Pajek file: expected '*Vertices n'")
    n = _vertex_count(lines[0], path)
    labels = [str(i + 1) for i in range(n)]
    xy = np.full((n, 2), np.nan)
    section, s, t, w = "vertices", [], [], []
    for no, ln in lines[1:]:
        if ln.startswith("*"):
            section = ln.split()[0].lower()[1:]
            if section not in ("edges", "arcs", "edgeslist", "arcslist"):
                raise GraphFormatError(f"{path}: line {no}: unsupported Pajek section {ln.split()[0]!r} (expected *Edges, *Arcs, *Edgeslist or *Arcslist)")
            continue
        try:
            if section == "vertices":
                num, rest = ln.split(None, 1) if " " in ln or "\t" in ln else (ln, "")
                k = int(num) - 1
                rest = rest.strip()
                if rest.startswith('"'):
                    end = rest.index('"', 1)
                    labels[k], rest = rest[1:end], rest[end + 1:]
                elif rest:
                    labels[k], rest = rest.split(None, 1)[0], " ".join(rest.split()[1:])
                coords = rest.split()
                if len(coords) >= 2:
                    xy[k] = float(coords[0]), float(coords[1])
            elif section in ("edges", "arcs"):
                parts = ln.split()
                s.append(int(parts[0]) - 1); t.append(int(parts[1]) - 1); w.append(float(parts[2]) if len(parts) > 2 else 1.0)
            else:
                parts = [int(p) - 1 for p in ln.split()]
                for other in parts[1:]:
                    s.append(parts[0]); t.append(other); w.append(1.0)
        except (ValueError, IndexError):
            raise GraphFormatError(f"{path}: line {no}: cannot read Pajek {section} line {ln!r}") from None
    bad = [v for v in s + t if not 0 <= v < n]
    if bad:
        raise GraphFormatError(f"{path}: vertex number {bad[0] + 1} outside 1..{n}")
    items = pd.DataFrame({"id": np.arange(1, n + 1), "label": labels})
    if n and not np.isnan(xy).any():
        items["x"], items["y"] = xy[:, 0], xy[:, 1]
    links = pd.DataFrame({"source": s, "target": t, "strength": w})
    return _build_map(items, links, {"source_files": [str(path)]})


def _read_pajek_values(path: str | Path, integer: bool) -> np.ndarray:
    lines = _pajek_lines(path)
    if not lines:
        raise GraphFormatError(f"{path}: empty Pajek file: expected '*Vertices n'")
    n = _vertex_count(lines[0], path)
    if len(lines) - 1 != n:
        raise GraphFormatError(f"{path}: '*Vertices {n}' but {len(lines) - 1} values follow")
    try:
        vals = [float(ln.split()[0]) for _, ln in lines[1:]]
    except ValueError:
        raise GraphFormatError(f"{path}: values must be numbers") from None
    return np.asarray(vals, dtype=np.int64 if integer else float)


def read_pajek_clu(path: str | Path) -> np.ndarray:
    """The partition (cluster per vertex) from a Pajek .clu file."""
    return _read_pajek_values(path, True)


def read_pajek_vec(path: str | Path) -> np.ndarray:
    """The vector (number per vertex) from a Pajek .vec file."""
    return _read_pajek_values(path, False)


def write_pajek(map_: Network, stem: str | Path, vector: str | None = None) -> list[Path]:
    """Write ``stem.net`` and, for a map, ``stem.clu``; ``stem.vec`` for a weight/score column."""
    stem = Path(stem)
    out = [stem.with_suffix(".net")]
    write_pajek_net(map_, out[0])
    if "cluster" in map_.items:
        out.append(stem.with_suffix(".clu"))
        write_pajek_clu(map_, out[-1])
    if vector is not None:
        out.append(stem.with_suffix(".vec"))
        write_pajek_vec(map_.items[vector].to_numpy(float), out[-1])
    return out


# ---------------------------------------------------------------- CSV

def write_items_csv(network: Network, path: str | Path) -> None:
    """All item columns (id, label, x, y, cluster, weights, scores, ...) as CSV (UTF-8)."""
    buf = io.StringIO()
    network.items.to_csv(buf, index=False, lineterminator="\n", float_format=None)
    write_text(path, buf.getvalue())


def write_links_csv(network: Network, path: str | Path) -> None:
    """Links as CSV: source_id, target_id, source_label, target_label, strength."""
    ids = network.items["id"].to_numpy(np.int64)
    labels = network.items["label"].astype(str).to_numpy()
    s = network.links["source"].to_numpy(np.int64)
    t = network.links["target"].to_numpy(np.int64)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["source_id", "target_id", "source_label", "target_label", "strength"])
    for a, b, x in zip(s.tolist(), t.tolist(), network.links["strength"].tolist()):
        w.writerow([ids[a], ids[b], labels[a], labels[b], _num(x)])
    write_text(path, buf.getvalue())


def read_csv(items_path: str | Path, links_path: str | Path | None = None) -> Network:
    """A map or network from the items CSV (and links CSV) written above."""
    try:
        items = pd.read_csv(items_path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:
        raise GraphFormatError(f"{items_path}: cannot read items CSV: {exc}") from None
    if "id" not in items:
        raise GraphFormatError(f"{items_path}: items CSV needs an 'id' column, got {list(items.columns)}")
    for c in TEXT_COLUMNS:
        if c in items:
            items[c] = items[c].fillna("").astype(str)
    links = pd.DataFrame({"source": [], "target": [], "strength": []})
    if links_path is not None:
        try:
            raw = pd.read_csv(links_path, encoding="utf-8-sig", usecols=["source_id", "target_id", "strength"])
        except (OSError, ValueError) as exc:
            raise GraphFormatError(f"{links_path}: links CSV needs source_id, target_id and strength: {exc}") from None
        position = pd.Series(np.arange(len(items)), index=items["id"].to_numpy())
        missing = ~raw["source_id"].isin(position.index) | ~raw["target_id"].isin(position.index)
        if missing.any():
            row = int(np.argmax(missing.to_numpy())) + 2
            raise GraphFormatError(f"{links_path}: line {row}: link to an id not in {items_path}")
        links = pd.DataFrame({"source": position[raw["source_id"]].to_numpy(), "target": position[raw["target_id"]].to_numpy(), "strength": raw["strength"].to_numpy(float)})
    return _build_map(items, links, {"source_files": [str(items_path)] + ([str(links_path)] if links_path else [])})
