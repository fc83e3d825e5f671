"""The default thread count of a network's passes: chosen from what the calls take
(trainlab._thread_choice), fed here with made-up timings."""
import numpy as np
import pytest

import trainlab
from trainlab import threads
from trainlab._thread_choice import ThreadChoice, candidates


def drive(choice, cost, calls):
    """Make ``calls`` calls, each taking cost(threads, call index) seconds; the counts used."""
    used = []
    for i in range(calls):
        n = choice.pick()
        used.append(n)
        choice.record(cost(n, i))
    return used


def test_candidates_halve_down_to_one():
    assert candidates(1) == (1,)
    assert candidates(2) == (2, 1)
    assert candidates(8) == (8, 4, 2, 1)
    assert candidates(6) == (6, 3, 1)


def test_bad_candidates_are_refused():
    with pytest.raises(ValueError, match="positive thread counts"):
        ThreadChoice([])
    with pytest.raises(ValueError, match="positive thread counts"):
        ThreadChoice([2, 0])


def test_quiet_machine_keeps_the_most_threads_and_checks_rarely():
    choice = ThreadChoice((2, 1))
    used = drive(choice, lambda n, i: 0.45e-3 if n == 2 else 0.75e-3, 20000)
    assert choice.current == 2
    # one call of the slower count per check (it is over 1.5x slower), and the checks thin out
    assert used.count(1) == choice.checks and choice.checks < 12
    assert choice.interval == ThreadChoice.MAX_INTERVAL


def test_busy_machine_moves_to_one_thread_and_pays_little_for_rechecks():
    choice = ThreadChoice((2, 1))
    used = drive(choice, lambda n, i: 5e-3 if n == 2 else 0.52e-3, 20000)
    assert choice.current == 1
    spent = sum(5e-3 if n == 2 else 0.52e-3 for n in used)
    assert spent / (20000 * 0.52e-3) < 1.03  # within 3 % of always one thread


def test_the_first_check_drops_a_clearly_slower_count_after_one_call():
    busy = ThreadChoice((2, 1))
    assert drive(busy, lambda n, i: 5e-3 if n == 2 else 0.5e-3, 6) == [2, 2, 1, 1, 1, 1]  # warm-up first
    quiet = ThreadChoice((2, 1))
    assert drive(quiet, lambda n, i: 0.45e-3 if n == 2 else 0.75e-3, 6) == [2, 2, 1, 2, 2, 2]
    close = ThreadChoice((2, 1))  # within 1.5x: three calls of each, in rounds
    assert drive(close, lambda n, i: 0.5e-3 if n == 2 else 0.6e-3, 9) == [2] + [2, 1] * 3 + [2, 2]


def test_a_neighbour_that_comes_and_goes_is_followed():
    choice = ThreadChoice((2, 1))
    busy = range(5000, 15000)  # calls during which two threads are slow
    used = drive(choice, lambda n, i: (3e-3 if i in busy else 0.45e-3) if n == 2 else 0.75e-3, 25000)
    assert used[4000:5000].count(2) >= 998  # quiet: two threads (one call of one at a check)
    assert used[5300:15000].count(1) > 0.99 * 9700  # busy: one, found within a few hundred calls
    assert used[-1000:].count(2) >= 998  # quiet again: two, found at a recheck
    assert used[15000:].index(2) < 2000 / 0.75  # within the longest interval (2 s) of one-thread time


def test_noise_in_single_calls_does_not_flip_the_choice():
    rng = np.random.default_rng(0)
    costs = iter(np.where(rng.random(10000) < 0.05, 10e-3, 1.0) * np.r_[0.45e-3])
    choice = ThreadChoice((2, 1))
    used = drive(choice, lambda n, i: next(costs) * (1 if n == 2 else 1.7), 10000)
    assert used.count(1) < 0.01 * 10000


def test_one_candidate_needs_no_measuring():
    choice = ThreadChoice((1,))
    assert drive(choice, lambda n, i: 1e-3, 100) == [1] * 100 and choice.checks == 0


@pytest.fixture
def default_threads():
    trainlab.set_num_threads(None)
    yield
    trainlab.set_num_threads(None)


def test_the_default_chooses_per_network_and_batch_size(default_threads, monkeypatch):
    monkeypatch.setitem(threads._state, "cores", 2)
    net = trainlab.MultiLayerNet(20, [30], 4, seed=0)
    x, t = np.random.default_rng(0).random((64, 20)).astype(np.float32), np.arange(64) % 4
    for _ in range(5):
        net.gradient(x, t)
        net.loss(x, t)
    bound = net._passes.by_size[64]
    assert set(bound.choices) == {("train", 2), ("loss", 2)}
    assert all(c.candidates == (2, 1) for c in bound.choices.values())
    assert bound.executor.last_pass_parts == 2  # the parts stay whatever the threads


def test_a_set_thread_count_is_used_as_it_is(monkeypatch):
    monkeypatch.setitem(threads._state, "cores", 2)
    net = trainlab.MultiLayerNet(20, [30], 4, seed=0)
    x, t = np.random.default_rng(0).random((64, 20)).astype(np.float32), np.arange(64) % 4
    with threads.using(2):
        net.gradient(x, t)
    bound = net._passes.by_size[64]
    assert bound.choices == {} and bound.executor.last_pass_threads == 2


def test_usable_cores_follow_affinity_and_a_cgroup_quota(monkeypatch, tmp_path):
    monkeypatch.setitem(threads._state, "cores", None)
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(threads, "_cgroup_cpu_quota", lambda: None)
    assert threads.usable_cores() == 4
    monkeypatch.setitem(threads._state, "cores", None)
    monkeypatch.setattr(threads, "_cgroup_cpu_quota", lambda: 3)
    assert threads.usable_cores() == 3
    monkeypatch.setattr(threads, "_cgroup_cpu_quota", lambda: 1)
    assert threads.usable_cores() == 3  # read once


@pytest.mark.parametrize("v2, v1, expected", [
    ("150000 100000\n", None, 2), ("max 100000\n", None, None), (None, ("50000", "100000"), 1),
    (None, ("-1", "100000"), None), (None, None, None)])
def test_cgroup_quota_is_read_from_v2_or_v1(monkeypatch, tmp_path, v2, v1, expected):
    files = {"/proc/self/cgroup": "4:memory:/m\n1:cpu,cpuacct:/box\n0::/box\n"}
    if v2:
        files["/sys/fs/cgroup/box/cpu.max"] = v2
    if v1:
        files["/sys/fs/cgroup/cpu,cpuacct/box/cpu.cfs_quota_us"] = v1[0]
        files["/sys/fs/cgroup/cpu,cpuacct/box/cpu.cfs_period_us"] = v1[1]

    def fake_open(path, *args, **kwargs):
        if path not in files:
            raise FileNotFoundError(path)
        import io
        return io.StringIO(files[path])
    monkeypatch.setattr(threads, "open", fake_open, raising=False)
    assert threads._cgroup_cpu_quota() == expected


def test_a_large_optimizer_step_chooses_its_threads_and_a_small_one_does_not(default_threads, monkeypatch):
    from trainlab.optim import Adam

    monkeypatch.setitem(threads._state, "cores", 2)
    for hidden in ([300, 300], [10]):  # 181k and 3k parameters
        net = trainlab.MultiLayerNet(300, hidden, 4, seed=0)
        opt = Adam()
        x, t = np.random.default_rng(0).random((32, 300)).astype(np.float32), np.arange(32) % 4
        for _ in range(4):
            opt.update(net.params, net.gradient(x, t))
        size = net.params.flat.size
        if size >= threads.PARALLEL_MIN_ELEMENTS:
            assert list(opt._thread_choices) == [size] and opt._thread_choices[size].candidates == (2, 1)
        else:
            assert opt._thread_choices == {}
    with threads.using(2):  # a set count: no choice
        opt = Adam()
        net = trainlab.MultiLayerNet(300, [300, 300], 4, seed=0)
        opt.update(net.params, net.gradient(x, t))
        assert opt._thread_choices == {}
