"""Networks and layers: numerical gradients (float64) and parity with the book's code."""
import numpy as np
import pytest

import trainlab
from trainlab import layers as L
from trainlab.optim import OPTIMIZERS
from trainlab.reference import book
from helpers import book_twin

CONFIGS = [
    dict(),
    dict(activation="sigmoid", weight_init_std="xavier"),
    dict(activation="tanh", weight_init_std=0.1, weight_decay_lambda=0.05),
    dict(use_batchnorm=True),
    dict(use_dropout=True, dropout_ration=0.3),
    dict(use_batchnorm=True, use_dropout=True, dropout_ratio=0.2, weight_decay_lambda=0.01),
]


def batch(rng, n=6, d=12, c=4, one_hot=False):
    x = rng.standard_normal((n, d))
    t = rng.integers(0, c, n)
    return x, (np.eye(c)[t] if one_hot else t)


@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "plain")
@pytest.mark.parametrize("one_hot", [False, True])
def test_gradient_matches_numerical_gradient(cfg, one_hot, rng):
    net = trainlab.MultiLayerNetExtend(12, [9, 7], 4, dtype=np.float64, seed=3, **cfg)
    x, t = batch(rng, one_hot=one_hot)
    num = net.numerical_gradient(x, t)
    grad = {k: v.copy() for k, v in net.gradient(x, t).items()}
    assert set(num) == set(grad) == set(net.params)
    for key in grad:
        np.testing.assert_allclose(grad[key], num[key], rtol=1e-5, atol=1e-7, err_msg=key)


@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "plain")
def test_same_loss_and_gradients_as_the_book(cfg, rng):
    net = trainlab.MultiLayerNetExtend(30, [20, 16, 12], 5, dtype=np.float64, seed=7, **cfg)
    x, t = batch(rng, n=16, d=30, c=5)
    grads = net.gradient(x, t)
    masks = [net.layers[k].mask.copy() for k in net.layers if k.startswith("Dropout")]
    ref = book_twin(net, masks)
    ref_grads = ref.gradient(x, t)
    assert net.last_loss == pytest.approx(ref.last_layer.loss + _decay(ref), rel=1e-12)
    for key, g in ref_grads.items():
        scale = max(np.abs(g).max(), 1e-3)
        np.testing.assert_allclose(grads[key], g, rtol=1e-10, atol=1e-12 * scale, err_msg=key)
    assert net.loss(x, t) == pytest.approx(ref.loss(x, t), rel=1e-10)
    assert net.accuracy(x, t) == ref.accuracy(x, t)


def _decay(ref):
    return sum(0.5 * ref.weight_decay_lambda * np.sum(ref.params[f"W{i}"] ** 2)
               for i in range(1, ref.hidden_layer_num + 2))


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("cfg", [dict(), dict(use_batchnorm=True, weight_decay_lambda=0.01)],
                         ids=["plain", "batchnorm+decay"])
def test_twenty_steps_match_the_book(name, cfg, rng):
    net = trainlab.MultiLayerNetExtend(30, [20, 20], 5, dtype=np.float64, seed=11, **cfg)
    ref = book_twin(net)
    opt = OPTIMIZERS[name](lr=0.01)
    ref_opt = book.OPTIMIZERS[name](lr=0.01)
    for _ in range(20):
        x, t = batch(rng, n=10, d=30, c=5)
        opt.update(net.params, net.gradient(x, t))
        ref_opt.update(ref.params, ref.gradient(x, t))
    for key in ref.params:
        # atol: biases before batch norm have gradients that are pure round-off (~1e-17)
        np.testing.assert_allclose(net.params[key], ref.params[key], rtol=1e-9, atol=1e-9, err_msg=key)
    for name_ in ("running_mean", "running_var"):
        for k in net.layers:
            if k.startswith("BatchNorm"):
                np.testing.assert_allclose(getattr(net.layers[k], name_), getattr(ref.layers[k], name_),
                                           rtol=1e-9, atol=1e-9)


def test_float32_follows_float64(rng):
    n64 = trainlab.MultiLayerNet(30, [20, 20], 5, dtype=np.float64, seed=5)
    n32 = trainlab.MultiLayerNet(30, [20, 20], 5, dtype=np.float32, seed=5)
    np.testing.assert_allclose(n32.params["W1"], n64.params["W1"], rtol=1e-6)
    x, t = batch(rng, n=10, d=30, c=5)
    g64, g32 = n64.gradient(x, t), n32.gradient(x, t)
    assert n32.params["W1"].dtype == np.float32 and g32["W1"].dtype == np.float32
    for key in g64:
        np.testing.assert_allclose(g32[key], g64[key], rtol=1e-3, atol=1e-5)


def test_params_are_live_views(rng):
    net = trainlab.MultiLayerNet(8, [6], 3, dtype=np.float64, seed=0)
    x = rng.standard_normal((4, 8))
    before = net.predict(x)
    net.params["W2"][...] = 0
    net.params["b2"][...] = np.array([1.0, 2.0, 3.0])
    after = net.predict(x)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, np.tile([1.0, 2.0, 3.0], (4, 1)))


def test_seed_none_draws_like_the_book():
    np.random.seed(0)
    ref = book.MultiLayerNet(10, [5], 3)
    np.random.seed(0)
    net = trainlab.MultiLayerNet(10, [5], 3, dtype=np.float64)
    for key in ref.params:
        np.testing.assert_array_equal(net.params[key], ref.params[key])


def test_seed_makes_networks_reproducible(rng):
    a = trainlab.MultiLayerNetExtend(10, [8], 3, use_dropout=True, seed=42)
    b = trainlab.MultiLayerNetExtend(10, [8], 3, use_dropout=True, seed=42)
    x, t = batch(rng, n=5, d=10, c=3)
    ga = {k: v.copy() for k, v in a.gradient(x, t).items()}
    gb = b.gradient(x, t)
    for key in ga:
        np.testing.assert_array_equal(ga[key], gb[key])


@pytest.mark.parametrize("layer_name", ["Relu", "Sigmoid", "Tanh"])
def test_activation_layers_numerically(layer_name, rng):
    layer = getattr(L, layer_name)()
    x = rng.standard_normal((5, 7)) + 0.05  # keep ReLU away from its kink
    dout = rng.standard_normal((5, 7))
    dx = layer.backward(dout).copy() if layer.forward(x) is not None else None
    h = 1e-6
    num = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        num[i] = np.sum((getattr(L, layer_name)().forward(xp) - getattr(L, layer_name)().forward(xm)) * dout) / (2 * h)
    np.testing.assert_allclose(dx, num, rtol=1e-6, atol=1e-8)


def test_layers_match_the_book_layer_by_layer(rng):
    x = rng.standard_normal((6, 5))
    dout = rng.standard_normal((6, 4))
    W, b = rng.standard_normal((5, 4)), rng.standard_normal(4)
    mine, ref = L.Affine(W, b), book.Affine(W, b)
    np.testing.assert_allclose(mine.forward(x), ref.forward(x), rtol=1e-13)
    np.testing.assert_allclose(mine.backward(dout), ref.backward(dout), rtol=1e-13)
    np.testing.assert_allclose(mine.dW, ref.dW, rtol=1e-13)
    np.testing.assert_allclose(mine.db, ref.db, rtol=1e-13)
    relu, ref_relu = L.Relu(), book.Relu()
    np.testing.assert_array_equal(relu.forward(x), ref_relu.forward(x))
    np.testing.assert_array_equal(relu.mask, ref_relu.mask)
    swl, ref_swl = L.SoftmaxWithLoss(), book.SoftmaxWithLoss()
    t = rng.integers(0, 5, 6)
    assert swl.forward(x, t) == pytest.approx(ref_swl.forward(x, t), rel=1e-13)
    np.testing.assert_allclose(swl.backward(), ref_swl.backward(), rtol=1e-13)
    d = L.Dropout(0.5, seed=1)
    out = d.forward(x)
    np.testing.assert_array_equal(out, x * d.mask)
    np.testing.assert_allclose(d.forward(x, train_flg=False), x * 0.5)


def test_book_layer_attributes_show_the_networks_last_pass(rng):
    net = trainlab.MultiLayerNetExtend(12, [9, 7], 4, use_dropout=True, dropout_ratio=0.3,
                                       dtype=np.float64, seed=2)
    x, t = batch(rng)
    net.gradient(x, t)
    relu, drop = net.layers["Activation_function1"], net.layers["Dropout1"]
    assert relu.mask.shape == (6, 9)
    np.testing.assert_array_equal(relu.mask, relu.out <= 0)
    assert drop.mask.shape == (6, 9) and drop.mask.dtype == bool
    plain = trainlab.MultiLayerNet(12, [9], 4, dtype=np.float64, seed=2)  # activation fused in the GEMM
    plain.gradient(x, t)
    fused = plain.layers["Activation_function1"]
    np.testing.assert_array_equal(fused.mask, plain.layers["Affine1"].out <= 0)


def test_nan_input_is_named_and_leaves_the_network_untouched(rng):
    net = trainlab.MultiLayerNet(12, [9], 4, seed=0)
    before = net.params.flat.copy()
    x, t = batch(rng)
    x[2, 5] = np.nan
    for call in (lambda: net.loss(x, t), lambda: net.gradient(x, t), lambda: net.predict(x)):
        with pytest.raises(ValueError, match="input x contains 1 NaN or infinite value"):
            call()
    np.testing.assert_array_equal(net.params.flat, before)


def test_an_empty_batch_is_named(rng):
    net = trainlab.MultiLayerNetExtend(12, [9], 4, use_batchnorm=True, seed=0)
    x, t = np.zeros((0, 12), np.float32), np.zeros(0, np.int64)
    for call in (lambda: net.predict(x), lambda: net.loss(x, t), lambda: net.accuracy(x, t),
                 lambda: net.gradient(x, t), lambda: net.layers["Affine1"].forward(x)):
        with pytest.raises(ValueError, match=r"empty batch: input has shape \(0, 12\)"):
            call()


@pytest.mark.parametrize("make_t, message", [
    (lambda t: t.reshape(-1, 1), r"t must have shape \(6,\) or \(6, 4\), got \(6, 1\)"),
    (lambda t: np.full_like(t, 99), r"t has labels outside \[0, 4\): 99 at row 0"),
    (lambda t: t[:5], r"t must have shape \(6,\) or \(6, 4\), got \(5,\)"),
    (lambda t: np.where(np.eye(4)[t] > 0, np.nan, 0.0), r"t contains 6 NaN or infinite value"),
    (lambda t: np.where(np.eye(4)[t] > 0, np.inf, 0.0), r"t contains 6 NaN or infinite value"),
], ids=["(N,1)", "label 99", "5 labels", "NaN one-hot", "inf one-hot"])
def test_accuracy_loss_and_gradient_check_targets_alike(make_t, message, rng):
    net = trainlab.MultiLayerNet(12, [9], 4, seed=0)
    x, t = batch(rng)
    bad = make_t(t)
    before = net.params.flat.copy()
    for call in (lambda: net.accuracy(x, bad), lambda: net.loss(x, bad), lambda: net.gradient(x, bad),
                 lambda: net.last_layer.forward(x[:, :4], bad)):
        with pytest.raises(ValueError, match=message):
            call()
    np.testing.assert_array_equal(net.params.flat, before)


def test_evaluation_in_chunks_gives_the_results_of_one_pass(rng):
    net = trainlab.MultiLayerNetExtend(12, [9], 4, use_batchnorm=True, use_dropout=True,
                                       dtype=np.float64, seed=0)
    x, t = rng.standard_normal((5000, 12)), rng.integers(0, 4, 5000)
    net.gradient(x[:100], t[:100])  # running statistics that are not zero
    ref = book_twin(net)
    for name, layer in net.layers.items():
        if name.startswith("BatchNorm"):
            ref.layers[name].running_mean = layer.running_mean.copy()
            ref.layers[name].running_var = layer.running_var.copy()
    np.testing.assert_allclose(net.predict(x), ref.predict(x, train_flg=False), rtol=1e-12, atol=1e-12)
    assert net.loss(x, t) == pytest.approx(ref.loss(x, t, train_flg=False), rel=1e-12)
    assert net.accuracy(x, t) == ref.accuracy(x, t)
    assert max(net._passes.by_size) <= 2048


def test_buffers_kept_for_batch_sizes_are_bounded_by_memory(rng, monkeypatch):
    """Four large batch sizes (train and predict) on 256-512x3-10 keep at most MAX_BYTES of
    buffers besides the size in use."""
    import tracemalloc
    import trainlab.kernels as K

    if hasattr(K, "BoundSizes"):
        monkeypatch.setattr(K.BoundSizes, "MAX_BYTES", 16 << 20)
    net = trainlab.MultiLayerNet(256, [512] * 3, 10, seed=0)
    x, t = rng.random((4500, 256)).astype(np.float32), rng.integers(0, 10, 4500)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in (3000, 3500, 4000, 4500):
            net.gradient(x[:n], t[:n])
            net.predict(x[:n])
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    largest = 4500 * (512 * 3 + 512 * 2 + 10 * 3) * 4  # outputs, dx, probs/dscores of one size
    assert kept < (16 << 20) + largest + (4 << 20), f"{kept / 2**20:.0f} MiB kept"
