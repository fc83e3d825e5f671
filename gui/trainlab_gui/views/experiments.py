"""View 4: run any ``trainlab.experiments`` entry with live plots laid out like the book's figure.

The options form is built from the registry (its defaults and help texts), the experiment runs
in an ExperimentWorker thread, and its series are drawn as they arrive, on the figure that
:func:`trainlab.experiments.figures.describe` gives for them (the command line's PNG draws the
same one). A figure with several pages (the sweep's accuracy and loss, the activations of each
function, the paths apart or overlaid) shows one at a time. When the experiment ends, its
result's series replace the live ones."""
from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QWidget)

from trainlab._i18n import N_, translate
from trainlab.engine import load_data
from trainlab.experiments.figures import describe

from trainlab_gui.core.runs import csv_file
from trainlab_gui.core.smoothing import GrowingArray
from trainlab_gui.editors import add_choices, combo_value, set_combo_value
from trainlab_gui.views.base import View, WorkerHost, widget_row
from trainlab_gui.views.canvas import FigureCanvas
from trainlab_gui.worker import ExperimentWorker

__all__ = ["ExperimentsView", "parse_option", "describe_options"]

FORM_COLUMNS = 4  # options per row: the fewer rows, the more room for the figure
# The experiments' and their options' names as the user reads them (self.tr(name)): English
# shows the names that --experiment and --option take, a translation words. Listed here for the
# translation tools only (N_ is read as QT_TRANSLATE_NOOP).
_NAMES = (N_("ExperimentsView", "optimizer_paths"), N_("ExperimentsView", "compare_optimizers"),
          N_("ExperimentsView", "compare_weight_init"),
          N_("ExperimentsView", "activation_histograms"), N_("ExperimentsView", "batchnorm_sweep"),
          N_("ExperimentsView", "overfitting"), N_("ExperimentsView", "ensemble"),
          N_("ExperimentsView", "hyperparameter_search"))
_OPTIONS = (N_("ExperimentsView", "optimizers"), N_("ExperimentsView", "lr"),
            N_("ExperimentsView", "steps"), N_("ExperimentsView", "start"),
            N_("ExperimentsView", "iterations"), N_("ExperimentsView", "batch_size"),
            N_("ExperimentsView", "hidden"), N_("ExperimentsView", "backend"),
            N_("ExperimentsView", "weight_inits"), N_("ExperimentsView", "activation"),
            N_("ExperimentsView", "optimizer"), N_("ExperimentsView", "activations"),
            N_("ExperimentsView", "n_layers"), N_("ExperimentsView", "n_nodes"),
            N_("ExperimentsView", "n_inputs"), N_("ExperimentsView", "bins"),
            N_("ExperimentsView", "symmetry_steps"), N_("ExperimentsView", "n_scales"),
            N_("ExperimentsView", "scale_max"), N_("ExperimentsView", "scale_min"),
            N_("ExperimentsView", "train_size"), N_("ExperimentsView", "epochs"),
            N_("ExperimentsView", "test_size"), N_("ExperimentsView", "weight_decay"),
            N_("ExperimentsView", "dropout_ratios"), N_("ExperimentsView", "members"),
            N_("ExperimentsView", "strategy"), N_("ExperimentsView", "n_trials"),
            N_("ExperimentsView", "val_rate"), N_("ExperimentsView", "lr_range"),
            N_("ExperimentsView", "weight_decay_range"), N_("ExperimentsView", "pruner"),
            N_("ExperimentsView", "store"), N_("ExperimentsView", "n_workers"),
            N_("ExperimentsView", "scheduler"), N_("ExperimentsView", "top"))
# how an experiment ended, on its progress bar
_STATUS = {"finished": QT_TRANSLATE_NOOP("ExperimentsView", "finished"),
           "stopped": QT_TRANSLATE_NOOP("ExperimentsView", "stopped"),
           "failed": QT_TRANSLATE_NOOP("ExperimentsView", "failed")}


def parse_option(spec, key: str, text: str):
    """The form's text for option ``key`` of experiment ``spec`` (empty: None, where that is the
    default)."""
    if text.strip() == "" and spec.defaults[key] is None:
        return None
    return spec.parse_option(key, text)


def describe_options(spec, options: dict) -> str:
    """The experiment's description in the user's language, with the numbers its options change
    ('16 weight scales' for a sweep of ``n_scales=4`` reads '4 weight scales')."""
    text = translate("experiments", spec.description)
    for key, value in options.items():
        default = spec.defaults.get(key)
        if isinstance(default, int) and not isinstance(default, bool) and value is not None \
                and value != default:  # a count before a word: '16 weight scales', '16通りの'
            text = re.sub(rf"(?<![0-9A-Za-z_.\-]){default}(?=\s?[^\W\d_])", str(value), text,
                          count=1)
    return text


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return "" if value is None else str(value)


class ExperimentsView(WorkerHost, View):
    """Runs any trainlab.experiments entry in a worker thread and plots its series live."""

    title = QT_TRANSLATE_NOOP("views", "Experiments")
    done = Signal()  # an experiment ended (finished, stopped or failed)

    def __init__(self, parent=None):
        super().__init__(parent)
        from trainlab.experiments import EXPERIMENTS

        self.registry = EXPERIMENTS
        self.choice = QComboBox()
        for name in EXPERIMENTS:
            self.choice.addItem(self.tr(name), name)
        self.dataset = QComboBox()
        add_choices(self.dataset, ["sample", "fashion-mnist", "mnist", "default"])
        self.dataset.setEditable(True)
        self.page = QComboBox()  # which page of the figure is shown
        self.page.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.page.setToolTip(self.tr("what the figure shows: the experiment's figures, one at a "
                                     "time"))
        self.zoom = QCheckBox(self.tr("zoom accuracy"))
        self.zoom.setToolTip(self.tr("fit every accuracy axis to the data (together) instead of 0 "
                                     "to 1"))
        self.run_button, self.stop_button = QPushButton(self.tr("Run")), QPushButton(self.tr("Stop"))
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        top = widget_row((QLabel(self.tr("experiment")), self.choice, QLabel(self.tr("dataset")),
                          self.dataset, QLabel(self.tr("show")), self.page, self.zoom,
                          self.run_button, self.stop_button, self.progress))
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QGridLayout(self.form_host)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.description)
        self.layout_.addWidget(self.form_host)
        self.layout_.addWidget(self.graphics, 1)
        self.layout_.addWidget(self.summary)
        self.canvas = FigureCanvas(self.graphics, self.theme)
        self.fields: dict = {}
        self.series: dict = {}     # name -> (GrowingArray x, GrowingArray y)
        self.meta: dict = {}       # name -> the finished result's Series.meta
        self.figure = None
        self.name = None           # the experiment whose series are shown
        self.version = self._drawn = 0
        self.updates = 0           # live batches received
        self.result = None
        self.error = None
        self.status = "idle"       # idle, running, finished, stopped, failed
        self._zoom_for = None      # the experiment the zoom box was last set for
        self._pages_for = None     # the experiment whose pages the page box lists
        self.choice.currentIndexChanged.connect(self._build_form)
        self.page.currentTextChanged.connect(self._changed)
        self.zoom.toggled.connect(self._changed)
        self.run_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self._build_form()
        self._buttons()

    # -- form ------------------------------------------------------------------------------------
    @property
    def chosen(self) -> str:
        """The name of the experiment chosen in the box."""
        return self.choice.currentData()

    @Slot()
    def _build_form(self, *_) -> None:
        while self.form.count():
            widget = self.form.takeAt(0).widget()
            widget.hide()  # at once: deleteLater waits for the event loop
            widget.deleteLater()
        self.fields = {}
        spec = self.registry.get(self.chosen)
        if spec is None:
            return
        self.dataset.setEnabled(spec.needs_data)
        for i, (key, default) in enumerate(spec.defaults.items()):
            edit = QLineEdit(_text(default))
            edit.setToolTip(translate("experiments", spec.param_help.get(key, "")))
            edit.textChanged.connect(self._describe)
            self.form.addWidget(QLabel(self.tr(key)), i // FORM_COLUMNS, 2 * (i % FORM_COLUMNS))
            self.form.addWidget(edit, i // FORM_COLUMNS, 2 * (i % FORM_COLUMNS) + 1)
            self.fields[key] = edit
        self._describe()

    @Slot()
    def _describe(self, *_) -> None:
        spec = self.registry[self.chosen]
        try:
            options = self.options()
        except ValueError:
            options = {}
        self.description.setText(describe_options(spec, options))

    def select(self, name: str, *, dataset: str | None = None, **options) -> None:
        if name not in self.registry:
            raise ValueError(f"unknown experiment {name!r}; expected one of {sorted(self.registry)}")
        self.choice.setCurrentIndex(self.choice.findData(name))
        if dataset:
            set_combo_value(self.dataset, dataset)
        for key, value in options.items():
            self.set_option(key, _text(value))

    def set_option(self, key: str, text: str) -> None:
        if key not in self.fields:
            raise ValueError(f"{self.chosen} has no option {key!r}; "
                             f"options: {sorted(self.fields)}")
        self.fields[key].setText(text)

    def options(self) -> dict:
        spec = self.registry[self.chosen]
        return {key: parse_option(spec, key, edit.text()) for key, edit in self.fields.items()}

    def _buttons(self) -> None:
        running = self.worker is not None
        self.run_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.choice.setEnabled(not running)
        self.form_host.setEnabled(not running)

    # -- running -----------------------------------------------------------------------------------
    @Slot()
    def start(self) -> bool:
        """Run the chosen experiment; False (and ``status`` 'failed', the reason in ``error``)
        when its options or data are bad."""
        if self.worker is not None:
            return False
        name = self.chosen
        spec = self.registry[name]
        self._clear(name)
        try:
            params = self.options()
            data = None
            if spec.needs_data:
                loaded = load_data(combo_value(self.dataset))
                data = (loaded.train, loaded.test)
        except (ValueError, OSError) as exc:
            self._failed(f"{type(exc).__name__}: {exc}")
            return False
        worker = ExperimentWorker(name, params, data)
        worker.updated.connect(self.on_updated)
        worker.progressed.connect(self.on_progress)
        worker.finished.connect(self.on_finished)
        self._launch(worker)
        self.status = "running"
        self.summary.setText(self.tr("running {experiment}…").format(experiment=self.tr(name)))
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.setFormat(self.tr("starting…"))
        self._buttons()
        return True

    def _clear(self, name: str) -> None:
        self.series, self.meta, self.figure, self.name = {}, {}, None, name
        self.result = self.error = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("")
        self.version += 1

    def _failed(self, error: str) -> None:
        self.error, self.status = error, "failed"
        self.summary.setText(self.tr("failed: {error}").format(error=error))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr(_STATUS["failed"]))
        self.done.emit()

    @Slot(object)
    def on_updated(self, batch: dict) -> None:
        for name, (x, y, whole) in batch.items():
            if whole or name not in self.series:
                self.series[name] = (GrowingArray(), GrowingArray())
            xs, ys = self.series[name]
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
        self._buttons()
        self.result, self.error = out["result"], out["error"]
        if self.result is not None:  # the result is complete: it replaces the live points
            self.series = {}  # in the result's order (the legend's)
            for name, s in self.result.series.items():
                xs, ys = GrowingArray(), GrowingArray()
                xs.extend(np.array([np.nan if v is None else v for v in s.x], dtype=np.float64))
                ys.extend(np.array([np.nan if v is None else v for v in s.y], dtype=np.float64))
                self.series[name] = (xs, ys)
                self.meta[name] = dict(s.meta)
            headline = self.result.summary.get("headline", "")
            self.status = "stopped" if self.result.stopped else "finished"
            done = self.tr("stopped early. ") if self.result.stopped else self.tr("done. ")
            self.summary.setText(done + str(headline))
            self.progress.setFormat(self.tr(_STATUS[self.status]))
            self.version += 1
            self.done.emit()
        else:
            self._failed(self.error)

    def outcome(self) -> dict:
        """What the scripted mode reports: name, status, error, headline, series drawn."""
        headline = self.result.summary.get("headline") if self.result is not None else None
        return {"name": self.name, "status": self.status, "error": self.error,
                "headline": headline, "series": sorted(self.series)}

    @Slot()
    def _changed(self, *_) -> None:
        self.version += 1

    # -- drawing -------------------------------------------------------------------------------------
    def _pages(self) -> None:
        """Describe the figure for the series there are; offer its pages."""
        self.figure = describe(self.name or self.chosen,
                               {n: self.meta.get(n, {}) for n in self.series},
                               summary=self.result.summary if self.result is not None else None)
        names = list(self.figure.pages)
        if names != [self.page.itemText(i) for i in range(self.page.count())]:
            # the page shown stays while a figure gains pages; another experiment starts at its first
            current = self.page.currentText() if self._pages_for == self.name else None
            self._pages_for = self.name
            self.page.blockSignals(True)
            self.page.clear()
            self.page.addItems(names)
            if names:  # none until the first series of a figure drawn by pages arrives
                self.page.setCurrentText(current if current in names else names[0])
            self.page.blockSignals(False)
        if self._zoom_for != self.name:  # a new experiment: its figure says whether to zoom
            self._zoom_for = self.name
            self.zoom.blockSignals(True)
            self.zoom.setChecked(any(p.zoom for page in self.figure.pages.values() for p in page.panels))
            self.zoom.blockSignals(False)
        self.page.setEnabled(len(names) > 1)

    def refresh(self, session=None) -> bool:
        if self._drawn == self.version:
            return False
        self._pages()
        page = self.figure.pages.get(self.page.currentText())
        if page is not None:
            key = (self.name, self.page.currentText(),
                   tuple((p.title, tuple(p.marks)) for p in page.panels))
            self.canvas.show(page, key)
            self.canvas.set_data({n: (xs.view(), ys.view()) for n, (xs, ys) in self.series.items()},
                                 self.zoom.isChecked())
        elif self.canvas.key is not None:  # a new experiment has nothing to draw yet
            self.canvas.clear()
        self._drawn = self.version
        self.frames += 1
        return True

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        if hasattr(self, "canvas"):
            self.canvas.apply_theme(theme)

    @property
    def curves(self) -> dict:
        """{series: the PlotDataItem that shows it} on the page shown (its smoothed line, for a
        smoothed series)."""
        return {name: marks[0][2][-1] for name, marks in self.canvas.items.items()}

    def plots(self) -> dict:
        return {panel.title or self.tr("panel {n}").format(n=i + 1): plot
                for i, (panel, plot) in enumerate(self.canvas.plots)}

    def export_csv(self, path, plot: str | None = None) -> None:
        """series,x,y (long format, as ExperimentResult.save) for all series or one panel's."""
        names = list(self.series)
        if plot is not None:
            panel = next(p for p, item in self.canvas.plots if p.title == plot or item is self.plots().get(plot))
            names = [m.series for m in panel.marks]
        with csv_file(path, ["series", "x", "y"]) as w:
            for name in names:
                if name not in self.series:
                    continue
                xs, ys = self.series[name]
                for x, y in zip(xs.view(), ys.view()):
                    w.writerow([name, repr(float(x)), repr(float(y))])
