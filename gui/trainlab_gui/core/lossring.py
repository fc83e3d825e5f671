"""The losses of a training run in shared memory: a ring of float64 that the training process
writes one loss per step into and the app reads whenever it likes, without a message, a copy
through a pipe or a wake-up of either process.

The header holds the count of losses written (the writer's), the count read (the reader's), and
the run's training and CPU seconds so far. The writer stores a loss, then a memory fence, then
the new count; the reader loads the count, a fence, then the losses it covers, so it never reads
a slot before its loss is there. The fence is two cycles of an uncontended lock: everything before
the first release happens before it, the release before the second acquire, and that acquire
before everything after it, on weakly ordered processors (ARM) as on x86. The writer waits when
the ring is full, so no loss is overwritten before it was read.
"""
from __future__ import annotations

import threading
import time
from multiprocessing import shared_memory

import numpy as np

__all__ = ["LossRing"]

_HEADER_BYTES = 64  # written (int64), read (int64), train and CPU seconds (float64); a cache line
_fence_lock = threading.Lock()


def _fence() -> None:
    for _ in range(2):
        _fence_lock.acquire()
        _fence_lock.release()


class LossRing:
    """A ring of ``capacity`` float64 losses in a :class:`multiprocessing.shared_memory.SharedMemory`.

    Use :meth:`create` in the reading process (it owns the memory and unlinks it in
    :meth:`close`) and :meth:`attach` by :attr:`name` in the writing one.
    """

    def __init__(self, shm: shared_memory.SharedMemory, owner: bool):
        self._shm = shm
        self._owner = owner
        self.capacity = (shm.size - _HEADER_BYTES) // 8
        self._counts = np.ndarray((2,), np.int64, shm.buf, 0)      # written, read
        self._seconds = np.ndarray((2,), np.float64, shm.buf, 16)  # train, CPU
        self._values = np.ndarray((self.capacity,), np.float64, shm.buf, _HEADER_BYTES)
        self.written = int(self._counts[0])  # the writer's own count

    @classmethod
    def create(cls, capacity: int = 1 << 18) -> "LossRing":
        shm = shared_memory.SharedMemory(create=True, size=_HEADER_BYTES + 8 * int(capacity))
        np.ndarray((_HEADER_BYTES,), np.uint8, shm.buf)[:] = 0
        return cls(shm, owner=True)

    @classmethod
    def attach(cls, name: str) -> "LossRing":
        return cls(shared_memory.SharedMemory(name=name), owner=False)

    @property
    def name(self) -> str:
        return self._shm.name

    @property
    def read_count(self) -> int:
        """Losses the reader has taken so far."""
        return int(self._counts[1])

    @property
    def seconds(self) -> tuple[float, float]:
        """(training seconds, the training thread's CPU seconds) the writer last stored."""
        return float(self._seconds[0]), float(self._seconds[1])

    # -- writer -----------------------------------------------------------------------------------
    def put(self, loss: float, give_up=None) -> bool:
        """Append one loss; when the ring is full, wait until the reader has taken some, or
        until ``give_up()`` is true (then the loss is dropped and False returned)."""
        while self.written - int(self._counts[1]) >= self.capacity:
            if give_up is not None and give_up():
                return False
            time.sleep(0.002)
        self._values[self.written % self.capacity] = loss
        self.written += 1
        _fence()
        self._counts[0] = self.written
        return True

    def set_seconds(self, train: float, cpu: float) -> None:
        self._seconds[0], self._seconds[1] = train, cpu

    # -- reader -----------------------------------------------------------------------------------
    def take(self) -> np.ndarray:
        """A copy of the losses written since the last call."""
        upto = int(self._counts[0])
        _fence()
        start = int(self._counts[1])
        if upto <= start:
            return np.empty(0, np.float64)
        first, last = start % self.capacity, upto % self.capacity
        if first < last or last == 0:
            out = self._values[first:last or self.capacity].copy()
        else:
            out = np.concatenate([self._values[first:], self._values[:last]])
        self._counts[1] = upto
        return out

    def close(self) -> None:
        """Let the memory go (the creating process also removes it)."""
        self._counts = self._seconds = self._values = None
        self._shm.close()
        if self._owner:
            try:
                self._shm.unlink()
            except FileNotFoundError:
                pass
