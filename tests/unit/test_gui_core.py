"""The desktop app's Qt-free core: smoothing, run records (JSON, CSV), histograms, optimizer paths."""
import csv

import numpy as np
import pytest

from trainlab.engine import RunSpec, build  # noqa: E402
from trainlab.experiments import optimizer_paths as paths  # noqa: E402
from trainlab_gui.core.probes import HistogramProbe, collect, outside  # noqa: E402
from trainlab_gui.core.runs import (RunRecord, load_runs, save_runs,  # noqa: E402
                                    write_changes_csv, write_epoch_csv, write_loss_csv)
from trainlab_gui.core.decimation import PeakPyramid  # noqa: E402
from trainlab_gui.core.smoothing import (EmaSmoother, GrowingArray, MovingAverageSmoother, ema,  # noqa: E402
                                    moving_average)


def test_ema_is_debiased_and_incremental_equals_full(rng):
    x = rng.normal(size=1000)
    w = 0.9
    ref, acc = [], 0.0
    for i, v in enumerate(x, 1):  # TensorBoard's loop
        acc = acc * w + (1 - w) * v
        ref.append(acc / (1 - w ** i))
    np.testing.assert_allclose(ema(x, w), ref, rtol=1e-12)
    sm = EmaSmoother(w)
    for cut in (1, 10, 11, 500, 1000):  # arriving in uneven pieces
        out = sm.update(x[:cut])
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    assert ema([3.0, 3.0], w)[0] == pytest.approx(3.0)  # debiased: no pull towards 0


def test_moving_average_is_trailing():
    np.testing.assert_allclose(moving_average([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5])


def test_incremental_moving_average_equals_full(rng):
    x = rng.normal(size=3000)
    sm = MovingAverageSmoother(window=37)
    for cut in (1, 5, 36, 37, 38, 1000, 3000):
        out = sm.update(x[:cut])
        np.testing.assert_allclose(out, moving_average(x[:cut], 37), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("log_x", [False, True])
def test_peak_envelope_keeps_every_extreme_with_few_points(rng, log_x):
    n = 1_000_003
    x = rng.normal(size=n)
    x[[0, 4_321, 777_777, n - 1]] = [-50.0, 40.0, -60.0, 70.0]  # spikes must stay visible
    pyramid = PeakPyramid()
    for cut in (1, 2, 3, 1000, 65_536, 500_001, n):  # arriving in uneven pieces
        pyramid.update(x[:cut])
    for lo, hi in [(0, n), (4_000, 800_000), (10, 50), (999_000, n)]:
        steps, y = pyramid.envelope(x, lo, hi, 1000, log_x=log_x)
        assert y.size <= 2 * 1000 + 4 + (400 if log_x else 0)  # ~2 points per bucket
        assert np.all(np.diff(steps) >= 0) and steps[0] == lo + 1 and steps[-1] == hi
        assert y.min() == x[lo:hi].min() and y.max() == x[lo:hi].max()
        # every drawn value is a real point of the curve inside the range
        assert np.isin(y, x[lo:hi]).all()
    steps, y = pyramid.envelope(x, 10, 50, 1000)  # a short range is drawn raw
    np.testing.assert_array_equal(y, x[10:50])
    np.testing.assert_array_equal(steps, np.arange(11, 51))


def test_peak_pyramid_restarts_when_the_curve_is_replaced(rng):
    pyramid = PeakPyramid()
    pyramid.update(rng.normal(size=10_000) + 100)
    fresh = rng.normal(size=5_000)
    pyramid.update(fresh)
    _, y = pyramid.envelope(fresh, 0, fresh.size, 100)
    assert y.max() == fresh.max() and len(pyramid) == fresh.size


def test_growing_array_keeps_values_across_growth():
    g = GrowingArray(capacity=2)
    for k in range(10):
        g.extend(np.arange(k * 7, k * 7 + 7))
    np.testing.assert_array_equal(g.view(), np.arange(70))


def test_set_texts_are_typed_and_bad_ones_named():
    from trainlab_gui.scripted import spec_with_settings

    spec = spec_with_settings(RunSpec(), ["lr=0.05", "hidden=30,20", "batchnorm=true", "epochs=7"])
    assert (spec.hyperparameters, spec.hidden, spec.batchnorm, spec.epochs) == ({"lr": 0.05}, (30, 20), True, 7)
    with pytest.raises(ValueError, match=r"unknown run setting 'lrr' \(did you mean 'lr'\?\)"):
        spec_with_settings(RunSpec(), ["lrr=0.1"])
    with pytest.raises(ValueError, match="hidden must be comma-separated integers, got 'abc'"):
        spec_with_settings(RunSpec(), ["hidden=abc"])
    with pytest.raises(ValueError, match="--set takes KEY=VALUE"):
        spec_with_settings(RunSpec(), ["lr"])


def test_the_first_saved_format_still_loads():
    from trainlab_gui.core.runs import spec_from_saved

    old = {"name": "run", "dataset": "sample", "train_size": 0, "hidden": [20], "activation": "relu",
           "weight_init": "he", "batchnorm": False, "dropout": 0.0, "weight_decay": 0.0,
           "optimizer": "momentum", "lr": 0.05, "momentum": 0.8, "beta1": 0.9, "beta2": 0.999,
           "decay_rate": 0.99, "schedule": "step", "step_size": 10, "gamma": 0.5,
           "total_steps": 5000, "min_lr": 0.0, "batch_size": 100, "epochs": 5, "seed": 0,
           "dtype": "float32", "eval_samples": 0}
    spec = spec_from_saved(old)
    assert spec.hyperparameters == {"lr": 0.05, "momentum": 0.8} and spec.train_size is None
    assert spec.schedule == {"name": "step", "step_size": 10, "gamma": 0.5}


def _record_with_data(rng):
    rec = RunRecord(RunSpec(name="a,b \"quoted\""))
    tr = build(RunSpec(dataset="sample", hidden=[12, 8], train_size=200, epochs=1))
    tr.network.gradient(tr.x_train[:100], tr.t_train[:100])  # one training pass: batch of 100
    rec.probe = HistogramProbe(bins=10)
    arrays = collect(tr.network)
    rec.apply_snapshot({"losses": rng.random(50), "epochs": [(1, 1, 0.5, 0.4)], "step": 50,
                        "hist_arrays": arrays, "train_seconds": 0.5})
    rec.apply_snapshot({"losses": rng.random(30), "epochs": [(2, 60, 0.7, 0.6)], "step": 80,
                        "hist_arrays": arrays, "train_seconds": 1.0, "changes": [(55, "lr", 0.003)]})
    rec.finish({"status": "finished", "final_test_acc": 0.61, "train_seconds": 1.25})
    return rec, tr


def test_histograms_count_every_value_with_fixed_edges(rng):
    rec, tr = _record_with_data(rng)
    net = tr.network
    edges, counts = rec.hist_edges["weight"], rec.hist_last["weight"]
    assert [c.sum() for c in counts] == [net.params[f"W{i}"].size for i in (1, 2, 3)]
    acts = rec.hist_last["activation"]
    assert [c.sum() for c in acts] == [100 * 12, 100 * 8]  # every activation of the batch
    assert [c.sum() for c in rec.hist_last["grad"]] == [net.params[f"W{i}"].size for i in (1, 2, 3)]
    assert all(len(e) == 13 and np.isinf(e[0]) and np.isinf(e[-1]) for e in edges)  # open ends
    img = rec.history_image("grad", 0)
    assert img.shape == (2, 12) and img.max() == pytest.approx(1.0)


def test_collected_arrays_are_copies_binned_by_the_record(rng):
    tr = build(RunSpec(dataset="sample", hidden=[12, 8], train_size=200, epochs=1))
    tr.network.gradient(tr.x_train[:100], tr.t_train[:100])
    arrays = collect(tr.network)  # in the training thread
    expected = HistogramProbe(bins=40).bin(*arrays)
    tr.network.params["W1"][...] = 0.0  # the next step overwrites the buffers
    tr.network.gradient(tr.x_train[100:], tr.t_train[100:])
    rec = RunRecord(RunSpec())
    rec.apply_snapshot({"losses": [1.0], "epochs": [], "step": 1, "hist_arrays": arrays})
    for kind, (edges, counts) in expected.items():
        for layer, c in enumerate(counts):
            np.testing.assert_array_equal(rec.hist_last[kind][layer], c)
            np.testing.assert_array_equal(rec.hist_edges[kind][layer], edges[layer])


def test_activations_are_collected_for_one_batch_of_rows():
    tr = build(RunSpec(dataset="sample", hidden=[12, 8], train_size=200, epochs=1))
    tr.network.predict(tr.x_train)  # an evaluation pass over every row
    arrays, _ = collect(tr.network, rows=50)
    assert [a.shape for a in arrays["activation"]] == [(50, 12), (50, 8)]
    np.testing.assert_array_equal(arrays["activation"][1], tr.network.layers["Affine2"].out[:50])
    assert [a.shape for a in collect(tr.network)[0]["activation"]] == [(200, 12), (200, 8)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_histogram_bins_equal_numpy_and_skip_nan(rng, dtype):
    probe = HistogramProbe(bins=16)
    values = rng.normal(size=50_000).astype(dtype)
    edges, counts = probe._hist("weight", 0, values, "relu")
    inner, inside, below, above = outside(edges, counts)
    ref, ref_edges = np.histogram(values, bins=16, range=(inner[0], inner[-1]))
    np.testing.assert_array_equal(inside, ref)
    np.testing.assert_allclose(inner, ref_edges)
    # the first snapshot sets the range (±4 std): the few normals beyond it are counted there
    assert (below, above) == ((values < inner[0]).sum(), (values > inner[-1]).sum())
    wider = np.r_[values, [inner[0] - 1.0] * 3, [inner[-1] + 5.0] * 7, [inner[-1]]]
    _, counts = probe._hist("weight", 0, wider, "relu")  # counted beyond the range, not clipped
    assert (counts[0], counts[-1]) == (below + 3, above + 7)
    assert counts[-2] == ref[-1] + 1  # the range's upper end is in its last bin
    bad = np.array([np.nan, -np.inf, np.inf, 0.0], dtype=dtype)  # a diverged run's snapshot
    _, counts = probe._hist("weight", 0, bad, "relu")  # the range fixed above is kept
    assert counts.sum() == 3 and counts[0] == 1 and counts[-1] == 1


def test_runs_json_round_trip(tmp_path, rng):
    rec, _ = _record_with_data(rng)
    path = tmp_path / "runs.json"
    rec.losses.extend([np.nan])  # a diverged step
    save_runs(path, [rec])
    assert "Infinity" not in path.read_text() and "NaN" not in path.read_text()  # strict JSON
    (back,) = load_runs(path)
    for kind, layers in rec.hist_edges.items():
        for a, b in zip(back.hist_edges[kind], layers):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(back.losses.view(), rec.losses.view())
    assert back.epochs == rec.epochs and back.spec == rec.spec and back.name == rec.name
    assert (back.status, back.final_test_acc, back.hist_steps) == ("finished", 0.61, rec.hist_steps)
    assert back.changes == [(55, "lr", 0.003)] and back.replay_spec().changes == ((55, "lr", 0.003),)
    assert rec.steps_per_second == 80 / 1.25
    for kind in rec.hist_history:
        for a, b in zip(back.hist_history[kind], rec.hist_history[kind]):
            np.testing.assert_array_equal(np.array(a), np.array(b))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}')
    with pytest.raises(ValueError, match="not a trainlab runs file"):
        load_runs(bad)


def test_loss_and_epoch_csv_read_back(tmp_path, rng):
    rec, _ = _record_with_data(rng)
    write_loss_csv(tmp_path / "loss.csv", [rec], smoothed=lambda r: ema(r.losses.view(), 0.6))
    write_epoch_csv(tmp_path / "ep.csv", [rec])
    write_changes_csv(tmp_path / "changes.csv", [rec])
    with open(tmp_path / "loss.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["step"]) for r in rows] == list(range(1, 81))
    assert {r["run"] for r in rows} == {rec.name}  # a name with a comma and quotes survives
    np.testing.assert_array_equal([float(r["loss"]) for r in rows], rec.losses.view())
    np.testing.assert_allclose([float(r["smoothed"]) for r in rows], ema(rec.losses.view(), 0.6))
    with open(tmp_path / "ep.csv", newline="") as f:
        eps = list(csv.DictReader(f))
    assert [(int(r["epoch"]), float(r["test_acc"])) for r in eps] == [(1, 0.4), (2, 0.6)]
    with open(tmp_path / "changes.csv", newline="") as f:
        assert [(int(r["step"]), r["name"], float(r["value"])) for r in csv.DictReader(f)] == [(55, "lr", 0.003)]


def test_optimizer_paths_follow_the_book_formulas():
    p = paths.trajectory("SGD", 0.95, 3)
    x, y = -7.0, 2.0
    for row in p[1:]:
        gx, gy = paths.df(x, y)
        x, y = x - 0.95 * gx, y - 0.95 * gy
        assert row == pytest.approx((x, y))
    mom = paths.trajectory("Momentum", 0.1, 30)
    assert mom.shape == (31, 2) and paths.f(*mom[-1]) < paths.f(*mom[0])
    assert len(paths.trajectory("SGD", 10.0, 2000)) < 2001  # diverging: stops when not finite
