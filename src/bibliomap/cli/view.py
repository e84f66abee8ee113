"""``bibliomap view``: write a self-contained interactive HTML viewer for a map."""
from __future__ import annotations

from pathlib import Path

import typer

from bibliomap.cli.common import fail


def load_map(path: Path, network: Path | None = None):
    """A map from VOSviewer JSON, a VOSviewer map file (+ network file), GEXF, GraphML or Pajek .net."""
    from bibliomap.io import graph_formats as gf
    from bibliomap.io import vosviewer as vv

    if not path.exists():
        fail(f"{path}: no such file")
    if network is not None and not network.exists():
        fail(f"{network}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            if network is not None:
                fail("--network is only for VOSviewer map files; a JSON file already holds the links")
            return vv.read_json(path)
        if suffix == ".gexf":
            return gf.read_gexf(path)
        if suffix == ".graphml":
            return gf.read_graphml(path)
        if suffix == ".net":
            return gf.read_pajek_net(path)
        return vv.read_map_file(path, network_path=network)
    except (vv.VOSviewerFormatError, gf.GraphFormatError) as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    @app.command("view")
    def view(
        map_path: Path = typer.Argument(..., metavar="MAP", help="VOSviewer JSON file, or VOSviewer map file (with --network), GEXF, GraphML or Pajek .net."),
        out: Path = typer.Option(..., "--out", "-o", help="The HTML file to write."),
        network: Path | None = typer.Option(None, "--network", "-n", help="VOSviewer network file for a map file."),
        title: str | None = typer.Option(None, "--title", help="Title shown in the page (default: the map file's name)."),
        max_links: int = typer.Option(1000, "--max-links", min=0, help="Links drawn at first (strongest first); changeable in the page."),
        score: str | None = typer.Option(None, "--score", help="Overlay score shown first, e.g. 'Avg. pub. year'."),
        min_score: float | None = typer.Option(None, "--min-score", help="Lower end of the overlay colour range (with --max-score)."),
        max_score: float | None = typer.Option(None, "--max-score", help="Upper end of the overlay colour range (with --min-score)."),
        kernel_width: float = typer.Option(1.0, "--kernel-width", min=0.0, help="Density kernel width, relative to the mean distance between items."),
    ) -> None:
        """Write one self-contained HTML page to explore a map (pan, zoom, search, hover, views)."""
        from bibliomap.viz.viewer import write_viewer

        if out.suffix.lower() not in (".html", ".htm"):
            fail(f"{out}: the viewer is an HTML file; use a name ending in .html")
        if kernel_width <= 0:
            fail("--kernel-width must be greater than 0")
        if (min_score is None) != (max_score is None) or (min_score is not None and max_score <= min_score):
            fail("give both --min-score and --max-score, with --min-score below --max-score")
        the_map = load_map(map_path, network)
        score_range = (min_score, max_score) if min_score is not None else None
        try:
            write_viewer(the_map, out, title=title or map_path.stem, max_links=max_links, score=score, kernel_width=kernel_width, score_range=score_range)
        except ValueError as exc:
            fail(str(exc))
        typer.echo(f"wrote {out} ({the_map.n_items} items, {the_map.n_links} links)")
