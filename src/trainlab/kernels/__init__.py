"""The one way into the compiled kernels: every call from trainlab's layers, networks and
optimizers goes through this package, which checks shapes, dtypes, contiguity and writability,
then calls ``trainlab._ext`` (compiled with bounds checks off).

The functions listed in ``__all__`` check every call. ``trainlab.reference`` has a plain-NumPy twin
of each, same name and signature; the tests hold the two to each other. Outputs are written in
place into the arrays passed in. All float arrays of one call share one dtype (float32 or
float64). Each raises ValueError naming the argument that is not a C-contiguous float32/float64
ndarray of the call's one dtype, has the wrong number of dimensions or shape, or is a read-only
output.

The hot paths are bound once instead (:mod:`trainlab.kernels.bound`): a network's plan for a
batch size (:func:`bind_network`) and an optimizer's step over a flat buffer
(:func:`bind_step`) are checked when they are made; each call then goes straight to the
compiled code, whose own checks are a few integer comparisons.
"""
from __future__ import annotations

import numpy as np

from trainlab._ext import _activation, _affine, _batchnorm, _checks, _dropout, _optim, _softmax
from trainlab._validate import ACTIVATIONS, activation_code, check_array, unit_interval
from trainlab.kernels.bound import (BoundNetwork, BoundSizes, bind_blas_threads,  # noqa: F401
                                    bind_network, bind_step, blas_module, blas_threads_bound)

__all__ = [
    "affine_forward", "affine_backward", "activation_forward", "activation_backward",
    "softmax_cross_entropy_forward", "softmax_cross_entropy_backward",
    "softmax_cross_entropy_backward_dense", "batchnorm_forward_train", "batchnorm_forward_eval",
    "batchnorm_backward", "dropout_forward", "dropout_backward", "sgd_step", "momentum_step",
    "nesterov_step", "adagrad_step", "rmsprop_step", "adam_step", "count_nonfinite",
]


def _code(activation) -> int:
    if isinstance(activation, (int, np.integer)) and not isinstance(activation, bool):
        if int(activation) in ACTIVATIONS.values():
            return int(activation)
        raise ValueError(f"unknown activation code {activation}; expected 0..3")
    return activation_code(activation)


# The dimensions of the kernels' array arguments, by name (an optimizer step's are all 1-D).
_NDIM = {"x": 2, "W": 2, "out": 2, "dout": 2, "dx": 2, "dW": 2, "y": 2, "t": 2, "xn": 2, "b": 1,
         "db": 1, "gamma": 1, "beta": 1, "running_mean": 1, "running_var": 1, "inv_std": 1,
         "dgamma": 1, "dbeta": 1}


def _floats(inputs: dict, outputs: dict, ndim=None):
    """Check that every array is a C-contiguous float array of one dtype (of ``ndim``
    dimensions, else those of its name in _NDIM); outputs writable."""
    dtype = None
    for group, writable in ((inputs, False), (outputs, True)):
        for name, a in group.items():
            if a is None:
                continue
            check_array(name, a, dtype=dtype, ndim=ndim or _NDIM[name], writable=writable)
            dtype = a.dtype


def _labels(t, n_rows: int):
    if not isinstance(t, np.ndarray) or t.dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise ValueError("t must be an int32 or int64 label array of shape (N,)")
    check_array("t", t, dtype=t.dtype, ndim=1)
    if t.shape[0] != n_rows:
        raise ValueError(f"t has {t.shape[0]} labels for {n_rows} rows")
    return t


def affine_forward(x, W, b, out, activation=0):
    """out := act(x·W + b). x (N,K), W (K,M), b (M,), out (N,M); act by code or name.

    Parameters
    ----------
    x, W, b : numpy.ndarray
        Input (N, K), weights (K, M), bias (M,).
    out : numpy.ndarray
        Output (N, M), written in place.
    activation : int or str
        ``'identity'`` (0), ``'relu'`` (1), ``'sigmoid'`` (2) or ``'tanh'`` (3), fused into the
        pass (default identity).

    Raises
    ------
    ValueError
        See the module; also an unknown ``activation``.
    """
    _floats({"x": x, "W": W, "b": b}, {"out": out})
    _affine.affine_forward(x, W, b, out, _code(activation))


def affine_backward(x, W, dout, dx, dW, db, weight_decay_lambda=0.0):
    """dx := dout·Wᵀ (skipped if None), dW := xᵀ·dout + λW, db := Σ dout (skipped if None).

    Parameters
    ----------
    x, W, dout : numpy.ndarray
        The forward's input (N, K), weights (K, M) and upstream gradient (N, M).
    dx, dW, db : numpy.ndarray or None
        Outputs (N, K), (K, M), (M,), written in place; ``dx`` and ``db`` may be None.
    weight_decay_lambda : float
        λ of ``dW := xᵀ·dout + λW`` (0: plain gradient).

    Raises
    ------
    ValueError
        See the module.
    """
    _floats({"x": x, "W": W, "dout": dout}, {"dx": dx, "dW": dW, "db": db})
    _affine.affine_backward(x, W, dout, dx, dW, db, float(weight_decay_lambda))


def activation_forward(x, out, activation):
    """out := act(x) for 2-D x.

    Parameters
    ----------
    x, out : numpy.ndarray
        Input and output (N, M).
    activation : int or str
        ``'identity'`` (0), ``'relu'`` (1), ``'sigmoid'`` (2) or ``'tanh'`` (3).

    Raises
    ------
    ValueError
        See the module; also an unknown ``activation``.
    """
    _floats({"x": x}, {"out": out})
    _activation.activation_forward(x, out, _code(activation))


def activation_backward(y, dout, dx, activation, db=None):
    """dx := act'(y)·dout from the forward output y; db := Σ_rows dx when given.

    Parameters
    ----------
    y, dout, dx : numpy.ndarray
        The forward's output, upstream gradient and result (N, M).
    activation : int or str
        ``'identity'`` (0), ``'relu'`` (1), ``'sigmoid'`` (2) or ``'tanh'`` (3).
    db : numpy.ndarray, optional
        (M,): receives the column sums of ``dx`` (the bias gradient) in the same pass.

    Raises
    ------
    ValueError
        See the module; also an unknown ``activation``.
    """
    _floats({"y": y, "dout": dout}, {"dx": dx, "db": db})
    _activation.activation_backward(y, dout, dx, _code(activation), db)


def softmax_cross_entropy_forward(x, t, y):
    """y := softmax(x); returns −mean log(y[i, t_i] + 1e-7). t: int labels (N,)."""
    _floats({"x": x}, {"y": y})
    return _softmax.softmax_cross_entropy_forward(x, _labels(t, x.shape[0]), y)


def softmax_cross_entropy_backward(y, t, dx, scale):
    """dx := (y − onehot(t))·scale."""
    _floats({"y": y}, {"dx": dx})
    _softmax.softmax_cross_entropy_backward(y, _labels(t, y.shape[0]), dx, float(scale))


def softmax_cross_entropy_backward_dense(y, t, dx, scale):
    """dx := (y − t)·scale for a dense target t (N,C)."""
    _floats({"y": y, "t": t}, {"dx": dx})
    _softmax.softmax_cross_entropy_backward_dense(y, t, dx, float(scale))


def batchnorm_forward_train(x, gamma, beta, running_mean, running_var, momentum, eps, xn, inv_std, out,
                            n_threads=1):
    """Train-mode batch norm: fills xn, inv_std, out and updates the running statistics.

    Parameters
    ----------
    x, out, xn : numpy.ndarray
        Input, output and normalised input x̂ (N, D).
    gamma, beta : numpy.ndarray
        Scale and shift (D,).
    running_mean, running_var : numpy.ndarray
        (D,), updated in place as ``momentum·running + (1 − momentum)·batch``.
    momentum : float
        In [0, 1) (the book's 0.9).
    eps : float
        Added to the variance (finite, > 0).
    inv_std : numpy.ndarray
        (D,): receives 1/σ.
    n_threads : int
        OpenMP threads of the pass (≥ 1; results are the same for any count).

    Raises
    ------
    ValueError
        See the module; also ``momentum`` outside [0, 1), ``eps`` not finite and positive, ``n_threads`` < 1.
    """
    _floats({"x": x, "gamma": gamma, "beta": beta},
            {"running_mean": running_mean, "running_var": running_var, "xn": xn,
             "inv_std": inv_std, "out": out})
    unit_interval("momentum", momentum)
    _batchnorm.batchnorm_forward_train(x, gamma, beta, running_mean, running_var, float(momentum),
                                       _eps(eps), xn, inv_std, out, _threads(n_threads))


def batchnorm_forward_eval(x, gamma, beta, running_mean, running_var, eps, out, n_threads=1):
    """Eval-mode batch norm from the running statistics.

    Parameters
    ----------
    x, out : numpy.ndarray
        Input and output (N, D).
    gamma, beta, running_mean, running_var : numpy.ndarray
        (D,) each.
    eps : float
        Added to the running variance (finite, > 0).
    n_threads : int
        OpenMP threads of the pass (≥ 1; results are the same for any count).

    Raises
    ------
    ValueError
        See the module; also ``eps`` not finite and positive, ``n_threads`` < 1.
    """
    _floats({"x": x, "gamma": gamma, "beta": beta, "running_mean": running_mean,
             "running_var": running_var}, {"out": out})
    _batchnorm.batchnorm_forward_eval(x, gamma, beta, running_mean, running_var, _eps(eps), out,
                                      _threads(n_threads))


def batchnorm_backward(dout, xn, gamma, inv_std, dx, dgamma, dbeta, n_threads=1):
    """dx, dgamma, dbeta of train-mode batch norm.

    Parameters
    ----------
    dout, xn, dx : numpy.ndarray
        Upstream gradient, the forward's x̂ and the result (N, D).
    gamma, inv_std : numpy.ndarray
        Scale and the forward's 1/σ (D,).
    dgamma, dbeta : numpy.ndarray
        (D,): receive Σ dout·x̂ and Σ dout.
    n_threads : int
        OpenMP threads of the pass (≥ 1; results are the same for any count).

    Notes
    -----
    ``dx = (γ/σ)/N·(N·dout − dβ − x̂·dγ)``, derived in the documentation's techniques page.

    Raises
    ------
    ValueError
        See the module; also ``n_threads`` < 1.
    """
    _floats({"dout": dout, "xn": xn, "gamma": gamma, "inv_std": inv_std},
            {"dx": dx, "dgamma": dgamma, "dbeta": dbeta})
    _batchnorm.batchnorm_backward(dout, xn, gamma, inv_std, dx, dgamma, dbeta, _threads(n_threads))


def _threads(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n_threads must be a positive integer, got {n!r}")
    return int(n)


def _eps(eps) -> float:
    eps = float(eps)
    if not (eps > 0 and np.isfinite(eps)):
        raise ValueError(f"eps must be finite and > 0, got {eps}")
    return eps


def dropout_forward(x, ratio, key, counter, mask, out):
    """mask := u > ratio from the (key, counter) stream, out := x·mask."""
    _floats({"x": x}, {"out": out})
    check_array("mask", mask, dtype=np.dtype(np.uint8), ndim=2, writable=True)
    _dropout.dropout_forward(x, unit_interval("ratio", ratio), int(key), int(counter), mask, out)


def dropout_backward(dout, mask, dx):
    """dx := dout·mask."""
    _floats({"dout": dout}, {"dx": dx})
    check_array("mask", mask, dtype=np.dtype(np.uint8), ndim=2)
    _dropout.dropout_backward(dout, mask, dx)


def _step_arrays(p, g, *state):
    arrays = {"p": p, "g": g, **{f"state{i}": s for i, s in enumerate(state)}}
    _floats({"g": g}, {n: a for n, a in arrays.items() if n != "g"}, ndim=1)
    shapes = {n: a.shape for n, a in arrays.items() if a is not None}
    if len(set(shapes.values())) > 1:
        raise ValueError(f"arrays must have one shape, got {shapes}")


def _step_doc(formula: str, state: str, scalars: str):
    """The docstring of an optimizer step: its formula, its state and scalars, the shared rest."""
    def document(fn):
        fn.__doc__ = f"""{formula}

    Parameters
    ----------
    p, g : numpy.ndarray
        Parameters (updated in place) and gradients, 1-D, one shape.{state}
    {scalars}
    weight_decay : float
        Added to the gradient as ``weight_decay·p`` before the step (0: none).
    n_threads : int
        OpenMP threads of the pass (≥ 1; results are the same for any count).

    Raises
    ------
    ValueError
        See the module.
    """
        return fn
    return document


def _state_doc(names: str) -> str:
    return f"\n    {names} : numpy.ndarray\n        The optimizer's state, same shape, updated in place."


@_step_doc("p -= lr·(g + wd·p)", "", "lr : float\n        Learning rate.")
def sgd_step(p, g, lr, weight_decay=0.0, n_threads=1):
    _step_arrays(p, g)
    _optim.sgd_step(p, g, lr, weight_decay, n_threads)


@_step_doc("v := momentum·v − lr·g; p += v", _state_doc("v"),
           "lr, momentum : float\n        Learning rate and momentum coefficient.")
def momentum_step(p, g, v, lr, momentum, weight_decay=0.0, n_threads=1):
    _step_arrays(p, g, v)
    _optim.momentum_step(p, g, v, lr, momentum, weight_decay, n_threads)


@_step_doc("The book's Nesterov, from the previous velocity: p += momentum²·v; "
           "p -= (1 + momentum)·lr·g; then v := momentum·v − lr·g", _state_doc("v"),
           "lr, momentum : float\n        Learning rate and momentum coefficient.")
def nesterov_step(p, g, v, lr, momentum, weight_decay=0.0, n_threads=1):
    _step_arrays(p, g, v)
    _optim.nesterov_step(p, g, v, lr, momentum, weight_decay, n_threads)


@_step_doc("h += g²; p -= lr·g/(√h + 1e-7)", _state_doc("h"), "lr : float\n        Learning rate.")
def adagrad_step(p, g, h, lr, weight_decay=0.0, n_threads=1):
    _step_arrays(p, g, h)
    _optim.adagrad_step(p, g, h, lr, weight_decay, n_threads)


@_step_doc("h := decay·h + (1 − decay)·g²; p -= lr·g/(√h + 1e-7)", _state_doc("h"),
           "lr, decay_rate : float\n        Learning rate and decay of the running mean of g².")
def rmsprop_step(p, g, h, lr, decay_rate, weight_decay=0.0, n_threads=1):
    _step_arrays(p, g, h)
    _optim.rmsprop_step(p, g, h, lr, decay_rate, weight_decay, n_threads)


@_step_doc("m += (1 − β1)(g − m); v += (1 − β2)(g² − v); p -= lr_t·m/(√v + 1e-7)", _state_doc("m, v"),
           "lr_t : float\n        The bias-corrected rate ``lr·√(1 − β2ᵗ)/(1 − β1ᵗ)``.\n"
           "    beta1, beta2 : float\n        Decays of the two moments.")
def adam_step(p, g, m, v, lr_t, beta1, beta2, weight_decay=0.0, n_threads=1):
    _step_arrays(p, g, m, v)
    _optim.adam_step(p, g, m, v, lr_t, beta1, beta2, weight_decay, n_threads)


def count_nonfinite(a):
    """Number of NaN/inf entries of a C-contiguous float array.

    Parameters
    ----------
    a : numpy.ndarray
        Any shape.
    """
    check_array("a", a)
    return _checks.count_nonfinite(a.reshape(-1))


def check_finite(name: str, a) -> None:
    """Raise a ValueError naming ``name`` if ``a`` holds NaN or inf (one compiled pass that
    allocates nothing).

    Parameters
    ----------
    name : str
        What ``a`` is, for the message.
    a : numpy.ndarray
        A C-contiguous float array of any shape.
    """
    bad = int(count_nonfinite(a)) if a.size else 0
    if bad:
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s)")

