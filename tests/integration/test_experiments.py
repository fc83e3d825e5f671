"""The experiments' machinery on the embedded sample: each runs with tiny settings, hooks work,
save() writes parseable JSON/CSV, bad parameters are named, and the numbers that need no training
(optimizer paths, activation statistics, symmetry) are the book's."""
import csv
import json

import numpy as np
import pytest

from trainlab.datasets import load_dataset
from trainlab.experiments import EXPERIMENTS, run_experiment
from trainlab.experiments import smooth_curve
from trainlab.reference import book

# Tiny settings per experiment: every one finishes in about a second on the sample.
TINY = {
    "optimizer_paths": dict(steps=5),
    "compare_optimizers": dict(iterations=15, batch_size=32, hidden=(20, 20)),
    "activation_histograms": dict(n_inputs=50, n_nodes=20, n_layers=3, symmetry_steps=3),
    "compare_weight_init": dict(iterations=15, batch_size=32, hidden=(20, 20)),
    "batchnorm_sweep": dict(n_scales=2, train_size=100, epochs=2, batch_size=20, hidden=(20, 20)),
    "overfitting": dict(train_size=60, test_size=100, epochs=2, batch_size=20, hidden=(20, 20)),
    "ensemble": dict(members=2, iterations=10, batch_size=20, hidden=(20,), test_size=200),
}
CHAPTER = list(TINY)


pytestmark = pytest.mark.usefixtures("one_blas_thread")


@pytest.fixture(scope="module")
def sample():
    return load_dataset("sample", progress=False)


def test_registry_lists_the_chapter_in_order_with_defaults_from_the_signatures():
    assert list(EXPERIMENTS)[:7] == CHAPTER
    spec = EXPERIMENTS["compare_optimizers"]
    assert spec.defaults["iterations"] == 2000 and spec.defaults["batch_size"] == 128
    assert "progress" not in spec.defaults and "seed" not in spec.defaults
    assert not EXPERIMENTS["optimizer_paths"].needs_data and spec.needs_data
    for spec in EXPERIMENTS.values():
        assert spec.description and set(spec.param_help) <= set(spec.defaults)


@pytest.mark.parametrize("name", CHAPTER)
def test_each_experiment_runs_reports_progress_and_saves(name, sample, tmp_path):
    calls, updates = [], []
    result = run_experiment(name, sample, **TINY[name], progress=lambda d, t, i: calls.append((d, t)),
                            on_update=lambda s, x, y: updates.append(s))
    assert not result.stopped and result.series and result.timings["total"] > 0
    assert calls and calls[-1][0] == calls[-1][1]  # progress reaches its total
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert set(updates) <= set(result.series) and updates
    assert "headline" in result.summary
    files = result.save(tmp_path)
    saved = json.loads(files["json"].read_text())
    assert saved["experiment"] == name and saved["series"].keys() == result.series.keys()
    with files["csv"].open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(len(s.x) for s in result.series.values())
    assert {r["series"] for r in rows} == {n for n, s in result.series.items() if s.x}


@pytest.mark.parametrize("name", ["compare_optimizers", "overfitting", "ensemble"])
def test_should_stop_ends_early_with_the_data_so_far(name, sample):
    polls = []

    def should_stop():  # polled between rounds of steps; the first round is one step
        polls.append(1)
        return len(polls) > 1

    result = run_experiment(name, sample, **TINY[name], should_stop=should_stop)
    full = run_experiment(name, sample, **TINY[name])
    assert result.stopped and not full.stopped
    assert sum(len(s.x) for s in result.series.values()) < sum(len(s.x) for s in full.series.values())


def test_same_seed_same_numbers_other_seed_other_numbers(sample):
    a = run_experiment("compare_weight_init", sample, **TINY["compare_weight_init"], seed=3)
    b = run_experiment("compare_weight_init", sample, **TINY["compare_weight_init"], seed=3)
    c = run_experiment("compare_weight_init", sample, **TINY["compare_weight_init"], seed=4)
    assert a.series["He"].y == b.series["He"].y
    assert a.series["He"].y != c.series["He"].y


def test_rounds_of_steps_do_not_change_the_numbers(sample, monkeypatch):
    """Models trained side by side go through a round of steps each on its own thread; the
    batches are drawn in the same order whatever the round size, so every loss is the same bit
    for bit."""
    from trainlab import Trainer

    params = dict(TINY["compare_optimizers"], iterations=40)
    monkeypatch.setattr(Trainer, "MAX_ROUND", 1)
    one_by_one = run_experiment("compare_optimizers", sample, **params)
    monkeypatch.setattr(Trainer, "MAX_ROUND", 64)
    monkeypatch.setattr(Trainer, "ROUND_SECONDS", 10.0)  # one step, then all the rest at once
    rounds = run_experiment("compare_optimizers", sample, **params)
    for name in ("SGD", "Momentum", "AdaGrad", "Adam"):
        assert rounds.series[name].x == one_by_one.series[name].x == list(range(40))
        assert rounds.series[name].y == one_by_one.series[name].y


def test_compare_optimizers_gives_every_optimizer_the_same_start_and_batches(sample):
    r = run_experiment("compare_optimizers", sample, **TINY["compare_optimizers"],
                       optimizers=("sgd", "adam", "nesterov"))
    first = {name: r.series[name].y[0] for name in ("SGD", "Adam", "Nesterov")}
    assert len(set(first.values())) == 1  # same weights, same first batch → same first loss
    assert r.series["SGD"].y[5] != r.series["Adam"].y[5]


def test_reference_backend_runs_the_books_code_in_float64(sample):
    r = run_experiment("compare_optimizers", sample, **TINY["compare_optimizers"], backend="reference")
    assert r.params["backend"] == "reference" and r.params["dtype"] == "float64"
    t = run_experiment("compare_optimizers", sample, **TINY["compare_optimizers"], dtype="float64")
    np.testing.assert_allclose(r.series["Momentum"].y, t.series["Momentum"].y, rtol=1e-9)


def test_optimizer_paths_follow_the_books_update_rules():
    r = run_experiment("optimizer_paths", steps=30)
    x, y = -7.0, 2.0
    for i in range(30):  # SGD with lr 0.95 on f = x²/20 + y²
        x, y = x - 0.95 * x / 10, y - 0.95 * 2 * y
    assert r.series["SGD"].x[-1] == pytest.approx(x) and r.series["SGD"].y[-1] == pytest.approx(y)
    assert len(r.series["Adam"].x) == 31 and r.series["Adam"].x[0] == -7.0
    # every optimizer ends nearer the minimum than it started
    for name, summary in r.summary.items():
        if name != "headline":
            assert summary["final_f"] < -7.0 ** 2 / 20 + 4
    assert np.asarray(r.arrays["contour_z"]).shape == (len(r.arrays["contour_y"]), len(r.arrays["contour_x"]))
    custom = run_experiment("optimizer_paths", optimizers="sgd", lr="sgd=0.1", steps=1)
    assert custom.series["SGD"].x[1] == pytest.approx(-7 + 0.1 * 0.7)


def test_activation_statistics_show_saturation_collapse_and_symmetry():
    r = run_experiment("activation_histograms")
    s = r.summary
    assert min(s["sigmoid/std=1"]["extreme_fraction_per_layer"]) > 0.4   # pushed to 0 and 1
    assert max(s["sigmoid/std=0.01"]["std_per_layer"]) < 0.05            # all near 0.5
    assert s["relu/He"]["std_per_layer"][-1] > 3 * s["relu/Xavier"]["std_per_layer"][-1]
    assert s["relu/std=0.01"]["std_per_layer"][-1] < 1e-3                # vanishes with depth
    counts = np.asarray(r.arrays["tanh/Xavier"])
    assert counts.shape == (5, 30) and counts.sum(axis=1).max() <= 1000 * 100
    assert max(s["symmetry"]["equal"]) < 1e-9 and min(s["symmetry"]["he"]) > 0.1


def test_smooth_curve_is_the_books_kaiser_average():
    assert np.allclose(smooth_curve(np.full(50, 2.0)), 2.0)
    noisy = np.r_[np.zeros(25), np.ones(25)]
    out = smooth_curve(noisy)
    assert out.shape == (50,) and 0 < out[25] < 1 and out[0] == 0 and out[-1] == pytest.approx(1)


@pytest.mark.parametrize("name, params, message", [
    ("compare_optimizers", dict(iterations=-1), "iterations"),
    ("compare_optimizers", dict(optimizers=("sgd", "adamw")), "unknown optimizer 'adamw'"),
    ("compare_optimizers", dict(backend="torch"), "unknown backend"),
    ("compare_optimizers", dict(lr="sgd:0.1"), "lr must be a number or look like"),
    ("compare_optimizers", dict(lr="sgdd=0.1"), r"lr names unknown optimizer 'sgdd' \(did you mean 'sgd'\?\)"),
    ("compare_optimizers", dict(batch_size=10 ** 6), "batch_size"),
    ("compare_weight_init", dict(weight_inits=("he", "lecun")), "unknown weight init 'lecun'"),
    ("compare_weight_init", dict(weight_inits=()), "weight_inits must name at least one"),
    ("compare_weight_init", dict(weight_inits=("0.01", "0.010")), "names std=0.01 twice"),
    ("activation_histograms", dict(weight_inits=("he", "relu")),
     "weight_inits names He twice: 'he' and 'relu'"),
    ("batchnorm_sweep", dict(scale_min=2.0), "scale_min"),
    ("batchnorm_sweep", dict(train_size=10 ** 6), "train_size"),
    ("overfitting", dict(dropout_ratios=(1.5,)), "dropout_ratios"),
    ("overfitting", dict(lr=0), "lr"),
    ("ensemble", dict(members=0), "members"),
    ("activation_histograms", dict(activations=("gelu",)), "unknown activation 'gelu'"),
    ("optimizer_paths", dict(start=(1,)), "start"),
])
def test_bad_parameters_raise_a_value_error_naming_them(name, params, message, sample):
    with pytest.raises(ValueError, match=message):
        run_experiment(name, sample, **{**TINY[name], **params})


def test_unknown_experiment_and_bad_data_are_named(sample):
    with pytest.raises(ValueError, match="unknown experiment 'nope'"):
        run_experiment("nope")
    with pytest.raises(ValueError, match="data must be"):
        run_experiment("ensemble", data=(1, 2, 3), **TINY["ensemble"])


@pytest.mark.parametrize("name", ["compare_optimizers", "batchnorm_sweep"])
def test_models_trained_side_by_side_equal_one_by_one(name, sample):
    """With 2 threads the trainer runs one model per thread (1 BLAS thread each): the numbers
    must equal the sequential run's bit for bit, and the BLAS threads come back afterwards."""
    import trainlab
    from threadpoolctl import threadpool_info

    from trainlab._models import ModelRun, ModelThreads

    sequential = run_experiment(name, sample, **TINY[name])
    trainlab.set_num_threads(2)
    try:
        before = [lib["num_threads"] for lib in threadpool_info()]
        side_by_side = run_experiment(name, sample, **TINY[name])
        assert [lib["num_threads"] for lib in threadpool_info()] == before
        def model_threads(network):
            runs = [ModelRun(label, network, None) for label in "ab"]
            return ModelThreads(runs, trainlab.get_num_threads()).n_threads

        assert model_threads(trainlab.MultiLayerNet(2, [3], 2)) == 2  # the run above
        assert model_threads(book.MultiLayerNet(2, [3], 2)) == 1  # the book's networks: one by one
    finally:
        trainlab.set_num_threads(1)
    for key, series in sequential.series.items():
        np.testing.assert_array_equal(np.asarray(side_by_side.series[key].y, dtype=float),
                                      np.asarray(series.y, dtype=float), err_msg=key)


def test_a_model_thread_runs_element_wise_kernels_on_one_thread():
    import threading

    import trainlab
    from trainlab import threads

    trainlab.set_num_threads(2)
    try:
        seen = []
        worker = threading.Thread(target=lambda: (threads.single_threaded_here(),
                                                  seen.append(threads.threads_for(1 << 22))))
        worker.start()
        worker.join()
        assert seen == [1] and threads.threads_for(1 << 22) == 2
    finally:
        trainlab.set_num_threads(1)
