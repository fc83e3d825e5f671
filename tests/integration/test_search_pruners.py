"""Successive halving and Hyperband (Optuna's pruners) deciding inside the executor's trials.

A fixed strategy alternates a good learning rate (Adam 3e-3: ~0.5 validation accuracy after 2
epochs) and a hopeless one (1e-9: chance), so which trials should stop is known. One worker runs
the trials in order: every trial then sees all earlier ones, as in a sequential Optuna study.
"""
from concurrent.futures import ThreadPoolExecutor

import pytest

from trainlab.datasets import load_dataset
from trainlab.search import (HyperbandPruner, LogUniform, MedianPruner, SearchSpace, SearchStore,
                             Strategy, SuccessiveHalvingPruner, run_search)

optuna = pytest.importorskip("optuna")

CONFIG = {"hidden_size": 30, "n_hidden": 2, "epochs": 8, "batch_size": 60, "optimizer": "adam"}
SPACE = SearchSpace(lr=LogUniform(1e-9, 1e-2))
GOOD, BAD = 3e-3, 1e-9
N_TRIALS = 10


class Alternating(Strategy):
    name = "alternating"

    def propose(self, number, finished):
        return 0, {"lr": GOOD if number % 2 == 0 else BAD}


def search(path, data, pruner, n_trials=N_TRIALS, strategy=None):
    with ThreadPoolExecutor(1) as one:
        return run_search(path, *data, n_trials=n_trials, space=SPACE, config=CONFIG,
                          strategy=strategy or Alternating(), pruner=pruner, executor=one)


@pytest.fixture(scope="module")
def halving(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("sh") / "s.db"
    return path, search(path, data, SuccessiveHalvingPruner(min_epochs=2, reduction_factor=2))


@pytest.fixture(scope="module")
def hyperband(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("hb") / "s.db"
    return path, search(path, data, HyperbandPruner(min_epochs=2, reduction_factor=2))


def test_successive_halving_stops_bad_trials_at_the_first_rung(halving):
    _, result = halving
    bad = [t for t in result.trials if t.params["lr"] == BAD]
    good = [t for t in result.trials if t.params["lr"] == GOOD]
    # rungs at 2 and 4 epochs (8, the last epoch, is never judged); half the trials pass a rung
    assert all(t.state == "pruned" and t.epochs == 2 for t in bad), result.table(None)
    assert result.trials[0].state == "complete" and result.trials[0].epochs == 8
    assert all(t.state == "complete" or t.epochs in (2, 4) for t in result.trials)
    assert sum(t.epochs for t in good) > 2 * sum(t.epochs for t in bad)  # good ones go further
    assert result.best.params["lr"] == GOOD and result.best.state == "complete"
    assert sum(t.epochs for t in result.trials) < 0.6 * N_TRIALS * CONFIG["epochs"]


def test_hyperband_prunes_and_keeps_the_best(hyperband):
    _, result = hyperband
    assert result.count("pruned") >= 3 and result.best.params["lr"] == GOOD
    assert sum(t.epochs for t in result.trials) < N_TRIALS * CONFIG["epochs"]


@pytest.mark.parametrize("which", ["halving", "hyperband"])
def test_decisions_equal_a_sequential_optuna_study(which, request):
    """Replaying the snapshot in the worker must give the decisions Optuna makes when it runs the
    same trials itself, one after another, in its own study."""
    _, result = request.getfixturevalue(which)
    epochs = CONFIG["epochs"]
    if which == "halving":
        pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=2, reduction_factor=2)
    else:
        pruner = optuna.pruners.HyperbandPruner(min_resource=2, max_resource=epochs, reduction_factor=2)
    study = optuna.create_study(study_name="trainlab", direction="maximize", pruner=pruner)
    expected = []
    for stored in result.trials:
        trial = study.ask()
        for epoch, acc in enumerate(stored.val_acc, 1):
            trial.report(acc, epoch)
            if epoch < epochs and trial.should_prune():
                expected.append(("pruned", epoch))
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                break
        else:
            expected.append(("complete", len(stored.val_acc)))
            study.tell(trial, stored.value)
    assert [(t.state, t.epochs) for t in result.trials] == expected


def test_resumed_study_makes_the_same_decisions(halving, data, tmp_path):
    _, whole = halving
    path, pruner = tmp_path / "r.db", SuccessiveHalvingPruner(min_epochs=2, reduction_factor=2)
    first = search(path, data, pruner, n_trials=5)
    second = search(path, data, pruner)
    assert first.executed == 5 and second.executed == N_TRIALS - 5
    assert [(t.state, t.val_acc) for t in second.trials] == [(t.state, t.val_acc) for t in whole.trials]
    with pytest.raises(ValueError, match="other settings"):
        search(path, data, SuccessiveHalvingPruner(min_epochs=2, reduction_factor=3))


def test_a_finished_trial_with_a_higher_number_counts():
    # resuming after a crash can leave trial 3 to run while trial 5 is already stored
    pruner = SuccessiveHalvingPruner(min_epochs=2, reduction_factor=2)
    alone = pruner.start(3, (), 4)
    assert not alone(1, [0.5]) and not alone(2, [0.5, 0.5])
    beaten = pruner.start(3, ((5, "complete", (0.1, 0.9, 0.9, 0.9)),), 4)
    assert not beaten(1, [0.5]) and beaten(2, [0.5, 0.5])


def test_bayesian_search_with_successive_halving(data, tmp_path):
    result = search(tmp_path / "t.db", data, "successive_halving", n_trials=6, strategy="tpe")
    assert len(result) == 6 and result.info["pruner"]["name"] == "successive_halving"
    assert {t.state for t in result.trials} <= {"complete", "pruned"}


@pytest.mark.parametrize("make, match", [
    (lambda: SuccessiveHalvingPruner(reduction_factor=1), "reduction_factor"),
    (lambda: HyperbandPruner(min_epochs=0), "min_epochs"),
    (lambda: SuccessiveHalvingPruner(bootstrap_count=-1), "bootstrap_count"),
    (lambda: SuccessiveHalvingPruner(min_epochs=2.5), "min_epochs"),
    (lambda: MedianPruner(min_trials=0), "min_trials"),
])
def test_bad_pruner_settings_raise(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("pruner, match", [
    ("asha", "unknown pruner.*successive_halving"),
    (SuccessiveHalvingPruner(min_epochs=8), "min_epochs .*below"),
    (HyperbandPruner(min_epochs=9), "min_epochs .*below"),
])
def test_bad_pruner_for_the_study_raises(pruner, match, data, tmp_path):
    with pytest.raises(ValueError, match=match):
        search(tmp_path / "s.db", data, pruner, n_trials=2)
    assert not (tmp_path / "s.db").exists()  # refused before the store is created


def test_experiment_and_cli_option(tmp_path):
    from trainlab.experiments import run_experiment
    (x, t), test = load_dataset("sample")
    result = run_experiment("hyperparameter_search", ((x, t), test), n_trials=6, epochs=9,
                            train_size=300, hidden=(20, 20), batch_size=60, n_workers=1,
                            pruner="successive_halving", store=str(tmp_path / "s.db"))
    assert result.summary["pruned"] >= 1 and result.summary["trials"] == 6
    stored = SearchStore(tmp_path / "s.db").trials()
    assert all(t.epochs in (1, 3) for t in stored if t.state == "pruned")  # 9 epochs: rungs 1, 3
    with pytest.raises(ValueError, match="unknown pruner.*hyperband"):
        run_experiment("hyperparameter_search", ((x, t), test), pruner="asha")
