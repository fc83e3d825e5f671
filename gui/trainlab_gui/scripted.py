"""The scripted mode (demos, smoke tests, screenshots, reports): what the command line asks the
app to do, then a screenshot and a JSON report on the way out.

``StallMeter`` measures event-loop responsiveness: a 10 ms heartbeat timer records the longest gap
between two of its ticks beyond its interval. It only measures; drawing stays on the one redraw
timer of the main window.
"""
from __future__ import annotations

import json
import sys
import time
import traceback

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

from trainlab.engine import parse_setting
from trainlab.optim import optimizer_class

__all__ = ["StallMeter", "ScriptedRun", "spec_with_settings"]


def spec_with_settings(spec, settings):
    """``spec`` with ``KEY=VALUE`` texts applied (``--set lr=0.01``); ValueError naming a bad one."""
    changes, hyper = {}, dict(spec.hyperparameters)
    for item in settings or ():
        key, eq, value = item.partition("=")
        if not eq:
            raise ValueError(f"--set takes KEY=VALUE, got {item!r}")
        field, parsed = parse_setting(key, value)
        if field == "hyperparameters":
            hyper.update(parsed)
        else:
            changes[field] = parsed
    if changes.get("optimizer", spec.optimizer) != spec.optimizer:
        known = optimizer_class(changes["optimizer"]).hyperparameters()
        hyper = {k: v for k, v in hyper.items() if k in known}
    return spec.replace(**changes, hyperparameters=hyper)


class StallMeter(QObject):
    """Measures how responsive the event loop is: a timer ticks every ``interval_ms`` and the
    longest lateness is kept in ``max_stall_ms`` (reported by the scripted mode).

    Parameters
    ----------
    interval_ms : int
        The timer's period in milliseconds.
    parent : QObject, optional
        Qt parent.
    """

    def __init__(self, interval_ms: int = 10, parent=None):
        super().__init__(parent)
        self.interval = interval_ms / 1000.0
        self.max_stall_ms = 0.0   # longest gap beyond the interval
        self.beats = 0
        self._last = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _beat(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.max_stall_ms = max(self.max_stall_ms, 1e3 * (now - self._last - self.interval))
        self._last = now
        self.beats += 1


class ScriptedRun(QObject):
    """Start what the command line asked for, exit after ``exit_after`` seconds (or when the
    run finishes, with ``until_done``), then save a screenshot and a JSON report."""

    def __init__(self, window, args, parent=None):
        super().__init__(parent)
        self.window, self.args = window, args
        self.meter = StallMeter(parent=self)
        self.start_time = time.perf_counter()
        self.record = None
        self._run_start = (0, 0.0)  # (frames drawn, time) when the run started training
        self.frames_per_s = None     # frames drawn while the run trained, per second of it
        self.done = False

    def start(self) -> None:
        args, win = self.args, self.window
        if args.view:
            win.tabs.setCurrentWidget(win.views[args.view])
        if args.load:
            win.load_runs(args.load)
        if args.run:
            spec = spec_with_settings(win.panel.config().replace(name=args.run, dataset=args.dataset),
                                      args.set)
            win.panel.set_config(spec)
            win.session.run_training.connect(self._training)
            win.session.run_finished.connect(self._trained)
            self.record = win.session.start(spec)
            if args.until_done:
                win.session.run_finished.connect(self.finish)
        if args.experiment:
            view = win.views["experiments"]
            view.select(args.experiment, dataset=args.dataset)
            for item in args.option or ():
                key, _, value = item.partition("=")
                view.set_option(key.strip(), value.strip())
            if args.until_done:  # queued: a start that fails ends the run once the loop runs
                view.done.connect(self.finish, Qt.QueuedConnection)
            view.start()
            if not args.view:
                win.tabs.setCurrentWidget(view)
        if args.search:
            view = win.views["search"]
            view.open_store(args.search)
            if not args.view:
                win.tabs.setCurrentWidget(view)
        self.meter.start()
        if args.exit_after is not None:
            QTimer.singleShot(int(args.exit_after * 1000), self.finish)

    @Slot(object)
    def _training(self, rec) -> None:
        if rec is self.record:
            self._run_start = (self.window.frames, time.perf_counter())

    @Slot(object)
    def _trained(self, rec) -> None:
        if rec is self.record:
            frames, start = self._run_start
            self.frames_per_s = (self.window.frames - frames) / max(time.perf_counter() - start, 1e-9)

    @Slot()
    def finish(self, *_) -> None:
        if self.done:
            return
        self.done = True
        code = 0
        try:
            self._write_out()
        except Exception:  # noqa: BLE001 - the app must still quit, and say why it failed
            traceback.print_exc()
            code = 1
        failed = self.experiment_failed()
        if failed:
            print(f"trainlab-gui: experiment {failed['name']} failed: {failed['error']}", file=sys.stderr)
            code = 1
        QApplication.instance().exit(code)

    def _write_out(self) -> None:
        self.meter.stop()
        win, args = self.window, self.args
        win.session.wait()
        win.views["experiments"].shutdown()
        QApplication.processEvents()  # deliver the last snapshots
        win.redraw()
        for _ in range(3):  # the layouts and view ranges that the redraw changed settle
            QApplication.processEvents()
        if args.screenshot:
            win.grab().save(str(args.screenshot))
        if args.save_runs:
            win.save_runs(args.save_runs)
        if args.report:
            with open(args.report, "w", encoding="utf-8") as f:
                json.dump(self.report(), f, indent=2)

    def experiment_failed(self) -> dict | None:
        """The experiments view's outcome if the --experiment asked for failed, else None."""
        if not self.args.experiment:
            return None
        outcome = self.window.views["experiments"].outcome()
        return outcome if outcome["status"] == "failed" else None

    def report(self) -> dict:
        rec, win = self.record, self.window
        return {
            "run": rec.name if rec else None,
            "status": rec.status if rec else None,
            "iterations": rec.steps if rec else 0,
            "epochs": len(rec.epochs) if rec else 0,
            "final_test_acc": rec.final_test_acc if rec else None,
            "throughput_steps_per_s": round(rec.steps_per_second, 2) if rec else 0.0,
            "train_seconds": round(rec.train_seconds, 3) if rec else 0.0,
            # the training thread's CPU time over train_seconds: below 1 by what it waited for (a core)
            "train_cpu_share": round(rec.cpu_seconds / rec.train_seconds, 3) if rec and rec.train_seconds else 0.0,
            "frames_drawn": win.frames,
            "frames_per_s": None if self.frames_per_s is None else round(self.frames_per_s, 1),
            "redraw_ticks": win.ticks,
            "longest_redraw_ms": round(win.last_draw_ms, 2),
            "max_event_loop_stall_ms": round(self.meter.max_stall_ms, 2),
            "heartbeats": self.meter.beats,
            "snapshots": win.session.snapshots_received,
            "wall_seconds": round(time.perf_counter() - self.start_time, 3),
            "view": win.tabs.currentWidget().title,
            # name, status (running, finished, stopped, failed), error, headline, series
            "experiment": win.views["experiments"].outcome() if self.args.experiment else None,
        }
