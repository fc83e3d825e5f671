"""View 5: a hyperparameter search as its trials finish (Optuna-Dashboard style).

It reads the study's SQLite store (written by a search started here, by ``trainlab run`` or by
another process) at most twice a second from the redraw timer, and draws: learning rate vs
weight decay on log axes coloured by validation accuracy, the best-so-far curve over trial
numbers, a sortable table and the validation curves of the top trials."""
from __future__ import annotations

import os
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QSplitter, QTableWidget, QTableWidgetItem)

from trainlab.search.pruners import PRUNERS
from trainlab.search.space import default_space

from trainlab.engine import load_data
from trainlab.experiments.figures import VALIDATION_ACCURACY, words

from trainlab.experiments import palette

from trainlab_gui.core.runs import csv_file
from trainlab_gui.views.base import View, WorkerHost, ask_save_path, widget_row
from trainlab_gui.views.canvas import add_plot
from trainlab_gui.views.parallel import ParallelCoordinates
from trainlab_gui.views.theme import style_colorbar, style_legend
from trainlab_gui.worker import SearchWorker

__all__ = ["SearchView"]

POLL_SECONDS = 0.5
TOP = 5
VAL_COLUMN = 2  # the table's validation accuracy
# Names shown through self.tr(name): the strategies, the pruners and the searched
# hyperparameters (English shows the names). Listed here for the translation tools only.
_NAMES = (QT_TRANSLATE_NOOP("SearchView", "random"), QT_TRANSLATE_NOOP("SearchView", "staged"),
          QT_TRANSLATE_NOOP("SearchView", "bayes"), QT_TRANSLATE_NOOP("SearchView", "tpe"),
          QT_TRANSLATE_NOOP("SearchView", "gp"), QT_TRANSLATE_NOOP("SearchView", "median"),
          QT_TRANSLATE_NOOP("SearchView", "successive_halving"),
          QT_TRANSLATE_NOOP("SearchView", "hyperband"), QT_TRANSLATE_NOOP("SearchView", "lr"),
          QT_TRANSLATE_NOOP("SearchView", "weight_decay"))


class _Number(QTableWidgetItem):
    """A table cell that sorts by its number, not its text."""

    def __init__(self, value):
        super().__init__("-" if value is None else (f"{value:.4g}" if isinstance(value, float) else str(value)))
        self.value = -np.inf if value is None else value

    def __lt__(self, other):
        return self.value < getattr(other, "value", -np.inf)


class SearchView(WorkerHost, View):
    """A search store read live: lr against weight decay, best so far, table and top trials."""

    title = QT_TRANSLATE_NOOP("views", "Search")

    def __init__(self, parent=None):
        super().__init__(parent)
        store_bar = QHBoxLayout()
        self.path = QLineEdit(os.path.abspath("search.db"))
        self.path.setMinimumWidth(self.path.fontMetrics().horizontalAdvance("x" * 48))
        self.path.setToolTip(self.tr("the study's SQLite file (an existing one is shown, and a "
                                     "search started on it resumes it)"))
        browse, self.open_button = QPushButton("…"), QPushButton(self.tr("Open"))
        browse.setToolTip(self.tr("choose the store file"))
        for w, stretch in ((QLabel(self.tr("store")), 0), (self.path, 1), (browse, 0),
                           (self.open_button, 0)):
            store_bar.addWidget(w, stretch)
        self.trials_spin, self.epochs_spin, self.samples_spin = QSpinBox(), QSpinBox(), QSpinBox()
        for spin, lo, hi, value in ((self.trials_spin, 1, 10000, 30), (self.epochs_spin, 1, 1000, 10),
                                    (self.samples_spin, 100, 1_000_000, 500)):
            spin.setRange(lo, hi)
            spin.setValue(value)
        self.strategy = QComboBox()
        for name in ("random", "staged", "bayes", "tpe", "gp"):
            self.strategy.addItem(self.tr(name), name)
        self.pruner = QComboBox()  # early stopping of poor trials
        self.pruner.addItem(self.tr("no pruning"), None)
        for name in PRUNERS:
            self.pruner.addItem(self.tr(name), name)
        self.start_button = QPushButton(self.tr("Start search"))
        self.stop_button = QPushButton(self.tr("Stop"))
        run_bar = widget_row((QLabel(self.tr("trials")), self.trials_spin,
                              QLabel(self.tr("epochs")), self.epochs_spin,
                              QLabel(self.tr("train samples")), self.samples_spin,
                              QLabel(self.tr("strategy")), self.strategy, self.pruner,
                              self.start_button, self.stop_button), stretch=True)
        self.status = QLabel(self.tr("no store open"))
        self.status.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setSortingEnabled(True)
        self._sort = (VAL_COLUMN, Qt.DescendingOrder)  # best first until the user sorts otherwise
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.graphics)
        split.addWidget(self.table)
        split.setSizes([620, 230])
        self.layout_.addLayout(store_bar)
        self.layout_.addLayout(run_bar)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(split, 1)
        self._plots()

        self.dataset = "sample"  # what "Start search" searches on (the first train samples)
        self.store = None
        self.trials: list = []
        self._last_poll = 0.0
        self._drawn = None
        browse.clicked.connect(self._browse)
        self.open_button.clicked.connect(self._open_clicked)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self._buttons()

    def _plots(self) -> None:
        acc = words(VALIDATION_ACCURACY)
        self.cmap = pg.colormap.get("viridis")
        self.scatter_plot = add_plot(self.graphics, self.tr("each trial: lr and weight decay"),
                                     self.tr("learning rate (log)"),
                                     self.tr("weight decay λ (log)"), row=0, col=0)
        self.scatter_plot.setLogMode(True, True)
        space = default_space()  # an empty plot shows the chapter's ranges in decades
        self.scatter_plot.setRange(xRange=np.log10([space["lr"].low, space["lr"].high]),
                                   yRange=np.log10([space["weight_decay"].low,
                                                    space["weight_decay"].high]))
        self.scatter_plot.enableAutoRange()  # the trials' own range once they are drawn
        self.scatter = pg.PlotDataItem(pen=None, symbol="o", symbolSize=9, symbolPen=None)
        self.scatter_plot.addItem(self.scatter)
        self.colorbar = pg.ColorBarItem(colorMap=self.cmap, interactive=False, width=12, values=(0, 1))
        self.graphics.addItem(self.colorbar, row=0, col=1)
        self.best_plot = add_plot(self.graphics, self.tr("best so far (line), each trial (dots)"),
                                  self.tr("trial"), acc, row=0, col=2)
        self.values = pg.PlotDataItem(pen=None, symbol="o", symbolSize=5, symbolPen=None,
                                      symbolBrush=palette.color("trials"))
        self.best = pg.PlotDataItem(pen=pg.mkPen(palette.color("best so far"), width=2))
        self.best_plot.addItem(self.values)
        self.best_plot.addItem(self.best)
        self.top_plot = add_plot(self.graphics, self.tr("top {n} trials").format(n=TOP),
                                 self.tr("epochs"), acc, row=0, col=3)
        self.top_curves = [self.top_plot.plot(pen=pg.mkPen(palette.sequence_color(i), width=2))
                           for i in range(TOP)]
        self.top_legend = pg.LegendItem(colCount=1, labelTextSize="8pt")
        self.graphics.addItem(self.top_legend, row=1, col=3)
        self.parallel_plot = add_plot(
            self.graphics, self.tr("parallel coordinates (colour: validation accuracy)"),
            row=1, col=0, colspan=3)  # its axes hidden: ParallelCoordinates draws its own
        self.parallel = ParallelCoordinates(self.parallel_plot, self.cmap)
        for plot in (self.best_plot, self.top_plot):
            plot.setYRange(0, 1, padding=0.02)
            plot.disableAutoRange(axis="y")
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)

    def _buttons(self) -> None:
        self.start_button.setEnabled(not self.running)
        self.stop_button.setEnabled(self.running)

    @Slot(int, Qt.SortOrder)
    def _sorted(self, column: int, order) -> None:
        self._sort = (column, order)

    @Slot()
    def _open_clicked(self) -> None:
        self.open_store(self.path.text())

    # -- store ------------------------------------------------------------------------------------
    @Slot()
    def _browse(self) -> None:
        path = ask_save_path(self.window(), self.tr("Search store"), self.path.text(),
                             "SQLite (*.db)",
                             options=QFileDialog.DontConfirmOverwrite)
        if path:
            self.path.setText(path)

    def open_store(self, path) -> None:
        """Show the store at ``path`` (it may not exist yet: it is opened when it appears)."""
        if self.store is not None:
            self.store.close()
        self.store, self.trials, self._drawn = None, [], None
        self.path.setText(str(path))
        self.path.setToolTip(str(path))
        self._last_poll = 0.0
        self.status.setText(self.tr("waiting for {path}").format(path=path))

    def _poll(self) -> None:
        from trainlab.search import SearchStore

        self._last_poll = time.monotonic()
        if self.store is None:
            try:
                self.store = SearchStore(self.path.text(), create=False)
            except (FileNotFoundError, ValueError) as exc:
                if not isinstance(exc, FileNotFoundError):
                    self.status.setText(str(exc))
                return
        self.trials = self.store.trials()

    # -- running a search ----------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        if self.worker is not None:
            return
        loaded = load_data(self.dataset)
        (x, t), test = loaded.train, loaded.test
        n = self.samples_spin.value()
        self.open_store(self.path.text())
        worker = SearchWorker(self.path.text(), ((x[:n], t[:n]), test),
                              n_trials=self.trials_spin.value(), epochs=self.epochs_spin.value(),
                              strategy=self.strategy.currentData(), pruner=self.pruner.currentData(),
                              n_workers=max(1, (os.cpu_count() or 2) - 1))
        worker.finished.connect(self.on_finished)
        self._launch(worker)
        self.status.setText(self.tr("search running…"))
        self._buttons()

    def shutdown(self, ms: int = 30000) -> None:
        super().shutdown(ms)
        if self.store is not None:
            self.store.close()
            self.store = None

    @Slot(object)
    def on_finished(self, out: dict) -> None:
        self._reap()
        self._buttons()
        self.status.setText(out["summary"]
                            or self.tr("search failed: {error}").format(error=out["error"]))
        self._last_poll = 0.0  # read the last trials at the next frame

    # -- drawing ---------------------------------------------------------------------------------------
    def refresh(self, session=None) -> bool:
        if time.monotonic() - self._last_poll >= POLL_SECONDS:
            self._poll()
        key = tuple((t.number, t.state) for t in self.trials)
        if key == self._drawn or not self.trials:
            return False
        self._draw()
        self._drawn = key
        self.frames += 1
        return True

    def _draw(self) -> None:
        from trainlab.search import ranked

        trials = self.trials
        values = np.array([np.nan if t.value is None else t.value for t in trials])
        ok = np.isfinite(values)
        levels = (float(values[ok].min()), float(values[ok].max())) if ok.any() else (0.0, 1.0)
        if levels[1] <= levels[0]:
            levels = (levels[0] - 0.01, levels[1] + 0.01)
        self.colorbar.setLevels(levels)
        pts = [t for t in trials if t.params.get("lr", 0) > 0 and t.params.get("weight_decay", 0) > 0]
        acc = np.array([np.nan if t.value is None else t.value for t in pts])
        shares = np.clip((acc - levels[0]) / (levels[1] - levels[0]), 0, 1)
        brushes = [pg.mkBrush(self.cmap.map(v, mode="qcolor")) if np.isfinite(v) else pg.mkBrush(150, 150, 150, 120)
                   for v in shares]
        self.scatter.setData([t.params["lr"] for t in pts], [t.params["weight_decay"] for t in pts],
                             symbolBrush=brushes)
        numbers = np.array([t.number for t in trials], dtype=float)
        self.values.setData(numbers[ok], values[ok])
        best = np.fmax.accumulate(np.where(ok, values, -np.inf))
        shown = np.isfinite(best)
        self.best.setData(numbers[shown], best[shown])
        top = ranked(trials)[:TOP]
        self.top_legend.clear()
        for curve, t in zip(self.top_curves, top + [None] * TOP):
            if t is None:
                curve.setData([], [])
                continue
            curve.setData(np.arange(1, t.epochs + 1), t.val_acc)
            self.top_legend.addItem(curve, f"#{t.number}: {t.value:.3f}" if t.value is not None
                                    else f"#{t.number}")
        names = [n for n in self._columns(trials)  # the numeric hyperparameters
                 if all(isinstance(t.params.get(n, 0.0), (int, float)) for t in trials)]
        self.parallel.set_trials([self.tr(n) for n in names] + [self.tr("val acc")],
                                 [[t.params.get(n, np.nan) for t in trials] for n in names] + [values],
                                 values, levels)
        self._fill_table(trials)
        best_t = top[0] if top else None
        status = self.tr("{n} trials in {path}").format(n=len(trials), path=self.path.text())
        if best_t and best_t.value is not None:
            status += self.tr("; best #{trial} val acc {accuracy:.4f}").format(trial=best_t.number,
                                                                               accuracy=best_t.value)
        self.status.setText(status)

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        self.parallel.apply_theme(theme)
        style_legend(self.top_legend, theme)
        style_colorbar(self.colorbar, theme, self.tr("validation accuracy"))

    def _columns(self, trials) -> list:
        names = []
        for t in trials:
            names += [k for k in t.params if k not in names]
        return names

    def _fill_table(self, trials) -> None:
        params = self._columns(trials)
        headers = [self.tr("trial"), self.tr("state"), self.tr("val acc"), self.tr("epochs"),
                   self.tr("seconds")] + [self.tr(p) for p in params]
        self.table.setSortingEnabled(False)
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(trials))
        for row, t in enumerate(trials):
            state = QCoreApplication.translate("ExperimentWorker", t.state)  # the same words
            cells = [_Number(t.number), QTableWidgetItem(state), _Number(t.value), _Number(t.epochs),
                     _Number(round(t.elapsed, 2))] + [_Number(t.params.get(p)) if not isinstance(
                         t.params.get(p), str) else QTableWidgetItem(t.params[p]) for p in params]
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        self.table.setSortingEnabled(True)
        column, order = self._sort
        self.table.sortItems(column if column < len(headers) else VAL_COLUMN, order)

    def plots(self) -> dict:
        return {QT_TRANSLATE_NOOP("views", "lr vs weight decay"): self.scatter_plot,
                QT_TRANSLATE_NOOP("views", "best so far"): self.best_plot,
                QT_TRANSLATE_NOOP("views", "top trials"): self.top_plot}

    def export_csv(self, path, plot: str | None = None) -> None:
        """One row per trial: number, state, val_acc, epochs, seconds, params, val_acc per epoch."""
        trials = self.trials
        params = self._columns(trials)
        width = max((t.epochs for t in trials), default=0)
        with csv_file(path, ["number", "state", "val_acc", "epochs", "seconds"] + params
                      + [f"val_acc_{i + 1}" for i in range(width)]) as w:
            for t in trials:
                w.writerow([t.number, t.state, t.value, t.epochs, t.elapsed]
                           + [t.params.get(p) for p in params]
                           + [t.val_acc[i] if i < t.epochs else "" for i in range(width)])
