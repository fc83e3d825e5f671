"""The book's layers (``common/layers.py``) on compiled kernels.

Same names, attributes and ``forward``/``backward`` signatures as the book. Differences, all
for speed: a layer writes its outputs into buffers it owns and reuses (copy a result you want
to keep past the next call), gradients are written in place into ``dW``/``db``/``dgamma``/``dbeta``,
and a layer computes in the dtype of its parameters (inputs of another dtype are converted).
"""
from __future__ import annotations

import numpy as np

from trainlab import _validate as V
from trainlab._buffers import BufferCache
from trainlab._ext import _activation, _affine, _batchnorm, _dropout, _softmax
from trainlab.threads import threads_for

__all__ = ["Affine", "Relu", "Sigmoid", "Tanh", "BatchNormalization", "Dropout", "SoftmaxWithLoss"]


def _as_rows(x, dtype) -> np.ndarray:
    """x as a C-contiguous (N, features) array of ``dtype`` (no copy when it already is)."""
    x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError("input must have a batch dimension, got a scalar")
    if x.ndim == 1:
        raise ValueError(f"input must be (N, features), got 1-D shape {x.shape}; "
                         "use x.reshape(1, -1) for a single sample")
    if x.dtype.kind not in "fiub":
        raise ValueError(f"input has dtype {x.dtype}, expected numbers")
    return np.ascontiguousarray(x.reshape(x.shape[0], -1), dtype=dtype)


def _float_rows(x) -> np.ndarray:
    """x as (N, features) rows in its own float dtype (float64 for integer or bool input)."""
    x = np.asarray(x)
    return _as_rows(x, x.dtype if x.dtype in V.FLOAT_DTYPES else np.float64)


def _buffers(layer, dtype) -> BufferCache:
    """The layer's output buffers, made anew when the data's dtype changes."""
    if layer._buf is None or layer._buf.dtype != dtype:
        layer._buf = BufferCache(dtype)
    return layer._buf


class Affine:
    """out = x·W + b. W (in, out) and b (out,) are used by reference: the layer sees every change
    made to them in place.

    Parameters
    ----------
    W : numpy.ndarray
        Weights ``(in, out)``, float32 or float64, C-contiguous.
    b : numpy.ndarray
        Bias ``(out,)`` of W's dtype.
    dW, db : numpy.ndarray, optional
        Buffers for the gradients (a network passes views of its flat gradient buffer);
        new zero arrays by default.

    Raises
    ------
    ValueError
        An array of the wrong dtype, number of dimensions or layout, or ``b`` whose shape does
        not match ``W``.
    """

    def __init__(self, W, b, *, dW=None, db=None):
        W = V.check_array("W", W, ndim=2)
        b = V.check_array("b", b, dtype=W.dtype, ndim=1)
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b has shape {b.shape}, expected ({W.shape[1]},) to match W {W.shape}")
        self.W, self.b = W, b
        self.dW = np.zeros_like(W) if dW is None else V.check_array("dW", dW, dtype=W.dtype, ndim=2)
        self.db = np.zeros_like(b) if db is None else V.check_array("db", db, dtype=W.dtype, ndim=1)
        self.x = None
        self.out = None
        self.original_x_shape = None
        self._buf = BufferCache(W.dtype)

    def forward(self, x):
        self.original_x_shape = np.shape(x)
        x = _as_rows(x, self.W.dtype)
        if x.shape[1] != self.W.shape[0]:
            raise ValueError(f"Affine: input has {x.shape[1]} features, W expects {self.W.shape[0]}")
        self.x = x
        self.out = self._buf.get("out", (x.shape[0], self.W.shape[1]))
        _affine.affine_forward(x, self.W, self.b, self.out, 0)
        return self.out

    def backward(self, dout):
        if self.x is None:
            raise RuntimeError("Affine.backward called before forward")
        dout = _as_rows(dout, self.W.dtype)
        if dout.shape != (self.x.shape[0], self.W.shape[1]):
            raise ValueError(f"Affine.backward: dout has shape {dout.shape}, "
                             f"expected {(self.x.shape[0], self.W.shape[1])}")
        dx = self._buf.get("dx", self.x.shape)
        _affine.affine_backward(self.x, self.W, dout, dx, self.dW, self.db, 0.0)
        return dx.reshape(self.original_x_shape)


class _Activation:
    code = 0

    def __init__(self):
        self.out = None
        self._buf = None
        self._shape = None

    def forward(self, x):
        self._shape = np.shape(x)
        x = _float_rows(x)
        self.out = _buffers(self, x.dtype).get("out", x.shape)
        _activation.activation_forward(x, self.out, self.code)
        return self.out.reshape(self._shape)

    def backward(self, dout):
        if self.out is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        d = _as_rows(dout, self.out.dtype)
        if d.shape != self.out.shape:
            raise ValueError(f"{type(self).__name__}.backward: dout has shape {np.shape(dout)}, "
                             f"expected {self._shape}")
        dx = self._buf.get("dx", d.shape)
        _activation.activation_backward(self.out, d, dx, self.code, None)
        return dx.reshape(self._shape)


class Relu(_Activation):
    """max(0, x); backward passes the gradient where the output is positive."""
    code = 1

    @property
    def mask(self):
        """The book's mask: True where the input was <= 0."""
        return None if self.out is None else (self.out <= 0).reshape(self._shape)


class Sigmoid(_Activation):
    """1 / (1 + exp(−x)); backward dout·(1 − y)·y."""
    code = 2


class Tanh(_Activation):
    """tanh(x); backward dout·(1 − y²)."""
    code = 3


class BatchNormalization:
    """The book's batch norm (momentum 0.9, eps 1e-6, biased batch variance, running statistics
    updated as m·running + (1 − m)·batch). PyTorch differs: eps 1e-5, momentum means (1 − m),
    and its running variance is unbiased.

    Parameters
    ----------
    gamma, beta : numpy.ndarray
        Scale and shift ``(features,)``, float32 or float64 (used by reference).
    momentum : float
        Weight of the old running statistics, in [0, 1) (the book's 0.9).
    running_mean, running_var : array_like, optional
        Initial running statistics (zeros by default).
    eps : float
        Added to the variance before the square root (> 0; the book's 1e-6).
    dgamma, dbeta : numpy.ndarray, optional
        Buffers for the gradients (new zero arrays by default).

    Raises
    ------
    ValueError
        ``gamma``/``beta`` of the wrong dtype, dimensions or unequal shapes, ``momentum``
        outside [0, 1), or a non-positive ``eps``.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None, *,
                 eps=1e-6, dgamma=None, dbeta=None):
        gamma = V.check_array("gamma", gamma, ndim=1)
        beta = V.check_array("beta", beta, dtype=gamma.dtype, ndim=1)
        if beta.shape != gamma.shape:
            raise ValueError(f"beta has shape {beta.shape}, gamma {gamma.shape}")
        self.gamma, self.beta = gamma, beta
        self.momentum = V.unit_interval("momentum", momentum)
        self.eps = V.positive_number("eps", eps)
        d = gamma.shape[0]
        self.running_mean = (np.zeros(d, gamma.dtype) if running_mean is None
                             else np.ascontiguousarray(running_mean, dtype=gamma.dtype))
        self.running_var = (np.zeros(d, gamma.dtype) if running_var is None
                            else np.ascontiguousarray(running_var, dtype=gamma.dtype))
        self.dgamma = np.zeros_like(gamma) if dgamma is None else dgamma
        self.dbeta = np.zeros_like(beta) if dbeta is None else dbeta
        self.input_shape = None
        self.batch_size = None
        self.xn = None
        self.inv_std = np.zeros(d, gamma.dtype)
        self._buf = BufferCache(gamma.dtype)

    @property
    def std(self):
        return 1.0 / self.inv_std

    @property
    def xc(self):
        return None if self.xn is None else self.xn * self.std

    def forward(self, x, train_flg=True):
        self.input_shape = np.shape(x)
        x = _as_rows(x, self.gamma.dtype)
        if x.shape[1] != self.gamma.shape[0]:
            raise ValueError(f"BatchNormalization: input has {x.shape[1]} features, "
                             f"gamma has {self.gamma.shape[0]}")
        out = self._buf.get("out", x.shape)
        if train_flg:
            if x.shape[0] == 0:
                raise ValueError("BatchNormalization: empty batch")
            self.batch_size = x.shape[0]
            self.xn = self._buf.get("xn", x.shape)
            _batchnorm.batchnorm_forward_train(x, self.gamma, self.beta, self.running_mean,
                                               self.running_var, self.momentum, self.eps,
                                               self.xn, self.inv_std, out, threads_for(x.size))
        else:
            _batchnorm.batchnorm_forward_eval(x, self.gamma, self.beta, self.running_mean,
                                              self.running_var, self.eps, out, threads_for(x.size))
        return out.reshape(self.input_shape)

    def backward(self, dout):
        if self.xn is None:
            raise RuntimeError("BatchNormalization.backward called before a training forward")
        dout = _as_rows(dout, self.gamma.dtype)
        if dout.shape != self.xn.shape:
            raise ValueError(f"BatchNormalization.backward: dout has shape {dout.shape}, expected {self.xn.shape}")
        dx = self._buf.get("dx", dout.shape)
        _batchnorm.batchnorm_backward(dout, self.xn, self.gamma, self.inv_std, dx, self.dgamma, self.dbeta,
                                      threads_for(dout.size))
        return dx.reshape(self.input_shape)


class Dropout:
    """Train: keep each unit with probability 1 − ratio (no rescaling, as the book); eval: scale by
    1 − ratio. Masks come from a counter-based generator owned by the layer (``seed``), not from
    NumPy's global one: the stream is reproducible and checkpointable as (key, counter).

    Parameters
    ----------
    dropout_ratio : float
        Probability of dropping a unit, in [0, 1).
    seed : int, optional
        Seed of the mask stream; ``None`` draws one from NumPy's global generator (so
        ``np.random.seed`` fixes it, as in the book).

    Raises
    ------
    ValueError
        ``dropout_ratio`` outside [0, 1).
    """

    def __init__(self, dropout_ratio=0.5, *, seed=None):
        self.dropout_ratio = V.unit_interval("dropout_ratio", dropout_ratio)
        ss = np.random.SeedSequence(seed if seed is not None else int(np.random.randint(0, 2**63 - 1)))
        # [key, counter] of the stream, in an array so that compiled networks advance it in place
        self._stream = np.array([ss.generate_state(1, np.uint64)[0], 0], np.uint64)
        self._mask = None
        self._buf = None
        self._shape = None

    @property
    def key(self) -> int:
        return int(self._stream[0])

    @key.setter
    def key(self, value):
        self._stream[0] = value

    @property
    def counter(self) -> int:
        """How many uniform numbers the layer has drawn: the position in its stream."""
        return int(self._stream[1])

    @counter.setter
    def counter(self, value):
        self._stream[1] = value

    @property
    def mask(self):
        return None if self._mask is None else self._mask.view(bool).reshape(self._shape)

    def forward(self, x, train_flg=True):
        self._shape = np.shape(x)
        x = _float_rows(x)
        out = _buffers(self, x.dtype).get("out", x.shape)
        if train_flg:
            self._mask = self._buf.get("mask", x.shape, np.uint8)
            _dropout.dropout_forward(x, self.dropout_ratio, self.key, self.counter, self._mask, out)
            self._stream[1] += x.size
        else:
            np.multiply(x, x.dtype.type(1.0 - self.dropout_ratio), out=out)
        return out.reshape(self._shape)

    def backward(self, dout):
        if self._mask is None:
            raise RuntimeError("Dropout.backward called before a training forward")
        d = _as_rows(dout, self._buf.dtype)
        if d.shape != self._mask.shape:
            raise ValueError(f"Dropout.backward: dout has shape {np.shape(dout)}, expected {self._shape}")
        dx = self._buf.get("dx", d.shape)
        _dropout.dropout_backward(d, self._mask, dx)
        return dx.reshape(self._shape)


class SoftmaxWithLoss:
    """Softmax then cross-entropy, the book's loss: −mean log(y[t] + 1e-7). ``t`` is integer labels
    (N,) or a one-hot/soft target (N, C), as in the book (whose loss uses t.argmax for the latter
    and whose backward uses (y − t)/N)."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None
        self._buf = None

    def forward(self, x, t):
        return self._forward(_float_rows(x), t)

    def _forward(self, x, t):
        """The loss of scores already in (N, C) float rows (the networks' entry)."""
        _buffers(self, x.dtype)
        n, c = x.shape
        if n == 0:
            raise ValueError("SoftmaxWithLoss: empty batch")
        t = np.asarray(t)
        if t.ndim == 2:
            if t.shape != x.shape:
                raise ValueError(f"SoftmaxWithLoss: target has shape {t.shape}, scores {x.shape}")
            self._dense = np.ascontiguousarray(t, dtype=x.dtype)
            labels = np.ascontiguousarray(t.argmax(axis=1))
        else:
            self._dense = None
            labels = V.as_labels("t", t, n, c)
        self.t, self._labels = t, labels
        self.y = self._buf.get("y", x.shape)
        self.loss = float(_softmax.softmax_cross_entropy_forward(x, labels, self.y))
        return self.loss

    def backward(self, dout=1):
        if self.y is None:
            raise RuntimeError("SoftmaxWithLoss.backward called before forward")
        dx = self._buf.get("dx", self.y.shape)
        scale = float(dout) / self.y.shape[0]
        if self._dense is not None:
            _softmax.softmax_cross_entropy_backward_dense(self.y, self._dense, dx, scale)
        else:
            _softmax.softmax_cross_entropy_backward(self.y, self._labels, dx, scale)
        return dx
