"""kill -9 in the middle of a study, resume, count: no finished trial lost or run twice."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

from trainlab.datasets import load_dataset
from trainlab.search import SearchStore, run_search

N_TRIALS = 12
SETTINGS = dict(n_trials=N_TRIALS, seed=4,
                config={"hidden_size": 50, "n_hidden": 3, "epochs": 30, "batch_size": 60})

SCRIPT = textwrap.dedent("""
    import sys
    from trainlab.datasets import load_dataset
    from trainlab.search import run_search
    if __name__ == "__main__":
        (x, t), _ = load_dataset("sample")
        run_search(sys.argv[1], x[:300], t[:300], n_workers=1, **{settings!r})
""")


def test_kill_9_mid_study_then_resume(tmp_path):
    store = tmp_path / "study.db"
    script = tmp_path / "study.py"
    script.write_text(SCRIPT.format(settings=SETTINGS))
    # own session: the kill takes the study and its pool workers down together, like a crash
    proc = subprocess.Popen([sys.executable, str(script), str(store)], start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if store.exists() and len(SearchStore(store).trials()) >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the study ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL

    before = {t.number: (t.finished_at, t.val_acc) for t in SearchStore(store).trials()}
    assert 3 <= len(before) < N_TRIALS

    (x, t), _ = load_dataset("sample")
    with ThreadPoolExecutor(2) as ex:
        result = run_search(store, x[:300], t[:300], executor=ex, **SETTINGS)
    assert result.executed == N_TRIALS - len(before)      # nothing finished is run again
    assert [tr.number for tr in result.trials] == list(range(N_TRIALS))  # nothing missing or doubled
    after = {tr.number: (tr.finished_at, tr.val_acc) for tr in result.trials}
    assert {n: after[n] for n in before} == before      # nothing finished is lost or changed
    assert all(tr.state == "complete" and tr.epochs == 30 for tr in result.trials)
