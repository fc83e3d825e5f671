"""The curves view's marks of hyperparameters changed while a run trained: at each change a
dashed vertical line in the run's colour, labelled with the new value ('lr=0.003'), on the loss
plot at its step and on the accuracy plot at the same point of training in epochs (between the
evaluations around that step)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

__all__ = ["ChangeMarks", "step_to_epoch", "change_label"]


def change_label(name: str, value) -> str:
    return f"{name}={value:g}" if isinstance(value, (int, float)) else f"{name}={value}"


def step_to_epoch(step: float, epochs) -> float:
    """Where ``step`` lies in epochs, from the run's (epoch, step, …) evaluations: linear between
    two of them, and past the last one at the last epochs' steps per epoch."""
    if not epochs:
        return math.nan
    ep = np.asarray([(e[0], e[1]) for e in epochs], dtype=np.float64)
    if len(ep) == 1:
        return float(ep[0, 0]) if step <= ep[0, 1] else math.nan
    if step <= ep[-1, 1]:
        return float(np.interp(step, ep[:, 1], ep[:, 0]))
    per_epoch = (ep[-1, 1] - ep[-2, 1]) / max(ep[-1, 0] - ep[-2, 0], 1)
    return float(ep[-1, 0] + (step - ep[-1, 1]) / per_epoch) if per_epoch > 0 else math.nan


class ChangeMarks:
    """The change lines of one run in the loss and accuracy plots.

    Parameters
    ----------
    loss_plot, acc_plot : pyqtgraph.PlotItem
        The curves view's plots (x: step, and x: epoch).
    color : str
        The run's colour.
    """

    def __init__(self, loss_plot, acc_plot, color: str):
        self.loss_plot, self.acc_plot, self.color = loss_plot, acc_plot, color
        self.lines: list = []   # (change, loss line, accuracy line)
        self.key = None

    def update(self, changes, epochs, visible: bool, log_x: bool) -> bool:
        """Draw ``changes`` ((step, name, value) …); True if anything was redrawn."""
        key = (len(changes), len(epochs), visible, log_x)
        if key == self.key:
            return False
        self.key = key
        self.clear()
        pen = pg.mkPen(self.color, width=1.5, style=Qt.DashLine)
        opts = {"position": 0.92, "color": self.color, "movable": False, "anchors": [(0, 0), (0, 0)]}
        for step, name, value in changes:
            text = change_label(name, value)
            x = math.log10(step) if log_x and step > 0 else float(step)
            loss_line = pg.InfiniteLine(pos=x, angle=90, pen=pen, label=text, labelOpts=opts)
            epoch = step_to_epoch(step, epochs)
            acc_line = pg.InfiniteLine(pos=epoch, angle=90, pen=pen) if math.isfinite(epoch) else None
            for plot, line in ((self.loss_plot, loss_line), (self.acc_plot, acc_line)):
                if line is not None:
                    line.setVisible(visible)
                    line.setZValue(2)
                    plot.addItem(line, ignoreBounds=True)
            self.lines.append(((step, name, value), loss_line, acc_line))
        return True

    def clear(self) -> None:
        for _, loss_line, acc_line in self.lines:
            self.loss_plot.removeItem(loss_line)
            if acc_line is not None:
                self.acc_plot.removeItem(acc_line)
        self.lines = []
        self.key = None
