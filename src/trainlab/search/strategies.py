"""Search strategies: what parameters trial ``number`` gets.

A strategy is rebuilt from the stored trials when a study resumes (``start``), so it must derive
its state from them: random and staged search do so exactly (trial n's parameters depend only on
the study seed, n and the stored results of earlier stages); the Bayesian sampler is refitted on
the stored trials, so a resumed study continues the same search though not the same sequence.
"""
from __future__ import annotations

import importlib.util
import math
import warnings

import numpy as np

from trainlab.search.pruners import import_optuna
from trainlab.search.results import ranked
from trainlab.search.space import SearchSpace
from trainlab.search.trial import Trial

__all__ = ["Strategy", "RandomSearch", "StagedSearch", "BayesSearch", "make_strategy", "STRATEGIES"]


class Strategy:
    """Base class of the search strategies: ``propose`` the next trial's parameters, ``tell``
    the finished trials. Subclasses: :class:`RandomSearch`, :class:`StagedSearch`,
    :class:`BayesSearch`. Takes no parameters; ``start(space, seed, n_trials, finished)`` binds
    it to a study.
    """
    name = "?"

    def start(self, space: SearchSpace, seed: int, n_trials: int, finished: list[Trial]) -> None:
        self.space, self.seed, self.n_trials = space, seed, n_trials

    def settings(self) -> dict:
        """What must stay equal when a study resumes (stored with the study)."""
        return {"name": self.name}

    def ready(self, number: int, finished: dict[int, Trial]) -> bool:
        """Whether trial ``number`` can be proposed now (staged search waits for its stage)."""
        return True

    def propose(self, number: int, finished: dict[int, Trial]) -> tuple[int, dict]:
        """(stage, params) for trial ``number``."""
        raise NotImplementedError

    def tell(self, trial: Trial) -> None:
        pass

    def _rng(self, number: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, number, 1])


class RandomSearch(Strategy):
    """The chapter's random search: every trial samples the whole space independently."""
    name = "random"

    def propose(self, number, finished):
        return 0, self.space.sample(self._rng(number))


class StagedSearch(Strategy):
    """Random search in stages; before each stage every range shrinks around the best
    ``keep`` fraction of the trials so far (the chapter's steps 0–3, repeated).

    Parameters
    ----------
    stages : int or list of int
        Number of equal stages, or the trial count of each stage (they must add up to
        ``n_trials``).
    keep : float
        Fraction of the best trials the ranges shrink around, in (0, 1].
    pad : float
        Margin added around the kept trials' range, as a fraction of it, in [0, 1).

    Raises
    ------
    ValueError
        Any of the three out of range, or stage sizes that do not add up to ``n_trials``.
    """
    name = "staged"

    def __init__(self, stages: int | list[int] = 3, keep: float = 0.2, pad: float = 0.1):
        if isinstance(stages, int) and not isinstance(stages, bool):
            if stages < 1:
                raise ValueError(f"stages must be >= 1, got {stages}")
        elif not stages or any(not isinstance(s, int) or s < 1 for s in stages):
            raise ValueError(f"stages must be a positive int or a list of positive trial counts, got {stages!r}")
        if not 0 < keep <= 1:
            raise ValueError(f"keep must be in (0, 1], got {keep}")
        if not 0 <= pad < 1:
            raise ValueError(f"pad must be in [0, 1), got {pad}")
        self.stages, self.keep, self.pad = stages, keep, pad

    def start(self, space, seed, n_trials, finished):
        super().start(space, seed, n_trials, finished)
        if isinstance(self.stages, int):
            k = min(self.stages, n_trials)
            self.sizes = [n_trials // k + (i < n_trials % k) for i in range(k)]
        else:
            self.sizes = list(self.stages)
            if sum(self.sizes) != n_trials:
                raise ValueError(f"stage sizes {self.sizes} add up to {sum(self.sizes)}, not n_trials={n_trials}")
        self.bounds = np.cumsum([0] + self.sizes)
        self._spaces = {0: space}

    def settings(self):
        return {"name": self.name, "stages": self.stages, "keep": self.keep, "pad": self.pad}

    def stage_of(self, number: int) -> int:
        return int(np.searchsorted(self.bounds, number, side="right") - 1)

    def ready(self, number, finished):
        first = self.bounds[self.stage_of(number)]
        return all(n in finished for n in range(first))

    def stage_space(self, stage: int, finished: dict[int, Trial]) -> SearchSpace:
        if stage not in self._spaces:
            previous = self.stage_space(stage - 1, finished)
            so_far = [t for n, t in finished.items() if n < self.bounds[stage]]
            good = [t for t in ranked(so_far) if t.value is not None]
            good = good[:max(2, math.ceil(self.keep * len(so_far)))]
            self._spaces[stage] = previous.narrowed([t.params for t in good], self.pad)
        return self._spaces[stage]

    def propose(self, number, finished):
        stage = self.stage_of(number)
        return stage, self.stage_space(stage, finished).sample(self._rng(number))


class BayesSearch(Strategy):
    """Bayesian optimisation with an Optuna sampler: 'tpe' (Tree-structured Parzen Estimator,
    no extra dependency) or 'gp' (Gaussian process; Optuna needs PyTorch for it).

    Used through ask/tell, so trials still run on our executors and land in our store; on resume
    the stored trials are added to a fresh in-memory Optuna study.

    Parameters
    ----------
    sampler : {'tpe', 'gp'}
        Optuna's sampler.
    n_startup_trials : int
        Random trials before the sampler's model is used (≥ 1).

    Raises
    ------
    ValueError
        An unknown sampler or ``n_startup_trials`` < 1.
    ImportError
        From ``start`` (when a study begins): Optuna (or, for 'gp', PyTorch) is not installed.
    """

    def __init__(self, sampler: str = "tpe", n_startup_trials: int = 10):
        if sampler not in ("tpe", "gp"):
            raise ValueError(f"unknown Bayesian sampler {sampler!r}; expected 'tpe' or 'gp'")
        if n_startup_trials < 1:
            raise ValueError(f"n_startup_trials must be >= 1, got {n_startup_trials}")
        self.sampler, self.n_startup_trials = sampler, n_startup_trials
        self.name = sampler

    def settings(self):
        return {"name": self.name, "n_startup_trials": self.n_startup_trials}

    def start(self, space, seed, n_trials, finished):
        optuna = self._optuna = import_optuna("Bayesian search needs Optuna")
        super().start(space, seed, n_trials, finished)
        self._dists = space.to_optuna()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            if self.sampler == "gp":
                try:
                    import torch  # noqa: F401  (Optuna's GPSampler is written on PyTorch)
                except ImportError:
                    raise ImportError("strategy 'gp' needs PyTorch (Optuna's GPSampler uses it); "
                                      "use 'tpe' or install torch") from None
                sampler = optuna.samplers.GPSampler(seed=seed, n_startup_trials=self.n_startup_trials)
            else:
                # constant_liar: trials running in parallel count as bad guesses, so parallel asks
                # do not all land on the same spot.
                sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=self.n_startup_trials,
                                                     multivariate=True, constant_liar=True)
        self.study = optuna.create_study(direction="maximize", sampler=sampler)
        self._asked = {}
        for t in finished:
            self.study.add_trial(self._frozen(t))

    def _state(self, trial: Trial):
        S = self._optuna.trial.TrialState
        if trial.state == "complete":
            return S.COMPLETE
        return S.FAIL if trial.value is None else S.PRUNED

    def _frozen(self, trial: Trial):
        state = self._state(trial)
        return self._optuna.trial.create_trial(
            state=state, value=trial.value if state == state.COMPLETE else None,
            params={k: trial.params[k] for k in self._dists}, distributions=self._dists,
            intermediate_values=dict(enumerate(trial.val_acc, 1)))

    def propose(self, number, finished):
        asked = self.study.ask(self._dists)
        self._asked[number] = asked
        return 0, dict(asked.params)

    def tell(self, trial):
        asked = self._asked.pop(trial.number, None)
        if asked is None:
            return
        state = self._state(trial)
        if state == state.COMPLETE:
            self.study.tell(asked, trial.value)
            return
        for epoch, acc in enumerate(trial.val_acc, 1):
            asked.report(acc, epoch)
        self.study.tell(asked, state=state)


def default_bayes() -> BayesSearch:
    """Bayesian optimisation with the sampler measured best here: the Gaussian process when
    PyTorch is installed (Optuna's GPSampler needs it; trainlab does not depend on it), else TPE.
    """
    return BayesSearch("gp" if importlib.util.find_spec("torch") is not None else "tpe")


STRATEGIES = {"random": RandomSearch, "staged": StagedSearch, "tpe": BayesSearch,
              "bayes": default_bayes, "gp": lambda: BayesSearch("gp")}


def make_strategy(strategy) -> Strategy:
    """The strategy named ``strategy``, or ``strategy`` itself when it is a :class:`Strategy`.

    Parameters
    ----------
    strategy : str or Strategy
        'random', 'staged', 'tpe', 'gp', 'bayes' (= 'gp' when PyTorch is installed, else
        'tpe') or an instance.

    Raises
    ------
    ValueError
        An unknown name.
    """
    if isinstance(strategy, Strategy):
        return strategy
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of {sorted(STRATEGIES)} "
                         "or a Strategy instance")
    return STRATEGIES[strategy]()
