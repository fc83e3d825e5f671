"""What the settings form shows, derived from the descriptions the engine publishes: the fields of
:class:`~trainlab.engine.RunSpec` (their ``help`` and ``choices``), and the
:class:`~trainlab.hyperparameters.Hyperparameter` descriptions of the chosen optimizer and
learning-rate schedule. Qt-free: ``panel.py`` makes the widgets.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from trainlab._i18n import N_, translate
from trainlab.engine import RunSpec
from trainlab.live import live_names
from trainlab.optim import SCHEDULES, make_optimizer, optimizer_class

__all__ = ["Field", "spec_fields", "hyperparameter_fields", "schedule_fields", "live_settings",
           "setting_label", "choice_text", "DATASETS", "WEIGHT_INITS"]

# What the dataset and weight-init boxes offer; both also take typed text (a folder of IDX
# files, a standard deviation).
DATASETS = ("default", "sample", "fashion-mnist", "mnist")
WEIGHT_INITS = ("he", "xavier", "0.01")
# Fields the form leaves out: the optimizer's values and the schedule have rows of their own,
# the changes are made while training.
_OWN_ROWS = ("hyperparameters", "schedule", "changes")
# Every setting's label in the form, the run tooltips and the comparison table, translated in
# context "form" (RunSpec's fields, the optimizers' hyperparameters, the schedules' settings).
_LABELS = {"name": N_("form", "name"), "dataset": N_("form", "dataset"),
           "train_size": N_("form", "train size"), "test_size": N_("form", "test size"),
           "hidden": N_("form", "hidden"), "activation": N_("form", "activation"),
           "weight_init": N_("form", "weight init"), "batchnorm": N_("form", "batch norm"),
           "dropout": N_("form", "dropout"), "weight_decay": N_("form", "weight decay λ"),
           "optimizer": N_("form", "optimizer"), "schedule": N_("form", "lr schedule"),
           "batch_size": N_("form", "batch size"), "epochs": N_("form", "epochs"),
           "seed": N_("form", "seed"), "dtype": N_("form", "precision"),
           "threads": N_("form", "threads"), "eval_samples": N_("form", "eval samples"),
           "changes": N_("form", "changes"), "lr": N_("form", "learning rate"),
           "momentum": N_("form", "momentum"), "decay_rate": N_("form", "decay rate"),
           "beta1": N_("form", "beta1"), "beta2": N_("form", "beta2"),
           "step_size": N_("form", "step size"), "gamma": N_("form", "gamma"),
           "total_steps": N_("form", "total steps"), "min_lr": N_("form", "min lr")}


# Choices shown in words: the datasets' and the learning-rate schedules' (the others are names:
# relu, adam, float32, he).
_CHOICE_WORDS = {"default": N_("form", "default"), "sample": N_("form", "sample"),
                 "none": N_("form", "none"), "constant": N_("form", "constant"),
                 "step": N_("form", "step"), "exponential": N_("form", "exponential"),
                 "cosine": N_("form", "cosine")}


def choice_text(value: str) -> str:
    """How a choice of a box (a dataset, an activation, …) is shown: a word in the user's
    language ('default', 'sample'), a name as it is."""
    return translate("form", _CHOICE_WORDS[value]) if value in _CHOICE_WORDS else value


def setting_label(key: str) -> str:
    """The label of setting ``key`` (a RunSpec field or a hyperparameter) in the user's language."""
    return translate("form", _LABELS.get(key, key.replace("_", " ")))


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
    empty = None if default is not None else (choice_text("default") if f.name == "threads"
                                              else translate("form", "all"))
    return Field(f.name, label, help_text, "int" if integer else "float", default,
                 low=low, high=high, empty=empty)


def spec_fields() -> list[Field]:
    """The RunSpec fields the form shows, in the spec's order."""
    fields = []
    for f in dataclasses.fields(RunSpec):
        if f.name in _OWN_ROWS:
            continue
        label = setting_label(f.name)
        help_text = translate("RunSpec", f.metadata.get("help", ""))
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
        fields.append(Field(name, setting_label(name), translate("Hyperparameter", h.help),
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
