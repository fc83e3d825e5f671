"""How many threads a network's pass runs on by default: chosen from what its calls take.

Two threads that wait for each other at every barrier are slower than one when another process
keeps a core busy, or when the threads fall asleep between calls that Python work separates;
on a quiet machine in a tight loop they are faster. Which holds depends on the machine's load
now, the network and the batch size, so each bound network (one batch size) times its passes
at each candidate thread count, keeps the fastest and measures the others again from time to
time. The rows are cut into the same parts for every candidate (trainlab._ext._net), so the
choice never changes a result.
"""
from __future__ import annotations

from collections import deque
from time import perf_counter

from trainlab.threads import chosen_at_run_time, pass_threads, threads_for


def _median(values) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else 0.5 * (ordered[mid - 1] + ordered[mid])


class ThreadChoice:
    """The thread count of one kind of pass: ``pick()`` before a call, ``record(seconds)`` after.

    A check measures candidates in rounds, one call of each per round, and drops those whose
    median is ``GIVE_UP`` times the best one's (on a busy machine a call on two threads may take
    a scheduler slice: one such call is enough); it ends when every candidate left has
    ``FIRST_SAMPLES`` calls (the first check, which measures all of them after one call left out
    for one-time costs) or ``CHECK_SAMPLES`` (later checks, which measure the others against the
    incumbent's recent calls), or when one is left. A challenger takes over when its median is
    below ``MARGIN`` times the incumbent's. The incumbent runs for ``interval`` seconds of passes
    between checks, doubling up to ``MAX_INTERVAL`` while the choice holds; when its recent median
    drifts ``DRIFT`` times above what it was when chosen (the machine got busier), the others are
    measured at once.

    Parameters
    ----------
    candidates : sequence of int
        Thread counts, the default first (used until measurements say otherwise).
    """

    FIRST_SAMPLES = 3
    CHECK_SAMPLES = 2
    RECENT = 5
    GIVE_UP = 1.5
    MARGIN = 0.97
    DRIFT = 1.4
    FIRST_INTERVAL = 0.1
    MAX_INTERVAL = 2.0

    def __init__(self, candidates):
        self.candidates = tuple(dict.fromkeys(int(c) for c in candidates))
        if not self.candidates or min(self.candidates) < 1:
            raise ValueError(f"candidates must be positive thread counts, got {candidates!r}")
        self.current = self.candidates[0]
        self.reference = None            # the incumbent's median when it was (last) chosen
        self.recent = deque(maxlen=self.RECENT)
        self.interval = self.FIRST_INTERVAL
        self.since = 0.0                 # seconds the incumbent has run since the last check
        self.warm = False
        self.checks = 0                  # checks finished (for tests and diagnostics)
        self._active: list[int] = []     # candidates still measured in this check
        self._samples: dict[int, list[float]] = {}
        self._turn = 0
        self._needed = self.FIRST_SAMPLES
        if len(self.candidates) > 1:
            self._start_check(list(self.candidates), self.FIRST_SAMPLES)

    def pick(self) -> int:
        """The thread count for the next call."""
        return self._active[self._turn] if self._active else self.current

    def record(self, seconds: float) -> None:
        """What the call made with ``pick()``'s count took."""
        if not self.warm:
            self.warm = True
            return
        if self._active:
            self._measure(seconds)
            return
        self.recent.append(seconds)
        self.since += seconds
        if len(self.candidates) < 2:
            return
        if self.since >= self.interval:
            self._start_check([c for c in self.candidates if c != self.current], self.CHECK_SAMPLES)
        elif (len(self.recent) == self.RECENT and self.since >= 10 * self.reference
              and _median(self.recent) > self.DRIFT * self.reference):
            self.interval = self.FIRST_INTERVAL
            self._start_check([c for c in self.candidates if c != self.current], self.CHECK_SAMPLES)

    def _start_check(self, active, needed) -> None:
        self._active, self._needed, self._turn = active, needed, 0
        self._samples = {c: [] for c in active}

    def _times(self) -> dict:
        """Median per candidate measured in this check, and the incumbent's from its recent calls."""
        times = {c: _median(v) for c, v in self._samples.items() if v}
        if self.current not in self._active and self.recent:
            times[self.current] = _median(self.recent)
        return times

    def _measure(self, seconds: float) -> None:
        self._samples[self._active[self._turn]].append(seconds)
        self._turn += 1
        if self._turn < len(self._active):
            return
        self._turn = 0  # a round is done: drop the clearly slower ones
        times = self._times()
        best = min(times.values())
        self._active = [c for c in self._active if times[c] <= self.GIVE_UP * best]
        contenders = len(self._active) + (self.current not in self._active and bool(self.recent))
        if contenders <= 1 or all(len(self._samples[c]) >= self._needed for c in self._active):
            self._decide(times)

    def _decide(self, times) -> None:
        self._active = []
        best = min(times, key=times.get)
        if best != self.current and times[best] < self.MARGIN * times[self.current]:
            self.current = best
            self.recent.clear()
            self.recent.extend(self._samples[best])
            self.interval = self.FIRST_INTERVAL
        elif self.reference is not None:
            self.interval = min(2 * self.interval, self.MAX_INTERVAL)
        if not self.recent:  # the first check kept the default
            self.recent.extend(self._samples[self.current])
        self.reference = times[self.current]
        self.since = 0.0
        self.checks += 1


def candidates(limit: int) -> tuple[int, ...]:
    """The thread counts a pass chooses from: ``limit``, then halvings down to 1."""
    out = [limit]
    while out[-1] > 1:
        out.append(out[-1] // 2)
    return tuple(out)


def run_pass(bound, kind: str, call, *args):
    """``call(*args, n_threads, parts)`` for one of ``bound``'s passes (``kind``: which of its
    choices times it): the rows cut into as many parts as the thread setting allows (see
    trainlab.threads.pass_threads), the threads fixed by the setting or chosen by the bound
    network's ThreadChoice for that kind."""
    limit, chosen = pass_threads()
    parts = min(limit, bound.max_parts)
    if not chosen or parts == 1:
        return call(*args, parts, parts)
    return _timed(bound.choices, (kind, parts), parts, lambda n: call(*args, n, parts))


def run_elementwise(choices: dict, size: int, call, *args):
    """``call(*args, n_threads)`` for an element-wise pass over ``size`` elements (an optimizer
    step): threads_for(size), or by default the count found faster for that size, kept in the
    caller's dict ``choices``. Element-wise kernels give the same bits on any thread count."""
    limit = threads_for(size)
    if limit == 1 or not chosen_at_run_time():
        return call(*args, limit)
    return _timed(choices, size, limit, lambda n: call(*args, n))


def _timed(choices: dict, key, limit: int, call):
    """``call(n_threads)`` with the count that ``choices[key]`` (a ThreadChoice among
    ``candidates(limit)``, made on first use) picks, timed for that choice."""
    choice = choices.get(key)
    if choice is None:
        choice = choices[key] = ThreadChoice(candidates(limit))
    n_threads = choice.pick()
    start = perf_counter()
    out = call(n_threads)
    choice.record(perf_counter() - start)
    return out
