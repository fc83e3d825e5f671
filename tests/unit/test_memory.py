"""A training step allocates nothing after the first one (issue 7's memory goal)."""
import tracemalloc

import numpy as np
import pytest

import trainlab
from trainlab.optim import OPTIMIZERS


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("extend", [dict(), dict(use_batchnorm=True, use_dropout=True, dropout_ratio=0.2)],
                         ids=["plain", "batchnorm+dropout"])
def test_no_allocation_per_step(optimizer, extend):
    rng = np.random.default_rng(0)
    net = trainlab.MultiLayerNetExtend(64, [48, 48, 48], 10, seed=0, **extend)
    opt = OPTIMIZERS[optimizer]()
    x = rng.random((32, 64)).astype(np.float32)
    t = rng.integers(0, 10, 32)
    for _ in range(3):  # first steps bind buffers and optimizer state
        opt.update(net.params, net.gradient(x, t))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(100):
            opt.update(net.params, net.gradient(x, t))
        grown = tracemalloc.get_traced_memory()[0] - before
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    # NumPy reports its array data to tracemalloc: one (32, 48) float32 buffer is 6 kB.
    assert grown < 2048, f"memory grew by {grown} bytes over 100 steps"
    assert peak < 4096, f"a step allocated {peak} bytes at its peak"


def test_peak_memory_of_the_large_network_is_close_to_what_it_must_hold():
    """Issue 7's case (c), 784-1024-1024-10 at batch 256: the peak over network construction and
    the first training steps stays within 1.3x of parameters + gradients (the SGD state) +
    activations."""
    rng = np.random.default_rng(0)
    x = rng.random((256, 784)).astype(np.float32)
    t = rng.integers(0, 10, 256)
    tracemalloc.start()
    try:
        net = trainlab.MultiLayerNet(784, [1024, 1024], 10, seed=0)
        opt = OPTIMIZERS["sgd"]()
        for _ in range(3):
            opt.update(net.params, net.gradient(x, t))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    params = net.params.flat.nbytes
    activations = 256 * (1024 + 1024 + 10) * 4
    assert peak <= 1.3 * (2 * params + activations), (peak, params, activations)
