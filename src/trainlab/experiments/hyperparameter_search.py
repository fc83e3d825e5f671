"""Experiment 8 (the book's ``hyperparameter_optimization.py``): search lr and weight decay on a
log scale with a validation split of the first 500 training samples, 784-100×6-10, SGD, 50 epochs.

Runs on :mod:`trainlab.search`: every finished trial goes to the SQLite ``store`` (the desktop
app reads it live with ``SearchStore(store).trials()``), an interrupted run resumes from it, and
``scheduler='tcp://host:8786'`` sends the trials to a Dask cluster.
"""
from __future__ import annotations

import os
import tempfile

from trainlab._i18n import N_, translate
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.search import LogUniform, SearchSpace, Study

_PRUNERS = {"none": None, "median": "median", "successive_halving": "successive_halving",
            "hyperband": "hyperband"}


def _range(name, value):
    values = [float(v) for v in value.split(",")] if isinstance(value, str) else list(value)
    if len(values) != 2:
        raise ValueError(f"{name} must be two numbers low,high, got {value!r}")
    return LogUniform(*values)


def hyperparameter_search(data=None, *, strategy="random", n_trials=100, epochs=50, train_size=500,
                          val_rate=0.2, lr_range=(1e-6, 1e-2), weight_decay_range=(1e-8, 1e-4),
                          hidden=(100, 100, 100, 100, 100, 100), optimizer="sgd", batch_size=100,
                          pruner="none", store=None, n_workers=None, scheduler=None, top=20,
                          dtype="float32", seed=0, progress=None, should_stop=None,
                          on_update=None) -> ExperimentResult:
    """Series ``best_so_far`` (best validation accuracy vs trials done), ``lr_vs_val_acc`` (every
    trial) and ``val_acc/trial-N`` (validation curve of each of the ``top`` best trials).
    ``summary['failures']`` lists the errors of failed trials, most common first; when every
    trial failed, ``summary['error']`` (and the headline) names the most common one."""
    hidden = C.sizes("hidden", hidden)
    if len(set(hidden)) != 1:
        raise ValueError(f"hidden must repeat one size (the search builds n × size), got {hidden}")
    if pruner not in _PRUNERS:
        raise ValueError(f"unknown pruner {pruner!r}; expected one of {sorted(_PRUNERS)}")
    top = C.integer("top", top)
    space = SearchSpace(lr=_range("lr_range", lr_range),
                        weight_decay=_range("weight_decay_range", weight_decay_range))
    (x_train, t_train), _ = C.resolve_data(data, train_size=C.optional_integer("train_size", train_size))
    if store is None:  # a study always has a store; without a path it lives in a temporary folder
        store = os.path.join(tempfile.mkdtemp(prefix="trainlab-search-"), "search.db")
    study = Study(store, x_train, t_train, space=space, strategy=strategy, n_trials=n_trials,
                  val_rate=val_rate, seed=seed, pruner=_PRUNERS[pruner], n_workers=n_workers,
                  scheduler=scheduler,
                  config={"epochs": C.integer("epochs", epochs), "hidden_size": hidden[0],
                          "n_hidden": len(hidden), "optimizer": C.optimizer_names([optimizer])[0],
                          "batch_size": C.integer("batch_size", batch_size), "dtype": str(dtype)})
    hooks = Hooks(progress, should_stop, on_update)
    best = [None]

    def on_trial(trial, done, total):
        if trial.value is not None and (best[0] is None or trial.value > best[0]):
            best[0] = trial.value
        hooks.update("best_so_far", done, best[0])
        hooks.progress(done, total, trial=trial.number, state=trial.state, val_acc=trial.value,
                       **trial.params)

    try:
        found = study.run(on_trial, hooks.stop_requested)
    finally:
        study.close()
    result = ExperimentResult("hyperparameter_search", {
        "strategy": strategy, "n_trials": n_trials, "epochs": epochs, "train_size": len(x_train),
        "val_rate": val_rate, "lr_range": [space["lr"].low, space["lr"].high],
        "weight_decay_range": [space["weight_decay"].low, space["weight_decay"].high],
        "hidden": hidden, "optimizer": optimizer, "batch_size": batch_size, "pruner": pruner,
        "store": str(store), "scheduler": scheduler, "dtype": str(dtype), "seed": seed})
    result.stopped = len(found) < n_trials
    running, curve = None, result.add_series("best_so_far")
    for i, trial in enumerate(sorted(found.trials, key=lambda t: t.finished_at), 1):
        if trial.value is not None and (running is None or trial.value > running):
            running = trial.value
        curve.append(i, running)
    scored = [t for t in found.trials if t.value is not None]
    result.add_series("lr_vs_val_acc", [t.params["lr"] for t in scored], [t.value for t in scored])
    for trial in found.top(top):
        result.add_series(f"val_acc/trial-{trial.number}", range(1, trial.epochs + 1), trial.val_acc,
                          **trial.params, state=trial.state)
    result.arrays["trials"] = found.rows()
    result.summary.update(trials=len(found), executed=found.executed,
                          complete=found.count("complete"), pruned=found.count("pruned"),
                          failed=found.count("failed"), store=str(store))
    failures = found.failures()
    if failures:
        result.summary["failures"] = [{"error": error, "trials": count} for error, count in failures]
    if found.best is not None:
        result.summary.update(best_trial=found.best.number, best_val_acc=found.best.value,
                              **{f"best_{k}": v for k, v in found.best.params.items()})
        params = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}"
                           for k, v in found.best.params.items())
        result.summary["headline"] = translate(
            "experiments", "best val acc {accuracy:.3f} (trial {trial}: {params})").format(
            accuracy=found.best.value, trial=found.best.number, params=params)
    elif failures and found.count("failed") == len(found):
        # nothing to rank: the result says why, and "error" tells the CLI to exit non-zero
        error, count = failures[0]
        result.summary["headline"] = result.summary["error"] = translate(
            "experiments", "all {n} trials failed: {error} ({count} trials)").format(
            n=len(found), error=error, count=count)
    result.timings["total_s"] = hooks.elapsed()
    return result


register("hyperparameter_search", hyperparameter_search,
         N_("experiments", "random / staged / Bayesian search of lr and weight decay on a "
                           "validation split (book fig. 6-24)"),
         param_help={
             "strategy": N_("experiments", "random, staged, tpe or gp (Bayesian, Optuna), bayes "
                                           "(gp with PyTorch, else tpe)"),
             "n_trials": N_("experiments", "trials in the study (book: 100)"),
             "epochs": N_("experiments", "epochs per trial (book: 50)"),
             "train_size": N_("experiments", "training samples used, validation included (book: "
                                             "500)"),
             "val_rate": N_("experiments", "fraction of them held out for validation (book: 0.2)"),
             "lr_range": N_("experiments", "log-uniform learning rate range low,high (book: "
                                           "1e-6,1e-2)"),
             "weight_decay_range": N_("experiments", "log-uniform weight decay range (book: "
                                                     "1e-8,1e-4)"),
             "hidden": N_("experiments", "hidden layer sizes, one size repeated (book: 100 x 6)"),
             "optimizer": N_("experiments", "optimizer of every trial (book: sgd)"),
             "batch_size": N_("experiments", "mini-batch size (book: 100)"),
             "pruner": N_("experiments", "none, median (stop trials below the median curve), "
                                         "successive_halving or hyperband (Optuna's: only the best "
                                         "1/3 pass rungs at epochs/9, epochs/3)"),
             "store": N_("experiments", "SQLite file of the study; an existing one is resumed"),
             "n_workers": N_("experiments", "worker processes (default: all cores)"),
             "scheduler": N_("experiments", "Dask scheduler address, e.g. tcp://host:8786"),
             "top": N_("experiments", "validation curves kept for the best trials (book: 20)"),
         })
