"""The book's MultiLayerNet and MultiLayerNetExtend on compiled kernels.

Same constructor, attribute and method names as ``common/multi_layer_net(_extend).py``; extra
keywords ``dtype`` (float32 by default, float64 reproduces the book to round-off) and ``seed``.
With ``seed=None`` the initial weights come from NumPy's global generator exactly as the book
draws them (``np.random.randn``), so ``np.random.seed(…)`` in a book script still fixes them.

Speed comes from: parameters and gradients in one flat buffer each (``params``/``gradient``
return per-key views; one optimizer call updates them all), bias + activation fused into the
GEMM epilogue and the activation backward fused with the bias reduction, the input layer's dx
skipped (training never uses it), and buffers reused by every step.

Safety: every array a compiled pass reads is the network's own, of fixed shape and dtype;
assigning ``net.params[...]``, ``net.params`` or a layer's array copies the value in (or raises
ValueError naming it), so the change reaches every batch size and the optimizer (see
:class:`trainlab.params.ParamDict` and :mod:`trainlab.layers`). The attributes that describe the
architecture cannot be assigned.
"""
from __future__ import annotations

import threading
import warnings
from functools import partial
from operator import attrgetter

import numpy as np

from trainlab import _validate as V
from trainlab import kernels as K
from trainlab._architecture import ACTIVATION_LAYERS, Stack, init_weights
from trainlab.layers import BatchNormalization, Dropout, SoftmaxWithLoss, _as_rows
from trainlab.params import ParamDict, ParamStore, checked
from trainlab._thread_choice import run_pass

__all__ = ["MultiLayerNet", "MultiLayerNetExtend"]

# Evaluation (predict, loss, accuracy without train_flg) runs at most this many rows at a time:
# it works row by row, so the results are those of one pass, with bounded buffers.
_EVAL_CHUNK = 2048


class _Fixed(property):
    """An attribute fixed when the network is built: read as usual; assigning raises."""

    def __init__(self, name: str, copy=None):
        get = attrgetter("_" + name)
        super().__init__(get if copy is None else (lambda net: copy(get(net))))
        self.name = name

    def __set__(self, net, value):
        raise AttributeError(f"{self.name} is fixed when the network is built (its compiled pass "
                             "and buffers follow it); make a new network instead")


class MultiLayerNetExtend:
    """Fully connected network: (Affine → [BatchNorm] → activation → [Dropout]) × hidden, Affine,
    SoftmaxWithLoss. Parameters 'W1', 'b1', …, 'gamma1', 'beta1', … with the book's shapes.

    Parameters
    ----------
    input_size : int
        Features per sample (784 for MNIST).
    hidden_size_list : list of int
        Sizes of the hidden layers, e.g. ``[100] * 4``.
    output_size : int
        Number of classes.
    activation : {'relu', 'sigmoid', 'tanh'}
        Activation of the hidden layers.
    weight_init_std : float or str
        Standard deviation of the initial weights, or ``'relu'``/``'he'`` (√(2/n)) or
        ``'sigmoid'``/``'xavier'`` (√(1/n)), n being the layer's inputs.
    weight_decay_lambda : float
        L2 weight decay λ (≥ 0): the loss gains λ/2·ΣW², each ``dW`` gains λW.
    use_dropout : bool
        Add a :class:`~trainlab.layers.Dropout` layer after each hidden activation.
    dropout_ration : float
        The book's (misspelt) name of the dropout ratio, in [0, 1).
    use_batchnorm : bool
        Add a :class:`~trainlab.layers.BatchNormalization` layer before each hidden activation.
    dropout_ratio : float, optional
        The dropout ratio under its correct name; overrides ``dropout_ration``.
    dtype : {numpy.float32, numpy.float64}
        Precision of parameters and computation; float64 reproduces the book to round-off.
    seed : int, optional
        Seed of the initial weights and the dropout streams; ``None`` draws the weights from
        NumPy's global generator, as the book.

    Raises
    ------
    ValueError
        A layer size that is not a positive integer, an unknown activation or
        ``weight_init_std``, a negative or NaN ``weight_decay_lambda``, a dropout ratio outside
        [0, 1), or a dtype other than float32/float64.

    Notes
    -----
    Assigning ``params[...]``, ``params`` or a layer's array copies the value into the network
    (same shape; cast to the network's dtype) or raises ValueError naming it; ``weight_decay_lambda``
    and ``dropout_ratio`` are checked when set and used from the next call. Structural attributes
    (sizes, activation, dtype, ``layers`` …) cannot be assigned.

    Thread safety: calls on one network from several threads are serialized by a lock in the
    network, so each gets correct results (they do not run in parallel; use a network per thread
    for that). The arrays that ``gradient`` returns are overwritten by the next call from any
    thread. In a child process made by ``fork`` the kernels run on one thread.

    Examples
    --------
    >>> from trainlab import MultiLayerNetExtend
    >>> net = MultiLayerNetExtend(784, [100, 100], 10, use_batchnorm=True, seed=0)
    >>> sorted(net.params)[:4], net.params["W1"].shape, net.dtype
    (['W1', 'W2', 'W3', 'b1'], (784, 100), dtype('float32'))
    """

    input_size = _Fixed("input_size")
    output_size = _Fixed("output_size")
    hidden_size_list = _Fixed("hidden_size_list", copy=list)
    hidden_layer_num = _Fixed("hidden_layer_num")
    activation = _Fixed("activation")
    weight_init_std = _Fixed("weight_init_std")
    use_dropout = _Fixed("use_dropout")
    use_batchnorm = _Fixed("use_batchnorm")
    dtype = _Fixed("dtype")
    seed = _Fixed("seed")
    layers = _Fixed("layers")
    last_layer = _Fixed("last_layer")

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0, use_dropout=False,
                 dropout_ration=0.5, use_batchnorm=False, *, dropout_ratio=None,
                 dtype=np.float32, seed=None):
        sizes = [input_size] + list(hidden_size_list) + [output_size]
        for s in sizes:
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
                raise ValueError(f"layer sizes must be positive integers, got {sizes}")
        self._activation = V.one_of("activation", activation, ACTIVATION_LAYERS)
        self._input_size, self._output_size = int(input_size), int(output_size)
        self._hidden_size_list = [int(s) for s in hidden_size_list]
        self._hidden_layer_num = len(self._hidden_size_list)
        self._weight_init_std = weight_init_std
        self.weight_decay_lambda = weight_decay_lambda
        self._use_dropout, self._use_batchnorm = bool(use_dropout), bool(use_batchnorm)
        ratio = dropout_ration if dropout_ratio is None else dropout_ratio
        self._dropout_ratio = V.unit_interval("dropout_ratio", ratio)
        self._dtype = V.float_dtype(dtype)
        self._seed = seed
        self._lock = threading.RLock()

        shapes = {}
        for idx in range(1, len(sizes)):
            shapes[f"W{idx}"] = (sizes[idx - 1], sizes[idx])
            shapes[f"b{idx}"] = (sizes[idx],)
        if self._use_batchnorm:
            for idx in range(1, self._hidden_layer_num + 1):
                shapes[f"gamma{idx}"] = (sizes[idx],)
                shapes[f"beta{idx}"] = (sizes[idx],)
        self._warned_nonfinite = False
        self._store = ParamStore(shapes, self._dtype)
        self._grads = self._store.grads
        init_weights(self.params, self._hidden_layer_num + 1, weight_init_std, seed)
        stack = Stack(self.params, self._grads, self._hidden_layer_num, self._activation,
                      self._use_batchnorm, self._use_dropout, self._dropout_ratio, seed)
        self._layers, self._last_layer = stack.layers, SoftmaxWithLoss()
        # the compiled pass per batch size; the layers' attributes show the last one used
        self._passes = K.BoundSizes(stack.steps_for, self._dtype, stack.expose)
        self._bound = self._passes.get

    @property
    def params(self) -> ParamDict:
        """The parameters by name (``'W1'``, ``'b1'``, …, ``'gamma1'``, ``'beta1'``, …): views into
        one buffer. Assigning an entry or the whole dict (``net.params = loaded``, every key)
        copies the values in, all checked first (see :class:`~trainlab.params.ParamDict`)."""
        return self._store.params

    @params.setter
    def params(self, values):
        self._store.params.assign(values, complete=True)

    weight_decay_lambda = checked(
        "weight_decay_lambda", partial(V.positive_number, "weight_decay_lambda", allow_zero=True),
        doc="L2 weight decay λ (≥ 0, finite), used from the next call.")

    @property
    def dropout_ratio(self) -> float:
        """The dropout ratio of the network's Dropout layers (setting it: :meth:`set_dropout_ratio`)."""
        return self._dropout_ratio

    @dropout_ratio.setter
    def dropout_ratio(self, value):
        self.set_dropout_ratio(value)

    def set_dropout_ratio(self, ratio) -> None:
        """Set the ratio of every Dropout layer, used from the next forward pass on."""
        ratio = V.unit_interval("dropout_ratio", ratio)
        if not self._use_dropout:
            raise ValueError("dropout_ratio: this network has no dropout layers (use_dropout=False)")
        with self._lock:
            self._dropout_ratio = ratio
            for layer in self._layers.values():
                if isinstance(layer, Dropout):
                    layer.dropout_ratio = ratio

    # -- the compiled pass, bound per batch size ------------------------------------------------
    def _input(self, x) -> np.ndarray:
        x = _as_rows(x, self._dtype)
        if x.shape[1] != self._input_size:
            raise ValueError(f"input has {x.shape[1]} features per sample, the network expects {self._input_size}")
        return x

    def _scores(self, x, train_flg) -> np.ndarray:
        """Scores of x (validated) in the bound buffer for its batch size."""
        bound = self._bound(x.shape[0])
        train = bool(train_flg)
        run_pass(bound, "forward, train" if train else "forward", bound.forward, x, train)
        return bound.outputs[-1]

    def _eval_chunks(self, x):
        """(first row, scores) of x in evaluation mode, _EVAL_CHUNK rows at a time."""
        for start in range(0, x.shape[0], _EVAL_CHUNK):
            yield start, self._scores(x[start:start + _EVAL_CHUNK], False)

    def _targets(self, t, n):
        return V.as_targets("t", t, n, self._output_size, self._dtype)

    def _labels_or_target(self, t, n):
        """(int64 labels, None) or (None, a checked one-hot/soft target) for n rows. Labels already
        1-D int64 go to the compiled pass as they are: it checks their count and range."""
        t = np.asarray(t)
        if t.ndim == 1 and t.dtype == np.int64 and t.flags.c_contiguous:
            return t, None
        target = self._targets(t, n)
        return (target.astype(np.int64, copy=False), None) if target.ndim == 1 else (None, target)

    def _train_pass(self, x, t) -> float:
        """Train-mode forward, loss (without weight decay) and backward into the gradient buffer."""
        bound = self._bound(x.shape[0])
        labels, target = self._labels_or_target(t, x.shape[0])
        if labels is not None:
            return run_pass(bound, "train", bound.loss_and_backward, x, labels, self._weight_decay_lambda)
        # one-hot or soft targets: the book's SoftmaxWithLoss, then the compiled backward
        value = self._last_layer._forward_checked(self._scores(x, True), target)
        bound.dscores[...] = self._last_layer.backward(1)
        run_pass(bound, "backward", bound.backward, x, self._weight_decay_lambda)
        return value

    def _check_result(self, value, x, what):
        """Called only when a result is not finite. NaN in the input is the caller's error; NaN
        from the parameters propagates, as in the book's code (where a diverging network is the
        lesson of fig. 6-19), with one RuntimeWarning per network, as NumPy warns."""
        K.check_finite("input x", x)
        if not self._warned_nonfinite:
            bad = [key for key, arr in self.params.items() if K.count_nonfinite(arr)]
            where = f"parameter {bad[0]} holds NaN/inf" if bad else "overflow in the forward pass"
            warnings.warn(f"{what} is not finite: {where} (training diverged; lower the learning "
                          "rate). NaN propagates, as in the book; trainlab.Trainer stops instead.",
                          RuntimeWarning, stacklevel=3)
            self._warned_nonfinite = True
        return value

    # -- the book's API ------------------------------------------------------------------------
    def predict(self, x, train_flg=False):
        """Scores (N, output_size) before softmax; a new array."""
        with self._lock:
            x = self._input(x)
            if train_flg:  # batch norm uses the batch's statistics: one pass over every row
                out = self._scores(x, True).copy()
            else:
                out = np.empty((x.shape[0], self._output_size), self._dtype)
                for start, scores in self._eval_chunks(x):
                    out[start:start + scores.shape[0]] = scores
            if K.count_nonfinite(out):
                self._check_result(out, x, "predict output")
            return out

    def _weight_decay_term(self):
        if self._weight_decay_lambda == 0:
            return 0.0
        total = 0.0
        for idx in range(1, self._hidden_layer_num + 2):
            w = self.params[f"W{idx}"].reshape(-1)
            total += float(np.dot(w, w))
        return 0.5 * self._weight_decay_lambda * total

    def _labels_loss(self, x, labels, train):
        """The mean cross-entropy for integer labels by the compiled pass: the whole batch in train
        mode (batch norm's statistics), else _EVAL_CHUNK rows at a time. The last layer keeps the
        last pass's softmax, labels and loss, as the book's SoftmaxWithLoss does."""
        n = x.shape[0]
        step = n if train else _EVAL_CHUNK
        if n > step:  # checked whole first: an error names the row of x, not of a chunk
            labels = V.as_labels("t", labels, n, self._output_size).astype(np.int64, copy=False)
        total = 0.0
        for start in range(0, n, step):
            rows, t = x[start:start + step], labels[start:start + step]
            bound = self._bound(rows.shape[0])
            value = run_pass(bound, "loss, train" if train else "loss", bound.loss, rows, t, train)
            total += value * rows.shape[0]
        self._last_layer._set_result(bound.probs, t, value)
        return total / n

    def loss(self, x, t, train_flg=False):
        """Cross-entropy loss plus 0.5·λ·Σ‖W‖² (a Python float)."""
        with self._lock:
            x = self._input(x)
            labels, target = self._labels_or_target(t, x.shape[0])
            if labels is not None:
                value = self._labels_loss(x, labels, bool(train_flg))
            elif train_flg or x.shape[0] <= _EVAL_CHUNK:
                value = self._last_layer._forward_checked(self._scores(x, train_flg), target)
            else:
                value = sum(self._last_layer._forward_checked(s, target[i:i + s.shape[0]]) * s.shape[0]
                            for i, s in self._eval_chunks(x)) / x.shape[0]
            value += self._weight_decay_term()
            if not np.isfinite(value):
                self._check_result(value, x, "loss")
            return value

    def accuracy(self, x, t):
        """Fraction of rows whose arg-max score equals the label (t: labels or one-hot, checked
        as for :meth:`loss`)."""
        with self._lock:
            x = self._input(x)
            t = self._targets(t, x.shape[0])
            labels = t if t.ndim == 1 else np.argmax(t, axis=1)
            correct = 0
            for start, scores in self._eval_chunks(x):
                rows = labels[start:start + scores.shape[0]]
                correct += int(np.count_nonzero(np.argmax(scores, axis=1) == rows))
            return correct / float(x.shape[0])

    def gradient(self, x, t):
        """Gradients of the loss (train mode) by backpropagation: dW + λW, db, dgamma, dbeta.

        Returns a dict of views into the network's gradient buffer, overwritten by the next call.
        """
        with self._lock:
            self.last_loss = self._loss_and_backward(x, t)
            return self._grads

    def _loss_and_backward(self, x, t):
        x = self._input(x)
        value = self._train_pass(x, t)
        if not np.isfinite(value):
            self._check_result(value, x, "loss")
        return value + self._weight_decay_term()

    def numerical_gradient(self, x, t, h=1e-4):
        """Central differences of the train-mode loss (slow; for checking ``gradient``).

        Dropout masks are held fixed and the batch-norm running statistics restored, so the
        result is the derivative of one deterministic function."""
        with self._lock:
            drops = [l for l in self._layers.values() if isinstance(l, Dropout)]
            bns = [l for l in self._layers.values() if isinstance(l, BatchNormalization)]
            counters = [d.counter for d in drops]
            stats = [(b.running_mean.copy(), b.running_var.copy()) for b in bns]

            def f():
                for d, c in zip(drops, counters):
                    d.counter = c
                return self.loss(x, t, train_flg=True)

            grads = {}
            for key, param in self.params.items():
                grad = np.zeros_like(param, dtype=np.float64)
                flat = param.reshape(-1)
                for i in range(flat.size):
                    old = flat[i]
                    flat[i] = old + h
                    fxh1 = f()
                    flat[i] = old - h
                    fxh2 = f()
                    flat[i] = old
                    grad.reshape(-1)[i] = (fxh1 - fxh2) / (2 * h)
                grads[key] = grad
            for b, (m, v) in zip(bns, stats):
                b.running_mean[...] = m
                b.running_var[...] = v
            for d, c in zip(drops, counters):
                d.counter = c
            return grads


class MultiLayerNet(MultiLayerNetExtend):
    """The book's MultiLayerNet: (Affine → activation) × hidden, Affine, SoftmaxWithLoss.

    Parameters
    ----------
    input_size, hidden_size_list, output_size, activation, weight_init_std, weight_decay_lambda
        As for :class:`MultiLayerNetExtend`.
    dtype : {numpy.float32, numpy.float64}
        Precision of parameters and computation.
    seed : int, optional
        Seed of the initial weights (``None``: NumPy's global generator, as the book).

    Raises
    ------
    ValueError
        As for :class:`MultiLayerNetExtend`.

    Examples
    --------
    >>> import numpy as np
    >>> from trainlab import MultiLayerNet
    >>> net = MultiLayerNet(4, [8], 3, seed=0, dtype=np.float64)
    >>> x = np.ones((2, 4)); t = np.array([0, 2])
    >>> grads = net.gradient(x, t)  # views into one buffer, overwritten by the next call
    >>> grads["W1"].shape, bool(np.isfinite(net.loss(x, t)))
    ((4, 8), True)
    """

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0, *, dtype=np.float32, seed=None):
        super().__init__(input_size, hidden_size_list, output_size, activation, weight_init_std,
                         weight_decay_lambda, dtype=dtype, seed=seed)

