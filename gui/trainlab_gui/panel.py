"""The parameter panel: every setting of a run (a trainlab.engine.RunSpec) as a widget, plus
start/pause/resume/stop.

Only the optimizer's own hyperparameters and the chosen schedule's settings are enabled, so the
form never offers a setting that the run would ignore."""
from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from trainlab.engine import RunSpec
from trainlab.optim import SCHEDULES, optimizer_class

__all__ = ["ParameterPanel"]

OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
_HYPER = {"momentum": ("momentum", "nesterov"), "beta1": ("adam",), "beta2": ("adam",),
          "decay_rate": ("rmsprop",)}
_SCHEDULE = {"step_size": ("step",), "gamma": ("step", "exponential"), "total_steps": ("cosine",),
             "min_lr": ("cosine",)}


def _spin(lo, hi, value, decimals=None, step=None):
    w = QSpinBox() if decimals is None else QDoubleSpinBox()
    if decimals is not None:
        w.setDecimals(decimals)
    w.setRange(lo, hi)
    if step is not None:
        w.setSingleStep(step)
    w.setValue(value)
    return w


def _combo(items, editable=False):
    w = QComboBox()
    w.addItems(items)
    w.setEditable(editable)
    return w


class ParameterPanel(QWidget):
    """The left panel: every setting of a run and the Start / Pause / Resume / Stop buttons.

    Parameters
    ----------
    parent : QWidget, optional
        Qt parent.
    """

    start_clicked = Signal()
    pause_clicked = Signal()
    resume_clicked = Signal()
    stop_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.w = {
            "name": QLineEdit(""),
            "dataset": _combo(["sample", "fashion-mnist", "mnist", "default"], editable=True),
            "train_size": _spin(0, 1_000_000, 0),
            "hidden": QLineEdit("100,100,100,100"),
            "activation": _combo(["relu", "sigmoid", "tanh"]),
            "weight_init": _combo(["he", "xavier", "0.01", "1.0"], editable=True),
            "batchnorm": QCheckBox(),
            "dropout": _spin(0.0, 0.95, 0.0, 2, 0.05),
            "weight_decay": _spin(0.0, 10.0, 0.0, 6, 0.001),
            "optimizer": _combo(OPTIMIZERS),
            "lr": _spin(1e-6, 10.0, 0.001, 6, 0.001),
            "momentum": _spin(0.0, 0.999, 0.9, 3, 0.01),
            "beta1": _spin(0.0, 0.999, 0.9, 3, 0.01),
            "beta2": _spin(0.0, 0.9999, 0.999, 4, 0.001),
            "decay_rate": _spin(0.0, 0.9999, 0.99, 4, 0.01),
            "schedule": _combo(["none", "step", "exponential", "cosine"]),
            "step_size": _spin(1, 10_000_000, 1000),
            "gamma": _spin(0.0001, 1.0, 0.5, 4, 0.05),
            "total_steps": _spin(1, 10_000_000, 5000),
            "min_lr": _spin(0.0, 10.0, 0.0, 6, 0.0001),
            "batch_size": _spin(1, 100_000, 100),
            "epochs": _spin(1, 100_000, 5),
            "seed": _spin(0, 2**31 - 1, 0),
            "dtype": _combo(["float32", "float64"]),
            "eval_samples": _spin(0, 1_000_000, 0),
        }
        self.w["optimizer"].setCurrentText("adam")
        labels = {"train_size": "train size (0 = all)", "hidden": "hidden layers",
                  "weight_init": "weight init", "batchnorm": "batch norm",
                  "dropout": "dropout ratio (0 = off)", "weight_decay": "weight decay λ",
                  "lr": "learning rate", "schedule": "lr schedule", "step_size": "  step size",
                  "gamma": "  gamma", "total_steps": "  total steps", "min_lr": "  min lr",
                  "batch_size": "batch size", "decay_rate": "decay rate",
                  "eval_samples": "eval samples (0 = all)"}
        form = QFormLayout()
        for key, widget in self.w.items():
            form.addRow(labels.get(key, key), widget)
        buttons = QGridLayout()
        self.start_button, self.pause_button = QPushButton("Start"), QPushButton("Pause")
        self.resume_button, self.stop_button = QPushButton("Resume"), QPushButton("Stop")
        for i, b in enumerate((self.start_button, self.pause_button, self.resume_button, self.stop_button)):
            buttons.addWidget(b, i // 2, i % 2)
        self.start_button.clicked.connect(self.start_clicked)
        self.pause_button.clicked.connect(self.pause_clicked)
        self.resume_button.clicked.connect(self.resume_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.w["optimizer"].currentTextChanged.connect(self._enable)
        self.w["schedule"].currentTextChanged.connect(self._enable)
        self._enable()
        self.set_state("idle")

    @Slot()
    def _enable(self, *_):
        opt, sched = self.w["optimizer"].currentText(), self.w["schedule"].currentText()
        for key, users in _HYPER.items():
            self.w[key].setEnabled(opt in users)
        for key, users in _SCHEDULE.items():
            self.w[key].setEnabled(sched in users)

    def set_state(self, state: str) -> None:
        """Enable the buttons that make sense: idle, running or paused."""
        self.start_button.setEnabled(state == "idle")
        self.pause_button.setEnabled(state == "running")
        self.resume_button.setEnabled(state == "paused")
        self.stop_button.setEnabled(state in ("running", "paused"))

    # -- spec <-> widgets ---------------------------------------------------------------------
    def _values(self) -> dict:
        values = {}
        for key, widget in self.w.items():
            if isinstance(widget, QCheckBox):
                values[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                values[key] = widget.currentText()
            elif isinstance(widget, QLineEdit):
                values[key] = widget.text()
            else:
                values[key] = widget.value()
        return values

    def config(self) -> RunSpec:
        """The RunSpec the form shows (ValueError naming a bad setting)."""
        v = self._values()
        hyper = optimizer_class(v["optimizer"]).hyperparameters()
        schedule = None
        if v["schedule"] != "none":
            keys = SCHEDULES[v["schedule"]].hyperparameters()
            schedule = {"name": v["schedule"], **{k: v[k] for k in keys}}
        try:
            hidden = tuple(int(s) for s in v["hidden"].split(",") if s.strip())
        except ValueError:
            raise ValueError(f"hidden layers must be comma-separated integers, got {v['hidden']!r}") from None
        return RunSpec(name=v["name"], dataset=v["dataset"], train_size=v["train_size"] or None,
                       hidden=hidden, activation=v["activation"], weight_init=v["weight_init"],
                       batchnorm=v["batchnorm"], dropout=v["dropout"], weight_decay=v["weight_decay"],
                       optimizer=v["optimizer"], hyperparameters={k: v[k] for k in hyper},
                       schedule=schedule, batch_size=v["batch_size"], epochs=v["epochs"],
                       seed=v["seed"], dtype=v["dtype"], eval_samples=v["eval_samples"] or None)

    def set_config(self, spec: RunSpec) -> None:
        """Show ``spec`` in the form."""
        values = spec.to_dict()
        values.update(spec.optimizer_settings())
        values.update((spec.schedule or {}))
        values["schedule"] = (spec.schedule or {}).get("name", "none")
        values["hidden"] = ",".join(map(str, spec.hidden))
        for key in ("train_size", "eval_samples"):
            values[key] = values[key] or 0
        for key, widget in self.w.items():
            if key not in values:
                continue
            value = values[key]
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))
            else:
                widget.setValue(value)
