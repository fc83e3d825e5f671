"""The book's Trainer (``common/trainer.py``): one training loop for one network, or for several
side by side on the same mini-batches, with callbacks, stop/pause from another thread,
hyperparameters changed while training, and a clear stop when training diverges.

Like the book it samples each mini-batch with replacement, updates, then records the loss of the
batch under the *updated* parameters (``record_loss='after_update'``, a second forward pass);
``record_loss='before_update'`` records the loss of the gradient's own forward pass instead and
saves that pass. With ``seed=None`` batches come from NumPy's global generator (the book's
``np.random.choice``); with a seed the trainer owns its generator.
"""
from __future__ import annotations

import contextlib
import threading
import time

import numpy as np

from trainlab import _validate as V
from trainlab import kernels as K
from trainlab import threads
from trainlab._models import DIVERGENCE_POLICIES, ModelRun, ModelThreads
from trainlab.checkpoint import load_checkpoint, save_checkpoint
from trainlab.live import LiveChanges
from trainlab.optim import Optimizer, make_optimizer

__all__ = ["Trainer", "TrainingDiverged"]

EVALUATIONS = ("book", "epochs", None)


class TrainingDiverged(FloatingPointError):
    """The loss stopped being finite (or exploded) during training."""


class Trainer:
    """Train a network on mini-batches, as the book's ``common/trainer.py``.

    Parameters
    ----------
    network : network or dict
        The network to train (its ``dtype`` is the data's), or ``{label: (network, optimizer)}``
        to train several side by side on the same mini-batches (``optimizer`` and
        ``optimizer_param`` are then unused); :attr:`models` holds each one's records.
    x_train, t_train : array_like
        Training images ``(N, features)`` (or ``(N, ...)``, flattened) and labels ``(N,)`` class
        indices or ``(N, classes)`` one-hot.
    x_test, t_test : array_like or None
        Test images and labels, evaluated at each evaluation and at the end (None: none).
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
    evaluate : {'book', 'epochs', None}
        When accuracies are measured: ``'book'`` after the first step of each epoch (the book's
        ``i % iter_per_epoch == 0``), ``'epochs'`` before training (epoch 0) and after the last
        step of every epoch, None never (only the final test accuracy).
    iterations : int, optional
        Train this many steps instead of ``epochs`` epochs.
    on_divergence : {'stop', 'continue'}
        ``'stop'``: a model whose loss becomes NaN/inf or explodes stops with its last finite
        parameters restored (:attr:`stop_reason` says why); ``'continue'``: keep updating, as the
        book's code does.
    threads : int, optional
        Threads for training (:func:`trainlab.set_num_threads` for the duration of ``train``).
    changes : sequence of (iteration, name, value), optional
        Hyperparameter changes to apply before those steps (a recorded run's
        :attr:`changes`, to replay it); see :meth:`change`.
    should_stop : callable, optional
        Polled before each step (each round of steps when several models train); True stops
        training as :meth:`stop` does.
    on_iteration, on_epoch : callable, optional
        ``fn(trainer, info)`` called after each step / each evaluation (see :meth:`add_callback`).

    Raises
    ------
    ValueError
        Data of the wrong shape, NaN or infinite inputs, labels out of range or not one per
        sample, ``epochs < 0``, ``mini_batch_size`` outside ``[1, train_size]``, an unknown
        optimizer, ``record_loss``, ``evaluate`` or ``on_divergence``, or an invalid optimizer
        parameter.

    Notes
    -----
    ``train_loss_list``, ``train_acc_list`` and ``test_acc_list`` hold the book's records;
    ``stop_reason`` says why training ended early (``'stopped by request'`` or
    ``'diverged: ...'``).
    """

    ROUND_SECONDS = 0.1  # side by side: wall time a round of steps aims at
    MAX_ROUND = 64

    def __init__(self, network, x_train, t_train, x_test=None, t_test=None, epochs=20,
                 mini_batch_size=100, optimizer="SGD", optimizer_param=None,
                 evaluate_sample_num_per_epoch=None, verbose=True, *, seed=None,
                 record_loss="after_update", evaluate="book", iterations=None,
                 on_divergence="stop", threads=None, changes=(), should_stop=None,
                 on_iteration=None, on_epoch=None):
        if record_loss not in ("after_update", "before_update"):
            raise ValueError(f"record_loss must be 'after_update' or 'before_update', got {record_loss!r}")
        if evaluate not in EVALUATIONS:
            raise ValueError(f"evaluate must be 'book', 'epochs' or None, got {evaluate!r}")
        if on_divergence not in DIVERGENCE_POLICIES:
            raise ValueError(f"on_divergence must be 'stop' or 'continue', got {on_divergence!r}")
        pairs = self._models_of(network, optimizer, optimizer_param)
        first = pairs[0][1]
        self.verbose, self.evaluate, self.record_loss = verbose, evaluate, record_loss
        dtype = getattr(first, "dtype", np.float64)
        self.x_train, self.t_train = self._data("train", x_train, t_train, first, dtype)
        if (x_test is None) != (t_test is None):
            raise ValueError("give both x_test and t_test, or neither")
        self.x_test = self.t_test = None
        if x_test is not None:
            self.x_test, self.t_test = self._data("test", x_test, t_test, first, dtype)
        self.epochs = V.integer("epochs", epochs, 0)
        self.train_size = self.x_train.shape[0]
        if (isinstance(mini_batch_size, bool) or not isinstance(mini_batch_size, (int, np.integer))
                or not 1 <= mini_batch_size <= self.train_size):
            raise ValueError(f"mini_batch_size must be an integer in [1, {self.train_size}] "
                             f"(the training set size), got {mini_batch_size!r}")
        self.batch_size = int(mini_batch_size)
        n_eval = evaluate_sample_num_per_epoch
        self.evaluate_sample_num_per_epoch = (
            None if n_eval is None else V.integer("evaluate_sample_num_per_epoch", n_eval))
        self.rng = np.random.default_rng(seed) if seed is not None else None
        self.threads = None if threads is None else V.integer("threads", threads, 1)
        self.models = {label: ModelRun(label, net, opt, record_loss=record_loss,
                                       on_divergence=on_divergence) for label, net, opt in pairs}
        self._runs = list(self.models.values())

        self.iter_per_epoch = max(self.train_size / self.batch_size, 1)
        self.max_iter = (int(self.epochs * self.iter_per_epoch) if iterations is None
                         else V.integer("iterations", iterations, 0))
        self.current_iter = 0
        self.current_epoch = 0
        self.final_test_acc = None
        self.stop_reason: str | None = None
        self.elapsed = 0.0
        self.callbacks = {"iteration": [], "epoch": [], "end": [], "change": []}
        if on_iteration is not None:
            self.add_callback("iteration", on_iteration)
        if on_epoch is not None:
            self.add_callback("epoch", on_epoch)
        self.live = LiveChanges(self, changes)
        if should_stop is not None and not callable(should_stop):
            raise ValueError(f"should_stop must be callable or None, got {should_stop!r}")
        self._should_stop = should_stop
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._x_batch = np.empty((self.batch_size,) + self.x_train.shape[1:], self.x_train.dtype)
        self._t_batch = np.empty((self.batch_size,) + self.t_train.shape[1:], self.t_train.dtype)

    @staticmethod
    def _models_of(network, optimizer, optimizer_param):
        if isinstance(network, dict):
            if not network:
                raise ValueError("network must be a network or a non-empty dict of models")
            pairs = []
            for label, pair in network.items():
                if not isinstance(pair, tuple) or len(pair) != 2:
                    raise ValueError(f"models[{label!r}] must be a (network, optimizer) pair")
                pairs.append((str(label), *pair))
            return pairs
        if isinstance(optimizer, Optimizer):
            opt = optimizer
        else:
            opt = make_optimizer(optimizer, **(optimizer_param or {"lr": 0.01}))
        return [("model", network, opt)]

    @staticmethod
    def _data(name, x, t, network, dtype):
        x = np.asarray(x)
        t = np.asarray(t)
        if x.ndim < 2 or x.shape[0] == 0:
            raise ValueError(f"x_{name} must be (N, features) with N >= 1, got shape {x.shape}")
        if t.ndim == 0 or t.shape[0] != x.shape[0]:
            raise ValueError(f"t_{name} has {t.shape[0] if t.ndim else 'no'} labels for "
                             f"{x.shape[0]} samples in x_{name}")
        x = np.ascontiguousarray(x.reshape(x.shape[0], -1), dtype=dtype)
        K.check_finite(f"x_{name}", x)
        n_classes = getattr(network, "output_size", None)
        if t.ndim == 1 and n_classes is not None:
            t = V.as_labels(f"t_{name}", t, x.shape[0], n_classes)
        elif t.ndim == 2 and t.dtype.kind == "f":
            K.check_finite(f"t_{name}", np.ascontiguousarray(t))
        return x, np.ascontiguousarray(t)

    # -- the one model's view, as in the book -------------------------------------------------------
    def _single(self) -> ModelRun:
        if len(self._runs) != 1:
            raise AttributeError("this trainer trains several models: use trainer.models[label]")
        return self._runs[0]

    network = property(lambda self: self._single().network)
    optimizer = property(lambda self: self._single().optimizer)

    def _record(name):  # noqa: N805 - a property factory used in the class body
        def get(self):
            return getattr(self._single(), name)

        def set_(self, value):
            setattr(self._single(), name, list(value))
        return property(get, set_)

    train_loss_list = _record("train_loss_list")
    train_acc_list = _record("train_acc_list")
    test_acc_list = _record("test_acc_list")
    del _record

    # -- control from any thread ---------------------------------------------------------------
    def add_callback(self, event: str, fn) -> None:
        """Call ``fn(trainer, info: dict)`` on 'iteration', 'epoch', 'change' or 'end' (in the
        training thread). 'iteration' info: ``iteration``, ``epoch``, ``losses`` (label → loss of
        each model still training) and ``loss`` (one model); 'epoch': ``epoch``, ``iteration``,
        ``accuracies`` (label → {'train': acc, 'test': acc}) and, for one model, ``train_acc``
        and ``test_acc``; 'change': ``iteration``, ``name``, ``value``, ``label``; 'end':
        ``test_acc``, ``stop_reason``, ``elapsed``."""
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

    def change(self, name: str, value, label=None) -> None:
        """Change a hyperparameter from the next step on (safe from another thread): a live
        hyperparameter of the optimizer (``lr``, ``momentum``, ``beta1``…), ``weight_decay``
        (the network's λ) or ``dropout`` (the ratio of every Dropout layer). ``label`` names one
        model; None changes all. Validated now; applied, recorded in :attr:`changes` and reported
        to 'change' callbacks before the next step."""
        self.live.request(name, value, label)

    @property
    def changes(self) -> list:
        """The changes applied so far: (iteration, name, value, label) each, replayable."""
        return list(self.live.applied)

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
    def _batch_indices(self):
        if self.rng is not None:
            return self.rng.integers(0, self.train_size, self.batch_size)
        return np.random.choice(self.train_size, self.batch_size)

    def train_step(self):
        """One mini-batch update of every model (and an evaluation when one is due)."""
        self.live.apply_due()
        idx = self._batch_indices()
        x_batch = np.take(self.x_train, idx, axis=0, out=self._x_batch)
        t_batch = np.take(self.t_train, idx, axis=0, out=self._t_batch)
        losses = {}
        for run in self._runs:
            loss = run.step(x_batch, t_batch, self.current_iter)
            if loss is not None:
                losses[run.label] = loss
        self._after_step(losses)

    def _after_step(self, losses: dict) -> None:
        if not losses and not any(run.active for run in self._runs):
            self._all_stopped()
            return
        if self.verbose and len(losses) == 1:
            print("train loss:" + str(next(iter(losses.values()))))
        info = {"iteration": self.current_iter, "epoch": self.current_epoch, "losses": losses}
        if len(self._runs) == 1:
            info["loss"] = losses.get(self._runs[0].label)
        self._emit("iteration", **info)
        self.current_iter += 1
        if self.evaluate == "book" and self._book_epoch_boundary(self.current_iter - 1):
            self._evaluate(self.current_epoch + 1)
        elif self.evaluate == "epochs":
            while (self.current_epoch < self.epochs
                   and self.current_iter >= int((self.current_epoch + 1) * self.iter_per_epoch)):
                self._evaluate(self.current_epoch + 1)

    def _all_stopped(self):
        reasons = [run.stop_reason for run in self._runs]
        self.stop_reason = reasons[0] if len(reasons) == 1 else "every model diverged"
        if self.verbose:
            print("training stopped: " + self.stop_reason)
        self._stop.set()

    def _book_epoch_boundary(self, i: int) -> bool:
        """True at iteration 0 and at the first iteration of each later epoch.

        The book tests ``i % iter_per_epoch == 0``, which with a fractional iter_per_epoch
        (e.g. 240 samples, batch 100) almost never holds; counting whole epochs crossed gives
        the same iterations whenever iter_per_epoch is an integer and one record per epoch
        otherwise. Evaluation does not change training, so losses stay the book's."""
        return i == 0 or int(i / self.iter_per_epoch) != int((i - 1) / self.iter_per_epoch)

    def _evaluate(self, epoch: int):
        self.current_epoch = epoch
        n = self.evaluate_sample_num_per_epoch  # None: every sample
        sets = [(self.x_train[:n], self.t_train[:n])]
        if self.x_test is not None:
            sets.append((self.x_test[:n], self.t_test[:n]))
        runs = [run for run in self._runs if run.active]
        accuracies = {}
        for run in runs:
            train, *test = [float(run.network.accuracy(x, t)) for x, t in sets]  # test: [] or one
            run.train_acc_list.append(train)
            run.test_acc_list.extend(test)
            accuracies[run.label] = {"train": train, "test": test[0] if test else None}
        info = {"epoch": epoch, "iteration": self.current_iter, "accuracies": accuracies}
        if len(self._runs) == 1 and runs:
            info.update(train_acc=accuracies[runs[0].label]["train"],
                        test_acc=accuracies[runs[0].label]["test"])
            if self.verbose:
                print(f"=== epoch:{epoch}, train acc:{info['train_acc']}, test acc:{info['test_acc']} ===")
        self._emit("epoch", **info)

    def _go_on(self) -> bool:
        """Block while paused; True if training should go on."""
        if self._should_stop is not None and self._should_stop():
            self.stop()
        if not self._running.is_set():
            self._running.wait()
        return not self._stop.is_set()

    def _steps_per_round(self, step_seconds: float) -> int:
        """About ROUND_SECONDS of training, so that the threads meet (and stop requests, pauses
        and changes are seen) a few times a second; never past a due change or evaluation."""
        remaining = self.max_iter - self.current_iter
        n = 1 if step_seconds <= 0 else int(self.ROUND_SECONDS / step_seconds)
        n = min(remaining, max(1, min(n, self.MAX_ROUND)), self.live.steps_until_due())
        if self.evaluate is not None:
            n = min(n, self._steps_until_evaluation())
        return max(1, n)

    def _steps_until_evaluation(self) -> int:
        i = self.current_iter
        if self.evaluate == "book":
            k = 1
            while i + k <= self.max_iter and not self._book_epoch_boundary(i + k - 1):
                k += 1
            return k
        end = int((self.current_epoch + 1) * self.iter_per_epoch)
        return max(1, end - i)

    def _train_round(self, pool: ModelThreads, steps: int) -> float:
        """``steps`` steps of every model on the next ``steps`` batches: each thread trains its
        models one after the other through all of them (one model's weights stay in cache, and the
        threads meet once per round). The batches are drawn up front in the order one step at a
        time would draw them, so the numbers do not depend on the round size."""
        start = time.perf_counter()
        self.live.apply_due()
        batches = [self._batch_indices() for _ in range(steps)]
        first = self.current_iter

        def train_group(group):
            out = {}
            for run in group:
                out[run.label] = [run.step(self.x_train[idx], self.t_train[idx], first + k)
                                  for k, idx in enumerate(batches)]
            return out

        losses = {}
        for part in pool.map(train_group, pool.groups(self._runs)):
            losses.update(part)
        for k in range(steps):
            self._after_step({label: v[k] for label, v in losses.items() if v[k] is not None})
            if self._stop.is_set() and not any(run.active for run in self._runs):
                break
        return (time.perf_counter() - start) / steps

    def train(self):
        """Run up to ``max_iter`` steps (until stop() or divergence), then report test accuracy.

        Returns
        -------
        float or dict or None
            The network's accuracy on the whole test set (label → accuracy when several models
            train; None without a test set).

        Raises
        ------
        Exception
            Whatever a callback raises propagates; divergence does not raise (see
            ``stop_reason``).
        """
        start = time.perf_counter()
        limit = contextlib.nullcontext() if self.threads is None else threads.using(self.threads)
        try:
            with limit:
                if self.evaluate == "epochs" and self.current_iter == 0 and self.current_epoch == 0:
                    self._evaluate(0)
                if len(self._runs) == 1:
                    while self.current_iter < self.max_iter and self._go_on():
                        self.train_step()
                else:
                    with ModelThreads(self._runs, threads.get_num_threads()) as pool:
                        step_seconds = 0.0
                        while self.current_iter < self.max_iter and self._go_on():
                            step_seconds = self._train_round(pool, self._steps_per_round(step_seconds))
        finally:
            self.elapsed += time.perf_counter() - start
        if self.stop_reason is None and self._stop.is_set():
            self.stop_reason = "stopped by request"
        result = self._final_accuracy()
        if self.verbose and not isinstance(result, dict) and result is not None:
            print("=============== Final Test Accuracy ===============")
            print("test acc:" + str(result))
        self._emit("end", test_acc=result, stop_reason=self.stop_reason, elapsed=self.elapsed)
        return result

    def _final_accuracy(self):
        """Test accuracy on the whole test set, reusing the last evaluation when it was that."""
        if self.x_test is None:
            return None
        whole = self.evaluate_sample_num_per_epoch is None or \
            self.evaluate_sample_num_per_epoch >= len(self.x_test)
        fresh = self.evaluate == "epochs" and whole and self.current_epoch == self.epochs
        accs = {run.label: (run.test_acc_list[-1] if fresh and run.active and run.test_acc_list
                            else float(run.network.accuracy(self.x_test, self.t_test)))
                for run in self._runs}
        self.final_test_acc = accs if len(accs) > 1 else next(iter(accs.values()))
        return self.final_test_acc
