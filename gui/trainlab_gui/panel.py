"""The settings form: every setting of a run (a trainlab.engine.RunSpec), made from the engine's
descriptions (``core.form``). Only the chosen optimizer's hyperparameters and the chosen
schedule's settings are shown. While a run trains, the settings that may change live stay
editable (a change applies at the run's next step) and all others are locked."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from trainlab._i18n import translate
from trainlab.engine import RunSpec
from trainlab.optim import SCHEDULES

from trainlab_gui.core.form import (hyperparameter_fields, live_settings, schedule_fields, setting_label,
                                    spec_fields)
from trainlab_gui.editors import Editor, add_choices, combo_value, set_combo_value

__all__ = ["ParameterPanel"]

# The form's sections, each starting at a RunSpec field.
_SECTIONS = {"name": QT_TRANSLATE_NOOP("ParameterPanel", "Run"),
             "hidden": QT_TRANSLATE_NOOP("ParameterPanel", "Network"),
             "optimizer": QT_TRANSLATE_NOOP("ParameterPanel", "Optimizer"),
             "batch_size": QT_TRANSLATE_NOOP("ParameterPanel", "Training")}
LIVE_DELAY_MS = 400  # arrow clicks in a row make one change


class ParameterPanel(QWidget):
    """The settings of the next run, and of the running one's live hyperparameters.

    Signals
    -------
    live_changed(name, value)
        A live setting was edited while a run trains.
    dataset_changed(name)
        The dataset field names another dataset (to load it ahead).
    """

    live_changed = Signal(str, object)
    dataset_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.editors: dict[str, Editor] = {}
        self.labels: dict[str, QLabel] = {}
        self.hyper: dict[str, Editor] = {}      # the chosen optimizer's rows
        self.schedule: dict[str, Editor] = {}   # the chosen schedule's rows
        self._remembered: dict = {}             # (optimizer or schedule, key) -> a value typed
        self.hint = QLabel(self.tr("While a run trains, the underlined settings change it from its "
                                   "next step; the others are locked."))
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.form.addRow(self.hint)
        for field in spec_fields():
            if field.key in _SECTIONS:
                self._section(self.tr(_SECTIONS[field.key]))
            self._add_row(field, self.editors)
        self.schedule_box = QComboBox()
        add_choices(self.schedule_box, ["none", *SCHEDULES])
        self.schedule_box.setToolTip(translate("RunSpec", RunSpec.__dataclass_fields__["schedule"]
                                               .metadata["help"]))
        training_header = self.form.getWidgetPosition(self.editors["batch_size"].widget)[0] - 1
        self.form.insertRow(training_header, self._label(setting_label("schedule"), "schedule"),
                            self.schedule_box)
        self._optimizer, self._schedule_name = self.editors["optimizer"].get(), "none"
        self.editors["optimizer"].changed.connect(self._optimizer_rows)
        self.schedule_box.currentIndexChanged.connect(self._schedule_rows)
        self.editors["dataset"].widget.activated.connect(self._dataset_chosen)
        self._optimizer_rows()
        self._running: RunSpec | None = None
        self._live: dict = {}  # name -> the value the running run has
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_DELAY_MS)
        self._live_timer.timeout.connect(self._send_live)

    # -- rows --------------------------------------------------------------------------------------
    def _label(self, text: str, key: str) -> QLabel:
        label = QLabel(text)
        self.labels[key] = label
        return label

    def _section(self, title: str) -> None:
        header = QLabel(title)
        font = QFont(header.font())
        font.setBold(True)
        header.setFont(font)
        self.form.addRow(header)

    def _add_row(self, field, into: dict, row: int | None = None) -> Editor:
        editor = into[field.key] = Editor(field)
        label = self._label(field.label, field.key)
        label.setToolTip(field.help)
        if row is None:
            self.form.addRow(label, editor.widget)
        else:
            self.form.insertRow(row, label, editor.widget)
        editor.changed.connect(self._edited)
        return editor

    @property
    def extra(self) -> dict:
        """The optimizer's and the schedule's rows by name."""
        return {**self.hyper, **self.schedule}

    def _replace_rows(self, rows: dict, old: str, new: str, fields, below: QWidget) -> None:
        """Put ``fields`` (of optimizer or schedule ``new``) in place of ``rows`` (of ``old``)."""
        for key, editor in list(rows.items()):
            self._remembered[(old, key)] = editor.get()
            self.form.removeRow(editor.widget)
            del rows[key], self.labels[key]
        row = self.form.getWidgetPosition(below)[0] + 1
        for field in fields:
            editor = self._add_row(field, rows, row)
            if (new, field.key) in self._remembered:
                editor.set(self._remembered[(new, field.key)])
            row += 1

    @Slot()
    def _optimizer_rows(self, *_) -> None:
        new = self.editors["optimizer"].get()
        self._replace_rows(self.hyper, self._optimizer, new,
                           hyperparameter_fields(new), self.editors["optimizer"].widget)
        self._optimizer = new

    @Slot()
    def _schedule_rows(self, *_) -> None:
        new = combo_value(self.schedule_box)
        self._replace_rows(self.schedule, self._schedule_name, new,
                           schedule_fields(new), self.schedule_box)
        self._schedule_name = new

    @Slot(int)
    def _dataset_chosen(self, _index) -> None:
        self.dataset_changed.emit(self.editors["dataset"].get())

    # -- the spec the form shows ----------------------------------------------------------------------
    def config(self) -> RunSpec:
        """The RunSpec the form shows (ValueError naming a bad setting)."""
        values = {key: editor.get() for key, editor in self.editors.items()}
        values["hyperparameters"] = {key: editor.get() for key, editor in self.hyper.items()}
        schedule = combo_value(self.schedule_box)
        values["schedule"] = None if schedule == "none" else {
            "name": schedule, **{key: editor.get() for key, editor in self.schedule.items()}}
        return RunSpec(**values)

    def set_config(self, spec: RunSpec) -> None:
        """Show ``spec`` in the form."""
        for key, editor in self.editors.items():
            editor.set(getattr(spec, key))
        set_combo_value(self.schedule_box, "none" if spec.schedule is None else spec.schedule["name"])
        for key, value in {**spec.optimizer_settings(), **(spec.schedule or {})}.items():
            if key in self.extra:
                self.extra[key].set(value)

    # -- while a run trains --------------------------------------------------------------------------
    def set_running(self, spec: RunSpec | None) -> None:
        """Lock every setting that cannot change while ``spec`` trains; None: unlock all."""
        self._running = spec
        live = live_settings(spec) if spec is not None else []
        hyper = spec.optimizer_settings() if spec is not None else {}
        self._live = {key: hyper[key] if key in hyper else getattr(spec, key) for key in live}
        for key, editor in {**self.editors, **self.extra}.items():
            editor.widget.setEnabled(spec is None or key in live)
            tip = editor.field.help + ("\n" + self.tr("(changes the running run at its next step)")
                                       if key in live else "")
            editor.widget.setToolTip(tip)
            font = QFont(self.labels[key].font())
            font.setUnderline(key in live)
            self.labels[key].setFont(font)
        self.schedule_box.setEnabled(spec is None)
        self.hint.setVisible(spec is not None)

    @property
    def running(self) -> RunSpec | None:
        """The spec of the run in training, whose live settings the form edits (None: idle)."""
        return self._running

    def live_fields(self) -> list[str]:
        """The settings that are editable now because the run in training takes them live."""
        return list(self._live)

    @Slot()
    def _edited(self, *_) -> None:
        if self._running is not None:
            self._live_timer.start()

    @Slot()
    def _send_live(self) -> None:
        for key in list(self._live):
            editor = self.editors.get(key) or self.hyper[key]
            value = editor.get()
            if value != self._live[key]:
                self._live[key] = value
                self.live_changed.emit(key, value)

    def commit_live(self) -> None:
        """Send the live edits now rather than after LIVE_DELAY_MS."""
        self._live_timer.stop()
        self._send_live()
