"""Application set-up: the QApplication and the training threads."""
from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication

__all__ = ["application", "training_threads"]


def training_threads(n: int | None = None) -> int:
    """Give training all cores but one (``n`` when given): BLAS threads that compete with the GUI
    thread for the last core make both slower (measured: 2 BLAS threads on 2 busy cores ran 15x
    slower than 1), and the GUI thread must keep a core to stay responsive."""
    import trainlab

    n = n if n is not None else max(1, (os.cpu_count() or 2) - 1)
    trainlab.set_num_threads(n)
    return n


def application(argv=None) -> QApplication:
    """The process's QApplication, created with ``argv`` if there is none yet.

    Parameters
    ----------
    argv : list of str, optional
        Arguments for a new QApplication (default ``['trainlab-gui']``).
    """
    app = QApplication.instance()
    return app if app is not None else QApplication(list(argv or ["trainlab-gui"]))
