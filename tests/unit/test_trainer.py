"""Trainer: the book's loop, callbacks, stop/pause from another thread, divergence, and the GIL."""
import threading
import time

import numpy as np
import pytest

import trainlab
from trainlab import Trainer
from trainlab.optim import SGD, Adam
from trainlab.reference import book


def blobs(rng, n=200, d=20, c=3):
    centers = rng.standard_normal((c, d)) * 3
    t = rng.integers(0, c, n)
    return (centers[t] + rng.standard_normal((n, d))).astype(np.float32), t


def make(rng, **kw):
    x, t = blobs(rng)
    net = trainlab.MultiLayerNet(20, [16, 16], 3, seed=0)
    args = dict(epochs=3, mini_batch_size=30, optimizer="adam", optimizer_param={"lr": 0.01},
                verbose=False, seed=0)
    args.update(kw)
    return Trainer(net, x[:150], t[:150], x[150:], t[150:], **args)


def test_trains_and_records_like_the_book(rng):
    tr = make(rng)
    acc = tr.train()
    assert tr.max_iter == int(3 * 150 / 30) == len(tr.train_loss_list)
    # the book evaluates when current_iter % iter_per_epoch == 0: at iterations 0, 5 and 10
    assert len(tr.train_acc_list) == len(tr.test_acc_list) == tr.current_epoch == 3
    assert tr.train_loss_list[-1] < tr.train_loss_list[0]
    assert acc > 0.9 and tr.stop_reason is None


def test_same_batches_and_losses_as_the_book_with_global_seed(rng):
    x, t = blobs(rng)
    net = trainlab.MultiLayerNet(20, [10], 3, dtype=np.float64, seed=1)
    ref = book.MultiLayerNet(20, [10], 3)
    for key in ref.params:
        ref.params[key][...] = net.params[key]
    np.random.seed(3)
    tr = Trainer(net, x, t, x, t, epochs=1, mini_batch_size=50, optimizer="SGD",
                 optimizer_param={"lr": 0.1}, verbose=False)
    tr.train()
    np.random.seed(3)
    opt = book.SGD(lr=0.1)
    losses = []
    for _ in range(tr.max_iter):
        mask = np.random.choice(x.shape[0], 50)
        opt.update(ref.params, ref.gradient(x[mask], t[mask]))
        losses.append(ref.loss(x[mask], t[mask]))
    np.testing.assert_allclose(tr.train_loss_list, losses, rtol=1e-10)


def test_callbacks_see_every_iteration_and_epoch(rng):
    tr = make(rng)
    seen = {"iteration": 0, "epoch": [], "end": None}
    tr.add_callback("iteration", lambda t, info: seen.__setitem__("iteration", seen["iteration"] + 1))
    tr.add_callback("epoch", lambda t, info: seen["epoch"].append(info["test_acc"]))
    tr.add_callback("end", lambda t, info: seen.__setitem__("end", info))
    tr.train()
    assert seen["iteration"] == tr.max_iter
    assert seen["epoch"] == tr.test_acc_list
    assert seen["end"]["stop_reason"] is None
    with pytest.raises(ValueError, match="unknown event"):
        tr.add_callback("batch", print)


def test_stop_and_pause_from_another_thread(rng):
    tr = make(rng, epochs=10_000)
    worker = threading.Thread(target=tr.train)
    worker.start()
    time.sleep(0.2)
    tr.pause()
    time.sleep(0.1)
    frozen = tr.current_iter
    time.sleep(0.2)
    assert tr.paused and tr.current_iter == frozen
    tr.resume()
    time.sleep(0.1)
    tr.stop()
    worker.join(10)
    assert not worker.is_alive()
    assert frozen < tr.current_iter < tr.max_iter
    assert tr.stop_reason == "stopped by request"


def test_divergence_stops_and_keeps_last_good_parameters(rng):
    tr = make(rng, optimizer=SGD(lr=1e6), epochs=50)
    tr.train()
    assert tr.stop_reason.startswith("diverged")
    assert all(np.all(np.isfinite(v)) for v in tr.network.params.values())
    assert all(np.isfinite(tr.train_loss_list))
    assert tr.current_iter < tr.max_iter


@pytest.mark.parametrize("kw, message", [
    (dict(mini_batch_size=0), "mini_batch_size"),
    (dict(mini_batch_size=151), "mini_batch_size"),
    (dict(epochs=-1), "epochs"),
    (dict(optimizer="adamw"), "unknown optimizer"),
    (dict(optimizer_param={"lr": -1}), "lr must be"),
    (dict(optimizer_param={"lr": float("nan")}), "lr must be"),
])
def test_bad_settings_are_named(rng, kw, message):
    with pytest.raises(ValueError, match=message):
        make(rng, **kw)


def test_bad_data_is_named(rng):
    x, t = blobs(rng)
    net = trainlab.MultiLayerNet(20, [8], 3)
    bad = x.copy()
    bad[5, 3] = np.nan
    with pytest.raises(ValueError, match="x_train contains 1 NaN"):
        Trainer(net, bad, t, x, t, verbose=False)
    with pytest.raises(ValueError, match="labels outside"):
        Trainer(net, x, t + 5, x, t, verbose=False)
    with pytest.raises(ValueError, match="labels for"):
        Trainer(net, x, t[:-1], x, t, verbose=False)


def test_training_in_a_thread_releases_the_gil():
    """While a worker trains a network whose GEMMs take ~0.1 s each, the main thread keeps running.
    If the kernels held the GIL, the main thread would stall for a whole GEMM at a time."""
    rng = np.random.default_rng(0)
    net = trainlab.MultiLayerNet(1024, [2048, 2048], 10, seed=0)
    x = rng.standard_normal((2048, 1024)).astype(np.float32)
    t = rng.integers(0, 10, 2048)
    opt = Adam()
    start = time.perf_counter()
    opt.update(net.params, net.gradient(x, t))
    one_step = time.perf_counter() - start

    done = threading.Event()

    def train():
        for _ in range(3):
            opt.update(net.params, net.gradient(x, t))
        done.set()

    worker = threading.Thread(target=train)
    gaps, last = [], time.perf_counter()
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
        sum(range(200))  # a little pure-Python work per tick
    worker.join()
    # GIL hand-offs happen every sys.getswitchinterval() (5 ms) while the worker runs Python;
    # inside a kernel the main thread is not blocked at all.
    assert max(gaps) < one_step / 4, (max(gaps), one_step)


@pytest.mark.parametrize("seeded", [True, False])
@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_checkpoint_resume_is_bit_identical(tmp_path, seeded, optimizer):
    rng = np.random.default_rng(1)
    x, t = blobs(rng)

    def trainer():
        net = trainlab.MultiLayerNetExtend(20, [16, 16], 3, use_batchnorm=True, use_dropout=True,
                                           dropout_ratio=0.2, seed=0)
        return Trainer(net, x[:150], t[:150], x[150:], t[150:], epochs=4, mini_batch_size=30,
                       optimizer=optimizer, optimizer_param={"lr": 0.01}, verbose=False,
                       seed=5 if seeded else None)

    np.random.seed(9)
    whole = trainer()
    whole.train()

    np.random.seed(9)
    first = trainer()
    first.max_iter = 7
    first.train()
    first.save_checkpoint(tmp_path / "run.npz")
    np.random.seed(1234)  # the checkpoint must restore the global RNG too
    second = trainer()
    second.load_checkpoint(tmp_path / "run.npz")
    second.train()
    assert second.train_loss_list == whole.train_loss_list
    assert second.test_acc_list == whole.test_acc_list
    for key in whole.network.params:
        np.testing.assert_array_equal(second.network.params[key], whole.network.params[key])
    assert not list(tmp_path.glob(".checkpoint-*"))  # no temporary file left behind


def test_bad_checkpoints_are_named_and_kept(tmp_path, rng):
    tr = make(rng)
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="broken.npz: not a readable trainlab checkpoint"):
        tr.load_checkpoint(bad)
    assert bad.read_bytes() == b"not a zip file"
    tr.save_checkpoint(tmp_path / "ok.npz")
    other = make(rng, mini_batch_size=50)
    with pytest.raises(ValueError, match="mini_batch_size"):
        other.load_checkpoint(tmp_path / "ok.npz")
    x, t = blobs(rng)
    wide = Trainer(trainlab.MultiLayerNet(20, [17, 16], 3), x, t, x, t, mini_batch_size=30, verbose=False,
                   seed=0)
    with pytest.raises(ValueError, match="parameter W1 has shape"):
        wide.load_checkpoint(tmp_path / "ok.npz")


def test_one_evaluation_per_epoch_with_a_fractional_epoch(rng):
    x, t = blobs(rng, n=240)
    net = trainlab.MultiLayerNet(20, [8], 3, seed=0)
    tr = Trainer(net, x, t, x, t, epochs=4, mini_batch_size=100, verbose=False, seed=0)
    tr.train()
    assert tr.max_iter == 9  # int(4 · 2.4), as the book
    assert len(tr.test_acc_list) == 4  # the book's i % 2.4 == 0 would record 1


def test_epochs_evaluation_measures_before_training_and_after_every_epoch(rng):
    tr = make(rng, evaluate="epochs")
    final = tr.train()
    assert len(tr.test_acc_list) == tr.epochs + 1 == tr.current_epoch + 1
    # the last evaluation is after the last step, on the whole test set: the final accuracy
    assert tr.test_acc_list[-1] == final == tr.final_test_acc
    assert tr.test_acc_list[0] < 0.7 < tr.test_acc_list[-1]


def test_several_models_side_by_side_match_each_trained_alone(rng):
    x, t = blobs(rng)

    def models():
        return {name: (trainlab.MultiLayerNet(20, [16], 3, seed=1), opt)
                for name, opt in (("sgd", SGD(lr=0.1)), ("adam", Adam(lr=0.01)))}

    together = Trainer(models(), x, t, x, t, epochs=2, mini_batch_size=25, seed=4,
                       evaluate="epochs", verbose=False)
    accs = together.train()
    for name, (net, opt) in models().items():
        alone = Trainer(net, x, t, x, t, epochs=2, mini_batch_size=25, optimizer=opt, seed=4,
                        evaluate="epochs", verbose=False)
        assert alone.train() == accs[name]
        assert alone.train_loss_list == together.models[name].train_loss_list
        assert alone.test_acc_list == together.models[name].test_acc_list
    with pytest.raises(AttributeError, match="several models"):
        together.network


def test_a_diverging_model_stops_alone_and_the_others_go_on(rng):
    x, t = blobs(rng)
    models = {"ok": (trainlab.MultiLayerNet(20, [16], 3, seed=1), SGD(lr=0.1)),
              "wild": (trainlab.MultiLayerNet(20, [16], 3, seed=1), SGD(lr=1e6))}
    tr = Trainer(models, x, t, iterations=30, mini_batch_size=25, seed=0, verbose=False)
    tr.train()
    assert tr.models["wild"].stop_reason.startswith("diverged: loss became")
    assert len(tr.models["ok"].train_loss_list) == 30 and tr.current_iter == 30
    assert all(np.isfinite(v).all() for v in models["wild"][0].params.values())


def test_an_exploding_loss_with_saturating_activations_is_a_divergence(rng):
    """AdaGrad at lr 1e6 with sigmoid: the weights explode, yet the book's cross-entropy stays
    finite (capped near 16); the trainer still stops and says why."""
    x, t = blobs(rng)
    net = trainlab.MultiLayerNet(20, [16, 16], 3, activation="sigmoid", seed=0)
    tr = Trainer(net, x, t, x, t, epochs=200, mini_batch_size=30, optimizer="adagrad",
                 optimizer_param={"lr": 1e6}, verbose=False, seed=0)
    tr.train()
    assert tr.stop_reason.startswith("diverged: the weights grew to a root mean square of")
    assert max(float(np.abs(v).max()) for v in net.params.values()) < 1e3  # restored


def test_continue_on_divergence_keeps_updating_like_the_book(rng):
    tr = make(rng, optimizer=SGD(lr=1e6), epochs=2, on_divergence="continue",
              record_loss="before_update")
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning, match="NaN propagates, as in the book"):
        tr.train()
    assert tr.stop_reason is None and tr.current_iter == tr.max_iter
    assert not np.isfinite(tr.train_loss_list[-1])


def test_hyperparameters_change_at_the_next_step_and_replay_bit_for_bit(rng):
    x, t = blobs(rng)

    def trainer(**kw):
        net = trainlab.MultiLayerNetExtend(20, [16, 16], 3, use_dropout=True, dropout_ratio=0.1, seed=0)
        return Trainer(net, x, t, x, t, epochs=3, mini_batch_size=25, optimizer="momentum",
                       optimizer_param={"lr": 0.05}, verbose=False, seed=1, **kw)

    live = trainer()
    seen = []
    live.add_callback("change", lambda tr, info: seen.append((info["iteration"], info["name"])))

    def on_iteration(tr, info):
        if info["iteration"] == 4:
            tr.change("lr", 0.01)
            tr.change("momentum", 0.5)
        if info["iteration"] == 9:
            tr.change("weight_decay", 0.01)
            tr.change("dropout", 0.3)

    live.add_callback("iteration", on_iteration)
    live.train()
    assert seen == [(5, "lr"), (5, "momentum"), (10, "weight_decay"), (10, "dropout")]
    assert live.optimizer.lr == 0.01 and live.network.weight_decay_lambda == 0.01
    assert all(layer.dropout_ratio == 0.3 for name, layer in live.network.layers.items()
               if name.startswith("Dropout"))
    replay = trainer(changes=live.changes)
    replay.train()
    assert replay.train_loss_list == live.train_loss_list
    plain = trainer()
    plain.train()
    assert plain.train_loss_list[:5] == live.train_loss_list[:5] != plain.train_loss_list


@pytest.mark.parametrize("name, value, message", [
    ("lr", -1, "lr must be in"),
    ("lrr", 0.1, "no setting 'lrr' \\(did you mean 'lr'\\?\\)"),
    ("dropout", 0.3, "no dropout layers"),
    ("weight_decay", float("nan"), "weight_decay must be finite"),
])
def test_bad_live_changes_are_refused_when_asked(rng, name, value, message):
    tr = make(rng)
    with pytest.raises(ValueError, match=message):
        tr.change(name, value)
    assert tr.changes == []


def test_should_stop_is_polled_before_each_step(rng):
    calls = []
    tr = make(rng, should_stop=lambda: len(calls) >= 3 or calls.append(1))
    tr.train()
    assert tr.current_iter == 3 and tr.stop_reason == "stopped by request"


def test_a_loss_that_stays_far_above_the_first_stops_training():
    from trainlab._models import EXPLODING_STEPS, ModelRun

    class Scripted:
        """A network whose batch loss follows a script: 2.3, then 30 steps near the cap."""
        def __init__(self):
            self.params, self.losses = {"w": np.zeros(1)}, iter([2.3] + [14.0] * 30)

        def gradient(self, x, t):
            self.last_loss = next(self.losses)
            return {"w": np.zeros(1)}

    run = ModelRun("scripted", Scripted(), SGD(lr=0.1), record_loss="before_update")
    losses = [run.step(None, None, i) for i in range(30)]
    assert run.stop_reason.startswith("diverged: loss stayed above 4x the first step's (2.3) "
                                       f"for {EXPLODING_STEPS} steps")
    assert losses.count(None) == 30 - EXPLODING_STEPS
