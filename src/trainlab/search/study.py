"""A study: split off the validation set, propose trials, run them on an executor, store each as
it ends, and resume from the store.

Trial ``n`` of a study is fixed by the study seed and ``n`` (its seed always, its parameters for
random and staged search), so a resumed study runs exactly the trials the store lacks. One study
runs on a store at a time: a second one, in any process, is refused with StoreInUseError rather
than sharing the work (see :mod:`trainlab.search.lock`).
"""
from __future__ import annotations

import hashlib
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, wait

import numpy as np

from trainlab.search.executors import open_executor
from trainlab.search.pruners import make_pruner
from trainlab.search.results import SearchResult
from trainlab.search.space import SearchSpace, default_space
from trainlab.search.store import SearchStore
from trainlab.search.strategies import make_strategy
from trainlab.search.trial import SEARCHABLE, Trial, TrialConfig, TrialSpec, run_trial, trial_seed

__all__ = ["Study", "run_search"]

_POLL = 0.2  # seconds between should_stop() checks while trials run


def _fingerprint(x, t) -> str:
    h = hashlib.sha256()
    for a in (np.ascontiguousarray(x), np.ascontiguousarray(t)):
        h.update(str((a.shape, a.dtype.str)).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]


class Study:
    """A hyperparameter search over ``x_train``/``t_train`` stored in SQLite at ``store``.

    The validation set is ``val_rate`` of the training data (shuffled with ``seed``); test data
    never enters.

    Parameters
    ----------
    store : str, os.PathLike or SearchStore
        The SQLite file (created, or resumed when it holds this study) or an open store.
    x_train, t_train : numpy.ndarray
        Training data; ``val_rate`` of it is held out for validation.
    space : SearchSpace or dict, optional
        What is searched (default: the chapter's log-uniform lr and weight decay).
    strategy : str or Strategy
        'random', 'staged', 'tpe', 'gp', 'bayes' (= 'gp' when PyTorch is installed, else
        'tpe') or a :class:`Strategy` instance.
    n_trials : int
        Trials in the study (≥ 1).
    epochs : int, optional
        Epochs per trial (overrides ``config``).
    config : TrialConfig or dict, optional
        The fixed settings of every trial (a dict: its fields).
    val_rate : float
        Fraction of the training data held out for validation.
    seed : int
        Seed of the split and of every trial (≥ 0).
    pruner : None, str or Pruner
        Early stopping of poor trials: 'median' (per-epoch median stopping),
        'successive_halving', 'hyperband' (Optuna's pruners), each with its default settings, or
        a :class:`MedianPruner`, :class:`SuccessiveHalvingPruner` or :class:`HyperbandPruner`.
    n_workers : int, optional
        Processes of the default pool (default: all cores; one BLAS thread each).
    executor : concurrent.futures.Executor, optional
        Run trials on this executor instead.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to run trials on a cluster.

    Raises
    ------
    ValueError
        ``n_trials`` or ``seed`` out of range, a parameter that cannot be searched, an unknown
        strategy or pruner, an invalid ``config`` or ``val_rate``, or a store that holds a
        different study.
    """

    def __init__(self, store, x_train, t_train, *, space: SearchSpace | None = None,
                 strategy="random", n_trials: int = 100, epochs: int | None = None,
                 config: TrialConfig | dict | None = None, val_rate: float = 0.2, seed: int = 0,
                 pruner=None, n_workers: int | None = None, executor=None,
                 scheduler: str | None = None):
        from trainlab.datasets import split_validation

        if isinstance(n_trials, bool) or not isinstance(n_trials, (int, np.integer)) or n_trials < 1:
            raise ValueError(f"n_trials must be a positive integer, got {n_trials!r}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.space = default_space() if space is None else SearchSpace(space)
        unknown = sorted(set(self.space) - SEARCHABLE)
        if unknown:
            raise ValueError(f"cannot search {unknown}; searchable parameters: {sorted(SEARCHABLE)}")
        config = config if isinstance(config, TrialConfig) else TrialConfig(**(config or {}))
        if epochs is not None:
            config = TrialConfig(**dict(config.to_dict(), epochs=epochs))
        self.config, self.n_trials, self.seed = config, int(n_trials), int(seed)
        self.strategy = make_strategy(strategy)
        self.pruner = make_pruner(pruner)
        if self.pruner is not None:
            self.pruner.check(config.epochs)
        (xt, tt), (xv, tv) = split_validation(x_train, t_train, val_rate, seed=self.seed)
        self.data = ((np.ascontiguousarray(xt), np.ascontiguousarray(tt)),
                     (np.ascontiguousarray(xv), np.ascontiguousarray(tv)))
        if len(xt) % config.batch_size and len(xt) > config.batch_size:
            # The book's Trainer evaluates when iteration % (N / batch) == 0: with a fraction
            # it records far fewer epochs than asked.
            warnings.warn(f"{len(xt)} training samples are not a multiple of batch size "
                          f"{config.batch_size}: the Trainer will record fewer epochs", stacklevel=2)
        self.executor_args = dict(executor=executor, scheduler=scheduler, n_workers=n_workers)
        self._owns_store = not isinstance(store, SearchStore)
        self.store = SearchStore(store) if self._owns_store else store
        self.info = {
            "strategy": self.strategy.settings(), "space": self.space.to_dict(),
            "config": config.to_dict(), "seed": self.seed, "val_rate": val_rate,
            "pruner": None if self.pruner is None else self.pruner.settings(),
            "data": _fingerprint(x_train, t_train),
        }
        # n_trials may grow on resume except for staged search, whose stages it defines.
        if self.strategy.name == "staged":
            self.info["n_trials"] = self.n_trials
        self.store.bind_study(self.info)

    def run(self, progress=None, should_stop=None) -> SearchResult:
        """Run the trials the store lacks. ``progress(trial, done, total)`` is called in this
        thread after each trial is stored; ``should_stop()`` is polled, and when it returns
        True no new trial starts (running ones finish and are stored).

        When every trial of the study failed, a RuntimeWarning names the most common error
        (the result's :meth:`~SearchResult.failures` lists them all).

        Raises
        ------
        StoreInUseError
            Another study is running on the same store (in this or another process).
        """
        with self.store.study_lock():
            stored = self.store.trials()
            finished = {t.number: t for t in stored}
            todo = [n for n in range(self.n_trials) if n not in finished]
            self.strategy.start(self.space, self.seed, self.n_trials, stored)
            executed, start = 0, time.perf_counter()
            if todo:
                opened = open_executor(self.data, **self.executor_args)
                try:
                    executed = self._loop(opened, todo, finished, progress, should_stop)
                finally:
                    opened.close()
            result = SearchResult(self.store.trials(), self.store.study_info(), executed,
                                  time.perf_counter() - start)
        if len(result) and result.count("failed") == len(result):
            cause, count = result.failures()[0]
            warnings.warn(f"every trial of the study failed: {cause} ({count} of {len(result)} trials; "
                          f"the store {self.store.path} holds each trial's error)", RuntimeWarning,
                          stacklevel=2)
        return result

    def _loop(self, opened, todo, finished, progress, should_stop) -> int:
        running, executed, stopping = {}, 0, False
        while todo or running:
            stopping = stopping or bool(should_stop and should_stop())
            while (not stopping and todo and len(running) < opened.workers
                   and self.strategy.ready(todo[0], finished)):
                spec = self._spec(todo.pop(0), finished)
                future = opened.executor.submit(run_trial, spec, self.data if opened.ship_data else None)
                running[future] = spec
            if stopping:
                todo = []
                for future in [f for f in running if f.cancel()]:
                    del running[future]
            if not running:
                break
            done, _ = wait(list(running), timeout=_POLL, return_when=FIRST_COMPLETED)
            for future in done:
                spec = running.pop(future)
                trial = future.result()  # run_trial catches trial errors; this raises only if the pool broke
                self.store.add_trial(trial)
                finished[trial.number] = trial
                self.strategy.tell(trial)
                executed += 1
                if progress is not None:
                    progress(trial, len(finished), self.n_trials)
        return executed

    def _spec(self, number: int, finished: dict[int, Trial]) -> TrialSpec:
        stage, params = self.strategy.propose(number, finished)
        curves = () if self.pruner is None else self.pruner.snapshot(finished)
        return TrialSpec(number, stage, params, trial_seed(self.seed, number), self.config,
                         self.pruner, curves)

    def close(self):
        if self._owns_store:
            self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_search(store, x_train, t_train, *, progress=None, should_stop=None, **kwargs) -> SearchResult:
    """``Study(store, x_train, t_train, **kwargs).run(progress, should_stop)``; closes a store it
    opened from a path."""
    study = Study(store, x_train, t_train, **kwargs)
    try:
        return study.run(progress, should_stop)
    finally:
        study.close()
