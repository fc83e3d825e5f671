"""View 3: contour and gradient field of x²/20 + y², and the paths of the chosen optimizers with
editable learning rates and step count, animated step by step on the app's redraw timer."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot
from PySide6.QtWidgets import (QCheckBox, QDoubleSpinBox, QGridLayout, QLabel, QPushButton,
                               QSpinBox)

from trainlab.experiments import optimizer_paths as core
from trainlab.experiments import palette

from trainlab_gui.core.runs import csv_file
from trainlab_gui.views.base import View, widget_row
from trainlab_gui.views.canvas import add_plot, contour
from trainlab_gui.views.theme import style_backdrop

__all__ = ["PathsView"]

class PathsView(View):
    """The optimizers' paths on x²/20 + y², with editable learning rates and steps, animated."""

    title = QT_TRANSLATE_NOOP("views", "Optimizer paths")

    def __init__(self, parent=None):
        super().__init__(parent)
        controls = QGridLayout()
        self.rows: dict = {}
        for col, (name, lr) in enumerate(((core.TITLES[key], lr) for key, lr in core.BOOK_LEARNING_RATES.items())):
            check = QCheckBox(name)
            check.setChecked(name in ("SGD", "Momentum", "AdaGrad", "Adam"))
            spin = QDoubleSpinBox()
            spin.setDecimals(3)
            spin.setRange(0.001, 10.0)
            spin.setSingleStep(0.05)
            spin.setValue(lr)
            controls.addWidget(check, 0, col)
            controls.addWidget(spin, 1, col)
            self.rows[name] = (check, spin)
        self.steps = QSpinBox()
        self.steps.setRange(1, 5000)
        self.steps.setValue(30)
        self.speed = QSpinBox()
        self.speed.setRange(1, 500)
        self.speed.setValue(1)
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.clicked.connect(self.start)
        self.layout_.addLayout(controls)
        self.layout_.addLayout(widget_row((QLabel(self.tr("steps")), self.steps,
                                           QLabel(self.tr("steps per frame")), self.speed,
                                           self.run_button), stretch=True))
        self.layout_.addWidget(self.graphics)

        # the legend in a row of its own above the plot: the paths cross most of the plane
        self.legend = pg.LegendItem(colCount=6, labelTextSize="9pt", horSpacing=20)
        self.graphics.addItem(self.legend, row=0, col=0)
        self.plot = add_plot(self.graphics,
                             self.tr("f(x, y) = x²/20 + y²: each optimizer's steps from (−7, 2)"),
                             self.tr("x (first parameter)"), self.tr("y (second parameter)"),
                             si_prefix=True, row=1, col=0)
        self.plot.setAspectLocked(False)
        self.plot.setRange(xRange=(-10, 10), yRange=(-5, 5), padding=0)
        self.backdrop = contour(self.plot)  # (item, theme colour it takes)
        self.paths: dict = {}   # name -> (steps+1, 2) array
        self.curves: dict = {}  # name -> PlotDataItem
        self.shown = 0          # steps drawn so far by the animation
        self._dirty = True
        self.start()

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        style_backdrop(self.backdrop, theme)

    @Slot()
    def start(self) -> None:
        """Recompute the chosen optimizers' paths and restart the animation."""
        for curve in self.curves.values():
            self.plot.removeItem(curve)
            self.legend.removeItem(curve)
        self.paths, self.curves = {}, {}
        for i, (name, (check, spin)) in enumerate(self.rows.items()):
            if check.isChecked():
                self.paths[name] = core.trajectory(name, spin.value(), self.steps.value())
                color = palette.color(name)
                self.curves[name] = self.plot.plot(pen=pg.mkPen(color, width=2), symbol="o",
                                                   symbolSize=5, symbolBrush=color, symbolPen=None)
                self.legend.addItem(self.curves[name], f"{name} (lr {spin.value():g})")
        self.shown = 0
        self._dirty = True

    @property
    def done(self) -> bool:
        return all(self.shown >= len(p) for p in self.paths.values())

    def refresh(self, session=None) -> bool:
        if not self._dirty and self.done:
            return False
        self.shown += self.speed.value()
        for name, path in self.paths.items():
            part = path[:self.shown + 1]
            self.curves[name].setData(part[:, 0], part[:, 1])
        self._dirty = False
        self.frames += 1
        return True

    def plots(self) -> dict:
        return {QT_TRANSLATE_NOOP("views", "paths"): self.plot}

    def export_csv(self, path, plot: str | None = None) -> None:
        """optimizer,lr,step,x,y for every computed path."""
        with csv_file(path, ["optimizer", "lr", "step", "x", "y"]) as w:
            for name, p in self.paths.items():
                lr = self.rows[name][1].value()
                for step, (x, y) in enumerate(p):
                    w.writerow([name, lr, step, repr(float(x)), repr(float(y))])
