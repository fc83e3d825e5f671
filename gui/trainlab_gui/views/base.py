"""What every view shares: a layout of pyqtgraph plots, a redraw entry point for the one app timer,
and PNG (pyqtgraph's ImageExporter) and CSV export."""
from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog, QVBoxLayout, QWidget

from trainlab_gui.views.theme import style_graphics, watch
from trainlab_gui.worker import start_worker

__all__ = ["View", "WorkerHost", "place_beside", "ask_save_path", "ask_item", "widget_row"]

pg.setConfigOptions(antialias=False, background="w", foreground="k")  # the theme sets both


def widget_row(widgets, stretch: bool = False) -> QHBoxLayout:
    """``widgets`` side by side (a view's bar of controls), then the room left when ``stretch``."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    if stretch:
        row.addStretch(1)
    return row


def place_beside(dialog, window) -> None:
    """Put ``dialog`` where it hides the least of the plots: beside ``window`` where the screen
    has room, else at the window's lower left, over the run panel (centred over the window, an
    export dialog hid the very figure being exported: the optimizer paths run through the
    middle)."""
    dialog.adjustSize()
    dialog.resize(min(dialog.width(), 560), min(dialog.height(), 320))  # small: covers less
    size = dialog.size()
    frame = window.frameGeometry()
    screen = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    y = frame.top() + 40
    if frame.right() + size.width() <= screen.right():
        x = frame.right() + 1
    elif frame.left() - size.width() >= screen.left():
        x = frame.left() - size.width()
    else:
        x, y = frame.left() + 8, frame.bottom() - size.height() - 8
    dialog.move(x, min(max(y, screen.top()), max(screen.bottom() - size.height(), screen.top())))


def ask_save_path(window, title: str, default: str, name_filter: str, options=None) -> str:
    """A file to write, from a save dialog placed beside the plots (empty if cancelled)."""
    dialog = QFileDialog(window, title, default, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptSave)
    if options is not None:
        dialog.setOptions(options)
    dialog.selectFile(default)
    place_beside(dialog, window)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def ask_item(window, title: str, label: str, items: list) -> str | None:
    """One of ``items`` from a choice dialog placed beside the plots (None if cancelled)."""
    dialog = QInputDialog(window)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    place_beside(dialog, window)
    return dialog.textValue() if dialog.exec() else None


class View(QWidget):
    """A tab of the main window. Subclasses fill ``self.graphics`` and implement ``refresh``;
    ``apply_theme`` restyles the plots when the colour scheme changes (``views/theme.py``).

    Parameters
    ----------
    parent : QWidget, optional
        Qt parent (the one parameter of every view).
    """

    title = "view"  # its tab's title, translated in context "views" (QT_TRANSLATE_NOOP marks it)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(2, 2, 2, 2)
        self.frames = 0  # redraws that changed something
        self.theme = watch(self)
        self.graphics.setBackground(self.theme.background)

    def showEvent(self, event):
        super().showEvent(event)
        if not getattr(self, "_themed", False):  # once its plots exist: axes, titles, legends
            self._themed = True
            self.apply_theme(self.theme)

    def apply_theme(self, theme) -> None:
        """Restyle the plots for ``theme`` (subclasses also restyle their own items)."""
        self.theme = theme
        style_graphics(self.graphics, theme)
        self.graphics.update()

    def refresh(self, session) -> bool:
        """Draw what changed since the last frame; True when something was redrawn."""
        raise NotImplementedError

    def plots(self) -> dict:
        """{name: PlotItem} that can be exported one by one."""
        return {}

    def plot_title(self, name: str) -> str:
        """How the export dialog names plot ``name`` (a key of :meth:`plots`) to the user."""
        return QCoreApplication.translate("views", name)

    def export_png(self, path, plot: str | None = None) -> None:
        """The whole view (``plot=None``) or one named plot as a PNG."""
        item = self.graphics.scene() if plot is None else self.plots()[plot]
        ImageExporter(item).export(str(path))

    def export_csv(self, path) -> None:
        raise NotImplementedError


class WorkerHost:
    """For views that run one worker at a time (experiments, search): start, stop, reap."""

    worker = None
    worker_thread = None

    def _launch(self, worker) -> None:
        self.worker = worker
        self.worker_thread = start_worker(worker, self)

    def _reap(self) -> None:
        """In the worker's finished slot: its thread is quitting; wait for it and let it go."""
        if self.worker_thread is not None:
            self.worker_thread.wait(5000)
            self.worker_thread.deleteLater()
        self.worker = self.worker_thread = None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()

    def shutdown(self, ms: int = 30000) -> None:
        if self.worker_thread is not None:
            self.worker.stop()
            self.worker_thread.wait(ms)

    @property
    def running(self) -> bool:
        return self.worker is not None
