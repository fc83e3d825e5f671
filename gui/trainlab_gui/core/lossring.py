"""The losses of a training run in shared memory: a ring of float64 that the training process
writes one loss per step into and the app reads from, with no copy through a pipe.

The writer owns the count of losses written and tells the reader through the pipe it sends its
other messages on ("the first N losses are there"): the pipe's write and read order the two
processes' memory, so the reader never sees a count before the values it covers. The reader
owns the count it has read, which it stores in the ring's header; the writer waits for it when
the ring is full, so no loss is overwritten before it was read.
"""
from __future__ import annotations

import time
from multiprocessing import shared_memory

import numpy as np

__all__ = ["LossRing"]

_HEADER_BYTES = 64  # the reader's count (int64), then padding to a cache line


class LossRing:
    """A ring of ``capacity`` float64 losses in a :class:`multiprocessing.shared_memory.SharedMemory`.

    Use :meth:`create` in the reading process (it owns the memory and unlinks it in
    :meth:`close`) and :meth:`attach` by :attr:`name` in the writing one.
    """

    def __init__(self, shm: shared_memory.SharedMemory, owner: bool):
        self._shm = shm
        self._owner = owner
        self.capacity = (shm.size - _HEADER_BYTES) // 8
        self._read = np.ndarray((1,), np.int64, shm.buf, 0)
        self._values = np.ndarray((self.capacity,), np.float64, shm.buf, _HEADER_BYTES)
        self.written = 0  # the writer's count

    @classmethod
    def create(cls, capacity: int = 1 << 18) -> "LossRing":
        shm = shared_memory.SharedMemory(create=True, size=_HEADER_BYTES + 8 * int(capacity))
        ring = cls(shm, owner=True)
        ring._read[0] = 0
        return ring

    @classmethod
    def attach(cls, name: str) -> "LossRing":
        return cls(shared_memory.SharedMemory(name=name), owner=False)

    @property
    def name(self) -> str:
        return self._shm.name

    @property
    def read_count(self) -> int:
        """Losses the reader has taken so far."""
        return int(self._read[0])

    # -- writer -----------------------------------------------------------------------------------
    def put(self, loss: float, give_up=None) -> bool:
        """Append one loss; when the ring is full, wait until the reader has taken some, or
        until ``give_up()`` is true (then the loss is dropped and False returned)."""
        while self.written - int(self._read[0]) >= self.capacity:
            if give_up is not None and give_up():
                return False
            time.sleep(0.002)
        self._values[self.written % self.capacity] = loss
        self.written += 1
        return True

    # -- reader -----------------------------------------------------------------------------------
    def take(self, upto: int) -> np.ndarray:
        """A copy of the losses from the last one taken up to ``upto`` (a count the writer sent)."""
        start = int(self._read[0])
        if upto <= start:
            return np.empty(0, np.float64)
        if upto - start > self.capacity:
            raise ValueError(f"the writer cannot be {upto - start} losses ahead of a ring of {self.capacity}")
        first, last = start % self.capacity, upto % self.capacity
        if first < last or last == 0:
            out = self._values[first:last or self.capacity].copy()
        else:
            out = np.concatenate([self._values[first:], self._values[:last]])
        self._read[0] = upto
        return out

    def close(self) -> None:
        """Let the memory go (the creating process also removes it)."""
        self._read = self._values = None
        self._shm.close()
        if self._owner:
            try:
                self._shm.unlink()
            except FileNotFoundError:
                pass
