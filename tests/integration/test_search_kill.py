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


def _descendants(pid: int) -> set[int]:
    """Processes below ``pid`` (from the parent pids in /proc), zombies excluded."""
    parent_of = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            state = _stat(int(entry))
            if state is not None and state[0] != "Z":
                parent_of[int(entry)] = state[1]
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parent_of.items() if parent in frontier} - found
        found |= frontier
    return found


def _stat(pid: int):
    """(state, parent pid) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def _alive(pids) -> set[int]:
    return {p for p in pids if (s := _stat(p)) is not None and s[0] != "Z"}


ORPHAN_SCRIPT = textwrap.dedent("""
    import sys
    from trainlab.datasets import load_dataset
    from trainlab.search import run_search
    if __name__ == "__main__":
        (x, t), _ = load_dataset("sample")
        run_search(sys.argv[1], x[:300], t[:300], n_trials=200, n_workers=2, seed=1,
                   config={"hidden_size": 50, "n_hidden": 3, "epochs": 40, "batch_size": 60})
""")


def test_kill_9_of_the_study_alone_takes_its_workers_down(tmp_path):
    store, script = tmp_path / "study.db", tmp_path / "study.py"
    script.write_text(ORPHAN_SCRIPT)
    # only the study is killed (not its process group): its workers must notice by themselves
    proc = subprocess.Popen([sys.executable, str(script), str(store)], start_new_session=True)
    children = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if store.exists() and SearchStore(store).trials():
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the study ended before it could be killed"
        children = _descendants(proc.pid)
        assert len(children) >= 3  # two workers and multiprocessing's helper process(es)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        end = time.monotonic() + 10
        while _alive(children) and time.monotonic() < end:
            time.sleep(0.05)
        assert not _alive(children), "processes of the killed study still run"
    finally:
        for pid in _alive(children) | ({proc.pid} if proc.poll() is None else set()):
            os.kill(pid, signal.SIGKILL)
