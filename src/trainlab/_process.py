"""Child processes that end with their parent: a search's workers and the desktop app's training
processes. A parent killed outright (``kill -9``, a crash) cannot shut its children down, and a
child left waiting would otherwise live on with its memory. On Linux the child asks the kernel to
kill it when its parent dies (``prctl(PR_SET_PDEATHSIG)``; it must be started with 'spawn', so
that its parent is the process that made it); on every platform it also watches its parent's end
of the pipe that started it, from a thread, and exits when it closes."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading

__all__ = ["exit_with_parent"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def exit_with_parent() -> None:
    """Make this multiprocessing child end when the process that started it ends."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        try:  # the kernel kills us even while a kernel call holds the GIL
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    # Everywhere, and for a parent that died before prctl: the parent keeps its end of the
    # pipe that started us open while it lives; join() returns when the pipe closes.
    threading.Thread(target=_exit_after, args=(parent,), name="trainlab-parent-watch",
                     daemon=True).start()


def _exit_after(parent) -> None:
    parent.join()
    os._exit(1)  # no clean-up: a queue feeder thread would block on the dead parent's pipe
