"""The package imports, the CLI answers --version and --help, the demo corpus ships."""
from __future__ import annotations

from importlib import resources

from typer.testing import CliRunner

import bibliomap
from bibliomap.cli import app


def test_version_command():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert bibliomap.__version__ in result.output


def test_every_command_has_help():
    runner = CliRunner()
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = [c.name for c in app.registered_commands]
    assert "ingest" in commands
    for name in commands:
        r = runner.invoke(app, [name, "--help"])
        assert r.exit_code == 0, (name, r.output)
        assert "Usage" in r.output


def test_demo_corpus_ships_inside_the_package():
    demo = resources.files("bibliomap") / "data" / "demo"
    names = [p.name for p in demo.iterdir()]
    assert any(n.endswith(".csv") for n in names)
    assert "README.md" in names
