"""The app's side of a training process (``core/child.py`` is the other side).

A run trains in a spawned child process, so that drawing and training do not share an interpreter
lock: the GUI thread draws at its own rate while the child trains at headless speed. The
:class:`TrainingProcess` takes the new losses from shared memory on its own timer (the child never
wakes the app for them), reads the child's messages as they arrive (a QSocketNotifier on the
pipe; a timer where pipes are not sockets), applies both to the run's RunRecord in the GUI thread,
and sends the user's controls. A child that dies (a crash, ``kill -9``) ends its run as failed with the
reason; the app and its other runs go on. :class:`Launcher` keeps one child started ahead, idle
with the engine imported, so that Start trains at once.
"""
from __future__ import annotations

import multiprocessing
import os
import signal

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Qt, QTimer, Signal, Slot

from trainlab_gui.core.child import serve
from trainlab_gui.core.lossring import LossRing

__all__ = ["TrainingProcess", "Launcher", "default_threads", "POLL_MS"]

POLL_MS = 25  # new losses are taken from shared memory this often (and before every frame)

_settings = {"threads": None}


def default_threads(n: int | None = None) -> int:
    """Set (with ``n``) and return the BLAS threads of the training processes: all cores but one
    by default, which the GUI keeps (two BLAS threads on two busy cores ran 15x slower than one)."""
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"threads must be a positive integer, got {n!r}")
        _settings["threads"] = n
    return _settings["threads"] or max(1, (os.cpu_count() or 2) - 1)


def death_reason(exitcode) -> str:
    """Why a training process that did not report its end ended, for the user."""
    if exitcode is not None and exitcode < 0:
        try:
            name = f" ({signal.Signals(-exitcode).name})"
        except ValueError:
            name = ""
        return QCoreApplication.translate("TrainingProcess", "training process died: signal {signal}"
                                          ).format(signal=f"{-exitcode}{name}")
    return QCoreApplication.translate("TrainingProcess", "training process exited with code {code} "
                                                         "before the run ended").format(code=exitcode)


class TrainingProcess(QObject):
    """One spawned training process (with :func:`default_threads` BLAS threads) and the run it
    trains."""

    started = Signal(object)   # {'dataset', 'message', 'total_steps'}
    paused = Signal(bool)      # True when training holds, False when it goes on
    refused = Signal(str)      # a control the child could not apply, why
    changed = Signal(object)   # (step, name, value): a change the child applied
    finished = Signal(object)  # {'status', 'stop_reason', 'final_test_acc', 'train_seconds', ...}

    def __init__(self, parent=None):
        super().__init__(parent)
        context = multiprocessing.get_context("spawn")  # a clean child, whatever the app's threads
        self.ring = LossRing.create()
        control_end, self._control = context.Pipe(duplex=False)
        self._out, out_end = context.Pipe(duplex=False)
        self.process = context.Process(target=serve, name="trainlab-training", daemon=True,
                                       args=(control_end, out_end, self.ring.name,
                                             default_threads()))
        self.process.start()
        control_end.close()  # the child's ends: the pipe reads EOF when the child is gone
        out_end.close()
        self.record = None
        self.ready: dict | None = None  # what the child said when it had imported the engine
        self.messages = 0  # received from the child
        self._closed = False
        self._poll_timer = QTimer(self)
        self._poll_timer.setTimerType(Qt.PreciseTimer)
        self._poll_timer.timeout.connect(self.poll)
        if hasattr(self._out, "fileno") and os.name == "posix":
            self._notifier = QSocketNotifier(self._out.fileno(), QSocketNotifier.Read, self)
            self._notifier.activated.connect(self.read)
        else:  # Windows pipes are not sockets
            self._notifier = QTimer(self)
            self._notifier.timeout.connect(self.read)
            self._notifier.start(10)

    # -- controls -------------------------------------------------------------------------------------
    def train(self, record) -> None:
        """Train ``record.spec``; what the child sends goes into ``record``."""
        self.record = record
        self._send(("run", record.spec.to_dict()))
        self._poll_timer.start(POLL_MS)

    def preload(self, dataset: str) -> None:
        """Load ``dataset`` in the idle child, ahead of its run."""
        self._send(("preload", dataset))

    def pause(self) -> None:
        self._send(("pause",))

    def resume(self) -> None:
        self._send(("resume",))

    def stop(self) -> None:
        self._send(("stop",))

    def change(self, name: str, value) -> None:
        """Change a live hyperparameter from the next step on (the child validates it and
        reports a refusal through :attr:`refused`)."""
        self._send(("change", name, value))

    def _send(self, message) -> None:
        if self._closed:
            return
        try:
            self._control.send(message)
        except (OSError, ValueError):
            pass  # the child is gone: read() reports it

    # -- what the child sends ----------------------------------------------------------------------
    @Slot()
    def poll(self) -> None:
        """Take the losses written since the last call into the record."""
        if self._closed or self.record is None:
            return
        losses = self.ring.take()
        train, cpu = self.ring.seconds
        if losses.size or train != self.record.train_seconds:
            self.record.apply_snapshot({"losses": losses, "train_seconds": train, "cpu_seconds": cpu})

    @Slot()
    def read(self) -> None:
        """Apply every message that has arrived (never waits for one)."""
        try:
            while not self._closed and self._out.poll():
                message = self._out.recv()
                self.messages += 1
                self._apply(*message)
        except (EOFError, OSError):
            self._ended()

    def _apply(self, kind, payload) -> None:
        rec = self.record
        self.poll()  # the losses up to this message come first
        if kind == "ready":
            self.ready = payload
        elif kind == "hist":
            rec.apply_snapshot({"hist_arrays": payload["arrays"], "step": payload["step"]})
        elif kind == "epoch":
            rec.apply_snapshot({"epochs": [payload]})
        elif kind == "change":
            rec.apply_snapshot({"changes": [payload]})
            self.changed.emit(payload)
        elif kind == "started":
            rec.total_steps = payload["total_steps"]
            self.started.emit(payload)
        elif kind == "paused":
            self.paused.emit(payload)
        elif kind == "refused":
            self.refused.emit(payload)
        elif kind == "finished":
            rec.finish(payload)
            self.close()
            self.finished.emit(payload)

    def _ended(self) -> None:
        """The pipe closed: the child is gone (after its result, or died before it)."""
        if self._closed:
            return
        self.process.join(2.0)
        result = {"status": "failed", "stop_reason": death_reason(self.process.exitcode)}
        self.close()
        if self.record is not None:
            self.record.finish(result)
            self.finished.emit(result)

    def close(self, timeout: float = 5.0) -> None:
        """Stop listening, end the child (killed if it does not end in ``timeout`` seconds after
        a stop) and free its memory."""
        if self._closed:
            return
        self._closed = True
        self._poll_timer.stop()
        if isinstance(self._notifier, QSocketNotifier):
            self._notifier.setEnabled(False)
        else:
            self._notifier.stop()
        if self.process.is_alive():
            try:
                self._control.send(("stop",))
            except (OSError, ValueError):
                pass
            self._control.close()  # an idle child ends on EOF
            self.process.join(timeout)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(1.0)
        self._control.close()
        self._out.close()
        self.ring.close()


class Launcher(QObject):
    """Keeps one training process started ahead (importing the engine takes about a second)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._idle: TrainingProcess | None = None

    def prestart(self, dataset: str | None = None) -> None:
        """Start the next run's process now, loading ``dataset`` ahead."""
        if self._idle is None or self._idle._closed:
            self._idle = TrainingProcess(parent=self)
        if dataset:
            self._idle.preload(dataset)

    def is_ready(self) -> bool:
        """Whether the process started ahead has imported the engine and waits for its run."""
        return self._idle is not None and self._idle.ready is not None

    def take(self) -> TrainingProcess:
        """The process started ahead (or a new one); the next is started by :meth:`prestart`."""
        self.prestart()  # starts one only if there is none (or it ended)
        process, self._idle = self._idle, None
        return process

    def shutdown(self) -> None:
        if self._idle is not None:
            self._idle.close()
            self._idle = None
