"""Jupyter support outside a kernel: how results show themselves (figure, HTML table, text), the
LivePlot's curves, throttling and errors, progress bars, and that ``import trainlab`` loads none
of it. tests/integration/test_notebooks.py runs the same in a real kernel."""
import io
import subprocess
import sys
import warnings

import numpy as np
import pytest

from trainlab.experiments import ExperimentResult, ProgressBar, run_experiment
from trainlab.experiments import display, plots

matplotlib = pytest.importorskip("matplotlib")

from trainlab.notebook import LivePlot  # noqa: E402
from trainlab.notebook._figure import _bucket_means, _moving_average  # noqa: E402


def _trainer(**options):
    from trainlab import MultiLayerNetExtend, Trainer

    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((60, 8)), rng.integers(0, 3, 60)
    network = MultiLayerNetExtend(8, [6], 3, dtype=np.float64, seed=0)
    return Trainer(network, x, t, x[:20], t[:20], epochs=3, mini_batch_size=20, seed=0,
                   evaluate="epochs", **{"verbose": False, **options})


def _small_result():
    return run_experiment("optimizer_paths", optimizers=["sgd", "adam"], steps=5)


# -- results display themselves ---------------------------------------------------------------------
def test_plot_is_the_command_lines_figure():
    result = _small_result()
    figure = result.plot()
    assert isinstance(figure, matplotlib.figure.Figure)
    assert [ax.get_title() for ax in figure.axes] == \
        [ax.get_title() for ax in plots.make_figure(result).axes]


def test_png_and_html_show_figure_and_summary_table():
    result = _small_result()
    png = result._repr_png_()
    assert png.startswith(b"\x89PNG")
    page = result._repr_html_()
    assert "<img src=\"data:image/png;base64," in page and "<table>" in page
    assert "final_f" in page and "SGD" in page and result.summary["headline"] in page
    text = repr(result)
    assert text.startswith("optimizer_paths: final f:") and "final_f" in text and "params:" in text
    assert len(text.splitlines()) < 12   # a summary, not the points


def test_png_is_drawn_once_until_the_result_changes(monkeypatch):
    result = _small_result()
    calls = []
    real = plots.make_figure
    monkeypatch.setattr(plots, "make_figure", lambda r, **kw: calls.append(1) or real(r, **kw))
    result._repr_png_(), result._repr_html_(), result._repr_png_()
    assert len(calls) == 1
    result.series["SGD"].append(0.0, 0.0)
    result._repr_html_()
    assert len(calls) == 2


def test_display_without_matplotlib_falls_back_to_the_table(monkeypatch):
    monkeypatch.setattr(plots, "matplotlib_available", lambda: False)
    result = _small_result()
    assert result._repr_png_() is None
    page = result._repr_html_()
    assert "<img" not in page and "<table>" in page and "pip install" in page


def test_a_figure_that_fails_says_why_and_keeps_the_table(monkeypatch):
    def broken(result, **kw):
        raise KeyError("contour_x")
    monkeypatch.setattr(plots, "make_figure", broken)
    result = _small_result()
    assert result._repr_png_() is None
    page = result._repr_html_()
    assert "could not be drawn" in page and "contour_x" in page and "<table>" in page


def test_figures_made_without_pyplot_display_in_a_kernel(monkeypatch):
    ipython = pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter

    class Shell:   # what enable_figure_display looks at in a kernel
        kernel = object()
        display_formatter = DisplayFormatter()

    figure = _small_result().plot()
    monkeypatch.setattr(ipython, "get_ipython", lambda: None)
    display.enable_figure_display()   # outside a kernel: nothing to do
    shell = Shell()
    assert "image/png" not in shell.display_formatter.format(figure)[0]
    monkeypatch.setattr(ipython, "get_ipython", lambda: shell)
    display.enable_figure_display()
    data, _ = shell.display_formatter.format(figure)
    assert "image/png" in data
    png = shell.display_formatter.formatters["image/png"]
    mine = png.lookup_by_type(matplotlib.figure.Figure)
    display.enable_figure_display()   # a formatter already there is kept
    assert png.lookup_by_type(matplotlib.figure.Figure) is mine


def test_summary_tables_group_rows_of_the_same_columns():
    summary = {"SGD": {"test_acc": 0.8, "diverged": None}, "Adam": {"test_acc": 0.9, "diverged": None},
               "symmetry": {"equal": [0.0] * 8, "he": [0.5]}, "per_scale": [{"s": 1.0}, {"s": 0.5}],
               "bn_wins": 3, "headline": "h"}
    tables = display.summary_tables(summary)
    assert tables[0].header == ["", "test_acc", "diverged"]
    assert [row[0] for row in tables[0].rows] == ["SGD", "Adam"]
    assert tables[0].rows[0][1:] == ["0.8", "–"]
    symmetry = next(t for t in tables if t.title == "symmetry")
    assert symmetry.rows[0] == ["equal", "0, 0, 0, 0, 0, 0, … (8)"]
    assert next(t for t in tables if t.title == "per_scale").rows == [["1", "1"], ["2", "0.5"]]
    assert ["bn_wins", "3"] in next(t for t in tables if t.header == ["", "value"] and not t.title).rows
    assert not any("h" == row[-1] for t in tables for row in t.rows)   # the headline is the caption


def test_html_escapes_names():
    result = ExperimentResult("x", {"note": "<b>"}, summary={"<script>": 1, "headline": "a<b"})
    result.add_series("s", [0, 1], [1, 0])
    page = result._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "a&lt;b" in page


# -- progress bars --------------------------------------------------------------------------------
def test_run_experiment_progress_true_draws_a_bar(capsys):
    run_experiment("optimizer_paths", optimizers=["sgd"], steps=3, progress=True)
    err = capsys.readouterr().err
    assert "optimizer_paths" in err and "100%" in err
    run_experiment("optimizer_paths", optimizers=["sgd"], steps=3, progress=False)
    assert capsys.readouterr().err == ""


def test_progress_bar_shows_the_values_and_starts_again_after_close(capsys):
    bar = ProgressBar("demo")
    bar(1, 4, {"loss": 0.25})
    bar(4, 4, {"loss": 0.125, "phase": "He"})
    first = bar.bar
    bar.close()
    err = capsys.readouterr().err
    assert "demo" in err and "4/4" in err and "loss 0.125, phase He" in err
    bar(1, 2, None)
    assert bar.bar is not first and bar.bar.total == 2
    bar.close()


# -- LivePlot -------------------------------------------------------------------------------------
def test_outside_a_kernel_nothing_is_drawn_until_finish(tmp_path):
    path = tmp_path / "curves.png"
    live = LivePlot("demo", path=path, progress=False)
    assert live.live is False
    trainer = live.attach(_trainer())
    trainer.train()   # its 'end' callback calls finish()
    assert live.redraws == 0 and path.read_bytes().startswith(b"\x89PNG")
    figure = live.figure()
    labels = [(ax.get_xlabel(), ax.get_ylabel()) for ax in figure.axes]
    assert labels == [("iteration", "loss"), ("epoch", "accuracy")]
    loss_lines = figure.axes[0].get_lines()
    assert len(loss_lines) == 2 and len(loss_lines[0].get_xdata()) == trainer.max_iter
    accuracy = figure.axes[1].get_lines()   # train and test, epochs 0..3
    assert [len(line.get_xdata()) for line in accuracy] == [4, 4]


def test_series_names_choose_the_axis_and_the_model():
    live = LivePlot(progress=False)
    for name in ("baseline/loss", "baseline/train_acc", "baseline/test_acc", "SGD", "best_val_acc"):
        live.update(name, 0, 0.5)
    kinds = {name: (c.model, c.kind, c.subset) for name, c in live._curves.items()}
    assert kinds == {"baseline/loss": ("baseline", "loss", ""),
                     "baseline/train_acc": ("baseline", "accuracy", "train"),
                     "baseline/test_acc": ("baseline", "accuracy", "test"),
                     "SGD": ("SGD", "loss", ""), "best_val_acc": ("best_val_acc", "accuracy", "")}
    legend = live.figure().legends[0]
    assert [t.get_text() for t in legend.get_texts()] == \
        ["baseline", "SGD", "best_val_acc", "train accuracy", "test accuracy"]


def test_series_filter_and_several_trainers_in_one_figure():
    live = LivePlot(series="*/loss", progress=False)
    for label in ("first", "second"):
        live.attach(_trainer(), label=label).train()
    assert sorted(live._curves) == ["first/loss", "second/loss"]
    assert len(live.figure().axes) == 1


def test_bad_settings_and_points_are_named():
    for kwargs, word in ((dict(interval=0), "interval"), (dict(max_points=5), "max_points"),
                         (dict(figsize="big"), "figsize"), (dict(series=[1]), "series"),
                         (dict(accuracy=3), "accuracy")):
        with pytest.raises(ValueError, match=word):
            LivePlot(**kwargs)
    live = LivePlot(progress=False)
    with pytest.raises(ValueError, match="sigmoid/He/layer1.*result.plot"):
        live.update("sigmoid/He/layer1", np.arange(3.0), np.arange(3))
    trainer = _trainer()
    live.attach(trainer)
    with pytest.raises(ValueError, match="already attached"):
        live.attach(trainer)


def test_a_printing_trainer_is_warned_about():
    with pytest.warns(UserWarning, match="verbose=False"):
        LivePlot(progress=False).attach(_trainer(verbose=True))


def test_diverged_and_exploding_losses_still_draw():
    live = LivePlot(progress=False)
    for i in range(200):
        live.update("ok", i, 1.0 / (i + 1))
        live.update("bad", i, np.inf if i == 150 else (np.nan if i > 150 else 1e30 if i == 149 else 2.0))
    figure = live.figure()
    low, high = figure.axes[0].get_ylim()
    assert np.isfinite([low, high]).all() and high < 1e6
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")


def test_redraws_are_throttled(monkeypatch):
    import trainlab.notebook as nb

    clock = [0.0]
    monkeypatch.setattr(nb.time, "perf_counter", lambda: clock[0])
    live = LivePlot(interval=0.5, progress=False)
    shown = []
    monkeypatch.setattr(live, "_show", lambda png: shown.append(live._points))
    monkeypatch.setattr(live, "_png", lambda: setattr(live, "_drawn_points", live._points) or b"png")
    live.live = True
    for i in range(10_000):   # 10 s of steps at 1 ms each
        clock[0] = i / 1000
        live.update("loss", i, 1.0)
    assert 18 <= len(shown) <= 21   # about every 0.5 s
    assert shown == sorted(shown)
    live.finish()
    assert shown[-1] == 10_000   # the last points are drawn at the end


def test_bucket_means_and_moving_average():
    x = np.arange(1000.0)
    y = np.where(x % 2 == 0, 1.0, 3.0)
    y[10] = np.nan
    xs, ys = _bucket_means(x, y, 100)
    assert len(xs) == 100 and xs[0] == 4.5 and ys[0] == 2.0
    assert ys[1] == pytest.approx((5 * 3.0 + 4 * 1.0) / 9)   # the NaN is left out of its group
    assert len(_bucket_means(x[:50], y[:50], 100)[0]) == 50
    assert np.allclose(_moving_average(np.full(30, 2.0), 7), 2.0)
    smooth = _moving_average(np.array([1.0, np.nan, 3.0, 5.0]), 3)
    assert smooth.tolist() == [1.0, 2.0, 4.0, 4.0]


# -- import cost ----------------------------------------------------------------------------------
def test_import_trainlab_loads_no_notebook_machinery():
    code = "import trainlab, trainlab.engine, trainlab.experiments"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
              if "|" in line}
    for heavy in ("IPython", "matplotlib", "ipywidgets", "nbformat", "ipykernel", "tqdm"):
        assert heavy not in loaded, f"import trainlab loads {heavy}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        import trainlab.notebook  # noqa: F401  (importable without IPython imported)
