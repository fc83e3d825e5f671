"""Helpers the experiments share: parameter checks, data, the book's smooth_curve, and training
several networks in lockstep on the same mini-batches."""
from __future__ import annotations

import numbers
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from trainlab import _validate as V
from trainlab import threads
from trainlab.optim import OPTIMIZERS


# -- parameter checks (ValueError naming the parameter) ---------------------------------------
def integer(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def optional_integer(name: str, value, minimum: int = 1):
    return None if value is None else integer(name, value, minimum)


def positive(name: str, value, allow_zero: bool = False) -> float:
    return V.positive_number(name, value, allow_zero=allow_zero)


def sizes(name: str, value) -> list[int]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise ValueError(f"{name} must name at least one layer size")
    return [integer(f"{name} entry", v) for v in values]


def names(name: str, value, allowed) -> list[str]:
    """A non-empty list of distinct names from ``allowed`` (case-insensitive)."""
    values = [value] if isinstance(value, str) else list(value)
    out = []
    for v in values:
        key = str(v).lower()
        if key not in allowed:
            raise ValueError(f"unknown {name[:-1] if name.endswith('s') else name} {v!r}; "
                             f"expected one of {sorted(allowed)}")
        if key not in out:
            out.append(key)
    if not out:
        raise ValueError(f"{name} must name at least one of {sorted(allowed)}")
    return out


def optimizer_names(value) -> list[str]:
    return names("optimizers", value, OPTIMIZERS)


def learning_rates(value, defaults: dict) -> dict:
    """``defaults`` updated by a dict or 'name=lr,name=lr' string; every lr checked."""
    if value is None:
        value = {}
    if isinstance(value, str):
        pairs = [p for p in value.split(",") if p.strip()]
        try:
            value = {k.strip().lower(): float(v) for k, v in (p.split("=") for p in pairs)}
        except ValueError as exc:
            raise ValueError(f"learning_rates must look like 'sgd=0.9,adam=0.3', got {value!r}") from exc
    if not isinstance(value, dict):
        raise ValueError(f"learning_rates must be a dict or 'name=lr,...', got {value!r}")
    out = dict(defaults)
    for key, lr in value.items():
        key = str(key).lower()
        if key not in OPTIMIZERS:
            raise ValueError(f"learning_rates names unknown optimizer {key!r}; expected one of {sorted(OPTIMIZERS)}")
        out[key] = positive(f"learning rate of {key}", lr)
    return out


def weight_init(value) -> str | float:
    """'he'/'relu', 'xavier'/'sigmoid', or a standard deviation (number or numeric string)."""
    key = str(value).lower()
    if key in ("he", "relu", "xavier", "sigmoid"):
        return key
    try:
        return positive("weight init std", float(value))
    except (TypeError, ValueError):
        raise ValueError(f"unknown weight init {value!r}; expected 'he', 'xavier' or a standard "
                         "deviation such as 0.01") from None


def init_label(value) -> str:
    named = {"he": "He", "relu": "He", "xavier": "Xavier", "sigmoid": "Xavier"}
    key = str(value).lower()
    return named[key] if key in named else f"std={float(value):g}"


# -- data ---------------------------------------------------------------------------------------
def resolve_data(data, train_size=None, test_size=None):
    """``((x_train, t_train), (x_test, t_test))`` checked and cut; None loads the default dataset."""
    if data is None:
        from trainlab.datasets import load_default_dataset
        data = load_default_dataset(progress=False).data
    try:
        (x_train, t_train), (x_test, t_test) = data
    except (TypeError, ValueError):
        raise ValueError("data must be ((x_train, t_train), (x_test, t_test))") from None
    x_train, x_test = np.asarray(x_train), np.asarray(x_test)
    x_train, x_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    t_train, t_test = np.asarray(t_train), np.asarray(t_test)
    for name, size, n in (("train_size", train_size, len(x_train)), ("test_size", test_size, len(x_test))):
        if size is not None and size > n:
            raise ValueError(f"{name}={size} is more than the {n} samples the dataset has")
    if train_size is not None:
        x_train, t_train = x_train[:train_size], t_train[:train_size]
    if test_size is not None:
        x_test, t_test = x_test[:test_size], t_test[:test_size]
    if t_train.ndim != 1:  # one-hot → labels
        t_train, t_test = t_train.argmax(axis=1), t_test.argmax(axis=1)
    return (x_train, t_train), (x_test, t_test)


def n_classes(*labels) -> int:
    return int(max(int(t.max()) for t in labels)) + 1


def smooth_curve(x) -> np.ndarray:
    """The book's ``common/util.smooth_curve``: a Kaiser-window moving average (window 11).

    Parameters
    ----------
    x : array_like, 1-D
        A curve, e.g. the loss per iteration.

    Returns
    -------
    numpy.ndarray
        The smoothed curve (float64, the length of ``x``; shorter curves are returned as they are).
    """
    x = np.asarray(x, dtype=np.float64)
    window_len = 11
    if x.size < window_len:
        return x.copy()
    s = np.r_[x[window_len - 1:0:-1], x, x[-1:-window_len:-1]]
    w = np.kaiser(window_len, 2)
    y = np.convolve(w / w.sum(), s, mode="valid")
    return y[5:len(y) - 5]


# -- training ------------------------------------------------------------------------------------
def batch_loss(network) -> float:
    """The loss of the forward pass ``gradient()`` just made (no second pass): trainlab keeps it in
    ``last_loss``; the book's network keeps the cross-entropy in its last layer."""
    loss = getattr(network, "last_loss", None)
    if loss is not None:
        return float(loss)
    loss = float(network.last_layer.loss)
    lam = getattr(network, "weight_decay_lambda", 0)
    if lam:
        loss += 0.5 * lam * sum(float(np.sum(network.params[f"W{i}"] ** 2))
                                for i in range(1, network.hidden_layer_num + 2))
    return loss


class Lockstep:
    """Train several (network, optimizer) pairs on the same mini-batches, one step each per batch.

    Batches are drawn with replacement as in the book (``np.random.choice``), from a generator
    seeded by ``seed``. Each model's loss goes to the series ``label + loss_suffix`` of ``result``
    (which must exist); a model whose loss stops being finite is frozen (its later losses are NaN)
    and named in ``diverged``.

    trainlab's networks train in parallel, one model per thread on
    ``min(trainlab.get_num_threads(), models)`` threads with one BLAS thread each (their kernels
    release the GIL): the small GEMMs of the book's networks gain more from running two models at
    once than from splitting each product over two BLAS threads (1.25x on 2 cores, measured in
    benchmarks/README.md). ``run(steps)`` takes a round of steps, each thread training its models
    one after the other through the whole round (another 1.2x: no hand-over per step, and one
    model's weights stay in cache). Each model's arithmetic is the same either way. Use it as a
    context manager: leaving it restores the BLAS threads. The book's NumPy networks step one by
    one.
    """

    ROUND_SECONDS = 0.1  # wall time a round of steps aims at
    MAX_ROUND = 64

    def __init__(self, models: dict, x, t, *, batch_size: int, seed, hooks, result, loss_suffix=""):
        from trainlab.networks import MultiLayerNet

        self.models, self.hooks, self.result = models, hooks, result
        self.loss_suffix = loss_suffix
        self.x, self.t = x, t
        self.batch_size = integer("batch_size", batch_size)
        if self.batch_size > len(x):
            raise ValueError(f"batch_size={batch_size} is more than the {len(x)} training samples")
        self.rng = np.random.default_rng(seed)
        self.seconds = {name: 0.0 for name in models}
        self.diverged: dict[str, str] = {}
        self.iteration = 0
        ours = all(isinstance(network, MultiLayerNet) for network, _ in models.values())
        self.model_threads = min(threads.get_num_threads(), len(models)) if ours else 1
        self._pool = self._blas_limit = None
        self._step_seconds = 0.0

    def __enter__(self) -> "Lockstep":
        if self.model_threads > 1:
            from threadpoolctl import threadpool_limits

            self._blas_limit = threadpool_limits(limits=1, user_api="blas")
            self._pool = ThreadPoolExecutor(self.model_threads, initializer=threads.single_threaded_here)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._blas_limit.restore_original_limits()
            self._pool = self._blas_limit = None

    def map(self, fn) -> list:
        """[fn(label, network, optimizer) for each model], on the model threads when there are."""
        items = list(self.models.items())
        if self._pool is None:
            return [fn(label, *pair) for label, pair in items]
        return list(self._pool.map(lambda item: fn(item[0], *item[1]), items))

    def steps_per_round(self, remaining: int) -> int:
        """How many steps the next ``run`` should take: about ROUND_SECONDS of training, so the
        threads meet (and stop requests and progress are seen) a few times a second."""
        if self._step_seconds <= 0:
            return min(remaining, 1)
        return max(1, min(remaining, int(self.ROUND_SECONDS / self._step_seconds), self.MAX_ROUND))

    def run(self, steps: int = 1) -> None:
        """Train every model ``steps`` steps on the next ``steps`` mini-batches.

        Each model thread trains its share of the models, one model after the other, through all
        the steps (the threads meet once per call, not once per step: a step of the book's
        network is ~1 ms, and a hand-over per step left one core idle whenever the other thread
        was late; one model at a time keeps its weights and optimizer state in cache). The
        batches are drawn up front in the same order as one step at a time, so results do not
        depend on ``steps``. Losses then go to the series and hooks in iteration order."""
        steps = integer("steps", steps)
        start = time.perf_counter()
        batches = [self.rng.integers(0, len(self.x), self.batch_size) for _ in range(steps)]
        items = list(self.models.items())
        groups = [items[k::self.model_threads] for k in range(self.model_threads)]

        def train_group(group) -> dict:
            losses = {name: [] for name, _ in group}
            for name, (network, optimizer) in group:
                for k, idx in enumerate(batches):
                    losses[name].append(self._train(name, network, optimizer, self.x[idx],
                                                    self.t[idx], self.iteration + k))
            return losses

        losses = {}
        for part in (map(train_group, groups) if self._pool is None
                     else self._pool.map(train_group, groups)):
            losses.update(part)
        for k in range(steps):
            for name in self.models:
                self.result.series[name + self.loss_suffix].append(self.iteration, losses[name][k])
                self.hooks.update(name + self.loss_suffix, self.iteration, losses[name][k])
            self.iteration += 1
        self._step_seconds = (time.perf_counter() - start) / steps

    def _train(self, name, network, optimizer, x_batch, t_batch, iteration) -> float:
        if name in self.diverged:
            return float("nan")
        start = time.perf_counter()
        try:
            grads = network.gradient(x_batch, t_batch)
            loss = batch_loss(network)
            if not np.isfinite(loss):
                raise FloatingPointError(f"loss became {loss}")
            optimizer.update(network.params, grads)
        except FloatingPointError as exc:
            self.diverged[name] = f"iteration {iteration}: {exc}"
            loss = float("nan")
        self.seconds[name] += time.perf_counter() - start
        return loss


def compare_loss_curves(result, models: dict, train, test, *, iterations: int, batch_size: int,
                        seed, hooks) -> None:
    """Train ``models`` (label -> (network, optimizer)) in lockstep for ``iterations`` steps and
    fill ``result``: series ``label`` (loss per iteration) and ``smoothed/label`` (the book's
    smooth_curve), summary per label (smoothed final loss, test accuracy, training seconds)."""
    (x_train, t_train), (x_test, t_test) = train, test
    for label in models:
        if label not in result.series:
            result.add_series(label, kind="loss")
    with Lockstep(models, x_train, t_train, batch_size=batch_size, seed=seed, hooks=hooks,
                  result=result) as lockstep:
        while lockstep.iteration < iterations:
            if hooks.stop_requested():
                result.stopped = True
                break
            lockstep.run(lockstep.steps_per_round(iterations - lockstep.iteration))
            hooks.progress(lockstep.iteration, iterations, **{k: result.series[k].y[-1] for k in models})
    for label, (network, _) in models.items():
        losses = result.series[label].y
        smoothed = smooth_curve([np.nan if v is None else v for v in losses])
        result.add_series(f"smoothed/{label}", range(len(smoothed)), smoothed, kind="smoothed loss")
        result.summary[label] = {
            "final_loss_smoothed": float(smoothed[-1]) if len(smoothed) else None,
            "test_acc": float(network.accuracy(x_test, t_test)),
            "diverged": lockstep.diverged.get(label)}
        result.timings[label] = lockstep.seconds[label]
    result.summary["headline"] = "test acc: " + ", ".join(
        f"{k} {result.summary[k]['test_acc']:.3f}" for k in models)
    result.timings["total"] = hooks.elapsed()


def train_epochs(result, models: dict, train, eval_sets: dict, *, epochs: int, batch_size: int,
                 seed, hooks, progress_done=0, progress_total=None) -> Lockstep:
    """Train ``models`` (label -> (network, optimizer)) in lockstep for ``epochs`` epochs of
    max(N / batch_size, 1) steps (the book's epoch), evaluating accuracy before training (epoch 0)
    and after every epoch on each of ``eval_sets`` (set name -> (x, t)).

    Fills series ``label/loss`` (per iteration) and ``label/SET_acc`` (per epoch). Progress counts
    epochs, offset by ``progress_done`` out of ``progress_total`` (for sweeps of several runs).
    """
    x_train, t_train = train
    for label in models:
        result.add_series(f"{label}/loss", kind="loss")
        for set_name in eval_sets:
            result.add_series(f"{label}/{set_name}_acc", kind="accuracy", set=set_name)
    total = progress_total if progress_total is not None else epochs
    with Lockstep(models, x_train, t_train, batch_size=batch_size, seed=seed, hooks=hooks,
                  result=result, loss_suffix="/loss") as lockstep:
        iter_per_epoch = max(len(x_train) // lockstep.batch_size, 1)

        def evaluate(epoch):
            accs = lockstep.map(lambda label, network, _: [float(network.accuracy(x, t))
                                                           for x, t in eval_sets.values()])
            for label, per_set in zip(models, accs):
                for set_name, acc in zip(eval_sets, per_set):
                    result.series[f"{label}/{set_name}_acc"].append(epoch, acc)
                    hooks.update(f"{label}/{set_name}_acc", epoch, acc)

        evaluate(0)
        for epoch in range(1, epochs + 1):
            end = epoch * iter_per_epoch
            while lockstep.iteration < end:
                if hooks.stop_requested():
                    result.stopped = True
                    return lockstep
                lockstep.run(lockstep.steps_per_round(end - lockstep.iteration))
            evaluate(epoch)
            hooks.progress(progress_done + epoch, total, epoch=epoch)
    return lockstep
