"""One running study per store: an exclusive lock on ``<store>-study.lock`` while trials run.

Two studies running on one store would both run the trials it lacks, and the second to finish
a trial would find it stored already. The lock is an OS file lock (``flock`` on POSIX,
``msvcrt.locking`` on Windows) on a file next to the store: the operating system releases it
when the holder ends in any way, ``kill -9`` included, so a crashed study never blocks the
next one. The file holds who has the lock (pid, host, start time) for the refusal message; it
is left in place (removing a lock file races with the next process opening it). Readers, such
as the desktop app's live view, never take the lock.
"""
from __future__ import annotations

import json
import os
import socket
import time

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

__all__ = ["StoreInUseError", "StudyLock"]


class StoreInUseError(RuntimeError):
    """Another search is running on this store (in this or another process)."""


class StudyLock:
    """Hold the study lock of the store at ``store_path`` (``with StudyLock(path):``).

    Parameters
    ----------
    store_path : str or os.PathLike
        The SQLite store; the lock file is ``<store_path>-study.lock``.

    Raises
    ------
    StoreInUseError
        On entering, when another study holds the lock; the message says which process.
    """

    def __init__(self, store_path):
        self.store_path = os.fspath(store_path)
        self.path = self.store_path + "-study.lock"
        self._fd = None

    def __enter__(self):
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            holder = _read_holder(fd)
            os.close(fd)
            raise StoreInUseError(f"{self.store_path} is in use by another search ({holder}); wait for "
                                  "it to end, or give this search another store file") from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                 "since": time.time()}).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc):
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # releases the lock


def _lock(fd) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # the first byte, at the file's start


def _read_holder(fd) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0))  # no pread on Windows: holder unknown
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info["since"]))
        return f"pid {info['pid']} on {info['host']}, since {since}"
    except (AttributeError, OSError, ValueError, KeyError, TypeError):
        return "holder unknown"
