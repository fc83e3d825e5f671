"""The training worker: a QObject moved to its own QThread that runs a Trainer and sends copied,
coalesced snapshots by signal.

Only this module's ``TrainWorker.run`` executes in the training thread. It never touches a widget
or a RunRecord: every emit carries fresh arrays (the network's buffers are overwritten by the next
step), at most ``rate_hz`` times a second, with histograms at most ``hist_rate_hz``. The GUI side
connects the signals to ``@Slot`` methods of GUI-thread QObjects only (a lambda would run in the
sender's thread under PySide6).
"""
from __future__ import annotations

import threading
import time
import traceback

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from trainlab_gui.core.probes import collect

__all__ = ["TrainWorker", "ExperimentWorker", "SearchWorker", "start_worker"]


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
    finished = Signal(object)   # {'status', 'stop_reason', 'test_acc', 'train_seconds', 'steps',
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

    # -- training thread -----------------------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        result = {"status": "failed", "stop_reason": None, "test_acc": None, "steps": 0,
                  "train_seconds": 0.0}
        try:
            from trainlab.engine import build

            self.trainer = build(self.spec, self._data)
            if self._stop.is_set():
                self.trainer.stop()
            self.trainer.add_callback("iteration", self._on_iteration)
            self.trainer.add_callback("epoch", self._on_epoch)
            self._start = time.perf_counter()
            cpu0 = time.thread_time()
            test_acc = self.trainer.train()
            self._flush(force=True)
            result["cpu_seconds"] = time.thread_time() - cpu0
            reason = self.trainer.stop_reason
            status = ("finished" if reason is None else
                      "diverged" if reason.startswith("diverged") else "stopped")
            result.update(status=status, stop_reason=reason, test_acc=float(test_acc),
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

    def _flush(self, *, force: bool = False, now: float | None = None) -> None:
        if not self._pending and not self._pending_epochs and not force:
            return
        now = time.perf_counter() if now is None else now
        snap = {"losses": np.array(self._pending, dtype=np.float64),
                "epochs": list(self._pending_epochs), "step": self._steps,
                "train_seconds": self._train_seconds()}
        if force or now - self._last_hist >= self._hist_gap:
            snap["hist_arrays"] = collect(self.trainer.network)  # binned by the record
            self._last_hist = now
        self._pending, self._pending_epochs = [], []
        self._last_emit = now
        self.snapshot.emit(snap)


def start_worker(worker: TrainWorker, parent: QObject | None = None) -> QThread:
    """Move ``worker`` to a new QThread and start it; the thread quits when the worker finishes."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # direct: quit() runs in the worker thread as it finishes (thread-safe), so a GUI-side
    # thread.wait() in the finished slot cannot wait for a quit queued behind itself
    worker.finished.connect(thread.quit, Qt.DirectConnection)
    thread.start()
    return thread


class ExperimentWorker(QObject):
    """Runs one ``trainlab.experiments`` entry; its ``on_update`` points are batched and sent
    at most ``rate_hz`` times a second as {series: (x array, y array)}."""
    updated = Signal(object)           # {series: (x, y)} new points only
    progressed = Signal(int, int, str)  # done, total, info text
    finished = Signal(object)          # {'result': ExperimentResult | None, 'error': str | None}

    def __init__(self, name: str, params: dict, data=None, *, rate_hz: float = 30.0):
        super().__init__()
        self.name, self.params, self._data = name, params, data
        self._min_gap = 1.0 / rate_hz
        self._stop = threading.Event()
        self._pending: dict = {}
        self._progress = None
        self._last_emit = -1e9

    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        from trainlab.experiments import run_experiment

        out = {"result": None, "error": None}
        try:
            out["result"] = run_experiment(self.name, self._data, **self.params,
                                           progress=self._on_progress,
                                           should_stop=self._stop.is_set, on_update=self._on_update)
        except Exception as exc:  # noqa: BLE001 - shown in the view, never raised in this thread
            out["error"] = f"{type(exc).__name__}: {exc}"
            out["traceback"] = traceback.format_exc()
        self._flush()
        self.finished.emit(out)

    def _on_update(self, series, x, y) -> None:
        xs, ys = self._pending.setdefault(series, ([], []))
        xs.append(np.nan if x is None else float(x))
        ys.append(np.nan if y is None else float(y))
        self._maybe_flush()

    def _on_progress(self, done, total, info) -> None:
        text = ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}"
                         for k, v in info.items())
        self._progress = (int(done), int(total), text)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if time.perf_counter() - self._last_emit >= self._min_gap:
            self._flush()

    def _flush(self) -> None:
        self._last_emit = time.perf_counter()
        if self._pending:
            batch = {k: (np.array(x), np.array(y)) for k, (x, y) in self._pending.items()}
            self._pending = {}
            self.updated.emit(batch)
        if self._progress is not None:
            self.progressed.emit(*self._progress)
            self._progress = None


class SearchWorker(QObject):
    """Runs ``trainlab.search.run_search`` into a SQLite store. The search view reads the trials
    from the store itself (it is written as each trial ends), so this only reports the end."""
    finished = Signal(object)  # {'summary': str | None, 'error': str | None}

    def __init__(self, store_path: str, data, **kwargs):
        super().__init__()
        self.store_path, self._data, self.kwargs = store_path, data, kwargs
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        from trainlab.search import run_search

        out = {"summary": None, "error": None}
        try:
            (x_train, t_train), _ = self._data
            result = run_search(self.store_path, x_train, t_train, should_stop=self._stop.is_set,
                                **self.kwargs)
            out["summary"] = result.summary()
        except Exception as exc:  # noqa: BLE001 - shown in the view
            out["error"] = f"{type(exc).__name__}: {exc}"
        self.finished.emit(out)
