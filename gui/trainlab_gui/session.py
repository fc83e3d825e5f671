"""The GUI-thread side of training: keeps every run (running and finished, for comparison),
starts a worker per run and receives its snapshots in ``@Slot`` methods.

Views never hear from the worker: they read ``session.records`` on the redraw timer and draw what
changed since their last frame (``RunRecord.version``).
"""
from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal, Slot

from trainlab_gui.core.runs import RunRecord
from trainlab_gui.training import TrainWorker
from trainlab_gui.worker import start_worker

__all__ = ["Session"]


class Session(QObject):
    """The runs of the lab and the one training run in progress (a worker in its own QThread).

    Parameters
    ----------
    parent : QObject, optional
        Qt parent.
    data_loader : callable, optional
        ``data_loader(name) -> arrays`` instead of trainlab.datasets (for tests).
    """

    runs_changed = Signal()          # a run was added, removed or changed status
    run_starting = Signal(object)    # the RunRecord, added; its thread starts when this returns
    run_finished = Signal(object)    # the RunRecord

    def __init__(self, parent=None, *, data_loader=None):
        super().__init__(parent)
        self.records: list[RunRecord] = []
        self.active: RunRecord | None = None
        self._worker: TrainWorker | None = None
        self._thread = None
        self._data_loader = data_loader  # optional callable(name) -> arrays, for tests
        self.snapshots_received = 0
        # GUI-thread seconds spent applying snapshots (histogram binning included): they hold
        # the GIL the trainer needs, so the main window charges them to its drawing credit
        self.slot_seconds = 0.0

    # -- runs -----------------------------------------------------------------------------------
    def start(self, spec) -> RunRecord:
        if self.is_running():
            raise RuntimeError("a run is already training; stop it first")
        rec = RunRecord(spec)
        rec.status = "running"
        self.records.append(rec)
        self.active = rec
        data = self._data_loader(spec.dataset) if self._data_loader else None
        self.run_starting.emit(rec)
        self._worker = TrainWorker(spec, data)
        self._worker.snapshot.connect(self.on_snapshot)
        self._worker.paused.connect(self.on_paused)
        self._worker.finished.connect(self.on_finished)
        self._thread = start_worker(self._worker, self)
        self.runs_changed.emit()
        return rec

    def is_running(self) -> bool:
        return self._worker is not None

    def pause(self) -> None:
        if self._worker is not None:
            self._worker.pause()

    def resume(self) -> None:
        if self._worker is not None:
            self._worker.resume()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()

    def add(self, records) -> None:
        self.records.extend(records)
        self.runs_changed.emit()

    def remove(self, rec: RunRecord) -> None:
        if rec is self.active and self.is_running():
            raise RuntimeError("stop the run before removing it")
        self.records.remove(rec)
        self.runs_changed.emit()

    def wait(self, ms: int = 10000) -> bool:
        """Stop the run and wait for its thread (at exit)."""
        if self._thread is None:
            return True
        self.stop()
        return self._thread.wait(ms)

    # -- from the worker (queued into the GUI thread) --------------------------------------------
    @Slot(object)
    def on_snapshot(self, snap: dict) -> None:
        if self.active is not None:
            t0 = time.perf_counter()
            self.active.apply_snapshot(snap)
            self.snapshots_received += 1
            self.slot_seconds += time.perf_counter() - t0

    @Slot(bool)
    def on_paused(self, paused: bool) -> None:
        if self.active is not None and self.active.status in ("running", "paused"):
            self.active.status = "paused" if paused else "running"
            self.active.version += 1
            self.runs_changed.emit()

    @Slot(object)
    def on_finished(self, result: dict) -> None:
        rec = self.active
        thread = self._thread
        self._worker = None
        self._thread = None
        if thread is not None:
            thread.wait(5000)  # the thread quits right after this signal was sent
            thread.deleteLater()
        if rec is None:
            return
        rec.finish(result)
        self.runs_changed.emit()
        self.run_finished.emit(rec)
