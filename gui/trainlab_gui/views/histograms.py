"""View 2: per-layer histograms of activations (the book's figures 6-10 to 6-14, live), weights or
gradients (top row), and their distribution over training as a heat map per layer (bottom row:
x = step, y = value, colour = share of the slice's peak bin), as TensorBoard's histogram and
distribution dashboards. The worker computes the counts; this view only sets data."""
from __future__ import annotations

import csv

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from trainlab_gui.core.probes import KINDS
from trainlab_gui.views.base import View

__all__ = ["HistogramView"]

MAX_LAYERS = 8


class HistogramView(View):
    """Per-layer histograms of activations, weights or log10|dW| of a run, over training.

    Parameters
    ----------
    parent : QWidget, optional
        Qt parent.
    """

    title = "Histograms"

    def __init__(self, parent=None):
        super().__init__(parent)
        bar = QHBoxLayout()
        self.run_box = QComboBox()
        self.kind_box = QComboBox()
        for key, label in KINDS.items():
            self.kind_box.addItem(label, key)
        for w in (QLabel("run"), self.run_box, QLabel("show"), self.kind_box):
            bar.addWidget(w)
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.graphics)
        self.cmap = pg.colormap.get("viridis")
        self._layout_key = None
        self._drawn = None
        self.record = None  # the run drawn last
        self.hist_plots: list = []
        self.hist_curves: list = []
        self.time_plots: list = []
        self.images: list = []
        self._run_ids: list = []
        self.kind_box.currentIndexChanged.connect(self._invalidate)
        self.run_box.currentIndexChanged.connect(self._invalidate)

    def _invalidate(self, *_):
        self._drawn = None

    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    def _selected(self, session):
        """The chosen run; by default (index 0) the newest run that has histograms."""
        ids = [r.id for r in session.records]
        if ids != self._run_ids:
            current = self.run_box.currentData()
            self.run_box.blockSignals(True)
            self.run_box.clear()
            self.run_box.addItem("latest run", None)
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
        self.hist_plots, self.hist_curves, self.time_plots, self.images = [], [], [], []
        brush = pg.mkBrush(31, 119, 180, 150)
        for layer in range(min(n_layers, MAX_LAYERS)):
            name = f"{layer + 1}-layer" if kind == "activation" else f"W{layer + 1}"
            p = self.graphics.addPlot(row=0, col=layer, title=name)
            p.hideAxis("left")
            curve = pg.PlotDataItem(stepMode="center", fillLevel=0, brush=brush,
                                    pen=pg.mkPen("#1f77b4"))
            p.addItem(curve)
            t = self.graphics.addPlot(row=1, col=layer)
            t.setLabel("bottom", "step")
            img = pg.ImageItem(axisOrder="col-major")
            img.setColorMap(self.cmap)
            t.addItem(img)
            self.hist_plots.append(p)
            self.hist_curves.append(curve)
            self.time_plots.append(t)
            self.images.append(img)
        self._layout_key = (n_layers, kind)

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
        steps = rec.hist_steps
        for layer, curve in enumerate(self.hist_curves):
            curve.setData(edges[layer], counts[layer])
            img = rec.history_image(kind, layer)
            if img is not None:
                self.images[layer].setImage(img, autoLevels=False, levels=(0.0, 1.0))
                x0, x1 = steps[0], max(steps[-1], steps[0] + 1)
                lo, hi = float(edges[layer][0]), float(edges[layer][-1])
                self.images[layer].setRect(QRectF(x0, lo, x1 - x0, hi - lo))
        self._drawn = key
        self.record = rec
        self.frames += 1
        return True

    def plots(self) -> dict:
        named = {f"histogram {i + 1}": p for i, p in enumerate(self.hist_plots)}
        named.update({f"over time {i + 1}": p for i, p in enumerate(self.time_plots)})
        return named

    def export_csv(self, path, plot: str | None = None) -> None:
        """kind,layer,step,bin_lo,bin_hi,count for every kept slice of the shown run and kind
        (one layer when ``plot`` names one)."""
        rec = self.record
        kind = self.kind
        layers = range(len(self.hist_curves))
        if plot is not None:
            layers = [int(plot.rsplit(" ", 1)[1]) - 1]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["kind", "layer", "step", "bin_lo", "bin_hi", "count"])
            if rec is None:
                return
            for layer in layers:
                edges = np.asarray(rec.hist_edges[kind][layer])
                for step, counts in zip(rec.hist_steps, rec.hist_history[kind][layer]):
                    for lo, hi, c in zip(edges[:-1], edges[1:], counts):
                        w.writerow([kind, layer + 1, step, repr(float(lo)), repr(float(hi)), int(c)])
