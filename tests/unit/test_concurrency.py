"""One network called from several threads, and a child process made by fork after the parent
ran the kernels on several threads."""
import multiprocessing
import sys
import threading

import numpy as np
import pytest

import trainlab
from trainlab.optim import Adam


def test_threads_predicting_with_different_batch_sizes_get_their_own_results():
    """5 threads × 2000 calls on one network, each with its own batch size (more sizes than the
    network keeps bound): every result has its rows and the values of a call made alone."""
    net = trainlab.MultiLayerNetExtend(20, [16, 12], 5, use_batchnorm=True, seed=0)
    rng = np.random.default_rng(0)
    batches = [rng.standard_normal((n, 20)).astype(np.float32) for n in (1, 2, 3, 5, 8)]
    expected = [net.predict(x) for x in batches]
    failures = []

    def work(i):
        for _ in range(2000):
            out = net.predict(batches[i])
            if out.shape != expected[i].shape or not np.array_equal(out, expected[i]):
                failures.append((i, out.shape))
                return

    threads = [threading.Thread(target=work, args=(i,)) for i in range(5)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not failures, failures[:5]


def _train_in_child(net, opt, x, t, results):
    grads = net.gradient(x, t)
    opt.update(net.params, grads)
    results.put((net.last_loss, float(net.loss(x, t)), trainlab.get_num_threads()))


@pytest.mark.skipif(sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
                    reason="needs the fork start method")
def test_a_fork_child_trains_after_the_parent_ran_threaded_kernels():
    trainlab.set_num_threads(2)
    try:
        rng = np.random.default_rng(0)
        # 784-256-256-10 with batch norm: the training pass splits its rows between two threads,
        # batch norm and the Adam step over ~270k parameters run OpenMP regions too
        net = trainlab.MultiLayerNetExtend(784, [256, 256], 10, use_batchnorm=True, seed=0,
                                           dtype=np.float64)
        opt = Adam(lr=1e-3)
        x, t = rng.random((512, 784)), rng.integers(0, 10, 512)
        for _ in range(2):
            opt.update(net.params, net.gradient(x, t))
        assert net._passes.by_size[512].executor.last_pass_threads == 2
        results = multiprocessing.get_context("fork").Queue()
        child = multiprocessing.get_context("fork").Process(
            target=_train_in_child, args=(net, opt, x, t, results))
        child.start()
        child.join(timeout=120)
        if child.is_alive():
            child.kill()
            child.join()
            pytest.fail("the fork child hung in its first training step")
        assert child.exitcode == 0
        loss_before, loss_after, child_threads = results.get(timeout=10)
        _train_in_child(net, opt, x, t, results)  # the same step in the parent, on two threads
        expected = results.get(timeout=10)
        assert child_threads == 1
        assert loss_before == pytest.approx(expected[0], rel=1e-10)
        assert loss_after == pytest.approx(expected[1], rel=1e-10)
    finally:
        trainlab.set_num_threads(None)
