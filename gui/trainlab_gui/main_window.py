"""The main window: a toolbar with the run controls (always in view), the settings form and the
runs on the left, the views as tabs, a File menu (save/load runs, export the current plot as PNG
or its data as CSV), the status line and the one redraw timer."""
from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QLabel, QMainWindow,
                               QMessageBox, QScrollArea, QStyle, QTabWidget, QToolBar)

from trainlab_gui.core.runs import load_runs, save_runs
from trainlab_gui.panel import ParameterPanel
from trainlab_gui.runs_panel import RunsPanel, accuracy_text, status_text
from trainlab_gui.session import Session
from trainlab_gui.views import make_views
from trainlab_gui.views.base import ask_item, ask_save_path

__all__ = ["MainWindow", "FRAME_MS"]

FRAME_MS = 25  # the redraw timer: 40 Hz, for at least 25 frames a second on a busy machine
# The GUI thread's CPU time (drawing, the paints it causes, reading the training process) takes
# at most this share of its wall time: when frames cost more (many runs, huge curves) they come
# less often, so that input is still handled at once. CPU time, not wall time: on a machine
# loaded by others a frame waits for a core, which drawing less would not help.
GUI_SHARE = 0.75
MESSAGE_MS = 10000  # how long a message (a refused change, the data used) stays in the status bar


class MainWindow(QMainWindow):
    """The desktop lab's window: run controls, settings form, runs and the five views.

    Parameters
    ----------
    session : Session, optional
        The runs and their training processes (a new one by default).
    """

    def __init__(self, session: Session | None = None):
        super().__init__()
        self.setWindowTitle(self.tr("trainlab — chapter 6 lab"))
        self.resize(1400, 860)
        self.session = session or Session(self)
        self.panel = ParameterPanel()
        self.runs = RunsPanel(self.session)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        for name, title, widget in (("Settings", self.tr("Settings"), scroll),
                                    ("Runs", self.tr("Runs"), self.runs)):
            dock = QDockWidget(title, self)
            dock.setObjectName(name)
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
            self.addDockWidget(Qt.LeftDockWidgetArea, dock)
        self.resizeDocks([scroll.parentWidget(), self.runs.parentWidget()], [430, 370], Qt.Vertical)
        self.resizeDocks([scroll.parentWidget()], [360], Qt.Horizontal)
        self.tabs = QTabWidget()
        self.views = make_views(self)
        for view in self.views.values():
            self.tabs.addTab(view, QCoreApplication.translate("views", view.title))
        self.setCentralWidget(self.tabs)
        self.message = QLabel()
        self.statusBar().addPermanentWidget(self.message)
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(self.message.clear)
        self._controls()
        self._menus()

        self.panel.live_changed.connect(self.change_live)
        self.panel.dataset_changed.connect(self.session.launcher.prestart)
        self.runs.remove_requested.connect(self.remove_runs)
        self.runs.replay_requested.connect(self.replay)
        self.runs.edit_requested.connect(self.edit_settings)
        self.session.run_starting.connect(self._run_starting)
        self.session.runs_changed.connect(self.update_run_list)
        self.session.message.connect(self.show_message)
        self.views["curves"].visibility_changed.connect(self.runs.update_runs)
        self.tabs.currentChanged.connect(self._tab_changed)
        QTimer.singleShot(0, self._preload)

        self.frames = 0          # redraws that changed something, over all views
        self.ticks = 0
        self.last_draw_ms = 0.0  # the longest single redraw
        self._tick_at, self._cpu_at = time.perf_counter(), time.thread_time()
        self._status_at = 0.0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.PreciseTimer)  # a coarse timer may fire 5 % late
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.redraw)
        self.timer.start()
        self.update_run_list()

    def _action(self, text, icon, keys, tip, slot) -> QAction:
        action = QAction(self.style().standardIcon(icon), text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        shortcuts = self.tr(" or ").join(QKeySequence(k).toString(QKeySequence.NativeText) for k in keys)
        action.setToolTip(self.tr("{tip} ({shortcuts})").format(tip=tip, shortcuts=shortcuts))
        action.triggered.connect(slot)
        return action

    def _controls(self) -> None:
        self.start_action = self._action(self.tr("Start"), QStyle.SP_MediaPlay, ["F5", "Ctrl+Return"],
                                         self.tr("train a run with the form's settings"), self.start_run)
        self.pause_action = self._action(self.tr("Pause"), QStyle.SP_MediaPause, ["F6"],
                                         self.tr("hold the run / go on"), self.pause_or_resume)
        self.stop_action = self._action(self.tr("Stop"), QStyle.SP_MediaStop, ["Shift+F5"],
                                        self.tr("end the run after its current step"), self.session.stop)
        bar = QToolBar(self.tr("Run controls"), self)
        bar.setObjectName("run controls")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        actions = [self.start_action, self.pause_action, self.stop_action]
        bar.addActions(actions)
        pause = bar.widgetForAction(self.pause_action)  # as wide for "Resume": nothing moves
        metrics = pause.fontMetrics()
        pause.setMinimumWidth(pause.sizeHint().width() + max(
            0, metrics.horizontalAdvance(self.tr("Resume")) - metrics.horizontalAdvance(self.tr("Pause"))))
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.menuBar().addMenu(self.tr("&Run")).addActions(actions)

    def _menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        for text, slot, key in ((self.tr("&Save runs…"), self.save_dialog, QKeySequence.Save),
                                (self.tr("&Load runs…"), self.load_dialog, QKeySequence.Open),
                                (self.tr("Export plot as &PNG…"), self.export_png_dialog, None),
                                (self.tr("Export plot data as &CSV…"), self.export_csv_dialog, None),
                                (self.tr("&Quit"), self.close, QKeySequence.Quit)):
            action = QAction(text, self)
            if key is not None:
                action.setShortcut(key)
            action.triggered.connect(slot)
            menu.addAction(action)
        self.menuBar().insertMenu(self.menuBar().actions()[0], menu)  # File first

    # -- runs ----------------------------------------------------------------------------------------
    @Slot()
    def start_run(self):
        """Train the form's settings (a message box names a bad setting)."""
        try:
            return self.session.start(self.panel.config())
        except (ValueError, RuntimeError) as exc:
            QMessageBox.warning(self, self.tr("Cannot start"), str(exc))
            return None

    @Slot()
    def pause_or_resume(self) -> None:
        rec = self.session.active
        if self.session.is_running() and rec is not None:
            (self.session.resume if rec.status == "paused" else self.session.pause)()

    @Slot(str, object)
    def change_live(self, name: str, value) -> None:
        """A live setting edited in the form: the run takes it at its next step."""
        if self.session.is_running():
            self.session.change(name, value)  # the session says when the run has taken it

    @Slot(object)
    def replay(self, rec) -> None:
        """Train ``rec`` again exactly, its live changes included."""
        try:
            name = self.tr("{name} (replay)").format(name=rec.name)
            self.session.start(rec.replay_spec().replace(name=name))
        except RuntimeError as exc:
            QMessageBox.information(self, self.tr("A run is training"), str(exc))

    @Slot(object)
    def edit_settings(self, rec) -> None:
        if self.session.is_running():
            self.show_message(self.tr("the form shows the running run's settings until it ends"))
            return
        self.panel.set_config(rec.spec)

    @Slot(list)
    def remove_runs(self, records) -> None:
        for rec in records:
            try:
                self.session.remove(rec)
            except RuntimeError as exc:
                QMessageBox.information(self, self.tr("Run is training"), str(exc))

    @Slot()
    def update_run_list(self) -> None:
        """The run list, and the controls and form for whether a run trains now."""
        self.runs.update_runs()
        rec, running = self.session.active, self.session.is_running()
        paused = running and rec is not None and rec.status == "paused"
        self.start_action.setEnabled(not running)
        self.pause_action.setEnabled(running)
        self.stop_action.setEnabled(running)
        self.pause_action.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.pause_action.setIcon(self.style().standardIcon(QStyle.SP_MediaPlay if paused else QStyle.SP_MediaPause))
        if running != (self.panel.running is not None):
            self.panel.set_running(rec.spec if running else None)
        self._status()

    @Slot(str)
    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self._message_timer.start()

    @Slot()
    def _preload(self) -> None:
        try:
            self.session.launcher.prestart(self.panel.config().dataset)
        except ValueError:
            pass

    # -- drawing ---------------------------------------------------------------------------------
    @Slot(int)
    def _tab_changed(self, _index) -> None:
        self.redraw()

    @Slot(object)
    def _run_starting(self, _rec) -> None:
        """Draw the current view once as a run starts: its plot items are made before its
        first losses arrive."""
        view = self.tabs.currentWidget()
        if view is not None:
            view.refresh(self.session)

    @Slot()
    def redraw(self, *_) -> None:
        """The one redraw: the visible view draws what changed since its last frame, 40 times
        a second, less often when the GUI thread would be busy more than GUI_SHARE
        of the time."""
        t0, cpu = time.perf_counter(), time.thread_time()
        busy = (cpu - self._cpu_at) / max(t0 - self._tick_at, 1e-3)  # since the last tick
        self._tick_at, self._cpu_at = t0, cpu
        self.timer.setInterval(int(min(FRAME_MS * max(1.0, busy / GUI_SHARE), 500)))
        self.ticks += 1
        view = self.tabs.currentWidget()
        if view is None:
            return
        self.session.poll()
        if t0 - self._status_at >= 0.5:  # the status line twice a second
            self._status_at = t0
            self._status()
        if view.refresh(self.session):
            self.frames += 1
        self.last_draw_ms = max(self.last_draw_ms, 1e3 * (time.perf_counter() - t0))

    @Slot()
    def _status(self) -> None:
        rec = self.session.active
        if rec is None:
            return
        acc, final = accuracy_text(rec)
        parts = [f"{rec.name}: {status_text(rec.status)}"]
        if rec.status in ("running", "paused"):
            steps = f"{rec.steps}/{rec.total_steps}" if rec.total_steps else str(rec.steps)
            parts.append(self.tr("step {steps}, {rate:.0f} steps/s").format(
                steps=steps, rate=rec.steps_per_second))
            if acc:
                parts.append(self.tr("test acc {accuracy} at epoch {epoch}").format(
                    accuracy=acc, epoch=rec.epochs[-1][0]))
            self.runs.update_run(rec)
        else:
            parts.append(self.tr("{steps} steps").format(steps=rec.steps))
            if final:
                parts.append(self.tr("final test acc {accuracy}").format(accuracy=acc))
            if rec.stop_reason and rec.status in ("diverged", "failed"):
                parts.append(rec.stop_reason)
        self.statusBar().showMessage(self.tr(", ").join(parts))

    # -- files ---------------------------------------------------------------------------------------
    def save_runs(self, path) -> None:
        save_runs(path, self.session.records)

    def load_runs(self, path) -> list:
        records = load_runs(path)
        self.session.add(records)
        return records

    @Slot()
    def save_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save runs"), "runs.json", "JSON (*.json)")
        if path:
            self.save_runs(path)

    @Slot()
    def load_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load runs"), "", "JSON (*.json)")
        if path:
            try:
                self.load_runs(path)
            except (OSError, ValueError, KeyError) as exc:
                QMessageBox.warning(self, self.tr("Cannot load"), f"{path}: {exc}")

    def _export(self, title: str, default: str, name_filter: str, method: str) -> None:
        """Ask for one plot of the current view (or the whole view) and a file, and write it
        with the view's ``method`` (export_png or export_csv)."""
        view = self.tabs.currentWidget()
        plots = {view.plot_title(name): name for name in view.plots()}
        whole = self.tr("whole view")
        name = ask_item(self, title, self.tr("plot"), [whole, *plots])
        if name is not None:
            path = ask_save_path(self, title, default, name_filter)
            if path:
                getattr(view, method)(path, None if name == whole else plots[name])

    @Slot()
    def export_png_dialog(self):
        self._export(self.tr("Export PNG"), "plot.png", "PNG (*.png)", "export_png")

    @Slot()
    def export_csv_dialog(self):
        self._export(self.tr("Export CSV"), "plot.csv", "CSV (*.csv)", "export_csv")

    def closeEvent(self, event):
        self.timer.stop()
        self.session.shutdown()
        for view in self.views.values():
            if hasattr(view, "shutdown"):
                view.shutdown()
        super().closeEvent(event)
