"""The main window: parameter panel and run list on the left, the views as tabs, a File menu
(save/load runs, export the current plot as PNG or its data as CSV) and the one redraw timer."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QInputDialog, QListWidget, QListWidgetItem,
                               QMainWindow, QMessageBox, QPushButton, QScrollArea, QTabWidget,
                               QVBoxLayout, QWidget)

from trainlab_gui.panel import ParameterPanel
from trainlab_gui.core.runs import load_runs, save_runs
from trainlab_gui.session import Session
from trainlab_gui.views import make_views

__all__ = ["MainWindow", "FRAME_MS"]

FRAME_MS = 33  # the redraw timer: about 30 Hz
# Drawing (a view's refresh and the paints it causes) takes at most this share of the GUI
# thread: when frames get slow (a loaded machine, many runs) they come less often, so that input
# and the training process's messages are still handled at once.
DRAW_SHARE = 0.5


class MainWindow(QMainWindow):
    """The desktop lab's window: parameter panel, run list and the five views.

    Parameters
    ----------
    session : Session, optional
        The runs and the training thread (a new one by default).
    """

    def __init__(self, session: Session | None = None):
        super().__init__()
        self.setWindowTitle("trainlab — chapter 6 lab")
        self.resize(1400, 860)
        self.session = session or Session(self)
        self.panel = ParameterPanel()
        self.run_list = QListWidget()
        self.remove_button = QPushButton("Remove selected run")
        left = QWidget()
        box = QVBoxLayout(left)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        box.addWidget(scroll, 3)
        box.addWidget(self.run_list, 1)
        box.addWidget(self.remove_button)
        dock = QDockWidget("Run", self)
        dock.setWidget(left)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.LeftDockWidgetArea, dock)

        self.tabs = QTabWidget()
        self.views = make_views(self)
        for view in self.views.values():
            self.tabs.addTab(view, view.title)
        self.setCentralWidget(self.tabs)
        self._menus()

        self.panel.start_clicked.connect(self.start_run)
        self.panel.pause_clicked.connect(self.session.pause)
        self.panel.resume_clicked.connect(self.session.resume)
        self.panel.stop_clicked.connect(self.session.stop)
        self.remove_button.clicked.connect(self.remove_selected)
        self.run_list.itemChanged.connect(self._run_item_changed)
        self.session.run_starting.connect(self._run_starting)
        self.session.runs_changed.connect(self.update_run_list)
        self.session.runs_changed.connect(self._status)
        self.views["curves"].visibility_changed.connect(self.update_run_list)
        self.tabs.currentChanged.connect(self._tab_changed)

        self.frames = 0          # redraws that changed something, over all views
        self.ticks = 0
        self.last_draw_ms = 0.0  # the longest single redraw
        self._paint_seen = 0.0   # the views' paint seconds at the last redraw
        self._status_at = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.redraw)
        self.timer.start()

    def _menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        for text, slot, key in (("&Save runs…", self.save_dialog, QKeySequence.Save),
                                ("&Load runs…", self.load_dialog, QKeySequence.Open),
                                ("Export plot as &PNG…", self.export_png_dialog, None),
                                ("Export plot data as &CSV…", self.export_csv_dialog, None),
                                ("&Quit", self.close, QKeySequence.Quit)):
            action = QAction(text, self)
            if key is not None:
                action.setShortcut(key)
            action.triggered.connect(slot)
            menu.addAction(action)

    # -- runs ----------------------------------------------------------------------------------------
    @Slot()
    def start_run(self):
        try:
            config = self.panel.config()
            return self.session.start(config)
        except (ValueError, RuntimeError) as exc:
            QMessageBox.warning(self, "Cannot start", str(exc))
            return None

    @Slot()
    def update_run_list(self) -> None:
        self.run_list.blockSignals(True)
        self.run_list.clear()
        for rec in self.session.records:
            item = QListWidgetItem(self._run_text(rec))
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if rec.visible else Qt.Unchecked)
            item.setData(Qt.UserRole, rec.id)
            item.setData(Qt.DecorationRole, QColor(rec.color))
            self.run_list.addItem(item)
        self.run_list.blockSignals(False)
        active = self.session.active
        state = "idle"
        if self.session.is_running() and active is not None:
            state = "paused" if active.status == "paused" else "running"
        self.panel.set_state(state)

    @staticmethod
    def _run_text(rec) -> str:
        acc = f", test acc {rec.final_test_acc:.3f}" if rec.final_test_acc is not None else ""
        return f"{rec.id}: {rec.name} [{rec.status}] {rec.steps} steps{acc}"

    def _update_run_item(self, rec) -> None:
        """Only the text of ``rec``'s line: rebuilding the list twice a second while training
        took 6 ms of GUI thread (and GIL) with 14 runs kept."""
        for row in range(self.run_list.count()):
            item = self.run_list.item(row)
            if item.data(Qt.UserRole) == rec.id:
                self.run_list.blockSignals(True)
                item.setText(self._run_text(rec))
                self.run_list.blockSignals(False)
                return
        self.update_run_list()

    def _record(self, rid):
        return next((r for r in self.session.records if r.id == rid), None)

    @Slot(QListWidgetItem)
    def _run_item_changed(self, item) -> None:
        rec = self._record(item.data(Qt.UserRole))
        if rec is not None:
            rec.visible = item.checkState() == Qt.Checked
            rec.version += 1

    @Slot()
    def remove_selected(self) -> None:
        for item in self.run_list.selectedItems():
            rec = self._record(item.data(Qt.UserRole))
            try:
                self.session.remove(rec)
            except RuntimeError as exc:
                QMessageBox.information(self, "Run is training", str(exc))

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
        """The one redraw: the visible view draws what changed since its last frame, about
        30 times a second, less often when drawing would take more than DRAW_SHARE of the GUI
        thread."""
        t0 = time.perf_counter()
        self.ticks += 1
        view = self.tabs.currentWidget()
        if view is None:
            return
        if t0 - self._status_at >= 0.5:  # the status line twice a second
            self._status_at = t0
            self._status()
        if view.refresh(self.session):
            self.frames += 1
        spent = time.perf_counter() - t0
        painted = sum(v.graphics.paint_seconds for v in self.views.values())
        spent_painting, self._paint_seen = painted - self._paint_seen, painted
        self.last_draw_ms = max(self.last_draw_ms, 1e3 * spent)
        busy_ms = 1e3 * (spent + spent_painting) / DRAW_SHARE
        self.timer.setInterval(int(min(max(FRAME_MS, busy_ms), 500)))

    @Slot()
    def _status(self) -> None:
        rec = self.session.active
        if rec is not None:
            self.statusBar().showMessage(
                f"{rec.name}: {rec.status}, {rec.steps} steps, {rec.steps_per_second:.0f} steps/s, "
                f"{len(rec.epochs)} epochs" + (f", last test acc {rec.epochs[-1][3]:.3f}" if rec.epochs else "")
                + (f" — {rec.stop_reason}" if rec.status in ("diverged", "failed") and rec.stop_reason else ""))
            if rec.status in ("running", "paused"):
                self._update_run_item(rec)

    # -- files ---------------------------------------------------------------------------------------
    def save_runs(self, path) -> None:
        save_runs(path, self.session.records)

    def load_runs(self, path) -> list:
        records = load_runs(path)
        self.session.add(records)
        return records

    @Slot()
    def save_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, "Save runs", "runs.json", "JSON (*.json)")
        if path:
            self.save_runs(path)

    @Slot()
    def load_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, "Load runs", "", "JSON (*.json)")
        if path:
            try:
                self.load_runs(path)
            except (OSError, ValueError, KeyError) as exc:
                QMessageBox.warning(self, "Cannot load", f"{path}: {exc}")

    def _choose_plot(self, what: str):
        view = self.tabs.currentWidget()
        names = ["whole view"] + list(view.plots())
        name, ok = QInputDialog.getItem(self, what, "plot", names, 0, False)
        if not ok:
            return view, None, False
        return view, (None if name == "whole view" else name), True

    @Slot()
    def export_png_dialog(self):
        view, plot, ok = self._choose_plot("Export PNG")
        if ok:
            path, _ = QFileDialog.getSaveFileName(self, "Export PNG", "plot.png", "PNG (*.png)")
            if path:
                view.export_png(path, plot)

    @Slot()
    def export_csv_dialog(self):
        view, plot, ok = self._choose_plot("Export CSV")
        if ok:
            path, _ = QFileDialog.getSaveFileName(self, "Export CSV", "plot.csv", "CSV (*.csv)")
            if path:
                view.export_csv(path, plot)

    def closeEvent(self, event):
        self.timer.stop()
        self.session.shutdown()
        for view in self.views.values():
            if hasattr(view, "shutdown"):
                view.shutdown()
        super().closeEvent(event)
