"""Early stopping of poor trials: median pruning, successive halving and Hyperband.

A trial runs in an executor process and decides after each epoch, in that process, whether to
stop. What it decides from is fixed when it is submitted: the study takes a ``snapshot`` of the
finished trials (in the main process) and ships it with the trial; ``start`` (in the worker)
turns it into the trial's ``decide(epoch, val_acc)``. With one worker every trial sees all the
trials before it, exactly as in a sequential Optuna study; with several, a trial does not see the
ones still running beside it.

Successive halving and Hyperband are Optuna's pruners (``SuccessiveHalvingPruner``,
``HyperbandPruner``) deciding on an in-memory Optuna study into which the snapshot is replayed:
each finished trial reports its validation accuracy at each rung it reached, so the pruner records
the same rung values as while that trial ran.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

__all__ = ["Pruner", "MedianPruner", "SuccessiveHalvingPruner", "HyperbandPruner", "PRUNERS",
           "make_pruner"]


class Pruner:
    """Base class: ``snapshot`` (main process, when a trial is submitted) and ``start`` (worker
    process, when it begins) give the trial its per-epoch stopping rule."""
    name = "?"

    def check(self, epochs: int) -> None:
        """Raise now, in the main process, what would fail in the workers: settings that do not
        fit trials of ``epochs`` epochs (ValueError) or a missing package (ImportError)."""

    def settings(self) -> dict:
        """What must stay equal when a study resumes (stored with the study)."""
        return {"name": self.name, **vars(self)}

    def snapshot(self, finished: dict) -> tuple:
        """What the trial being submitted decides from: here every finished trial's
        ``(number, state, validation curve)``."""
        return tuple((n, t.state, tuple(t.val_acc)) for n, t in sorted(finished.items()) if t.val_acc)

    def start(self, number: int, snapshot: tuple, epochs: int):
        """``decide(epoch, val_acc) -> bool`` for trial ``number`` of ``epochs`` epochs."""
        raise NotImplementedError


@dataclass(frozen=True)
class MedianPruner(Pruner):
    """Stop a trial at an epoch when its best validation accuracy so far is below the median of
    the completed trials' accuracies at that epoch (Optuna's MedianPruner rule). Not before
    ``warmup_epochs`` epochs, and only once ``min_trials`` completed trials reach that epoch."""
    warmup_epochs: int = 5
    min_trials: int = 5
    name = "median"

    def __post_init__(self):
        if self.warmup_epochs < 0 or self.min_trials < 1:
            raise ValueError("warmup_epochs must be >= 0 and min_trials >= 1")

    def settings(self) -> dict:
        return dict(vars(self))  # as stores written before the other pruners hold it

    def snapshot(self, finished):
        return tuple(tuple(t.val_acc) for t in finished.values() if t.state == "complete")

    def start(self, number, snapshot, epochs):
        return lambda epoch, val_acc: self.should_prune(epoch, max(val_acc), snapshot)

    def should_prune(self, epoch: int, best_so_far: float, curves) -> bool:
        if epoch < self.warmup_epochs:
            return False
        at_epoch = [c[epoch - 1] for c in curves if len(c) >= epoch]
        return len(at_epoch) >= self.min_trials and best_so_far < statistics.median(at_epoch)


def _positive_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")


def import_optuna(needed_for: str = "successive halving and Hyperband use Optuna's pruners"):
    """Optuna, its log quietened to warnings; ImportError starting with ``needed_for`` when it is
    not installed."""
    try:
        import optuna
    except ImportError:
        raise ImportError(f"{needed_for}: pip install 'trainlab[search]'") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


@dataclass(frozen=True)
class _OptunaPruner(Pruner):
    min_epochs: int | None = None
    reduction_factor: int = 3
    bootstrap_count: int = 0

    def __post_init__(self):
        if self.min_epochs is not None:
            _positive_int("min_epochs", self.min_epochs, 1)
        _positive_int("reduction_factor", self.reduction_factor, 2)
        _positive_int("bootstrap_count", self.bootstrap_count, 0)

    def check(self, epochs):
        if self.first_rung(epochs) >= epochs:
            raise ValueError(f"min_epochs ({self.min_epochs}) must be below the trials' epochs "
                             f"({epochs}): no trial could be stopped")
        import_optuna()

    def first_rung(self, epochs: int) -> int:
        """Epochs of the first rung: ``min_epochs``, by default epochs / reduction_factor²."""
        if self.min_epochs is not None:
            return self.min_epochs
        return max(1, epochs // self.reduction_factor ** 2)

    def _make(self, optuna, epochs):
        raise NotImplementedError

    def start(self, number, snapshot, epochs):
        optuna = import_optuna()
        S = optuna.trial.TrialState
        # The study name and trial numbers are those Hyperband's bracket of a trial depends on.
        study = optuna.create_study(study_name="trainlab", direction="maximize",
                                    sampler=optuna.samplers.RandomSampler(seed=0),
                                    pruner=self._make(optuna, epochs))
        past = {n: (state, curve) for n, state, curve in snapshot}
        # Rungs are at first_rung * factor**k epochs (in every Hyperband bracket too); replaying
        # only these epochs records the same values as replaying all of them, 10-30x faster.
        rungs, epoch = [], self.first_rung(epochs)
        while epoch <= epochs:
            rungs.append(epoch)
            epoch *= self.reduction_factor
        running = None
        for n in range(max([number, *past]) + 1):
            trial = study.ask()
            if n == number:
                running = trial
                continue
            state, curve = past.get(n, ("failed", ()))  # a gap: running elsewhere or not yet run
            for epoch in rungs:  # the pruner records the value at each rung the trial reached
                if epoch > len(curve):
                    break
                trial.report(curve[epoch - 1], epoch)
                trial.should_prune()
            if state == "complete":
                study.tell(trial, curve[-1])
            else:
                study.tell(trial, state=S.PRUNED if state == "pruned" else S.FAIL)

        def decide(epoch, val_acc):
            running.report(val_acc[-1], epoch)
            return running.should_prune()
        return decide


@dataclass(frozen=True)
class SuccessiveHalvingPruner(_OptunaPruner):
    """Asynchronous successive halving (Optuna's ``SuccessiveHalvingPruner``): at rungs of
    ``min_epochs × reduction_factor**k`` epochs a trial goes on only if its validation accuracy
    there is in the top 1/``reduction_factor`` of all trials that reached that rung.

    Parameters
    ----------
    min_epochs : int, optional
        Epochs of the first rung (default: epochs // reduction_factor², at least 1; with 50
        epochs and factor 3 the rungs are at 5, 15 and 45 epochs).
    reduction_factor : int
        η ≥ 2: about 1/η of the trials pass each rung.
    bootstrap_count : int
        Trials that must reach a rung before any passes it (≥ 0).

    Raises
    ------
    ValueError
        A parameter out of range.
    """
    name = "successive_halving"

    def _make(self, optuna, epochs):
        return optuna.pruners.SuccessiveHalvingPruner(
            min_resource=self.first_rung(epochs), reduction_factor=self.reduction_factor,
            bootstrap_count=self.bootstrap_count)


@dataclass(frozen=True)
class HyperbandPruner(_OptunaPruner):
    """Hyperband (Optuna's ``HyperbandPruner``): successive halving in several brackets with
    later first rungs, so that not every trial is judged after only ``min_epochs`` epochs; a
    trial's bracket follows from its number. Optuna's ``max_resource`` is the trials' epochs.

    Parameters
    ----------
    min_epochs : int, optional
        Epochs of the first rung of the first bracket (default: epochs // reduction_factor², at
        least 1); bracket ``b`` starts at ``min_epochs × reduction_factor**b``.
    reduction_factor, bootstrap_count : int
        As for :class:`SuccessiveHalvingPruner` (ValueError when out of range).
    """
    name = "hyperband"

    def _make(self, optuna, epochs):
        return optuna.pruners.HyperbandPruner(
            min_resource=self.first_rung(epochs), max_resource=epochs,
            reduction_factor=self.reduction_factor, bootstrap_count=self.bootstrap_count)


PRUNERS = {"median": MedianPruner, "successive_halving": SuccessiveHalvingPruner,
           "hyperband": HyperbandPruner}


def make_pruner(pruner) -> Pruner | None:
    """None (no pruning), a :class:`Pruner`, or one of :data:`PRUNERS` by name with its defaults.

    Parameters
    ----------
    pruner : None, str or Pruner
        None/False, True (= 'median'), 'median', 'successive_halving', 'hyperband' or an instance.

    Raises
    ------
    ValueError
        Anything else.
    """
    if pruner is None or pruner is False:
        return None
    if pruner is True:
        pruner = "median"
    if isinstance(pruner, Pruner):
        return pruner
    if isinstance(pruner, str) and pruner in PRUNERS:
        return PRUNERS[pruner]()
    raise ValueError(f"unknown pruner {pruner!r}; expected None, one of {sorted(PRUNERS)} "
                     "or a Pruner instance")
