"""``bibliomap plot``: draw a map as a static figure (PNG at 300 dpi, SVG or PDF)."""
from __future__ import annotations

from pathlib import Path

import typer

from bibliomap.cli.common import fail


def register(app: typer.Typer) -> None:
    @app.command("plot")
    def plot(
        map_path: Path = typer.Argument(..., metavar="MAP", help="VOSviewer JSON file, or VOSviewer map file (with --network), GEXF, GraphML or Pajek .net."),
        out: Path = typer.Option(..., "--out", "-o", help="Figure to write: .png (300 dpi), .svg or .pdf."),
        view: str = typer.Option("network", "--view", help="network, overlay or density."),
        network: Path | None = typer.Option(None, "--network", "-n", help="VOSviewer network file for a map file."),
        score: str | None = typer.Option(None, "--score", help="Overlay score column, e.g. 'Avg. pub. year' (default: average publication year, else the first score)."),
        weight: str | None = typer.Option(None, "--weight", help="Weight column that sizes items, e.g. 'Occurrences' (default: the first weight)."),
        min_score: float | None = typer.Option(None, "--min-score", help="Lower end of the overlay colour range."),
        max_score: float | None = typer.Option(None, "--max-score", help="Upper end of the overlay colour range."),
        colormap: str = typer.Option("viridis", "--colormap", help="Matplotlib colour map for overlay and item density."),
        max_links: int = typer.Option(1000, "--max-links", min=0, help="Draw at most this many links, the strongest."),
        straight: bool = typer.Option(False, "--straight", help="Straight links instead of curved ones."),
        density: str = typer.Option("item", "--density", help="Density view: item or cluster."),
        kernel_width: float = typer.Option(1.0, "--kernel-width", help="Density kernel width, relative to the mean distance between items."),
        no_labels: bool = typer.Option(False, "--no-labels", help="Draw no labels."),
    ) -> None:
        """Draw a map as VOSviewer does: network, overlay (by score) or density view."""
        from bibliomap.cli.view import load_map
        from bibliomap.viz.mapplot import FORMATS, VIEWS, plot_map_file

        if view not in VIEWS:
            fail(f"--view must be one of {', '.join(VIEWS)}, got {view!r}")
        if density not in ("item", "cluster"):
            fail(f"--density must be item or cluster, got {density!r}")
        if out.suffix.lower() not in FORMATS:
            fail(f"{out}: unsupported figure format; use .png, .svg or .pdf")
        if kernel_width <= 0:
            fail("--kernel-width must be greater than 0")
        the_map = load_map(map_path, network)
        if score is not None and not score.startswith("score<"):
            score = f"score<{score}>"
        if weight is not None and not weight.startswith("weight<"):
            weight = f"weight<{weight}>"
        try:
            import matplotlib

            matplotlib.colormaps[colormap]
        except KeyError:
            fail(f"--colormap: unknown colour map {colormap!r}")
        try:
            plot_map_file(the_map, out, view, score=score, weight=weight, vmin=min_score, vmax=max_score, cmap=colormap, max_links=max_links,
                          curved=not straight, density=density, kernel_width=kernel_width, labels=not no_labels)
        except ValueError as exc:
            fail(str(exc))
        typer.echo(f"wrote {out}")
