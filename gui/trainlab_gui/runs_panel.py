"""The runs: each with its colour, a check box to show it on the plots, its status and final test
accuracy, its settings in a tooltip; the selected runs' settings side by side (only those that
differ); Remove, Replay (train again exactly, the live changes included) and Edit (the settings
into the form)."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from trainlab_gui.core.form import setting_label
from trainlab_gui.core.naming import differing, number, shown_settings

__all__ = ["RunsPanel", "run_tooltip", "accuracy_text", "status_text"]

_RUN, _STATUS, _STEPS, _ACC = range(4)
_STATUS_WORDS = {"created": QT_TRANSLATE_NOOP("RunsPanel", "created"),
                 "running": QT_TRANSLATE_NOOP("RunsPanel", "running"),
                 "paused": QT_TRANSLATE_NOOP("RunsPanel", "paused"),
                 "finished": QT_TRANSLATE_NOOP("RunsPanel", "finished"),
                 "stopped": QT_TRANSLATE_NOOP("RunsPanel", "stopped"),
                 "diverged": QT_TRANSLATE_NOOP("RunsPanel", "diverged"),
                 "failed": QT_TRANSLATE_NOOP("RunsPanel", "failed")}


def status_text(status: str) -> str:
    """A run's status ('running', 'diverged', …) in the user's language."""
    return QCoreApplication.translate("RunsPanel", _STATUS_WORDS.get(status, status))


def accuracy_text(rec) -> tuple[str, bool]:
    """(text, final): the final test accuracy, or while training the last epoch's."""
    if rec.final_test_acc is not None:
        return f"{rec.final_test_acc:.3f}", True
    if rec.epochs and rec.epochs[-1][3] is not None:
        return f"{rec.epochs[-1][3]:.3f}", False
    return "", False


def run_tooltip(rec) -> str:
    """A run's name, state, final accuracy and every setting, one per line."""
    translate = QCoreApplication.translate
    acc, final = accuracy_text(rec)
    state = translate("RunsPanel", "{status}, {steps} steps").format(status=status_text(rec.status),
                                                                     steps=rec.steps)
    if final:
        state += translate("RunsPanel", ", final test acc {accuracy}").format(accuracy=acc)
    elif acc:
        state += translate("RunsPanel", ", test acc {accuracy} (epoch {epoch})").format(
            accuracy=acc, epoch=rec.epochs[-1][0])
    head = [rec.name, state]
    if rec.stop_reason and rec.status in ("failed", "diverged", "stopped"):
        head.append(rec.stop_reason)
    rows = {setting_label(k): v for k, v in shown_settings(rec.replay_spec()).items()}
    width = max(map(len, rows))
    return "\n".join(head + [""] + [f"{k.ljust(width)}  {v}" for k, v in rows.items()])


class RunsPanel(QWidget):
    """The list of runs and the comparison of the selected ones."""

    remove_requested = Signal(list)    # RunRecords
    replay_requested = Signal(object)  # a RunRecord
    edit_requested = Signal(object)    # a RunRecord: its settings into the form

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("run"), self.tr("status"), self.tr("steps"), self.tr("test acc")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setTextElideMode(Qt.ElideMiddle)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(_RUN, QHeaderView.Stretch)
        for column in (_STATUS, _STEPS, _ACC):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.compare = QTableWidget()
        self.compare.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.compare.verticalHeader().setDefaultSectionSize(20)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.compare.horizontalHeader().setTextElideMode(Qt.ElideRight)
        self.compare.hide()
        self.remove_button, self.replay_button, self.edit_button = (
            QPushButton(self.tr("Remove")), QPushButton(self.tr("Replay")),
            QPushButton(self.tr("Edit settings")))
        self.replay_button.setToolTip(self.tr("train the selected run again exactly, with the "
                                              "hyperparameter changes made while it trained"))
        self.edit_button.setToolTip(self.tr("put the selected run's settings into the form"))
        buttons = QHBoxLayout()
        for b in (self.remove_button, self.replay_button, self.edit_button):
            buttons.addWidget(b)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.compare)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        layout.addLayout(buttons)
        self.tree.itemChanged.connect(self._checked)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.edit_requested.emit(self._rec(item)))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.selected()))
        self.replay_button.clicked.connect(lambda: self._one_selected(self.replay_requested))
        self.edit_button.clicked.connect(lambda: self._one_selected(self.edit_requested))
        self._selection_changed()

    # -- the list ------------------------------------------------------------------------------------
    def _rec(self, item):
        rid = item.data(_RUN, Qt.UserRole)
        return next((r for r in self.session.records if r.id == rid), None)

    def selected(self) -> list:
        return [r for r in (self._rec(i) for i in self.tree.selectedItems()) if r is not None]

    def update_runs(self) -> None:
        """Rebuild the list from the session's runs (the selection is kept)."""
        chosen = {r.id for r in self.selected()}
        self.tree.blockSignals(True)
        self.tree.clear()
        for rec in self.session.records:
            item = QTreeWidgetItem()
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setData(_RUN, Qt.UserRole, rec.id)
            item.setData(_RUN, Qt.DecorationRole, QColor(rec.color))
            self.tree.addTopLevelItem(item)
            self._fill(item, rec)
            item.setSelected(rec.id in chosen)
        self.tree.blockSignals(False)
        self._selection_changed()

    def update_run(self, rec) -> None:
        """Only ``rec``'s line (while it trains)."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(_RUN, Qt.UserRole) == rec.id:
                self.tree.blockSignals(True)
                self._fill(item, rec)
                self.tree.blockSignals(False)
                return
        self.update_runs()

    def _fill(self, item, rec) -> None:
        acc, final = accuracy_text(rec)
        for column, text in ((_RUN, rec.name), (_STATUS, status_text(rec.status)), (_STEPS, str(rec.steps)),
                             (_ACC, acc)):
            item.setText(column, text)
        item.setTextAlignment(_STEPS, Qt.AlignRight | Qt.AlignVCenter)
        item.setTextAlignment(_ACC, Qt.AlignRight | Qt.AlignVCenter)
        font = QFont(item.font(_ACC))
        font.setItalic(not final)
        item.setFont(_ACC, font)
        item.setForeground(_ACC, QBrush(QColor("#000000" if final else "#808080")))
        item.setCheckState(_RUN, Qt.Checked if rec.visible else Qt.Unchecked)
        tip = run_tooltip(rec)
        for column in range(4):
            item.setToolTip(column, tip)

    @Slot(QTreeWidgetItem, int)
    def _checked(self, item, column) -> None:
        rec = self._rec(item)
        if rec is not None and column == _RUN:
            visible = item.checkState(_RUN) == Qt.Checked
            if visible != rec.visible:
                rec.visible = visible
                rec.version += 1

    # -- the selected runs ---------------------------------------------------------------------------
    @Slot()
    def _selection_changed(self) -> None:
        runs = self.selected()
        self.replay_button.setEnabled(len(runs) == 1)
        self.edit_button.setEnabled(len(runs) == 1)
        self.remove_button.setEnabled(bool(runs))
        self.show_settings(runs)

    def show_settings(self, runs) -> None:
        """One run: all its settings; several: side by side, only those that differ."""
        self.compare.setVisible(bool(runs))
        if not runs:
            return
        specs = [r.replay_spec() for r in runs]
        rows = [shown_settings(s) for s in specs]
        keys = list(rows[0]) if len(runs) == 1 else differing(specs)
        keys += ["final test acc"]
        self.compare.clear()
        self.compare.setRowCount(len(keys))
        self.compare.setColumnCount(len(runs))
        self.compare.setVerticalHeaderLabels([self.tr("final test acc") if k == "final test acc"
                                              else setting_label(k) for k in keys])
        for col, rec in enumerate(runs):
            head = QTableWidgetItem(rec.name)
            head.setData(Qt.DecorationRole, QColor(rec.color))
            head.setForeground(QBrush(QColor(rec.color)))
            head.setToolTip(rec.name)
            self.compare.setHorizontalHeaderItem(col, head)
            for row, key in enumerate(keys):
                text = (number(rec.final_test_acc) if rec.final_test_acc is not None else "")\
                    if key == "final test acc" else rows[col].get(key, "—")
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.compare.setItem(row, col, cell)

    def _one_selected(self, signal) -> None:
        """Emit ``signal`` with the selected run when exactly one is selected."""
        runs = self.selected()
        if len(runs) == 1:
            signal.emit(runs[0])
