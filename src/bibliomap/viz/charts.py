"""Static charts of the performance analysis: production, top-N bars, quartiles, laws, word cloud.

Each function draws one figure from a result table and writes it as PNG (300 dpi) and SVG
next to each other (``<stem>.png`` and ``<stem>.svg``; inside :func:`figure_formats` only
the formats it names), atomically and deterministically
(fixed SVG hash salt, no dates in the metadata). Figures use matplotlib's object API (no
pyplot state), so they are safe to draw from library code.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator, ScalarFormatter

from bibliomap.i18n import N_, _, current_language, number_localizer
from bibliomap.atomic import atomic_path
from bibliomap.scoped import set_within

DPI = 300
_FORMATS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("figure_formats", default=("png", "svg"))
_WIDTH = 6.5  # inches: a page-wide figure
_FALLBACK_COLORS = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2"]


def _style() -> dict:
    """rcParams for every chart: the project theme when available, else a plain fallback."""
    try:
        from bibliomap.viz.theme import apply_style

        style = apply_style()
    except Exception:  # the theme module is optional for these charts
        style = {"font.size": 9, "axes.spines.top": False, "axes.spines.right": False, "savefig.bbox": "tight"}
    style = dict(style)
    style.update({"svg.hashsalt": "bibliomap", "savefig.dpi": DPI, "savefig.bbox": "tight"})
    return style


def _colors() -> list[str]:
    try:
        from bibliomap.viz.theme import CLUSTER_PALETTE

        return list(CLUSTER_PALETTE)
    except Exception:
        return list(_FALLBACK_COLORS)


@contextlib.contextmanager
def _figure(height: float) -> Iterator[Figure]:
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(_WIDTH, height))
        yield fig


def figure_formats(formats: Sequence[str]) -> contextlib.AbstractContextManager:
    """Charts drawn inside write only ``formats`` (of 'png', 'svg', 'pdf'), e.g. PNG alone when no vector file is wanted."""
    return set_within(_FORMATS, tuple(formats))


def current_formats() -> tuple[str, ...]:
    """The figure formats asked for now (see :func:`figure_formats`)."""
    return _FORMATS.get()


class _LocalizedTicks(Formatter):
    """A numeric axis's own tick labels, with the decimal symbol of the report's language ("0,5" in Indonesian)."""

    def __init__(self, inner: Formatter):
        self.inner = inner
        self.localize = number_localizer()

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None) -> str:
        return self.localize(self.inner(x, pos))

    def get_offset(self) -> str:
        return self.localize(self.inner.get_offset())


def localize_ticks(fig: Figure) -> None:
    """Numeric tick labels of ``fig`` in the current language (a no-op in English): matplotlib writes "0.5",
    which an Indonesian reader takes for a group separator, like the report's numbers (``bibliomap.i18n``)."""
    if current_language() == "en":
        return
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, ScalarFormatter):  # category and date axes keep their labels
                axis.set_major_formatter(_LocalizedTicks(formatter))


def save_figure(fig: Figure, stem: str | Path) -> list[Path]:
    """Write ``fig`` as ``stem.png`` (300 dpi), ``stem.svg`` and ``stem.pdf`` (see :func:`figure_formats`); returns the paths.

    The tight frame is measured once for all formats (matplotlib would lay the figure out again
    for each). Inside :func:`bibliomap.viz.deferred.deferring`, the vector files are queued to be
    written later from this same figure; their paths are returned all the same.
    """
    from bibliomap.viz.deferred import later_figure

    stem = Path(stem)
    paths = []
    formats = _FORMATS.get()
    localize_ticks(fig)
    frame = _tight_frame(fig)
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None}), ("pdf", {"CreationDate": None, "Creator": None, "Producer": None})):
        if ext not in formats:
            continue
        target = stem.with_suffix(f".{ext}")
        options = {"format": ext, "dpi": DPI, "metadata": meta, "bbox_inches": frame}
        if ext == "png" or not later_figure(target, fig, options):
            with atomic_path(target) as tmp:
                fig.savefig(tmp, **options)
        paths.append(target)
    return paths


def _tight_frame(fig: Figure):
    """The figure's tight bounding box with the usual padding, in inches (what savefig's bbox_inches='tight' measures)."""
    fig.set_dpi(DPI)  # measured at the PNG's resolution, as savefig would
    return fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])


def _shorten(text: object, width: int = 50) -> str:
    s = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    return s if len(s) <= width else s[: width - 1] + "\u2026"


def doc_type_label(value: object) -> str:
    """A document type of bibliomap's vocabulary (``corpus.finalize.DOC_TYPES``) in the figure's
    language; a type as the export names it stays as it is."""
    from bibliomap.corpus.finalize import DOC_TYPES

    text = str(value)
    return _(text) if text in DOC_TYPES.values() else text


def bar_chart(df: pd.DataFrame, label: str, value: str, title: str, stem: str | Path, xlabel: str | None = None) -> list[Path]:
    """Horizontal bars of ``value`` per ``label`` (largest on top) for a top-N table."""
    n = max(len(df), 1)
    with _figure(1.0 + 0.28 * n) as fig:
        ax = fig.add_subplot()
        labels = [_shorten(v) for v in df[label]][::-1]
        values = pd.to_numeric(df[value], errors="coerce").fillna(0).to_numpy()[::-1]
        ax.barh(np.arange(len(values)), values, color=_colors()[0])
        ax.set_yticks(np.arange(len(values)), labels)
        ax.set_xlabel(_(xlabel or value))
        ax.set_title(_(title))
        return save_figure(fig, stem)


def annual_production_chart(annual: pd.DataFrame, stem: str | Path) -> list[Path]:
    """Documents per year (bars) with the citations of each year's documents (line, right axis)."""
    colors = _colors()
    with _figure(3.2) as fig:
        ax = fig.add_subplot()
        ax.bar(annual["Year"], annual["Articles"], color=colors[0], label=_("Documents"))
        ax.set_xlabel(_("Year"))
        ax.set_ylabel(_("Documents"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax2 = ax.twinx()
        ax2.plot(annual["Year"], annual["Citations"], color=colors[1 % len(colors)], marker="o", markersize=3, label=_("Citations"))
        ax2.set_ylabel(_("Citations"))
        ax2.spines["right"].set_visible(True)
        ax.set_title(_("Annual scientific production and citations"))
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        ax.legend(handles, [h.get_label() for h in handles], loc="best")
        return save_figure(fig, stem)


def quartile_chart(documents: pd.DataFrame, stem: str | Path, count: str = "Documents") -> list[Path]:
    """Bars per journal quartile Q1-Q4 plus 'no quartile' (from QuartileResult.documents)."""
    colors = _colors()
    with _figure(2.8) as fig:
        ax = fig.add_subplot()
        x = np.arange(len(documents))
        bar_colors = [colors[i % len(colors)] for i in range(len(documents) - 1)] + ["#bbbbbb"]
        bars = ax.bar(x, documents[count], color=bar_colors[: len(documents)])
        ax.bar_label(bars, fontsize=8)
        ax.set_xticks(x, [_(str(q)) for q in documents["Quartile"]])  # "no quartile" in the figure's language
        ax.set_ylabel(_(count))
        ax.set_title(_("{count} by journal quartile (SCImago)").format(count=_(count)))
        return save_figure(fig, stem)


def countries_chart(countries: pd.DataFrame, stem: str | Path) -> list[Path]:
    """Stacked horizontal bars of single- (SCP) and multi-country (MCP) publications per country."""
    colors = _colors()
    n = max(len(countries), 1)
    with _figure(1.0 + 0.28 * n) as fig:
        ax = fig.add_subplot()
        y = np.arange(len(countries))[::-1]
        ax.barh(y, countries["SCP"], color=colors[0], label=_("SCP"))
        ax.barh(y, countries["MCP"], left=countries["SCP"], color=colors[1 % len(colors)], label=_("MCP"))
        ax.set_yticks(y, [_shorten(c, 30) for c in countries["Country"]])
        ax.set_xlabel(_("Documents (first-author country)"))
        ax.set_title(_("Countries: single- and multiple-country publications"))
        ax.legend(loc="lower right")
        return save_figure(fig, stem)


def lotka_chart(lotka, stem: str | Path) -> list[Path]:
    """Observed share of authors per number of documents vs Lotka's beta = 2 curve (and the fit)."""
    t = lotka.table
    colors = _colors()
    with _figure(3.2) as fig:
        ax = fig.add_subplot()
        ax.plot(t["Documents written"], t["Proportion of Authors"], marker="o", color=colors[0], label=_("Observed"))
        ax.plot(t["Documents written"], t["Theoretical (beta=2)"], linestyle="--", color="#555555", label=_("Lotka (beta = 2)"))
        if lotka.beta is not None:
            ax.plot(t["Documents written"], t["Fitted"], linestyle=":", color=colors[1 % len(colors)], label=_("Fitted (beta = {beta:.2f})").format(beta=lotka.beta))
        ax.set_xlabel(_("Documents written"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(_("Share of authors"))
        ax.set_title(_("Author productivity (Lotka's law)"))
        ax.legend()
        return save_figure(fig, stem)


def bradford_chart(bradford, stem: str | Path) -> list[Path]:
    """Cumulative documents against source rank (log scale), zone 1 (core sources) shaded."""
    t = bradford.table
    colors = _colors()
    with _figure(3.2) as fig:
        ax = fig.add_subplot()
        ax.plot(t["Rank"], t["cumFreq"], color=colors[0], marker="o", markersize=2)
        core = t[t["Zone"] == "Zone 1"]
        if len(core):
            ax.axvspan(0.9, float(core["Rank"].max()) + 0.1, color="#dddddd", label=_("Core sources (zone 1)"))
            ax.legend(loc="lower right")
        ax.set_xscale("log")
        ax.set_xlabel(_("Source rank (log)"))
        ax.set_ylabel(_("Cumulative documents"))
        ax.set_title(_("Core sources by Bradford's law"))
        return save_figure(fig, stem)


def word_cloud(frequencies: Mapping[str, float], stem: str | Path, seed: int = 42, max_words: int = 100) -> list[Path]:
    """A word cloud of terms or keywords sized by frequency (``wordcloud``, fixed random_state).

    The layout is computed on a small canvas and rendered at 3x, which gives a page-wide
    300 dpi PNG in well under a second; the SVG is wordcloud's own vector output and the PDF
    the same layout set as text by matplotlib (:func:`_cloud_figure`). Inside
    :func:`bibliomap.viz.deferred.deferring` the vector files are queued and written later.
    """
    from wordcloud import WordCloud

    from bibliomap.viz.deferred import later, later_figure

    freqs = {str(k): float(v) for k, v in frequencies.items() if k and v > 0}
    if not freqs:
        freqs = {"(no terms)": 1.0}
    colors = _colors()

    def color_func(word, font_size, position, orientation, random_state=None, **kwargs):  # noqa: ARG001
        return colors[random_state.randint(0, len(colors) - 1)] if random_state is not None else colors[0]

    cloud = WordCloud(width=650, height=366, scale=3, background_color="white", random_state=seed,
                      max_words=max_words, prefer_horizontal=0.9, color_func=color_func)
    cloud.generate_from_frequencies(freqs)
    stem = Path(stem)
    png = stem.with_suffix(".png")
    with atomic_path(png) as tmp:
        cloud.to_image().save(tmp, format="PNG", dpi=(DPI, DPI))
    paths = [png]
    formats = _FORMATS.get()
    if "svg" in formats:
        svg = stem.with_suffix(".svg")

        def write_svg() -> None:
            with atomic_path(svg) as tmp:
                tmp.write_text(cloud.to_svg(embed_font=False), encoding="utf-8")

        if not later(svg, write_svg):
            write_svg()
        paths.append(svg)
    if "pdf" in formats:
        pdf = stem.with_suffix(".pdf")
        options = {"format": "pdf", "metadata": {"CreationDate": None, "Creator": None, "Producer": None}}
        if not later_figure(pdf, lambda: _cloud_figure(cloud), options, {"pdf.fonttype": 42}):
            with atomic_path(pdf) as tmp, matplotlib.rc_context({"pdf.fonttype": 42}):
                _cloud_figure(cloud).savefig(tmp, **options)
        paths.append(pdf)
    return paths


def _cloud_figure(cloud) -> Figure:
    """The word cloud's layout as a matplotlib figure of text (the page the PNG shows, in vector form):
    each word at the baseline origin wordcloud's own SVG gives it, in its font, size, colour and orientation."""
    from matplotlib.font_manager import FontProperties
    from PIL import Image, ImageColor, ImageFont

    width, height = cloud.width * cloud.scale, cloud.height * cloud.scale  # pixels at 300 dpi
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    font = FontProperties(fname=cloud.font_path)
    for (word, _count), size, (y, x), orientation, color in cloud.layout_:
        x, y, px = x * cloud.scale, y * cloud.scale, int(size * cloud.scale)
        pil_font = ImageFont.truetype(cloud.font_path, px)
        (size_x, _size_y), (offset_x, offset_y) = pil_font.font.getsize(word)
        ascent = pil_font.getmetrics()[0]
        vertical = orientation == Image.ROTATE_90
        if vertical:
            x, y = x + ascent - offset_y, y + size_x
        else:
            x, y = x - offset_x, y + ascent - offset_y
        ax.text(x, y, word, fontproperties=font, fontsize=size * cloud.scale * 72 / DPI, color=[c / 255 for c in ImageColor.getrgb(color)], ha="left", va="baseline",
                rotation=90 if vertical else 0, rotation_mode="anchor")
    return fig


def describe_charts(description, out_dir: str | Path, top: int = 10, *, lotka=None, bradford=None,
                    quartiles=None, keyword_cloud: Mapping[str, float] | None = None) -> list[Path]:
    """Every chart of the performance analysis into ``out_dir``.

    ``description`` is a ``descriptive.Description`` (which carries the laws, quartiles and
    word-cloud terms) or a plain mapping of tables; the keyword arguments supply or override
    the non-table parts.
    """
    tables = description.tables if hasattr(description, "tables") else description
    lotka = lotka if lotka is not None else getattr(description, "lotka", None)
    bradford = bradford if bradford is not None else getattr(description, "bradford", None)
    quartiles = quartiles if quartiles is not None else getattr(description, "quartiles", None)
    if keyword_cloud is None:
        keyword_cloud = getattr(description, "keyword_cloud", None)
    if keyword_cloud is None:
        kw = tables.get("author_keywords")
        if kw is None or not len(kw):
            kw = tables.get("index_keywords")
        keyword_cloud = dict(zip(kw["Keyword"], kw["Occurrences"])) if kw is not None and len(kw) else {}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    if len(tables["annual_production"]):
        paths += annual_production_chart(tables["annual_production"], out / "annual_production")
    bars = [
        ("most_productive_authors", "Author", "Articles", N_("Most productive authors"), N_("Documents")),
        ("most_relevant_sources", "Source", "Articles", N_("Most relevant sources"), N_("Documents")),
        ("most_cited_documents", "Document", "TC", N_("Most cited documents"), N_("Total citations")),
        ("document_types", "Document Type", "Documents", N_("Document types"), N_("Documents")),
    ]
    for name, label, value, title, xlabel in bars:
        df = tables.get(name)
        if name == "document_types" and df is not None:
            df = df.assign(**{label: [doc_type_label(v) for v in df[label]]})
        if df is not None and len(df):
            paths += bar_chart(df.head(top), label, value, title, out / name, xlabel)
    countries = tables.get("countries_production")
    if countries is not None and len(countries):
        paths += countries_chart(countries.head(top), out / "countries")
    if lotka is not None and len(lotka.table):
        paths += lotka_chart(lotka, out / "lotka")
    if bradford is not None and len(bradford.table):
        paths += bradford_chart(bradford, out / "bradford")
    if quartiles is not None:
        paths += quartile_chart(quartiles.documents, out / "quartiles")
    if keyword_cloud:
        paths += word_cloud(keyword_cloud, out / "wordcloud")
    return paths
