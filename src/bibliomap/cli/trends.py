"""``bibliomap trends``: trend topics, bursts, thematic map and evolution, gap candidates, as CSV and figures."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from bibliomap.cli.common import fail, load_corpus



def _parse_cuts(text: Optional[str]) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(x) for x in text.replace(";", ",").split(",") if x.strip()]
    except ValueError:
        fail(f"--slices: expected cut years separated by commas (e.g. 2010,2016), got {text!r}")
    return None


def register(app: typer.Typer) -> None:
    @app.command("trends")
    def trends_cmd(
        corpus_or_files: list[Path] = typer.Argument(..., help="A corpus (.parquet) or export files."),
        out: Path = typer.Option(..., "--out", "-o", help="Folder for the tables (CSV), figures (PNG, SVG) and summary."),
        unit: str = typer.Option("terms", "--unit", "-u", help="terms, author-keywords, index-keywords, keywords, references, sources, authors or countries."),
        min_occurrences: int = typer.Option(5, "--min-occurrences", min=1, help="Terms only: minimum occurrences of a term to be extracted."),
        min_freq: int = typer.Option(2, "--min-freq", min=1, help="Minimum documents of an item for trends, themes and bursts."),
        gamma: float = typer.Option(1.0, "--gamma", min=0.0, help="Burst transition cost factor (CiteSpace default 1.0; lower: more bursts)."),
        rate_ratio: float = typer.Option(2.0, "--rate-ratio", min=1.0, help="Burst rate ratio s: burst rate = s x base rate."),
        min_duration: int = typer.Option(2, "--min-duration", min=1, help="Minimum burst duration in years."),
        slices: Optional[str] = typer.Option(None, "--slices", help="Cut years of the thematic-evolution slices, e.g. 2010,2016 (default: halves)."),
        recent_years: int = typer.Option(3, "--recent-years", min=1, help="Years counted as recent for emerging topics and gaps."),
        n_items: int = typer.Option(250, "--n-items", min=2, help="Most frequent items clustered into themes."),
        top: int = typer.Option(25, "--top", min=1, help="Bursts shown in the burst charts."),
        seed: int = typer.Option(0, "--seed", help="Random seed of the clustering."),
        figures: bool = typer.Option(True, "--figures/--no-figures", help="Draw the figures."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary output."),
    ) -> None:
        """Where is the field going: trend topics, bursts, thematic map, thematic evolution, emerging topics, gap
        candidates and a plain-language summary, for one unit (terms of titles and abstracts by default)."""
        from bibliomap.analysis.summaries import summarize, to_markdown
        from bibliomap.analysis.trends import trend_analysis
        from bibliomap.atomic import write_text
        from bibliomap.io.tables import table_to_csv

        from bibliomap.analysis.trends import TREND_UNITS

        if unit not in TREND_UNITS:
            fail(f"--unit: expected one of {', '.join(TREND_UNITS)}, got {unit!r}")
        cuts = _parse_cuts(slices)
        corpus = load_corpus(corpus_or_files, format=format, quiet=quiet)
        term_options = {"min_occurrences": min_occurrences} if unit == "terms" else {}
        try:
            tables, evolution = trend_analysis(
                corpus, unit=unit, min_freq=min_freq, gamma=gamma, rate_ratio=rate_ratio, min_duration=min_duration,
                recent_years=recent_years, n_theme_items=n_items, cuts=cuts, seed=seed, **term_options,
            )
        except ValueError as exc:
            fail(str(exc), code=1)
        out.mkdir(parents=True, exist_ok=True)
        for name, df in tables.items():
            table_to_csv(df, out / f"{name}.csv")
        label = unit.replace("-", " ")
        answers = summarize(tables, unit=label, recent_years=recent_years)
        write_text(out / "summary.md", to_markdown(answers))
        if figures:
            _draw(tables, evolution, out / "figures", label, top)
        if not quiet:
            from bibliomap.cli.common import console

            console.print(f"{len(tables['trend_topics'])} trend topics, {len(tables['bursts'])} bursts, "
                          f"{len(tables['thematic_map'])} themes, {len(tables['gaps'])} gap candidates ({label}) -> {out}", highlight=False)


def _draw(tables: dict, evolution, folder: Path, label: str, top: int) -> None:
    from bibliomap.viz import trendplots as tp

    folder.mkdir(parents=True, exist_ok=True)
    prod = tables["cluster_production"]
    y0, y1 = (int(prod["year"].min()), int(prod["year"].max())) if len(prod) else (0, 0)
    tp.trend_topics_chart(tables["trend_topics"], folder / "trend_topics", title=f"Trend topics ({label})")
    tp.burst_chart(tables["bursts"], y0, y1, folder / "bursts", top=top, title=f"{label.capitalize()} with the strongest bursts")
    if "bursts_references" in tables:
        tp.burst_chart(tables["bursts_references"], y0, y1, folder / "bursts_references", top=top,
                       title="References with the strongest citation bursts")
    tp.thematic_map_chart(tables["thematic_map"], folder / "thematic_map", title=f"Thematic map ({label})")
    tp.evolution_chart(evolution, folder / "thematic_evolution")
    prof = tables["cluster_profiles"]
    names = dict(zip(prof["cluster"], prof["label"])) if "label" in prof else {}
    tp.cluster_production_chart(prod, folder / "cluster_production", labels=names)
