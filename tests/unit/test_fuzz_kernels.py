"""Throw random shapes, dtypes, strides, flags and values at every kernel wrapper
(trainlab.kernels): each call must end in a clean ValueError or give the reference's result —
never a crash, a hang or a silent wrong answer."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import trainlab.kernels as K
import trainlab.reference as R


def valid_args(name, n, k, m, dtype, rng):
    f = lambda *shape: rng.standard_normal(shape).astype(dtype)  # noqa: E731
    e = lambda *shape: np.zeros(shape, dtype)  # noqa: E731
    if name == "affine_forward":
        return [f(n, k), f(k, m), f(m), e(n, m), 1], ["out"]
    if name == "affine_backward":
        return [f(n, k), f(k, m), f(n, m), e(n, k), e(k, m), e(m), 0.1], ["dx", "dW", "db"]
    if name == "activation_forward":
        return [f(n, m), e(n, m), "tanh"], ["out"]
    if name == "activation_backward":
        return [np.abs(f(n, m)), f(n, m), e(n, m), "relu", e(m)], ["dx", "db"]
    if name == "softmax_cross_entropy_forward":
        return [f(n, m), rng.integers(0, m, n), e(n, m)], ["y"]
    if name == "softmax_cross_entropy_backward":
        y = np.abs(f(n, m))
        return [y / y.sum(1, keepdims=True), rng.integers(0, m, n), e(n, m), 1 / max(n, 1)], ["dx"]
    if name == "batchnorm_forward_train":
        return [f(n, m), f(m), f(m), f(m), np.abs(f(m)), 0.9, 1e-6, e(n, m), e(m), e(n, m)], \
            ["running_mean", "running_var", "xn", "inv_std", "out"]
    if name == "batchnorm_backward":  # x̂ and 1/σ must come from a forward pass to be consistent
        xn, inv = e(n, m), e(m)
        if n:
            R.batchnorm_forward_train(f(n, m), f(m), f(m), e(m), e(m), 0.9, 1e-6, xn, inv, e(n, m))
        return [f(n, m), xn, f(m), inv, e(n, m), e(m), e(m)], ["dx", "dgamma", "dbeta"]
    if name == "dropout_forward":
        return [f(n, m), 0.4, 7, 11, np.zeros((n, m), np.uint8), e(n, m)], ["mask", "out"]
    if name == "adam_step":
        return [f(n * m), f(n * m), np.abs(f(n * m)), np.abs(f(n * m)), 0.01, 0.9, 0.999], ["p", "m", "v"]
    if name == "rmsprop_step":
        return [f(n * m), f(n * m), np.abs(f(n * m)), 0.01, 0.99], ["p", "h"]
    raise KeyError(name)


NAMES = ["affine_forward", "affine_backward", "activation_forward", "activation_backward",
         "softmax_cross_entropy_forward", "softmax_cross_entropy_backward", "batchnorm_forward_train",
         "batchnorm_backward", "dropout_forward", "adam_step", "rmsprop_step"]

MUTATIONS = ["none", "dtype", "shape", "ndim", "strided", "readonly", "fortran", "nan", "list", "scalar"]


def mutate(arr, how, rng):
    if how == "dtype":
        return arr.astype(rng.choice([np.float16, np.float32, np.float64, np.int32, np.int64, np.uint8]))
    if how == "shape":
        axis = int(rng.integers(0, arr.ndim))
        shape = list(arr.shape)
        shape[axis] = max(0, shape[axis] + int(rng.choice([-1, 1])))
        return np.resize(arr, shape)
    if how == "ndim":
        return arr.reshape(arr.shape + (1,)) if rng.random() < 0.5 else arr.reshape(-1)
    if how == "strided":
        return np.repeat(arr, 2, axis=-1)[..., ::2]
    if how == "readonly":
        arr = arr.copy()
        arr.flags.writeable = False
        return arr
    if how == "fortran":
        return np.asfortranarray(arr)
    if how == "nan":
        arr = arr.copy()
        if arr.size and arr.dtype.kind == "f":
            arr.reshape(-1)[int(rng.integers(0, arr.size))] = rng.choice([np.nan, np.inf])
        return arr
    if how == "list":
        return arr.tolist()
    if how == "scalar":
        return 1.0
    return arr


def copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), n=st.integers(0, 6), k=st.integers(0, 6), m=st.integers(1, 6),
       dtype=st.sampled_from([np.float32, np.float64]), how=st.sampled_from(MUTATIONS),
       which=st.integers(0, 9), seed=st.integers(0, 2**32 - 1))
def test_kernel_wrappers_fail_cleanly_or_match_the_reference(name, n, k, m, dtype, how, which, seed):
    rng = np.random.default_rng(seed)
    args, _ = valid_args(name, n, k, m, dtype, rng)
    array_positions = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]
    pos = array_positions[which % len(array_positions)]
    args[pos] = mutate(args[pos], how, rng)
    mine, ref = copies(args), copies(args)
    try:
        result = getattr(K, name)(*mine)
    except (ValueError, TypeError) as exc:
        assert str(exc), "errors must say what is wrong"
        return
    with np.errstate(all="ignore"):
        ref_result = getattr(R, name)(*ref)
    if result is not None:
        np.testing.assert_allclose(result, ref_result, rtol=1e-4, atol=1e-6)
    for a, b in zip(mine, ref):
        if isinstance(a, np.ndarray):
            if how == "nan":  # NaN and inf may turn into each other along two formulas: compare finiteness
                np.testing.assert_array_equal(np.isfinite(a), np.isfinite(b))
                a, b = np.where(np.isfinite(a), a, 0), np.where(np.isfinite(b), b, 0)
            np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("name", NAMES)
def test_zero_rows_never_crash(name):
    rng = np.random.default_rng(0)
    args, _ = valid_args(name, 0, 3, 4, np.float32, rng)
    try:
        getattr(K, name)(*args)
    except ValueError as exc:
        assert "empty" in str(exc) or "shape" in str(exc) or "length" in str(exc)
