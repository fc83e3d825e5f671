"""Qt-free numeric helpers for live curves: a growing buffer and causal smoothing.

Smoothing is causal (a new point never changes older smoothed values) and incremental: a frame
only filters the points that arrived since the last one, so a curve of 10^6 points costs no more
per frame than a short one.
"""
from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

__all__ = ["GrowingArray", "ema", "EmaSmoother", "moving_average", "MovingAverageSmoother"]


class GrowingArray:
    """Append-only float64 array with doubling capacity; ``view()`` is the filled part (no copy)."""

    def __init__(self, capacity: int = 1024):
        self._buf = np.empty(capacity, dtype=np.float64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        need = self._n + values.size
        if need > self._buf.size:
            bigger = np.empty(max(need, 2 * self._buf.size), dtype=np.float64)
            bigger[:self._n] = self._buf[:self._n]
            self._buf = bigger
        self._buf[self._n:need] = values
        self._n = need

    def view(self) -> np.ndarray:
        return self._buf[:self._n]


def ema(values, weight: float) -> np.ndarray:
    """TensorBoard's debiased exponential moving average (weight in [0, 1))."""
    values = np.asarray(values, dtype=np.float64)
    if weight <= 0 or values.size == 0:
        return values.copy()
    acc = lfilter([1.0 - weight], [1.0, -weight], values)
    return acc / (1.0 - weight ** np.arange(1, values.size + 1))


class EmaSmoother:
    """Incremental ``ema``: ``update(values)`` filters only the new tail of ``values``."""

    def __init__(self, weight: float = 0.6):
        self.weight = float(weight)
        self.reset()

    def reset(self) -> None:
        self.out = GrowingArray()
        self._acc = 0.0  # the un-debiased running value after the last filtered point

    def update(self, values: np.ndarray) -> np.ndarray:
        n_done = len(self.out)
        if values.size < n_done:  # the source was replaced: start again
            self.reset()
            n_done = 0
        new = values[n_done:]
        if new.size:
            w = self.weight
            if w <= 0:
                self.out.extend(new)
            else:
                acc, _ = lfilter([1.0 - w], [1.0, -w], new, zi=[w * self._acc])
                self._acc = float(acc[-1])
                k = np.arange(n_done + 1, n_done + new.size + 1)
                with np.errstate(under="ignore"):
                    self.out.extend(acc / (1.0 - w ** k))
        return self.out.view()


def moving_average(values, window: int) -> np.ndarray:
    """Trailing mean over the last ``window`` points (fewer at the start): causal and memory-less."""
    values = np.asarray(values, dtype=np.float64)
    if window <= 1 or values.size == 0:
        return values.copy()
    c = np.concatenate(([0.0], np.cumsum(values)))
    idx = np.arange(1, values.size + 1)
    lo = np.maximum(idx - window, 0)
    return (c[idx] - c[lo]) / (idx - lo)


class MovingAverageSmoother:
    """Incremental ``moving_average``: ``update(values)`` computes only the new tail (it needs
    the ``window`` points before it)."""

    def __init__(self, window: int = 50):
        self.window = int(window)
        self.reset()

    def reset(self) -> None:
        self.out = GrowingArray()

    def update(self, values: np.ndarray) -> np.ndarray:
        n_done = len(self.out)
        if values.size < n_done:
            self.reset()
            n_done = 0
        if values.size > n_done:
            start = max(0, n_done - self.window)
            self.out.extend(moving_average(values[start:], self.window)[n_done - start:])
        return self.out.view()
