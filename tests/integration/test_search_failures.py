"""Searches that cannot succeed end with their cause named; a corrupt store is refused by name;
a store serves one running search at a time."""
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from trainlab.datasets import load_dataset
from trainlab.search import SearchStore, StoreInUseError, Study, Trial, run_search

SMALL = {"hidden_size": 20, "n_hidden": 2, "epochs": 2, "batch_size": 60}
# 300 samples, 240 for training: a batch of 500 fails in the Trainer, in every trial
IMPOSSIBLE = dict(SMALL, batch_size=500)


def test_every_trial_failing_is_summarised_by_its_cause(tmp_path, data, threads):
    with pytest.warns(RuntimeWarning, match=r"every trial of the study failed: ValueError: "
                                            r"mini_batch_size .* \(5 of 5 trials;"):
        result = run_search(tmp_path / "s.db", *data, n_trials=5, config=IMPOSSIBLE, executor=threads)
    assert len(result) == 5 and result.count("failed") == 5
    assert result.best is None  # a failed trial is no best
    [(cause, count)] = result.failures()
    assert cause.startswith("ValueError: mini_batch_size") and count == 5
    assert "5 failed; ValueError: mini_batch_size" in result.summary() and "(5 trials)" in result.summary()
    assert "rank" in result.table() and result.to_csv(tmp_path / "t.csv").read_text().count("failed") == 5


def test_experiment_writes_what_exists_and_names_the_cause(data):
    from trainlab.experiments.hyperparameter_search import hyperparameter_search

    (x, t), test = load_dataset("sample")
    with pytest.warns(RuntimeWarning, match="every trial"):
        result = hyperparameter_search(((x, t), test), n_trials=3, epochs=2, train_size=50,
                                       batch_size=100, hidden=(10, 10), n_workers=1)
    assert result.summary["failed"] == 3 and "best_val_acc" not in result.summary
    assert result.summary["headline"].startswith("all 3 trials failed: ValueError: mini_batch_size")
    assert result.summary["error"] == result.summary["headline"]
    assert result.summary["failures"] == [{"error": result.summary["failures"][0]["error"], "trials": 3}]
    assert len(result.arrays["trials"]) == 3


def test_cli_exits_non_zero_with_the_cause_and_writes_the_files(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "trainlab", "run", "hyperparameter_search", "--dataset", "sample",
         "--n-trials", "2", "--epochs", "2", "--train-size", "50", "--batch-size", "100",
         "--hidden", "10,10", "--n-workers", "1", "--out", str(out), "--no-plot", "--quiet"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "hyperparameter_search: all 2 trials failed: ValueError: mini_batch_size" in proc.stderr
    saved = json.loads((out / "hyperparameter_search.json").read_text())
    assert saved["summary"]["failed"] == 2


def stored_numbers(path):
    with SearchStore(path) as store:
        return [t.number for t in store.trials()]


def _fill(path, n=300):
    with SearchStore(path) as store:
        store.bind_study({"seed": 0})
        for i in range(n):
            store.add_trial(Trial(i, 0, "complete", {"lr": 0.001 * (i + 1)}, i, [0.5] * 40, [0.6] * 40, 1.0))


def test_corrupt_data_page_is_refused_by_name_untouched(tmp_path, data):
    path = tmp_path / "s.db"
    _fill(path)
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    n_pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    body = bytearray(path.read_bytes())
    last = (n_pages - 1) * page_size  # a leaf page of the trials table, far from the schema
    body[last:last + 64] = b"\xa5" * 64
    path.write_bytes(bytes(body))
    with pytest.raises(ValueError, match=f"{path.name} is corrupt"):
        SearchStore(path)
    with pytest.raises(ValueError, match="corrupt"):
        run_search(path, *data, n_trials=2, config=SMALL)
    assert path.read_bytes() == bytes(body)


def test_second_study_on_a_running_store_is_refused_in_process(tmp_path, data, threads):
    path = tmp_path / "s.db"
    first = Study(path, *data, n_trials=4, config=SMALL, executor=threads)
    started, release = threading.Event(), threading.Event()

    def hold(trial, done, total):
        started.set()
        release.wait(60)

    runner = threading.Thread(target=first.run, args=(hold,))
    runner.start()
    try:
        assert started.wait(60)
        second = Study(path, *data, n_trials=4, config=SMALL, executor=threads)
        with pytest.raises(StoreInUseError, match=rf"{path.name} is in use by another search \(pid "
                                                  rf"{os.getpid()}"):
            second.run()
        second.close()
    finally:
        release.set()
        runner.join(120)
        first.close()
    assert stored_numbers(path) == [0, 1, 2, 3]
    with Study(path, *data, n_trials=4, config=SMALL, executor=threads) as again:  # lock released
        assert again.run().executed == 0


SCRIPT = textwrap.dedent("""
    import sys, time
    from trainlab.datasets import load_dataset
    from trainlab.search import run_search
    if __name__ == "__main__":
        (x, t), _ = load_dataset("sample")
        # a pause after each stored trial keeps the study running while the second one starts
        run_search(sys.argv[1], x[:300], t[:300], n_trials=8, n_workers=1,
                   progress=lambda *a: time.sleep(float(sys.argv[2])),
                   config={"hidden_size": 20, "n_hidden": 2, "epochs": 2, "batch_size": 60})
""")


def test_two_search_processes_on_one_store(tmp_path):
    store, script = tmp_path / "s.db", tmp_path / "search.py"
    script.write_text(SCRIPT)
    first = subprocess.Popen([sys.executable, str(script), str(store), "1.0"], stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            if store.exists() and stored_numbers(store):
                break
            time.sleep(0.05)
        assert first.poll() is None, "the first search ended before the second started"
        second = subprocess.run([sys.executable, str(script), str(store), "0"], capture_output=True,
                                text=True, timeout=120)
        assert second.returncode != 0
        assert f"StoreInUseError: {store} is in use by another search (pid {first.pid}" in second.stderr
        assert first.poll() is None, "the first search ended before the second was refused"
        assert first.wait(300) == 0
    finally:
        if first.poll() is None:
            first.kill()
        first.stderr.close()
    assert stored_numbers(store) == list(range(8))
