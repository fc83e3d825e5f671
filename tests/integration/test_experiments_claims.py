"""The chapter's claims on real Fashion-MNIST (60k/10k), seeds fixed, float32.

Settings are smaller than the book's so the file runs in about a minute on 2 shared cores; each
is the smallest at which the claim showed with a wide margin (numbers measured in the comments).
"""

import numpy as np
import pytest
from helpers import needs_debian_fashion_mnist

from trainlab.datasets import load_dataset
from trainlab.experiments import run_experiment

pytestmark = [needs_debian_fashion_mnist, pytest.mark.usefixtures("one_blas_thread")]


@pytest.fixture(scope="module")
def fashion():
    return load_dataset("fashion-mnist", progress=False)


def test_std_001_barely_learns_while_he_learns_fastest(fashion):
    # book: 2000 iterations; 600 show it (std 0.01 stays at ln 10 ≈ 2.30, He below Xavier)
    r = run_experiment("compare_weight_init", fashion, iterations=600, seed=0)
    s = r.summary
    assert s["std=0.01"]["final_loss_smoothed"] > 2.25 and s["std=0.01"]["test_acc"] < 0.2
    assert s["He"]["final_loss_smoothed"] < s["Xavier"]["final_loss_smoothed"] < 1.0
    assert s["He"]["test_acc"] > 0.7
    # He is ahead over the whole run, not only at the end
    he, xavier = r.series["smoothed/He"].y, r.series["smoothed/Xavier"].y
    assert np.mean(np.array(he[100:]) < np.array(xavier[100:])) > 0.9


def test_batch_norm_beats_no_batch_norm_at_most_weight_scales(fashion):
    # book: 16 scales × 20 epochs; 8 scales × 10 epochs of 1000 samples show it
    r = run_experiment("batchnorm_sweep", fashion, n_scales=8, epochs=10, seed=0)
    assert r.summary["scales_run"] == 8
    assert r.summary["bn_wins"] >= 6
    # without batch norm the smallest scales do not learn at all (chance is 0.1); with it they do
    # (0.38 at the smallest scale with the current kernels, 0.4+ before batch norm's last pass
    # moved to float32 arithmetic: the margin over no batch norm is the claim, not a number)
    smallest = r.summary["per_scale"][-1]
    assert smallest["plain_train_acc"] < 0.2
    assert smallest["bn_train_acc"] > smallest["plain_train_acc"] + 0.2


def test_overfitting_and_what_narrows_the_gap(fashion):
    # book: 200 epochs (weight decay), 300 (dropout); 150 epochs and 2000 test samples show it
    r = run_experiment("overfitting", fashion, epochs=150, test_size=2000, seed=0)
    base, decay, drop = r.summary["baseline"], r.summary["weight_decay=0.1"], r.summary["dropout=0.2"]
    assert base["train_acc"] >= 0.97          # ~100 % of the 300 samples
    assert base["gap"] > 0.15                 # a clear train/test gap
    assert decay["gap"] < base["gap"] - 0.05
    assert drop["gap"] < base["gap"] - 0.05


def test_the_ensemble_beats_its_mean_member(fashion):
    r = run_experiment("ensemble", fashion, members=4, iterations=400, seed=0)
    s = r.summary
    assert s["ensemble_test_acc"] > s["mean_member_test_acc"] + 0.005
    assert s["ensemble_test_acc"] >= s["best_member_test_acc"]


def test_reference_and_trainlab_backends_agree_in_float64(fashion):
    # same weights, same batches: the book's NumPy code and trainlab's kernels give the same losses
    common = dict(optimizers=("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"),
                  iterations=20, seed=1)
    ref = run_experiment("compare_optimizers", fashion, backend="reference", **common)
    ours = run_experiment("compare_optimizers", fashion, backend="trainlab", dtype="float64", **common)
    for name in ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"):
        np.testing.assert_allclose(ours.series[name].y, ref.series[name].y, rtol=1e-9, err_msg=name)
    assert ref.timings["SGD"] > 0 and ours.timings["SGD"] > 0
