"""View 1: loss per step (raw, faded, under a smoothed line) and train/test accuracy per epoch,
every kept run overlaid; the legend and the run list show and hide runs.

Stays fast with 10^6 points: each loss curve goes to pyqtgraph already decimated to about two
points per pixel of the visible x range (min/max buckets from an incremental ``PeakPyramid``, so
spikes stay visible and zooming in shows every point), smoothing is incremental, and a frame only
sets the data of runs whose record changed or whose visible range moved. While the user has not
zoomed or panned them, both plots follow the data with 'nice' ranges (steps 1, 1.25, 1.5, 2, …
× 10^k) instead of auto-ranging: their axes, whose tick layout pyqtgraph computes in Python, are
then redrawn only when a bound jumps instead of in every frame.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QSlider, QSpinBox

from trainlab_gui.core.decimation import PeakPyramid
from trainlab_gui.core.runs import write_changes_csv, write_epoch_csv, write_loss_csv
from trainlab_gui.core.smoothing import EmaSmoother, MovingAverageSmoother
from trainlab.experiments.figures import ACCURACY, EPOCHS, ITERATIONS, LOSS, words

from trainlab_gui.views.base import View, widget_row
from trainlab_gui.views.canvas import add_plot
from trainlab_gui.views.changes import ChangeMarks
from trainlab_gui.views.layer import CachedLayer

__all__ = ["CurvesView", "nice_ceil", "nice_floor"]

_LIVE = ("created", "running", "paused")  # a record's status while its data still grows
_NICE = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(v: float) -> float:
    """The smallest of 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ ``v`` (> 0)."""
    k = math.floor(math.log10(v))
    m = v / 10.0 ** k
    return next(n for n in _NICE if n >= m * (1 - 1e-12)) * 10.0 ** k


def nice_floor(v: float) -> float:
    """The largest of 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≤ ``v`` (> 0)."""
    k = math.floor(math.log10(v))
    m = v / 10.0 ** k
    return next(n for n in reversed(_NICE) if n <= m * (1 + 1e-12)) * 10.0 ** k


class _RunCurves:
    """The plot items and smoothing state of one run: made hidden, styled by ``assign``."""

    def __init__(self, loss_plot, acc_plot):
        self.raw, self.smooth = pg.PlotDataItem(), pg.PlotDataItem()
        # the accuracy lines only: every run's epoch markers are drawn by the view's shared
        # scatter items (CurvesView._draw_marks), and a PlotCurveItem is cheaper to make than a
        # PlotDataItem (which makes a ScatterPlotItem too)
        self.train, self.test = pg.PlotCurveItem(), pg.PlotCurveItem()
        self.items = [self.raw, self.smooth, self.train, self.test]
        for item in self.items:
            item.setVisible(False)
        loss_plot.addItem(self.raw)
        loss_plot.addItem(self.smooth)
        acc_plot.addItem(self.train)
        acc_plot.addItem(self.test)
        self.frozen = False  # True once the record stops growing (CurvesView.refresh)
        self.ema = EmaSmoother()
        self.mavg = MovingAverageSmoother()
        self.raw_peaks, self.smooth_peaks = PeakPyramid(), PeakPyramid()
        self.version = -1
        self.window = (0, 0)  # the [lo, hi) of loss indices last drawn
        self.y_bounds = (math.nan, math.nan)  # finite min and max of what was drawn
        self.epochs_drawn = 0

    def assign(self, rec, legend) -> "_RunCurves":
        """Style the items for ``rec`` and give it a legend entry."""
        color = pg.mkColor(rec.color)
        faded = pg.mkColor(rec.color)
        faded.setAlpha(60)
        # 1-pixel pens: Qt strokes wider lines segment by segment, which made the paint of 11
        # runs 24 ms instead of 14 ms (and a paint holds the GIL the trainer needs)
        self.raw.setPen(pg.mkPen(faded, width=1))
        self.smooth.setPen(pg.mkPen(color, width=1))
        self.smooth.opts["name"] = rec.name
        self.train.setPen(pg.mkPen(color, width=1))
        self.test.setPen(pg.mkPen(color, width=1, style=Qt.DashLine))
        self.brush = pg.mkBrush(color)
        legend.addItem(self.smooth, rec.name)
        return self

    def layered(self, layers: dict) -> list:
        """(layer, curve) for each of the run's curves: the layer that paints it once frozen."""
        return [(layers["loss"], self.raw.curve), (layers["loss"], self.smooth.curve),
                (layers["acc"], self.train), (layers["acc"], self.test)]


class CurvesView(View):
    """Loss per step (raw and smoothed) and accuracy per epoch of the runs, overlaid."""

    title = QT_TRANSLATE_NOOP("views", "Curves")
    visibility_changed = Signal()  # a run was shown or hidden from the legend

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.addItems([self.tr("EMA (debiased)"), self.tr("moving average"), self.tr("none")])
        self.weight = QSlider(Qt.Horizontal)
        self.weight.setRange(0, 999)
        self.weight.setValue(600)
        self.weight_label = QLabel("0.600")
        self.window = QSpinBox()
        self.window.setRange(1, 100000)
        self.window.setValue(50)
        self.show_raw = QCheckBox(self.tr("raw"))
        self.show_raw.setChecked(True)
        self.log_x, self.log_y = QCheckBox(self.tr("log x")), QCheckBox(self.tr("log y"))
        self.layout_.addLayout(widget_row((
            QLabel(self.tr("smoothing")), self.kind, self.weight, self.weight_label,
            QLabel(self.tr("window")), self.window, self.show_raw, self.log_x, self.log_y)))
        self.layout_.addWidget(self.graphics)

        self.loss_plot = add_plot(
            self.graphics, self.tr("training loss per mini-batch (faded: raw, line: smoothed)"),
            words(ITERATIONS), words(LOSS), row=0, col=0)
        # the runs' legend beside the plots, never over the curves; click an entry to hide a run
        side = self.graphics.addLayout(row=0, col=1, rowspan=2)
        self.legend = pg.LegendItem(labelTextSize="9pt", verSpacing=-4)
        side.addItem(self.legend, row=0, col=0)
        side.addLabel("", row=1, col=0)  # takes the height below: the entries stay together
        side.layout.setRowStretchFactor(1, 100)
        side.setMaximumWidth(320)  # the plots keep the width
        self.legend.sigSampleClicked.connect(self._legend_clicked)
        self.acc_plot = add_plot(self.graphics,
                                 self.tr("accuracy per epoch (solid: train, dashed: test)"),
                                 words(EPOCHS), words(ACCURACY), row=1, col=0)
        # the epoch markers, in two pairs of shared items: those of the finished runs (redrawn
        # when that set changes) and those of the live run (redrawn at each of its epochs).
        # A ScatterPlotItem's paint runs ~0.4 ms of Python with the GIL held; two per run made
        # half of a frame's paint with 12 runs overlaid.
        symbol_pen = pg.mkPen(200, 200, 200)
        self.marks = {group: {"train": pg.ScatterPlotItem(symbol="o", size=5, pen=symbol_pen),
                              "test": pg.ScatterPlotItem(symbol="t", size=6, pen=symbol_pen)}
                      for group in (True, False)}  # keyed by 'frozen'
        for pair in self.marks.values():
            for item in pair.values():
                item.setZValue(1)  # above the lines
                self.acc_plot.addItem(item)
        self._marks_key = {True: None, False: None}
        # the finished runs' curves: one cached image per plot (see views/layer.py)
        self.layers = {"loss": CachedLayer(self.loss_plot.vb), "acc": CachedLayer(self.acc_plot.vb)}
        # and their epoch markers (a scatter item maps its points with the painter's transform,
        # so it paints into the image as it paints on screen): the pair was painted again in
        # every frame that changed the accuracy plot, ~0.3 ms of Python each
        for item in self.marks[True].values():
            self.layers["acc"].add(item)
        # each plot follows its data until the user zooms or pans it; the range last set
        self._follow = {self.loss_plot.vb: True, self.acc_plot.vb: True}
        self._ranges = {vb: None for vb in self._follow}
        for vb in self._follow:
            vb.disableAutoRange()
            vb.sigRangeChangedManually.connect(self._user_moved_range)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.graphics.ci.layout.setColumnStretchFactor(0, 10)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)

        self._runs: dict = {}      # record id -> _RunCurves
        self._records: dict = {}   # record id -> RunRecord
        self._settings_changed = True
        for signal in (self.kind.currentIndexChanged, self.weight.valueChanged,
                       self.window.valueChanged, self.show_raw.toggled, self.log_x.toggled,
                       self.log_y.toggled):
            signal.connect(self._changed)

    # -- settings --------------------------------------------------------------------------------
    @Slot()
    def _changed(self, *_):
        self.weight_label.setText(f"{self.weight.value() / 1000:.3f}")
        self._settings_changed = True

    def smoothed(self, rec, *, incremental: bool = False) -> np.ndarray:
        """The smoothed loss of a record under the current settings (also used for CSV)."""
        values = rec.losses.view()
        kind = self.kind.currentIndex()
        if kind == 2:
            return values
        run = self._runs.get(rec.id) if incremental else None
        if kind == 0:
            smoother = run.ema if run is not None else EmaSmoother()
            smoother.weight = self.weight.value() / 1000
        else:
            smoother = run.mavg if run is not None else MovingAverageSmoother()
            smoother.window = self.window.value()
        return smoother.update(values)

    @Slot(object)
    def _legend_clicked(self, item):
        for rid, run in self._runs.items():
            if item is run.smooth:
                self._records[rid].visible = item.isVisible()
                self._records[rid].version += 1
                self.visibility_changed.emit()

    @Slot(object)
    def _user_moved_range(self, *_):
        self._follow[self.sender()] = False

    # -- drawing -----------------------------------------------------------------------------------
    def _visible(self, n: int) -> tuple[int, int]:
        """[lo, hi) of the loss indices in the x range shown (all of them while following)."""
        if self._follow[self.loss_plot.vb]:
            return 0, n
        x0, x1 = self.loss_plot.getViewBox().viewRange()[0]
        if self.log_x.isChecked():
            x0, x1 = 10.0 ** min(x0, 16.0), 10.0 ** min(x1, 16.0)
        return max(0, min(n, int(x0) - 2)), max(0, min(n, int(np.ceil(x1)) + 1))

    def _sync(self, records, limit: int | None = None) -> None:
        """Items for new records (at most ``limit`` runs' in this call), none for removed ones."""
        ids = {r.id for r in records}
        for rid in [rid for rid in self._runs if rid not in ids]:
            run = self._runs.pop(rid)
            for layer, curve in run.layered(self.layers):
                layer.remove(curve)
            for item in run.items:
                (self.loss_plot if item in (run.raw, run.smooth) else self.acc_plot).removeItem(item)
            self.legend.removeItem(run.smooth)
            run.changes.clear()
            del self._records[rid]
        for rec in records:
            if rec.id not in self._runs:
                if limit is not None and limit <= 0:
                    break
                self._runs[rec.id] = run = _RunCurves(self.loss_plot, self.acc_plot).assign(rec, self.legend)
                run.changes = ChangeMarks(self.loss_plot, self.acc_plot, rec.color)
                self._records[rec.id] = rec
                limit = None if limit is None else limit - 1

    def refresh(self, session) -> bool:
        # while a run trains, a few runs' items a frame (5-10 ms each): items for 12 runs at
        # once, with their first paint, held the event loop ~130 ms
        training = hasattr(session, "is_running") and session.is_running()
        self._sync(session.records, limit=2 if training else None)
        settings = self._settings_changed
        if settings:
            self.loss_plot.setLogMode(self.log_x.isChecked(), self.log_y.isChecked())
            self._settings_changed = False
        log_x, show_raw = self.log_x.isChecked(), self.show_raw.isChecked()
        for vb in self._follow:
            if any(vb.autoRangeEnabled()):  # the user pressed pyqtgraph's auto-range button
                vb.disableAutoRange()
                self._follow[vb], self._ranges[vb] = True, None
        buckets = max(256, int(self.loss_plot.vb.width()))  # about one per pixel
        drew = False
        for rec in session.records:
            run = self._runs.get(rec.id)
            if run is None:  # its items come in a later frame
                continue
            n = rec.steps
            window = self._visible(n)
            if run.version == rec.version and not settings and window == run.window:
                continue
            if settings:
                run.ema.reset()
                run.mavg.reset()
                run.smooth_peaks.reset()
            frozen = rec.status not in _LIVE
            if frozen != run.frozen:  # a finished run's curves are painted by the cached layers
                run.frozen = frozen
                for layer, curve in run.layered(self.layers):
                    layer.add(curve) if frozen else layer.remove(curve)
            elif frozen:  # settings or visibility changed: the layers' images are made again
                for layer in self.layers.values():
                    layer.invalidate()
            for item in run.items:
                item.setVisible(rec.visible)
            run.raw.setVisible(rec.visible and show_raw)
            if n:
                values = rec.losses.view()
                smooth = self.smoothed(rec, incremental=True)
                run.raw_peaks.update(values)
                run.smooth_peaks.update(smooth)
                drawn = [run.smooth_peaks.envelope(smooth, *window, buckets, log_x=log_x)]
                if show_raw:
                    drawn.append(run.raw_peaks.envelope(values, *window, buckets, log_x=log_x))
                    run.raw.setData(*drawn[1])
                run.smooth.setData(*drawn[0])
                y = np.concatenate([d[1] for d in drawn])
                y = y[np.isfinite(y)]
                run.y_bounds = (y.min(), y.max()) if y.size else (math.nan, math.nan)
            run.changes.update(getattr(rec, "changes", ()), rec.epochs, rec.visible, log_x)
            if rec.epochs and (settings or len(rec.epochs) != run.epochs_drawn):
                run.epochs_drawn = len(rec.epochs)
                ep = np.array(rec.epochs, dtype=np.float64)
                run.train.setData(ep[:, 0], ep[:, 2])
                run.test.setData(ep[:, 0], ep[:, 3])
            run.version, run.window = rec.version, window
            drew = True
        self._draw_marks(session.records)
        self._follow_data(session.records, force=settings)
        if drew:
            self.frames += 1
        return drew

    def _draw_marks(self, records) -> None:
        """The shared epoch markers of the runs shown, each group if its runs or epochs changed."""
        for frozen, pair in self.marks.items():
            runs = [r for r in records if r.visible and r.epochs and r.id in self._runs
                    and self._runs[r.id].frozen == frozen]
            key = tuple((r.id, len(r.epochs)) for r in runs)
            if key == self._marks_key[frozen]:
                continue
            self._marks_key[frozen] = key
            if frozen:
                self.layers["acc"].invalidate()
            ep = [np.asarray(r.epochs, dtype=np.float64) for r in runs]
            brushes = [self._runs[r.id].brush for r, e in zip(runs, ep) for _ in range(len(e))]
            for name, col in (("train", 2), ("test", 3)):
                pair[name].setVisible(bool(runs))
                if runs:
                    pair[name].setData(x=np.concatenate([e[:, 0] for e in ep]),
                                       y=np.concatenate([e[:, col] for e in ep]), brush=brushes)
                else:
                    pair[name].clear()

    def _follow_data(self, records, *, force: bool) -> None:
        """Set the following plots' ranges to nice bounds around the shown runs, if they changed:
        loss from 0 (or its log) to above its maximum, accuracy over [0, 1] as in the book."""
        shown = [rec for rec in records if rec.visible and rec.steps and rec.id in self._runs]
        if not shown:
            return
        epochs = max((rec.epochs[-1][0] for rec in shown if rec.epochs), default=1)
        self._set_range(self.acc_plot.vb, (0.0, nice_ceil(max(epochs, 1))), (0.0, 1.0), force)
        bounds = [self._runs[rec.id].y_bounds for rec in shown]
        lows = [lo for lo, _ in bounds if math.isfinite(lo)]
        if not lows:
            return
        y_lo, y_hi = min(lows), max(hi for _, hi in bounds if math.isfinite(hi))
        n = max(rec.steps for rec in shown)
        x_range = (0.0, math.log10(nice_ceil(n))) if self.log_x.isChecked() else (0.0, nice_ceil(n))
        if self.log_y.isChecked():
            pos = [lo for lo in lows if lo > 0]  # log10 of the smallest positive value shown
            lo = nice_floor(min(pos)) if pos else 1e-3
            y_range = (math.log10(lo), math.log10(nice_ceil(max(y_hi, lo))))
        else:
            y_range = (0.0 if y_lo >= 0 else -nice_ceil(-y_lo),
                       nice_ceil(y_hi) if y_hi > 0 else 0.0)
            if y_range[1] <= y_range[0]:
                y_range = (y_range[0], y_range[0] + 1.0)
        self._set_range(self.loss_plot.vb, x_range, y_range, force)

    def _set_range(self, vb, x_range, y_range, force: bool) -> None:
        if self._follow[vb] and (force or (x_range, y_range) != self._ranges[vb]):
            self._ranges[vb] = (x_range, y_range)
            vb.setRange(xRange=x_range, yRange=y_range, padding=0.02)

    # -- export --------------------------------------------------------------------------------------
    def plots(self) -> dict:
        return {QT_TRANSLATE_NOOP("views", "loss"): self.loss_plot,
                QT_TRANSLATE_NOOP("views", "accuracy"): self.acc_plot}

    def export_csv(self, path, plot: str | None = None) -> None:
        """'loss': run,step,loss,smoothed; 'accuracy': run,epoch,step,train_acc,test_acc;
        None: the loss file at ``path`` and the accuracy file beside it (``*_epochs.csv``)."""
        records = list(self._records.values())
        path = Path(path)
        if plot in (None, "loss"):
            write_loss_csv(path, records, smoothed=self.smoothed)
        if plot == "accuracy":
            write_epoch_csv(path, records)
        elif plot is None:
            write_epoch_csv(path.with_name(path.stem + "_epochs.csv"), records)
            write_changes_csv(path.with_name(path.stem + "_changes.csv"), records)
