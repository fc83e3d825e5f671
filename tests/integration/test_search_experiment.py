"""The registered experiment ``hyperparameter_search`` and its CLI (--scheduler, --store)."""
import json
import subprocess
import sys

import pytest

from trainlab.datasets import load_dataset
from trainlab.experiments import EXPERIMENTS, run_experiment
from trainlab.search import SearchStore

distributed = pytest.importorskip("distributed")


def test_experiment_result_and_store(tmp_path):
    assert "hyperparameter_search" in EXPERIMENTS
    (x, t), test = load_dataset("sample")
    calls = []
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp", dashboard_address=None) as cluster:
        result = run_experiment("hyperparameter_search", ((x, t), test), n_trials=4, epochs=3,
                                train_size=300, hidden=(30, 30), batch_size=60, top=2,
                                store=str(tmp_path / "s.db"), scheduler=cluster.scheduler_address,
                                progress=lambda done, total, info: calls.append((done, total, info)))
    assert [c[:2] for c in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    stored = SearchStore(tmp_path / "s.db").trials()
    assert len(stored) == 4 and result.summary["best_val_acc"] == max(tr.value for tr in stored)
    assert len(result.series["best_so_far"].y) == 4 and len(result.series["lr_vs_val_acc"].x) == 4
    assert sum(name.startswith("val_acc/trial-") for name in result.series) == 2
    assert not result.stopped
    with pytest.raises(ValueError, match="lr_range"):
        run_experiment("hyperparameter_search", ((x, t), test), lr_range=(1e-2,))
    with pytest.raises(ValueError, match="empty range"):
        run_experiment("hyperparameter_search", ((x, t), test), lr_range="1e-2,1e-6")


def test_cli_scheduler_option_reaches_dask(tmp_path):
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", dashboard_address=None) as cluster:
        out = subprocess.run(
            [sys.executable, "-m", "trainlab", "run", "hyperparameter_search", "--dataset", "sample",
             "--n-trials", "2", "--epochs", "2", "--train-size", "300", "--hidden", "20,20",
             "--batch-size", "60", "--store", str(tmp_path / "cli.db"), "--out", str(tmp_path / "out"),
             "--scheduler", cluster.scheduler_address, "--no-plot", "--quiet"],
            capture_output=True, text=True, timeout=240)
        prefixes = set(cluster.scheduler.task_prefixes)
    assert out.returncode == 0, out.stderr
    saved = json.loads((tmp_path / "out" / "hyperparameter_search.json").read_text())
    assert saved["summary"]["trials"] == 2 and saved["params"]["scheduler"].startswith("tcp://")
    assert "run_trial" in prefixes  # the trials ran on the cluster, not in a local pool
