"""The ``bibliomap`` command line: one module per command, each with ``register(app)``."""
from __future__ import annotations

import importlib
import sys

import typer

from bibliomap import __version__

app = typer.Typer(
    name="bibliomap",
    help="Bibliometric analysis and science mapping: from database exports to a reproducible study.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

# Command modules under bibliomap.cli; each defines register(app). Keep sorted.
_COMMAND_MODULES = [
    "ingest",
    "map",
    "metrics",
    "plot",
    "study",
    "terms",
    "trends",
    "view",
    "webapp",  # `bibliomap app` (a module named app would shadow the Typer object bibliomap.cli.app)
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bibliomap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """bibliomap: read exports, measure, map, interpret, report."""


for _name in _COMMAND_MODULES:
    importlib.import_module(f"bibliomap.cli.{_name}").register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="bibliomap")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
