"""Training curves that redraw in place in a Jupyter notebook while a Trainer or an experiment runs.

>>> from trainlab.notebook import LivePlot
>>> live = LivePlot("Adam on the sample")                      # doctest: +SKIP
>>> live.attach(trainer); trainer.train()                      # doctest: +SKIP
>>> result = run_experiment("compare_optimizers", data, **LivePlot().hooks())  # doctest: +SKIP

One figure, two panels: the loss per step (each step faint, a moving average solid; long runs are
averaged down to ``max_points`` per curve) and the accuracy per epoch on its own axis, one colour
per model. Why a PNG replaced through a display id: ``display(..., display_id=True)`` and
``update_display`` work the same in JupyterLab, classic Notebook, VS Code and nbclient, with no
widget extension and no matplotlib backend (the figure is made without pyplot, so the notebook's
backend is never switched). Redraws are throttled (``interval``, and never more than a quarter of
the time goes to drawing); the last points are drawn when training ends, when the cell finishes
or on :meth:`LivePlot.finish`. Where there is no live display (plain Python, a terminal IPython)
nothing is drawn while training runs: :meth:`LivePlot.finish` returns the final figure and writes
it to ``path`` if one was given. Outside a kernel IPython and matplotlib are imported on first
use only; in a kernel, importing this module also makes figures made without pyplot display as a
cell's result, as ``%matplotlib inline`` does for pyplot's.
"""
from __future__ import annotations

import base64
import fnmatch
import numbers
import threading
import time
import warnings

import numpy as np

from trainlab.experiments._common import integer
from trainlab.experiments.base import ProgressBar
from trainlab.experiments.display import enable_figure_display, figure_png, kernel_shell

__all__ = ["LivePlot"]

# trainlab's figures (LivePlot.finish(), result.plot(), the explain figures) are made without
# pyplot; in a kernel they display like pyplot's once this module is imported
try:
    enable_figure_display()
except ImportError:  # no matplotlib: no figure to display
    pass

DRAW_SHARE = 0.25  # at most this fraction of the wall time goes to redrawing
PROGRESS_SECONDS = 0.1  # between two progress-bar updates from a Trainer


class _Curve:
    """The points of one series and where they are drawn."""

    def __init__(self, model: str, kind: str, subset: str):
        self.model, self.kind, self.subset = model, kind, subset
        self.x: list = []
        self.y: list = []


def _patterns(name: str, value) -> tuple:
    values = (value,) if isinstance(value, str) else \
        tuple(value) if isinstance(value, (list, tuple)) else None
    if values is None or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{name} must be a glob pattern or a list of them, got {value!r}")
    return values


class LivePlot:
    """A figure of training curves that updates in place while training runs.

    Use it with a :class:`~trainlab.Trainer` (:meth:`attach`) or as the hooks of an experiment
    (``run_experiment(name, data, **live.hooks())``); one LivePlot per figure.

    Parameters
    ----------
    title : str
        Shown above the figure and on the progress bar.
    interval : float
        Least seconds between two redraws (a redraw is also held back while drawing would take
        more than a quarter of the time).
    max_points : int
        Most points drawn per loss curve; longer curves are averaged over consecutive steps.
    series : str or list of str, optional
        Glob patterns of the series to draw (e.g. ``'*/train_acc'``); None draws all.
    accuracy : str or list of str
        Glob patterns of the series drawn on the accuracy axis; all others are losses.
    progress : bool
        Show a progress bar (a widget in a notebook, text on stderr elsewhere).
    path : str or path-like, optional
        Write the final figure to this PNG file in :meth:`finish`.
    figsize : tuple of float
        Width and height in inches of one panel.

    Attributes
    ----------
    live : bool
        Whether it redraws while training runs (inside a Jupyter kernel).
    redraws : int
        Frames shown so far.

    Raises
    ------
    ValueError
        A bad setting, named.
    """

    def __init__(self, title: str = "", *, interval: float = 0.5, max_points: int = 400,
                 series=None, accuracy=("*acc", "*accuracy"), progress: bool = True, path=None,
                 figsize=(4.6, 3.4)):
        if isinstance(interval, bool) or not isinstance(interval, numbers.Real) or not interval > 0:
            raise ValueError(f"interval must be a number of seconds > 0, got {interval!r}")
        max_points = integer("max_points", max_points, minimum=10)
        try:
            width, height = (float(v) for v in figsize)
        except (TypeError, ValueError):
            raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}") from None
        self.title, self.interval, self.max_points = str(title), float(interval), int(max_points)
        self.series = None if series is None else _patterns("series", series)
        self.accuracy = _patterns("accuracy", accuracy)
        self.path, self.figsize = path, (width, height)
        self.live = kernel_shell() is not None
        self.redraws = 0
        self.status = ""
        self._bar = ProgressBar(self.title or "training") if progress else None
        self._curves: dict[str, _Curve] = {}
        self._points = self._drawn_points = 0
        self._next_draw = 0.0
        self._handle = None
        self._flush_pending = False
        self._trainers: list = []
        self._last_progress = -float("inf")
        self._lock = threading.RLock()

    # -- feeding it ------------------------------------------------------------------------------
    def update(self, series: str, x, y) -> None:
        """Add point ``(x, y)`` to ``series`` and redraw if one is due: the ``on_update(series, x,
        y)`` hook of an experiment. A name matching ``accuracy`` goes on the accuracy axis
        (``label/train_acc`` draws model ``label``'s training accuracy); ``label/loss`` or any
        other name is a loss curve.

        Raises
        ------
        ValueError
            ``x`` or ``y`` is not one number (a histogram or a path is no curve to draw live:
            draw the finished result with ``result.plot()``).
        """
        self._add(series, x, y)
        self._maybe_draw()

    def progress(self, done: int, total: int, info: dict | None = None) -> None:
        """The ``progress(done, total, info)`` hook of an experiment: the progress bar and the
        figure's status line."""
        self.status = f"{done} of {total}"
        if self._bar is not None:
            self._bar(done, total, info)

    def hooks(self) -> dict:
        """``{'on_update': self.update, 'progress': self.progress}``, to pass to
        ``run_experiment(name, data, **live.hooks())``."""
        return {"on_update": self.update, "progress": self.progress}

    def attach(self, trainer, label: str | None = None):
        """Draw ``trainer``'s loss after every step and its accuracies after every evaluation
        (its 'iteration', 'epoch' and 'end' callbacks); returns ``trainer``. ``label`` names its
        curves (to compare several trainers in one figure); a trainer of several models draws
        each under its own label.

        Raises
        ------
        ValueError
            This trainer is already attached.
        """
        if any(t is trainer for t in self._trainers):
            raise ValueError("this trainer is already attached to this LivePlot")
        if getattr(trainer, "verbose", False):
            warnings.warn("the trainer prints a line per step (verbose=True); pass verbose=False "
                          "to keep the notebook's output short", stacklevel=2)
        self._trainers.append(trainer)
        several = len(trainer.models) > 1

        def name(model):
            if label is None:
                return model
            return f"{label} {model}" if several else str(label)

        def on_iteration(tr, info):
            for model, loss in info["losses"].items():
                self._add(f"{name(model)}/loss", info["iteration"], loss)
            now = time.perf_counter()
            done = info["iteration"] + 1
            if now - self._last_progress >= PROGRESS_SECONDS or done >= tr.max_iter:
                self._last_progress = now
                self.progress(done, tr.max_iter, {
                    name(m): v for m, v in info["losses"].items()} if several else
                    {"loss": info.get("loss")})
            self._maybe_draw()

        def on_epoch(tr, info):
            for model, accs in info["accuracies"].items():
                for subset, value in accs.items():
                    if value is not None:
                        self._add(f"{name(model)}/{subset}_acc", info["epoch"], value)
            self._maybe_draw()

        def on_end(tr, info):
            if info.get("stop_reason"):
                self.status = f"stopped: {info['stop_reason']}"
            self.finish()

        trainer.add_callback("iteration", on_iteration)
        trainer.add_callback("epoch", on_epoch)
        trainer.add_callback("end", on_end)
        return trainer

    def _add(self, series, x, y) -> None:
        if self.series is not None and not any(fnmatch.fnmatchcase(series, p) for p in self.series):
            return
        try:
            x = float(x)
            y = np.nan if y is None else float(y)
        except (TypeError, ValueError):
            raise ValueError(f"LivePlot draws curves one number at a time; series {series!r} sent "
                             f"x={_short(x)}, y={_short(y)} (draw the finished result with "
                             "result.plot())") from None
        with self._lock:
            if not self._points:  # the first frame waits an interval: more than one point, and
                self._next_draw = time.perf_counter() + self.interval  # the progress bar above it
            curve = self._curves.get(series)
            if curve is None:
                curve = self._curves[series] = self._classify(series)
            curve.x.append(x)
            curve.y.append(y)
            self._points += 1

    def _classify(self, name: str) -> _Curve:
        head, _, last = name.rpartition("/")
        if any(fnmatch.fnmatchcase(name, p) for p in self.accuracy):
            if head and last.endswith("_acc"):
                return _Curve(head, "accuracy", last[:-len("_acc")])
            return _Curve(name, "accuracy", "")
        return _Curve(head if head and last == "loss" else name, "loss", "")

    # -- drawing ---------------------------------------------------------------------------------
    def _maybe_draw(self) -> None:
        if not self.live or time.perf_counter() < self._next_draw:
            return
        self._draw()

    def _draw(self) -> None:
        with self._lock:
            if self._points == self._drawn_points:
                return
            start = time.perf_counter()
            png = self._png()
            if png is None:
                return
            self._show(png)
            spent = time.perf_counter() - start
            self._next_draw = time.perf_counter() + max(self.interval, spent / DRAW_SHARE)

    def _png(self) -> bytes | None:
        fig = self.figure()
        if fig is None:
            return None
        png = figure_png(fig)
        self._drawn_points = self._points
        return png

    def _show(self, png: bytes) -> None:
        from IPython.display import display

        self.redraws += 1
        bundle = {"image/png": base64.b64encode(png).decode("ascii"),
                  "text/plain": f"<training curves: {self._points} points>"}
        metadata = {"trainlab": {"points": self._points, "redraws": self.redraws}}
        if self._handle is None:
            self._handle = display(bundle, raw=True, metadata=metadata, display_id=True)
        else:
            self._handle.update(bundle, raw=True, metadata=metadata)
        self._flush_after_cell()

    def _flush_after_cell(self) -> None:
        """Draw the last points when the notebook cell ends, even if nothing calls finish()."""
        if self._flush_pending:
            return
        shell = kernel_shell()

        def flush(*_):
            shell.events.unregister("post_run_cell", flush)
            self._flush_pending = False
            self._draw()
        shell.events.register("post_run_cell", flush)
        self._flush_pending = True

    def finish(self):
        """Draw the last points (the live display's final frame), close the progress bar, and
        write the figure to ``path`` if one was given. Returns the figure (None before the first
        point). More points later continue the same figure."""
        if self._bar is not None:
            self._bar.close()
        if self.live:
            self._draw()
        fig = self.figure()
        if fig is not None and self.path is not None:
            fig.savefig(self.path, dpi=100)
        return fig

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.finish()

    def figure(self):
        """A new ``matplotlib.figure.Figure`` of the curves so far (None before the first point):
        the loss panel and, once there are accuracies, the accuracy panel beside it."""
        from trainlab.notebook._figure import draw_curves

        with self._lock:
            curves = {n: c for n, c in self._curves.items() if c.x}
            if not curves:
                return None
            title = " · ".join(t for t in (self.title, self.status) if t)
            return draw_curves(curves, title, self.max_points, self.figsize)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
