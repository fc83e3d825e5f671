"""The training pass split by rows between threads (NetExecutor, trainlab.set_num_threads > 1):
the same gradients, losses, dropout masks and batch-norm statistics as one thread."""
import numpy as np
import pytest
from threadpoolctl import threadpool_info

import trainlab
from trainlab.optim import SGD
from trainlab import kernels
from helpers import book_twin

CONFIGS = [
    dict(),
    dict(activation="tanh", weight_decay_lambda=0.05),
    dict(use_batchnorm=True),
    dict(use_dropout=True, dropout_ration=0.3),
    dict(use_batchnorm=True, use_dropout=True, dropout_ratio=0.2, weight_decay_lambda=0.01),
]
IDS = [",".join(f"{k}={v}" for k, v in c.items()) or "plain" for c in CONFIGS]


@pytest.fixture
def threads():
    def use(n):
        trainlab.set_num_threads(n)
    yield use
    trainlab.set_num_threads(None)


def train(cfg, dtype, n_threads, threads, rows=53, steps=3, sizes=(37, [40, 24], 6)):
    """Gradients, losses and layer state after ``steps`` steps of SGD on ``n_threads`` threads."""
    threads(n_threads)
    rng = np.random.default_rng(0)
    net = trainlab.MultiLayerNetExtend(*sizes, dtype=dtype, seed=4, **cfg)
    opt = SGD(lr=0.1)
    losses = []
    for _ in range(steps):
        x = rng.standard_normal((rows, sizes[0])).astype(dtype)
        t = rng.integers(0, sizes[2], rows)
        grads = net.gradient(x, t)
        losses.append(net.last_loss)
        opt.update(net.params, grads)
    state = {k: v.copy() for k, v in grads.items()}
    for name, layer in net.layers.items():
        if name.startswith("Dropout"):
            state[name] = layer.mask.copy()
        if name.startswith("BatchNorm"):
            state[name] = np.concatenate([layer.running_mean, layer.running_var])
    return losses, state, net._passes.by_size[rows].executor.last_pass_threads


@pytest.mark.parametrize("cfg", CONFIGS, ids=IDS)
@pytest.mark.parametrize("n_threads", [2, 3])
def test_rows_split_between_threads_give_the_same_training(cfg, n_threads, threads):
    losses1, state1, used1 = train(cfg, np.float64, 1, threads)
    assert kernels.blas_threads_bound(), "SciPy's OpenBLAS thread setter was not found"
    losses, state, used = train(cfg, np.float64, n_threads, threads)
    assert (used1, used) == (1, n_threads)
    np.testing.assert_allclose(losses, losses1, rtol=1e-13)
    for key, value in state1.items():
        if value.dtype == np.uint8:  # dropout masks: the same random stream, cut at other rows
            np.testing.assert_array_equal(state[key], value, err_msg=key)
        else:
            np.testing.assert_allclose(state[key], value, rtol=1e-11, atol=1e-14, err_msg=key)


@pytest.mark.parametrize("cfg", [CONFIGS[0], CONFIGS[-1]], ids=[IDS[0], IDS[-1]])
def test_float32_rows_split_stay_close(cfg, threads):
    losses1, state1, _ = train(cfg, np.float32, 1, threads)
    losses, state, used = train(cfg, np.float32, 2, threads)
    assert used == 2
    np.testing.assert_allclose(losses, losses1, rtol=1e-5)
    for key, value in state1.items():
        np.testing.assert_allclose(state[key], value, rtol=1e-4, atol=1e-5, err_msg=key)


@pytest.mark.parametrize("cfg", CONFIGS, ids=IDS)
@pytest.mark.parametrize("rows", [40, 5])
def test_a_wide_layer_split_by_columns_gives_the_books_gradients(cfg, rows, threads):
    """(A network with a wide layer cuts even a small batch into parts: the wide layers, where the
    time goes, split their columns.)"""
    threads(2)
    rng = np.random.default_rng(2)
    net = trainlab.MultiLayerNetExtend(30, [20, 520], 5, dtype=np.float64, seed=7, **cfg)
    x, t = rng.standard_normal((rows, 30)), rng.integers(0, 5, rows)
    grads = net.gradient(x, t)
    assert net._passes.by_size[rows].executor.last_pass_parts == 2
    ref = book_twin(net, [net.layers[k].mask.copy() for k in net.layers if k.startswith("Dropout")])
    for key, g in ref.gradient(x, t).items():
        scale = max(np.abs(g).max(), 1e-3)
        np.testing.assert_allclose(grads[key], g, rtol=1e-10, atol=1e-12 * scale, err_msg=key)
    assert net.loss(x, t) == pytest.approx(ref.loss(x, t), rel=1e-10)
    np.testing.assert_allclose(net.predict(x), ref.predict(x), rtol=1e-10, atol=1e-12)


def test_rows_split_gradient_matches_numerical_gradient(threads):
    threads(2)
    rng = np.random.default_rng(1)
    net = trainlab.MultiLayerNetExtend(10, [8, 7], 3, dtype=np.float64, seed=3, use_batchnorm=True,
                                       use_dropout=True, dropout_ratio=0.2, weight_decay_lambda=0.01)
    x, t = rng.standard_normal((40, 10)), rng.integers(0, 3, 40)
    num = net.numerical_gradient(x, t)
    grad = {k: v.copy() for k, v in net.gradient(x, t).items()}
    assert net._passes.by_size[40].executor.last_pass_threads == 2
    for key in grad:
        np.testing.assert_allclose(grad[key], num[key], rtol=1e-5, atol=1e-7, err_msg=key)


def test_small_batches_stay_on_one_thread_and_blas_threads_are_restored(threads):
    threads(2)
    before = [lib["num_threads"] for lib in threadpool_info()]
    *_, used_small = train({}, np.float64, 2, threads, rows=20)   # < 16 rows per thread
    *_, used_big = train({}, np.float64, 2, threads, rows=64)
    assert (used_small, used_big) == (1, 2)
    assert [lib["num_threads"] for lib in threadpool_info()] == before


# A layer of 512 outputs or more splits its forward by columns of W and its dx by rows of W.
WIDE = dict(rows=40, sizes=(20, [520, 30], 5))


def _passes(cfg, dtype, n_threads, parts, rows=53, steps=3, sizes=(37, [40, 24], 6)):
    """Losses, predictions and parameters after ``steps`` SGD steps, every pass of the network
    made with ``n_threads`` threads over ``parts`` parts of the rows."""
    import trainlab.networks as N

    def forced(bound, kind, call, *args):
        return call(*args, n_threads, parts)
    rng = np.random.default_rng(0)
    net = trainlab.MultiLayerNetExtend(*sizes, dtype=dtype, seed=4, **cfg)
    opt, seen = SGD(lr=0.1), []
    original, N.run_pass = N.run_pass, forced
    try:
        for step in range(steps):
            x = rng.standard_normal((rows, sizes[0])).astype(dtype)
            t = rng.integers(0, sizes[2], rows)
            target = np.eye(sizes[2])[t] if step == 1 else t  # one-hot: forward, then backward alone
            opt.update(net.params, net.gradient(x, target))
            seen += [net.last_loss, net.loss(x, t), net.loss(x, t, train_flg=True), net.predict(x)]
    finally:
        N.run_pass = original
    executor = net._passes.by_size[rows].executor
    assert (executor.last_pass_threads, executor.last_pass_parts) == (n_threads, parts)
    return seen, net.params.flat.copy()


@pytest.mark.parametrize("cfg", CONFIGS, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [{}, WIDE], ids=["narrow", "wide"])
def test_the_same_parts_give_the_same_bits_on_any_number_of_threads(cfg, dtype, shape):
    """The default thread choice may run a pass on one thread or on several: with the rows cut
    into the same parts, every loss, prediction and parameter is the same to the bit."""
    assert kernels.blas_threads_bound() or trainlab.threads.bind_blas_to_row_parallel_pass()
    parts = 2 if shape else 3
    seen1, params1 = _passes(cfg, dtype, 1, parts, **shape)
    for n_threads in range(2, parts + 1):
        seen, params = _passes(cfg, dtype, n_threads, parts, **shape)
        np.testing.assert_array_equal(params, params1)
        for a, b in zip(seen, seen1):
            np.testing.assert_array_equal(a, b)


def test_a_pass_with_labels_out_of_range_changes_nothing():
    net = trainlab.MultiLayerNet(6, [5], 3, seed=0)
    x = np.random.default_rng(0).random((40, 6)).astype(np.float32)
    before = net.params.flat.copy()
    with pytest.raises(ValueError, match=r"labels outside \[0, 3\): 3 at row 39"):
        net.loss(x, np.r_[np.zeros(39, np.int64), 3])
    big = np.random.default_rng(0).random((3000, 6)).astype(np.float32)  # in chunks: the row of x
    with pytest.raises(ValueError, match=r"labels outside \[0, 3\): 7 at row 2500"):
        net.loss(big, np.where(np.arange(3000) == 2500, 7, 0))
    np.testing.assert_array_equal(net.params.flat, before)


def test_loss_keeps_the_last_layers_result_as_the_book_does():
    net = trainlab.MultiLayerNet(6, [5], 3, seed=0, dtype=np.float64)
    x, t = np.random.default_rng(1).random((20, 6)), np.array([0, 1, 2, 1] * 5)
    value = net.loss(x, t)
    layer = net.last_layer
    expected = np.exp(net.predict(x)) / np.exp(net.predict(x)).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(layer.y, expected, rtol=1e-12)
    assert layer.loss == pytest.approx(value, rel=1e-15)
    np.testing.assert_array_equal(layer.t, t)
    np.testing.assert_allclose(layer.backward(), (expected - np.eye(3)[t]) / 20, rtol=1e-12)
