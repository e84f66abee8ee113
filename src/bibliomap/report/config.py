"""The study configuration: every parameter of every step, with defaults and comments.

``write_default_config`` writes the TOML users edit (``bibliomap study --write-config``);
``load_config`` reads one and fills what it leaves out with the defaults, refusing
unknown keys so a typo never goes unnoticed.
"""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

# (section, key, default, comment). Defaults are VOSviewer's / bibliometrix's / Publish or
# Perish's where they define one; deviations say so in the comment.
PARAMETERS: list[tuple[str, str, Any, str]] = [
    ("study", "title", "Bibliometric study", "title shown at the top of the report"),
    ("study", "seed", 0, "random seed for layout and clustering (VOSviewer uses 0)"),
    ("study", "query_year", 0, "reference year for citation metrics; 0 = the PoP QueryDate year, else this year"),
    ("study", "top_n", 10, "rows in top-N tables and charts"),
    ("study", "table_rows", 10, "rows of each table the report shows before 'Show all' (up to 500; report.docx shows as many); the CSV files hold every row"),
    ("study", "exclude_incomplete_last_year", False, "leave the last year out of the annual growth rate"),
    ("study", "svg", True, "also write every figure as SVG beside its PNG (written after the report, from the same drawing)"),
    ("study", "pdf", True, "also write every figure as PDF beside its PNG (written after the report, from the same drawing)"),
    ("study", "lang", "en", "language of the report, report.docx and the figures: en (English) or id (Bahasa Indonesia)"),
    ("study", "engine", "inprocess", "where the network counting runs: inprocess or spark (Apache Spark; pip install 'bibliomap[spark]')"),
    ("study", "spark_master", "", "Spark master for engine = spark: local[*], a cluster URL or sc://host:15002 (Spark Connect); empty = spark-submit's, else local[*]"),
    ("ingest", "deduplicate", True, "merge duplicate records"),
    ("ingest", "fuzzy_threshold", 0.95, "title similarity for the fuzzy duplicate rule"),
    ("terms", "fields", ["title", "abstract"], "text fields for term extraction"),
    ("terms", "counting", "binary", "binary (once per document) or full (every occurrence), as VOSviewer"),
    ("terms", "min_occurrences", 10, "minimum occurrences of a term (VOSviewer default 10)"),
    ("terms", "keep", 0.6, "share of the most relevant terms kept (VOSviewer default 0.6)"),
    ("terms", "n_terms", 0, "keep this many terms instead of a share; 0 = use keep"),
    ("terms", "specificity_weight", 0.7, "share of termhood against academic prose (the shipped background model) in the relevance score (0 = co-occurrence KL alone, closest to VOSviewer's description; see bibliomap.text.relevance)"),
    ("terms", "keyword_evidence", False, "let the records' author and index keywords add to termhood (the score works without them, as for Google Scholar exports)"),
    ("terms", "nested", False, "also count attested sub-phrases inside longer phrases ('programming model' in 'opencl programming model'; C-value's nested terms); VOSviewer counts the longest phrase only"),
    ("terms", "ignore_structured_labels", True, "skip structured-abstract labels (background, method, ...)"),
    ("terms", "ignore_copyright", True, "skip copyright statements"),
    ("terms", "thesaurus", "", "VOSviewer thesaurus file for terms (label<TAB>replace by; relative to this file)"),
    ("maps", "thesaurus", "", "VOSviewer thesaurus file for keywords, authors, countries and cited references in the bibliographic maps (label<TAB>replace by; an empty replacement drops the item; relative to this file)"),
    ("maps", "normalization", "association", "association | fractionalization | linlog | none"),
    ("maps", "counting", "full", "full or fractional counting of the keyword, co-authorship, coupling and co-citation maps (VOSviewer's wizard offers both; full is its default)"),
    ("maps", "resolution", 1.0, "clustering resolution (VOSviewer default 1)"),
    ("maps", "clustering_random_starts", 10, "Leiden random starts (VOSviewer default 10)"),
    ("maps", "layout_random_starts", 1, "VOS layout random starts (VOSviewer default 1)"),
    ("maps", "min_cluster_size", 1, "smaller clusters are merged or dropped (VOSviewer default 1)"),
    ("maps", "merge_small_clusters", True, "merge small clusters into their best neighbour"),
    ("maps", "largest_component", True, "keep only the largest connected set of items (VOSviewer offers this for unconnected networks; otherwise small components drift to the edges)"),
    ("maps", "max_items", 500, "at most this many items per map, by total link strength"),
    ("maps", "author_min_documents", 2, "co-authorship of authors: minimum documents per author (VOSviewer 5; 2 suits small corpora)"),
    ("maps", "country_min_documents", 1, "co-authorship of countries: minimum documents per country (VOSviewer 5)"),
    ("maps", "keyword_min_occurrences", 3, "keyword co-occurrence: minimum occurrences (VOSviewer 5)"),
    ("maps", "max_authors_per_document", 25, "documents with more authors are ignored (VOSviewer default 25)"),
    ("maps", "coupling_min_citations", 0, "bibliographic coupling of documents: minimum citations"),
    ("maps", "cocitation_min_citations", 3, "co-citation of references: minimum citations (VOSviewer 20; 3 suits small corpora)"),
    ("trends", "burst_gamma", 1.0, "Kleinberg transition cost (CiteSpace default 1.0)"),
    ("trends", "burst_rate_ratio", 2.0, "burst rate over the base rate (CiteSpace default 2)"),
    ("trends", "burst_min_duration", 2, "minimum burst length in years (CiteSpace default 2)"),
    ("trends", "trend_min_freq", 2, "trend topics: minimum frequency (bibliometrix default 2)"),
    ("trends", "trend_items_per_year", 5, "trend topics: items per median year (bibliometrix default 5)"),
    ("trends", "recent_years", 3, "window of recent years for emerging / declining topics"),
    ("trends", "time_slices", [], "cut years for thematic evolution, e.g. [2015, 2020]; empty = halves of the span"),
]


#: Counting methods of the bibliographic maps ([maps] counting), as VOSviewer's wizard offers them.
MAP_COUNTING = ("full", "fractional")
#: Parameters naming a file, resolved against the configuration file's folder.
_FILE_KEYS = (("terms", "thesaurus"), ("maps", "thesaurus"))
#: The name each file parameter's file gets beside a portable configuration (:func:`portable_config`).
FILE_NAMES = {("terms", "thesaurus"): "thesaurus_terms.txt", ("maps", "thesaurus"): "thesaurus_maps.txt"}


def defaults() -> dict[str, dict[str, Any]]:
    """The default configuration as nested dicts."""
    cfg: dict[str, dict[str, Any]] = {}
    for section, key, value, _ in PARAMETERS:
        cfg.setdefault(section, {})[key] = copy.deepcopy(value)
    return cfg


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} to TOML")


def to_toml(cfg: dict[str, dict[str, Any]], comments: bool = True) -> str:
    """TOML text of ``cfg`` with a comment line per parameter."""
    notes = {(s, k): c for s, k, _, c in PARAMETERS}
    lines = ["# bibliomap study configuration: every parameter of every step.", ""]
    for section in dict.fromkeys(s for s, *_ in PARAMETERS):
        lines.append(f"[{section}]")
        for key, value in cfg.get(section, {}).items():
            if comments and (section, key) in notes:
                lines.append(f"# {notes[(section, key)]}")
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def write_default_config(path: str | Path) -> None:
    from bibliomap.atomic import write_text

    write_text(path, to_toml(defaults()))


# numeric parameters with a bounded range: (low, high, low excluded)
_RANGES = {("terms", "keep"): (0.0, 1.0, True), ("terms", "specificity_weight"): (0.0, 1.0, False), ("study", "table_rows"): (1, 500, False)}


class ConfigError(ValueError):
    """The configuration file is invalid (the message names the file and the key)."""


def load_config(path: str | Path | None) -> dict[str, dict[str, Any]]:
    """Defaults overlaid with the file's values; unknown sections/keys or wrong types raise ConfigError."""
    cfg = defaults()
    if path is None:
        return cfg
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    for section, values in data.items():
        if section not in cfg or not isinstance(values, dict):
            raise ConfigError(f"{path}: unknown section [{section}]; known: {', '.join(cfg)}")
        for key, value in values.items():
            if key not in cfg[section]:
                raise ConfigError(f"{path}: unknown key {key!r} in [{section}]; known: {', '.join(cfg[section])}")
            expected = type(cfg[section][key])
            ok = isinstance(value, expected) or (expected is float and isinstance(value, int) and not isinstance(value, bool))
            if not ok:
                raise ConfigError(f"{path}: [{section}] {key} must be {expected.__name__}, got {value!r}")
            cfg[section][key] = float(value) if expected is float else value
    for (section, key), (low, high, low_open) in _RANGES.items():
        v = cfg[section][key]
        if v > high or v < low or (low_open and v == low):
            interval = f"{'(' if low_open else '['}{low}, {high}]"
            raise ConfigError(f"{path}: [{section}] {key} must be in {interval}, got {v!r}")
    from bibliomap.i18n import LANGUAGES

    if cfg["study"]["lang"] not in LANGUAGES:
        raise ConfigError(f"{path}: [study] lang must be one of {', '.join(LANGUAGES)}, got {cfg['study']['lang']!r}")
    if cfg["maps"]["counting"] not in MAP_COUNTING:
        raise ConfigError(f"{path}: [maps] counting must be one of {', '.join(MAP_COUNTING)}, got {cfg['maps']['counting']!r}")
    for section, key in _FILE_KEYS:
        if cfg[section][key]:
            file = Path(path).parent / Path(cfg[section][key]).expanduser()
            if not file.is_file():
                raise ConfigError(f"{path}: [{section}] {key}: no such file {str(file)!r}")
            cfg[section][key] = str(file.resolve())
    return cfg


def portable_config(cfg: dict[str, dict[str, Any]], folder: str | Path) -> dict[str, dict[str, Any]]:
    """``cfg`` with each file it names copied into ``folder`` (under :data:`FILE_NAMES`) and named
    relative to it, so a configuration written there is read back the same wherever the folder
    goes (a study's ``config.toml``; the web app's projects, which can be moved or duplicated)."""
    import shutil

    out = {section: dict(values) for section, values in cfg.items()}
    for (section, key), name in FILE_NAMES.items():
        source = out[section][key]
        if source and source != name:
            target = Path(folder) / name
            if not (target.exists() and target.samefile(source)):
                shutil.copyfile(source, target)
            out[section][key] = name
    return out
