"""Plain-NumPy twins of ``trainlab.kernels``: the book's formulas, same names and signatures.

They are the specification the compiled kernels are tested against, and the "book" side of
the benchmarks. They write their results into the output arrays, as the kernels do.
"""
from __future__ import annotations

import inspect
import textwrap

import numpy as np

from trainlab._validate import ACTIVATIONS

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _twin(fn):
    """Give a twin its docstring: the kernel it mirrors, its parameters (from its signature) and
    what it raises; the twin's own docstring, if any, follows as a note."""
    params = inspect.signature(fn).parameters
    names = ", ".join(f"``{n}``" for n in params)
    head = textwrap.fill(f"NumPy twin of :func:`trainlab.kernels.{fn.__name__}`: the same "
                         f"parameters ({names}), the same results written into the output "
                         "arrays.", 92)
    note = f"\n\n{inspect.cleandoc(fn.__doc__)}" if fn.__doc__ else ""
    ignored = "; ``n_threads`` is accepted and ignored" if "n_threads" in params else ""
    fn.__doc__ = f"""{head}{note}

Raises
------
ValueError
    Only where NumPy itself raises (shapes that do not broadcast): the reference does
    not check its input{ignored}.
"""
    return fn


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


@_twin
def affine_forward(x, W, b, out, activation=0):
    out[...] = _forward(np.dot(x, W) + b, _act(activation))


@_twin
def affine_backward(x, W, dout, dx, dW, db, weight_decay_lambda=0.0):
    if dx is not None:
        dx[...] = np.dot(dout, W.T)
    dW[...] = np.dot(x.T, dout) + weight_decay_lambda * W
    if db is not None:
        db[...] = np.sum(dout, axis=0)


@_twin
def activation_forward(x, out, activation):
    out[...] = _forward(x, _act(activation))


@_twin
def activation_backward(y, dout, dx, activation, db=None):
    dx[...] = _backward(y, dout, _act(activation))
    if db is not None:
        db[...] = np.sum(dx, axis=0)


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


@_twin
def softmax_cross_entropy_forward(x, t, y):
    """Returns the mean cross-entropy loss."""
    y[...] = softmax(x)
    n = y.shape[0]
    return float(-np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n)


@_twin
def softmax_cross_entropy_backward(y, t, dx, scale):
    d = y.copy()
    d[np.arange(y.shape[0]), t] -= 1
    dx[...] = d * scale


@_twin
def softmax_cross_entropy_backward_dense(y, t, dx, scale):
    dx[...] = (y - t) * scale


@_twin
def batchnorm_forward_train(x, gamma, beta, running_mean, running_var, momentum, eps, xn, inv_std, out,
                            n_threads=1):
    mu = x.mean(axis=0)
    xc = x - mu
    var = np.mean(xc ** 2, axis=0)
    std = np.sqrt(var + eps)
    xn[...] = xc / std
    inv_std[...] = 1.0 / std
    running_mean[...] = momentum * running_mean + (1 - momentum) * mu
    running_var[...] = momentum * running_var + (1 - momentum) * var
    out[...] = gamma * xn + beta


@_twin
def batchnorm_forward_eval(x, gamma, beta, running_mean, running_var, eps, out, n_threads=1):
    xc = x - running_mean
    out[...] = gamma * (xc / np.sqrt(running_var + eps)) + beta


@_twin
def batchnorm_backward(dout, xn, gamma, inv_std, dx, dgamma, dbeta, n_threads=1):
    """It keeps the book's chain of steps (``dxn = γ·dout``, ``dxc = dxn/σ``, ``dstd``,
    ``dvar``, ``dμ``); the kernel computes the same in closed form."""
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


@_twin
def dropout_forward(x, ratio, key, counter, mask, out):
    keep = dropout_uniform(key, counter, x.size).reshape(x.shape) > ratio
    mask[...] = keep
    out[...] = x * keep


@_twin
def dropout_backward(dout, mask, dx):
    dx[...] = dout * mask.astype(bool)


@_twin
def sgd_step(p, g, lr, weight_decay=0.0, n_threads=1):
    p -= lr * (g + weight_decay * p)


@_twin
def momentum_step(p, g, v, lr, momentum, weight_decay=0.0, n_threads=1):
    v *= momentum
    v -= lr * (g + weight_decay * p)
    p += v


@_twin
def nesterov_step(p, g, v, lr, momentum, weight_decay=0.0, n_threads=1):
    g = g + weight_decay * p
    p += momentum * momentum * v
    p -= (1 + momentum) * lr * g
    v *= momentum
    v -= lr * g


@_twin
def adagrad_step(p, g, h, lr, weight_decay=0.0, n_threads=1):
    g = g + weight_decay * p
    h += g * g
    p -= lr * g / (np.sqrt(h) + 1e-7)


@_twin
def rmsprop_step(p, g, h, lr, decay_rate, weight_decay=0.0, n_threads=1):
    g = g + weight_decay * p
    h *= decay_rate
    h += (1 - decay_rate) * g * g
    p -= lr * g / (np.sqrt(h) + 1e-7)


@_twin
def adam_step(p, g, m, v, lr_t, beta1, beta2, weight_decay=0.0, n_threads=1):
    g = g + weight_decay * p
    m += (1 - beta1) * (g - m)
    v += (1 - beta2) * (g ** 2 - v)
    p -= lr_t * m / (np.sqrt(v) + 1e-7)


@_twin
def count_nonfinite(a):
    """Returns the number of NaN/inf entries of ``a`` as an int."""
    return int(np.count_nonzero(~np.isfinite(a)))


from trainlab.kernels import __all__  # noqa: E402  (the twin exports exactly the same names)
