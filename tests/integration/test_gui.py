"""The desktop app under pytest-qt, offscreen: run control, every view drawing live data, a long
repaint loop, event-loop stalls while training, PNG/CSV export, save/load, the scripted mode."""
import gui_setup  # noqa: F401  (offscreen Qt, skips without the GUI extras: first)
import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from PySide6.QtGui import QColor, QImage  # noqa: E402
from PySide6.QtWidgets import QToolBar  # noqa: E402

from gui_setup import gui_env, shown  # noqa: E402
from trainlab.engine import RunSpec, load_data  # noqa: E402
from trainlab.experiments import optimizer_paths as paths  # noqa: E402
from trainlab_gui.app import training_threads  # noqa: E402
from trainlab_gui.scripted import StallMeter  # noqa: E402
from trainlab_gui.main_window import MainWindow  # noqa: E402
from trainlab_gui.core.runs import RunRecord  # noqa: E402
from trainlab_gui.core.smoothing import ema  # noqa: E402
from trainlab_gui.views import CurvesView, HistogramView  # noqa: E402
from trainlab_gui.views.curves import nice_ceil, nice_floor  # noqa: E402

pytestmark = pytest.mark.timeout(150)
SMALL = dict(dataset="sample", hidden=[40, 30], train_size=1000, eval_samples=500, batch_size=50)


def spec(**settings):
    return RunSpec(**dict(SMALL, **settings))


@pytest.fixture(scope="module", autouse=True)
def _threads():
    training_threads(None)
    load_data("sample")


@pytest.fixture
def window(qtbot):
    w = shown(qtbot, MainWindow(), (1000, 700))
    yield w
    w.close()  # ends the training processes and the views' workers


def finish_run(qtbot, window, timeout=60000, **settings):
    config = spec(**settings)
    with qtbot.waitSignal(window.session.run_finished, timeout=timeout):
        rec = window.session.start(config)
    return rec


def test_start_pause_resume_stop(qtbot, window):
    rec = window.session.start(spec(**dict(epochs=10_000, name="long")))
    assert window.stop_action.isEnabled() and not window.start_action.isEnabled()
    qtbot.waitUntil(lambda: rec.steps > 20, timeout=20000)
    pause = window.findChild(QToolBar).widgetForAction(window.pause_action)
    where = pause.geometry()
    window.pause_action.trigger()
    qtbot.waitUntil(lambda: rec.status == "paused", timeout=5000)
    held = rec.steps
    qtbot.wait(400)
    assert rec.steps == held  # nothing trains while paused, and everything trained was shown
    assert window.pause_action.text() == "Resume" and pause.geometry() == where  # nothing moved
    window.pause_action.trigger()
    qtbot.waitUntil(lambda: rec.steps > held + 10, timeout=20000)
    # losses come through shared memory, the child's "resumed" through the pipe: either first
    qtbot.waitUntil(lambda: rec.status == "running", timeout=5000)
    assert window.pause_action.text() == "Pause"
    with qtbot.waitSignal(window.session.run_finished, timeout=20000):
        window.stop_action.trigger()
    assert rec.status == "stopped" and rec.stop_reason == "stopped by request"
    assert not window.session.is_running() and window.start_action.isEnabled()
    second = finish_run(qtbot, window, epochs=1, name="second")
    assert [r.name for r in window.session.records] == ["long", "second"]  # kept for comparison
    assert second.status == "finished" and second.steps == 20  # 1000 / 50 steps per epoch


def test_every_view_receives_data_and_draws(qtbot, window, tmp_path):
    rec = finish_run(qtbot, window, epochs=2)
    assert rec.steps == 40 and [e[:2] for e in rec.epochs] == [(0, 0), (1, 20), (2, 40)] and rec.hist_steps

    curves = window.views["curves"]
    window.tabs.setCurrentWidget(curves)
    qtbot.waitUntil(lambda: rec.id in curves._runs and curves._runs[rec.id].version == rec.version)
    run = curves._runs[rec.id]
    x, y = run.raw.getOriginalDataset()
    np.testing.assert_array_equal(y, rec.losses.view())
    np.testing.assert_array_equal(x, np.arange(1, 41))
    np.testing.assert_allclose(run.smooth.getOriginalDataset()[1], ema(rec.losses.view(), 0.6))
    np.testing.assert_array_equal(run.test.getData()[1], [e[3] for e in rec.epochs])
    marks = curves.marks[True]["test"].getData()  # a finished run's markers: the shared items
    np.testing.assert_array_equal(marks[1][-3:], [e[3] for e in rec.epochs])

    hist = window.views["histograms"]
    window.tabs.setCurrentWidget(hist)
    qtbot.waitUntil(lambda: hist.frames > 0)
    assert len(hist.hist_curves) == 2  # one per hidden layer
    assert hist.images[0].image.shape == (len(rec.hist_steps), 42)  # 40 bins and one beyond each end
    hist.kind_box.setCurrentIndex(1)  # weights: one per affine layer
    qtbot.waitUntil(lambda: len(hist.hist_curves) == 3)

    view = window.views["paths"]
    window.tabs.setCurrentWidget(view)
    view.steps.setValue(12)
    view.run_button.click()
    qtbot.waitUntil(lambda: view.done, timeout=5000)
    assert view.frames >= 12  # animated: a step per frame
    for name, curve in view.curves.items():
        np.testing.assert_allclose(np.c_[curve.getOriginalDataset()], view.paths[name])

    exp = window.views["experiments"]
    window.tabs.setCurrentWidget(exp)
    exp.select("optimizer_paths", steps=15)
    exp.start()
    qtbot.waitUntil(lambda: not exp.running, timeout=30000)
    assert exp.error is None and exp.updates > 0  # points arrived while it ran
    qtbot.waitUntil(lambda: exp._drawn == exp.version)
    assert len(exp.curves) == 6 and all(len(c.getOriginalDataset()[0]) == 16 for c in exp.curves.values())


def test_search_view_runs_a_search_with_a_pruner(qtbot, window, tmp_path):
    pytest.importorskip("optuna")
    view = window.views["search"]
    window.tabs.setCurrentWidget(view)
    view.path.setText(str(tmp_path / "pruned.db"))
    view.trials_spin.setValue(6)
    view.epochs_spin.setValue(9)
    view.samples_spin.setValue(250)  # 200 for training: two batches of 100
    view.strategy.setCurrentText("random")
    view.pruner.setCurrentText("successive_halving")
    view.start()
    qtbot.waitUntil(lambda: view.worker is None, timeout=120000)
    assert not view.status.text().startswith("search failed"), view.status.text()
    trials = view.store.trials()
    assert len(trials) == 6 and all(t.state in ("complete", "pruned") for t in trials)
    assert sum(len(t.val_acc) for t in trials) < 6 * 9  # poor trials stopped at a rung


def test_search_view_reads_a_store_live(qtbot, window, tmp_path):
    search = pytest.importorskip("trainlab.search")
    store = search.SearchStore(tmp_path / "s.db")
    rng = np.random.default_rng(0)

    def add(n):
        lr, wd = 10 ** rng.uniform(-6, -2), 10 ** rng.uniform(-8, -4)
        acc = [float(a) for a in np.sort(rng.uniform(0.1, 0.9, 3))]
        store.add_trial(search.Trial(n, 0, "complete", {"lr": lr, "weight_decay": wd}, n, acc, acc, 0.1))

    for n in range(4):
        add(n)
    view = window.views["search"]
    window.tabs.setCurrentWidget(view)
    view.open_store(tmp_path / "s.db")
    qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=5000)
    add(4)  # a trial finishing while the view is open
    qtbot.waitUntil(lambda: view.table.rowCount() == 5, timeout=5000)
    values = [t.value for t in view.trials]
    np.testing.assert_allclose(view.best.getOriginalDataset()[1], np.maximum.accumulate(values))
    assert len(view.scatter.getOriginalDataset()[0]) == 5
    view.table.sortItems(2)  # by validation accuracy
    col = [view.table.item(r, 2).value for r in range(5)]
    assert col == sorted(col)
    view.export_csv(tmp_path / "trials.csv")
    with open(tmp_path / "trials.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [float(r["val_acc"]) for r in rows] == values
    store.close()


def test_long_repaint_loop_does_not_crash(qtbot):
    """1,200 data updates + repaints (the PySide6 6.12 + Py3.11 none_dealloc abort came at ~100)."""
    curves, hist = CurvesView(), HistogramView()
    for v in (curves, hist):
        qtbot.addWidget(v)
        v.resize(500, 350)
        v.show()

    class S:  # the part of a Session the views read
        records = [RunRecord(RunSpec())]

    rec = S.records[0]
    rng = np.random.default_rng(1)
    for i in range(1200):
        arrays = ({"activation": [rng.random(400) for _ in range(2)]}, "relu")  # as probes.collect
        rec.apply_snapshot({"losses": rng.random(25), "epochs": [(i, i, .5, .5)] if i % 50 == 0 else [],
                            "step": 25 * (i + 1), "hist_arrays": arrays if i % 3 == 0 else None})
        assert curves.refresh(S)
        hist.refresh(S)
        qtbot.wait(0) if i % 2 else curves.graphics.repaint()
    assert curves.frames == 1200 and hist.frames == 400 and rec.steps == 30000


@pytest.mark.parametrize("v, up, down", [(1.0, 1.0, 1.0), (1001, 1250, 1000), (0.0231, 0.025, 0.02),
                                         (7.9, 8.0, 6.0), (9.2, 10.0, 8.0), (2.3e-7, 2.5e-7, 2e-7)])
def test_nice_bounds(v, up, down):
    assert nice_ceil(v) == pytest.approx(up) and nice_floor(v) == pytest.approx(down)


def test_a_million_point_curve_is_drawn_decimated_and_in_full_when_zoomed(qtbot):
    """10^6 losses reach pyqtgraph as about two points per pixel, spikes kept; zooming into 400
    steps shows every one of them; new points still arrive."""
    curves = CurvesView()
    qtbot.addWidget(curves)
    curves.resize(900, 500)
    curves.show()

    class S:
        records = [RunRecord(RunSpec(name="big"))]

    rec = S.records[0]
    rng = np.random.default_rng(2)
    losses = 2.0 * np.exp(-np.arange(1_000_000) / 2e5) + 0.1 * rng.random(1_000_000)
    losses[654_321] = 9.0
    rec.apply_snapshot({"losses": losses, "epochs": [(1, 1_000_000, 0.5, 0.5)], "step": 1_000_000})
    assert curves.refresh(S)
    curves.graphics.grab()  # a real paint of the decimated curves
    run = curves._runs[rec.id]
    width = curves.loss_plot.getViewBox().width()
    for item, values in ((run.raw, losses), (run.smooth, curves.smoothed(rec))):
        x, y = item.getData()
        assert 0 < y.size <= 2 * max(256, width) + 4
        assert y.max() == values.max() and y.min() == values.min() and x[-1] == 1_000_000
    x_range, y_range = curves.loss_plot.getViewBox().viewRange()  # following: nice bounds
    assert x_range[0] <= 0 and 1_000_000 <= x_range[1] <= 1.03 * 1_000_000
    assert y_range[0] <= 0 and 9.0 <= y_range[1] <= 1.03 * 10.0
    vb = curves.loss_plot.getViewBox()
    vb.setXRange(100_001, 100_400, padding=0)
    vb.sigRangeChangedManually.emit([True, False])  # what a mouse zoom sends
    assert curves.refresh(S)  # the visible range moved: drawn again
    x, y = run.raw.getData()
    lo, hi = curves._visible(rec.steps)
    np.testing.assert_array_equal(y, losses[lo:hi])
    assert lo <= 100_000 and hi >= 100_400 and y.size < 500
    rec.apply_snapshot({"losses": [0.5] * 10, "epochs": [], "step": 1_000_010})
    assert curves.refresh(S) and rec.steps == 1_000_010
    assert vb.viewRange()[0][1] < 100_500  # the user's zoom is kept while new points arrive
    vb.enableAutoRange()  # pyqtgraph's "A" button: follow the data again
    curves.refresh(S)
    assert curves._visible(rec.steps) == (0, rec.steps) and vb.viewRange()[0][1] >= 1_000_010


def test_event_loop_does_not_stall_while_training(qtbot, window):
    finish_run(qtbot, window, epochs=1, name="warm-up")  # first paints and caches: app start-up
    meter = StallMeter()
    meter.start()
    rec = finish_run(qtbot, window, timeout=120000, hidden=[100, 100, 100, 100], train_size=None,
                     eval_samples=None, batch_size=100, epochs=3)
    meter.stop()
    print(f"\nmax event-loop stall while training: {meter.max_stall_ms:.1f} ms over {meter.beats} beats; "
          f"{rec.steps} steps at {rec.steps_per_second:.0f} steps/s; {window.frames} frames")
    assert rec.steps == 180 and window.frames > 0 and meter.beats > 0
    assert meter.max_stall_ms < 250  # goal 100 ms; loose for a loaded CI machine


def test_finished_runs_are_drawn_by_the_cached_layer_as_before(qtbot):
    """A run that finishes is painted onto the layer's image, which then matches an image made
    from all curves again; its curves are no longer painted by Qt (the export test exports a
    finished run through the layer)."""
    curves = CurvesView()
    qtbot.addWidget(curves)
    curves.resize(700, 450)
    curves.show()

    class S:
        records = []

    rng = np.random.default_rng(5)
    for i in range(3):
        rec = RunRecord(RunSpec(name=f"r{i}"))
        rec.apply_snapshot({"losses": 2.0 - 0.3 * i + 0.2 * rng.random(500), "step": 500,
                            "epochs": [(e, 100 * e, 0.5 + e / 10, 0.45 + e / 10) for e in range(1, 6)]})
        rec.status = "finished" if i < 2 else "running"
        S.records.append(rec)
    layer = curves.layers["loss"]

    def frame():
        curves.refresh(S)
        return curves.graphics.grab().toImage()

    frame()
    assert len(layer.curves) == 4 and layer.renders == 1
    live = curves._runs[S.records[2].id].smooth.curve
    assert not live.flags() & live.GraphicsItemFlag.ItemHasNoContents
    S.records[2].status = "finished"
    S.records[2].version += 1
    incremental = frame()
    assert len(layer.curves) == 6 and layer.renders == 1  # painted onto the image
    assert live.flags() & live.GraphicsItemFlag.ItemHasNoContents
    layer.invalidate()
    full = frame()
    assert layer.renders == 2

    def pixels(img):
        img = img.convertToFormat(QImage.Format.Format_RGB32)
        return np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.width(), 4).astype(int)

    a, b = pixels(incremental), pixels(full)
    assert a.shape == b.shape and np.abs(a - b).max() <= 2  # premultiplied rounding at most
    color = QColor(S.records[2].color)  # the run that finished last is drawn, in its colour
    bgr = np.array([color.blue(), color.green(), color.red()])
    assert (np.abs(b[..., :3] - bgr).sum(axis=2) <= 6).sum() > 200


def test_starting_a_run_with_12_finished_runs_overlaid_does_not_stall(qtbot, window):
    """The finished runs are painted from one cached image per plot (not made again while the
    new run trains), the new run's items are made before its thread starts, and the event loop
    stays responsive (before: 106-136 ms stalls with 10+ runs overlaid in the benchmark; the
    meter also counts the drawing done at the start, before the worker thread runs)."""
    finish_run(qtbot, window, epochs=1, name="warm-up")
    rng = np.random.default_rng(3)
    done = []
    for i in range(12):
        rec = RunRecord(RunSpec(name=f"done-{i}"))
        rec.apply_snapshot({"losses": 2.3 * np.exp(-np.arange(2000) / 400) + 0.2 * rng.random(2000),
                            "epochs": [(e, 100 * e, 0.8 + e / 200, 0.78 + e / 210) for e in range(1, 21)],
                            "step": 2000})
        rec.status = "finished"
        done.append(rec)
    window.session.add(done)
    curves = window.views["curves"]
    window.tabs.setCurrentWidget(curves)
    loss_layer = curves.layers["loss"]
    qtbot.waitUntil(lambda: len(loss_layer.curves) == 2 * 13 and loss_layer.renders > 0)
    qtbot.wait(100)
    renders = loss_layer.renders
    meter = StallMeter()
    meter.start()
    with qtbot.waitSignal(window.session.run_finished, timeout=120000):
        rec = window.session.start(spec(**dict(hidden=[100, 100, 100, 100], train_size=None,
                                                    eval_samples=None, batch_size=100, epochs=3)))
        assert rec.id in curves._runs  # made before the worker thread started
    meter.stop()
    print(f"\nwith 13 finished runs overlaid: max event-loop stall {meter.max_stall_ms:.1f} ms over "
          f"{meter.beats} beats; {rec.steps_per_second:.0f} steps/s; layer images made "
          f"{loss_layer.renders - renders}")
    assert rec.steps == 180 and curves._runs[rec.id].version > 0 and meter.beats > 0
    assert loss_layer.renders - renders <= 2  # the finished runs were not painted again per frame
    # goal 100 ms (measured 33-74 ms here, 86-146 ms when others' jobs made the VM
    # 3x slower); loose for a loaded CI machine
    assert meter.max_stall_ms < 250


def test_exported_png_and_csv_are_correct(qtbot, window, tmp_path):
    rec = finish_run(qtbot, window, epochs=2)
    curves = window.views["curves"]
    qtbot.waitUntil(lambda: rec.id in curves._runs and curves._runs[rec.id].version == rec.version)
    curves.export_png(tmp_path / "loss.png", "loss")
    curves.export_png(tmp_path / "all.png")
    img = QImage(str(tmp_path / "loss.png"))
    assert not img.isNull() and img.width() > 100
    run_color = QColor(rec.color)
    assert any(_near(QColor(img.pixel(x, y)), run_color)  # the smoothed line is in it
               for x in range(0, img.width(), 2) for y in range(0, img.height(), 2))
    assert QImage(str(tmp_path / "all.png")).height() > img.height()  # both plots

    curves.export_csv(tmp_path / "curves.csv")
    with open(tmp_path / "curves.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    np.testing.assert_array_equal([float(r["loss"]) for r in rows], rec.losses.view())
    np.testing.assert_allclose([float(r["smoothed"]) for r in rows], ema(rec.losses.view(), 0.6))
    with open(tmp_path / "curves_epochs.csv", newline="") as f:
        assert [float(r["test_acc"]) for r in csv.DictReader(f)] == [e[3] for e in rec.epochs]

    hist = window.views["histograms"]
    window.tabs.setCurrentWidget(hist)
    hist.kind_box.setCurrentIndex(1)  # weights
    qtbot.waitUntil(lambda: hist.record is rec and len(hist.hist_curves) == 3)
    hist.export_csv(tmp_path / "w.csv", "histogram 1")
    hist.export_png(tmp_path / "w.png", "over time 1")
    with open(tmp_path / "w.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    per_step = {}
    for r in rows:
        per_step[r["step"]] = per_step.get(r["step"], 0) + int(r["count"])
    assert len(per_step) == len(rec.hist_steps) and set(per_step.values()) == {784 * 40}
    assert not QImage(str(tmp_path / "w.png")).isNull()

    view = window.views["paths"]
    view.export_csv(tmp_path / "paths.csv")
    with open(tmp_path / "paths.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["optimizer"] == "Adam"]
    ref = paths.trajectory("Adam", 0.3, 30)
    np.testing.assert_allclose([[float(r["x"]), float(r["y"])] for r in rows], ref)


def _near(a: QColor, b: QColor, tol=40):
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < tol


def test_save_and_load_runs_in_the_window(qtbot, window, tmp_path):
    rec = finish_run(qtbot, window, epochs=1)
    window.save_runs(tmp_path / "runs.json")
    (back,) = window.load_runs(tmp_path / "runs.json")
    assert back.id != rec.id and len(window.session.records) == 2
    np.testing.assert_array_equal(back.losses.view(), rec.losses.view())
    assert back.epochs == rec.epochs and back.spec == rec.spec
    qtbot.waitUntil(lambda: back.id in window.views["curves"]._runs)
    assert window.runs.tree.topLevelItemCount() == 2


def test_scripted_mode_writes_screenshot_and_report(tmp_path):
    shot, report = tmp_path / "shot.png", tmp_path / "report.json"
    env = gui_env()
    cmd = [sys.executable, "-m", "trainlab_gui", "--run", "smoke", "--dataset", "sample",
           "--set", "epochs=2", "--set", "hidden=30", "--set", "train_size=500", "--until-done",
           "--exit-after", "90", "--size", "900x600", "--screenshot", str(shot), "--report", str(report)]
    subprocess.run(cmd, env=env, check=True, timeout=120, capture_output=True)
    data = json.loads(report.read_text())
    assert data["run"] == "smoke" and data["status"] == "finished"
    assert data["iterations"] == 10 and data["epochs"] == 3 and data["frames_drawn"] > 0
    assert data["max_event_loop_stall_ms"] >= 0 and data["throughput_steps_per_s"] > 0
    img = QImage(str(shot))
    assert img.width() >= 900 and img.height() >= 600  # at least the asked size (minimum widths)


def test_a_diverging_run_is_shown_and_the_app_stays_usable(qtbot, window):
    rec = finish_run(qtbot, window, epochs=3, optimizer="sgd", hyperparameters={"lr": 1e6}, name="too-fast")
    assert rec.status == "diverged" and rec.stop_reason.startswith("diverged")
    assert np.all(np.isfinite(rec.losses.view()))  # only the finite steps were recorded
    window.session.active = rec
    window._status()
    assert "diverged: loss became" in window.statusBar().currentMessage()
    after = finish_run(qtbot, window, epochs=1, name="after")
    assert after.status == "finished" and after.final_test_acc > 0.3  # chance is 0.1
