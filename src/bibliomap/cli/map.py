"""``bibliomap map``: a science map (VOSviewer map, network and JSON files) from a corpus or a network file."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Optional

import typer

from bibliomap.cli.common import console, fail, load_corpus, load_thesaurus
from bibliomap.cli.engine_options import chosen_engine, engine_option, master_option

#: Short names accepted for analyses on the command line.
_ALIASES = {
    "coauthorship": "co-authorship",
    "cooccurrence": "co-occurrence",
    "coupling": "bibliographic-coupling",
    "bibliographic_coupling": "bibliographic-coupling",
    "cocitation": "co-citation",
    "citations": "citation",
}

OUTPUT_NAMES = ("map.txt", "network.txt", "map.json")


def _analysis_help() -> str:
    from bibliomap.networks.builders import ANALYSES

    return "; ".join(f"{a}:{{{','.join(u)}}}" for a, u in ANALYSES.items())


def parse_analysis(spec: str) -> tuple[str, str]:
    """'co-occurrence:author-keywords' -> ('co-occurrence', 'author-keywords'); clear error otherwise."""
    from bibliomap.networks.builders import ANALYSES, check_combination

    if ":" not in spec:
        fail(f"analysis {spec!r} must be ANALYSIS:UNIT, e.g. co-authorship:authors. Valid: {_analysis_help()}")
    analysis, unit = (p.strip().lower() for p in spec.split(":", 1))
    analysis = _ALIASES.get(analysis.replace(" ", "-"), analysis)
    try:
        check_combination(analysis, unit)
    except ValueError as exc:
        fail(f"{exc}. Valid: {_analysis_help()}")
    assert analysis in ANALYSES
    return analysis, unit


def register(app: typer.Typer) -> None:
    @app.command("map", help=(
        "Build a science map and write map.txt, network.txt and map.json (VOSviewer formats) to --out.\n\n"
        "From bibliographic data: bibliomap map ANALYSIS:UNIT CORPUS_OR_FILES... --out DIR, where ANALYSIS:UNIT is one of "
        "the following (thresholds default to VOSviewer's):\n\n"
        "\b\n"  # click: keep the lines of this paragraph as they are
        "  co-authorship:{authors,organizations,countries}\n"
        "  co-occurrence:{keywords,author-keywords,index-keywords,terms}\n"
        "  citation:{documents,sources,authors,organizations,countries}\n"
        "  bibliographic-coupling:{documents,sources,authors,organizations,countries}\n"
        "  co-citation:{references,cited-sources,cited-authors}\n\n"
        "From a network file: bibliomap map --network FILE [--map FILE] --out DIR (lines 'id1<TAB>id2<TAB>strength', "
        "ids any non-negative integers)."
    ))
    def map_cmd(
        spec: Optional[str] = typer.Argument(None, metavar="ANALYSIS:UNIT", help="e.g. co-authorship:authors, co-occurrence:author-keywords, co-citation:references."),
        inputs: Optional[list[Path]] = typer.Argument(None, metavar="CORPUS_OR_FILES...", help="A corpus (.parquet) or export files."),
        out: Path = typer.Option(..., "--out", "-o", help="Output folder (map.txt, network.txt, map.json)."),
        network_file: Optional[Path] = typer.Option(None, "--network", help="Map this VOSviewer network file instead of a corpus."),
        map_file: Optional[Path] = typer.Option(None, "--map", help="VOSviewer map file with the items (labels, weights) of --network."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format of export files."),
        counting: Optional[str] = typer.Option(None, "--counting", help="full | fractional (bibliographic data); binary | full (terms)."),
        min_documents: Optional[int] = typer.Option(None, "--min-documents", "--min-occurrences", min=0, help="Minimum documents (occurrences for keywords/terms) per item. Default: VOSviewer's (5; 10 for terms)."),
        min_citations: Optional[int] = typer.Option(None, "--min-citations", min=0, help="Minimum citations per item. Default: VOSviewer's (0; 5 for documents; 20 for co-citation)."),
        max_per_document: Optional[int] = typer.Option(None, "--max-per-document", min=0, help="Ignore documents with more authors/organizations/countries than this (default 25; 0 = no limit)."),
        n_items: Optional[int] = typer.Option(None, "--n-items", min=1, help="Keep this many items with the greatest total link strength (default: all meeting the thresholds)."),
        largest_component: bool = typer.Option(False, "--largest-component/--all-components", help="Keep only the largest set of connected items."),
        author_key: str = typer.Option("full", "--author-key", help="Author identity: full (full name) or initials (surname + initials)."),
        thesaurus: Optional[Path] = typer.Option(None, "--thesaurus", help="VOSviewer thesaurus file (label<TAB>replace by; empty replacement drops the label)."),
        normalization: str = typer.Option("association", "--normalization", help="association | fractionalization | linlog | none."),
        attraction: Optional[float] = typer.Option(None, "--attraction", help="Layout attraction (default 2)."),
        repulsion: Optional[float] = typer.Option(None, "--repulsion", help="Layout repulsion (default: VOSviewer's per map type; 1 for network files)."),
        resolution: float = typer.Option(1.0, "--resolution", min=0.0, help="Clustering resolution."),
        random_starts: int = typer.Option(10, "--random-starts", min=1, help="Clustering random starts (best quality kept)."),
        layout_random_starts: int = typer.Option(1, "--layout-random-starts", min=1, help="Layout random starts (lowest V kept)."),
        min_cluster_size: int = typer.Option(1, "--min-cluster-size", min=1, help="Minimum cluster size."),
        merge_small_clusters: bool = typer.Option(True, "--merge-small-clusters/--no-merge-small-clusters", help="Merge clusters below the minimum size into a neighbour (else leave their items unclustered)."),
        seed: int = typer.Option(0, "--seed", min=0, help="Random seed (same input + seed = same output)."),
        stability_runs: int = typer.Option(0, "--stability", min=0, help="Rerun clustering with this many seeds; report their agreement (mean adjusted Rand index) and add each item's co-assignment confidence as score<Cluster confidence> (0 = off)."),
        engine: str = engine_option(),
        spark_master: Optional[str] = master_option(),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    ) -> None:
        started = time.perf_counter()
        with chosen_engine(engine, spark_master):  # the counting; layout and clustering below run here
            network, settings = _network(spec, inputs or [], network_file, map_file, format, counting, min_documents, min_citations,
                                         max_per_document, n_items, largest_component, author_key, thesaurus, quiet)
        if attraction is None:
            attraction = float(network.meta.get("default_attraction", 2.0))
        if repulsion is None:
            repulsion = float(network.meta.get("default_repulsion", 1.0))
        if network.n_items == 0:
            if network_file is not None:
                fail(f"{network_file}: no links (expected lines 'id1<TAB>id2<TAB>strength')", code=1)
            fail("no item meets the thresholds: lower --min-documents / --min-citations", code=1)
        from bibliomap.networks.normalize import canonical_method

        try:
            normalization = canonical_method(normalization)
        except ValueError as exc:
            fail(str(exc))
        mapping = dict(normalization=normalization, attraction=attraction, repulsion=repulsion, resolution=resolution,
                       clustering_random_starts=random_starts, layout_random_starts=layout_random_starts,
                       min_cluster_size=min_cluster_size,
                       merge_small_clusters=merge_small_clusters, seed=seed)
        the_map = _make_map(network, mapping, largest_component and network_file is not None)
        if stability_runs:
            if stability_runs < 2:
                fail("--stability needs at least 2 runs")
            from bibliomap.mapping import stability

            st = stability(the_map, n_runs=stability_runs, seed=seed, normalization=normalization, resolution=resolution,
                           random_starts=random_starts, min_cluster_size=min_cluster_size, merge_small_clusters=merge_small_clusters)
            the_map.items["score<Cluster confidence>"] = st.confidence
            the_map.quality["stability_mean_ari"] = st.mean_ari
            the_map.quality["stability_runs"] = stability_runs
        _write(the_map, out, {**settings, **mapping})
        if not quiet:
            q = the_map.quality or {}
            figures = ", ".join(f"{k} = {_num(v)}" for k, v in q.items())
            console.print(f"{the_map.n_items} items, {the_map.n_links} links, {the_map.n_clusters} clusters; {figures}; "
                          f"{time.perf_counter() - started:.2f} s")
            for k, v in q.items():  # machine-readable on stdout: one "name: value" per line
                typer.echo(f"{k}: {v!r}")
            console.print(f"wrote {', '.join(str(out / n) for n in OUTPUT_NAMES)}")


def _num(v: Any) -> str:
    return f"{v:.6f}" if isinstance(v, float) else str(v)


def _network(spec, inputs, network_file, map_file, format, counting, min_documents, min_citations, max_per_document,
             n_items, largest_component, author_key, thesaurus, quiet):
    """The network to map and the settings to record."""
    from bibliomap.networks.builders import build_network

    if network_file is not None:
        if spec is not None or inputs:
            fail("give either --network FILE or ANALYSIS:UNIT with input files, not both")
        from bibliomap.io.vosviewer import read_network_file

        for p in (network_file, map_file):
            if p is not None and not p.exists():
                fail(f"{p}: no such file")
        try:
            network = read_network_file(network_file, map_file)
        except (ValueError, OSError) as exc:
            fail(str(exc))
        return network, {"network_file": str(network_file), "largest_component": largest_component}
    if map_file is not None:
        fail("--map goes with --network")
    if spec is None:
        fail(f"give ANALYSIS:UNIT and input files, or --network FILE. Valid analyses: {_analysis_help()}")
    analysis, unit = parse_analysis(spec)
    if not inputs:
        fail("no input: give a corpus (.parquet) or export files after ANALYSIS:UNIT")
    if author_key not in ("full", "initials"):
        fail(f"--author-key must be 'full' or 'initials', not {author_key!r}")
    corpus = load_corpus(list(inputs), format=format, quiet=quiet)
    kwargs: dict[str, Any] = dict(counting=counting, n_items=n_items, largest_component=largest_component, author_key=author_key)
    if min_documents is not None:
        kwargs["min_documents"] = min_documents
    if min_citations is not None:
        kwargs["min_citations"] = min_citations
    if max_per_document is not None:
        kwargs["max_items_per_document"] = max_per_document or None
    if thesaurus is not None:
        kwargs["thesaurus"] = load_thesaurus(thesaurus)
    if unit == "terms":  # VOSviewer's term selection: min occurrences, then the most relevant 60 %
        from bibliomap.networks.builders import default_thresholds
        from bibliomap.text.terms import extract_terms

        least = min_documents if min_documents is not None else default_thresholds(analysis, unit).min_documents
        kwargs["terms"] = extract_terms(corpus, counting="full" if counting == "full" else "binary",
                                        min_occurrences=max(least or 1, 1), n_terms=n_items)
    try:
        network = build_network(corpus, analysis, unit, **kwargs)
    except (ValueError, RuntimeError) as exc:
        fail(str(exc))
    settings = {k: v for k, v in network.meta.items() if isinstance(v, (str, int, float, bool)) and not k.startswith("default_")}
    return network, settings


def _make_map(network, mapping: dict, largest_component: bool):
    try:
        from bibliomap.mapping import make_map
    except ImportError:
        fail("the mapping engine (bibliomap.mapping.make_map) is not available in this installation", code=1)
    if largest_component:
        from bibliomap.networks.builders import largest_component as keep_largest

        network = network.subnetwork(keep_largest(network.adjacency()))
        if "weight<Links>" in network.items:
            network = network.with_standard_weights()
    try:
        return make_map(network, **mapping)
    except ValueError as exc:
        fail(str(exc))


def _write(the_map, out: Path, parameters: dict) -> None:
    from bibliomap.io.vosviewer import write_json, write_map_file, write_network_file

    if out.exists() and not out.is_dir():
        fail(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    params = {k: v for k, v in parameters.items() if v is not None}
    params.update({k: float(v) for k, v in (the_map.quality or {}).items() if isinstance(v, (int, float))})
    write_map_file(the_map, out / "map.txt")
    write_network_file(the_map, out / "network.txt")
    write_json(the_map, out / "map.json", parameters=params)
