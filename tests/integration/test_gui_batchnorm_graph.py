"""The batch-norm graph view under pytest-qt, offscreen: edit a value, walk the backward pass
and check the numbers it shows against the book's chain of steps computed here."""
import gui_setup  # noqa: F401  (offscreen Qt, skips without the GUI extras: first)
from gui_setup import shown  # noqa: E402
import csv

import numpy as np
import pytest

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage  # noqa: E402
from PySide6.QtWidgets import QGraphicsSimpleTextItem  # noqa: E402

from trainlab import reference  # noqa: E402
from trainlab.explain import example_batch  # noqa: E402
from trainlab.explain.batchnorm_picture import COLORS, format_matrix  # noqa: E402
from trainlab_gui.views.batchnorm_graph import BAD_CELL, BatchNormGraphView  # noqa: E402

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def view(qtbot):
    return shown(qtbot, BatchNormGraphView(), (1200, 800))


def book_chain(x, gamma, beta, dout, eps=1e-6):
    """Every intermediate gradient of the book's BatchNormalization.backward, written out."""
    n = len(x)
    mu = x.mean(axis=0)
    xc = x - mu
    std = np.sqrt((xc ** 2).mean(axis=0) + eps)
    g = {"dout": dout, "dxhat": gamma * dout}
    g["dinv"] = (g["dxhat"] * xc).sum(axis=0)
    g["dstd"] = -g["dinv"] / std ** 2
    g["dvar"] = 0.5 * g["dstd"] / std
    g["dsq"] = np.broadcast_to(g["dvar"] / n, x.shape)
    g["dxc"] = g["dxhat"] / std + 2.0 * xc * g["dsq"]
    g["dmu"] = -g["dxc"].sum(axis=0)
    xn, inv_std = np.empty_like(x), np.empty(x.shape[1])
    out = np.empty_like(x)
    reference.batchnorm_forward_train(x, gamma, beta, np.zeros(x.shape[1]), np.zeros(x.shape[1]), 0.9,
                                      eps, xn, inv_std, out)
    g["dx"], g["dgamma"], g["dbeta"] = np.empty_like(x), np.empty_like(gamma), np.empty_like(gamma)
    reference.batchnorm_backward(dout, xn, gamma, inv_std, g["dx"], g["dgamma"], g["dbeta"])
    return mu, g


def scene_texts(view) -> list:
    return [item.text() for item in view.items if isinstance(item, QGraphicsSimpleTextItem) and item.scene()]


def highlighted(view, role) -> list:
    """Title lines of the boxes drawn with ``role``'s border colour, read from the scene."""
    color = QColor(COLORS[role][0])
    titles = []
    for rect, labels in view.node_items.values():
        assert rect.scene() is view.box.scene() and all(label.scene() for label in labels)
        if rect.pen().color() == color:
            titles.append(labels[0].text())
    return titles


def test_edit_then_walk_the_backward_pass(view, qtbot):
    x, gamma, beta, dout = example_batch()
    view.x_table.item(1, 2).setText("2.5")  # as a user's edit: the table's itemChanged recomputes
    x[1, 2] = 2.5
    assert view.graph.x[1, 2] == 2.5 and view.error == ""
    mu, expected = book_chain(x, gamma, beta, dout)
    texts = scene_texts(view)
    assert format_matrix(mu)[0] in texts  # μ's box shows the mean of the edited batch
    assert view.stage_label.text() == "forward"

    upstream_of = {"out": "dout", "scaled": "dout", "xhat": "dxhat", "inv": "dinv", "std": "dstd",
                   "var": "dvar", "sq": "dsq", "xc": "dxc", "mu": "dmu"}
    for k, (node, name) in enumerate(upstream_of.items(), start=1):
        qtbot.mouseClick(view.step_button, Qt.LeftButton)
        assert view.stage == k and view.stage_label.text() == f"step {k} of 9"
        shown = view.explanation_text()
        first_row = format_matrix(expected[name])[0]
        assert first_row in shown, (node, first_row, shown)
        symbol = view.graph.nodes[node].symbol
        assert any(t.startswith(f"{symbol} = ") for t in highlighted(view, "current")), node
        targets = {view.graph.nodes[e.source].symbol for e in view.graph.steps[k - 1].edges}
        assert {t.split()[0] for t in highlighted(view, "target")} == targets

    qtbot.mouseClick(view.step_button, Qt.LeftButton)
    assert view.stage_label.text() == "done" and not view.step_button.isEnabled()
    shown = view.explanation_text()
    check = view.graph.check
    assert check.max_kernel_diff <= 1e-12
    assert (f"equal the compiled kernel's result (largest difference {check.max_kernel_diff:.1e})"
            in shown)
    assert "equal the numerical gradient" in shown and f"{check.max_numerical_diff:.1e}" in shown
    for name in ("dx", "dgamma", "dbeta"):
        for row in format_matrix(expected[name]):
            assert row in shown, name
    assert {t.split()[0] for t in highlighted(view, "result")} == {"x", "γ", "β"}

    def all_in_view():  # boxes are in the ViewBox's data coordinates
        return all(view.box.viewRect().contains(rect.rect()) for rect, _ in view.node_items.values())

    assert all_in_view()
    view.box.scaleBy((0.5, 0.5))  # zoomed in: a step keeps the zoom, Fit shows all again
    zoomed = view.box.viewRect()
    qtbot.mouseClick(view.back_button, Qt.LeftButton)
    assert view.stage == 9 and view.box.viewRect() == zoomed and not all_in_view()
    qtbot.mouseClick(view.fit_button, Qt.LeftButton)
    assert all_in_view()
    qtbot.mouseClick(view.reset_button, Qt.LeftButton)
    assert view.stage == 0 and not view.back_button.isEnabled()


def test_bad_cell_is_marked_and_the_last_graph_kept(view):
    before = view.graph
    view.dout_table.item(0, 1).setText("abc")
    assert view.graph is before
    assert "dout row 1, column 2" in view.error and "Input not used" in view.explanation_text()
    assert view.dout_table.item(0, 1).background().color() == QColor(BAD_CELL)
    view.eps_edit.setText("-1")
    view.recompute()
    assert "ε" in view.error and view.graph is before
    view.eps_edit.setText("1e-3")
    view.dout_table.item(0, 1).setText("0.25")
    assert view.error == "" and view.graph.eps == 1e-3 and view.graph.dout[0, 1] == 0.25
    assert view.dout_table.item(0, 1).background().color() != QColor(BAD_CELL)


def test_new_shape_keeps_the_values_that_fit(view):
    view.set_value("x", 0, 0, 7.5)
    view.set_stage(4)
    view.rows_spin.setValue(6)
    view.features_spin.setValue(2)
    assert view.graph.x.shape == (6, 2) and view.x_table.rowCount() == 6
    assert view.graph.x[0, 0] == 7.5 and view.param_table.columnCount() == 2
    assert view.stage == 4  # the walk stays where it was
    assert len(view.graph.steps) == 9 and view.graph.check.agrees_with_kernel


def test_in_the_main_window_with_exports(qtbot, tmp_path):
    from trainlab_gui.__main__ import VIEWS
    from trainlab_gui.main_window import MainWindow

    assert "batchnorm_graph" in VIEWS
    window = MainWindow()
    view = window.views["batchnorm_graph"]
    window.tabs.setCurrentWidget(view)
    shown(qtbot, window)
    view.set_stage(view.n_stages - 1)
    view.export_png(tmp_path / "graph.png")
    assert not QImage(str(tmp_path / "graph.png")).isNull()
    view.export_csv(tmp_path / "graph.csv")
    rows = list(csv.DictReader(open(tmp_path / "graph.csv", encoding="utf-8")))
    dx = {(int(r["row"]), int(r["column"])): float(r["value"]) for r in rows
          if r["node"] == "x" and r["quantity"] == "gradient"}
    assert dx[(0, 0)] == view.graph.dx[0, 0]
    assert any(r["node"] == "dx" and r["quantity"] == "kernel" for r in rows)
    window.close()  # ends the training processes and the views' workers
