"""The ``bibliomap`` command line: one module per command, each with ``register(app)``."""
from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any

import typer

from bibliomap import __version__

app = typer.Typer(
    name="bibliomap",
    help="Bibliometric analysis and science mapping: from database exports to a reproducible study.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: every option name whole at 80 columns, and faster
)

# Command modules under bibliomap.cli; each defines register(app). Keep sorted.
_COMMAND_MODULES = [
    "enrich",
    "fetch",
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


def _clean_os_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A command whose file-system errors end as one line naming the path (exit 2), not a traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OSError as exc:
            from bibliomap.cli.common import fail

            text = str(exc) if type(exc).__str__ is not OSError.__str__ else (exc.strerror or str(exc))
            where = f"{exc.filename}: " if exc.filename and str(exc.filename) not in text else ""
            fail(f"{where}{text}")

    return run


for _name in _COMMAND_MODULES:
    importlib.import_module(f"bibliomap.cli.{_name}").register(app)
for _info in app.registered_commands:
    _info.callback = _clean_os_errors(_info.callback)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="bibliomap")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
