"""The book's Trainer (``common/trainer.py``) with callbacks, stop/pause from another thread and
divergence handling.

Like the book it samples each mini-batch with replacement, updates, then records the loss of the
batch under the *updated* parameters (``record_loss='after_update'``, a second forward pass);
``record_loss='before_update'`` records the loss of the gradient's own forward pass instead and
saves that pass. With ``seed=None`` batches come from NumPy's global generator (the book's
``np.random.choice``); with a seed the trainer owns its generator.
"""
from __future__ import annotations

import threading
import time

import numpy as np

from trainlab import _validate as V
from trainlab.checkpoint import load_checkpoint, save_checkpoint
from trainlab.optim import Optimizer, make_optimizer

__all__ = ["Trainer", "TrainingDiverged"]


class TrainingDiverged(FloatingPointError):
    """Raised inside a step when the loss stops being finite; the Trainer catches it."""


class Trainer:
    """Train a network on mini-batches, as the book's ``common/trainer.py``.

    Parameters
    ----------
    network : trainlab.networks.MultiLayerNet or trainlab.networks.MultiLayerNetExtend
        The network to train (its ``dtype`` is the data's).
    x_train, t_train : array_like
        Training images ``(N, features)`` (or ``(N, ...)``, flattened) and labels ``(N,)`` class
        indices or ``(N, classes)`` one-hot.
    x_test, t_test : array_like
        Test images and labels, evaluated at each epoch boundary and at the end.
    epochs : int
        Number of epochs; ``max_iter = epochs * max(train_size / mini_batch_size, 1)``.
    mini_batch_size : int
        Samples per step, drawn with replacement, in ``[1, train_size]``.
    optimizer : str or trainlab.optim.Optimizer
        An optimizer name (``'SGD'``, ``'Momentum'``, ``'Nesterov'``, ``'AdaGrad'``,
        ``'RMSprop'``, ``'Adam'``) or an :class:`~trainlab.optim.Optimizer` instance.
    optimizer_param : dict, optional
        Keyword arguments of the named optimizer (default ``{'lr': 0.01}``).
    evaluate_sample_num_per_epoch : int, optional
        Evaluate the accuracies on only this many samples per epoch (the book's option).
    verbose : bool
        Print the loss of each step and the accuracies of each epoch.
    seed : int, optional
        Seed of the trainer's own batch generator; ``None`` uses NumPy's global generator
        (``np.random.seed`` then fixes the batches, as in the book).
    record_loss : {'after_update', 'before_update'}
        Record the batch loss under the updated parameters (the book's) or the gradient's own.
    on_iteration, on_epoch : callable, optional
        ``fn(trainer, info)`` called after each step / each epoch (see :meth:`add_callback`).

    Raises
    ------
    ValueError
        Data of the wrong shape, NaN or infinite inputs, labels out of range or not one per
        sample, ``epochs < 0``, ``mini_batch_size`` outside ``[1, train_size]``, an unknown
        optimizer or ``record_loss``, or an invalid optimizer parameter.

    Notes
    -----
    ``train_loss_list``, ``train_acc_list`` and ``test_acc_list`` hold the book's records;
    ``stop_reason`` says why training ended early (``'stopped by request'`` or
    ``'diverged: ...'``, in which case the last finite parameters are restored).
    """

    def __init__(self, network, x_train, t_train, x_test, t_test, epochs=20, mini_batch_size=100,
                 optimizer="SGD", optimizer_param=None, evaluate_sample_num_per_epoch=None,
                 verbose=True, *, seed=None, record_loss="after_update", on_iteration=None,
                 on_epoch=None):
        self.network = network
        self.verbose = verbose
        dtype = getattr(network, "dtype", np.float64)
        self.x_train, self.t_train = self._data("train", x_train, t_train, network, dtype)
        self.x_test, self.t_test = self._data("test", x_test, t_test, network, dtype)
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
        self.epochs = int(epochs)
        self.train_size = self.x_train.shape[0]
        if (isinstance(mini_batch_size, bool) or not isinstance(mini_batch_size, (int, np.integer))
                or not 1 <= mini_batch_size <= self.train_size):
            raise ValueError(f"mini_batch_size must be an integer in [1, {self.train_size}] "
                             f"(the training set size), got {mini_batch_size!r}")
        self.batch_size = int(mini_batch_size)
        if evaluate_sample_num_per_epoch is not None and (
                not isinstance(evaluate_sample_num_per_epoch, (int, np.integer))
                or evaluate_sample_num_per_epoch < 1):
            raise ValueError("evaluate_sample_num_per_epoch must be None or a positive integer, "
                             f"got {evaluate_sample_num_per_epoch!r}")
        self.evaluate_sample_num_per_epoch = evaluate_sample_num_per_epoch
        if isinstance(optimizer, Optimizer):
            self.optimizer = optimizer
        else:
            self.optimizer = make_optimizer(optimizer, **(optimizer_param or {"lr": 0.01}))
        if record_loss not in ("after_update", "before_update"):
            raise ValueError(f"record_loss must be 'after_update' or 'before_update', got {record_loss!r}")
        self.record_loss = record_loss
        self.rng = np.random.default_rng(seed) if seed is not None else None

        self.iter_per_epoch = max(self.train_size / self.batch_size, 1)
        self.max_iter = int(self.epochs * self.iter_per_epoch)
        self.current_iter = 0
        self.current_epoch = 0
        self.train_loss_list: list[float] = []
        self.train_acc_list: list[float] = []
        self.test_acc_list: list[float] = []
        self.stop_reason: str | None = None
        self.elapsed = 0.0
        self.callbacks = {"iteration": [], "epoch": [], "end": []}
        if on_iteration is not None:
            self.add_callback("iteration", on_iteration)
        if on_epoch is not None:
            self.add_callback("epoch", on_epoch)

        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        flat = getattr(network.params, "flat", None)
        self._last_good = None if flat is None else flat.copy()
        shape = (self.batch_size,) + self.x_train.shape[1:]
        self._x_batch = np.empty(shape, self.x_train.dtype)
        self._t_batch = np.empty((self.batch_size,) + self.t_train.shape[1:], self.t_train.dtype)

    @staticmethod
    def _data(name, x, t, network, dtype):
        x = np.asarray(x)
        t = np.asarray(t)
        if x.ndim < 2 or x.shape[0] == 0:
            raise ValueError(f"x_{name} must be (N, features) with N >= 1, got shape {x.shape}")
        if t.shape[0] != x.shape[0]:
            raise ValueError(f"t_{name} has {t.shape[0]} labels for {x.shape[0]} samples in x_{name}")
        x = np.ascontiguousarray(x.reshape(x.shape[0], -1), dtype=dtype)
        V.check_finite(f"x_{name}", x)
        n_classes = getattr(network, "output_size", None)
        if t.ndim == 1 and n_classes is not None:
            t = V.as_labels(f"t_{name}", t, x.shape[0], n_classes)
        return x, np.ascontiguousarray(t)

    # -- control from any thread ---------------------------------------------------------------
    def add_callback(self, event: str, fn) -> None:
        """Call ``fn(trainer, info: dict)`` on 'iteration', 'epoch' or 'end' (in the training thread)."""
        if event not in self.callbacks:
            raise ValueError(f"unknown event {event!r}; expected one of {sorted(self.callbacks)}")
        self.callbacks[event].append(fn)

    def stop(self) -> None:
        """Ask training to stop after the current step (safe from another thread)."""
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        """Hold training before the next step until resume() or stop()."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def _emit(self, event, **info):
        for fn in self.callbacks[event]:
            fn(self, info)

    # -- checkpoints ---------------------------------------------------------------------------
    def save_checkpoint(self, path) -> None:
        """Write the whole training state to ``path`` (.npz) atomically (see trainlab.checkpoint)."""
        save_checkpoint(self, path)

    def load_checkpoint(self, path) -> None:
        """Restore a state saved by save_checkpoint into this trainer (same network shape, dtype,
        batch size and seeding); train() then continues exactly where the saved run was."""
        load_checkpoint(self, path)

    # -- training ----------------------------------------------------------------------------
    def _sample(self):
        if self.rng is not None:
            idx = self.rng.integers(0, self.train_size, self.batch_size)
        else:
            idx = np.random.choice(self.train_size, self.batch_size)
        np.take(self.x_train, idx, axis=0, out=self._x_batch)
        np.take(self.t_train, idx, axis=0, out=self._t_batch)
        return self._x_batch, self._t_batch

    def train_step(self):
        """One mini-batch update (and an evaluation at each epoch boundary), as in the book."""
        x_batch, t_batch = self._sample()
        try:
            grads = self.network.gradient(x_batch, t_batch)
            before = getattr(self.network, "last_loss", None)
            if before is not None and not np.isfinite(before):
                raise TrainingDiverged(f"loss became {before} at iteration {self.current_iter}")
            self.optimizer.update(self.network.params, grads)
            if self.record_loss == "after_update" or before is None:
                loss = float(self.network.loss(x_batch, t_batch))
            else:
                loss = float(before)
            if not np.isfinite(loss):
                raise TrainingDiverged(f"loss became {loss} at iteration {self.current_iter}")
        except FloatingPointError as exc:
            self._diverged(exc)
            return
        if self._last_good is not None:
            np.copyto(self._last_good, self.network.params.flat)
        self.train_loss_list.append(loss)
        if self.verbose:
            print("train loss:" + str(loss))
        self._emit("iteration", iteration=self.current_iter, epoch=self.current_epoch, loss=loss)
        if self._epoch_boundary(self.current_iter):
            self._evaluate()
        self.current_iter += 1

    def _epoch_boundary(self, i: int) -> bool:
        """True at iteration 0 and at the first iteration of each later epoch.

        The book tests ``i % iter_per_epoch == 0``, which with a fractional iter_per_epoch
        (e.g. 240 samples, batch 100) almost never holds; counting whole epochs crossed gives
        the same iterations whenever iter_per_epoch is an integer and one record per epoch
        otherwise. Evaluation does not change training, so losses stay the book's."""
        return i == 0 or int(i / self.iter_per_epoch) != int((i - 1) / self.iter_per_epoch)

    def _evaluate(self):
        self.current_epoch += 1
        xs, ts, xt, tt = self.x_train, self.t_train, self.x_test, self.t_test
        n = self.evaluate_sample_num_per_epoch
        if n is not None:
            xs, ts, xt, tt = xs[:n], ts[:n], xt[:n], tt[:n]
        train_acc = self.network.accuracy(xs, ts)
        test_acc = self.network.accuracy(xt, tt)
        self.train_acc_list.append(train_acc)
        self.test_acc_list.append(test_acc)
        if self.verbose:
            print(f"=== epoch:{self.current_epoch}, train acc:{train_acc}, test acc:{test_acc} ===")
        self._emit("epoch", epoch=self.current_epoch, iteration=self.current_iter,
                   train_acc=train_acc, test_acc=test_acc)

    def _diverged(self, exc):
        if self._last_good is not None:
            np.copyto(self.network.params.flat, self._last_good)
            kept = "the parameters of the last finite step were restored"
        else:
            kept = "parameters are left as they were (not a flat-buffer network)"
        self.stop_reason = f"diverged: {exc}; {kept}"
        if self.verbose:
            print("training stopped: " + self.stop_reason)
        self._stop.set()

    def train(self):
        """Run up to ``max_iter`` steps (until stop() or divergence), then report test accuracy.

        Returns
        -------
        float
            The network's accuracy on the whole test set.

        Raises
        ------
        Exception
            Whatever a callback raises propagates; divergence does not raise (see
            ``stop_reason``).
        """
        start = time.perf_counter()
        try:
            while self.current_iter < self.max_iter and not self._stop.is_set():
                if not self._running.is_set():
                    self._running.wait()
                    continue
                self.train_step()
        finally:
            self.elapsed += time.perf_counter() - start
        if self.stop_reason is None and self._stop.is_set():
            self.stop_reason = "stopped by request"
        test_acc = self.network.accuracy(self.x_test, self.t_test)
        if self.verbose:
            print("=============== Final Test Accuracy ===============")
            print("test acc:" + str(test_acc))
        self._emit("end", test_acc=test_acc, stop_reason=self.stop_reason, elapsed=self.elapsed)
        return test_acc
