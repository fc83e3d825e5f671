"""One PNG per experiment, the figure the desktop app draws, rendered headlessly.

Why matplotlib: it renders to PNG without a display or a Qt platform plugin (the Agg backend), so
the command line works on servers and in CI. pyqtgraph's exporters would need a QApplication
(and a Qt platform) just to write a file. matplotlib is the optional extra ``trainlab[plot]``:
without it the experiments still run and save JSON/CSV.

What is drawn comes from :func:`trainlab.experiments.figures.describe` — the panels, axis
labels with their units, colours, line styles and y ranges the app uses — so a PNG and the app's
experiments view show the same figure. ``save_figure(result, path, dataset=...)`` writes the
pages the figure exports, one below the other, with the dataset in the title.
"""
from __future__ import annotations

import numpy as np

from trainlab.experiments import surface
from trainlab.experiments.figures import (describe, drawn_values, labelled, page_ranges, rows,
                                          shared_labels, y_values_shown)

INSTALL_HINT = "install matplotlib (pip install 'trainlab[plot]') to get PNG figures"
MAX_WIDTH = 16.0   # inches: wide grids get narrower panels
MANY_PANELS = 24   # above this, a fixed layout (constrained layout takes seconds)


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def make_figure(result, *, dataset=None):
    """The figure of ``result`` (a ``matplotlib.figure.Figure``, made without pyplot: drawing
    one never switches the process's backend, a notebook keeps its inline one, and nothing is
    left open in pyplot's figure list); ``dataset``, if given, is named in the title. Its
    exported pages are stacked, each with its legend above its panels. ImportError (with the
    install hint) without matplotlib."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    figure = describe(result.name, result.series, result.params, result.summary)
    pages = [(name, figure.pages[name]) for name in figure.export_pages
             if figure.pages[name].panels]
    sizes = [_panel_size(max(p.columns, 1)) for _, p in pages]
    width = max(w * max(p.columns, 1) for (w, _), (_, p) in zip(sizes, pages))
    heights = [rows(p) * h + (0.5 if p.legend_entries() else 0.25) + (0.5 if len(pages) > 1 else 0)
               for (_, h), (_, p) in zip(sizes, pages)]
    # constrained layout places labels and legends exactly, but takes seconds for many axes
    many = sum(len(p.panels) for _, p in pages) > MANY_PANELS
    fig = Figure(figsize=(width, sum(heights) + 0.5), layout=None if many else "constrained")
    title = figure.title + (f" — {dataset}" if dataset else "")
    if many:  # the title in a strip of its own above the pages
        subfigures = fig.subfigures(len(pages) + 1, 1, height_ratios=[0.5] + heights, squeeze=False)[:, 0]
        subfigures[0].suptitle(title, fontsize="large", y=0.5, va="center")
        subfigures = subfigures[1:]
    else:
        fig.suptitle(title, fontsize="large")
        subfigures = fig.subfigures(len(pages), 1, height_ratios=heights, squeeze=False)[:, 0]
    for sub, (name, page), (_, h) in zip(subfigures, pages, sizes):
        _draw_page(sub, page, result.series, name if len(pages) > 1 else "",
                   margins=_margins(page, h) if many else None)
    return fig


def save_figure(result, path, *, dataset=None) -> str:
    """Render ``result`` to the PNG ``path`` (see :func:`make_figure`)."""
    make_figure(result, dataset=dataset).savefig(path, dpi=100)
    return str(path)


def _panel_size(columns: int) -> tuple:
    """Inches of one panel in a grid of ``columns``: wide grids get narrower panels."""
    width = min(MAX_WIDTH / columns, 7.0)
    return width, min(max(0.68 * width, 2.0), 4.5)


def _margins(page, panel_height: float) -> dict:
    """subplots_adjust fractions of a page drawn without constrained layout."""
    height = rows(page) * panel_height + (0.5 if page.legend_entries() else 0.25) + 0.3 + 0.2
    return dict(left=0.06, right=0.99, bottom=0.65 / height, top=1 - 0.75 / height,
                hspace=0.55, wspace=0.2)


def _draw_page(sub, page, series, heading: str, margins=None) -> None:
    columns = max(page.columns, 1)
    axes = sub.subplots(rows(page), columns, squeeze=False,
                        gridspec_kw=margins).ravel()
    for ax in axes[len(page.panels):]:
        ax.set_visible(False)
    shown: dict = {}
    for i, (ax, panel) in enumerate(zip(axes, page.panels)):
        for mark in panel.marks:
            s = series.get(mark.series)
            if s is None:
                continue
            values = _draw_mark(ax, panel, mark, s)
            shown.setdefault(i, []).append(values[np.isfinite(values)])
    zoom = any(p.zoom for p in page.panels)  # the figure's choice (the app has a toggle)
    for i, (ax, panel, y_range) in enumerate(zip(axes, page.panels, page_ranges(page, shown, zoom))):
        _axes(ax, page, i, panel, y_range, zoom)
    if shared_labels(page):
        sub.supxlabel(page.panels[0].x_label, fontsize="medium")
        sub.supylabel(page.panels[0].y_label, fontsize="medium")
    if heading:
        sub.suptitle(heading, fontsize="medium", x=0.01, ha="left")
    entries = page.legend_entries()
    if entries:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=c, lw=2, ls="--" if dash else "-") for _, c, dash in entries]
        # without constrained layout the margins leave room at the top
        where = dict(loc="upper center", bbox_to_anchor=(0.5, 1.0)) if margins \
            else dict(loc="outside upper center")
        sub.legend(handles, [label for label, _, _ in entries], ncols=min(len(entries), 6),
                   fontsize="small", frameon=False, **where)


def _ys(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _draw_mark(ax, panel, mark, s) -> np.ndarray:
    """Draw one mark of ``panel``; returns the y values its range must show."""
    raw_x, raw_y = _ys(s.x), _ys(s.y)
    x, y = drawn_values(mark, raw_x, raw_y)
    if panel.x_log:  # nothing to show at log(0)
        keep = raw_x > 0
        raw_x, raw_y, x, y = raw_x[keep], raw_y[keep], x[keep], y[keep]
    style = "--" if mark.dash else "-"
    if mark.style == "steps":
        if y.size:
            ax.stairs(y, x, fill=True, color=mark.color, alpha=0.55)
            ax.stairs(y, x, color=mark.color, lw=0.8)
    elif mark.style == "points":
        ax.plot(x, y, "o", color=mark.color, ms=4, alpha=0.8)
    elif mark.style == "path":
        ax.plot(x, y, style, marker="o", color=mark.color, ms=3, lw=1.2)
    else:
        if mark.smooth:
            ax.plot(raw_x, raw_y, "-", color=mark.color, lw=0.6, alpha=0.25)
        ax.plot(x, y, style, color=mark.color, lw=1.6 if mark.smooth else 1.3)
    return y


def _axes(ax, page, i, panel, y_range, zoom: bool) -> None:
    if panel.background == "contour":
        for cx, cy in surface.level_sets():
            ax.plot(cx, cy, color="0.65", lw=0.6, zorder=0)
        from matplotlib.collections import LineCollection

        fx, fy = surface.gradient_field()
        segments = np.stack([np.c_[fx[0::2], fy[0::2]], np.c_[fx[1::2], fy[1::2]]], axis=1)
        ax.add_collection(LineCollection(segments, colors="#b9cde0", linewidths=0.6, zorder=0))
        ax.plot(0, 0, "+", color="black", ms=10)
    ax.set_title(panel.title.replace("<br>", "\n"), fontsize="small")
    show_x, show_y = labelled(page, i)
    ax.set_xlabel(panel.x_label if show_x else "", fontsize="small")
    ax.set_ylabel(panel.y_label if show_y else "", fontsize="small")
    if panel.x_log:
        ax.set_xscale("log")
    if panel.x_range is not None:
        ax.set_xlim(*panel.x_range)
    if panel.x_integer:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(*y_range)
    ax.tick_params(labelsize="x-small")
    ax.tick_params(labelleft=y_values_shown(page, i, zoom))
    if len(page.panels) <= MANY_PANELS:
        ax.grid(alpha=0.25, lw=0.5)
