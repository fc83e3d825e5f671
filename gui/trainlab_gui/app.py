"""Application set-up: the QApplication and the training threads."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication

__all__ = ["application", "training_threads"]


def training_threads(n: int | None = None) -> int:
    """Give training all cores but one (``n`` when given), in the training processes and in the
    app's own worker threads (experiments, search): the GUI thread keeps a core to stay
    responsive. Returns the number."""
    import trainlab

    from trainlab_gui.training import default_threads

    n = default_threads(n)
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
