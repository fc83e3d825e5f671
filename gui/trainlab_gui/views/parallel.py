"""Parallel coordinates of a search's trials (as Optuna's and TensorBoard's HParams dashboards):
one vertical axis per hyperparameter and one for the validation accuracy, each trial a line
through its values, coloured by its accuracy. Positive parameters spanning more than a decade
(learning rate, weight decay) are placed on a log scale; every axis is labelled with its
quantity and its low and high values."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

__all__ = ["ParallelCoordinates", "axis_positions"]

COLOUR_GROUPS = 16  # trials are drawn as this many items, one per colour step


def axis_positions(values, log: bool | None = None) -> tuple:
    """(position in 0..1 per value, (low, high), log) of one axis; NaN where a value is missing.
    ``log`` None: a log axis when every value is positive and they span more than 10×."""
    v = np.asarray(values, dtype=np.float64)
    finite = v[np.isfinite(v)]
    if log is None:
        log = finite.size > 0 and finite.min() > 0 and finite.max() / finite.min() > 10
    if finite.size == 0:
        return np.full(v.shape, np.nan), (math.nan, math.nan), log
    lo, hi = float(finite.min()), float(finite.max())
    t = np.log10(np.where(v > 0, v, np.nan)) if log else v
    a, b = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
    pos = (t - a) / (b - a) if b > a else np.full(v.shape, 0.5)
    return pos, (lo, hi), log


class ParallelCoordinates:
    """Draws trials into ``plot`` (a PlotItem) as parallel coordinates.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        The plot it takes over (axes hidden: each coordinate axis is drawn and labelled here).
    cmap : pyqtgraph.ColorMap
        Colours by validation accuracy.
    """

    def __init__(self, plot, cmap):
        self.plot, self.cmap = plot, cmap
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        self.lines = [pg.PlotDataItem(connect="finite") for _ in range(COLOUR_GROUPS)]
        for item in self.lines:
            plot.addItem(item)
        self.axes: list = []   # vertical axis lines and their labels
        self.names: list = []
        self.foreground, self.background = "#1a1a1a", "#ffffff"

    def set_trials(self, names: list, columns: list, accuracy, levels: tuple) -> None:
        """``names`` of the axes (the last is the accuracy), ``columns`` their values per trial,
        ``accuracy`` per trial (colour), ``levels`` the colour scale's (low, high)."""
        for item in self.axes:
            self.plot.removeItem(item)
        self.axes, self.names = [], list(names)
        k = len(columns)
        pos = np.empty((len(accuracy), k))
        for j, (name, values) in enumerate(zip(names, columns)):
            p, (lo, hi), log = axis_positions(values, log=False if j == k - 1 else None)
            pos[:, j] = p
            self._axis(j, name + (" (log)" if log else ""), lo, hi, log)
        acc = np.asarray(accuracy, dtype=np.float64)
        lo, hi = levels
        share = np.clip((acc - lo) / (hi - lo) if hi > lo else np.full(acc.shape, 0.5), 0, 1)
        group = np.where(np.isfinite(share), np.minimum((share * COLOUR_GROUPS).astype(int),
                                                        COLOUR_GROUPS - 1), 0)
        xs = np.arange(k, dtype=np.float64)
        for g, item in enumerate(self.lines):
            rows = pos[group == g]
            if not len(rows):
                item.setData([], [])
                continue
            # one polyline per trial, NaN between trials (connect='finite')
            x = np.tile(np.r_[xs, np.nan], len(rows))
            y = np.c_[rows, np.full(len(rows), np.nan)].ravel()
            color = self.cmap.map((g + 0.5) / COLOUR_GROUPS, mode="qcolor")
            color.setAlpha(200)
            item.setData(x, y, pen=pg.mkPen(color, width=1.5))
        self.plot.setXRange(-0.3, k - 0.7, padding=0)
        self.plot.setYRange(-0.2, 1.45, padding=0)  # room for the labels above and below

    def _axis(self, j: int, name: str, lo: float, hi: float, log: bool) -> None:
        line = pg.InfiniteLine(pos=j, angle=90, pen=pg.mkPen(self.foreground, width=1))
        fmt = (lambda v: f"{v:.1e}") if log else (lambda v: f"{v:.3g}")
        # anchors in text heights: the name a line above the high value, both above the axis
        labels = [(name, 1.0, (0.5, 2.1)), (fmt(hi) if math.isfinite(hi) else "-", 1.0, (0.5, 1.05)),
                  (fmt(lo) if math.isfinite(lo) else "-", 0.0, (0.5, -0.05))]
        self.axes.append(line)
        self.plot.addItem(line)
        for text, y, anchor in labels:
            item = pg.TextItem(text, color=self.foreground, anchor=anchor, fill=self._fill())
            item.setPos(j, y)
            self.axes.append(item)
            self.plot.addItem(item)

    def _fill(self):
        """The labels' background: the plot's, a little transparent, so lines pass behind."""
        color = pg.mkColor(self.background)
        color.setAlpha(210)
        return pg.mkBrush(color)

    def apply_theme(self, theme) -> None:
        self.foreground, self.background = theme.foreground, theme.background
        for item in self.axes:
            if isinstance(item, pg.InfiniteLine):
                item.setPen(pg.mkPen(theme.foreground, width=1))
            else:
                item.setColor(theme.foreground)
                item.fill = self._fill()
                item.update()
