"""Plain-NumPy twins of ``trainlab.kernels``: the book's formulas, same names and signatures.

They are the specification the compiled kernels are tested against, and the "book" side of
the benchmarks. They write their results into the output arrays, as the kernels do.
"""
from __future__ import annotations

import numpy as np

from trainlab._validate import ACTIVATIONS

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _act(code):
    if isinstance(code, str):
        code = ACTIVATIONS[code.lower()]
    return int(code)


def _forward(a, code):
    if code == 1:
        out = a.copy()
        out[a <= 0] = 0
        return out
    if code == 2:
        return 1 / (1 + np.exp(-a))
    if code == 3:
        return np.tanh(a)
    return a


def _backward(y, dout, code):
    if code == 1:
        dx = dout.copy()
        dx[y <= 0] = 0
        return dx
    if code == 2:
        return dout * (1.0 - y) * y
    if code == 3:
        return dout * (1.0 - y * y)
    return dout


def affine_forward(x, W, b, out, activation=0):
    """NumPy twin of :func:`trainlab.kernels.affine_forward`: the same parameters (``x``, ``W``,
    ``b``, ``out``, ``activation``), the same results written into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    out[...] = _forward(np.dot(x, W) + b, _act(activation))


def affine_backward(x, W, dout, dx, dW, db, weight_decay_lambda=0.0):
    """NumPy twin of :func:`trainlab.kernels.affine_backward`: the same parameters (``x``,
    ``W``, ``dout``, ``dx``, ``dW``, ``db``, ``weight_decay_lambda``), the same results written
    into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    if dx is not None:
        dx[...] = np.dot(dout, W.T)
    dW[...] = np.dot(x.T, dout) + weight_decay_lambda * W
    if db is not None:
        db[...] = np.sum(dout, axis=0)


def activation_forward(x, out, activation):
    """NumPy twin of :func:`trainlab.kernels.activation_forward`: the same parameters (``x``,
    ``out``, ``activation``), the same results written into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    out[...] = _forward(x, _act(activation))


def activation_backward(y, dout, dx, activation, db=None):
    """NumPy twin of :func:`trainlab.kernels.activation_backward`: the same parameters (``y``,
    ``dout``, ``dx``, ``activation``, ``db``), the same results written into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    dx[...] = _backward(y, dout, _act(activation))
    if db is not None:
        db[...] = np.sum(dx, axis=0)


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def softmax_cross_entropy_forward(x, t, y):
    """NumPy twin of :func:`trainlab.kernels.softmax_cross_entropy_forward`: the same parameters
    (``x``, ``t``, ``y``), the same results written into the output arrays.

    Returns the mean cross-entropy loss.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    y[...] = softmax(x)
    n = y.shape[0]
    return float(-np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n)


def softmax_cross_entropy_backward(y, t, dx, scale):
    """NumPy twin of :func:`trainlab.kernels.softmax_cross_entropy_backward`: the same
    parameters (``y``, ``t``, ``dx``, ``scale``), the same results written into the output
    arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    d = y.copy()
    d[np.arange(y.shape[0]), t] -= 1
    dx[...] = d * scale


def softmax_cross_entropy_backward_dense(y, t, dx, scale):
    """NumPy twin of :func:`trainlab.kernels.softmax_cross_entropy_backward_dense`: the same
    parameters (``y``, ``t``, ``dx``, ``scale``), the same results written into the output
    arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    dx[...] = (y - t) * scale


def batchnorm_forward_train(x, gamma, beta, running_mean, running_var, momentum, eps, xn, inv_std, out,
                            n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.batchnorm_forward_train`: the same parameters
    (``x``, ``gamma``, ``beta``, ``running_mean``, ``running_var``, ``momentum``, ``eps``,
    ``xn``, ``inv_std``, ``out``, ``n_threads``), the same results written into the output
    arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    mu = x.mean(axis=0)
    xc = x - mu
    var = np.mean(xc ** 2, axis=0)
    std = np.sqrt(var + eps)
    xn[...] = xc / std
    inv_std[...] = 1.0 / std
    running_mean[...] = momentum * running_mean + (1 - momentum) * mu
    running_var[...] = momentum * running_var + (1 - momentum) * var
    out[...] = gamma * xn + beta


def batchnorm_forward_eval(x, gamma, beta, running_mean, running_var, eps, out, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.batchnorm_forward_eval`: the same parameters
    (``x``, ``gamma``, ``beta``, ``running_mean``, ``running_var``, ``eps``, ``out``,
    ``n_threads``), the same results written into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    xc = x - running_mean
    out[...] = gamma * (xc / np.sqrt(running_var + eps)) + beta


def batchnorm_backward(dout, xn, gamma, inv_std, dx, dgamma, dbeta, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.batchnorm_backward`: the same parameters (``dout``,
    ``xn``, ``gamma``, ``inv_std``, ``dx``, ``dgamma``, ``dbeta``, ``n_threads``), the same
    results written into the output arrays.

    It keeps the book's chain of steps (``dxn = γ·dout``, ``dxc = dxn/σ``, ``dstd``, ``dvar``,
    ``dμ``); the kernel computes the same in closed form.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    # The book's step-by-step chain, with xc = xn·std recovered from the cache.
    n = dout.shape[0]
    std = 1.0 / inv_std
    xc = xn * std
    dbeta[...] = dout.sum(axis=0)
    dgamma[...] = np.sum(xn * dout, axis=0)
    dxn = gamma * dout
    dxc = dxn / std
    dstd = -np.sum((dxn * xc) / (std * std), axis=0)
    dvar = 0.5 * dstd / std
    dxc += (2.0 / n) * xc * dvar
    dmu = np.sum(dxc, axis=0)
    dx[...] = dxc - dmu / n


def dropout_uniform(key, counter, size):
    """The kernel's counter-based stream: splitmix64 of key + (counter + i + 1)·φ, top 53 bits."""
    i = np.arange(size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(key) + (np.uint64(counter) + i + np.uint64(1)) * _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def dropout_forward(x, ratio, key, counter, mask, out):
    """NumPy twin of :func:`trainlab.kernels.dropout_forward`: the same parameters (``x``,
    ``ratio``, ``key``, ``counter``, ``mask``, ``out``), the same results written into the
    output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    keep = dropout_uniform(key, counter, x.size).reshape(x.shape) > ratio
    mask[...] = keep
    out[...] = x * keep


def dropout_backward(dout, mask, dx):
    """NumPy twin of :func:`trainlab.kernels.dropout_backward`: the same parameters (``dout``,
    ``mask``, ``dx``), the same results written into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    dx[...] = dout * mask.astype(bool)


def sgd_step(p, g, lr, weight_decay=0.0, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.sgd_step`: the same parameters (``p``, ``g``,
    ``lr``, ``weight_decay``, ``n_threads``), the same results written into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    p -= lr * (g + weight_decay * p)


def momentum_step(p, g, v, lr, momentum, weight_decay=0.0, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.momentum_step`: the same parameters (``p``, ``g``,
    ``v``, ``lr``, ``momentum``, ``weight_decay``, ``n_threads``), the same results written into
    the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    v *= momentum
    v -= lr * (g + weight_decay * p)
    p += v


def nesterov_step(p, g, v, lr, momentum, weight_decay=0.0, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.nesterov_step`: the same parameters (``p``, ``g``,
    ``v``, ``lr``, ``momentum``, ``weight_decay``, ``n_threads``), the same results written into
    the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    g = g + weight_decay * p
    p += momentum * momentum * v
    p -= (1 + momentum) * lr * g
    v *= momentum
    v -= lr * g


def adagrad_step(p, g, h, lr, weight_decay=0.0, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.adagrad_step`: the same parameters (``p``, ``g``,
    ``h``, ``lr``, ``weight_decay``, ``n_threads``), the same results written into the output
    arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    g = g + weight_decay * p
    h += g * g
    p -= lr * g / (np.sqrt(h) + 1e-7)


def rmsprop_step(p, g, h, lr, decay_rate, weight_decay=0.0, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.rmsprop_step`: the same parameters (``p``, ``g``,
    ``h``, ``lr``, ``decay_rate``, ``weight_decay``, ``n_threads``), the same results written
    into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    g = g + weight_decay * p
    h *= decay_rate
    h += (1 - decay_rate) * g * g
    p -= lr * g / (np.sqrt(h) + 1e-7)


def adam_step(p, g, m, v, lr_t, beta1, beta2, weight_decay=0.0, n_threads=1):
    """NumPy twin of :func:`trainlab.kernels.adam_step`: the same parameters (``p``, ``g``,
    ``m``, ``v``, ``lr_t``, ``beta1``, ``beta2``, ``weight_decay``, ``n_threads``), the same
    results written into the output arrays.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input; ``n_threads`` is accepted and ignored.
    """
    g = g + weight_decay * p
    m += (1 - beta1) * (g - m)
    v += (1 - beta2) * (g ** 2 - v)
    p -= lr_t * m / (np.sqrt(v) + 1e-7)


def count_nonfinite(a):
    """NumPy twin of :func:`trainlab.kernels.count_nonfinite`: the same parameters (``a``), the
    same results written into the output arrays.

    Returns the number of NaN/inf entries of ``a`` as an int.

    Raises
    ------
    ValueError
        Only where NumPy itself raises (shapes that do not broadcast): the reference does
        not check its input.
    """
    return int(np.count_nonzero(~np.isfinite(a)))


from trainlab.kernels import __all__  # noqa: E402  (the twin exports exactly the same names)
