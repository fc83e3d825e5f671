"""The experiments of chapter 6 of *Deep Learning from Scratch*, one call each.

>>> from trainlab.experiments import EXPERIMENTS, run_experiment
>>> sorted(EXPERIMENTS)                                   # doctest: +SKIP
>>> result = run_experiment('compare_weight_init', iterations=500)   # doctest: +SKIP
>>> result.save('out/')                                   # JSON + CSV  # doctest: +SKIP

Each module registers one experiment in ``EXPERIMENTS`` (see ``base.py`` for the conventions:
result object, ``progress``/``should_stop``/``on_update`` hooks, registry entry).
"""
from __future__ import annotations

import importlib

from trainlab.experiments._common import smooth_curve
from trainlab.experiments.base import (EXPERIMENTS, ExperimentResult, ExperimentSpec, Hooks,
                                       ProgressBar, Series, register)

# In the chapter's order: the registry (and `trainlab list`, `trainlab run all`) keep it.
_MODULES = ("optimizer_paths", "compare_optimizers", "activation_histograms",
            "compare_weight_init", "batchnorm_sweep", "overfitting", "ensemble",
            "hyperparameter_search")

for _name in _MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def run_experiment(name: str, data=None, **params) -> ExperimentResult:
    """Run the registered experiment ``name`` with ``params`` (its options, dtype, seed, hooks).

    Parameters
    ----------
    name : str
        A key of ``EXPERIMENTS`` (``trainlab list`` shows them and their options).
    data : tuple, optional
        ``((x_train, t_train), (x_test, t_test))`` for the experiments that train on data;
        ``None`` loads the best dataset available (:func:`trainlab.datasets.load_default_dataset`).
        Ignored by ``optimizer_paths`` and ``activation_histograms``.
    **params
        The experiment's own options (``ExperimentSpec.defaults``), ``dtype``, ``seed`` and the
        hooks ``progress(done, total, info)``, ``should_stop()``, ``on_update(series, x, y)``.
        ``progress=True`` shows a progress bar (a widget in a notebook, text elsewhere).

    Returns
    -------
    ExperimentResult
        Its ``series``, ``summary``, ``arrays`` and ``timings``; ``save(folder)`` writes JSON/CSV.

    Raises
    ------
    ValueError
        An unknown experiment or an invalid option value (the message names it).
    TypeError
        An option the experiment does not take.

    Examples
    --------
    >>> from trainlab.experiments import run_experiment
    >>> result = run_experiment("optimizer_paths", steps=5)
    >>> sorted(result.series)
    ['AdaGrad', 'Adam', 'Momentum', 'Nesterov', 'RMSprop', 'SGD']
    """
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; expected one of {sorted(EXPERIMENTS)}")
    spec = EXPERIMENTS[name]
    bar = None
    if params.get("progress") is True:
        bar = params["progress"] = ProgressBar(name)
    elif params.get("progress") is False:
        params["progress"] = None
    try:
        return spec.run(data, **params) if spec.needs_data else spec.run(**params)
    finally:
        if bar is not None:
            bar.close()


__all__ = ["EXPERIMENTS", "ExperimentResult", "ExperimentSpec", "Hooks", "ProgressBar", "Series",
           "register", "run_experiment", "smooth_curve"]
