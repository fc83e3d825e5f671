"""Trials on a Dask cluster (a LocalCluster started here, reached by its tcp:// address)."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from trainlab.datasets import load_dataset
from trainlab.search import run_search

distributed = pytest.importorskip("distributed")

SETTINGS = dict(n_trials=4, seed=2, config={"hidden_size": 30, "n_hidden": 2, "epochs": 4, "batch_size": 60})


def test_study_on_dask_cluster_matches_local_run(tmp_path):
    (x, t), _ = load_dataset("sample")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        on_dask = run_search(tmp_path / "dask.db", x[:300], t[:300],
                             scheduler=cluster.scheduler_address, **SETTINGS)
        with distributed.Client(cluster) as client:  # a Client works as the executor too
            via_client = run_search(tmp_path / "client.db", x[:300], t[:300], executor=client,
                                    **SETTINGS)
    with ThreadPoolExecutor(2) as ex:
        local = run_search(tmp_path / "local.db", x[:300], t[:300], executor=ex, **SETTINGS)
    assert on_dask.executed == 4 and [tr.number for tr in on_dask.trials] == [0, 1, 2, 3]
    # each trial is reproducible from its seed wherever it runs
    for run in (on_dask, via_client):
        assert [(tr.params, tr.val_acc) for tr in run.trials] == [(tr.params, tr.val_acc) for tr in local.trials]
