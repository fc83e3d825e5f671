"""What the settings form shows, derived from the descriptions the engine publishes: the fields of
:class:`~trainlab.engine.RunSpec` (their ``help`` and ``choices``), and the
:class:`~trainlab.hyperparameters.Hyperparameter` descriptions of the chosen optimizer and
learning-rate schedule. Qt-free: ``panel.py`` makes the widgets.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from trainlab.engine import RunSpec
from trainlab.live import live_names
from trainlab.optim import SCHEDULES, make_optimizer, optimizer_class

__all__ = ["Field", "spec_fields", "hyperparameter_fields", "schedule_fields", "live_settings",
           "DATASETS", "WEIGHT_INITS"]

# What the dataset and weight-init boxes offer; both also take typed text (a folder of IDX
# files, a standard deviation).
DATASETS = ("default", "sample", "fashion-mnist", "mnist")
WEIGHT_INITS = ("he", "xavier", "0.01")
# Fields the form leaves out: the optimizer's values and the schedule have rows of their own,
# the changes are made while training.
_OWN_ROWS = ("hyperparameters", "schedule", "changes")
_LABELS = {"batchnorm": "batch norm", "weight_decay": "weight decay λ", "lr": "learning rate",
           "eval_samples": "eval samples", "dtype": "precision"}


@dataclass(frozen=True)
class Field:
    """One row of the form.

    ``kind`` is 'text', 'choice' (one of ``choices``), 'editable' (``choices`` or typed text),
    'bool', 'int', 'float' or 'sizes' (comma-separated integers); ``empty`` is the text shown for
    None in an optional number field ('all', 'default').
    """
    key: str
    label: str
    help: str
    kind: str
    default: object = None
    choices: tuple = ()
    low: float = -math.inf
    high: float = math.inf
    log: bool = False
    empty: str | None = None


def _valid(key, value) -> bool:
    try:
        RunSpec(**{key: value})
        return True
    except ValueError:
        return False


def _number_field(f, label, help_text) -> Field:
    """A number field's range: RunSpec validates each setting, so its limits are asked of it."""
    default = f.default
    integer = default is None or isinstance(default, int)
    low = 0 if _valid(f.name, 0) else 1
    high = math.inf if integer or _valid(f.name, 1.0) else 0.95  # a ratio in [0, 1)
    empty = None if default is not None else "default" if f.name == "threads" else "all"
    return Field(f.name, label, help_text, "int" if integer else "float", default,
                 low=low, high=high, empty=empty)


def spec_fields() -> list[Field]:
    """The RunSpec fields the form shows, in the spec's order."""
    fields = []
    for f in dataclasses.fields(RunSpec):
        if f.name in _OWN_ROWS:
            continue
        label = _LABELS.get(f.name, f.name.replace("_", " "))
        help_text = f.metadata.get("help", "")
        default = f.default
        if f.metadata.get("choices"):
            fields.append(Field(f.name, label, help_text, "choice", default, tuple(f.metadata["choices"])))
        elif f.name in ("dataset", "weight_init"):
            fields.append(Field(f.name, label, help_text, "editable", default,
                                DATASETS if f.name == "dataset" else WEIGHT_INITS))
        elif isinstance(default, bool):
            fields.append(Field(f.name, label, help_text, "bool", default))
        elif isinstance(default, tuple):
            fields.append(Field(f.name, label, help_text, "sizes", default))
        elif isinstance(default, str):
            fields.append(Field(f.name, label, help_text, "text", default))
        else:
            fields.append(_number_field(f, label, help_text))
    return fields


def _from_hyperparameters(hyper: dict) -> list[Field]:
    fields = []
    for name, h in hyper.items():
        low, high = h.low, h.high
        if h.typical is not None:  # an unbounded range: what a form's control covers
            low, high = max(low, h.typical[0]), min(high, h.typical[1])
        if h.high_open and math.isfinite(high):
            high = high - (1e-4 if high - low >= 0.01 else (high - low) / 100)
        fields.append(Field(name, _LABELS.get(name, name.replace("_", " ")), h.help,
                            "int" if h.integer else "float", h.default, low=low, high=high, log=h.log))
    return fields


def hyperparameter_fields(optimizer: str) -> list[Field]:
    """The rows of ``optimizer``'s own hyperparameters (its defaults)."""
    return _from_hyperparameters(optimizer_class(optimizer).hyperparameters())


def schedule_fields(schedule: str) -> list[Field]:
    """The rows of a learning-rate schedule's settings ('none': no rows)."""
    return [] if schedule == "none" else _from_hyperparameters(SCHEDULES[schedule].hyperparameters())


def live_settings(spec: RunSpec) -> list[str]:
    """The settings of ``spec`` that may change while it trains: its optimizer's live
    hyperparameters, the weight decay, and the dropout ratio when the network has dropout layers."""
    names = live_names(make_optimizer(spec.optimizer, **spec.hyperparameters))
    return [n for n in names if n != "dropout" or spec.dropout > 0]
