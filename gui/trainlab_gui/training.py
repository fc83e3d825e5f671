"""Training a run in a worker thread: a QObject moved to its own QThread that runs the engine's
Trainer and sends copied, coalesced snapshots by signal.

Only ``TrainWorker.run`` executes in the training thread. It never touches a widget or a
RunRecord: every emit carries fresh arrays (the network's buffers are overwritten by the next
step), at most ``rate_hz`` times a second, with histograms at most ``hist_rate_hz``.
"""
from __future__ import annotations

import threading
import time
import traceback

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from trainlab_gui.core.probes import collect

__all__ = ["TrainWorker"]


class TrainWorker(QObject):
    """Trains one run in a worker thread and emits copied snapshots at most ``rate_hz`` times a
    second (histograms at ``hist_rate_hz``); pause / resume / stop are safe from any thread.

    Parameters
    ----------
    spec : trainlab.engine.RunSpec
        The run's settings.
    data : tuple, optional
        ``((x_train, t_train), (x_test, t_test))``; by default loaded from the run's dataset.
    rate_hz, hist_rate_hz : float
        Highest snapshot and histogram rates.
    """

    snapshot = Signal(object)   # dict, see _snapshot
    paused = Signal(bool)       # True when the worker holds, False when it goes on
    finished = Signal(object)   # {'status', 'stop_reason', 'final_test_acc', 'train_seconds', 'steps',
    #                              'cpu_seconds' (this thread's CPU time while it trained)}

    def __init__(self, spec, data=None, *, rate_hz: float = 30.0,
                 hist_rate_hz: float = 4.0):
        super().__init__()
        self.spec = spec
        self._data = data
        self._min_gap = 1.0 / rate_hz
        self._hist_gap = 1.0 / hist_rate_hz
        self._go = threading.Event()
        self._go.set()
        self._stop = threading.Event()
        self.trainer = None
        self._pending: list[float] = []
        self._pending_epochs: list[tuple] = []
        self._pending_changes: list[tuple] = []
        self._last_emit = self._last_hist = -1e9
        self._paused_seconds = 0.0
        self._start = 0.0
        self._steps = 0

    # -- control, from any thread ------------------------------------------------------------------
    def pause(self) -> None:
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    def stop(self) -> None:
        self._stop.set()
        if self.trainer is not None:
            self.trainer.stop()
        self._go.set()

    def change(self, name: str, value) -> None:
        """Change a live hyperparameter from the next step on (ValueError naming a bad one)."""
        if self.trainer is None:
            raise RuntimeError("the run has not started training yet")
        self.trainer.change(name, value)

    # -- training thread -----------------------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        result = {"status": "failed", "stop_reason": None, "final_test_acc": None, "steps": 0,
                  "train_seconds": 0.0}
        try:
            from trainlab.engine import build

            self.trainer = build(self.spec, self._data)
            if self._stop.is_set():
                self.trainer.stop()
            self.trainer.add_callback("iteration", self._on_iteration)
            self.trainer.add_callback("epoch", self._on_epoch)
            self.trainer.add_callback("change", self._on_change)
            self._start = time.perf_counter()
            cpu0 = time.thread_time()
            test_acc = self.trainer.train()
            self._flush(force=True)
            result["cpu_seconds"] = time.thread_time() - cpu0
            reason = self.trainer.stop_reason
            status = ("finished" if reason is None else
                      "diverged" if reason.startswith("diverged") else "stopped")
            result.update(status=status, stop_reason=reason, final_test_acc=test_acc,
                          steps=self.trainer.current_iter, train_seconds=self._train_seconds())
        except Exception as exc:  # noqa: BLE001 - reported to the GUI, never raised in this thread
            result["stop_reason"] = f"{type(exc).__name__}: {exc}"
            result["traceback"] = traceback.format_exc()
        self.finished.emit(result)

    def _train_seconds(self) -> float:
        return time.perf_counter() - self._start - self._paused_seconds

    def _on_iteration(self, trainer, info) -> None:
        self._pending.append(info["loss"])
        self._steps = info["iteration"] + 1
        now = time.perf_counter()
        if now - self._last_emit >= self._min_gap:
            self._flush(now=now)
        if not self._go.is_set() and not self._stop.is_set():
            self._flush(force=True)  # show everything trained before holding
            self.paused.emit(True)
            t0 = time.perf_counter()
            self._go.wait()
            self._paused_seconds += time.perf_counter() - t0
            self.paused.emit(False)

    def _on_epoch(self, trainer, info) -> None:
        # the steps trained before this evaluation: 0 for the one before training
        self._pending_epochs.append((info["epoch"], info["iteration"],
                                     float(info["train_acc"]), float(info["test_acc"])))

    def _on_change(self, trainer, info) -> None:
        self._pending_changes.append((info["iteration"], info["name"], info["value"]))
        self._flush(force=True)

    def _flush(self, *, force: bool = False, now: float | None = None) -> None:
        if not self._pending and not self._pending_epochs and not force:
            return
        now = time.perf_counter() if now is None else now
        snap = {"losses": np.array(self._pending, dtype=np.float64),
                "epochs": list(self._pending_epochs), "changes": list(self._pending_changes),
                "step": self._steps,
                "train_seconds": self._train_seconds()}
        if force or now - self._last_hist >= self._hist_gap:
            snap["hist_arrays"] = collect(self.trainer.network)  # binned by the record
            self._last_hist = now
        self._pending, self._pending_epochs, self._pending_changes = [], [], []
        self._last_emit = now
        self.snapshot.emit(snap)
