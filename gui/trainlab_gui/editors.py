"""One editing widget per kind of form field (``core.form.Field``): numbers typed as a person
writes them (1e-3), stepped 1-2-5 on a log scale where the description says so, optional numbers
with their 'all'/'default' value, sizes as comma-separated integers."""
from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from trainlab_gui.core.form import choice_text
from trainlab_gui.core.naming import number

__all__ = ["Editor", "NumberBox", "add_choices", "combo_value", "set_combo_value"]

_INT_MAX = 2**31 - 1


def ladder_step(value: float, up: bool, low: float) -> float:
    """The next value of the 1-2-5 ladder (…, 1e-3, 2e-3, 5e-3, 1e-2, …) above or below ``value``;
    settings that may be 0 (a weight decay) go from 1e-4 down to 0."""
    floor = low if low > 0 else 1e-4
    if value <= 0:
        return floor if up else value
    exponent = math.floor(math.log10(value))
    rungs = [m * 10.0 ** e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 5)]
    if up:
        return next(r for r in rungs if r > value * (1 + 1e-9))
    below = [r for r in rungs if r < value * (1 - 1e-9)]
    return below[-1] if below and below[-1] >= floor else low


def add_choices(box, choices) -> None:
    """Add ``choices`` to a combo box, each shown in words (``core.form.choice_text``) with its
    value as the item's data."""
    for choice in choices:
        box.addItem(choice_text(str(choice)), str(choice))


def combo_value(box) -> str:
    """The value a combo box holds: the chosen item's data, or the text typed into it."""
    index = box.currentIndex()
    if index >= 0 and box.currentText() == box.itemText(index):
        return box.itemData(index)
    return box.currentText().strip()


def set_combo_value(box, value: str) -> None:
    """Choose the item whose data is ``value``, or type ``value`` into an editable box."""
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    else:
        box.setCurrentText(value)


class NumberBox(QDoubleSpinBox):
    """A float box that shows and takes numbers as written (1e-3, 0.9) and steps 1-2-5 when
    ``log`` (a learning rate), or by hundredths inside [0, 1]."""

    def __init__(self, low: float, high: float, log: bool, parent=None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(low, high if math.isfinite(high) else 1e12)
        self.log = log or (low >= 0 and high > 1)  # unbounded settings such as λ: 1-2-5 too
        self.setSingleStep(0.01)
        self.setKeyboardTracking(False)  # a value counts when typed in full (Enter, focus out)

    def textFromValue(self, value: float) -> str:
        return number(float(value))

    def valueFromText(self, text: str) -> float:
        return float(text)

    def validate(self, text: str, pos: int):
        try:
            value = float(text)
        except ValueError:
            partial = text.strip() in ("", "-", ".") or text.rstrip().endswith(("e", "e-", "E", "E-", "."))
            return (QValidator.Intermediate if partial else QValidator.Invalid), text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.Acceptable if ok else QValidator.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        if not self.log:
            return super().stepBy(steps)
        value = self.value()
        for _ in range(abs(steps)):
            value = ladder_step(value, steps > 0, self.minimum())
        self.setValue(min(max(value, self.minimum()), self.maximum()))


class Editor:
    """The widget of one form field and its value as the field's type (None for 'all')."""

    def __init__(self, field):
        self.field = f = field
        if f.kind == "bool":
            self.widget = QCheckBox()
            self.changed = self.widget.toggled
        elif f.kind in ("choice", "editable"):
            self.widget = QComboBox()
            add_choices(self.widget, f.choices)
            self.widget.setEditable(f.kind == "editable")
            self.changed = self.widget.currentTextChanged
        elif f.kind == "int":
            self.widget = QSpinBox()
            low = int(f.low) - (1 if f.empty else 0)  # one below the range: None
            self.widget.setRange(low, _INT_MAX if not math.isfinite(f.high) else int(f.high))
            if f.empty:
                self.widget.setSpecialValueText(f.empty)
            self.widget.setKeyboardTracking(False)
            self.changed = self.widget.valueChanged
        elif f.kind == "float":
            self.widget = NumberBox(f.low, f.high, f.log)
            self.changed = self.widget.valueChanged
        else:  # text, sizes
            self.widget = QLineEdit()
            if f.kind == "sizes":
                self.widget.setValidator(QRegularExpressionValidator(
                    QRegularExpression(r"^\s*\d*(\s*,\s*\d*)*\s*$")))
            else:
                self.widget.setPlaceholderText(QCoreApplication.translate(
                    "Editor", "automatic: what sets it apart"))
            self.changed = self.widget.editingFinished
        self.widget.setToolTip(f.help)
        self.set(f.default)

    def get(self):
        w, f = self.widget, self.field
        if f.kind == "bool":
            return w.isChecked()
        if f.kind in ("choice", "editable"):
            return combo_value(w)
        if f.kind == "int":
            return None if f.empty and w.value() == w.minimum() else w.value()
        if f.kind == "float":
            return w.value()
        if f.kind == "sizes":
            try:
                return tuple(int(s) for s in w.text().split(",") if s.strip())
            except ValueError:
                raise ValueError(QCoreApplication.translate(
                    "Editor", "{label} must be comma-separated integers, got {text}").format(
                    label=f.label, text=repr(w.text()))) from None
        return w.text().strip()

    def set(self, value) -> None:
        w, f = self.widget, self.field
        if f.kind == "bool":
            w.setChecked(bool(value))
        elif f.kind in ("choice", "editable"):
            set_combo_value(w, number(value) if isinstance(value, float) else str(value))
        elif f.kind == "int":
            w.setValue(w.minimum() if value is None else int(value))
        elif f.kind == "float":
            w.setValue(float(value))
        elif f.kind == "sizes":
            w.setText(",".join(str(v) for v in value))
        else:
            w.setText("" if value is None else str(value))
