"""View 4: run any ``trainlab.experiments`` entry with live plots.

The options form is built from the registry (its defaults and help texts), the experiment runs
in an ExperimentWorker thread, and its series are drawn as they arrive: a series named ``a/b``
goes to panel ``a`` as line ``b`` (so a sweep grid becomes a grid of panels), any other to the
main panel. When the experiment ends, its result's series replace the live ones."""
from __future__ import annotations

import csv

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QWidget)

from trainlab.engine import load_data

from trainlab_gui.core.runs import PALETTE
from trainlab_gui.core.smoothing import GrowingArray
from trainlab_gui.views.base import View, WorkerHost
from trainlab_gui.worker import ExperimentWorker

__all__ = ["ExperimentsView", "parse_option"]

COLUMNS = 4


def parse_option(spec, key: str, text: str):
    """The form's text for option ``key`` of experiment ``spec`` (empty: None, where that is the
    default)."""
    if text.strip() == "" and spec.defaults[key] is None:
        return None
    return spec.parse_option(key, text)


def place(name: str, names) -> tuple:
    """(panel, line, metric) of a series: 'line/panel…/metric' (a sweep: one panel per setting,
    one metric shown at a time), 'label/metric' or 'group/label' (whichever part varies less is
    the panel), or a bare label in the main panel."""
    parts = name.split("/")
    if len(parts) >= 3:
        return "/".join(parts[1:-1]), parts[0], parts[-1]
    if len(parts) == 2:
        pairs = [n.split("/") for n in names if n.count("/") == 1]
        if len({p[1] for p in pairs}) < len({p[0] for p in pairs}):
            return parts[1], parts[0], None
        return parts[0], parts[1], None
    return "", name, None


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return "" if value is None else str(value)


class ExperimentsView(WorkerHost, View):
    """Runs any trainlab.experiments entry in a worker thread and plots its series live.

    Parameters
    ----------
    parent : QWidget, optional
        Qt parent.
    """

    title = "Experiments"
    done = Signal()  # an experiment ended (finished, stopped or failed)

    def __init__(self, parent=None):
        super().__init__(parent)
        from trainlab.experiments import EXPERIMENTS

        self.registry = EXPERIMENTS
        top = QHBoxLayout()
        self.choice = QComboBox()
        self.choice.addItems(list(EXPERIMENTS))
        self.dataset = QComboBox()
        self.dataset.addItems(["sample", "fashion-mnist", "mnist", "default"])
        self.dataset.setEditable(True)
        self.metric = QComboBox()  # which metric of 'line/panel/metric' series to show
        self.run_button, self.stop_button = QPushButton("Run"), QPushButton("Stop")
        self.progress = QProgressBar()
        for w in (QLabel("experiment"), self.choice, QLabel("dataset"), self.dataset,
                  QLabel("metric"), self.metric, self.run_button, self.stop_button, self.progress):
            top.addWidget(w)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QGridLayout(self.form_host)  # options in rows of three: room for the plots
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.description)
        self.layout_.addWidget(self.form_host)
        self.layout_.addWidget(self.graphics, 1)
        self.layout_.addWidget(self.summary)
        self.fields: dict = {}
        self.series: dict = {}     # name -> (GrowingArray x, GrowingArray y)
        self.panels: dict = {}     # panel name -> PlotItem
        self.curves: dict = {}     # series name -> PlotDataItem
        self.colors: dict = {}     # line label -> colour
        self.version = self._drawn = 0
        self.updates = 0           # live batches received
        self._placed = None        # (series names, metric) the panels were laid out for
        self.result = None
        self.error = None
        self.choice.currentTextChanged.connect(self._build_form)
        self.metric.currentTextChanged.connect(self._metric_changed)
        self.run_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self._build_form(self.choice.currentText())
        self._buttons()

    # -- form ------------------------------------------------------------------------------------
    @Slot(str)
    def _build_form(self, name: str) -> None:
        while self.form.count():
            self.form.takeAt(0).widget().deleteLater()
        self.fields = {}
        spec = self.registry.get(name)
        if spec is None:
            return
        self.description.setText(spec.description)
        self.dataset.setEnabled(spec.needs_data)
        for i, (key, default) in enumerate(spec.defaults.items()):
            edit = QLineEdit(_text(default))
            edit.setToolTip(spec.param_help.get(key, ""))
            self.form.addWidget(QLabel(key), i // 3, 2 * (i % 3))
            self.form.addWidget(edit, i // 3, 2 * (i % 3) + 1)
            self.fields[key] = edit

    def select(self, name: str, *, dataset: str | None = None, **options) -> None:
        if name not in self.registry:
            raise ValueError(f"unknown experiment {name!r}; expected one of {sorted(self.registry)}")
        self.choice.setCurrentText(name)
        if dataset:
            self.dataset.setCurrentText(dataset)
        for key, value in options.items():
            self.fields[key].setText(_text(value))

    def set_option(self, key: str, text: str) -> None:
        if key not in self.fields:
            raise ValueError(f"{self.choice.currentText()} has no option {key!r}; "
                             f"options: {sorted(self.fields)}")
        self.fields[key].setText(text)

    def options(self) -> dict:
        spec = self.registry[self.choice.currentText()]
        return {key: parse_option(spec, key, edit.text()) for key, edit in self.fields.items()}

    def _buttons(self) -> None:
        running = self.worker is not None
        self.run_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    # -- running -----------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        if self.worker is not None:
            return
        name = self.choice.currentText()
        spec = self.registry[name]
        try:
            params = self.options()
        except ValueError as exc:
            self.summary.setText(f"bad option: {exc}")
            return
        data = None
        if spec.needs_data:
            loaded = load_data(self.dataset.currentText())
            data = (loaded.train, loaded.test)
        self._clear()
        worker = ExperimentWorker(name, params, data)
        worker.updated.connect(self.on_updated)
        worker.progressed.connect(self.on_progress)
        worker.finished.connect(self.on_finished)
        self._launch(worker)
        self.summary.setText(f"running {name}…")
        self._buttons()

    def _clear(self) -> None:
        self.graphics.clear()
        self.series, self.panels, self.curves, self.colors = {}, {}, {}, {}
        self._placed = None
        self.result = self.error = None
        self.version += 1

    @Slot(object)
    def on_updated(self, batch: dict) -> None:
        for name, (x, y) in batch.items():
            xs, ys = self.series.setdefault(name, (GrowingArray(), GrowingArray()))
            xs.extend(x)
            ys.extend(y)
        self.updates += 1
        self.version += 1

    @Slot(int, int, str)
    def on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"%p%  {text}"[:120])

    @Slot(object)
    def on_finished(self, out: dict) -> None:
        self._reap()
        self.result, self.error = out["result"], out["error"]
        if self.result is not None:  # the result is complete: it replaces the live points
            for name, s in self.result.series.items():
                xs, ys = GrowingArray(), GrowingArray()
                xs.extend([np.nan if v is None else v for v in s.x])
                ys.extend([np.nan if v is None else v for v in s.y])
                self.series[name] = (xs, ys)
            headline = self.result.summary.get("headline", "")
            self.summary.setText(("stopped early. " if self.result.stopped else "done. ") + str(headline))
        else:
            self.summary.setText(f"failed: {self.error}")
        self.version += 1
        self._buttons()
        self.done.emit()

    @Slot(str)
    def _metric_changed(self, _text) -> None:
        self.version += 1

    # -- drawing -------------------------------------------------------------------------------------
    def _curve(self, panel: str, label: str) -> pg.PlotDataItem:
        if panel not in self.panels:
            n = len(self.panels)
            plot = self.graphics.addPlot(row=n // COLUMNS, col=n % COLUMNS,
                                         title=panel or self.choice.currentText())
            plot.addLegend(offset=(-5, 5), labelTextSize="7pt")
            self.panels[panel] = plot
        if label not in self.colors:
            self.colors[label] = PALETTE[len(self.colors) % len(PALETTE)]
        item = self.panels[panel].plot(pen=pg.mkPen(self.colors[label], width=1.5), name=label)
        item.setDownsampling(auto=True, method="peak")
        item.setClipToView(True)
        return item

    def _layout(self) -> None:
        """Place every series again (names that arrived may change where others belong)."""
        names = list(self.series)
        metrics = sorted({m for m in (place(n, names)[2] for n in names) if m})
        if metrics != [self.metric.itemText(i) for i in range(self.metric.count())]:
            self.metric.blockSignals(True)
            self.metric.clear()
            self.metric.addItems(metrics)
            acc = [m for m in metrics if "acc" in m]
            self.metric.setCurrentText(acc[0] if acc else (metrics[0] if metrics else ""))
            self.metric.blockSignals(False)
        self.graphics.clear()
        self.panels, self.curves = {}, {}
        for name in names:
            panel, line, metric = place(name, names)
            if metric is None or metric == self.metric.currentText():
                self.curves[name] = self._curve(panel, line)
        self._placed = (tuple(names), self.metric.currentText())

    def refresh(self, session=None) -> bool:
        if self._drawn == self.version:
            return False
        if self._placed != (tuple(self.series), self.metric.currentText()):
            self._layout()
        for name, curve in self.curves.items():
            xs, ys = self.series[name]
            curve.setData(xs.view(), ys.view(), connect="finite")
        self._drawn = self.version
        self.frames += 1
        return True

    def plots(self) -> dict:
        return {name or "main": p for name, p in self.panels.items()}

    def export_csv(self, path, plot: str | None = None) -> None:
        """series,x,y (long format, as ExperimentResult.save) for all series or one panel's."""
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["series", "x", "y"])
            for name, (xs, ys) in self.series.items():
                if plot is not None and (place(name, self.series)[0] or "main") != plot:
                    continue
                for x, y in zip(xs.view(), ys.view()):
                    w.writerow([name, repr(float(x)), repr(float(y))])
