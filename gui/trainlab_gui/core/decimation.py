"""Qt-free min/max ('peak') decimation of a growing curve, for drawing 10^6+ points live.

pyqtgraph's own downsampling still receives the whole array on every ``setData`` and computes
its bounds (min/max over every point, 10 ms per curve at 10^6 points), so a live view that
redraws several growing curves at 30 Hz would spend its frame budget there. ``PeakPyramid``
keeps the min and max of buckets of 2, 4, 8, … points, extended only by the points that
arrived since the last frame; ``envelope`` then returns at most ~2·``max_buckets`` points for
any visible range, from the level whose buckets fit it, so a frame costs the same for 10^3 and
10^7 points and zooming in shows full detail.
"""
from __future__ import annotations

import numpy as np

from trainlab_gui.core.smoothing import GrowingArray

__all__ = ["PeakPyramid"]


class PeakPyramid:
    """Incremental min/max pyramid over a growing 1-D float array (see the module docstring).
    Level k holds the minimum and maximum of every complete bucket of 2^(k+1) points."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self._n = 0
        self._levels: list[tuple[GrowingArray, GrowingArray]] = []

    def __len__(self) -> int:
        return self._n

    def update(self, values: np.ndarray) -> None:
        """Take in the points of ``values`` (the whole curve so far) not seen yet."""
        values = np.asarray(values, dtype=np.float64)
        if values.size < self._n:  # the source was replaced: start again
            self.reset()
        self._n = values.size
        below_min = below_max = values  # level -1 is the raw curve
        level = 0
        while below_min.size >= 2:
            if level == len(self._levels):
                self._levels.append((GrowingArray(), GrowingArray()))
            mins, maxs = self._levels[level]
            a, b = 2 * len(mins), 2 * (below_min.size // 2)  # the new complete pairs below
            if b > a:
                mins.extend(np.fmin(below_min[a:b:2], below_min[a + 1:b:2]))
                maxs.extend(np.fmax(below_max[a:b:2], below_max[a + 1:b:2]))
            below_min, below_max = mins.view(), maxs.view()
            level += 1

    def envelope(self, values: np.ndarray, lo: int, hi: int, max_buckets: int, *, log_x: bool = False):
        """(x, y) to draw ``values[lo:hi]`` with at most about 2·``max_buckets`` points.

        x is the 1-based step. A bucket's minimum and maximum are both drawn at its first step,
        so every spike stays visible (NaN points are skipped within a bucket); a partial bucket
        at either end becomes one min/max pair spanning its steps. With ``log_x`` the budget is spread over the
        range's doublings, as a log axis shows them. ``values`` must be the array last passed
        to :meth:`update`.
        """
        lo, hi = max(0, int(lo)), min(self._n, int(hi))
        if not log_x or hi - lo <= 2 * max_buckets:
            return self._linear(values, lo, hi, max_buckets)
        doublings = max(1, int(np.ceil(np.log2(hi / max(lo, 1)))))
        edges = np.unique(np.geomspace(max(lo, 1), hi, doublings + 1).astype(np.int64))
        edges[0] = lo
        parts = [self._linear(values, a, b, max(16, max_buckets // doublings))
                 for a, b in zip(edges[:-1], edges[1:])]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _linear(self, values, lo, hi, max_buckets):
        span = hi - lo
        if span <= 2 * max_buckets or not self._levels:
            return np.arange(lo + 1, hi + 1, dtype=np.float64), values[lo:hi]
        level = 0
        while level + 1 < len(self._levels) and span > max_buckets * (2 << level):
            level += 1
        size = 2 << level
        mins, maxs = (a.view() for a in self._levels[level])
        first, last = -(-lo // size), min(hi // size, mins.size)  # whole buckets inside [lo, hi)
        x = np.repeat(np.arange(first, last, dtype=np.float64) * size + 1, 2)
        y = np.empty(x.size)
        y[0::2], y[1::2] = mins[first:last], maxs[first:last]
        head, tail = first * size, max(last * size, first * size)
        # the partial buckets at both ends become one min/max pair each, spanning their steps
        ends = [(lo, head), (tail, hi)]
        xs = [np.array([a + 1, b], dtype=np.float64) if b > a else np.empty(0) for a, b in ends]
        ys = [np.array([np.fmin.reduce(values[a:b]), np.fmax.reduce(values[a:b])]) if b > a
              else np.empty(0) for a, b in ends]
        x = np.concatenate((xs[0], x, xs[1]))
        y = np.concatenate((ys[0], y, ys[1]))
        return x, y
