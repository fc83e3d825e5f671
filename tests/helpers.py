"""Shared test helpers (imported by the test modules; conftest.py holds fixtures)."""
from pathlib import Path

import numpy as np
import pytest
from trainlab.reference import book

# Real Fashion-MNIST, as Debian's dataset-fashion-mnist installs it; the tests on real data skip
# without it (CI installs it).
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
needs_debian_fashion_mnist = pytest.mark.skipif(
    not DEBIAN_FASHION_MNIST.is_dir(),
    reason=f"{DEBIAN_FASHION_MNIST} is absent: install it with `apt-get install dataset-fashion-mnist` "
           "(CI does)")

DTYPES = [np.float32, np.float64]
# Relative tolerance of a kernel against its NumPy twin, by dtype.
RTOL = {np.dtype(np.float32): 2e-5, np.dtype(np.float64): 1e-12}
ATOL = {np.dtype(np.float32): 1e-6, np.dtype(np.float64): 1e-13}


def book_twin(net, dropout_masks=None):
    """The book's network (trainlab.reference.book) with a copy of ``net``'s weights (float64)."""
    mask_source = None
    if dropout_masks is not None:
        it = iter(dropout_masks)
        mask_source = lambda shape: next(it)  # noqa: E731
    ref = book.MultiLayerNetExtend(
        net.input_size, net.hidden_size_list, net.output_size, net.activation,
        net.weight_init_std, net.weight_decay_lambda, use_dropout=net.use_dropout,
        dropout_ration=net.dropout_ratio, use_batchnorm=net.use_batchnorm,
        dropout_mask_source=mask_source)
    for key, value in net.params.items():
        ref.params[key][...] = value  # the book's layers hold these arrays by reference
    return ref
