"""Hyperparameter search (chapter 6.5): validation split, log-scale random search, staged
narrowing, median pruning, successive halving, Hyperband and Bayesian optimisation (Optuna's samplers), on a process pool or a
Dask cluster, with every finished trial stored in SQLite.

>>> from trainlab.search import run_search, default_space
>>> result = run_search("search.db", x_train[:500], t_train[:500], n_trials=100)  # doctest: +SKIP
>>> print(result.table(20)); result.to_csv("trials.csv")                        # doctest: +SKIP

Reading a store from another thread or process while a study runs (the desktop app does)::

    SearchStore("search.db").trials()   # finished trials, by number
"""
from trainlab.search.pruners import (PRUNERS, HyperbandPruner, MedianPruner, Pruner,
                                     SuccessiveHalvingPruner, make_pruner)
from trainlab.search.lock import StoreInUseError
from trainlab.search.results import SearchResult, ranked
from trainlab.search.space import Categorical, LogUniform, SearchSpace, Uniform, default_space
from trainlab.search.store import SearchStore
from trainlab.search.strategies import (STRATEGIES, BayesSearch, RandomSearch, StagedSearch,
                                        Strategy, make_strategy)
from trainlab.search.study import Study, run_search
from trainlab.search.trial import SEARCHABLE, Trial, TrialConfig, TrialSpec, run_trial, trial_seed

__all__ = ["BayesSearch", "Categorical", "HyperbandPruner", "LogUniform", "MedianPruner", "PRUNERS",
           "Pruner", "RandomSearch", "SEARCHABLE", "STRATEGIES", "SearchResult", "SearchSpace",
           "SearchStore", "StagedSearch", "StoreInUseError", "Strategy", "Study",
           "SuccessiveHalvingPruner", "Trial", "TrialConfig", "TrialSpec", "Uniform", "default_space",
           "make_pruner", "make_strategy", "ranked", "run_search", "run_trial", "trial_seed"]
