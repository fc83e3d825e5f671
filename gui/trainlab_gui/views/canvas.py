"""Draws one page of a :class:`trainlab.experiments.figures.Figure` with pyqtgraph: the panels in
their grid with labelled axes, the page's legend in a row of its own above them (never over the
data), and each mark's series; the y ranges follow the figure's rules (accuracy 0..1, or zoomed
and shared; groups share a range fitted to their data)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from trainlab.experiments import surface
from trainlab.experiments.figures import (drawn_values, labelled, page_ranges, rows, shared_labels,
                                          y_values_shown)

from trainlab_gui.views.theme import style_backdrop, style_graphics

__all__ = ["FigureCanvas", "LABEL_STYLE", "TITLE_SIZE", "add_plot", "contour", "tick_step"]

LABEL_STYLE = {"font-size": "9pt"}
TITLE_SIZE = "9pt"


def add_plot(graphics, title: str | None = None, bottom: str | None = None,
             left: str | None = None, *, si_prefix: bool = False, **place):
    """A PlotItem added to ``graphics`` at ``place`` (row, col, rowspan, colspan), its ``title``
    and its ``bottom`` and ``left`` axis labels (those given) in the views' sizes; the axes show
    plain numbers unless ``si_prefix`` (pyqtgraph's own "(x0.001)" scaling)."""
    plot = graphics.addPlot(**place)
    if title is not None:
        plot.setTitle(title, size=TITLE_SIZE)
    if bottom is not None:
        plot.setLabel("bottom", bottom, **LABEL_STYLE)
    if left is not None:
        plot.setLabel("left", left, **LABEL_STYLE)
    if not si_prefix:
        for axis in ("left", "bottom"):
            plot.getAxis(axis).enableAutoSIPrefix(False)
    return plot


def contour(plot) -> list:
    """The level sets of x²/20 + y², −∇f as short segments and the minimum, added to ``plot``:
    [(item, the theme colour it takes)] for ``style_backdrop``."""
    backdrop = [(plot.plot(x, y), "muted") for x, y in surface.level_sets()]
    field = pg.PlotDataItem(*surface.gradient_field(), connect="pairs")
    plot.addItem(field)
    origin = pg.PlotDataItem([0], [0], pen=None, symbol="+", symbolSize=14)
    plot.addItem(origin)
    return backdrop + [(field, "faint"), (origin, "foreground")]


def tick_step(span: float, most: int = 5) -> float:
    """The largest of 1, 2, 5 × 10^k that puts at most ``most`` labelled ticks in ``span``: set
    explicitly, since pyqtgraph leaves the y axis of a small panel with the label 0 alone."""
    if not span > 0 or not math.isfinite(span):
        return 1.0
    k = math.floor(math.log10(span / most))
    for m in (1.0, 2.0, 5.0, 10.0):
        if span / (m * 10.0 ** k) <= most:
            return m * 10.0 ** k
    return 10.0 ** (k + 1)


def _with_alpha(color: str, alpha: int):
    c = pg.mkColor(color)
    c.setAlpha(alpha)
    return c


class FigureCanvas:
    """The plots of one figure page inside ``graphics`` (a GraphicsLayoutWidget).

    Parameters
    ----------
    graphics : pyqtgraph.GraphicsLayoutWidget
        Where the page is drawn (cleared by ``show``).
    theme : trainlab_gui.views.theme.Theme
        Colours of the axes, text and background items.
    """

    def __init__(self, graphics, theme):
        self.graphics, self.theme = graphics, theme
        self.plots: list = []       # (Panel, PlotItem)
        self.items: dict = {}       # series -> [(Mark, Panel, [PlotDataItem…])]
        self.backdrop: list = []    # (item, 'muted' | 'faint' | 'foreground')
        self.legend = None
        self.key = self.page = None
        self._ranges: dict = {}     # PlotItem -> the y range last set

    # -- building ------------------------------------------------------------------------------------
    def clear(self) -> None:
        """Nothing drawn."""
        self.graphics.clear()
        self.plots, self.items, self.backdrop, self._ranges = [], {}, [], {}
        self.legend = None
        self.key = self.page = None

    def show(self, page, key) -> bool:
        """Lay out ``page`` unless the page drawn has the same ``key``; True if it was built."""
        if key == self.key:
            return False
        self.clear()
        self.key, self.page = key, page
        columns = max(page.columns, 1)
        entries = page.legend_entries()
        top = 0
        if entries:
            self.legend = pg.LegendItem(colCount=min(len(entries), 6), labelTextSize="9pt",
                                        horSpacing=20)
            for label, color, dash in entries:
                sample = pg.PlotDataItem(pen=pg.mkPen(color, width=2,
                                                      style=Qt.DashLine if dash else Qt.SolidLine))
                self.legend.addItem(sample, label)
            self.graphics.addItem(self.legend, row=0, col=0, colspan=columns + 1)
            top = 1
        panels = page.panels
        shared = shared_labels(page)
        left_col = 1 if shared else 0
        if shared:
            n_rows = rows(page)
            self.graphics.addItem(pg.LabelItem(panels[0].y_label, angle=-90, size=LABEL_STYLE["font-size"]),
                                  row=top, col=0, rowspan=n_rows)
            self.graphics.addItem(pg.LabelItem(panels[0].x_label, size=LABEL_STYLE["font-size"]),
                                  row=top + n_rows, col=1, colspan=columns)
        for i, panel in enumerate(panels):
            row, col = divmod(i, columns)
            bottom, left = labelled(page, i)
            plot = add_plot(self.graphics, panel.title, panel.x_label if bottom else "",
                            panel.y_label if left else "", row=top + row, col=left_col + col)
            plot.titleLabel.setMinimumWidth(0)  # a long title is cut, never widens its column
            plot.setLogMode(x=panel.x_log, y=False)
            plot.setMenuEnabled(True)
            if panel.background == "contour":
                self.backdrop += contour(plot)
            if panel.x_range is not None:
                plot.setXRange(*panel.x_range, padding=0)
            else:
                plot.enableAutoRange(axis="x")
            plot.disableAutoRange(axis="y")
            for mark in panel.marks:
                self.items.setdefault(mark.series, []).append((mark, panel, self._items(plot, mark)))
            self.plots.append((panel, plot))
        self.apply_theme(self.theme)
        return True

    def _items(self, plot, mark) -> list:
        dash = Qt.DashLine if mark.dash else Qt.SolidLine
        if mark.style == "steps":
            items = [pg.PlotDataItem(stepMode="center", fillLevel=0, pen=pg.mkPen(mark.color),
                                     brush=pg.mkBrush(_with_alpha(mark.color, 130)))]
        elif mark.style == "points":
            items = [pg.PlotDataItem(pen=None, symbol="o", symbolSize=7, symbolPen=None,
                                     symbolBrush=pg.mkBrush(_with_alpha(mark.color, 200)))]
        elif mark.style == "path":
            items = [pg.PlotDataItem(pen=pg.mkPen(mark.color, width=1.5, style=dash), symbol="o",
                                     symbolSize=5, symbolPen=None, symbolBrush=mark.color)]
        elif mark.smooth:
            items = [pg.PlotDataItem(pen=pg.mkPen(_with_alpha(mark.color, 70), width=1)),
                     pg.PlotDataItem(pen=pg.mkPen(mark.color, width=2, style=dash))]
        else:
            items = [pg.PlotDataItem(pen=pg.mkPen(mark.color, width=1.5, style=dash))]
        for item in items:
            if mark.style in ("line",) or mark.smooth:
                item.setDownsampling(auto=True, method="peak")
                item.setClipToView(True)
            plot.addItem(item)
        return items

    def apply_theme(self, theme) -> None:
        self.theme = theme
        style_graphics(self.graphics, theme)
        style_backdrop(self.backdrop, theme)

    # -- data ------------------------------------------------------------------------------------------
    def set_data(self, series: dict, zoom_accuracy: bool) -> None:
        """Give every mark its series' points ({name: (x, y)} arrays) and range the y axes."""
        index = {id(panel): i for i, (panel, _) in enumerate(self.plots)}
        shown: dict = {}  # panel index -> finite y values its range must show
        for name, marks in self.items.items():
            x, y = series.get(name, (np.empty(0), np.empty(0)))
            for mark, panel, items in marks:
                values = self._set(mark, panel, items, x, y)
                shown.setdefault(index[id(panel)], []).append(values[np.isfinite(values)])
        ranges = page_ranges(self.page, shown, zoom_accuracy)
        for i, ((panel, plot), y_range) in enumerate(zip(self.plots, ranges)):
            plot.getAxis("left").setStyle(showValues=y_values_shown(self.page, i, zoom_accuracy))
            if panel.x_integer:
                self._integer_ticks(plot, series, panel)
            if self._ranges.get(plot) != y_range:
                self._ranges[plot] = y_range
                plot.setYRange(*y_range, padding=0)
                step = tick_step(y_range[1] - y_range[0])
                # minor ticks on round numbers too: halves of 1 and 2, fifths of 5 (pyqtgraph
                # labels them with the major ticks' decimals: 0.8475 read "0.847")
                fifths = round(step / 10 ** math.floor(math.log10(step))) == 5
                plot.getAxis("left").setTickSpacing(major=step, minor=step / (5 if fifths else 2))

    @staticmethod
    def _integer_ticks(plot, series, panel) -> None:
        """A tick at every whole number while there are few (pyqtgraph would put some at
        halves); past 8, its own spacing, whole numbers by then."""
        xs = [np.asarray(series[m.series][0]) for m in panel.marks if m.series in series]
        span = max((float(np.nanmax(x)) for x in xs if x.size), default=0.0)
        axis = plot.getAxis("bottom")
        if span <= 8:
            axis.setTickSpacing(major=1, minor=1) if span > 0 else None
        else:
            axis.setTickSpacing()  # pyqtgraph's own

    @staticmethod
    def _set(mark, panel, items, x, y) -> np.ndarray:
        """Set ``mark``'s items; returns the y values it shows."""
        raw_x, raw_y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        x, y = drawn_values(mark, raw_x, raw_y)
        if panel.x_log and np.any(raw_x <= 0):  # nothing to show at log(0)
            keep = raw_x > 0
            raw_x, raw_y, x, y = raw_x[keep], raw_y[keep], x[keep], y[keep]
        if mark.smooth:
            items[0].setData(raw_x, raw_y, connect="finite")
        if mark.style == "steps":
            items[-1].setData(x, y) if y.size else items[-1].setData([], [])
        else:
            items[-1].setData(x, y, connect="finite")
        return y
