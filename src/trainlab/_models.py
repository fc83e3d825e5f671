"""One network in training (its step, records and divergence check) and the threads that train
several side by side. The Trainer is the only user; it holds one :class:`ModelRun` per network."""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from trainlab import threads

__all__ = ["ModelRun", "ModelThreads", "loss_of_last_pass", "DIVERGENCE_POLICIES"]

DIVERGENCE_POLICIES = ("stop", "continue")

# A loss that stays above this many times the first step's for EXPLODING_STEPS steps in a row is a
# blow-up, not noise: the book's cross-entropy (with its 1e-7) cannot exceed 16.1, so a network
# whose weights explode while its activations saturate (sigmoid, tanh) keeps a finite loss of ~14
# against ~2.3 at the start. A single step may spike that high and recover (Adam with batch norm
# and dropout does), so one step is not enough.
EXPLODING_FACTOR = 4.0
EXPLODING_STEPS = 20
# Weights whose root mean square passes this have blown up (the book's networks start near 0.05
# and train to well under 1), even when saturated activations keep the loss finite or low.
# Checked every CHECK_EVERY steps, when the parameters are also kept to go back to: one pass
# over them every few steps instead of a copy every step.
MAX_PARAMETER_RMS = 1e3
CHECK_EVERY = 16


def loss_of_last_pass(network) -> float:
    """The loss of the forward pass ``gradient()`` just made (no second pass): trainlab keeps it
    in ``last_loss``; the book's network keeps the cross-entropy in its last layer."""
    loss = getattr(network, "last_loss", None)
    if loss is not None:
        return float(loss)
    loss = float(network.last_layer.loss)
    lam = getattr(network, "weight_decay_lambda", 0)
    if lam:
        loss += 0.5 * lam * sum(float(np.sum(network.params[f"W{i}"] ** 2))
                                for i in range(1, network.hidden_layer_num + 2))
    return loss


class ModelRun:
    """A network, its optimizer and what training it has recorded.

    With ``on_divergence='stop'`` a loss that is not finite or stays above ``EXPLODING_FACTOR``
    times the first step's for ``EXPLODING_STEPS`` steps, or weights whose root mean square
    passes ``MAX_PARAMETER_RMS``, stop this model: its parameters go back to the last checked
    ones (at most ``CHECK_EVERY`` steps earlier) and ``stop_reason`` says why. With ``'continue'`` it keeps
    updating, as the book's code does.
    """

    def __init__(self, label, network, optimizer, *, record_loss="after_update", on_divergence="stop"):
        self.label, self.network, self.optimizer = label, network, optimizer
        self.record_loss = record_loss
        self.on_divergence = on_divergence
        self.train_loss_list: list[float] = []
        self.train_acc_list: list[float] = []
        self.test_acc_list: list[float] = []
        self.stop_reason: str | None = None
        self.seconds = 0.0
        flat = getattr(network.params, "flat", None)
        self.last_good = None if flat is None else flat.copy()
        self.first_loss: float | None = None
        self._high_steps = 0  # consecutive steps with the loss above EXPLODING_FACTOR x the first
        self._steps = 0
        if on_divergence == "stop" and hasattr(network, "_warned_nonfinite"):
            network._warned_nonfinite = True  # stop_reason says it; the book API's warning would repeat it

    @property
    def active(self) -> bool:
        return self.stop_reason is None

    def _blown_up(self, loss: float) -> str | None:
        """Why training must stop at this loss (of the parameters before this step's update),
        or None. Every CHECK_EVERY steps the parameters are checked and, if sound, kept."""
        if not math.isfinite(loss):
            return f"loss became {loss}"
        if self.first_loss is None:
            self.first_loss = loss
        if loss <= EXPLODING_FACTOR * max(self.first_loss, 1e-12):
            self._high_steps = 0
        else:
            self._high_steps += 1
            if self._high_steps >= EXPLODING_STEPS:
                return (f"loss stayed above {EXPLODING_FACTOR:g}x the first step's "
                        f"({self.first_loss:.4g}) for {EXPLODING_STEPS} steps, now {loss:.4g}")
        if self.last_good is not None and self._steps % CHECK_EVERY == 0:
            flat = self.network.params.flat
            with np.errstate(over="ignore", invalid="ignore"):
                rms = math.sqrt(float(np.dot(flat, flat)) / max(flat.size, 1))
            if not rms <= MAX_PARAMETER_RMS:
                return f"the weights grew to a root mean square of {rms:.3g}"
            if self._high_steps == 0:
                np.copyto(self.last_good, flat)
        return None

    def step(self, x_batch, t_batch, iteration: int) -> float | None:
        """One update on the batch; the recorded loss, or None when this model has stopped."""
        if self.stop_reason is not None:
            return None
        start = time.perf_counter()
        try:
            grads = self.network.gradient(x_batch, t_batch)
            loss = before = loss_of_last_pass(self.network)
            if self.on_divergence == "stop":
                problem = self._blown_up(before)
                if problem:
                    return self._diverged(problem, iteration)
            self._steps += 1
            self.optimizer.update(self.network.params, grads)
            if self.record_loss == "after_update":
                loss = float(self.network.loss(x_batch, t_batch))
                if self.on_divergence == "stop" and not math.isfinite(loss):
                    return self._diverged(f"loss became {loss}", iteration)
        except FloatingPointError as exc:  # a network that raises on NaN instead of warning
            if self.on_divergence != "stop":
                raise
            return self._diverged(str(exc), iteration)
        finally:
            self.seconds += time.perf_counter() - start
        self.train_loss_list.append(loss)
        return loss

    def _diverged(self, problem: str, iteration: int) -> None:
        if self.last_good is not None:
            np.copyto(self.network.params.flat, self.last_good)
            kept = "the parameters of the last check were restored"
        else:
            kept = "parameters are left as they were (not a flat-buffer network)"
        self.stop_reason = f"diverged: {problem} at iteration {iteration}; {kept}"
        return None


class ModelThreads:
    """Threads that train several models side by side, one model per thread at a time, each
    thread's kernels and BLAS on one core.

    The small GEMMs of the book's networks gain more from two models running at once than from
    splitting each product over two BLAS threads (benchmarks/README.md). A context manager:
    leaving it restores the BLAS threads. The book's NumPy networks step one by one.
    """

    def __init__(self, runs: list, n_threads: int):
        from trainlab.networks import MultiLayerNetExtend  # its compiled pass releases the GIL

        ours = all(isinstance(r.network, MultiLayerNetExtend) for r in runs)
        self.n_threads = max(1, min(n_threads, len(runs))) if ours else 1
        self._pool = self._blas_limit = None

    def __enter__(self) -> "ModelThreads":
        if self.n_threads > 1:
            from threadpoolctl import threadpool_limits

            self._blas_limit = threadpool_limits(limits=1, user_api="blas")
            self._pool = ThreadPoolExecutor(self.n_threads, initializer=threads.single_threaded_here)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._blas_limit.restore_original_limits()
            self._pool = self._blas_limit = None

    def map(self, fn, items) -> list:
        """[fn(item) for item in items], on the threads when there are several."""
        if self._pool is None:
            return [fn(item) for item in items]
        return list(self._pool.map(fn, items))

    def groups(self, runs: list) -> list[list]:
        """The runs split between the threads (each thread trains its group in turn)."""
        return [runs[k::self.n_threads] for k in range(self.n_threads)]
