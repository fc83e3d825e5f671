"""Atomic file replacement, and removal of the temporary files of writers that were killed.

:func:`replacing` writes to a hidden temporary file in the target's folder, flushes it to disk
and renames it over the target, so a reader sees the old file or the new one, never half of one.
A writer killed on the way (``kill -9``, power loss) cannot remove its temporary file; the next
writer with the same temporary-name pattern removes it. A temporary file still being written by
a live process (another trainer saving into the same folder) is never touched: on POSIX each
writer holds an exclusive ``flock`` on its file until the rename, and only files whose lock can
be taken are removed; on Windows a file open in another process cannot be deleted.
"""
from __future__ import annotations

import contextlib
import fnmatch
import glob
import os
import tempfile

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

__all__ = ["replacing", "remove_stale"]


def remove_stale(folder, prefix: str, suffix: str) -> None:
    """Delete the ``folder/<prefix>*<suffix>`` files no live writer holds."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in fnmatch.filter(names, f"{glob.escape(prefix)}*{glob.escape(suffix)}"):
        with contextlib.suppress(OSError):
            _remove_if_unlocked(os.path.join(folder, name))


def _remove_if_unlocked(path: str) -> None:
    """Unlink ``path`` unless a live writer holds it; OSError when it cannot."""
    if fcntl is None:
        os.unlink(path)  # refused while another process has it open
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # OSError: a live writer holds it
        if _same_file(path, fd):  # not renamed away and replaced meanwhile
            os.unlink(path)
    finally:
        os.close(fd)  # releases the lock


def _same_file(path: str, fd: int) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _locked_temp(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """A new temporary file, exclusively locked, that a concurrent cleaner has not removed."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        if fcntl is None:
            return fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        if _same_file(tmp, fd):
            return fd, tmp
        os.close(fd)  # a cleaner took it between mkstemp and flock: make another


@contextlib.contextmanager
def replacing(path, *, prefix: str, suffix: str):
    """Yield a binary file object; on a normal exit its content replaces ``path`` atomically.

    The file is flushed and fsync'ed before the rename. On any exception (KeyboardInterrupt
    included) the temporary file is removed and ``path`` is left as it was. Stale temporary
    files matching ``<prefix>*<suffix>`` in the same folder are removed first.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.
    prefix, suffix : str
        The temporary file's name pattern (it is created in ``path``'s folder).
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale(folder, prefix, suffix)
    fd, tmp = _locked_temp(folder, prefix, suffix)
    out = os.fdopen(fd, "wb")
    try:
        yield out
        out.flush()
        os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        if fcntl is None:
            out.close()  # Windows renames only closed files
        os.replace(tmp, path)  # on POSIX still locked: no cleaner can take it before the rename
    except BaseException:
        out.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    finally:
        out.close()
