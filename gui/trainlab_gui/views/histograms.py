"""View 2: per-layer histograms of activations (the book's figures 6-10 to 6-14, live), weights or
gradients, and their distribution over training, as TensorBoard's histogram and distribution
dashboards.

Top row, per layer: the newest histogram (filled) over the first one (outline; at step 0 it is
the network at initialisation, what the book's figures show), with a count axis; what lies beyond
the bin range is counted in a red bar at that end, with its count. Bottom row: the distribution
over training as a heat map (x = step, y = value, colour = count on a log scale, one colour bar
for all layers), the rows beyond the range above and below dashed lines. "Same range for all
layers" puts every layer on one value axis. The probe computes the counts; this view sets data.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from trainlab._i18n import translate

from trainlab_gui.core.probes import KINDS, outside
from trainlab_gui.core.runs import csv_file
from trainlab_gui.views.base import View, widget_row
from trainlab_gui.views.canvas import add_plot
from trainlab_gui.views.theme import style_colorbar

__all__ = ["HistogramView", "count_ticks", "first_label"]

MAX_LAYERS = 8
BEYOND = "#d62728"   # the bars and rows of values beyond the range
QUANTITY = {"activation": QT_TRANSLATE_NOOP("HistogramView", "activation value"),
            "weight": QT_TRANSLATE_NOOP("HistogramView", "weight value"), "grad": "log10 |dW|"}


def count_ticks(top: float) -> list:
    """Colour-bar ticks at 0, 1, 10, 100, … for a log10(1 + count) scale up to ``top``."""
    ticks, c = [(0.0, "0")], 1
    while np.log10(1 + c) <= top + 1e-9:
        ticks.append((float(np.log10(1 + c)), f"{c:,}"))
        c *= 10
    return ticks


def first_label(kind: str, step: int) -> str:
    """What the first snapshot shows: the network as initialised (step 0), or, in a run saved
    without that snapshot, the one after ``step`` steps (after step 1 its activations and
    gradients are still those of the initial weights: step 1's passes ran before its update)."""
    if step == 0 or (step == 1 and kind in ("activation", "grad")):
        return QCoreApplication.translate("HistogramView", "at initialisation")
    return QCoreApplication.translate("HistogramView", "first snapshot (after step {step})").format(
        step=f"{step:,}")


class _Layer:
    """The plot items of one layer: histogram now, at the first snapshot, beyond-range bars
    and labels, and the heat map over training."""

    def __init__(self, graphics, col: int, title: str, quantity: str, cmap):
        count = QCoreApplication.translate("HistogramView", "count") if col == 0 else ""
        self.hist = add_plot(graphics, title, quantity, count, row=1, col=col)
        self.now = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=pg.mkPen("#1f77b4"),
                                   brush=pg.mkBrush(31, 119, 180, 140))
        self.first = pg.PlotDataItem(stepMode="center")  # its pen: HistogramView.apply_theme
        self.beyond = pg.BarGraphItem(x=[0, 0], height=[0, 0], width=1, brush=BEYOND, pen=None)
        self.labels = [pg.TextItem(color=BEYOND, anchor=(0.5, 1.0)) for _ in range(2)]
        for item in (self.beyond, self.now, self.first, *self.labels):
            self.hist.addItem(item)
        self.time = add_plot(graphics, None, QCoreApplication.translate("HistogramView", "step"),
                             quantity if col == 0 else "", row=2, col=col)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setColorMap(cmap)
        self.time.addItem(self.image)
        self.bounds = [pg.InfiniteLine(angle=0, pen=pg.mkPen(BEYOND, style=Qt.DashLine)) for _ in range(2)]
        for line in self.bounds:
            self.time.addItem(line)

    def draw(self, edges, counts, first, history, steps, levels) -> tuple:
        """Set the items; returns the value range shown (with the beyond-range bins)."""
        inner, inside, below, above = outside(edges, counts)
        width = float(inner[1] - inner[0]) if inner.size > 1 else 1.0
        lo, hi = float(inner[0]), float(inner[-1])
        self.now.setData(inner, inside)
        f_edges, f_inside, _, _ = outside(*first)
        self.first.setData(f_edges, f_inside)
        self.beyond.setOpts(x=[lo - width / 2, hi + width / 2], height=[below, above], width=width)
        for label, x, n in zip(self.labels, (lo - width / 2, hi + width / 2), (below, above)):
            label.setText(f"{n:,}" if n else "")
            label.setPos(x, n)
        image = np.log10(1.0 + np.asarray(history, dtype=np.float32))
        self.image.setImage(image, autoLevels=False, levels=levels)
        x0, x1 = steps[0], max(steps[-1], steps[0] + 1)
        opened = len(edges) == len(inner) + 2  # rows beyond the range above and below it
        y0, y1 = (lo - width, hi + width) if opened else (lo, hi)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        for line, y in zip(self.bounds, (lo, hi)):
            line.setPos(y)
            line.setVisible(opened)
        return lo - width, hi + width


class HistogramView(View):
    """Per-layer histograms of activations, weights or log10|dW| of a run, over training."""

    title = QT_TRANSLATE_NOOP("views", "Histograms")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.run_box = QComboBox()
        self.run_box.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.kind_box = QComboBox()
        for key, label in KINDS.items():
            self.kind_box.addItem(translate("probes", label), key)
        self.same_range = QCheckBox(self.tr("same range for all layers"))
        self.same_range.setToolTip(self.tr("one value axis for every layer, so their spreads compare"))
        self.same_range.setChecked(True)
        self.layout_.addLayout(widget_row((QLabel(self.tr("run")), self.run_box,
                                           QLabel(self.tr("show")), self.kind_box,
                                           self.same_range), stretch=True))
        self.layout_.addWidget(self.graphics)
        self.cmap = pg.colormap.get("viridis")
        self._layout_key = None
        self._drawn = None
        self.record = None  # the run drawn last
        self.layers: list = []
        self.legend = self.colorbar = None
        self._run_ids: list = []
        self.kind_box.currentIndexChanged.connect(self._invalidate)
        self.run_box.currentIndexChanged.connect(self._invalidate)
        self.same_range.toggled.connect(self._invalidate)

    def _invalidate(self, *_):
        self._drawn = None

    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    # compatibility: the items tests and exports look at
    @property
    def hist_curves(self) -> list:
        return [layer.now for layer in self.layers]

    @property
    def images(self) -> list:
        return [layer.image for layer in self.layers]

    def _selected(self, session):
        """The chosen run; by default (index 0) the newest run that has histograms."""
        ids = [r.id for r in session.records]
        if ids != self._run_ids:
            current = self.run_box.currentData()
            self.run_box.blockSignals(True)
            self.run_box.clear()
            self.run_box.addItem(self.tr("latest run"), None)
            for r in session.records:
                self.run_box.addItem(f"{r.id}: {r.name}", r.id)
            index = self.run_box.findData(current) if current is not None else 0
            self.run_box.setCurrentIndex(max(index, 0))
            self.run_box.blockSignals(False)
            self._run_ids = ids
        rid = self.run_box.currentData()
        candidates = [r for r in session.records if (rid is None or r.id == rid) and r.hist_last]
        return candidates[-1] if candidates else None

    def _build(self, n_layers: int, kind: str) -> None:
        self.graphics.clear()
        n = min(n_layers, MAX_LAYERS)
        self.legend = pg.LegendItem(colCount=3, labelTextSize="9pt", horSpacing=20)
        for item, text in ((pg.PlotDataItem(pen=pg.mkPen("#1f77b4", width=6)), self.tr("now")),
                           (pg.PlotDataItem(), self.tr("first snapshot")),  # pen: apply_theme
                           (pg.PlotDataItem(pen=pg.mkPen(BEYOND, width=6)),
                            self.tr("beyond the range (count)"))):
            self.legend.addItem(item, text)
        self.graphics.addItem(self.legend, row=0, col=0, colspan=n + 1)
        self.layers = []
        for layer in range(n):
            name = self.tr("layer {n}").format(n=layer + 1) if kind == "activation" else f"W{layer + 1}"
            quantity = self.tr(QUANTITY[kind])
            self.layers.append(_Layer(self.graphics, layer, name, quantity, self.cmap))
        self.colorbar = pg.ColorBarItem(colorMap=self.cmap, interactive=False, width=12)
        self.graphics.addItem(self.colorbar, row=2, col=n)
        self._layout_key = (n_layers, kind)
        self.apply_theme(self.theme)

    def refresh(self, session) -> bool:
        rec = self._selected(session)
        if rec is None:
            return False
        kind = self.kind
        key = (rec.id, kind, len(rec.hist_steps), rec.hist_steps[-1] if rec.hist_steps else 0)
        if key == self._drawn or kind not in rec.hist_last:
            return False
        edges, counts = rec.hist_edges[kind], rec.hist_last[kind]
        if self._layout_key != (len(counts), kind):
            self._build(len(counts), kind)
        history = rec.hist_history[kind]
        top = max(float(np.log10(1.0 + max(np.max(c) for c in h))) for h in history[:len(self.layers)])
        levels = (0.0, max(top, 1.0))
        ranges = []
        for i, layer in enumerate(self.layers):
            ranges.append(layer.draw(edges[i], counts[i], (edges[i], history[i][0]), history[i],
                                     rec.hist_steps, levels))
        self.colorbar.setLevels(levels)
        self.colorbar.axis.setTicks([count_ticks(levels[1])])
        self.legend.items[0][1].setText(self.tr("now (step {step})").format(
            step=f"{rec.hist_steps[-1]:,}"))
        self.legend.items[1][1].setText(first_label(kind, rec.hist_steps[0]))
        self._range(ranges)
        self._drawn = key
        self.record = rec
        self.frames += 1
        return True

    def _range(self, ranges) -> None:
        same = self.same_range.isChecked()
        union = (min(r[0] for r in ranges), max(r[1] for r in ranges))
        for layer, own in zip(self.layers, ranges):
            lo, hi = union if same else own
            layer.hist.setXRange(lo, hi, padding=0.02)
            layer.time.setYRange(lo, hi, padding=0.02)

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        first = pg.mkPen(theme.foreground, width=1.5, style=Qt.DashLine)  # the first snapshot
        for layer in self.layers:
            layer.first.setPen(first)
        if self.legend is not None:
            self.legend.items[1][0].item.setPen(first)
        if self.colorbar is not None:
            style_colorbar(self.colorbar, theme, self.tr("count (log scale)"))
        self._drawn = None

    def plots(self) -> dict:
        named = {f"histogram {i + 1}": layer.hist for i, layer in enumerate(self.layers)}
        named.update({f"over time {i + 1}": layer.time for i, layer in enumerate(self.layers)})
        return named

    def plot_title(self, name: str) -> str:
        what, _, n = name.rpartition(" ")
        return (self.tr("histogram {n}") if what == "histogram" else self.tr("over time {n}")).format(n=n)

    def export_csv(self, path, plot: str | None = None) -> None:
        """kind,layer,step,bin_lo,bin_hi,count for every kept slice of the shown run and kind
        (one layer when ``plot`` names one); the bins beyond the range go from -inf or to inf."""
        rec = self.record
        kind = self.kind
        layers = range(len(self.layers))
        if plot is not None:
            layers = [int(plot.rsplit(" ", 1)[1]) - 1]
        with csv_file(path, ["kind", "layer", "step", "bin_lo", "bin_hi", "count"]) as w:
            if rec is None:
                return
            for layer in layers:
                edges = np.asarray(rec.hist_edges[kind][layer])
                for step, counts in zip(rec.hist_steps, rec.hist_history[kind][layer]):
                    for lo, hi, c in zip(edges[:-1], edges[1:], counts):
                        w.writerow([kind, layer + 1, step, repr(float(lo)), repr(float(hi)), int(c)])
