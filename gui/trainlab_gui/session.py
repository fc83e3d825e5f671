"""The runs of the lab: every run kept for comparison, and the one that trains, in a training
process of its own (:mod:`trainlab_gui.training`).

Views never hear from the training process: they read ``session.records`` on the redraw timer
and draw what changed since their last frame (``RunRecord.version``).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from trainlab_gui.core.naming import default_name, number
from trainlab_gui.core.runs import RunRecord
from trainlab_gui.training import Launcher

__all__ = ["Session"]


class Session(QObject):
    """The runs of the lab and the one training run in progress.

    Parameters
    ----------
    parent : QObject, optional
        Qt parent.
    prestart : bool
        Start the next run's training process ahead (at once and after each run).
    """

    runs_changed = Signal()          # a run was added, removed or changed status
    run_starting = Signal(object)    # the RunRecord, added; its process trains it after this
    run_training = Signal(object)    # the RunRecord: its process built it and trains it now
    run_finished = Signal(object)    # the RunRecord
    message = Signal(str)            # something the user should read (a refused change, data used)

    def __init__(self, parent=None, *, prestart: bool = True):
        super().__init__(parent)
        self.records: list[RunRecord] = []
        self.active: RunRecord | None = None
        self._process = None
        self._prestart = prestart
        self._messages_before = 0  # from the processes of the runs that ended
        self.launcher = Launcher(self)
        if prestart:
            self.launcher.prestart()

    # -- runs -------------------------------------------------------------------------------------
    def start(self, spec) -> RunRecord:
        """Train ``spec`` in a training process; its name, when empty, says how it differs from
        the other runs. RuntimeError while another run trains."""
        if self.is_running():
            raise RuntimeError(self.tr("a run is already training; stop it first"))
        rec = RunRecord(spec)
        if not spec.name:
            rec.name = default_name(spec, [r.spec for r in self.records], [r.name for r in self.records])
        rec.status = "running"
        self.records.append(rec)
        self.active = rec
        self.run_starting.emit(rec)
        process = self._process = self.launcher.take()
        process.paused.connect(self.on_paused)
        process.refused.connect(self.on_refused)
        process.changed.connect(self.on_changed)
        process.started.connect(self.on_started)
        process.finished.connect(self.on_finished)
        process.train(rec)
        self.runs_changed.emit()
        return rec

    @property
    def snapshots_received(self) -> int:
        """Messages received from training processes so far."""
        return self._messages_before + (self._process.messages if self._process is not None else 0)

    @property
    def training_pid(self) -> int | None:
        """The process id of the run in training (None when none trains)."""
        return self._process.process.pid if self._process is not None else None

    def is_running(self) -> bool:
        return self._process is not None

    def pause(self) -> None:
        if self._process is not None:
            self._process.pause()

    def resume(self) -> None:
        if self._process is not None:
            self._process.resume()

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()

    def poll(self) -> None:
        """Take the training run's newest losses now (the window does before each frame)."""
        if self._process is not None:
            self._process.poll()

    def change(self, name: str, value) -> None:
        """Change a hyperparameter of the training run from its next step on."""
        if self._process is None:
            raise RuntimeError(self.tr("no run is training"))
        self._process.change(name, value)

    def add(self, records) -> None:
        self.records.extend(records)
        self.runs_changed.emit()

    def remove(self, rec: RunRecord) -> None:
        if rec is self.active and self.is_running():
            raise RuntimeError(self.tr("stop the run before removing it"))
        self.records.remove(rec)
        self.runs_changed.emit()

    def wait(self, ms: int = 10000) -> None:
        """Stop the run and end its process (at exit; killed after ``ms``)."""
        process = self._process
        if process is not None:
            process.stop()
            process.process.join(ms / 1000)
            if process.process.is_alive():
                process.process.kill()
                process.process.join(1.0)
            process.read()  # its last messages and its end

    def shutdown(self) -> None:
        """End every training process (the window closes)."""
        self._prestart = False
        self.wait()
        self.launcher.shutdown()

    # -- from the training process (GUI thread) ---------------------------------------------------
    @Slot(bool)
    def on_paused(self, paused: bool) -> None:
        if self.active is not None and self.active.status in ("running", "paused"):
            self.active.status = "paused" if paused else "running"
            self.active.version += 1
            self.runs_changed.emit()

    @Slot(str)
    def on_refused(self, text: str) -> None:
        self.message.emit(self.tr("not changed: {reason}").format(reason=text))

    @Slot(object)
    def on_changed(self, change) -> None:
        step = change[0]
        done = ", ".join(f"{name} = {number(value)}" for s, name, value in self.active.changes if s == step)
        self.message.emit(self.tr("{changes} from step {step}").format(changes=done, step=step + 1))

    @Slot(object)
    def on_started(self, info: dict) -> None:
        if info.get("message"):
            self.message.emit(info["message"])
        if self.active is not None:
            self.run_training.emit(self.active)

    @Slot(object)
    def on_finished(self, _result: dict) -> None:
        self._messages_before += self._process.messages
        rec, self._process = self.active, None
        if self._prestart:
            self.launcher.prestart(rec.spec.dataset if rec is not None else None)
        if rec is not None:
            self.runs_changed.emit()
            self.run_finished.emit(rec)
