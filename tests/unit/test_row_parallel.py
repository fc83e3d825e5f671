"""The training pass split by rows between threads (NetExecutor, trainlab.set_num_threads > 1):
the same gradients, losses, dropout masks and batch-norm statistics as one thread."""
import numpy as np
import pytest
from threadpoolctl import threadpool_info

import trainlab
from trainlab.optim import SGD
from trainlab import kernels

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
