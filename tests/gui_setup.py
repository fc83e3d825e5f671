"""What a GUI test module does first: offscreen Qt (before Qt is imported), a skip without
PySide6, pyqtgraph or pytest-qt, and the app importable from the source tree when it was not
installed. ``import gui_setup`` at the top of the module; ``gui_env()`` is the environment for
running the app as a subprocess; ``shown()`` puts a widget on the (offscreen) screen."""
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")
GUI_SRC = Path(__file__).resolve().parents[1] / "gui"
try:
    import trainlab_gui  # noqa: F401
except ImportError:  # not reinstalled since gui/ was added: use the source tree
    sys.path.insert(0, str(GUI_SRC))


def shown(qtbot, widget, size=None):
    """``widget`` registered with qtbot (which closes it after the test), resized to ``size``,
    shown and exposed."""
    qtbot.addWidget(widget)
    if size is not None:
        widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def gui_env() -> dict:
    """The environment of an app started as a subprocess: offscreen, the app importable."""
    return dict(os.environ, QT_QPA_PLATFORM="offscreen",
                PYTHONPATH=os.pathsep.join([str(GUI_SRC), os.environ.get("PYTHONPATH", "")]))
