"""Every registered experiment runs to completion in the app's experiments view (small options)
and its figure draws every series it produced, on labelled axes; the scripted mode reports an
experiment's outcome and fails with it."""
import json
import subprocess
import sys

import gui_setup  # offscreen Qt, skips without the GUI extras: first
import numpy as np
import pytest

from trainlab.engine import load_data
from trainlab.experiments import EXPERIMENTS
from trainlab_gui.views.experiments import ExperimentsView

pytestmark = pytest.mark.timeout(240)

# Options that make each experiment take a second or two; a new experiment needs an entry.
SMALL = {
    "optimizer_paths": {"steps": 5},
    "compare_optimizers": {"iterations": 20, "hidden": "20,20"},
    "compare_weight_init": {"iterations": 20, "hidden": "20,20"},
    "activation_histograms": {"n_inputs": 100, "n_nodes": 20, "n_layers": 3, "symmetry_steps": 2},
    "batchnorm_sweep": {"n_scales": 2, "epochs": 2, "train_size": 200, "hidden": "20,20"},
    "overfitting": {"train_size": 100, "test_size": 200, "epochs": 2, "hidden": "20,20"},
    "ensemble": {"members": 2, "iterations": 20, "hidden": "20", "train_size": 500, "test_size": 200},
    "hyperparameter_search": {"n_trials": 3, "epochs": 2, "train_size": 300, "n_workers": 1,
                              "hidden": "20,20", "top": 3},
}


@pytest.fixture(scope="module", autouse=True)
def _data():
    load_data("sample")


def test_every_registered_experiment_has_small_options():
    assert sorted(SMALL) == sorted(EXPERIMENTS)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_experiment_runs_in_the_app_and_draws_its_series(qtbot, name, tmp_path):
    view = ExperimentsView()
    qtbot.addWidget(view)
    view.resize(1100, 750)
    view.show()
    options = dict(SMALL[name])
    if name == "hyperparameter_search":
        options["store"] = str(tmp_path / "search.db")
    view.select(name, dataset="sample", **options)
    assert view.start()
    assert view.stop_button.isEnabled() and not view.run_button.isEnabled()
    qtbot.waitUntil(lambda: not view.running, timeout=200000)
    outcome = view.outcome()
    assert outcome["status"] == "finished", outcome["error"]
    assert outcome["error"] is None and outcome["series"]
    assert view.progress.text().endswith("finished") and view.run_button.isEnabled()

    view.refresh()  # the figure's pages are known once it is drawn
    drawn = set()
    for page in [view.page.itemText(i) for i in range(view.page.count())]:
        view.page.setCurrentText(page)
        view.refresh()
        for panel, plot in view.canvas.plots:
            assert panel.x_label and panel.y_label  # named on the panel or beside the grid
            assert not (panel.accuracy and any(m.series.endswith("loss") for m in panel.marks))
            if panel.accuracy and not view.zoom.isChecked():
                assert plot.vb.viewRange()[1] == pytest.approx([0.0, 1.0])
        for series, marks in view.canvas.items.items():
            xs, ys = view.series[series]
            for mark, _, items in marks:
                x, y = items[-1].getOriginalDataset()
                finite = np.isfinite(ys.view())
                if mark.style == "steps":  # a histogram: bin edges, one more than counts
                    assert len(x) == len(ys) + 1 and np.array_equal(y, ys.view())
                elif finite.any():
                    assert y is not None and len(y) > 0
                drawn.add(series)
    produced = {n for n in view.result.series if not n.startswith("smoothed/")}
    assert produced <= drawn, f"not drawn: {sorted(produced - drawn)}"


def test_an_experiment_with_a_bad_option_fails_and_says_why(qtbot):
    view = ExperimentsView()
    qtbot.addWidget(view)
    view.select("batchnorm_sweep", n_scales="abc")
    with qtbot.waitSignal(view.done, timeout=5000):
        assert not view.start()
    assert view.outcome()["status"] == "failed" and "n_scales" in view.outcome()["error"]
    assert view.progress.text() == "failed" and not view.running


def test_the_description_follows_the_options(qtbot):
    view = ExperimentsView()
    qtbot.addWidget(view)
    view.select("batchnorm_sweep", n_scales=4)
    assert "4 initial weight scales" in view.description.text()
    assert "16" not in view.description.text().split("(")[0]


def _gui(tmp_path, *args):
    env = gui_setup.gui_env()
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "trainlab_gui", *args, "--until-done",
                           "--exit-after", "120", "--size", "900x600", "--report", str(report)],
                          env=env, timeout=180, capture_output=True, text=True)
    return proc, json.loads(report.read_text())


def test_scripted_mode_reports_a_finished_experiment(tmp_path):
    proc, report = _gui(tmp_path, "--experiment", "activation_histograms", "--option", "n_inputs=100",
                        "--option", "symmetry_steps=2")
    assert proc.returncode == 0, proc.stderr
    outcome = report["experiment"]
    assert outcome["name"] == "activation_histograms" and outcome["status"] == "finished"
    assert outcome["error"] is None and "relu/He/layer5" in outcome["series"]


def test_scripted_mode_fails_with_a_failed_experiment(tmp_path):
    proc, report = _gui(tmp_path, "--experiment", "batchnorm_sweep", "--option", "epochs=-1")
    assert proc.returncode == 1
    assert "batchnorm_sweep failed: ValueError: epochs must be an integer >= 1" in proc.stderr
    assert report["experiment"]["status"] == "failed" and "epochs" in report["experiment"]["error"]


def test_a_figure_with_pages_waits_for_its_first_series(qtbot):
    """activation_histograms' pages come from its series: before the first, nothing is drawn
    (a redraw in that moment raised IndexError)."""
    view = ExperimentsView()
    qtbot.addWidget(view)
    view.select("optimizer_paths")
    view._clear("optimizer_paths")
    view.on_updated({"SGD": (np.array([-7.0]), np.array([2.0]), False)})
    view.refresh()
    assert view.canvas.plots
    view._clear("activation_histograms")
    assert view.refresh() and view.page.count() == 0 and not view.canvas.plots


def test_another_experiment_starts_at_its_first_page(qtbot):
    view = ExperimentsView()
    qtbot.addWidget(view)
    view._clear("compare_weight_init")
    view.on_updated({"He": (np.array([0.0]), np.array([2.3]), False)})
    view.refresh()
    assert view.page.currentText() == "loss"
    view._clear("batchnorm_sweep")  # its pages: 'train accuracy', 'loss'
    view.on_updated({"bn/w=1.00e+00/train_acc": (np.array([0.0]), np.array([0.1]), False),
                     "bn/w=1.00e+00/loss": (np.array([0.0]), np.array([2.3]), False)})
    view.refresh()
    assert view.page.currentText() == "train accuracy"
