"""One trial: train a network with sampled hyperparameters, report validation accuracy per epoch.

``run_trial`` is what the executor runs (in a worker process, a Dask worker or a thread); it
depends only on its arguments, so a trial is reproduced by calling it again with the stored
parameters and seed.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from trainlab.search.pruners import Pruner

__all__ = ["TrialConfig", "Trial", "TrialSpec", "run_trial", "trial_seed", "SEARCHABLE"]

# Names a search space may use; each overrides the TrialConfig field of the same meaning.
SEARCHABLE = {"lr", "weight_decay", "dropout", "batchnorm", "activation", "optimizer",
              "hidden_size", "n_hidden", "batch_size", "weight_init"}


@dataclass(frozen=True)
class TrialConfig:
    """Fixed settings of every trial; the defaults are the book's ch06/hyperparameter_optimization.py
    (784-100×6-10, SGD, 50 epochs, batch 100).

    Parameters
    ----------
    epochs, hidden_size, n_hidden, batch_size : int
        Epochs per trial, hidden layer size and count, mini-batch size (positive).
    optimizer, activation, weight_init : str
        As for :class:`~trainlab.trainer.Trainer` and the networks.
    lr, weight_decay, dropout : float
        Values used when they are not searched.
    batchnorm : bool
        Batch normalization in every hidden layer.
    dtype : {'float32', 'float64'}
        The networks' precision.

    Raises
    ------
    ValueError
        A non-positive integer setting or another dtype.
    """
    epochs: int = 50
    hidden_size: int = 100
    n_hidden: int = 6
    optimizer: str = "sgd"
    batch_size: int = 100
    activation: str = "relu"
    weight_init: str = "relu"
    lr: float = 0.01
    weight_decay: float = 0.0
    dropout: float = 0.0
    batchnorm: bool = False
    dtype: str = "float32"

    def __post_init__(self):
        for name in ("epochs", "hidden_size", "n_hidden", "batch_size"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        if self.dtype not in ("float32", "float64"):
            raise ValueError(f"dtype must be 'float32' or 'float64', got {self.dtype!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    def run_spec(self, params: dict, seed: int):
        """The :class:`~trainlab.engine.RunSpec` of a trial: these settings with the searched
        ``params`` (``hidden_size`` and ``n_hidden`` make ``hidden``; ``lr`` is the optimizer's)."""
        from trainlab.engine import RunSpec

        settings = dict(self.to_dict(), **params)
        return RunSpec(
            hidden=(int(settings["hidden_size"]),) * int(settings["n_hidden"]),
            activation=settings["activation"], weight_init=settings["weight_init"],
            batchnorm=bool(settings["batchnorm"]), dropout=float(settings["dropout"]),
            weight_decay=float(settings["weight_decay"]), optimizer=settings["optimizer"],
            hyperparameters={"lr": float(settings["lr"])}, batch_size=int(settings["batch_size"]),
            epochs=self.epochs, seed=int(seed), dtype=settings["dtype"])


@dataclass
class Trial:
    """A finished trial as stored: state is 'complete', 'pruned', 'diverged' or 'failed';
    ``value`` is the last validation accuracy (the chapter ranks trials by it).

    Parameters
    ----------
    number, stage : int
        The trial's number in the study and its stage (0 but for staged search).
    state : str
        'complete', 'pruned', 'diverged' or 'failed'.
    params : dict
        The searched values it ran with.
    seed : int
        Its seed (:func:`trial_seed`).
    val_acc, train_acc : list of float
        Accuracies per epoch.
    elapsed : float
        Seconds of training.
    error : str, optional
        Why it failed or diverged.
    finished_at : float, optional
        When it was stored (Unix time).
    """
    number: int
    stage: int
    state: str
    params: dict
    seed: int
    val_acc: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    elapsed: float = 0.0
    error: str | None = None
    finished_at: float | None = None

    @property
    def value(self) -> float | None:
        return self.val_acc[-1] if self.val_acc else None

    @property
    def epochs(self) -> int:
        return len(self.val_acc)


@dataclass(frozen=True)
class TrialSpec:
    number: int
    stage: int
    params: dict
    seed: int
    config: TrialConfig
    pruner: Pruner | None = None
    curves: tuple = ()  # the pruner's snapshot of the finished trials when submitted

    def run_spec(self):
        """The trial's :class:`~trainlab.engine.RunSpec`: how to train it again."""
        return self.config.run_spec(self.params, self.seed)


def trial_seed(study_seed: int, number: int) -> int:
    """The seed of trial ``number``: independent streams per (study seed, trial number).

    Parameters
    ----------
    study_seed : int
        The study's seed.
    number : int
        The trial's number.
    """
    return int(np.random.SeedSequence([study_seed, number]).generate_state(1)[0])


_worker = {"threads_set": False, "data": None}


def init_worker(data=None) -> None:
    """Pool initializer: one BLAS thread per trial (the pool runs one trial per core) and the
    data shipped once per process rather than with every task."""
    if not _worker["threads_set"]:
        import trainlab
        import trainlab.networks  # noqa: F401  (loads SciPy's OpenBLAS: threadpoolctl limits only loaded pools)
        trainlab.set_num_threads(1)
        _worker["threads_set"] = True
    if data is not None:
        _worker["data"] = data


def run_trial(spec: TrialSpec, data=None) -> Trial:
    """Train one network (the book's Trainer, validation set in place of the test set).

    Parameters
    ----------
    spec : TrialSpec
        The trial's number, stage, parameters, seed and fixed settings.
    data : tuple, optional
        ``((x_train, t_train), (x_val, t_val))``; by default the data the worker process was
        initialised with.

    Returns
    -------
    Trial
        Also when training fails or diverges: errors are caught and stored in the trial
        (state 'failed' or 'diverged').
    """
    from trainlab.engine import build

    init_worker()
    data = data if data is not None else _worker["data"]
    trial = Trial(spec.number, spec.stage, "complete", dict(spec.params), spec.seed)
    start = time.perf_counter()
    try:
        decide = spec.pruner.start(spec.number, spec.curves, spec.config.epochs) if spec.pruner else None

        def on_epoch(tr, info):
            if info["epoch"] == 0:  # the accuracy before training does not rank a trial
                return
            trial.val_acc.append(float(info["test_acc"]))
            trial.train_acc.append(float(info["train_acc"]))
            # the last epoch is never pruned: stopping there saves nothing
            if (decide is not None and info["epoch"] < spec.config.epochs
                    and decide(info["epoch"], trial.val_acc)):
                trial.state = "pruned"
                tr.stop()

        trainer = build(spec.run_spec(), data, on_epoch=on_epoch)
        trainer.train()
        if trainer.stop_reason and trainer.stop_reason.startswith("diverged"):
            trial.state, trial.error = "diverged", trainer.stop_reason
    except Exception as exc:  # a bad parameter value must not end the study: stored as failed
        trial.state, trial.error = "failed", f"{type(exc).__name__}: {exc}"
    trial.elapsed = time.perf_counter() - start
    return trial
