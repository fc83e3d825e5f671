"""Batch normalization as a computational graph (the book's figure 6-17), walked backwards.

The batch x, the upstream gradient dout, γ, β and ε are editable tables; every node of the
graph shows its forward value, and the step buttons walk the backward pass one node at a time:
the current node (orange) with the gradient arriving from above, the inputs it sends to (blue)
and, below the graph, the local gradients and what each input receives. The last stage shows
dx, dγ, dβ and whether they equal the compiled kernel's result and the numerical gradient.
Everything shown comes from :func:`trainlab.explain.batchnorm_graph`; this module only draws it.
"""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (QFrame, QGraphicsPathItem, QGraphicsPolygonItem, QGraphicsRectItem,
                               QGraphicsSimpleTextItem, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from trainlab.explain import BOOK_EPS, batchnorm_graph, example_batch
from trainlab.explain.batchnorm_picture import (COLORS, edges, picture, place, route, stage_count,
                                                step_text)
from trainlab_gui.core.runs import csv_file
from trainlab_gui.language import monospace_font
from trainlab_gui.views.base import View, widget_row

__all__ = ["BatchNormGraphView"]

FONT_POINTS = 10
MAX_ROWS, MAX_FEATURES = 8, 4


CELL_W, CELL_H = 58, 22
BAD_CELL = "#f6c7c7"


def _table(caption: str, holder: QHBoxLayout) -> QTableWidget:
    """An empty table under its caption, added to ``holder``; _fill_tables sizes it."""
    table = QTableWidget()
    table.horizontalHeader().setDefaultSectionSize(CELL_W)
    table.verticalHeader().setDefaultSectionSize(CELL_H)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(QLabel(caption))
    column.addWidget(table)
    column.addStretch(1)
    holder.addLayout(column)
    return table


class BatchNormGraphView(View):
    """The batch-norm graph of a small editable batch, its backward pass step by step."""

    title = QT_TRANSLATE_NOOP("views", "Batch-norm graph")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mono = monospace_font(FONT_POINTS)
        self.bold = QFont(self.mono)
        self.bold.setBold(True)
        self.graph = None
        self.stage = 0
        self.error = ""
        self._shape_drawn = None
        self._panes_fitted = False

        self.rows_spin, self.features_spin = QSpinBox(), QSpinBox()
        self.rows_spin.setRange(1, MAX_ROWS)
        self.features_spin.setRange(1, MAX_FEATURES)
        self.eps_edit = QLineEdit(f"{BOOK_EPS:g}")
        self.eps_edit.setMaximumWidth(80)
        self.eps_edit.setToolTip(self.tr("ε under the square root (the book's 1e-6)"))
        self.random_button = QPushButton(self.tr("New example batch"))
        self.reset_button = QPushButton(self.tr("◀◀ Forward values"))
        self.back_button = QPushButton(self.tr("◀ Back"))
        self.step_button = QPushButton(self.tr("Step backward ▶"))
        self.end_button = QPushButton(self.tr("To the end ▶▶"))
        self.fit_button = QPushButton(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("the whole graph in view (the wheel zooms, dragging "
                                           "pans)"))
        self.stage_label = QLabel()
        bar = widget_row((QLabel("N"), self.rows_spin, QLabel("D"), self.features_spin,
                          QLabel("ε"), self.eps_edit, self.random_button, self.reset_button,
                          self.back_button, self.step_button, self.end_button, self.fit_button,
                          self.stage_label), stretch=True)

        tables_host = QWidget()
        tables = QHBoxLayout(tables_host)
        tables.setContentsMargins(0, 0, 0, 0)
        self.x_table = _table(self.tr("batch x (N × D)"), tables)
        self.dout_table = _table(self.tr("upstream gradient dout"), tables)
        self.param_table = _table(self.tr("scale γ, shift β"), tables)
        tables.addStretch(1)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.explanation.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidget(self.explanation)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        # the user sets how much room the tables, the graph and the explanation get
        self.splitter = QSplitter(Qt.Vertical)
        for widget, stretch in ((tables_host, 0), (self.graphics, 1), (scroll, 0)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.tables_host = tables_host
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.splitter, 1)
        for table in (self.x_table, self.dout_table, self.param_table):
            table.itemChanged.connect(self.recompute)

        self.box = self.graphics.addViewBox()
        self.box.invertY(True)
        self.box.setAspectLocked(True)
        self.box.setMenuEnabled(False)
        self.items: list = []
        self.node_items: dict = {}  # key -> (box, its text lines), as drawn

        self.random_seed = 0
        x, gamma, beta, dout = example_batch()
        self.rows_spin.setValue(x.shape[0])
        self.features_spin.setValue(x.shape[1])
        self._fill_tables(x, dout, gamma, beta)
        self.rows_spin.valueChanged.connect(self._resize)
        self.features_spin.valueChanged.connect(self._resize)
        self.eps_edit.editingFinished.connect(self.recompute)
        self.random_button.clicked.connect(self.new_example)
        self.reset_button.clicked.connect(lambda: self.set_stage(0))
        self.back_button.clicked.connect(lambda: self.set_stage(self.stage - 1))
        self.step_button.clicked.connect(lambda: self.set_stage(self.stage + 1))
        self.end_button.clicked.connect(lambda: self.set_stage(self.n_stages - 1))
        self.fit_button.clicked.connect(self.fit_graph)
        self.recompute()

    # -- the inputs --------------------------------------------------------------------------------
    def _fill_tables(self, x, dout, gamma, beta) -> None:
        """Size the tables for the shape of ``x`` and show these values (one recompute after)."""
        n, d = x.shape
        rows, cols = [str(i + 1) for i in range(n)], [f"x{j + 1}" for j in range(d)]
        for table, values, names in ((self.x_table, x, rows), (self.dout_table, dout, rows),
                                     (self.param_table, np.vstack([gamma, beta]), ["γ", "β"])):
            table.blockSignals(True)
            table.setRowCount(values.shape[0])
            table.setColumnCount(d)
            table.setVerticalHeaderLabels(names)
            table.setHorizontalHeaderLabels(cols)
            for (i, j), v in np.ndenumerate(values):
                table.setItem(i, j, QTableWidgetItem(f"{v:g}"))
            table.blockSignals(False)
            table.setFixedSize(table.verticalHeader().sizeHint().width() + CELL_W * d + 4,
                               table.horizontalHeader().sizeHint().height() + CELL_H * values.shape[0] + 4)

    def fit_panes(self) -> None:
        """Tables and explanation as tall as their content, the graph the rest (after a new N)."""
        total = sum(self.splitter.sizes()) or self.splitter.height()
        tables = self.tables_host.sizeHint().height()
        text = int((self.x_table.rowCount() + 5.5) * QFontMetricsF(self.mono).lineSpacing())
        self.splitter.setSizes([tables, max(total - tables - text, 100), text])

    def showEvent(self, event):
        super().showEvent(event)
        if not self._panes_fitted:
            self._panes_fitted = True
            self.fit_panes()

    @staticmethod
    def _read(table, name) -> np.ndarray:
        """The table's numbers; cells that are not finite numbers turn red and the first is named."""
        values = np.empty((table.rowCount(), table.columnCount()))
        bad = []
        table.blockSignals(True)  # a background change is an itemChanged too
        for (i, j), _ in np.ndenumerate(values):
            item = table.item(i, j)
            try:
                values[i, j] = float(item.text())
            except ValueError:
                values[i, j] = np.nan
            ok = np.isfinite(values[i, j])
            item.setBackground(QBrush() if ok else QBrush(QColor(BAD_CELL)))
            if not ok:
                bad.append(QCoreApplication.translate(
                    "BatchNormGraphView", "{table} row {row}, column {column}: {text} is not a finite "
                    "number").format(table=name, row=i + 1, column=j + 1, text=repr(item.text())))
        table.blockSignals(False)
        if bad:
            more = QCoreApplication.translate("BatchNormGraphView", " (and {n} more)").format(
                n=len(bad) - 1)
            raise ValueError(bad[0] + (more if len(bad) > 1 else ""))
        return values

    def inputs(self):
        """(x, dout, γ, β, ε) as the tables and the ε field hold them; ValueError names a bad cell."""
        read, errors = {}, []
        for name, table in (("x", self.x_table), ("dout", self.dout_table), ("γ/β", self.param_table)):
            try:  # every table, so that each marks its bad cells
                read[name] = self._read(table, name)
            except ValueError as exc:
                errors.append(str(exc))
        try:
            eps = float(self.eps_edit.text())
        except ValueError:
            eps = np.nan
        if not (eps > 0 and np.isfinite(eps)):
            errors.append(self.tr("ε: {text} is not a positive finite number").format(
                text=repr(self.eps_edit.text())))
        if errors:
            raise ValueError("; ".join(errors))
        return read["x"], read["dout"], read["γ/β"][0], read["γ/β"][1], eps

    def set_value(self, table: str, row: int, col: int, value: float) -> None:
        """Edit one cell as a user would (``table``: ``"x"``, ``"dout"``, ``"gamma"``, ``"beta"``)."""
        target = {"x": self.x_table, "dout": self.dout_table}.get(table, self.param_table)
        if table in ("gamma", "beta"):
            row = 0 if table == "gamma" else 1
        target.item(row, col).setText(f"{value!r}")

    @Slot()
    def _resize(self) -> None:
        """New N or D: keep the values that still fit, take the rest from an example batch."""
        n, d = self.rows_spin.value(), self.features_spin.value()
        fresh = list(example_batch(n, d, self.random_seed))
        try:
            old = self.inputs()[:4]
        except ValueError:
            old = None
        if old is not None:
            for new, kept in zip(fresh, (old[0], old[2], old[3], old[1])):
                idx = tuple(slice(0, min(a, b)) for a, b in zip(new.shape, kept.shape))
                new[idx] = kept[idx]
        self._fill_tables(fresh[0], fresh[3], fresh[1], fresh[2])
        self.recompute()
        self.fit_panes()

    @Slot()
    def new_example(self) -> None:
        """Another example batch of the current shape."""
        self.random_seed += 1
        x, gamma, beta, dout = example_batch(self.rows_spin.value(), self.features_spin.value(),
                                             self.random_seed)
        self._fill_tables(x, dout, gamma, beta)
        self.recompute()

    @Slot()
    def recompute(self) -> None:
        """The graph of the tables' values; on bad input the message, and the last graph stays."""
        try:
            x, dout, gamma, beta, eps = self.inputs()
            self.graph = batchnorm_graph(x, dout, gamma, beta, eps)
            self.error = ""
        except ValueError as exc:
            self.error = str(exc)
        self.set_stage(self.stage)

    # -- the walk ----------------------------------------------------------------------------------
    @property
    def n_stages(self) -> int:
        return stage_count(self.graph) if self.graph is not None else 1

    def set_stage(self, stage: int) -> None:
        """Show ``stage`` (clamped): 0 forward values, then one per backward step, then the results."""
        self.stage = int(np.clip(stage, 0, self.n_stages - 1))
        last = self.n_stages - 1
        self.back_button.setEnabled(self.stage > 0)
        self.reset_button.setEnabled(self.stage > 0)
        self.step_button.setEnabled(self.stage < last)
        self.end_button.setEnabled(self.stage < last)
        self.stage_label.setText(
            self.tr("forward") if self.stage == 0 else self.tr("done") if self.stage == last
            else self.tr("step {stage} of {steps}").format(stage=self.stage, steps=last - 1))
        self._draw()

    @Slot()
    def fit_graph(self) -> None:
        """Zoom so that the whole graph shows."""
        self._shape_drawn = None
        self._draw()

    def explanation_text(self) -> str:
        """The text below the graph, as plain text (the label shows it as rich text)."""
        if self.graph is None:
            return self.error
        headline, rows = step_text(self.graph, self.stage)
        unused = self.tr("Input not used: {error}").format(error=self.error)
        return "\n".join([headline, *rows] + ([unused] if self.error else []))

    def _draw(self) -> None:
        for item in self.items:
            self.box.removeItem(item)
        self.items = []
        if self.graph is None:
            self.explanation.setText(html.escape(self.error))
            return
        headline, rows = step_text(self.graph, self.stage)
        color = COLORS["result"][0] if self.graph.check.agrees_with_kernel else COLORS["grad"]
        style = f' style="color:{color}"' if self.stage == self.n_stages - 1 else ""
        text = f"<p{style}>{html.escape(headline)}</p><pre>{html.escape(chr(10).join(rows))}</pre>"
        if self.error:
            unused = self.tr("Input not used: {error}").format(error=self.error)
            text += f'<p style="color:{COLORS["grad"]}">{html.escape(unused)}</p>'
        self.explanation.setText(text)
        self.explanation.setFont(self.mono)
        self._draw_graph()
        self.frames += 1

    def _draw_graph(self) -> None:
        boxes = picture(self.graph, self.stage)
        self.node_items = {}
        metrics = {False: QFontMetricsF(self.mono), True: QFontMetricsF(self.bold)}
        line = metrics[False].lineSpacing()
        pad = 0.6 * line

        def measure(box):
            return (max(metrics[kind == "title"].horizontalAdvance(t) for t, kind in box.lines) + 2 * pad,
                    len(box.lines) * line + 2 * pad)

        rects = place(boxes, measure, hgap=3 * line, vgap=2.5 * line)
        for source, target in edges(self.graph):
            on = boxes[target].role == "current"  # the step sends gradients down every input edge
            self._arrow(route(rects, source, target, clearance=1.2 * line),
                        QColor(COLORS["edge_active" if on else "edge"]), 3.0 if on else 1.2)
        for key, box in boxes.items():
            left, top, w, h = rects[key]
            border, fill = COLORS[box.role]
            rect = QGraphicsRectItem(left, top, w, h)
            rect.setPen(QPen(QColor(border), 3.0 if box.role != "plain" else 1.2))
            rect.setBrush(QBrush(QColor(fill)))
            self._add(rect)
            labels = []
            for i, (text, kind) in enumerate(box.lines):
                label = QGraphicsSimpleTextItem(text)
                label.setFont(self.bold if kind == "title" else self.mono)
                label.setBrush(QBrush(QColor(COLORS[kind])))
                label.setPos(left + pad, top + pad + i * line)
                self._add(label)
                labels.append(label)
            self.node_items[key] = (rect, labels)
        width = max(r[0] + r[2] for r in rects.values())
        height = max(r[1] + r[3] for r in rects.values())
        shape = (round(width), round(height))
        if shape != self._shape_drawn:  # a new layout: fit it; otherwise keep the user's zoom
            self._shape_drawn = shape
            self.box.setRange(QRectF(-pad, -2 * line, width + 2 * pad, height + 3 * line), padding=0)

    def _arrow(self, points, color, width) -> None:
        path = QPainterPath(QPointF(*points[0]))
        for p in points[1:]:
            path.lineTo(QPointF(*p))
        item = QGraphicsPathItem(path)
        item.setPen(QPen(color, width))
        self._add(item)
        (x0, y0), (x1, y1) = points[-2], points[-1]
        ux, uy = np.subtract((x1, y1), (x0, y0)) / max(np.hypot(x1 - x0, y1 - y0), 1e-9)
        size = 6 + 2 * width
        head = QPolygonF([QPointF(x1, y1), QPointF(x1 - size * ux + size / 2 * uy, y1 - size * uy - size / 2 * ux),
                          QPointF(x1 - size * ux - size / 2 * uy, y1 - size * uy + size / 2 * ux)])
        tip = QGraphicsPolygonItem(head)
        tip.setPen(QPen(color, 1))
        tip.setBrush(QBrush(color))
        self._add(tip)

    def _add(self, item) -> None:
        self.box.addItem(item, ignoreBounds=True)
        self.items.append(item)

    # -- the app's view protocol -------------------------------------------------------------------
    def refresh(self, session=None) -> bool:
        """Nothing trains here: the graph is redrawn when the inputs or the stage change."""
        return False

    def export_csv(self, path, plot: str | None = None) -> None:
        """node,quantity,row,column,value: every node's value and gradient, then the check."""
        if self.graph is None:
            raise ValueError(f"no graph to export: {self.error}")
        g = self.graph
        with csv_file(path, ["node", "quantity", "row", "column", "value"]) as w:
            for key, node in g.nodes.items():
                for quantity, a in (("value", node.value), ("gradient", g.grads[key])):
                    for (i, j), v in np.ndenumerate(np.atleast_2d(a)):
                        w.writerow([node.symbol, quantity, i, j, repr(float(v))])
            for source, table in (("kernel", g.check.kernel), ("numerical", g.check.numerical)):
                for name, a in table.items():
                    for (i, j), v in np.ndenumerate(np.atleast_2d(a)):
                        w.writerow([name, source, i, j, repr(float(v))])
