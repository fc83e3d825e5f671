"""The book's MultiLayerNet and MultiLayerNetExtend on compiled kernels.

Same constructor, attribute and method names as ``common/multi_layer_net(_extend).py``; extra
keywords ``dtype`` (float32 by default, float64 reproduces the book to round-off) and ``seed``.
With ``seed=None`` the initial weights come from NumPy's global generator exactly as the book
draws them (``np.random.randn``), so ``np.random.seed(…)`` in a book script still fixes them.

Speed comes from: parameters and gradients in one flat buffer each (``params``/``gradient``
return per-key views; one optimizer call updates them all), bias + activation fused into the
GEMM epilogue and the activation backward fused with the bias reduction, the input layer's dx
skipped (training never uses it), and buffers reused by every step.
"""
from __future__ import annotations

import warnings
from collections import OrderedDict

import numpy as np

from trainlab import _validate as V
from trainlab._ext._checks import count_nonfinite
from trainlab._ext._net import NetExecutor
from trainlab.layers import (Affine, BatchNormalization, Dropout, Relu, Sigmoid,
                             SoftmaxWithLoss, Tanh, _as_rows)
from trainlab.params import ParamStore
from trainlab.threads import step_threads, threads_for

__all__ = ["MultiLayerNet", "MultiLayerNetExtend"]

_ACTIVATION_LAYERS = {"relu": Relu, "sigmoid": Sigmoid, "tanh": Tanh}
_EVAL_CHUNK = 2048  # rows per eval-mode forward in accuracy(): bounds the buffers' size


def init_scale(weight_init_std, fan_in: int) -> float:
    """The book's rule: 'relu'/'he' → √(2/n), 'sigmoid'/'xavier' → √(1/n), a number → itself."""
    name = str(weight_init_std).lower()
    if name in ("relu", "he"):
        return float(np.sqrt(2.0 / fan_in))
    if name in ("sigmoid", "xavier"):
        return float(np.sqrt(1.0 / fan_in))
    if isinstance(weight_init_std, str):
        raise ValueError(f"unknown weight_init_std {weight_init_std!r}; "
                         "expected 'relu', 'he', 'sigmoid', 'xavier' or a number")
    return V.positive_number("weight_init_std", weight_init_std, allow_zero=True)


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

    Examples
    --------
    >>> from trainlab import MultiLayerNetExtend
    >>> net = MultiLayerNetExtend(784, [100, 100], 10, use_batchnorm=True, seed=0)
    >>> sorted(net.params)[:4], net.params["W1"].shape, net.dtype
    (['W1', 'W2', 'W3', 'b1'], (784, 100), dtype('float32'))
    """

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0, use_dropout=False,
                 dropout_ration=0.5, use_batchnorm=False, *, dropout_ratio=None,
                 dtype=np.float32, seed=None):
        sizes = [input_size] + list(hidden_size_list) + [output_size]
        for s in sizes:
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
                raise ValueError(f"layer sizes must be positive integers, got {sizes}")
        if not isinstance(activation, str) or activation.lower() not in _ACTIVATION_LAYERS:
            raise ValueError(f"unknown activation {activation!r}; expected one of {sorted(_ACTIVATION_LAYERS)}")
        self.input_size, self.output_size = int(input_size), int(output_size)
        self.hidden_size_list = [int(s) for s in hidden_size_list]
        self.hidden_layer_num = len(self.hidden_size_list)
        self.activation = activation.lower()
        self.weight_init_std = weight_init_std
        self.weight_decay_lambda = V.positive_number("weight_decay_lambda", weight_decay_lambda, allow_zero=True)
        self.use_dropout, self.use_batchnorm = bool(use_dropout), bool(use_batchnorm)
        ratio = dropout_ration if dropout_ratio is None else dropout_ratio
        self.dropout_ratio = V.unit_interval("dropout_ratio", ratio)
        self.dtype = V.float_dtype(dtype)
        self.seed = seed

        shapes = {}
        for idx in range(1, len(sizes)):
            shapes[f"W{idx}"] = (sizes[idx - 1], sizes[idx])
            shapes[f"b{idx}"] = (sizes[idx],)
        if self.use_batchnorm:
            for idx in range(1, self.hidden_layer_num + 1):
                shapes[f"gamma{idx}"] = (sizes[idx],)
                shapes[f"beta{idx}"] = (sizes[idx],)
        self._warned_nonfinite = False
        self._store = ParamStore(shapes, self.dtype)
        self.params = self._store.params
        self._grads = self._store.grads
        self._init_weights(sizes, weight_init_std, seed)
        self._build_layers(seed)

    # -- construction -------------------------------------------------------------------------
    def _init_weights(self, sizes, weight_init_std, seed):
        rng = np.random.default_rng(seed) if seed is not None else None
        for idx in range(1, len(sizes)):
            scale = init_scale(weight_init_std, sizes[idx - 1])
            W = self.params[f"W{idx}"]
            # Row blocks draw the same stream as one (in, out) draw, without a float64 copy of W.
            step = max(1, (1 << 16) // W.shape[1])
            for start in range(0, W.shape[0], step):
                shape = (min(step, W.shape[0] - start), W.shape[1])
                z = rng.standard_normal(shape) if rng is not None else np.random.randn(*shape)
                z *= scale
                W[start:start + shape[0]] = z
        for idx in range(1, self.hidden_layer_num + 1):
            if self.use_batchnorm:
                self.params[f"gamma{idx}"][...] = 1

    def _build_layers(self, seed):
        p, g = self.params, self._grads
        dropout_seeds = (np.random.SeedSequence(seed).spawn(self.hidden_layer_num)
                         if seed is not None else [None] * self.hidden_layer_num)
        self.layers = OrderedDict()
        self._plan = []  # (kind, layer, fused activation code) in forward order
        self._fused_activation = {}  # id(affine) -> the activation layer fused into its epilogue
        self._executors = {}  # batch size -> (NetExecutor, exposed attributes, scores, probs, dscores)
        self._active = None
        for idx in range(1, self.hidden_layer_num + 1):
            affine = Affine(p[f"W{idx}"], p[f"b{idx}"], dW=g[f"W{idx}"], db=g[f"b{idx}"])
            act = _ACTIVATION_LAYERS[self.activation]()
            self.layers[f"Affine{idx}"] = affine
            if self.use_batchnorm:
                bn = BatchNormalization(p[f"gamma{idx}"], p[f"beta{idx}"],
                                        dgamma=g[f"gamma{idx}"], dbeta=g[f"beta{idx}"])
                self.layers[f"BatchNorm{idx}"] = bn
                self._plan += [("affine", affine, 0), ("bn", bn, 0), ("act", act, 0)]
            else:
                self._plan.append(("affine", affine, act.code))  # activation in the GEMM epilogue
                self._fused_activation[id(affine)] = act
            self.layers[f"Activation_function{idx}"] = act
            if self.use_dropout:
                seed_i = (int(dropout_seeds[idx - 1].generate_state(1, np.uint64)[0])
                          if seed is not None else None)
                drop = Dropout(self.dropout_ratio, seed=seed_i)
                self.layers[f"Dropout{idx}"] = drop
                self._plan.append(("dropout", drop, 0))
        idx = self.hidden_layer_num + 1
        affine = Affine(p[f"W{idx}"], p[f"b{idx}"], dW=g[f"W{idx}"], db=g[f"b{idx}"])
        self.layers[f"Affine{idx}"] = affine
        self._plan.append(("affine", affine, 0))
        self.last_layer = SoftmaxWithLoss()

    def set_dropout_ratio(self, ratio) -> None:
        """Set the ratio of every Dropout layer, used from the next forward pass on."""
        ratio = V.unit_interval("dropout_ratio", ratio)
        if not self.use_dropout:
            raise ValueError("this network has no dropout layers (use_dropout=False)")
        self.dropout_ratio = ratio
        for layer in self.layers.values():
            if isinstance(layer, Dropout):
                layer.dropout_ratio = ratio
        self._executors.clear()  # the compiled plans hold the old ratio
        self._active = None

    # -- forward / backward: one compiled call per batch --------------------------------------
    def _input(self, x) -> np.ndarray:
        x = _as_rows(x, self.dtype)
        if x.shape[1] != self.input_size:
            raise ValueError(f"input has {x.shape[1]} features per sample, the network expects {self.input_size}")
        if x.shape[0] == 0:
            raise ValueError("empty batch: x has 0 rows")
        return x

    def _executor(self, n: int):
        """The compiled plan bound to buffers for ``n`` rows (a few batch sizes are kept)."""
        bound = self._executors.get(n)
        if bound is None:
            if len(self._executors) >= 3:
                del self._executors[next(iter(self._executors))]
            bound = self._executors[n] = self._bind(n)
        if self._active is not bound:
            for layer, attr, value in bound[1]:
                setattr(layer, attr, value)  # the book's layer attributes show the live buffers
            self._active = bound
        return bound[0]

    def _bind(self, n: int):
        dt = self.dtype
        features = [self.input_size] + self.hidden_size_list + [self.output_size]
        ex = NetExecutor(n, dt == np.float64, len(self._plan), max(features))
        exposed, prev_out = [], None
        for kind, layer, code in self._plan:
            if kind == "affine":
                out = np.empty((n, layer.W.shape[1]), dt)
                dx = None if prev_out is None else np.empty((n, layer.W.shape[0]), dt)
                ex.add_affine(layer.W, layer.b, layer.dW, layer.db, out, dx, code)
                exposed += [(layer, "out", out)] + ([(layer, "x", prev_out)] if prev_out is not None else [])
                if code:
                    act = self._fused_activation[id(layer)]
                    exposed += [(act, "out", out), (act, "_shape", out.shape)]
            elif kind == "bn":
                out, xn = np.empty((n, layer.gamma.shape[0]), dt), np.empty((n, layer.gamma.shape[0]), dt)
                ex.add_batchnorm(layer.gamma, layer.beta, layer.running_mean, layer.running_var,
                                 layer.momentum, layer.eps, xn, layer.inv_std, layer.dgamma, layer.dbeta, out,
                                 threads_for(out.size))
                exposed += [(layer, "xn", xn), (layer, "batch_size", n)]
            elif kind == "act":
                out = np.empty_like(prev_out)
                ex.add_activation(layer.code, out)
                exposed += [(layer, "out", out), (layer, "_shape", out.shape)]
            else:
                out, mask = np.empty_like(prev_out), np.empty(prev_out.shape, np.uint8)
                ex.add_dropout(layer.dropout_ratio, layer._stream, mask, out)
                exposed += [(layer, "_mask", mask), (layer, "_shape", mask.shape)]
            prev_out = out
        probs, dscores = np.empty((n, self.output_size), dt), np.empty((n, self.output_size), dt)
        ex.set_loss_buffers(probs, dscores)
        return ex, exposed, prev_out, probs, dscores

    def _forward(self, x, train_flg):
        """Scores of x (already validated) in the bound buffer for its batch size."""
        ex = self._executor(x.shape[0])
        (ex.forward_f64 if self.dtype == np.float64 else ex.forward_f32)(x, bool(train_flg))
        return self._active[2]

    def _train_pass(self, x, t) -> float:
        """Train-mode forward, loss (without weight decay) and backward into the gradient buffer."""
        n = x.shape[0]
        ex = self._executor(n)
        f64 = self.dtype == np.float64
        t = np.asarray(t)
        if t.ndim == 1:
            # int64 labels go straight to the compiled pass, which checks their range
            labels = t if t.dtype == np.int64 and t.flags.c_contiguous else \
                V.as_labels("t", t, n, self.output_size).astype(np.int64, copy=False)
            run = ex.loss_and_backward_f64 if f64 else ex.loss_and_backward_f32
            value = run(x, labels, self.weight_decay_lambda, step_threads())
        else:  # one-hot or soft targets: the book's SoftmaxWithLoss, then the compiled backward
            (ex.forward_f64 if f64 else ex.forward_f32)(x, True)
            value = self.last_layer._forward(self._active[2], t)
            self._active[4][...] = self.last_layer.backward(1)
            (ex.backward_f64 if f64 else ex.backward_f32)(x, self.weight_decay_lambda)
        return value

    def _check_result(self, value, x, what):
        """Called only when a result is not finite. NaN in the input is the caller's error; NaN
        from the parameters propagates, as in the book's code (where a diverging network is the
        lesson of fig. 6-19), with one RuntimeWarning per network, as NumPy warns."""
        V.check_finite("input x", x)
        if not self._warned_nonfinite:
            bad = [key for key, arr in self.params.items()
                   if count_nonfinite(np.ascontiguousarray(arr).reshape(-1))]
            where = f"parameter {bad[0]} holds NaN/inf" if bad else "overflow in the forward pass"
            warnings.warn(f"{what} is not finite: {where} (training diverged; lower the learning "
                          "rate). NaN propagates, as in the book; trainlab.Trainer stops instead.",
                          RuntimeWarning, stacklevel=3)
            self._warned_nonfinite = True
        return value

    # -- the book's API ------------------------------------------------------------------------
    def predict(self, x, train_flg=False):
        """Scores (N, output_size) before softmax; a new array."""
        x = self._input(x)
        out = self._forward(x, train_flg).copy()
        if count_nonfinite(out.reshape(-1)):
            self._check_result(out, x, "predict output")
        return out

    def _weight_decay_term(self):
        if self.weight_decay_lambda == 0:
            return 0.0
        total = 0.0
        for idx in range(1, self.hidden_layer_num + 2):
            w = self.params[f"W{idx}"].reshape(-1)
            total += float(np.dot(w, w))
        return 0.5 * self.weight_decay_lambda * total

    def loss(self, x, t, train_flg=False):
        """Cross-entropy loss plus 0.5·λ·Σ‖W‖² (a Python float)."""
        x = self._input(x)
        value = self.last_layer._forward(self._forward(x, train_flg), t) + self._weight_decay_term()
        if not np.isfinite(value):
            self._check_result(value, x, "loss")
        return value

    def accuracy(self, x, t):
        """Fraction of rows whose arg-max score equals the label (t: labels or one-hot)."""
        x = self._input(x)
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        if t.shape[0] != x.shape[0]:
            raise ValueError(f"t has {t.shape[0]} labels for {x.shape[0]} samples")
        correct = 0
        for start in range(0, x.shape[0], _EVAL_CHUNK):
            scores = self._forward(x[start:start + _EVAL_CHUNK], False)
            correct += int(np.count_nonzero(np.argmax(scores, axis=1) == t[start:start + _EVAL_CHUNK]))
        return correct / float(x.shape[0])

    def gradient(self, x, t):
        """Gradients of the loss (train mode) by backpropagation: dW + λW, db, dgamma, dbeta.

        Returns a dict of views into the network's gradient buffer, overwritten by the next call.
        """
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
        drops = [l for l in self.layers.values() if isinstance(l, Dropout)]
        bns = [l for l in self.layers.values() if isinstance(l, BatchNormalization)]
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

