"""Application set-up and the scripted mode (demos, smoke tests, screenshots, reports).

``StallMeter`` measures event-loop responsiveness: a 10 ms heartbeat timer records the longest gap
between two of its ticks beyond its interval. It only measures; drawing stays on the one redraw
timer of the main window.
"""
from __future__ import annotations

import json
import os
import time

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

__all__ = ["StallMeter", "ScriptedRun", "application", "training_threads"]


def training_threads(n: int | None = None) -> int:
    """Give training all cores but one (``n`` when given): BLAS threads that compete with the GUI
    thread for the last core make both slower (measured: 2 BLAS threads on 2 busy cores ran 15x
    slower than 1), and the GUI thread must keep a core to stay responsive."""
    import trainlab

    n = n if n is not None else max(1, (os.cpu_count() or 2) - 1)
    trainlab.set_num_threads(n)
    return n


def application(argv=None) -> QApplication:
    """The process's QApplication, created with ``argv`` if there is none yet.

    Parameters
    ----------
    argv : list of str, optional
        Arguments for a new QApplication (default ``['trainlab-gui']``).
    """
    app = QApplication.instance()
    return app if app is not None else QApplication(list(argv or ["trainlab-gui"]))


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
        self.done = False

    def start(self) -> None:
        args, win = self.args, self.window
        if args.view:
            win.tabs.setCurrentWidget(win.views[args.view])
        if args.load:
            win.load_runs(args.load)
        if args.run:
            config = win.panel.config()
            config.name = args.run
            config.dataset = args.dataset
            for item in args.set or ():
                key, _, value = item.partition("=")
                config.set_text(key.strip(), value.strip())
            win.panel.set_config(config)
            self.record = win.session.start(config)
            if args.until_done:
                win.session.run_finished.connect(self.finish)
        if args.experiment:
            view = win.views["experiments"]
            view.select(args.experiment, dataset=args.dataset)
            for item in args.option or ():
                key, _, value = item.partition("=")
                view.set_option(key.strip(), value.strip())
            view.start()
            if args.until_done:
                view.done.connect(self.finish)
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

    @Slot()
    def finish(self, *_) -> None:
        if self.done:
            return
        self.done = True
        self.meter.stop()
        win, args = self.window, self.args
        win.session.wait()
        if "experiments" in win.views:
            win.views["experiments"].shutdown()
        QApplication.processEvents()  # deliver the last snapshots
        win.redraw()
        if args.screenshot:
            win.grab().save(str(args.screenshot))
        if args.save_runs:
            win.save_runs(args.save_runs)
        if args.report:
            with open(args.report, "w", encoding="utf-8") as f:
                json.dump(self.report(), f, indent=2)
        QApplication.instance().quit()

    def report(self) -> dict:
        rec, win = self.record, self.window
        return {
            "run": rec.name if rec else None,
            "status": rec.status if rec else None,
            "iterations": rec.steps if rec else 0,
            "epochs": len(rec.epochs) if rec else 0,
            "final_test_acc": rec.test_acc if rec else None,
            "throughput_steps_per_s": round(rec.steps_per_second, 2) if rec else 0.0,
            "train_seconds": round(rec.train_seconds, 3) if rec else 0.0,
            # the training thread's CPU time over train_seconds: below 1 by what it waited for
            "train_cpu_share": round(rec.cpu_seconds / rec.train_seconds, 3) if rec and rec.train_seconds else 0.0,
            "frames_drawn": win.frames,
            "redraw_ticks": win.ticks,
            "longest_redraw_ms": round(win.last_draw_ms, 2),
            "max_event_loop_stall_ms": round(self.meter.max_stall_ms, 2),
            "heartbeats": self.meter.beats,
            "snapshots": win.session.snapshots_received,
            "wall_seconds": round(time.perf_counter() - self.start_time, 3),
            "view": win.tabs.currentWidget().title,
        }
