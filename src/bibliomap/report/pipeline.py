"""The study pipeline: exports -> corpus -> metrics, tables, maps, trends -> report and files.

Each step is a function of the StudyContext that adds results and files. A step
that cannot run on the data raises :class:`Skip` with the reason (no references
for coupling, no affiliations for countries); the report states it and the run
goes on. Everything is written into a temporary folder beside the output and
moved into place only when complete, so a report is never half-written.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import platform
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bibliomap import __version__
from bibliomap.i18n import N_, language
from bibliomap.memory import release_freed_memory
from bibliomap.report.background import WRITE_DEFERRED, BackgroundWork, figure_formats_of
from bibliomap.report.config import portable_config, to_toml
from bibliomap.report.output_folder import check_output_folder, make_temporary, recover, swap_into_place


_TRENDPLOTS = "bibliomap.viz.trendplots"
#: a hidden folder of the study's temporary folder for the map viewers made ahead; removed before the swap
_FRAGMENTS = ".viewers"


class Skip(Exception):
    """A step cannot run on this data; the message says why."""


@dataclasses.dataclass
class StepRecord:
    name: str
    title: str
    status: str = "pending"  # done | skipped | failed
    seconds: float = 0.0
    message: str = ""


@dataclasses.dataclass
class StudyContext:
    files: list[Path]
    config: dict[str, dict[str, Any]]
    out: Path  # the temporary folder being filled
    sjr: Path | None = None
    corpus: Any = None
    tables: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)
    figures: dict[str, Path] = dataclasses.field(default_factory=dict)  # name -> PNG path
    maps: dict[str, Any] = dataclasses.field(default_factory=dict)  # name -> Map
    results: dict[str, Any] = dataclasses.field(default_factory=dict)
    steps: list[StepRecord] = dataclasses.field(default_factory=list)
    background: BackgroundWork = dataclasses.field(default_factory=BackgroundWork)
    viewer_fragments: dict[str, Path] = dataclasses.field(default_factory=dict)  # map name -> viewer HTML made ahead

    @functools.cached_property
    def completeness(self) -> dict[str, float]:
        """Field completeness of the corpus, computed once (several steps check it)."""
        return self.corpus.completeness()

    @property
    def seed(self) -> int:
        return int(self.config["study"]["seed"])

    def table(self, name: str, df: pd.DataFrame) -> None:
        self.tables[name] = df

    def figure_stem(self, name: str) -> Path:
        (self.out / "figures").mkdir(parents=True, exist_ok=True)
        return self.out / "figures" / name

    def draw(self, name: str, chart: str, *args: Any, **kwargs: Any) -> None:
        """Queue ``chart(*args, stem, **kwargs)`` ('module:function') for the figure ``name`` (drawn in the background)."""
        self.background.submit(name, chart, *args, self.figure_stem(name), **kwargs)


# --- steps ---------------------------------------------------------------------------

def step_ingest(ctx: StudyContext) -> str:
    from bibliomap.io.ingest import ingest

    cfg = ctx.config["ingest"]
    corpus = ingest([str(f) for f in ctx.files], deduplicate=cfg["deduplicate"], fuzzy_threshold=cfg["fuzzy_threshold"])
    if len(corpus) == 0:
        from bibliomap.corpus.ingest_report import why_nothing_usable

        raise RuntimeError("nothing usable was read from the input files:\n" + why_nothing_usable(corpus.ingest_report))
    ctx.corpus = corpus
    corpus.write_parquet(ctx.out / "corpus.parquet")
    from bibliomap.atomic import write_text

    write_text(ctx.out / "ingest.json", json.dumps(corpus.ingest_report, indent=2, ensure_ascii=False) + "\n")
    from bibliomap.report.values import translated_reasons

    with language(ctx.config["study"]["lang"]):  # the readers' reasons, in the report's language
        flow_report = translated_reasons(corpus.ingest_report)
    ctx.draw("record_flow", "bibliomap.viz.flow:record_flow_chart", flow_report)
    t = corpus.ingest_report["totals"]
    return f"{t['read']} records read, {t['duplicates']} duplicates merged, {t['rejected']} rejected, {len(corpus)} analysed"


def step_descriptive(ctx: StudyContext) -> str:
    """PoP metrics, bibliometrix's tables, Lotka, Bradford and (with --sjr) quartiles, with charts."""
    from bibliomap.analysis.descriptive import describe

    cfg = ctx.config["study"]
    desc = describe(ctx.corpus, top=cfg["top_n"], query_year=cfg["query_year"] or None,
                    exclude_last_year=cfg["exclude_incomplete_last_year"], sjr=ctx.sjr)
    for k, v in desc.tables.items():
        ctx.table(k, v)
    ctx.results["description"] = desc
    ctx.results["metrics"] = desc.metrics
    ctx.background.submit("descriptive charts", "bibliomap.viz.charts:describe_charts", desc, ctx.out / "figures", top=cfg["top_n"])
    m = desc.metrics
    return (f"reference year {desc.reference_year}: h-index {m.get('h_index')}, {m.get('citations')} citations; "
            f"{len(desc.tables)} tables")


def step_quartiles(ctx: StudyContext) -> str:
    if ctx.sjr is None:
        raise Skip("no SCImago file given (--sjr SJR.csv)")
    q = ctx.results["description"].quartiles
    rate = q.match_rate
    unmatched = len(q.unmatched) if q.unmatched is not None else 0
    return f"SJR {q.sjr_year}: {rate:.0%} of records matched; {unmatched} sources without a quartile" if rate is not None else "no sources to match"


def _need(ctx: StudyContext, field: str, what: str, min_share: float = 0.05) -> None:
    share = ctx.completeness.get(field, 0.0)
    if share < min_share:
        raise Skip(f"only {share:.0%} of the records have {field.replace('_', ' ')}, too few for {what}")


def step_terms(ctx: StudyContext) -> str:
    if ctx.completeness["title"] == 0:
        raise Skip("no titles or abstracts to extract terms from")
    from bibliomap.text.terms import extract_terms

    cfg = ctx.config["terms"]
    thesaurus = _thesaurus(cfg)
    min_occ = int(cfg["min_occurrences"])
    ctx.background.await_text_kernels()
    result = extract_terms(
        ctx.corpus, fields=tuple(cfg["fields"]), counting=cfg["counting"], min_occurrences=min_occ,
        keep=float(cfg["keep"]), n_terms=int(cfg["n_terms"]) or None, thesaurus=thesaurus,
        ignore_structured_labels=cfg["ignore_structured_labels"], ignore_copyright=cfg["ignore_copyright"],
        specificity_weight=float(cfg["specificity_weight"]), nested=bool(cfg["nested"]),
        keyword_evidence=bool(cfg["keyword_evidence"]),
    )
    ctx.results["terms"] = result
    table = result.terms
    # a variant or acronym is never selected itself: say which label counts it ("graphics processing unit" -> "gpu")
    ctx.table("terms", table.assign(counted_as=table["term"].map(result.aliases).fillna("")))
    n_sel = int(table["selected"].sum())
    if n_sel < 2:
        raise Skip(f"only {n_sel} terms meet the threshold of {min_occ} occurrences; lower terms.min_occurrences")
    return f"{len(table)} candidate terms, {n_sel} selected"


def _make_and_store_map(ctx: StudyContext, name: str, network, title: str, figures: dict[str, str] | None = None) -> Any:
    """Lay out and cluster ``network`` (VOSviewer's repulsion for its map type) and write its files;
    ``figures`` names the static views drawn for the report ({figure name: 'network' | 'density'})."""
    from bibliomap.io.graph_formats import write_gexf
    from bibliomap.io.vosviewer import write_json, write_map_file, write_network_file
    from bibliomap.mapping import make_map

    cfg = ctx.config["maps"]
    if network.n_items < 2 or network.n_links == 0:
        raise Skip(f"the {title} network has {network.n_items} items and {network.n_links} links: nothing to map")
    mapping = dict(
        normalization=cfg["normalization"], attraction=2.0, repulsion=float(network.meta.get("default_repulsion", 1.0)),
        resolution=cfg["resolution"], clustering_random_starts=cfg["clustering_random_starts"],
        layout_random_starts=cfg["layout_random_starts"], min_cluster_size=cfg["min_cluster_size"],
        merge_small_clusters=cfg["merge_small_clusters"], largest_component=cfg["largest_component"], seed=ctx.seed,
    )
    m = make_map(network, **mapping)
    folder = ctx.out / "maps" / name
    folder.mkdir(parents=True, exist_ok=True)
    write_map_file(m, folder / "map.txt")
    write_network_file(m, folder / "network.txt")
    # the parameters actually used, at the top level where VOSviewer Online reads them
    params = {**m.meta, **mapping, **m.quality}
    write_json(m, folder / "map.json", parameters=params, info={"title": title})
    write_gexf(m, folder / "map.gexf")
    ctx.maps[name] = m
    ctx.results.setdefault("map_titles", {})[name] = title
    # the report's viewer (density images included) is made in the background meanwhile
    fragment = ctx.out / _FRAGMENTS / f"{name}.html"
    ctx.background.submit(f"viewer of {name}", "bibliomap.report.render:write_viewer_fragment", m, name, title, fragment)
    ctx.viewer_fragments[name] = fragment
    for figure, view in (figures or {}).items():
        ctx.draw(figure, "bibliomap.viz.mapplot:map_figure", m, view=view)
    return m


def _thesaurus(section: dict[str, Any]):
    """The section's VOSviewer thesaurus (None when it names none)."""
    if not section["thesaurus"]:
        return None
    from bibliomap.text.thesaurus import read_thesaurus

    return read_thesaurus(section["thesaurus"])


def step_term_map(ctx: StudyContext) -> str:
    if "terms" not in ctx.results:
        raise Skip("no terms were selected")
    from bibliomap.networks.builders import build_network

    network = build_network(ctx.corpus, "co-occurrence", "terms", counting=ctx.config["terms"]["counting"], terms=ctx.results["terms"], min_occurrences=None,
                            n_items=ctx.config["maps"]["max_items"])
    m = _make_and_store_map(ctx, "term_cooccurrence", network, N_("Term co-occurrence (titles and abstracts)"),
                            figures={"term_network": "network", "term_density": "density"})
    return f"{m.n_items} terms, {m.n_links} links, {m.n_clusters} clusters"


def step_keyword_map(ctx: StudyContext) -> str:
    _need(ctx, "author_keywords", "the keyword co-occurrence map")
    from bibliomap.networks.builders import build_network

    cfg = ctx.config["maps"]
    net = build_network(ctx.corpus, "co-occurrence", "author-keywords", min_occurrences=cfg["keyword_min_occurrences"], counting=cfg["counting"],
                        n_items=cfg["max_items"], thesaurus=_thesaurus(cfg))
    m = _make_and_store_map(ctx, "keyword_cooccurrence", net, N_("Author keyword co-occurrence"), figures={"keyword_network": "network"})
    return f"{m.n_items} keywords, {m.n_clusters} clusters"


def step_coauthor_authors(ctx: StudyContext) -> str:
    _need(ctx, "authors", "co-authorship")
    from bibliomap.networks.builders import build_network

    cfg = ctx.config["maps"]
    net = build_network(ctx.corpus, "co-authorship", "authors", min_documents=cfg["author_min_documents"], counting=cfg["counting"], max_items_per_document=cfg["max_authors_per_document"], n_items=cfg["max_items"],
                        thesaurus=_thesaurus(cfg))
    m = _make_and_store_map(ctx, "coauthorship_authors", net, N_("Co-authorship of authors"), figures={"coauthorship_authors": "network"})
    return f"{m.n_items} authors, {m.n_links} links"


def step_coauthor_countries(ctx: StudyContext) -> str:
    _need(ctx, "countries", "country co-authorship")
    from bibliomap.networks.builders import build_network

    cfg = ctx.config["maps"]
    net = build_network(ctx.corpus, "co-authorship", "countries", min_documents=cfg["country_min_documents"], counting=cfg["counting"], max_items_per_document=cfg["max_authors_per_document"],
                        thesaurus=_thesaurus(cfg))
    m = _make_and_store_map(ctx, "coauthorship_countries", net, N_("Co-authorship of countries"), figures={"coauthorship_countries": "network"})
    return f"{m.n_items} countries, {m.n_links} links"


def step_citation_maps(ctx: StudyContext) -> str:
    _need(ctx, "references", "citation, coupling and co-citation maps")
    from bibliomap.networks.builders import build_network

    cfg = ctx.config["maps"]
    done = []
    net = build_network(ctx.corpus, "bibliographic-coupling", "documents", min_citations=cfg["coupling_min_citations"], n_items=cfg["max_items"],
                        counting=cfg["counting"])
    if net.n_links:
        _make_and_store_map(ctx, "coupling_documents", net, N_("Bibliographic coupling of documents"), figures={"coupling_network": "network"})
        done.append("coupling")
    net = build_network(ctx.corpus, "co-citation", "references", min_citations=cfg["cocitation_min_citations"], n_items=cfg["max_items"], counting=cfg["counting"],
                        thesaurus=_thesaurus(cfg))
    if net.n_links:
        _make_and_store_map(ctx, "cocitation_references", net, N_("Co-citation of cited references"), figures={"cocitation_network": "network"})
        done.append("co-citation")
    if not done:
        raise Skip("the references produce no coupling or co-citation links at these thresholds")
    return ", ".join(done)


def _term_occurrences(ctx: StudyContext):
    """(doc index, item index, labels) for trends: selected terms if any, else author keywords."""
    res = ctx.results.get("terms")
    if res is not None and hasattr(res, "occurrences"):
        occ = res.occurrences
        labels = list(res.labels) if hasattr(res, "labels") else None
        doc = np.asarray(occ["doc"] if "doc" in occ else occ.iloc[:, 0])
        item = np.asarray(occ["term"] if "term" in occ else occ.iloc[:, 1])
        if labels is not None:
            return doc, item, np.asarray(labels, dtype=object), "terms"
    docs, flat = ctx.corpus.explode("author_keywords")
    vals = np.asarray([str(v).lower() for v in flat.to_pylist()], dtype=object)
    labels, item = np.unique(vals, return_inverse=True)
    return docs, item, labels, "author keywords"


def step_trends(ctx: StudyContext) -> str:
    from bibliomap.analysis.bursts import burst_table, yearly_counts
    from bibliomap.analysis.evidence import with_topic_documents
    from bibliomap.analysis.trends import emerging_and_declining, overlay_scores, reference_occurrences, trend_topics

    years = ctx.corpus.values("year")
    if np.isnan(years).all():
        raise Skip("no publication years")
    doc, item, labels, unit = _term_occurrences(ctx)
    if len(doc) == 0:
        raise Skip("no terms or keywords to follow over time")
    cfg = ctx.config["trends"]
    tt = trend_topics(doc, item, years, labels, min_freq=cfg["trend_min_freq"], n_items_per_year=cfg["trend_items_per_year"])
    ctx.table("trend_topics", tt)
    burst_opts = dict(gamma=cfg["burst_gamma"], s=cfg["burst_rate_ratio"], min_duration=cfg["burst_min_duration"])
    bursts = burst_table(doc, item, years, labels, **burst_opts)
    ctx.table("bursts", bursts)
    counts, totals, yrs = yearly_counts(doc, item, years, len(labels))
    ed = emerging_and_declining(counts, totals, yrs, labels, recent_years=cfg["recent_years"], bursts=bursts)
    ed = with_topic_documents(ed, labels, doc, item, ctx.corpus, cfg["recent_years"], rows=ed["status"] != "stable")
    ctx.table("emerging_declining", ed)
    ctx.table("item_scores", overlay_scores(doc, item, years, ctx.corpus.values("times_cited"), labels))
    y0, y1 = int(np.nanmin(years)), int(np.nanmax(years))
    ctx.draw("trend_topics", f"{_TRENDPLOTS}:trend_topics_chart", tt[tt["shown"]] if "shown" in tt else tt)
    if len(bursts):
        ctx.draw("bursts", f"{_TRENDPLOTS}:burst_chart", bursts, y0, y1)
    n_ref_bursts = 0
    if ctx.completeness["references"] > 0.05:
        rdoc, ritem, rlabels = reference_occurrences(ctx.corpus)
        rb = burst_table(rdoc, ritem, years, rlabels, **burst_opts)
        ctx.table("bursts_references", rb)
        n_ref_bursts = len(rb)
        if len(rb):
            ctx.draw("bursts_references", f"{_TRENDPLOTS}:burst_chart", rb, y0, y1, title=N_("Cited references with the strongest bursts"))
    ctx.results["trend_unit"] = unit
    return f"{len(tt)} trend topics, {len(bursts)} bursts ({unit}), {n_ref_bursts} reference bursts"


def step_thematic(ctx: StudyContext) -> str:
    m = ctx.maps.get("term_cooccurrence") or ctx.maps.get("keyword_cooccurrence")
    if m is None:
        raise Skip("no term or keyword map to derive themes from")
    from bibliomap.analysis.evidence import with_cluster_documents, with_topic_documents
    from bibliomap.analysis.evolution import thematic_evolution
    from bibliomap.analysis.gaps import gap_candidates
    from bibliomap.analysis.thematic import classify_documents, describe_clusters, thematic_map
    from bibliomap.analysis.trends import annual_production_by_cluster

    adj = m.adjacency()
    occ_col = next((c for c in m.items.columns if c in ("weight<Occurrences>", "weight<Documents>")), None)
    occ = m.items[occ_col].to_numpy(float) if occ_col else np.asarray(adj.sum(axis=1)).ravel()
    tm = thematic_map(adj, occ, m.items["cluster"].to_numpy(), m.items["label"].to_numpy())
    if len(m.clusters) and len(tm):
        # name themes as the map names its clusters (most characteristic items), not by raw frequency
        names = dict(zip(m.clusters["cluster"], m.clusters["label"]))
        tm["label"] = [names.get(k, lab) or lab for k, lab in zip(tm["cluster"], tm["label"])]
    doc, item, labels, _unit = _term_occurrences(ctx)
    pos = {lab: i for i, lab in enumerate(m.items["label"])}
    map_item = np.array([pos.get(labels[i], -1) for i in item], dtype=np.int64)
    ok = map_item >= 0
    cls = classify_documents(doc[ok], map_item[ok], m.items["cluster"].to_numpy(), len(ctx.corpus))
    in_clusters = (doc[ok], m.items["cluster"].to_numpy()[map_item[ok]])  # per occurrence: document, cluster
    ctx.table("thematic_map", with_cluster_documents(tm, cls, ctx.corpus, occurrences=in_clusters))
    years = ctx.corpus.values("year")
    cites = ctx.corpus.values("times_cited")
    profiles = describe_clusters(cls, years, cites, ctx.corpus.values("doc_type"), ctx.corpus.values("source_title"), themes=tm)
    ctx.table("cluster_profiles", with_cluster_documents(profiles, cls, ctx.corpus))
    production = annual_production_by_cluster(cls["cluster"].to_numpy(), years)
    ctx.table("cluster_production", production)
    table = cls.copy()
    table.insert(1, "id", ctx.corpus.column("id").to_pylist())
    table.insert(2, "title", ctx.corpus.column("title").to_pylist())
    ctx.table("document_clusters", table)
    ctx.results["classification"] = table
    label_of = dict(zip(m.clusters["cluster"], m.clusters["label"])) if len(m.clusters) else None
    ctx.draw("thematic_map", f"{_TRENDPLOTS}:thematic_map_chart", tm)
    ctx.draw("cluster_production", f"{_TRENDPLOTS}:cluster_production_chart", production, labels=label_of)
    cfg = ctx.config["trends"]
    cluster_of_label = np.array([m.items["cluster"].iloc[pos[lab]] if lab in pos else 0 for lab in labels], dtype=np.int64)
    gaps = gap_candidates(doc, item, years, labels, item_cluster=cluster_of_label, recent_years=cfg["recent_years"], seed=ctx.seed)
    ctx.table("gap_candidates", with_topic_documents(gaps, labels, doc, item, ctx.corpus, cfg["recent_years"]))
    if ctx.results.get("terms") is not None:
        from bibliomap.analysis.stated_gaps import stated_gaps

        ctx.table("stated_gaps", stated_gaps(ctx.corpus, ctx.results["terms"], dict(zip(labels, cluster_of_label))))
    n_links = 0
    try:
        ev = thematic_evolution(doc, item, years, labels, cuts=list(cfg["time_slices"]) or None, seed=ctx.seed)
        for name in ("slices", "themes", "theme_items", "links"):
            ctx.table(f"evolution_{name}", getattr(ev, name))
        n_links = len(ev.links)
        ctx.draw("thematic_evolution", f"{_TRENDPLOTS}:evolution_chart", ev)
    except ValueError as exc:
        ctx.results["evolution_skipped"] = str(exc)
    return f"{len(tm)} themes; {(cls['cluster'] > 0).mean():.0%} of documents classified; {len(gaps)} gap candidates; {n_links} evolution links"


def step_cluster_tables(ctx: StudyContext) -> str:
    if not ctx.maps:
        raise Skip("no maps")
    for name, m in ctx.maps.items():
        items = m.items
        wcol = next((c for c in items.columns if c in ("weight<Occurrences>", "weight<Documents>", "weight<Citations>")), "weight<Total link strength>")
        rows = []
        for k in sorted(c for c in items["cluster"].unique() if c > 0):
            sub = items[items["cluster"] == k].sort_values([wcol, "label"], ascending=[False, True], kind="mergesort")
            label = m.clusters.set_index("cluster")["label"].get(k, "") if len(m.clusters) else ""
            year_col = next((c for c in ("score<Avg. pub. year>", "score<Pub. year>") if c in sub), "score<Avg. pub. year>")
            rows.append({
                "cluster": int(k), "label": label, "size": int(len(sub)),
                "most_frequent": "; ".join(sub["label"].head(5)),
                "mean_year": round(float(sub[year_col].mean()), 1) if year_col in sub else None,
            })
        ctx.table(f"clusters_{name}", pd.DataFrame(rows))
    return f"{len(ctx.maps)} cluster tables"


STEPS: list[tuple[str, str, Callable[[StudyContext], str]]] = [
    ("ingest", N_("Read, merge and deduplicate"), step_ingest),
    ("descriptive", N_("Citation metrics and descriptive tables"), step_descriptive),
    ("quartiles", N_("Journal quartiles"), step_quartiles),
    ("terms", N_("Term extraction"), step_terms),
    ("term_map", N_("Term co-occurrence map"), step_term_map),
    ("keyword_map", N_("Keyword co-occurrence map"), step_keyword_map),
    ("coauthorship_authors", N_("Co-authorship of authors"), step_coauthor_authors),
    ("coauthorship_countries", N_("Co-authorship of countries"), step_coauthor_countries),
    ("citation_maps", N_("Citation-based maps"), step_citation_maps),
    ("cluster_tables", N_("Cluster tables"), step_cluster_tables),
    ("trends", N_("Trend topics and bursts"), step_trends),
    ("thematic", N_("Thematic map and classification"), step_thematic),
]


# --- running -------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"bibliomap": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "pandas", "pyarrow", "igraph", "leidenalg", "numba", "matplotlib", "jinja2", "rapidfuzz", "lemminflect"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


#: input files at least this large likely hold enough titles and abstracts for the compiled
#: tokenizer (2M code points, a few thousand abstracts), whose kernels the background worker
#: then compiles while the exports are read
LARGE_TEXT_INPUT_BYTES = 6_000_000


def _input_bytes(files: list[Path]) -> int:
    """The input files' total size in bytes (a missing one counts nothing: ingest reports it)."""
    return sum(p.stat().st_size for p in map(Path, files) if p.is_file())


def run_study(
    files: list[Path],
    out_dir: Path,
    config: dict[str, dict[str, Any]],
    sjr: Path | None = None,
    progress: Callable[[StepRecord], None] | None = None,
    force: bool = False,
) -> StudyContext:
    """Run every step into a temporary folder, render the report, then move it to ``out_dir``.

    ``out_dir`` is checked before any work: only an absent or empty folder or a previous study
    is replaced, anything else only with ``force`` (:mod:`bibliomap.report.output_folder`).
    """
    out_dir = Path(out_dir)
    recover(out_dir)
    check_output_folder(out_dir, [*files, *([sjr] if sjr else [])], force=force)
    tmp = make_temporary(out_dir)
    formats = figure_formats_of(config["study"])
    later = [f for f in formats if f != "png"]  # vector copies: written after the report (viz.deferred)
    ctx = StudyContext(files=list(files), config=config, out=tmp, sjr=sjr,
                       background=BackgroundWork(formats, lang=config["study"]["lang"], deferred=later))
    try:
        ctx.background.start(large_text=_input_bytes(files) >= LARGE_TEXT_INPUT_BYTES)
        from bibliomap.engines import engine

        with engine(config["study"]["engine"], config["study"]["spark_master"] or None):  # reading the exports and counting the maps
            for name, title, fn in STEPS:
                _run_step(ctx, name, title, fn, progress)
        with language(config["study"]["lang"]):
            ctx.results["final_steps"] = [(name, title) for name, title, _fn in FINAL_STEPS]
            for name, title, fn in FINAL_STEPS:
                _run_step(ctx, name, title, fn, progress)
            _update_report_timings(ctx)
        _write_manifest(ctx)
        swap_into_place(tmp, out_dir)
        ctx.out = out_dir
        return ctx
    except BaseException:
        ctx.background.close()  # first: a chart it is drawing would write into the folder removed next
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        ctx.background.close()


def _run_step(ctx: StudyContext, name: str, title: str, fn: Callable[[StudyContext], Any],
              progress: Callable[[StepRecord], None] | None) -> None:
    """Run one step, timed, into ``ctx.steps``; a step that fails is recorded, and the study goes on
    (except ingest, outputs and the report, without which there is no study)."""
    rec = StepRecord(name, title)
    ctx.steps.append(rec)
    t0 = time.perf_counter()
    try:
        rec.message = fn(ctx) or ""
        rec.status = "done"
    except Skip as exc:
        rec.status, rec.message = "skipped", str(exc)
    except Exception as exc:  # noqa: BLE001 - a failing step must not lose the study
        if name in ("ingest", "outputs", "report", "workbook"):
            raise
        rec.status, rec.message = "failed", f"{type(exc).__name__}: {exc}"
    release_freed_memory()  # the next step's peak then does not stack on this one's leftovers
    rec.seconds = time.perf_counter() - t0
    if progress:
        progress(rec)


def _render_report(ctx: StudyContext) -> str:
    from bibliomap.report.render import render_report

    path = render_report(ctx)
    shutil.rmtree(ctx.out / _FRAGMENTS, ignore_errors=True)
    return path.name


def _update_report_timings(ctx: StudyContext) -> None:
    """The table of steps of the report and of report.docx with the times of the steps that ended
    after they were written."""
    from bibliomap.report.docx_report import update_steps_table
    from bibliomap.report.render import update_timings
    from bibliomap.report.results import steps_table

    update_timings(ctx)
    if (ctx.out / "report.docx").is_file():
        update_steps_table(ctx.out / "report.docx", steps_table(ctx))


def _write_docx(ctx: StudyContext) -> str:
    """report.docx: the numbered tables as Word tables and the figures with their captions."""
    from bibliomap.report.docx_report import write_docx

    return write_docx(ctx.results["report_results"], ctx.out / "report.docx").name


#: The name of the background job writing the worker's deferred figure files.
_FIGURE_FILES = "vector figure files"


def _finish_figure_files(ctx: StudyContext) -> str:
    """Write the vector figure files this process deferred, then wait for the worker's and for
    tables/study.xlsx (kept for the workbook step). A figure file not written fails this step only."""
    from bibliomap.viz.deferred import write_pending

    problems = []
    try:
        write_pending()
    except RuntimeError as exc:
        problems.append(str(exc))
    paths, errors, _waited = ctx.background.wait()
    ctx.results["background_files"] = paths
    ctx.results["background_errors"] = [e for e in errors if not e.startswith(f"{_FIGURE_FILES}:")]
    problems += [e for e in errors if e.startswith(f"{_FIGURE_FILES}:")]
    promised = [p for files in ctx.results.get("figure_files", {}).values() for p in files if p.suffix != ".png"]
    missing = [p.name for p in promised if not p.is_file()]
    if missing:
        problems.append(f"{len(missing)} figure file(s) missing: {', '.join(missing)}")
    if problems:
        raise RuntimeError("; ".join(problems))
    return f"{len(promised)} files"


def _collect_workbook(ctx: StudyContext) -> str:
    """tables/study.xlsx (waited for with the figure files); without it the study is incomplete, so a failure stops it."""
    if "background_files" not in ctx.results:  # the figure files' step did not run: collect here
        with contextlib.suppress(RuntimeError):
            _finish_figure_files(ctx)
    if ctx.results["background_errors"]:
        raise RuntimeError("; ".join(ctx.results["background_errors"]))
    return ", ".join(p.name for p in ctx.results["background_files"] if p.suffix == ".xlsx") or "no tables"


def _collect_figures(ctx: StudyContext) -> str:
    """Wait for the charts the steps queued; a chart that failed is reported, the others kept."""
    paths, errors, _waited = ctx.background.wait()
    if ctx.background.deferred:  # the worker writes the vector files it queued while the report is made
        ctx.background.submit(_FIGURE_FILES, WRITE_DEFERRED)
    files: dict[str, list[Path]] = {}
    for p in paths:
        if p.suffix in (".png", ".svg", ".pdf"):
            files.setdefault(p.stem, []).append(p)
        if p.suffix == ".png":
            ctx.figures[p.stem] = p
    ctx.results["figure_files"] = files
    if errors:
        raise RuntimeError(f"{len(errors)} chart(s) failed: " + "; ".join(errors))
    figures = [p for p in paths if p.suffix in (".png", ".svg", ".pdf")]
    return f"{len(figures)} figure files, {len(paths) - len(figures)} map viewers"


def _write_outputs(ctx: StudyContext) -> str:
    from bibliomap.atomic import write_text
    from bibliomap.io.tables import table_to_csv

    tdir = ctx.out / "tables"
    tdir.mkdir(parents=True, exist_ok=True)
    for name, df in ctx.tables.items():
        table_to_csv(df, tdir / f"{name}.csv")
    if ctx.tables:  # the workbook is written in the background while the report renders
        ctx.background.submit("workbook", "bibliomap.io.tables:tables_to_xlsx", ctx.tables, tdir / "study.xlsx")
    write_text(ctx.out / "config.toml", to_toml(portable_config(ctx.config, ctx.out)))  # thesauri copied beside it
    return f"{len(ctx.tables)} tables as CSV"


def _write_manifest(ctx: StudyContext) -> None:
    from bibliomap.atomic import write_text

    rep = ctx.corpus.ingest_report if ctx.corpus is not None else {}
    manifest = {
        "bibliomap": __version__,
        "versions": _versions(),
        "seed": ctx.seed,
        "inputs": [{"path": str(f), "sha256": _sha256(Path(f)), "bytes": os.path.getsize(f)} for f in ctx.files],
        "records": rep.get("totals", {}),
        "documents_analysed": len(ctx.corpus) if ctx.corpus is not None else 0,
        "steps": [{"name": s.name, "status": s.status, "seconds": round(s.seconds, 3), "message": s.message} for s in ctx.steps],
        "outputs": sorted(str(p.relative_to(ctx.out)) for p in ctx.out.rglob("*") if p.is_file()),
    }
    write_text(ctx.out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


#: What follows the analyses, in order: collecting the background work, writing the outputs and
#: the report (each a timed step of the manifest, like the analyses of ``STEPS``).
FINAL_STEPS: list[tuple[str, str, Callable[[StudyContext], str]]] = [
    ("figures", N_("Figures and map viewers (made in the background)"), _collect_figures),
    ("outputs", N_("Tables (CSV) and configuration"), _write_outputs),
    ("report", N_("Report"), _render_report),
    ("docx", N_("Word document of the results"), _write_docx),
    ("figure_files", N_("Vector figure files, SVG and PDF (written in the background)"), _finish_figure_files),
    ("workbook", N_("Workbook (written in the background)"), _collect_workbook),
]
