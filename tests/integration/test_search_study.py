"""Studies: strategies, pruning, reproducibility, resume, results, bad input.

Small networks and few epochs keep these fast; tests/integration/test_search_quality.py runs the chapter's
network on real Fashion-MNIST.
"""
import csv
import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from trainlab.search import (Categorical, LogUniform, MedianPruner, SearchSpace, SearchStore,
                             StagedSearch, Study, TrialSpec, run_search, run_trial)

SMALL = {"hidden_size": 30, "n_hidden": 2, "epochs": 4, "batch_size": 60}  # 240 / 60: 4 steps an epoch


def test_random_search_stores_every_trial_and_reproduces_it(tmp_path, data, threads):
    result = run_search(tmp_path / "s.db", *data, n_trials=6, config=SMALL, seed=3, executor=threads)
    assert [t.number for t in result.trials] == list(range(6)) and result.executed == 6
    assert all(t.state == "complete" and t.epochs == 4 for t in result.trials)
    for t in result.trials:
        assert 1e-6 <= t.params["lr"] <= 1e-2 and 1e-8 <= t.params["weight_decay"] <= 1e-4
    # a trial is reproduced from its stored parameters and seed alone
    study = Study(tmp_path / "s.db", *data, n_trials=6, config=SMALL, seed=3)
    t = result.trials[4]
    again = run_trial(TrialSpec(t.number, t.stage, t.params, t.seed, study.config), study.data)
    assert again.val_acc == t.val_acc and again.train_acc == t.train_acc
    # the validation split comes from the training data: 20 % of it
    assert len(study.data[1][0]) == 60 and len(study.data[0][0]) == 240
    study.close()


def test_same_seed_same_params_other_seed_other_params(tmp_path, data, threads):
    runs = [run_search(tmp_path / f"{i}.db", *data, n_trials=3, config=SMALL, seed=s, executor=threads)
            for i, s in enumerate([5, 5, 6])]
    params = [[t.params for t in r.trials] for r in runs]
    assert params[0] == params[1] != params[2]
    assert [t.val_acc for t in runs[0].trials] == [t.val_acc for t in runs[1].trials]


def test_resume_runs_only_missing_trials_and_may_grow(tmp_path, data, threads):
    path = tmp_path / "s.db"
    stop_after = lambda: len(SearchStore(path).trials()) >= 2  # noqa: E731
    first = run_search(path, *data, n_trials=5, config=SMALL, executor=threads, should_stop=stop_after)
    assert 2 <= len(first) < 5
    kept = {t.number: t.finished_at for t in first.trials}
    second = run_search(path, *data, n_trials=8, config=SMALL, executor=threads)
    assert [t.number for t in second.trials] == list(range(8))
    assert second.executed == 8 - len(kept)
    assert {t.number: t.finished_at for t in second.trials if t.number in kept} == kept
    fresh = run_search(tmp_path / "fresh.db", *data, n_trials=8, config=SMALL, executor=threads)
    assert [t.params for t in fresh.trials] == [t.params for t in second.trials]
    with pytest.raises(ValueError, match="other settings"):
        run_search(path, *data, n_trials=8, config=dict(SMALL, epochs=5), executor=threads)


def test_staged_search_narrows_around_the_best(tmp_path, data, threads):
    strategy = StagedSearch(stages=[8, 6], keep=0.25)
    space = SearchSpace(lr=LogUniform(1e-5, 1.0), weight_decay=LogUniform(1e-8, 1e-4))
    result = run_search(tmp_path / "s.db", *data, n_trials=14, strategy=strategy, space=space,
                        config=SMALL, executor=threads)
    first = [t for t in result.trials if t.stage == 0]
    second = [t for t in result.trials if t.stage == 1]
    assert len(first) == 8 and len(second) == 6
    narrowed = strategy.stage_space(1, {t.number: t for t in result.trials})
    top = sorted(first, key=lambda t: (t.value, -t.number), reverse=True)[:2]
    # lr decides the accuracy here: its range shrinks from five decades around the two best
    lr = narrowed["lr"]
    assert math.log10(lr.high / lr.low) < 5 * 0.8
    assert lr.low == pytest.approx(max(1e-5, min(t.params["lr"] for t in top) / 10 ** 0.5))
    for name in ("lr", "weight_decay"):
        assert all(narrowed[name].low <= t.params[name] <= narrowed[name].high for t in top + second)
    with pytest.raises(ValueError, match="add up"):
        run_search(tmp_path / "bad.db", *data, n_trials=10, strategy=StagedSearch([3, 3]),
                   config=SMALL, executor=threads)


def test_median_pruning_stops_poor_trials_early(tmp_path, data, threads):
    space = SearchSpace(lr=LogUniform(1e-7, 1e-1))
    result = run_search(tmp_path / "s.db", *data, n_trials=16, space=space, pruner=MedianPruner(2, 3),
                        config=dict(SMALL, epochs=8), executor=ThreadPoolExecutor(1))
    pruned = [t for t in result.trials if t.state == "pruned"]
    complete = [t for t in result.trials if t.state == "complete"]
    assert pruned and complete
    assert all(2 <= t.epochs < 8 for t in pruned) and all(t.epochs == 8 for t in complete)
    assert sum(t.epochs for t in result.trials) < 16 * 8
    assert result.best.state == "complete"


def test_tpe_search_and_resume(tmp_path, data, threads):
    path = tmp_path / "tpe.db"
    space = SearchSpace(lr=LogUniform(1e-6, 1e-1), optimizer=Categorical(("sgd", "adam")))
    first = run_search(path, *data, strategy="tpe", n_trials=4, space=space, config=SMALL,
                       executor=threads)
    second = run_search(path, *data, strategy="tpe", n_trials=7, space=space, config=SMALL,
                        executor=threads)
    assert second.executed == 3 and [t.number for t in second.trials] == list(range(7))
    assert all(t.params["optimizer"] in ("sgd", "adam") for t in second.trials)
    assert [t.params for t in second.trials[:4]] == [t.params for t in first.trials]


def test_results_table_and_csv(tmp_path, data, threads):
    result = run_search(tmp_path / "s.db", *data, n_trials=4, config=SMALL, executor=threads)
    rows = list(csv.DictReader(open(result.to_csv(tmp_path / "t.csv"))))
    assert len(rows) == 4 and {"lr", "weight_decay", "val_acc", "seconds", "val_acc_4"} <= set(rows[0])
    assert float(rows[2]["lr"]) == pytest.approx(result.trials[2].params["lr"])
    assert float(rows[2]["val_acc_4"]) == pytest.approx(result.trials[2].val_acc[3])
    text = result.table(3)
    assert len(text.splitlines()) == 4 and f"{result.best.number:>5}" in text.splitlines()[1]
    curves = result.curves(2)
    assert list(curves) == [t.number for t in result.top(2)] and all(len(c) == 4 for c in curves.values())
    assert "4 trials (4 complete" in result.summary()


def test_failed_trial_is_stored_not_fatal(tmp_path, data, threads):
    space = SearchSpace(lr=LogUniform(1e-3, 1e-2), activation=Categorical(("relu", "bogus")))
    result = run_search(tmp_path / "s.db", *data, n_trials=6, space=space, config=SMALL, executor=threads)
    failed = [t for t in result.trials if t.params["activation"] == "bogus"]
    assert failed and all(t.state == "failed" and "activation" in t.error for t in failed)
    assert result.best.params["activation"] == "relu"


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_trials=0), "n_trials"),
    (dict(n_trials=2.5), "n_trials"),
    (dict(strategy="grid"), "unknown strategy"),
    (dict(pruner="bogus"), "unknown pruner"),
    (dict(space={"momentum_beta": LogUniform(0.1, 0.9)}), "cannot search"),
    (dict(val_rate=0.0), "rate"),
    (dict(config={"epochs": 0}), "epochs"),
    (dict(seed=-1), "seed"),
    (dict(n_workers=0), "n_workers"),
    (dict(scheduler="localhost"), "scheduler"),
    (dict(executor="pool"), "executor"),
])
def test_bad_input_raises_value_error(tmp_path, data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        run_search(tmp_path / "s.db", *data, **dict(dict(n_trials=2, config=SMALL), **kwargs))


def test_default_process_pool(tmp_path, data):
    result = run_search(tmp_path / "s.db", *data, n_trials=3, config=SMALL, n_workers=2)
    assert [t.state for t in result.trials] == ["complete"] * 3
    # the worker's result equals an in-process run: the pool changes nothing but where it runs
    study = Study(tmp_path / "s.db", *data, n_trials=3, config=SMALL)
    t = result.trials[1]
    assert run_trial(TrialSpec(1, 0, t.params, t.seed, study.config), study.data).val_acc == t.val_acc
    study.close()


def test_bayes_is_gp_with_pytorch_else_tpe(monkeypatch):
    # (a GP study is not run here: importing PyTorch and the first GP fit take ~15 s;
    # benchmarks/search_quality.py runs it)
    import importlib.util

    from trainlab.search import make_strategy
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    assert make_strategy("bayes").settings()["name"] == "tpe"
    monkeypatch.undo()
    expected = "gp" if importlib.util.find_spec("torch") is not None else "tpe"
    assert make_strategy("bayes").settings()["name"] == expected
