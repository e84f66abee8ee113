"""``bibliomap study``: one command from exports to a complete, reproducible study report."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from bibliomap.cli.common import fail, input_files
from bibliomap.cli.engine_options import check_engine, engine_option, master_option


def register(app: typer.Typer) -> None:
    @app.command("study")
    def study_cmd(
        files: list[Path] = typer.Argument(None, help="Export files, folders or globs. Default: the demo corpus shipped in the package."),
        config: Optional[Path] = typer.Option(None, "--config", "-c", help="Study configuration (TOML); see --write-config."),
        out: Path = typer.Option(Path("bibliomap-study"), "--out", "-o", help="Output folder (replaced atomically when the study is complete)."),
        sjr: Optional[Path] = typer.Option(None, "--sjr", help="SCImago Journal Rank CSV for journal quartiles."),
        seed: Optional[int] = typer.Option(None, "--seed", help="Random seed for layout and clustering (overrides the config)."),
        query_year: Optional[int] = typer.Option(None, "--query-year", help="Reference year for citation metrics (overrides the config)."),
        write_config: Optional[Path] = typer.Option(None, "--write-config", help="Write the default configuration with comments to this file and exit."),
        engine: Optional[str] = engine_option(None),
        spark_master: Optional[str] = master_option(),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Language of the report, report.docx and figures: en or id (overrides the config)."),
        force: bool = typer.Option(False, "--force", help="Replace --out even when it is not a previous study (a folder of other files, or a file)."),
    ) -> None:
        """Run the whole study: ingest, metrics, tables, maps, trends, report.html."""
        from bibliomap.report.config import ConfigError, load_config, write_default_config

        if write_config:
            write_default_config(write_config)
            typer.echo(f"wrote the default configuration to {write_config}")
            raise typer.Exit(0)
        try:
            cfg = load_config(config)
        except ConfigError as exc:
            fail(str(exc))
        if seed is not None:
            cfg["study"]["seed"] = seed
        if query_year is not None:
            cfg["study"]["query_year"] = query_year
        if lang is not None:
            from bibliomap.i18n import LANGUAGES

            if lang not in LANGUAGES:
                fail(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
            cfg["study"]["lang"] = lang
        if engine is not None:  # else the config's [study] engine
            cfg["study"]["engine"] = engine
        if spark_master is not None:
            cfg["study"]["spark_master"] = spark_master
        cfg["study"]["engine"] = check_engine(cfg["study"]["engine"], spark_master)
        if sjr is not None and not sjr.exists():
            fail(f"{sjr}: no such file")
        from bibliomap.data import demo_files
        from bibliomap.report.output_folder import OutputFolderError, check_output_folder, recover

        paths = input_files(files) if files else demo_files()
        console = Console(stderr=True, quiet=quiet)
        try:
            for line in recover(out):
                console.print(f"[yellow]note:[/] {line}", highlight=False)
            check_output_folder(out, [*paths, *([sjr] if sjr else []), *([config] if config else [])], force=force)
        except OutputFolderError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{out}: {exc.strerror or exc}")
        console.print(f"bibliomap study: {len(paths)} file(s) -> {out}/")
        styles = {"done": "green", "skipped": "yellow", "failed": "red"}

        def show(rec) -> None:
            console.print(f"  [{styles.get(rec.status, 'white')}]{rec.status:>7}[/] {rec.title:<40} {rec.seconds:7.2f} s  {rec.message}", highlight=False, soft_wrap=True)

        from bibliomap.report.pipeline import run_study

        try:
            with console.status("running the study...", spinner="dots") if not quiet else _nullcontext():
                ctx = run_study(paths, out, cfg, sjr=sjr, progress=show, force=force)
        except OutputFolderError as exc:
            fail(str(exc))
        except RuntimeError as exc:
            fail(str(exc), code=1)
        except OSError as exc:
            where = exc.filename or out
            fail(f"{where}: cannot write the study: {exc.strerror or exc}")
        console.print(f"report: {ctx.out / 'report.html'}")


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False
