"""Workers that run in a QThread of the app (the experiments and the search) and send what they
produce by signal. The GUI side connects the signals to ``@Slot`` methods of GUI-thread QObjects
only (a lambda would run in the sender's thread under PySide6)."""
from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QThread, Signal, Slot

__all__ = ["ExperimentWorker", "SearchWorker", "start_worker"]

# The words of an experiment's progress (its other keys are names: an optimizer's loss, a
# hyperparameter's value); a trial's state is one of the search's states.
_PROGRESS_WORDS = (QT_TRANSLATE_NOOP("ExperimentWorker", "phase"),
                   QT_TRANSLATE_NOOP("ExperimentWorker", "trial"),
                   QT_TRANSLATE_NOOP("ExperimentWorker", "state"),
                   QT_TRANSLATE_NOOP("ExperimentWorker", "val_acc"),
                   QT_TRANSLATE_NOOP("ExperimentWorker", "complete"),
                   QT_TRANSLATE_NOOP("ExperimentWorker", "pruned"),
                   QT_TRANSLATE_NOOP("ExperimentWorker", "diverged"),
                   QT_TRANSLATE_NOOP("ExperimentWorker", "failed"))


def start_worker(worker: QObject, parent: QObject | None = None) -> QThread:
    """Move ``worker`` to a new QThread and start it; the thread quits when the worker finishes."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # direct: quit() runs in the worker thread as it finishes (thread-safe), so a GUI-side
    # thread.wait() in the finished slot cannot wait for a quit queued behind itself
    worker.finished.connect(thread.quit, Qt.DirectConnection)
    thread.start()
    return thread


class ExperimentWorker(QObject):
    """Runs one ``trainlab.experiments`` entry. Its ``on_update`` calls are batched and sent at
    most ``rate_hz`` times a second as {series: (x array, y array, whole)}: a point (x and y
    numbers) is appended to the series, arrays (a histogram's bin centres and counts) are the
    whole series anew (``whole`` True)."""
    updated = Signal(object)           # {series: (x, y, whole)}
    progressed = Signal(int, int, str)  # done, total, info text
    finished = Signal(object)          # {'result': ExperimentResult | None, 'error': str | None}

    def __init__(self, name: str, params: dict, data=None, *, rate_hz: float = 30.0):
        super().__init__()
        self.name, self.params, self._data = name, params, data
        self._min_gap = 1.0 / rate_hz
        self._stop = threading.Event()
        self._points: dict = {}   # series -> ([x], [y]) appended since the last batch
        self._whole: dict = {}    # series -> (x array, y array) replacing it
        self._progress = None
        self._last_emit = -1e9

    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        from trainlab.experiments import run_experiment

        out = {"result": None, "error": None}
        try:
            out["result"] = run_experiment(self.name, self._data, **self.params,
                                           progress=self._on_progress,
                                           should_stop=self._stop.is_set, on_update=self._on_update)
        except Exception as exc:  # noqa: BLE001 - shown in the view, never raised in this thread
            out["error"] = f"{type(exc).__name__}: {exc}"
        self._flush()
        self.finished.emit(out)

    def _on_update(self, series, x, y) -> None:
        if np.ndim(x) or np.ndim(y):  # the whole series: copied, the sender may reuse its arrays
            self._points.pop(series, None)
            self._whole[series] = (np.array(x, dtype=np.float64), np.array(y, dtype=np.float64))
        elif series in self._whole:  # a point after the series was sent whole in this batch
            wx, wy = self._whole[series]
            self._whole[series] = (np.append(wx, np.nan if x is None else float(x)),
                                   np.append(wy, np.nan if y is None else float(y)))
        else:
            xs, ys = self._points.setdefault(series, ([], []))
            xs.append(np.nan if x is None else float(x))
            ys.append(np.nan if y is None else float(y))
        self._maybe_flush()

    def _on_progress(self, done, total, info) -> None:
        def word(text):
            return QCoreApplication.translate("ExperimentWorker", text)

        text = ", ".join(f"{word(k)} {v:.4g}" if isinstance(v, float) else
                         f"{word(k)} {word(v) if isinstance(v, str) else v}" for k, v in info.items())
        self._progress = (int(done), int(total), text)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if time.perf_counter() - self._last_emit >= self._min_gap:
            self._flush()

    def _flush(self) -> None:
        self._last_emit = time.perf_counter()
        if self._points or self._whole:
            batch = {k: (x, y, True) for k, (x, y) in self._whole.items()}
            batch.update({k: (np.array(x), np.array(y), False) for k, (x, y) in self._points.items()})
            self._points, self._whole = {}, {}
            self.updated.emit(batch)
        if self._progress is not None:
            self.progressed.emit(*self._progress)
            self._progress = None


class SearchWorker(QObject):
    """Runs ``trainlab.search.run_search`` into a SQLite store. The search view reads the trials
    from the store itself (it is written as each trial ends), so this only reports the end."""
    finished = Signal(object)  # {'summary': str | None, 'error': str | None}

    def __init__(self, store_path: str, data, **kwargs):
        super().__init__()
        self.store_path, self._data, self.kwargs = store_path, data, kwargs
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        from trainlab.search import run_search

        out = {"summary": None, "error": None}
        try:
            (x_train, t_train), _ = self._data
            result = run_search(self.store_path, x_train, t_train, should_stop=self._stop.is_set,
                                **self.kwargs)
            out["summary"] = result.summary()
        except Exception as exc:  # noqa: BLE001 - shown in the view
            out["error"] = f"{type(exc).__name__}: {exc}"
        self.finished.emit(out)
