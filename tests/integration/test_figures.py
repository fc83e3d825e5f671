"""The experiments' figures (figures.describe) and the command line's PNGs drawn from them: every
axis named, loss and accuracy apart, accuracy 0..1, the data inside the axes, legends outside
them, the dataset in the title, one colour per optimizer everywhere."""
import numpy as np
import pytest

from trainlab.engine import load_data
from trainlab.experiments import EXPERIMENTS, figures, palette, run_experiment

SMALL = {
    "optimizer_paths": {"steps": 8},
    "compare_optimizers": {"iterations": 40, "hidden": (20, 20)},
    "compare_weight_init": {"iterations": 40, "hidden": (20, 20)},
    "activation_histograms": {"n_inputs": 100, "n_nodes": 20, "symmetry_steps": 0,
                              "activations": ("sigmoid", "relu"), "weight_inits": ("he", "0.01")},
    "batchnorm_sweep": {"n_scales": 4, "epochs": 2, "train_size": 200, "hidden": (20, 20)},
    "overfitting": {"train_size": 100, "test_size": 200, "epochs": 3, "hidden": (20, 20)},
    "ensemble": {"members": 2, "iterations": 20, "hidden": (20,), "train_size": 500, "test_size": 200},
    "hyperparameter_search": {"n_trials": 3, "epochs": 2, "train_size": 300, "n_workers": 1,
                              "hidden": (20, 20), "top": 3},
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    loaded = load_data("sample")
    out = {}
    for name, options in SMALL.items():
        if name == "hyperparameter_search":
            options = dict(options, store=str(tmp_path_factory.mktemp("s") / "s.db"))
        out[name] = run_experiment(name, (loaded.train, loaded.test), **options)
    return out


def test_every_experiment_has_a_figure_here():
    assert sorted(SMALL) == sorted(EXPERIMENTS)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_figure_rules(results, name):
    result = results[name]
    figure = figures.describe(name, result.series, result.params)
    marked = set()
    for page in figure.pages.values():
        for panel in page.panels:
            assert panel.x_label and panel.y_label and panel.title
            kinds = {"loss" if m.series.endswith("loss") or m.smooth else "acc" if "acc" in m.series
                     else "other" for m in panel.marks}
            assert not {"loss", "acc"} <= kinds  # never on one axis
            assert panel.accuracy == (kinds == {"acc"} or "accuracy" in panel.y_label)
            assert not (panel.x_label.startswith("epochs") and "iterations" in kinds)
            marked |= {m.series for m in panel.marks}
    assert {n for n in result.series if not n.startswith("smoothed/")} <= marked


@pytest.mark.parametrize("name", sorted(SMALL))
def test_png_is_legible(results, name, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    import matplotlib.text

    from trainlab.experiments import plots

    fig = plots.make_figure(results[name], dataset="fashion-mnist")
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any("fashion-mnist" in t for t in texts)  # the title names the dataset
    for sub in fig.subfigs:
        shared = (sub.get_supxlabel() if hasattr(sub, "get_supxlabel") else "")
        for ax in sub.axes:
            if not ax.get_visible():
                continue
            assert ax.get_legend() is None  # legends are the page's, outside the panels
            assert ax.get_xlabel() or ax.get_ylabel() or shared or any(
                a.get_xlabel() for a in sub.axes)  # labelled here or beside the grid
            lo, hi = ax.get_ylim()
            for line in ax.get_lines():
                y = np.asarray(line.get_ydata(), dtype=float)
                if line.get_alpha() is not None and line.get_alpha() < 0.5:
                    continue  # the faded raw curve under a smoothed one
                y = y[np.isfinite(y)]
                assert y.size == 0 or (lo <= y.min() + 1e-9 and y.max() <= hi + 1e-9), ax.get_title()
    fig.savefig(tmp_path / "f.png", dpi=60)


def test_the_loss_axis_fits_the_first_points(results):
    """The book's fixed 0..2.5 cut AdaGrad's first smoothed points off: the axis fits them."""
    result = results["compare_optimizers"]
    figure = figures.describe("compare_optimizers", result.series)
    page = figure.pages["loss"]
    shown = {0: [figures.drawn_values(m, result.series[m.series].x, result.series[m.series].y)[1]
                 for m in page.panels[0].marks]}
    lo, hi = figures.page_ranges(page, shown, False)[0]
    top = max(max(v) for v in shown[0])
    assert lo == 0.0 and top <= hi <= 1.1 * top


def test_one_colour_per_optimizer_and_setting_everywhere(results):
    paths = figures.describe("optimizer_paths", results["optimizer_paths"].series)
    losses = figures.describe("compare_optimizers", results["compare_optimizers"].series)
    colours = {}
    for fig in (paths, losses):
        for page in fig.pages.values():
            for panel in page.panels:
                for m in panel.marks:
                    name = m.series.split("/")[-1]
                    assert colours.setdefault(name, m.color) == m.color
    assert colours["Adam"] == palette.color("adam") != colours["SGD"]
    assert palette.color("weight_decay=0.1") == palette.color("weight_decay=0.5")
    assert palette.color("std=0.01") == palette.color("w=1.00e-02") != palette.color("He")
    assert len(set(palette.SEQUENCE)) == 20  # 20 colours before one repeats


def test_accuracy_ranges_and_zoom():
    page = figures.Page([figures.Panel("a", "epochs", "accuracy", accuracy=True),
                         figures.Panel("b", "epochs", "accuracy", accuracy=True)], 2)
    shown = {0: [np.array([0.80, 0.85])], 1: [np.array([0.70, 0.90])]}
    assert figures.page_ranges(page, shown, False) == [(0.0, 1.0), (0.0, 1.0)]
    zoomed = figures.page_ranges(page, shown, True)
    assert zoomed[0] == zoomed[1] and zoomed[0][0] < 0.70 and 0.90 < zoomed[0][1] <= 1.0
    assert figures.y_values_shown(page, 0, True) and not figures.y_values_shown(page, 1, True)


def test_a_sweep_panel_says_when_the_network_without_batch_norm_diverged():
    names = ["bn/w=1.00e+00/train_acc", "plain/w=1.00e+00/train_acc",
             "bn/w=1.00e-02/train_acc", "plain/w=1.00e-02/train_acc"]
    summary = {"per_scale": [{"weight_scale": 1.0, "plain_diverged": "diverged: loss became inf"},
                             {"weight_scale": 0.01, "plain_diverged": None}]}
    panels = figures.describe("batchnorm_sweep", names, summary=summary).pages["train accuracy"].panels
    assert [p.title for p in panels] == ["weight std 1 (Normal diverged)", "weight std 0.01"]
