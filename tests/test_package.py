"""The package imports, the CLI answers --version and --help, the demo corpus ships."""
from __future__ import annotations

import re
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


def test_help_shows_every_option_name_whole_at_80_columns():
    import typer.main

    runner = CliRunner()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        r = runner.invoke(app, [name, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
        assert r.exit_code == 0
        assert not re.search(r"--[\w-]*…", r.output), name  # no option name cut short
        assert max(len(line) for line in r.output.splitlines()) <= 80, name
        for param in command.params:
            for opt in [*param.opts, *param.secondary_opts]:
                if opt.startswith("-"):
                    assert opt in r.output, (name, opt)


def test_the_command_line_starts_without_the_data_stack():
    """--help and --version need neither pandas nor pyarrow (they cost about a second to import)."""
    import subprocess
    import sys

    code = "import sys, bibliomap.cli; print(sorted(m for m in ('pandas', 'pyarrow', 'numpy', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
