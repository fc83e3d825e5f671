"""Qt-free run records: what a run was configured with and what it produced.

A :class:`RunRecord` is the single source of truth that the views draw from. The training process
never touches it: the GUI thread appends what the process sends (``apply_snapshot``) and bumps
``version``, and each view redraws only when the version it last drew is older. Records are saved
to and loaded from JSON, and their curves exported as CSV, without Qt.
"""
from __future__ import annotations

import csv
import itertools
import json
from contextlib import contextmanager

import numpy as np

from trainlab.engine import RunSpec
from trainlab.experiments.palette import SEQUENCE
from trainlab.optim import SCHEDULES, optimizer_class

from trainlab_gui.core.probes import HistogramProbe
from trainlab_gui.core.smoothing import GrowingArray

__all__ = ["RunRecord", "save_runs", "load_runs", "csv_file", "write_loss_csv", "write_epoch_csv",
           "write_changes_csv", "PALETTE", "spec_from_saved"]

FORMAT_VERSION = 2
HISTORY_COLUMNS = 240  # histogram slices kept per layer; halved (every other dropped) when full
PALETTE = SEQUENCE  # the runs' colours: the app's one palette, 20 before one repeats


def spec_from_saved(d: dict) -> RunSpec:
    """A RunSpec from a saved run's settings: the current format (a RunSpec dict) or the first
    one (flat fields: lr, momentum, beta1, beta2 and decay_rate beside the network's settings,
    schedule fields apart, 0 for 'all' sizes)."""
    if "hyperparameters" in d or "lr" not in d:
        return RunSpec.from_dict(d)
    d = dict(d)
    optimizer = str(d.get("optimizer", "adam")).lower()
    known = optimizer_class(optimizer).hyperparameters()
    flat = ("lr", "momentum", "beta1", "beta2", "decay_rate")
    hyper = {k: d.pop(k) for k in flat if k in d}
    schedule_fields = {k: d.pop(k) for k in ("step_size", "gamma", "total_steps", "min_lr") if k in d}
    schedule = d.pop("schedule", "none")
    if schedule != "none":
        keys = SCHEDULES[schedule].hyperparameters()
        d["schedule"] = {"name": schedule, **{k: v for k, v in schedule_fields.items() if k in keys}}
    for key in ("train_size", "eval_samples"):
        if d.get(key) == 0:
            d[key] = None
    return RunSpec.from_dict(dict(d, hyperparameters={k: v for k, v in hyper.items() if k in known}))


_ids = itertools.count(1)


class RunRecord:
    """One run: its spec, loss per step, accuracy per epoch, hyperparameter changes, histogram
    history and status.

    ``epochs`` holds (epoch, steps trained, train_acc, test_acc), epoch 0 measured before
    training; ``changes`` holds (step, name, value), a hyperparameter changed while training with
    ``step`` the steps trained before it applied (step ``step + 1`` is the first under the new
    value); ``final_test_acc`` is the engine's final test accuracy (None until it finished).
    """

    def __init__(self, spec: RunSpec):
        self.id = next(_ids)
        self.spec = spec
        self.name = spec.label()
        self.color = PALETTE[(self.id - 1) % len(PALETTE)]
        self.visible = True
        self.status = "created"      # created, running, paused, finished, stopped, diverged, failed
        self.stop_reason: str | None = None
        self.losses = GrowingArray()  # loss of step k at index k-1
        self.epochs: list[tuple] = []  # (epoch, step, train_acc, test_acc)
        self.hist_edges: dict = {}     # kind -> [edges per layer]
        self.hist_last: dict = {}      # kind -> [counts per layer], the newest slice
        self.hist_history: dict = {}   # kind -> [list of counts per slice] per layer
        self.hist_steps: list[int] = []
        self.probe = HistogramProbe()  # bins the training process's arrays with fixed edges
        self.steps_per_second = 0.0
        self.train_seconds = 0.0
        # the training thread's CPU time: below train_seconds by what it waited for (a core
        # taken by others); not saved
        self.cpu_seconds = 0.0
        self.changes: list[tuple] = []  # (step, name, value)
        self.total_steps: int | None = None  # the steps the run will train, once it is built
        self.final_test_acc: float | None = None
        self.version = 0               # bumped by every change the views must draw

    @property
    def steps(self) -> int:
        return len(self.losses)

    # -- updates (GUI thread) ----------------------------------------------------------------------
    def apply_snapshot(self, snap: dict) -> None:
        """Append what the training sent: {'losses', 'epochs', 'changes', 'step',
        'train_seconds', and 'hist_arrays' (from probes.collect, binned here)}, each optional."""
        if snap.get("losses") is not None:
            self.losses.extend(snap["losses"])
        self.epochs.extend(tuple(e) for e in snap.get("epochs", ()))
        self.changes.extend(tuple(c)[:3] for c in snap.get("changes", ()))
        if snap.get("hist_arrays") is not None:
            self._add_histograms(snap["step"], self.probe.bin(*snap["hist_arrays"]))
        self.train_seconds = snap.get("train_seconds", self.train_seconds)
        self.cpu_seconds = snap.get("cpu_seconds", self.cpu_seconds)
        if self.train_seconds > 0:
            self.steps_per_second = self.steps / self.train_seconds
        self.version += 1

    def finish(self, result: dict) -> None:
        """The run ended: {'status', 'stop_reason', 'final_test_acc', 'train_seconds',
        'cpu_seconds'}."""
        self.status = result["status"]
        self.stop_reason = result.get("stop_reason")
        self.final_test_acc = result.get("final_test_acc")
        if result.get("train_seconds"):
            self.train_seconds = result["train_seconds"]
            self.steps_per_second = self.steps / self.train_seconds
        self.cpu_seconds = result.get("cpu_seconds", self.cpu_seconds)
        self.version += 1

    def replay_spec(self) -> RunSpec:
        """The spec that trains this run again exactly, its hyperparameter changes included."""
        return self.spec.replace(changes=tuple(self.changes))

    def _add_histograms(self, step: int, hist: dict) -> None:
        for kind, (edges, counts) in hist.items():
            self.hist_edges[kind] = edges
            self.hist_last[kind] = counts
            history = self.hist_history.setdefault(kind, [[] for _ in counts])
            for layer, c in enumerate(counts):
                history[layer].append(c)
        self.hist_steps.append(step)
        if len(self.hist_steps) > HISTORY_COLUMNS:  # keep an even spread over the whole run
            self.hist_steps = self.hist_steps[::2]
            for history in self.hist_history.values():
                for layer in range(len(history)):
                    history[layer] = history[layer][::2]

    def history_image(self, kind: str, layer: int) -> np.ndarray | None:
        """(slices, bins) counts, each slice scaled to max 1: the distribution over time."""
        history = self.hist_history.get(kind)
        if not history or layer >= len(history) or not history[layer]:
            return None
        img = np.asarray(history[layer], dtype=np.float32)
        peak = img.max(axis=1, keepdims=True)
        return img / np.where(peak > 0, peak, 1)

    # -- persistence -------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain JSON values: a value that is not finite (a diverged loss, the open ends of the
        histogram edges) is null, so any JSON reader parses the file."""
        def lists(d):
            return {k: [_finite_or_none(a) for a in v] for k, v in d.items()}
        return {"id": self.id, "name": self.name, "spec": self.spec.to_dict(),
                "color": self.color, "visible": self.visible, "status": self.status,
                "stop_reason": self.stop_reason, "final_test_acc": self.final_test_acc,
                "losses": _finite_or_none(self.losses.view()), "epochs": [list(e) for e in self.epochs],
                "changes": [list(c) for c in self.changes], "steps_per_second": self.steps_per_second,
                "train_seconds": self.train_seconds,
                "hist": {"steps": self.hist_steps, "edges": lists(self.hist_edges),
                         "history": {k: [[list(map(int, c)) for c in layer] for layer in v]
                                     for k, v in self.hist_history.items()}}}

    @classmethod
    def from_dict(cls, d: dict) -> "RunRecord":
        rec = cls(spec_from_saved(d["spec"] if "spec" in d else d["config"]))
        rec.name, rec.color = d.get("name", rec.name), d.get("color", rec.color)
        rec.visible, rec.status = bool(d.get("visible", True)), d.get("status", "finished")
        rec.stop_reason = d.get("stop_reason")
        rec.final_test_acc = d.get("final_test_acc", d.get("test_acc"))  # the first format's key
        rec.changes = [tuple(c) for c in d.get("changes", [])]
        rec.losses.extend(np.array(d.get("losses", []), dtype=np.float64))  # null -> NaN
        rec.epochs = [tuple(e) for e in d.get("epochs", [])]
        rec.steps_per_second = float(d.get("steps_per_second", 0.0))
        rec.train_seconds = float(d.get("train_seconds", 0.0))
        hist = d.get("hist", {})
        rec.hist_steps = list(hist.get("steps", []))
        rec.hist_edges = {k: [_open_ends(e) for e in v] for k, v in hist.get("edges", {}).items()}
        rec.hist_history = {k: [[np.asarray(c, dtype=np.int64) for c in layer] for layer in v]
                            for k, v in hist.get("history", {}).items()}
        rec.hist_last = {k: [layer[-1] for layer in v] for k, v in rec.hist_history.items()
                         if v and all(v)}
        rec.version = 1
        return rec


def _finite_or_none(values) -> list:
    return [float(v) if np.isfinite(v) else None for v in np.asarray(values, dtype=np.float64)]


def _open_ends(edges) -> np.ndarray:
    """Saved histogram edges with their open ends (null) back at -inf and +inf."""
    e = np.array(edges, dtype=np.float64)  # null -> NaN
    if e.size >= 2:
        e[0] = -np.inf if np.isnan(e[0]) else e[0]
        e[-1] = np.inf if np.isnan(e[-1]) else e[-1]
    return e


def save_runs(path, records) -> None:
    """Write ``records`` (RunRecord list) to ``path`` as a trainlab-runs JSON file.

    Raises
    ------
    OSError
        The file cannot be written.
    """
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "trainlab-runs", "version": FORMAT_VERSION,
                   "runs": [r.to_dict() for r in records]}, f, allow_nan=False)


def load_runs(path) -> list[RunRecord]:
    """Read the runs saved by :func:`save_runs` from ``path``.

    Raises
    ------
    OSError
        The file cannot be read.
    ValueError
        Not a trainlab runs file (or not JSON).
    """
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("format") != "trainlab-runs":
        raise ValueError(f"{path}: not a trainlab runs file")
    return [RunRecord.from_dict(d) for d in doc["runs"]]


@contextmanager
def csv_file(path, header: list):
    """A csv.writer into a new UTF-8 file at ``path`` whose first row is ``header`` (every CSV
    export of the app)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        yield writer


def write_loss_csv(path, records, smoothed=None) -> None:
    """step, loss (and smoothed loss) per run, long format: run,step,loss[,smoothed]."""
    with csv_file(path, ["run", "step", "loss"] + (["smoothed"] if smoothed else [])) as w:
        for rec in records:
            losses = rec.losses.view()
            sm = smoothed(rec) if smoothed else None
            for i, value in enumerate(losses):
                row = [rec.name, i + 1, repr(float(value))]
                if sm is not None:
                    row.append(repr(float(sm[i])))
                w.writerow(row)


def write_epoch_csv(path, records) -> None:
    """Write ``records``' accuracies to ``path`` as CSV: run, epoch, step, train_acc, test_acc."""
    with csv_file(path, ["run", "epoch", "step", "train_acc", "test_acc"]) as w:
        for rec in records:
            for epoch, step, train_acc, test_acc in rec.epochs:
                w.writerow([rec.name, epoch, step, train_acc, test_acc])


def write_changes_csv(path, records) -> None:
    """Write the hyperparameter changes made while training as CSV: run, step, name, value
    (``step``: the steps trained before the change applied)."""
    with csv_file(path, ["run", "step", "name", "value"]) as w:
        for rec in records:
            for step, name, value in rec.changes:
                w.writerow([rec.name, step, name, repr(value)])
