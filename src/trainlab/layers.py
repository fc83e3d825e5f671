"""The book's layers (``common/layers.py``) on compiled kernels.

Same names, attributes and ``forward``/``backward`` signatures as the book. Differences, for
speed: a layer writes its outputs into buffers it owns and reuses (copy a result you want to
keep past the next call), gradients are written in place into ``dW``/``db``/``dgamma``/``dbeta``,
and a layer computes in the dtype of its parameters (inputs of another dtype are converted).
And for safety, as a compiled pass reads these attributes without checking them:

- The arrays a kernel reads or writes (``W``, ``b``, ``gamma``, ``beta``, ``running_mean``,
  ``running_var`` and the gradients) keep the shape and dtype they were made with. Assigning one
  checks the value by the rule of :class:`trainlab.params.ParamDict` (same shape; cast to the
  layer's dtype) and raises ValueError naming the attribute, the expected and the given shape.
  In a network the value is copied into the network's buffers, so ``net.params``, every batch
  size and the optimizer see it; a layer of your own takes it by reference, as the book's does
  (a converted copy when its dtype or layout differ).
- ``momentum``, ``eps`` and ``dropout_ratio`` are checked when set and used from the next pass,
  also inside a network.
- What a forward pass keeps for the backward (``x``, ``out``, ``xn``, ``mask``, ``y``, ``t`` …)
  is read-only.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from trainlab import _validate as V
from trainlab import kernels as K
from trainlab._buffers import BufferCache
from trainlab.params import ArrayAttribute, ForwardCache, element
from trainlab.threads import threads_for

__all__ = ["Affine", "Relu", "Sigmoid", "Tanh", "BatchNormalization", "Dropout", "SoftmaxWithLoss"]


def _as_rows(x, dtype) -> np.ndarray:
    """x as a C-contiguous (N, features) array of ``dtype`` (no copy when it already is)."""
    x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError("input must have a batch dimension, got a scalar")
    if x.ndim == 1:
        raise ValueError(f"input must be (N, features), got 1-D shape {x.shape}"
                         + ("" if x.size == 0 else "; use x.reshape(1, -1) for a single sample"))
    if x.dtype.kind not in "fiub":
        raise ValueError(f"input has dtype {x.dtype}, expected numbers")
    if x.shape[0] == 0:
        raise ValueError(f"empty batch: input has shape {x.shape} (no rows)")
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


def _uint64(name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < 2**64:
        raise ValueError(f"{name} must be an integer in [0, 2**64), got {value!r}")
    return int(value)


class _Layer:
    _label = ""  # the name in a network's layers (the class name for a layer of your own)
    _in_network = False  # a network's layer: its arrays are views of the network's buffers

    def __init__(self):
        self._label = type(self).__name__
        self._buf = None


class Affine(_Layer):
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

    W = ArrayAttribute("W", "Weights (in, out).")
    b = ArrayAttribute("b", "Bias (out,).")
    dW = ArrayAttribute("dW", "Gradient of W from the last backward.")
    db = ArrayAttribute("db", "Gradient of b from the last backward.")
    x = ForwardCache("x", "The last forward's input as (N, in) rows.")
    out = ForwardCache("out", "The last forward's output (N, out).")
    original_x_shape = ForwardCache("original_x_shape", "The shape of the last forward's input.")

    def __init__(self, W, b, *, dW=None, db=None):
        super().__init__()
        W = V.check_array("W", W, ndim=2)
        b = V.check_array("b", b, dtype=W.dtype, ndim=1)
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b has shape {b.shape}, expected ({W.shape[1]},) to match W {W.shape}")
        self._W, self._b = W, b
        self._dW = np.zeros_like(W) if dW is None else V.check_array("dW", dW, dtype=W.dtype, ndim=2)
        self._db = np.zeros_like(b) if db is None else V.check_array("db", db, dtype=W.dtype, ndim=1)
        if self._dW.shape != W.shape or self._db.shape != b.shape:
            raise ValueError(f"dW {self._dW.shape} and db {self._db.shape} must have the shapes of "
                             f"W {W.shape} and b {b.shape}")
        self._x = self._out = self._original_x_shape = None
        self._buf = BufferCache(W.dtype)

    def forward(self, x):
        self._original_x_shape = np.shape(x)
        x = _as_rows(x, self._W.dtype)
        if x.shape[1] != self._W.shape[0]:
            raise ValueError(f"{self._label}: input has {x.shape[1]} features, W expects {self._W.shape[0]}")
        self._x = x
        self._out = self._buf.get("out", (x.shape[0], self._W.shape[1]))
        K.affine_forward(x, self._W, self._b, self._out)
        return self._out

    def backward(self, dout):
        if self._x is None:
            raise RuntimeError(f"{self._label}.backward called before forward")
        dout = _as_rows(dout, self._W.dtype)
        if dout.shape != (self._x.shape[0], self._W.shape[1]):
            raise ValueError(f"{self._label}.backward: dout has shape {dout.shape}, "
                             f"expected {(self._x.shape[0], self._W.shape[1])}")
        dx = self._buf.get("dx", self._x.shape)
        K.affine_backward(self._x, self._W, dout, dx, self._dW, self._db)
        return dx.reshape(self._original_x_shape or self._x.shape)


class _Activation(_Layer):
    _code = 0
    code = property(lambda self: self._code, doc="The kernels' code of this activation (read-only).")
    out = ForwardCache("out", "The last forward's output.")

    def __init__(self):
        super().__init__()
        self._out = None
        self._shape = None

    def forward(self, x):
        self._shape = np.shape(x)
        x = _float_rows(x)
        self._out = _buffers(self, x.dtype).get("out", x.shape)
        K.activation_forward(x, self._out, self.code)
        return self._out.reshape(self._shape)

    def backward(self, dout):
        if self._out is None:
            raise RuntimeError(f"{self._label}.backward called before forward")
        d = _as_rows(dout, self._out.dtype)
        if d.shape != self._out.shape:
            raise ValueError(f"{self._label}.backward: dout has shape {np.shape(dout)}, "
                             f"expected {self._shape}")
        dx = _buffers(self, d.dtype).get("dx", d.shape)
        K.activation_backward(self._out, d, dx, self.code)
        return dx.reshape(self._shape)


class Relu(_Activation):
    """max(0, x); backward passes the gradient where the output is positive."""
    _code = 1

    @property
    def mask(self):
        """The book's mask: True where the input was <= 0."""
        return None if self._out is None else (self._out <= 0).reshape(self._shape)


class Sigmoid(_Activation):
    """1 / (1 + exp(−x)); backward dout·(1 − y)·y."""
    _code = 2


class Tanh(_Activation):
    """tanh(x); backward dout·(1 − y²)."""
    _code = 3


class BatchNormalization(_Layer):
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
        ``gamma``/``beta`` of the wrong dtype, dimensions or unequal shapes, running statistics
        or gradient buffers of another shape, ``momentum`` outside [0, 1), or a non-positive
        ``eps``.
    """

    gamma = ArrayAttribute("gamma", "Scale (features,).")
    beta = ArrayAttribute("beta", "Shift (features,).")
    running_mean = ArrayAttribute("running_mean", "Running mean used in evaluation (features,).")
    running_var = ArrayAttribute("running_var", "Running (biased) variance used in evaluation (features,).")
    dgamma = ArrayAttribute("dgamma", "Gradient of gamma from the last backward.")
    dbeta = ArrayAttribute("dbeta", "Gradient of beta from the last backward.")
    xn = ForwardCache("xn", "x̂ of the last training forward (N, features).")
    inv_std = ForwardCache("inv_std", "1/σ of the last training forward (features,).")
    batch_size = ForwardCache("batch_size", "Rows of the last training forward.")
    input_shape = ForwardCache("input_shape", "The shape of the last forward's input.")
    momentum = element("_hyper", 0, partial(V.unit_interval, "momentum"),
                        doc="Weight of the old running statistics, in [0, 1).")
    eps = element("_hyper", 1, partial(V.positive_number, "eps"),
                   doc="Added to the variance before the square root (> 0).")

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None, *,
                 eps=1e-6, dgamma=None, dbeta=None):
        super().__init__()
        gamma = V.check_array("gamma", gamma, ndim=1)
        beta = V.check_array("beta", beta, dtype=gamma.dtype, ndim=1)
        if beta.shape != gamma.shape:
            raise ValueError(f"beta has shape {beta.shape}, gamma {gamma.shape}")
        self._gamma, self._beta = gamma, beta
        self._hyper = np.zeros(2)  # [momentum, eps]: a network's compiled pass reads them here
        self.momentum, self.eps = momentum, eps
        shape, dt = gamma.shape, gamma.dtype
        self._running_mean = (np.zeros(shape, dt) if running_mean is None
                              else V.converted("running_mean", running_mean, shape, dt))
        self._running_var = (np.zeros(shape, dt) if running_var is None
                             else V.converted("running_var", running_var, shape, dt))
        self._dgamma = np.zeros_like(gamma) if dgamma is None else V.check_array("dgamma", dgamma, dtype=dt)
        self._dbeta = np.zeros_like(beta) if dbeta is None else V.check_array("dbeta", dbeta, dtype=dt)
        if self._dgamma.shape != shape or self._dbeta.shape != shape:
            raise ValueError(f"dgamma {self._dgamma.shape} and dbeta {self._dbeta.shape} must have "
                             f"gamma's shape {shape}")
        self._input_shape = self._batch_size = self._xn = None
        self._inv_std = np.zeros(shape, dt)
        self._buf = BufferCache(dt)

    @property
    def std(self):
        return 1.0 / self._inv_std

    @property
    def xc(self):
        return None if self._xn is None else self._xn * self.std

    def forward(self, x, train_flg=True):
        self._input_shape = np.shape(x)
        x = _as_rows(x, self._gamma.dtype)
        if x.shape[1] != self._gamma.shape[0]:
            raise ValueError(f"{self._label}: input has {x.shape[1]} features, "
                             f"gamma has {self._gamma.shape[0]}")
        out = self._buf.get("out", x.shape)
        if train_flg:
            self._batch_size = x.shape[0]
            self._xn = self._buf.get("xn", x.shape)
            K.batchnorm_forward_train(x, self._gamma, self._beta, self._running_mean, self._running_var,
                                      self.momentum, self.eps, self._xn, self._inv_std, out,
                                      threads_for(x.size))
        else:
            K.batchnorm_forward_eval(x, self._gamma, self._beta, self._running_mean, self._running_var,
                                     self.eps, out, threads_for(x.size))
        return out.reshape(self._input_shape)

    def backward(self, dout):
        if self._xn is None:
            raise RuntimeError(f"{self._label}.backward called before a training forward")
        dout = _as_rows(dout, self._gamma.dtype)
        if dout.shape != self._xn.shape:
            raise ValueError(f"{self._label}.backward: dout has shape {dout.shape}, expected {self._xn.shape}")
        dx = self._buf.get("dx", dout.shape)
        K.batchnorm_backward(dout, self._xn, self._gamma, self._inv_std, dx, self._dgamma, self._dbeta,
                             threads_for(dout.size))
        return dx.reshape(self._input_shape or dout.shape)


class Dropout(_Layer):
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

    dropout_ratio = element("_hyper", 0, partial(V.unit_interval, "dropout_ratio"),
                             doc="Probability of dropping a unit, in [0, 1); used from the next pass.")
    key = element("_stream", 0, partial(_uint64, "key"), int, doc="The key of the mask stream.")
    counter = element("_stream", 1, partial(_uint64, "counter"), int,
                       doc="How many uniform numbers the layer has drawn: the position in its stream.")

    def __init__(self, dropout_ratio=0.5, *, seed=None):
        super().__init__()
        self._hyper = np.zeros(1)  # [ratio]: a network's compiled pass reads it here
        self.dropout_ratio = dropout_ratio
        ss = np.random.SeedSequence(seed if seed is not None else int(np.random.randint(0, 2**63 - 1)))
        # [key, counter] of the stream, in an array so that compiled networks advance it in place
        self._stream = np.array([ss.generate_state(1, np.uint64)[0], 0], np.uint64)
        self._mask = None
        self._shape = None

    @property
    def mask(self):
        """The last training forward's mask (True: kept), read-only."""
        return None if self._mask is None else self._mask.view(bool).reshape(self._shape)

    def forward(self, x, train_flg=True):
        self._shape = np.shape(x)
        x = _float_rows(x)
        out = _buffers(self, x.dtype).get("out", x.shape)
        if train_flg:
            self._mask = self._buf.get("mask", x.shape, np.uint8)
            K.dropout_forward(x, self.dropout_ratio, self.key, self.counter, self._mask, out)
            self._stream[1] += x.size
        else:
            np.multiply(x, x.dtype.type(1.0 - self.dropout_ratio), out=out)
        return out.reshape(self._shape)

    def backward(self, dout):
        if self._mask is None:
            raise RuntimeError(f"{self._label}.backward called before a training forward")
        d = _float_rows(dout)
        if d.shape != self._mask.shape:
            raise ValueError(f"{self._label}.backward: dout has shape {np.shape(dout)}, expected {self._shape}")
        dx = _buffers(self, d.dtype).get("dx", d.shape)
        K.dropout_backward(d, self._mask, dx)
        return dx.reshape(self._shape)


class SoftmaxWithLoss(_Layer):
    """Softmax then cross-entropy, the book's loss: −mean log(y[t] + 1e-7). ``t`` is integer labels
    (N,) or a one-hot/soft target (N, C), as in the book (whose loss uses t.argmax for the latter
    and whose backward uses (y − t)/N); NaN/inf in a target, labels outside [0, C) or a target of
    another shape are refused by name."""

    loss = ForwardCache("loss", "The last forward's loss.")
    y = ForwardCache("y", "The last forward's softmax (N, C).")
    t = ForwardCache("t", "The last forward's target.")

    def __init__(self):
        super().__init__()
        self._loss = self._y = self._t = None

    def forward(self, x, t):
        x = _float_rows(x)
        return self._forward_checked(x, V.as_targets("t", t, x.shape[0], x.shape[1], x.dtype))

    def _forward_checked(self, x, target):
        """The loss of scores x for a target checked by ``as_targets`` (the networks' entry)."""
        _buffers(self, x.dtype)
        self._dense = target if target.ndim == 2 else None
        self._labels = np.ascontiguousarray(target.argmax(axis=1)) if target.ndim == 2 else target
        self._t = target
        self._y = self._buf.get("y", x.shape)
        self._loss = float(K.softmax_cross_entropy_forward(x, self._labels.astype(np.int64, copy=False),
                                                           self._y))
        return self._loss

    def _set_result(self, y, labels, loss):
        """Keep what a network's compiled pass computed for integer ``labels`` (checked there):
        a copy of its softmax ``y``, the labels and the loss, as ``forward`` would."""
        self._dense, self._labels, self._t = None, labels, labels
        self._y = _buffers(self, y.dtype).get("y", y.shape)
        np.copyto(self._y, y)
        self._loss = float(loss)

    def backward(self, dout=1):
        if self._y is None:
            raise RuntimeError(f"{self._label}.backward called before forward")
        dx = self._buf.get("dx", self._y.shape)
        scale = float(dout) / self._y.shape[0]
        if self._dense is not None:
            K.softmax_cross_entropy_backward_dense(self._y, self._dense, dx, scale)
        else:
            K.softmax_cross_entropy_backward(self._y, self._labels.astype(np.int64, copy=False), dx, scale)
        return dx
