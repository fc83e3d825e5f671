"""Reusable output buffers, so a training step allocates nothing after the first one."""
from __future__ import annotations

import numpy as np


class BufferCache:
    """Arrays by (name, shape), created on first request and returned again afterwards.

    A handful of shapes is kept per name (a training batch and the evaluation chunks); the oldest
    goes when a new one arrives. Results live in these buffers until the next call that writes
    them: copy what you need to keep (as with PyTorch's ``.grad``).
    """

    __slots__ = ("dtype", "_arrays")
    KEEP = 3

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)
        self._arrays: dict[str, dict[tuple, np.ndarray]] = {}

    def get(self, name: str, shape: tuple, dtype=None) -> np.ndarray:
        by_shape = self._arrays.setdefault(name, {})
        a = by_shape.get(shape)
        if a is None:
            if len(by_shape) >= self.KEEP:
                del by_shape[next(iter(by_shape))]
            a = np.empty(shape, dtype=self.dtype if dtype is None else dtype)
            by_shape[shape] = a
        return a
