"""Every compiled kernel against its NumPy twin (trainlab.reference), random shapes, both dtypes."""
import inspect

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import trainlab.kernels as K
import trainlab.reference as R
from helpers import ATOL, RTOL

dims = st.integers(1, 24)
dtypes = st.sampled_from([np.float32, np.float64])
seeds = st.integers(0, 2**32 - 1)
acts = st.sampled_from(["identity", "relu", "sigmoid", "tanh"])


def close(a, b, dtype):
    np.testing.assert_allclose(a, b, rtol=RTOL[np.dtype(dtype)], atol=ATOL[np.dtype(dtype)])


def both(name, arrays, outputs, *scalars, **kw):
    """Run kernel and twin on copies; return (kernel outputs, reference outputs, results)."""
    mine = {k: v.copy() for k, v in arrays.items()}
    ref = {k: v.copy() for k, v in arrays.items()}
    r1 = getattr(K, name)(*mine.values(), *scalars, **kw)
    r2 = getattr(R, name)(*ref.values(), *scalars, **kw)
    return [mine[o] for o in outputs], [ref[o] for o in outputs], (r1, r2)


def test_twins_have_the_same_signatures():
    assert K.__all__ == R.__all__
    for name in K.__all__:
        assert inspect.signature(getattr(K, name)) == inspect.signature(getattr(R, name)), name


@settings(max_examples=60, deadline=None)
@given(n=dims, k=dims, m=dims, dtype=dtypes, act=acts, seed=seeds)
def test_affine_forward(n, k, m, dtype, act, seed):
    rng = np.random.default_rng(seed)
    a = dict(x=rng.standard_normal((n, k)).astype(dtype), W=rng.standard_normal((k, m)).astype(dtype),
             b=rng.standard_normal(m).astype(dtype), out=np.empty((n, m), dtype))
    (o1,), (o2,), _ = both("affine_forward", a, ["out"], act)
    close(o1, o2, dtype)


@settings(max_examples=60, deadline=None)
@given(n=dims, k=dims, m=dims, dtype=dtypes, lam=st.sampled_from([0.0, 0.1]), with_dx=st.booleans(),
       with_db=st.booleans(), seed=seeds)
def test_affine_backward(n, k, m, dtype, lam, with_dx, with_db, seed):
    rng = np.random.default_rng(seed)
    a = dict(x=rng.standard_normal((n, k)).astype(dtype), W=rng.standard_normal((k, m)).astype(dtype),
             dout=rng.standard_normal((n, m)).astype(dtype),
             dx=np.zeros((n, k), dtype) if with_dx else None, dW=np.zeros((k, m), dtype),
             db=np.zeros(m, dtype) if with_db else None)
    mine = {key: None if v is None else v.copy() for key, v in a.items()}
    ref = {key: None if v is None else v.copy() for key, v in a.items()}
    K.affine_backward(*mine.values(), lam)
    R.affine_backward(*ref.values(), lam)
    for key in ("dx", "dW", "db"):
        if a[key] is not None:
            close(mine[key], ref[key], dtype)


@settings(max_examples=60, deadline=None)
@given(n=dims, m=dims, dtype=dtypes, act=acts, with_db=st.booleans(), seed=seeds)
def test_activation_forward_backward(n, m, dtype, act, with_db, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, m)).astype(dtype)
    (y1,), (y2,), _ = both("activation_forward", dict(x=x, out=np.empty_like(x)), ["out"], act)
    close(y1, y2, dtype)
    a = dict(y=y2, dout=rng.standard_normal((n, m)).astype(dtype), dx=np.empty_like(x))
    mine = {k: v.copy() for k, v in a.items()}
    ref = {k: v.copy() for k, v in a.items()}
    db1 = np.zeros(m, dtype) if with_db else None
    db2 = np.zeros(m, dtype) if with_db else None
    K.activation_backward(*mine.values(), act, db1)
    R.activation_backward(*ref.values(), act, db2)
    close(mine["dx"], ref["dx"], dtype)
    if with_db:
        close(db1, db2, dtype)


@settings(max_examples=60, deadline=None)
@given(n=dims, c=st.integers(2, 12), dtype=dtypes, scale=st.floats(0.1, 100), seed=seeds)
def test_softmax_cross_entropy(n, c, dtype, scale, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((n, c)) * scale).astype(dtype)
    t = rng.integers(0, c, n)
    (y1,), (y2,), (l1, l2) = both("softmax_cross_entropy_forward", dict(x=x, t=t, y=np.empty_like(x)), ["y"])
    close(y1, y2, dtype)
    # float32: the kernel sums and takes the log in double, the NumPy twin in float32
    assert l1 == pytest.approx(l2, rel=1e-4, abs=1e-6) if dtype == np.float32 else l1 == pytest.approx(l2, rel=1e-12)
    (d1,), (d2,), _ = both("softmax_cross_entropy_backward", dict(y=y2, t=t, dx=np.empty_like(x)), ["dx"], 1 / n)
    close(d1, d2, dtype)
    onehot = np.eye(c, dtype=dtype)[t]
    (d1,), (d2,), _ = both("softmax_cross_entropy_backward_dense", dict(y=y2, t=onehot, dx=np.empty_like(x)),
                           ["dx"], 1 / n)
    close(d1, d2, dtype)


def test_softmax_is_stable_for_huge_scores():
    x = np.array([[1000.0, 0.0, -1000.0], [-1e4, 1e4, 0]], np.float32)
    y = np.empty_like(x)
    loss = K.softmax_cross_entropy_forward(x, np.array([0, 1]), y)
    assert np.all(np.isfinite(y)) and np.isfinite(loss)
    assert loss == pytest.approx(-np.log(1 + 1e-7), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 24), d=dims, dtype=dtypes, shift=st.floats(-5, 5), seed=seeds)
def test_batchnorm(n, d, dtype, shift, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((n, d)) + shift).astype(dtype)
    per = lambda: rng.standard_normal(d).astype(dtype)  # noqa: E731
    a = dict(x=x, gamma=per(), beta=per(), running_mean=per(), running_var=np.abs(per()))
    outs = dict(xn=np.empty_like(x), inv_std=np.empty(d, dtype), out=np.empty_like(x))
    mine = {k: v.copy() for k, v in {**a, **outs}.items()}
    ref = {k: v.copy() for k, v in {**a, **outs}.items()}
    order = ["x", "gamma", "beta", "running_mean", "running_var"]
    K.batchnorm_forward_train(*[mine[k] for k in order], 0.9, 1e-6, mine["xn"], mine["inv_std"], mine["out"])
    R.batchnorm_forward_train(*[ref[k] for k in order], 0.9, 1e-6, ref["xn"], ref["inv_std"], ref["out"])
    # float32: the kernel accumulates the statistics in double, the twin in float32, and x − μ
    # cancels digits when the spread is small next to the shift
    tol32 = dict(rtol=2e-4, atol=2e-4) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-13)
    for key in ("xn", "inv_std", "out", "running_mean", "running_var"):
        np.testing.assert_allclose(mine[key], ref[key], **tol32, err_msg=key)
    e1, e2 = np.empty_like(x), np.empty_like(x)
    K.batchnorm_forward_eval(*[mine[k] for k in order], 1e-6, e1)
    R.batchnorm_forward_eval(*[ref[k] for k in order], 1e-6, e2)
    np.testing.assert_allclose(e1, e2, **tol32)
    dout = rng.standard_normal((n, d)).astype(dtype)
    g1 = [np.empty_like(x), np.empty(d, dtype), np.empty(d, dtype)]
    g2 = [np.empty_like(x), np.empty(d, dtype), np.empty(d, dtype)]
    K.batchnorm_backward(dout, ref["xn"], a["gamma"], ref["inv_std"], *g1)
    R.batchnorm_backward(dout, ref["xn"], a["gamma"], ref["inv_std"], *g2)
    tol = 1e-4 if dtype == np.float32 else 1e-9  # the book's chain vs the closed form
    # dx is a difference of terms of size |γ|·(1/σ)·|dout| that cancel (exactly, for N = 2):
    # compare on that scale, not on dx's own, which can be pure round-off
    scale = 1 + np.abs(a["gamma"]).max() * np.abs(ref["inv_std"]).max() * np.abs(dout).max()
    for u, v in zip(g1, g2):
        np.testing.assert_allclose(u, v, rtol=tol, atol=tol * max(scale, 1 + np.abs(v).max()))


@settings(max_examples=60, deadline=None)
@given(n=dims, m=dims, dtype=dtypes, ratio=st.floats(0, 0.99), key=st.integers(0, 2**64 - 1),
       counter=st.integers(0, 2**40), seed=seeds)
def test_dropout_is_the_reference_stream(n, m, dtype, ratio, key, counter, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, m)).astype(dtype)
    a = dict(x=x)
    m1, m2 = np.empty((n, m), np.uint8), np.empty((n, m), np.uint8)
    o1, o2 = np.empty_like(x), np.empty_like(x)
    K.dropout_forward(x, ratio, key, counter, m1, o1)
    R.dropout_forward(x, ratio, key, counter, m2, o2)
    np.testing.assert_array_equal(m1, m2)
    np.testing.assert_array_equal(o1, o2)
    dout = rng.standard_normal((n, m)).astype(dtype)
    (d1,), (d2,), _ = both("dropout_backward", dict(dout=dout, mask=m1, dx=np.empty_like(x)), ["dx"])
    np.testing.assert_array_equal(d1, d2)
    assert a["x"] is x


def test_dropout_keep_rate_is_one_minus_ratio():
    x = np.ones((1000, 100), np.float32)
    mask, out = np.empty(x.shape, np.uint8), np.empty_like(x)
    K.dropout_forward(x, 0.3, 42, 0, mask, out)
    assert mask.mean() == pytest.approx(0.7, abs=0.005)


STEPS = {
    "sgd_step": ((), (0.1,)),
    "momentum_step": (("v",), (0.1, 0.9)),
    "nesterov_step": (("v",), (0.1, 0.9)),
    "adagrad_step": (("h",), (0.1,)),
    "rmsprop_step": (("h",), (0.1, 0.99)),
    "adam_step": (("m", "v"), (0.01, 0.9, 0.999)),
}


@pytest.mark.parametrize("name", sorted(STEPS))
@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 5000), dtype=dtypes, wd=st.sampled_from([0.0, 0.01]),
       n_threads=st.sampled_from([1, 2]), seed=seeds)
def test_optimizer_steps(name, n, dtype, wd, n_threads, seed):
    rng = np.random.default_rng(seed)
    states, hyper = STEPS[name]
    a = {"p": rng.standard_normal(n).astype(dtype), "g": rng.standard_normal(n).astype(dtype)}
    for s in states:
        a[s] = np.abs(rng.standard_normal(n)).astype(dtype)
    mine = {k: v.copy() for k, v in a.items()}
    ref = {k: v.copy() for k, v in a.items()}
    getattr(K, name)(*mine.values(), *hyper, wd, n_threads)
    getattr(R, name)(*ref.values(), *hyper, wd, n_threads)
    for key in a:
        close(mine[key], ref[key], dtype)


@settings(max_examples=30, deadline=None)
@given(n=dims, m=dims, dtype=dtypes, n_bad=st.integers(0, 5), seed=seeds)
def test_count_nonfinite(n, m, dtype, n_bad, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, m)).astype(dtype)
    idx = rng.choice(x.size, min(n_bad, x.size), replace=False)
    x.reshape(-1)[idx] = rng.choice([np.nan, np.inf, -np.inf], idx.size)
    assert K.count_nonfinite(x) == R.count_nonfinite(x) == idx.size


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [64, 1000])
def test_threaded_kernels_give_the_single_thread_bits(dtype, n):
    """Batch norm splits rows and optimizers split elements between threads: every element is
    computed with one formula, and batch norm's sums over rows are partials per chunk of rows (a
    cut that depends on n only) added in chunk order, so the bits do not change. n = 1000 cuts
    15 chunks of 64 rows and one of 40."""
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((n, 300)).astype(dtype), rng.standard_normal((n, 300)).astype(dtype)
    gamma, beta = rng.standard_normal(300).astype(dtype), rng.standard_normal(300).astype(dtype)
    adam_state = [rng.standard_normal(300_001).astype(dtype) for _ in range(4)]
    results = []
    for threads in (1, 2, 3, 16):
        rm, rv = np.zeros(300, dtype), np.ones(300, dtype)
        xn, inv, out, dx = np.empty_like(x), np.empty(300, dtype), np.empty_like(x), np.empty_like(x)
        dg, db = np.empty(300, dtype), np.empty(300, dtype)
        K.batchnorm_forward_train(x, gamma, beta, rm, rv, 0.9, 1e-6, xn, inv, out, threads)
        K.batchnorm_backward(dout, xn, gamma, inv, dx, dg, db, threads)
        p, g, m, v = adam_state[0].copy(), adam_state[1], np.abs(adam_state[2]), np.abs(adam_state[3])
        K.adam_step(p, g, m, v, 0.01, 0.9, 0.999, 0.0, threads)
        results.append([out, dx, dg, db, rm, rv, p, m, v])
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


def test_optimizer_steps_have_an_avx2_clone_where_gcc_makes_one():
    """gcc on x86-64 glibc builds the optimizer loops for AVX2 and for baseline x86-64 and the
    loader picks one (target_clones); elsewhere there is one plain build."""
    import os
    import platform
    import sys
    import sysconfig

    from trainlab._ext import _optim

    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or ""
    if not (sys.platform == "linux" and platform.machine() == "x86_64"
            and platform.libc_ver()[0] == "glibc" and "gcc" in cc and "clang" not in cc):
        pytest.skip("function multiversioning is built only with gcc on x86-64 glibc")
    assert _optim.simd_clones()


def _library_imports():
    """(file relative to the trainlab package, imported name) for every import in trainlab."""
    import ast
    from pathlib import Path

    import trainlab

    package = Path(trainlab.__file__).parent
    for path in package.rglob("*.py"):
        rel = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((rel, a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield from ((rel, f"{node.module}.{a.name}") for a in node.names)


def test_only_trainlab_kernels_calls_the_compiled_modules():
    """One seam: layers, networks, optimizers and the rest reach trainlab._ext through
    trainlab.kernels (which checks their input), never directly."""
    direct = [f"{rel}: {name}" for rel, name in _library_imports()
              if name.startswith("trainlab._ext") and not rel.startswith(("kernels/", "_ext/"))]
    assert not direct, direct


def test_the_reference_twins_are_no_runtime_dependency_and_the_library_never_imports_the_app():
    """trainlab.reference is the tests' oracle and the --backend reference of compare_optimizers;
    nothing else in the library uses it. The app depends on the library, never the reverse."""
    reference = [f"{rel}: {name}" for rel, name in _library_imports()
                 if name.startswith("trainlab.reference") and not rel.startswith("reference/")
                 and rel != "experiments/compare_optimizers.py"]
    assert not reference, reference
    app = [f"{rel}: {name}" for rel, name in _library_imports() if name.startswith("trainlab_gui")]
    assert not app, app
