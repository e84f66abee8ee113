"""VOSviewer map, network and JSON files: readers and writers (ANCHORS 1.9).

Map files are header-driven text tables (tab, comma or semicolon separated, fields with
separators in double quotes); network files are sparse ``id1 id2 [strength]`` lines or a
full ``id row...`` matrix; the JSON file is what VOSviewer Online opens. Reading a map
plus its network gives a :class:`~bibliomap.mapping.Map`; writing it back gives files
VOSviewer reads.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.atomic import write_text
from bibliomap.io.encoding import decode
from bibliomap.networks.map import Map
from bibliomap.networks.network import Network

# VOSviewer's default cluster colours (ANCHORS 1.8); items without a cluster are grey.
CLUSTER_PALETTE = (
    "#d62728", "#2ca02c", "#1f77b4", "#bcbd22", "#9467bd", "#17becf", "#ff7f0e", "#8c564b", "#e377c2",
    "#ff9896", "#98df8a", "#aec7e8", "#dbdb8d", "#c5b0d5", "#9edae5", "#ffbb78", "#c49c94", "#f7b6d2",
)
NO_CLUSTER_COLOR = "#bfbfbf"

# VOSviewer Online's default visualization parameters (ANCHORS 1.9 JSON example).
DEFAULT_JSON_PARAMETERS: dict[str, Any] = {
    "attraction": 2, "repulsion": 1, "largest_component": False, "resolution": 1.0,
    "min_cluster_size": 1, "merge_small_clusters": True, "scale": 1, "item_size": 1, "item_color": 1,
    "item_size_variation": 0.5, "max_label_length": 30, "link_size_variation": 0.5,
    "min_link_strength": 0, "max_n_links": 1000, "curved_links": True, "score_colors": "viridis",
    "zoom_level": 1, "show_info": False, "show_item": "label", "simple_ui": False, "dark_ui": False,
}

_TEXT_COLUMNS = ("id", "label", "sublabel", "description", "url")
_ATTR = re.compile(r"^(weight|score)\s*<(.*)>$", re.IGNORECASE)


class VOSviewerFormatError(ValueError):
    """A VOSviewer file that cannot be read; the message names the file, line and expectation."""


def cluster_color(cluster: int) -> str:
    """VOSviewer's colour for a cluster number (1-based; 0 = no cluster)."""
    if cluster <= 0:
        return NO_CLUSTER_COLOR
    return CLUSTER_PALETTE[(cluster - 1) % len(CLUSTER_PALETTE)]


PREFERRED_WEIGHTS = ("weight<Occurrences>", "weight<Documents>", "weight<Citations>")
STANDARD_WEIGHTS = ("weight<Links>", "weight<Total link strength>")


def default_weight_column(columns: list[str]) -> str | None:
    """The weight that sizes items by default: occurrences, documents or citations when present
    (what a term, author or document map is about), else the first weight other than VOSviewer's
    two standard link weights, else total link strength, else the first weight."""
    weights = [c for c in columns if c.startswith("weight<")]
    for c in PREFERRED_WEIGHTS:
        if c in weights:
            return c
    content = [c for c in weights if c not in STANDARD_WEIGHTS]
    if content:
        return content[0]
    if "weight<Total link strength>" in weights:
        return "weight<Total link strength>"
    return weights[0] if weights else None


# ---------------------------------------------------------------- reading helpers

def _read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise VOSviewerFormatError(f"{p}: cannot read file: {exc.strerror or exc}") from None
    return decode(data)[0]


def _detect_delimiter(line: str) -> str | None:
    """Tab, comma or semicolon (in that order of preference); None means runs of spaces."""
    for sep in ("\t", ",", ";"):
        if sep in line:
            return sep
    return None


def _split_rows(text: str, path: str | Path, whitespace: bool = True) -> list[tuple[int, list[str]]]:
    """(line number, fields) for each non-empty line, honouring double-quoted fields.

    With no tab, comma or semicolon in the first line, fields are split on spaces
    (``whitespace``, network files) or each line is one field (map files).
    """
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        return []
    sep = _detect_delimiter(first)
    rows: list[tuple[int, list[str]]] = []
    if sep is None:
        for no, ln in enumerate(lines, 1):
            if ln.strip():
                rows.append((no, ln.split() if whitespace else [ln.strip()]))
        return rows
    reader = csv.reader(io.StringIO(text), delimiter=sep, quotechar='"', skipinitialspace=False)
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                rows.append((reader.line_num, [f.strip() for f in fields]))
    except csv.Error as exc:
        raise VOSviewerFormatError(f"{path}: line {reader.line_num}: malformed quoted field ({exc})") from None
    return rows


def _number(value: str, path: str | Path, line: int, column: str, integer: bool = False) -> float:
    try:
        v = float(value)
    except ValueError:
        raise VOSviewerFormatError(f"{path}: line {line}: column '{column}': expected a number, got {value!r}") from None
    if integer and (not math.isfinite(v) or v != int(v)):
        raise VOSviewerFormatError(f"{path}: line {line}: column '{column}': expected an integer, got {value!r}")
    return v


# ---------------------------------------------------------------- network files

def _read_links(path: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """(id1, id2, strength, full_ids): sparse pairs; full_ids lists the row ids of a full matrix."""
    text = _read_text(path)
    fast = _fast_sparse(text)
    if fast is not None:
        return fast
    rows = _split_rows(text, path)
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), None
    if len(rows[0][1]) > 3:  # sparse files have 2 or 3 columns; wider means the full matrix format
        return _read_full(rows, path)
    a, b, w = [], [], []
    for no, fields in rows:
        if len(fields) not in (2, 3):
            raise VOSviewerFormatError(f"{path}: line {no}: expected 2 or 3 columns (id1 id2 [strength]), got {len(fields)}")
        i = _number(fields[0], path, no, "id1", integer=True)
        j = _number(fields[1], path, no, "id2", integer=True)
        s = _number(fields[2], path, no, "strength") if len(fields) == 3 else 1.0
        if i < 0 or j < 0:
            raise VOSviewerFormatError(f"{path}: line {no}: ids must be non-negative integers")
        if not math.isfinite(s) or s < 0:
            raise VOSviewerFormatError(f"{path}: line {no}: strength must be a non-negative number, got {fields[2]!r}")
        a.append(int(i)); b.append(int(j)); w.append(s)
    return np.asarray(a, np.int64), np.asarray(b, np.int64), np.asarray(w, float), None


def _fast_sparse(text: str):
    """A vectorized read of a well-formed sparse network file; None sends it to the line-by-line reader."""
    first = next((ln for ln in text.splitlines()[:50] if ln.strip()), None)
    if first is None:
        return None
    sep = _detect_delimiter(first) or r"\s+"
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=float, skip_blank_lines=True, engine="c")
    except (ValueError, pd.errors.ParserError):
        return None
    if df.shape[1] not in (2, 3) or df.isna().to_numpy().any():
        return None
    values = df.to_numpy()
    ids = values[:, :2]
    strength = values[:, 2] if df.shape[1] == 3 else np.ones(len(df))
    if (ids < 0).any() or (ids != np.floor(ids)).any() or (ids > 2**62).any() or not np.isfinite(strength).all() or (strength < 0).any():
        return None
    return ids[:, 0].astype(np.int64), ids[:, 1].astype(np.int64), strength.astype(float), None


def _read_full(rows: list[tuple[int, list[str]]], path: str | Path):
    n = len(rows)
    ids = np.zeros(n, np.int64)
    matrix = np.zeros((n, n))
    for r, (no, fields) in enumerate(rows):
        if len(fields) != n + 1:
            raise VOSviewerFormatError(f"{path}: line {no}: full-matrix network file with {n} rows needs {n + 1} columns (id + row), got {len(fields)}")
        ids[r] = int(_number(fields[0], path, no, "id", integer=True))
        matrix[r] = [_number(v, path, no, f"column {k + 2}") for k, v in enumerate(fields[1:])]
    sym = (matrix + matrix.T) / 2.0  # asymmetric matrices are averaged with their transpose
    iu, ju = np.triu_indices(n, k=1)
    keep = sym[iu, ju] > 0
    return ids[iu[keep]], ids[ju[keep]], sym[iu, ju][keep], ids


def read_network_file(path: str | Path, map_path: str | Path | None = None) -> Network:
    """A network from a VOSviewer network file; with ``map_path`` the map file gives the items.

    Without a map file the items are the ids found in the network file (sorted), labelled
    by their id. Duplicate pairs are summed and self-links dropped.
    """
    if map_path is not None:
        return read_map_file(map_path, network_path=path)
    a, b, w, full_ids = _read_links(path)
    ids = np.unique(np.r_[a, b] if full_ids is None else np.r_[a, b, full_ids])
    items = pd.DataFrame({"id": ids, "label": [str(i) for i in ids]})
    links = pd.DataFrame({"source": np.searchsorted(ids, a), "target": np.searchsorted(ids, b), "strength": w})
    return Network(items, links[links["strength"] > 0], {"source_files": [str(path)]})


def _links_for_items(path: str | Path, item_ids: np.ndarray) -> pd.DataFrame:
    a, b, w, _ = _read_links(path)
    order = np.argsort(item_ids, kind="stable")
    sorted_ids = item_ids[order]
    pos = {}
    for name, arr in (("id1", a), ("id2", b)):
        k = np.searchsorted(sorted_ids, arr)
        k = np.clip(k, 0, max(len(sorted_ids) - 1, 0))
        bad = (len(sorted_ids) == 0) | (sorted_ids[k] != arr) if len(arr) else np.zeros(0, bool)
        if np.any(bad):
            missing = int(arr[np.argmax(bad)])
            raise VOSviewerFormatError(f"{path}: link with {name} {missing}: no item with this id in the map file")
        pos[name] = order[k]
    return pd.DataFrame({"source": pos["id1"], "target": pos["id2"], "strength": w})[w > 0]


# ---------------------------------------------------------------- map files

def _canonical_column(name: str) -> str:
    m = _ATTR.match(name.strip())
    if m:
        return f"{m.group(1).lower()}<{m.group(2).strip()}>"
    low = name.strip().lower()
    if low == "weight":
        return "weight<Weight>"
    if low == "score":
        return "score<Score>"
    if low == "normalized weight":
        return "weight<Normalized weight>"
    return low


def read_map_file(path: str | Path, network_path: str | Path | None = None) -> Map:
    """A map from a VOSviewer map file (header line required), with links from ``network_path``."""
    rows = _split_rows(_read_text(path), path, whitespace=False)
    if not rows:
        raise VOSviewerFormatError(f"{path}: empty map file: expected a header line (id, label, x, y, cluster, ...)")
    header_line, header = rows[0]
    columns = [_canonical_column(h) for h in header]
    known = set(_TEXT_COLUMNS) | {"x", "y", "cluster", "red", "green", "blue"}
    if not any(c in known or c.startswith(("weight<", "score<")) for c in columns):
        raise VOSviewerFormatError(f"{path}: line {header_line}: not a VOSviewer map header (expected columns such as id, label, x, y, cluster), got {header}; a network file goes with --network / network_path")
    if len(set(columns)) != len(columns):
        raise VOSviewerFormatError(f"{path}: line {header_line}: duplicate column names in header {header}")
    if ("x" in columns) != ("y" in columns):
        raise VOSviewerFormatError(f"{path}: line {header_line}: columns x and y must appear together")
    data: dict[str, list] = {c: [] for c in columns}
    for no, fields in rows[1:]:
        if len(fields) != len(columns):
            raise VOSviewerFormatError(f"{path}: line {no}: expected {len(columns)} fields as in the header, got {len(fields)}")
        for c, v in zip(columns, fields):
            if c == "id":
                iv = _number(v, path, no, c, integer=True)
                if iv < 0:
                    raise VOSviewerFormatError(f"{path}: line {no}: id must be a non-negative integer, got {v!r}")
                data[c].append(int(iv))
            elif c == "cluster":
                data[c].append(int(_number(v, path, no, c, integer=True)) if v != "" else 0)
            elif c in ("x", "y", "red", "green", "blue") or c.startswith(("weight<", "score<")):
                data[c].append(_number(v, path, no, c) if v != "" else np.nan)
            else:
                data[c].append(v)
    n = len(rows) - 1
    items = pd.DataFrame(data)
    if "id" not in items:
        if network_path is not None:
            raise VOSviewerFormatError(f"{path}: line {header_line}: an 'id' column is needed to match the network file {network_path}")
        items.insert(0, "id", np.arange(1, n + 1, dtype=np.int64))
    items["id"] = items["id"].astype(np.int64)
    dup = items["id"].duplicated()
    if dup.any():
        raise VOSviewerFormatError(f"{path}: line {rows[1 + int(np.argmax(dup.to_numpy()))][0]}: duplicate id {int(items['id'][dup].iloc[0])}")
    if "label" not in items:
        items.insert(1, "label", items["id"].astype(str))
    for c in ("red", "green", "blue"):
        if c in items:
            items[c] = items[c].fillna(0).astype(np.int64)
    links = _links_for_items(network_path, items["id"].to_numpy(np.int64)) if network_path is not None else pd.DataFrame({"source": [], "target": [], "strength": []})
    sources = [str(path)] + ([str(network_path)] if network_path is not None else [])
    result = Map(items=items, links=links, meta={"source_files": sources})
    result.clusters = _default_clusters(result.items["cluster"].to_numpy())
    return result


def _default_clusters(cluster: np.ndarray) -> pd.DataFrame:
    ids = np.unique(cluster[cluster > 0]).astype(np.int64)
    return pd.DataFrame({"cluster": ids, "label": [f"Cluster {c}" for c in ids]})


# ---------------------------------------------------------------- JSON

def read_json(path: str | Path) -> Map:
    """A map from a VOSviewer JSON file (UTF-8, with or without BOM)."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise VOSviewerFormatError(f"{p}: cannot read file: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VOSviewerFormatError(f"{p}: not valid JSON: {exc}") from None
    network = doc.get("network") if isinstance(doc, dict) else None
    if not isinstance(network, dict) or not isinstance(network.get("items"), list):
        raise VOSviewerFormatError(f"{p}: not a VOSviewer JSON file: expected an object with network.items")
    rows = []
    for k, it in enumerate(network["items"]):
        if not isinstance(it, dict) or "id" not in it:
            raise VOSviewerFormatError(f"{p}: network.items[{k}]: expected an object with an 'id'")
        row: dict[str, Any] = {"id": it["id"], "label": str(it.get("label", it["id"]))}
        for key in ("sublabel", "description", "url"):
            if key in it:
                row[key] = str(it[key])
        for key in ("x", "y"):
            row[key] = float(it.get(key, 0.0))
        row["cluster"] = int(it.get("cluster", 0) or 0)
        for name, v in (it.get("weights") or {}).items():
            row[f"weight<{name}>"] = np.nan if v is None else float(v)
        for name, v in (it.get("scores") or {}).items():
            row[f"score<{name}>"] = np.nan if v is None else float(v)
        rows.append(row)
    items = pd.DataFrame(rows)
    if items.empty:
        items = pd.DataFrame({"id": np.zeros(0, np.int64), "label": []})
    raw_ids = items["id"].tolist()
    if len(set(map(str, raw_ids))) != len(raw_ids):
        seen: set[str] = set()
        dup = next(i for i in raw_ids if str(i) in seen or seen.add(str(i)))
        raise VOSviewerFormatError(f"{p}: duplicate item id {dup}")
    position = {str(i): k for k, i in enumerate(raw_ids)}
    try:
        items["id"] = np.asarray([int(i) for i in raw_ids], dtype=np.int64)
        if (items["id"] < 0).any():
            raise ValueError
    except (ValueError, TypeError):  # text ids (allowed by VOSviewer Online): number the items, keep the ids
        items["source_id"] = [str(i) for i in raw_ids]
        items["id"] = np.arange(1, len(items) + 1, dtype=np.int64)
    s, t, w = [], [], []
    for k, ln in enumerate(network.get("links") or []):
        if not isinstance(ln, dict) or "source_id" not in ln or "target_id" not in ln:
            raise VOSviewerFormatError(f"{p}: network.links[{k}]: expected an object with source_id and target_id")
        try:
            s.append(position[str(ln["source_id"])]); t.append(position[str(ln["target_id"])])
        except KeyError as exc:
            raise VOSviewerFormatError(f"{p}: network.links[{k}]: unknown item id {exc.args[0]}") from None
        w.append(float(ln.get("strength", 1.0)))
    links = pd.DataFrame({"source": s, "target": t, "strength": w})
    config = doc.get("config") or {}
    result = Map(items=items, links=links[links["strength"] > 0], meta={"source_files": [str(p)], "json_config": config, "json_info": doc.get("info") or {}})
    clusters = network.get("clusters")
    if clusters:
        result.clusters = pd.DataFrame([{"cluster": int(c["cluster"]), "label": str(c.get("label", f"Cluster {c['cluster']}"))} for c in clusters])
    else:
        result.clusters = _default_clusters(result.items["cluster"].to_numpy())
    return result


def _json_value(v: Any) -> Any:
    """A JSON-ready value: numpy scalars and arrays unwrapped, NaN/inf as null, whole floats as ints."""
    if isinstance(v, dict):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, np.ndarray)):
        return [_json_value(x) for x in (sorted(v, key=str) if isinstance(v, set) else v)]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if not math.isfinite(f):
            return None
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    if v is None or isinstance(v, str):
        return v
    return str(v)


def map_json_document(map_: Network, parameters: dict | None = None, info: dict | None = None) -> dict:
    """The VOSviewer JSON document (as a dict) for a map or network."""
    items = map_.items
    weights = map_.weight_columns()
    scores = map_.score_columns()
    has_xy = "x" in items and "y" in items
    ids = items["id"].to_numpy(np.int64)
    out_items = []
    cols = {c: items[c].to_numpy() for c in items.columns}
    for k in range(len(items)):
        it: dict[str, Any] = {"id": int(ids[k]), "label": _plain(cols["label"][k])}
        for key in ("sublabel", "description", "url"):
            if key in cols and isinstance(cols[key][k], str) and cols[key][k]:
                it[key] = cols[key][k]
        if has_xy:
            it["x"] = _json_value(cols["x"][k]); it["y"] = _json_value(cols["y"][k])
        if "cluster" in cols and int(cols["cluster"][k]) > 0:
            it["cluster"] = int(cols["cluster"][k])
        ws = {c[7:-1]: _json_value(cols[c][k]) for c in weights}
        ss = {c[6:-1]: _json_value(cols[c][k]) for c in scores}
        it["weights"] = {n: v for n, v in ws.items() if v is not None}
        if ss:
            it["scores"] = {n: v for n, v in ss.items() if v is not None}
        out_items.append(it)
    s = ids[map_.links["source"].to_numpy(np.int64)]
    t = ids[map_.links["target"].to_numpy(np.int64)]
    strength = map_.links["strength"].to_numpy(float)
    links = [{"source_id": int(a), "target_id": int(b), "strength": _json_value(w)} for a, b, w in zip(s, t, strength)]
    network: dict[str, Any] = {"items": out_items, "links": links}
    clusters = getattr(map_, "clusters", None)
    used = sorted({int(c) for c in items["cluster"]} - {0}) if "cluster" in items else []
    if used:
        labels = {}
        if clusters is not None and len(clusters):
            labels = {int(c): str(lab) for c, lab in zip(clusters["cluster"], clusters["label"])}
        network["clusters"] = [{"cluster": c, "label": _plain(labels.get(c, f"Cluster {c}"))} for c in used]
    params = dict(DEFAULT_JSON_PARAMETERS)
    size_weight = default_weight_column(weights)
    if size_weight is not None:
        params["item_size"] = weights.index(size_weight) + 1  # 1-based index into the weights
    params.update({k: _json_value(v) for k, v in (parameters or {}).items()})
    config: dict[str, Any] = {"parameters": params}
    if used:
        config["color_schemes"] = {"cluster_colors": [{"cluster": c, "color": cluster_color(c)} for c in used]}
    doc: dict[str, Any] = {"network": network, "config": config}
    if info:
        doc["info"] = {k: _json_value(v) for k, v in info.items()}
    return doc


def _plain(value: Any) -> str:
    """Labels and ids are plain text in VOSviewer JSON: one line, no control characters."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def write_json(map_: Network, path: str | Path, parameters: dict | None = None, info: dict | None = None) -> None:
    """Write a VOSviewer JSON file that VOSviewer Online opens (UTF-8, no BOM)."""
    doc = map_json_document(map_, parameters, info)
    # compact: json's C encoder (indentation takes the pure-Python one, about 8x slower on large maps)
    write_text(path, json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n")


# ---------------------------------------------------------------- text writers

def _fmt(v: Any) -> str:
    """Numbers written so they read back exactly; whole numbers without a decimal point."""
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(int(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return ""
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        return repr(f)
    return str(v)


def _field(text: str, sep: str) -> str:
    text = re.sub(r"[\r\n]+", " ", text)
    if any(ch in text for ch in (sep, ",", ";", '"', "\t")):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_map_file(map_or_network: Network, path: str | Path) -> None:
    """Write a tab-separated VOSviewer map file (id, label, x, y, cluster, weights, scores)."""
    items = map_or_network.items
    sep = "\t"
    columns = ["id", "label"] + [c for c in ("sublabel", "description", "url") if c in items]
    if "x" in items and "y" in items:
        columns += ["x", "y"]
    if "cluster" in items:
        columns.append("cluster")
    columns += map_or_network.weight_columns() + map_or_network.score_columns()
    text_cols = {"label", "sublabel", "description", "url"}
    cells: list[list[str]] = []  # column by column, then joined row by row
    for c in columns:
        col = items[c]
        if c in text_cols:
            cells.append([_field("" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v), sep) for v in col.tolist()])
        elif pd.api.types.is_float_dtype(col):
            cells.append(_format_floats(col.to_numpy(float)))
        else:
            cells.append([_fmt(v) for v in col.tolist()])
    out = [sep.join(columns)] + [sep.join(row) for row in zip(*cells)]
    write_text(path, "\n".join(out) + "\n")


def write_network_file(network: Network, path: str | Path) -> None:
    """Write a sparse VOSviewer network file: ``id1<TAB>id2<TAB>strength`` per link."""
    ids = network.items["id"].to_numpy(np.int64)
    s = ids[network.links["source"].to_numpy(np.int64)]
    t = ids[network.links["target"].to_numpy(np.int64)]
    w = network.links["strength"].to_numpy(float)
    strengths = _format_floats(w)
    write_text(path, "".join(f"{a}\t{b}\t{x}\n" for a, b, x in zip(s.tolist(), t.tolist(), strengths)))


def _format_floats(values: np.ndarray) -> list[str]:
    """``_fmt`` of every value of a float array, with the whole-number test done by numpy."""
    with np.errstate(invalid="ignore"):
        whole = ((values == np.floor(values)) & (np.abs(values) < 1e15)).tolist()
    return [str(int(x)) if w else ("" if x != x else repr(x)) for x, w in zip(values.tolist(), whole)]
