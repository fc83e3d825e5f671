"""The optimizers' per-key and flat paths against the book's formulas."""
import numpy as np
import pytest

import trainlab.kernels as K
import trainlab.reference as R
from trainlab.optim import Nesterov
from trainlab.params import ParamStore
from trainlab.reference import book


def book_nesterov(p, g, v, lr, m):
    """The book's current Nesterov.update for one array (common/optimizer.py)."""
    p += m * m * v
    p -= (1 + m) * lr * g
    v *= m
    v -= lr * g


def test_nesterov_follows_the_books_current_formula_on_every_path(rng):
    lr, m, steps, shape = 0.1, 0.9, 6, (7, 5)
    p0 = rng.standard_normal(shape)
    grads = [rng.standard_normal(shape) for _ in range(steps)]

    expected, v = p0.copy(), np.zeros(shape)
    for g in grads:
        book_nesterov(expected, g, v, lr, m)

    per_key, per_key_opt = {"W": p0.copy()}, Nesterov(lr=lr, momentum=m)  # a plain dict
    store, flat_opt = ParamStore({"W": shape}, np.float64), Nesterov(lr=lr, momentum=m)  # a network's
    store.params["W"] = p0
    ref, ref_opt = {"W": p0.copy()}, book.Nesterov(lr=lr, momentum=m)
    kernel, kernel_v = p0.copy().reshape(-1), np.zeros(p0.size)
    twin, twin_v = p0.copy().reshape(-1), np.zeros(p0.size)
    for g in grads:
        per_key_opt.update(per_key, {"W": g})
        store.grads["W"] = g
        flat_opt.update(store.params, store.grads)
        ref_opt.update(ref, {"W": g})
        K.nesterov_step(kernel, g.reshape(-1), kernel_v, lr, m)
        R.nesterov_step(twin, g.reshape(-1), twin_v, lr, m)
    assert flat_opt._flat_step is not None and per_key_opt._flat_step is None
    for name, got in [("per key", per_key["W"]), ("flat", store.params["W"]), ("reference.book", ref["W"]),
                      ("kernel", kernel), ("reference kernel", twin)]:
        np.testing.assert_allclose(got.reshape(shape), expected, rtol=1e-14, atol=1e-15, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nesterovs_first_step_moves_by_one_plus_momentum_times_lr_g(dtype, rng):
    """From v = 0 the book's current update is p − (1 + m)·lr·g (the old order gave
    p − (1 + m + m²)·lr·g, 43 % more at m = 0.9)."""
    p0, g = rng.standard_normal(100).astype(dtype), rng.standard_normal(100).astype(dtype)
    p, v = p0.copy(), np.zeros(100, dtype)
    K.nesterov_step(p, g, v, 0.01, 0.9)
    np.testing.assert_allclose(p, p0 - dtype(1.9 * 0.01) * g, rtol=1e-6 if dtype == np.float32 else 1e-15)
    np.testing.assert_allclose(v, dtype(-0.01) * g, rtol=1e-6 if dtype == np.float32 else 1e-15)
