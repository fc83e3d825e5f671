"""Hyperparameters changed while a network trains: requested from any thread, validated at once,
applied between two steps and recorded, so that a run with changes replays bit for bit.

What may change is what the objects say may change: an optimizer's hyperparameters marked
``live`` (the learning rate, momentum, Adam's betas, RMSprop's decay), the network's weight decay
λ and its dropout ratio.
"""
from __future__ import annotations

import math
import threading

from trainlab import _validate as V

__all__ = ["LiveChanges", "NETWORK_SETTINGS", "live_names"]

# Network settings that may change while training, besides the optimizer's own.
NETWORK_SETTINGS = ("weight_decay", "dropout")


def live_names(optimizer) -> list[str]:
    """Names :meth:`trainlab.Trainer.change` accepts for a model with this optimizer."""
    hyper = getattr(type(optimizer), "hyperparameters", lambda: {})()
    return [name for name, h in hyper.items() if h.live] + list(NETWORK_SETTINGS)


def _check(run, name, value):
    """``value`` validated for ``name`` on one model (ModelRun); ValueError naming the problem."""
    network, optimizer = run.network, run.optimizer
    if name == "weight_decay":
        return V.positive_number("weight_decay", value, allow_zero=True)
    if name == "dropout":
        if not getattr(network, "use_dropout", False):
            raise ValueError(f"model {run.label!r} has no dropout layers to change")
        return V.unit_interval("dropout", value)
    hyper = getattr(type(optimizer), "hyperparameters", lambda: {})()
    if name not in hyper:
        allowed = live_names(optimizer)
        raise ValueError(f"{type(optimizer).__name__} has no setting {name!r}"
                         f"{V.did_you_mean(name, allowed)}; what may change while training: "
                         f"{', '.join(allowed)}")
    if not hyper[name].live:
        raise ValueError(f"{name} of {type(optimizer).__name__} cannot change while training")
    return hyper[name].validate(value)


def _apply(run, name, value) -> None:
    if name == "weight_decay":
        run.network.weight_decay_lambda = value
    elif name == "dropout":
        run.network.set_dropout_ratio(value)
    else:
        setattr(run.optimizer, name, value)


class LiveChanges:
    """The change requests and the replay schedule of one Trainer."""

    def __init__(self, trainer, scheduled=()):
        self._trainer = trainer
        self._lock = threading.Lock()
        self._requested: list[tuple] = []
        self.applied: list[tuple] = []
        self._scheduled = sorted((self._entry(c) for c in scheduled), key=lambda c: c[0])

    def _runs(self, label):
        models = self._trainer.models
        if label is None:
            return list(models.values())
        if label not in models:
            raise ValueError(f"no model {label!r}; models: {', '.join(models)}")
        return [models[label]]

    def _validated(self, name, value, label):
        values = [_check(run, name, value) for run in self._runs(label)]
        return values[0]

    def _entry(self, change) -> tuple:
        try:
            iteration, name, value, *rest = change
        except (TypeError, ValueError):
            raise ValueError(f"a change must be (iteration, name, value[, label]), got {change!r}") from None
        label = rest[0] if rest else None
        iteration = V.integer("a change's iteration", iteration, 0)
        return (iteration, name, self._validated(name, value, label), label)

    def request(self, name, value, label=None) -> None:
        value = self._validated(name, value, label)
        with self._lock:
            self._requested.append((name, value, label))

    def steps_until_due(self) -> int | float:
        """Steps that may run before the next scheduled change must be applied."""
        if not self._scheduled:
            return math.inf
        return max(1, self._scheduled[0][0] - self._trainer.current_iter)

    def apply_due(self) -> None:
        """Apply the scheduled changes due at this iteration and every request, in that order."""
        now = self._trainer.current_iter
        due = []
        while self._scheduled and self._scheduled[0][0] <= now:
            due.append(self._scheduled.pop(0)[1:])
        if self._requested:
            with self._lock:
                due += self._requested
                self._requested = []
        for name, value, label in due:
            for run in self._runs(label):
                _apply(run, name, value)
            self.applied.append((now, name, value, label))
            self._trainer._emit("change", iteration=now, name=name, value=value, label=label)
