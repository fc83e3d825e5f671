"""The views as a learner reads them: histograms with counts, a log colour scale, what lies beyond
the range and the first snapshot; the search view's scales, parallel coordinates and table; the
theme following the colour scheme; the curves view's marks of live hyperparameter changes."""
import gui_setup  # noqa: F401  (offscreen Qt, skips without the GUI extras: first)
import numpy as np
import pytest
from gui_setup import shown

from trainlab.engine import RunSpec
from trainlab_gui.core.probes import HistogramProbe, outside
from trainlab_gui.core.runs import RunRecord
from trainlab_gui.views import CurvesView, HistogramView

pytestmark = pytest.mark.timeout(120)
VIEW_SIZE = (1100, 700)


class Session:  # the part of a Session the views read
    def __init__(self, *records):
        self.records = list(records)


def _weights_record(rng, spread_later=3.0):
    """Two layers of weights: a first snapshot (which fixes the range) and a wider one."""
    rec = RunRecord(RunSpec(name="w"))
    rec.probe = HistogramProbe(bins=20)
    first = [rng.normal(0, 0.1, 500), rng.normal(0, 1.0, 300)]
    later = [a * spread_later for a in first]
    for step, arrays in ((1, first), (50, later)):
        rec.apply_snapshot({"losses": np.ones(1), "step": step,
                            "hist_arrays": ({"weight": arrays}, "relu")})
    return rec, first, later


def test_histograms_count_beyond_the_range_and_show_it(qtbot):
    rng = np.random.default_rng(0)
    rec, first, later = _weights_record(rng)
    view = shown(qtbot, HistogramView(), VIEW_SIZE)
    view.kind_box.setCurrentIndex(view.kind_box.findData("weight"))
    assert view.refresh(Session(rec))
    for layer, values, item in zip(view.layers, later, range(2)):
        inner, inside, below, above = outside(rec.hist_edges["weight"][item], rec.hist_last["weight"][item])
        assert below == (values < inner[0]).sum() > 0 and above == (values > inner[-1]).sum() > 0
        assert below + above + inside.sum() == values.size  # nothing clipped into the end bins
        heights = layer.beyond.opts["height"]
        assert list(heights) == [below, above]
        assert [lbl.textItem.toPlainText() for lbl in layer.labels] == [f"{below:,}", f"{above:,}"]
        x, y = layer.first.getData()  # the first snapshot, drawn over the newest one
        assert y.sum() == (np.abs(first[item]) <= inner[-1]).sum()
    assert view.legend.items[1][1].text == "first snapshot (after step 1)"


def test_histogram_heat_map_is_log_scaled_with_a_colour_bar(qtbot):
    rng = np.random.default_rng(1)
    rec, _, _ = _weights_record(rng, spread_later=1.0)
    view = shown(qtbot, HistogramView(), VIEW_SIZE)
    view.kind_box.setCurrentIndex(view.kind_box.findData("weight"))
    view.refresh(Session(rec))
    image = view.layers[0].image.image
    history = np.asarray(rec.hist_history["weight"][0])
    np.testing.assert_allclose(image, np.log10(1 + history), rtol=1e-6)
    levels = view.colorbar.levels()
    assert levels[0] == 0 and levels[1] == pytest.approx(max(np.log10(1 + np.max(h))
                                                            for h in rec.hist_history["weight"]))
    ticks = [label for _, label in view.colorbar.axis._tickLevels[0]]
    assert ticks[:3] == ["0", "1", "10"]
    assert view.colorbar.axis.labelText == "count (log scale)"
    assert view.layers[0].hist.getAxis("left").labelText == "count"


def test_one_value_range_for_all_layers_or_each_its_own(qtbot):
    rng = np.random.default_rng(2)
    rec, _, _ = _weights_record(rng)
    view = shown(qtbot, HistogramView(), VIEW_SIZE)
    view.kind_box.setCurrentIndex(view.kind_box.findData("weight"))
    view.refresh(Session(rec))
    ranges = [tuple(layer.hist.vb.viewRange()[0]) for layer in view.layers]
    assert ranges[0] == pytest.approx(ranges[1])
    view.same_range.setChecked(False)
    view.refresh(Session(rec))
    narrow, wide = (layer.hist.vb.viewRange()[0] for layer in view.layers)
    assert narrow[1] - narrow[0] < 0.5 * (wide[1] - wide[0])  # std 0.1 against std 1


def _store_with_trials(tmp_path, n=12):
    search = pytest.importorskip("trainlab.search")
    store = search.SearchStore(tmp_path / "s.db")
    rng = np.random.default_rng(4)
    for k in range(n):
        lr, wd = 10 ** rng.uniform(-6, -2), 10 ** rng.uniform(-8, -4)
        acc = [float(a) for a in np.sort(rng.uniform(0.1, 0.9, 3))]
        store.add_trial(search.Trial(k, 0, "complete", {"lr": lr, "weight_decay": wd}, k, acc, acc, 0.1))
    return store


def test_search_view_scales_parallel_coordinates_and_best_first_table(qtbot, tmp_path):
    from trainlab_gui.views import SearchView

    store = _store_with_trials(tmp_path)
    view = shown(qtbot, SearchView(), (1300, 850))
    assert not view.stop_button.isEnabled() and view.start_button.isEnabled()  # nothing runs
    (x0, x1), (y0, y1) = view.scatter_plot.viewRange()  # empty: the chapter's decades
    assert x0 <= -6 and x1 >= -2 and x1 - x0 < 5 and y0 <= -8 and y1 >= -4 and y1 - y0 < 5
    view.open_store(tmp_path / "s.db")
    qtbot.waitUntil(lambda: view.refresh() and view.table.rowCount() == 12, timeout=5000)
    values = [t.value for t in view.trials]
    column = [view.table.item(r, 2).value for r in range(12)]
    assert column == sorted(values, reverse=True)  # best first by default
    assert view.colorbar.levels() == pytest.approx((min(values), max(values)))
    brushes = view.scatter.opts["symbolBrush"]
    best = int(np.argmax(values))
    assert brushes[best].color().getRgb()[:3] == view.cmap.map(1.0, mode="qcolor").getRgb()[:3]
    ys = [item.getOriginalDataset()[1] for item in view.parallel.lines]
    drawn = sum(np.isfinite(y).sum() for y in ys if y is not None)
    assert drawn == 12 * 3  # each trial through lr, weight decay and val acc
    names = [i.textItem.toPlainText() for i in view.parallel.axes if hasattr(i, "textItem")]
    assert {"lr (log)", "weight_decay (log)", "val acc"} <= set(names)
    assert view.path.text() == str(tmp_path / "s.db") and view.path.width() > 300
    view.table.sortItems(0)  # the user's choice is kept when new trials arrive
    store.add_trial(type(view.trials[0])(12, 0, "complete", {"lr": 1e-3, "weight_decay": 1e-6},
                                          12, [0.5], [0.5], 0.1))
    qtbot.waitUntil(lambda: view.refresh() and view.table.rowCount() == 13, timeout=5000)
    assert [view.table.item(r, 0).value for r in range(13)] == list(range(13))
    (x0, x1), _ = view.scatter_plot.viewRange()  # the trials' own range
    lrs = np.log10([t.params["lr"] for t in view.trials])
    assert x0 <= lrs.min() and x1 >= lrs.max() and (x0, x1) != pytest.approx((-6.2, -1.8))
    store.close()


def test_curves_mark_each_live_change_with_its_new_value(qtbot):
    from trainlab_gui.views.changes import step_to_epoch

    view = shown(qtbot, CurvesView(), (900, 600))
    rec = RunRecord(RunSpec(name="changed"))
    rec.apply_snapshot({"losses": np.linspace(2, 0.5, 300), "step": 300,
                        "epochs": [(0, 0, 0.1, 0.1), (1, 100, 0.5, 0.5), (2, 200, 0.7, 0.6),
                                   (3, 300, 0.8, 0.7)],
                        "changes": [(150, "lr", 0.003), (250, "momentum", 0.5)]})
    session = Session(rec)
    assert view.refresh(session)
    marks = view._runs[rec.id].changes
    assert [(c, line.value()) for c, line, _ in marks.lines] == [((150, "lr", 0.003), 150.0),
                                                                 ((250, "momentum", 0.5), 250.0)]
    assert [line.label.textItem.toPlainText() for _, line, _ in marks.lines] == ["lr=0.003", "momentum=0.5"]
    assert [acc.value() for _, _, acc in marks.lines] == [1.5, 2.5]  # the same moment in epochs
    assert all(line in view.loss_plot.items for _, line, _ in marks.lines)
    rec.visible = False
    rec.version += 1
    view.refresh(session)
    assert not any(line.isVisible() for _, line, _ in marks.lines)
    assert step_to_epoch(350, rec.epochs) == pytest.approx(3.5)  # past the last evaluation
    assert view.loss_plot.getAxis("left").labelText == "loss (cross-entropy)"
    assert view.legend.parentItem() is not view.loss_plot.vb  # beside the plots, not over them


def test_export_dialogs_leave_the_middle_of_the_plots_visible(qtbot):
    from PySide6.QtWidgets import QFileDialog, QMainWindow

    from trainlab_gui.views.base import place_beside

    window = QMainWindow()
    qtbot.addWidget(window)
    window.setGeometry(0, 0, 1000, 700)
    window.show()
    dialog = QFileDialog(window, "Export PNG", "plot.png", "PNG (*.png)")
    qtbot.addWidget(dialog)
    place_beside(dialog, window)
    centre = window.frameGeometry().center()
    assert not dialog.frameGeometry().contains(centre)  # centred, it hid the optimizer paths


def test_theme_follows_the_colour_scheme_live(qtbot):
    from PySide6.QtGui import QGuiApplication, QPalette

    from trainlab_gui.views import ExperimentsView, theme

    views = [shown(qtbot, v, (700, 500)) for v in (CurvesView(), HistogramView(), ExperimentsView())]

    def background(view):
        return view.graphics.backgroundBrush().color().lightness()

    try:
        theme.request("dark")
        assert theme.current().dark
        for view in views:
            assert background(view) < 60 and view.theme.dark
        axis = views[0].loss_plot.getAxis("left")
        assert axis.pen().color().lightness() > 200 and axis.textPen().color().lightness() > 200
        window = QGuiApplication.instance().palette().color(QPalette.Window)
        assert window.lightness() < 100  # the widgets too, also where the platform has no dark palette
        views[2]._clear("optimizer_paths")  # a figure made while dark is dark
        views[2].on_updated({"SGD": (np.array([-7.0, -6.0]), np.array([2.0, 1.0]), False)})
        views[2].refresh()
        plot = views[2].canvas.plots[0][1]
        assert plot.getAxis("bottom").pen().color().lightness() > 200
        theme.request("light")
        for view in views:
            assert background(view) > 240 and not view.theme.dark
        assert axis.pen().color().lightness() < 60
    finally:
        theme.request("system")
