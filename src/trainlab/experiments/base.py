"""What every chapter-6 experiment shares: its result object, its hooks and the registry.

Conventions an experiment module follows (``compare_weight_init.py`` is a short example):

* One public function ``NAME(data=None, *, <its parameters with defaults>, dtype='float32',
  seed=0, progress=None, should_stop=None, on_update=None) -> ExperimentResult``.
  ``data`` is ``((x_train, t_train), (x_test, t_test))``; ``None`` loads the default dataset
  (experiments that need no data ignore it). Bad parameters raise ``ValueError`` naming them.
* Hooks (all optional, called in the experiment's own thread, wrapped by :class:`Hooks`):

  - ``progress(done, total, info)``: ``done`` of ``total`` units of work (iterations, epochs…),
    ``info`` a small dict (e.g. ``{'phase': 'He', 'loss': 0.31}``).
  - ``should_stop() -> bool``: polled between units; when true the experiment returns early with
    the data it has and ``result.stopped = True``.
  - ``on_update(series, x, y)``: a new point of the named series as it is computed (live plots);
    the same names as ``result.series``.

* It registers itself: ``register(NAME, run, description, needs_data=...)``. Its parameters and
  their defaults are read from the signature, so the CLI and the desktop app list and parse them
  without a second copy; ``param_help`` gives each a one-line help text.
"""
from __future__ import annotations

import csv
import inspect
import json
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

__all__ = ["Series", "ExperimentResult", "Hooks", "ProgressBar", "ExperimentSpec", "EXPERIMENTS", "register",
           "HOOK_NAMES", "COMMON_NAMES"]

HOOK_NAMES = ("progress", "should_stop", "on_update")
COMMON_NAMES = ("data", "dtype", "seed")  # every experiment takes these besides its own options


@dataclass
class Series:
    """One named curve: x and y values of equal length, plus free-form labels (``meta``)."""
    name: str
    x: list = field(default_factory=list)
    y: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def append(self, x, y) -> None:
        self.x.append(_plain(x))
        self.y.append(_plain(y))


@dataclass
class ExperimentResult:
    """Named series, parameters, scalar summary, extra arrays and timings of one run.

    ``summary`` holds the numbers the chapter draws conclusions from (final accuracies…);
    ``arrays`` holds data that are not curves (contour grids, histograms), saved in the JSON.

    Parameters
    ----------
    name : str
        The experiment's name.
    params : dict
        The options it ran with.
    series, summary, arrays, timings : dict
        Curves (:class:`Series` by name), numbers, extra arrays, seconds per phase.
    stopped : bool
        True when ``should_stop()`` ended the run early.
    """
    name: str
    params: dict
    series: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    arrays: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    stopped: bool = False

    def add_series(self, name: str, x=(), y=(), **meta) -> Series:
        if name in self.series:
            raise ValueError(f"series {name!r} already exists in {self.name}")
        s = Series(name, [_plain(v) for v in x], [_plain(v) for v in y], meta)
        self.series[name] = s
        return s

    # -- display -----------------------------------------------------------------------------
    def plot(self, dataset=None):
        """The experiment's figure, a ``matplotlib.figure.Figure`` laid out like the book's (the
        PNG that ``trainlab run`` writes); ``dataset``, if given, is named in the title. In a
        notebook it displays as a cell's last expression, with or without pyplot.

        Raises
        ------
        ImportError
            matplotlib is not installed (``pip install 'trainlab[plot]'``).
        """
        from trainlab.experiments.display import enable_figure_display
        from trainlab.experiments.plots import make_figure

        figure = make_figure(self, dataset=dataset)
        enable_figure_display()
        return figure

    def __repr__(self) -> str:
        from trainlab.experiments.display import summary_text

        return summary_text(self)

    def _repr_png_(self):
        """A notebook shows the figure (None without matplotlib: the text summary remains)."""
        from trainlab.experiments.display import render_png

        return render_png(self)[0]

    def _repr_html_(self) -> str:
        """A notebook shows the figure and the summary tables."""
        from trainlab.experiments.display import result_html

        return result_html(self)

    def to_dict(self) -> dict:
        return {
            "experiment": self.name,
            "params": _plain(self.params),
            "summary": _plain(self.summary),
            "timings": _plain(self.timings),
            "stopped": self.stopped,
            "series": {n: {"x": s.x, "y": s.y, "meta": _plain(s.meta)} for n, s in self.series.items()},
            "arrays": {k: _plain(v) for k, v in self.arrays.items()},
        }

    def save(self, directory) -> dict:
        """Write ``NAME.json`` (everything) and ``NAME.csv`` (every series, long format:
        ``series,x,y``) into ``directory`` (created if missing); returns {'json': path, 'csv': path}."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        json_path, csv_path = out / f"{self.name}.json", out / f"{self.name}.csv"
        # allow_nan=False: a diverged loss is written as null, so any JSON reader parses the file
        json_path.write_text(json.dumps(self.to_dict(), allow_nan=False))
        with csv_path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["series", "x", "y"])
            for s in self.series.values():
                for x, y in zip(s.x, s.y):
                    writer.writerow([s.name, "" if x is None else x, "" if y is None else y])
        return {"json": json_path, "csv": csv_path}


def _plain(value: Any):
    """JSON-ready copy: NumPy scalars/arrays to Python numbers/lists, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.dtype):
        return str(value)
    return value


class Hooks:
    """The three optional callbacks with no-op defaults, plus a stopwatch for ``timings``.

    Parameters
    ----------
    progress : callable, optional
        ``progress(done, total, info)``: called as the experiment advances.
    should_stop : callable, optional
        ``should_stop() -> bool``: polled between steps; True ends the run early.
    on_update : callable, optional
        ``on_update(series, x, y)``: each new point of a curve, for live plots.

    Raises
    ------
    ValueError
        A callback that is neither callable nor None.
    """

    def __init__(self, progress=None, should_stop=None, on_update=None):
        for name, fn in (("progress", progress), ("should_stop", should_stop), ("on_update", on_update)):
            if fn is not None and not callable(fn):
                raise ValueError(f"{name} must be callable or None, got {fn!r}")
        self._progress, self._should_stop, self._on_update = progress, should_stop, on_update
        self.start = time.perf_counter()

    def progress(self, done: int, total: int, **info) -> None:
        if self._progress is not None:
            self._progress(done, total, info)

    def stop_requested(self) -> bool:
        return self._should_stop is not None and bool(self._should_stop())

    def update(self, series: str, x, y) -> None:
        if self._on_update is not None:
            self._on_update(series, x, y)

    def elapsed(self) -> float:
        return time.perf_counter() - self.start


class ProgressBar:
    """A ``progress(done, total, info)`` hook that draws a tqdm bar from its first call, with
    every value it reports (each optimizer's loss…) after the bar. ``tqdm.auto`` makes it a widget
    in a notebook and a text bar on stderr elsewhere.

    Parameters
    ----------
    desc : str
        The bar's label.
    unit : str
        What ``done`` counts.
    """

    def __init__(self, desc: str, unit: str = "step"):
        self.desc, self.unit, self.bar = desc, unit, None

    def __call__(self, done: int, total: int, info: dict | None = None) -> None:
        if self.bar is None:
            from tqdm.auto import tqdm

            self.bar = tqdm(desc=self.desc, total=total, unit=self.unit, leave=True,
                            file=sys.stderr, dynamic_ncols=True)
        bar = self.bar
        if bar.total != total:
            bar.total = total
        shown = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}"
                          for k, v in (info or {}).items())
        bar.set_postfix_str(shown, refresh=False)
        bar.update(done - bar.n)  # tqdm redraws at most every mininterval

    def close(self) -> None:
        """End the bar (it stays on screen); a later call starts a new one."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@dataclass(frozen=True)
class ExperimentSpec:
    """A registry entry: how to call one experiment and what it takes.

    Parameters
    ----------
    name : str
        The key in ``EXPERIMENTS``.
    run : callable
        The experiment function.
    description : str
        One line for ``trainlab list``.
    needs_data : bool
        Whether ``run`` takes the dataset as its first argument.
    defaults : dict
        The experiment's own options and their defaults (from ``run``'s signature).
    param_help : dict
        One-line help per option.
    """
    name: str
    run: Callable[..., ExperimentResult]
    description: str
    needs_data: bool
    defaults: dict       # the experiment's own options -> default value (from the signature)
    param_help: dict     # option -> one-line help

    def parse_option(self, name: str, text: str):
        """An option's value from text (command line, the app's --option k=v), by its default's
        type: a number, a comma-separated list, true/false; for options whose default is None,
        a number if it reads as one, 'none', else the text (e.g. 'sgd=0.1,adam=0.002').

        Raises
        ------
        ValueError
            An unknown option (with the closest name) or text of the wrong kind.
        """
        from trainlab._validate import did_you_mean

        if name not in self.defaults:
            raise ValueError(f"{self.name} has no option {name!r}{did_you_mean(name, self.defaults)}; "
                             f"options: {', '.join(self.defaults)}")
        default, text = self.defaults[name], str(text).strip()
        try:
            if isinstance(default, bool):
                if text.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                    raise ValueError
                return text.lower() in ("1", "true", "yes", "on")
            if isinstance(default, (int, float, str)):
                return type(default)(text)
            if isinstance(default, (tuple, list)):
                kind = type(default[0]) if default else str
                return tuple(kind(v.strip()) for v in text.split(",") if v.strip())
        except ValueError:
            kind = {bool: "true or false", int: "an integer", float: "a number"}.get(
                type(default), f"a comma-separated list of {type(default[0]).__name__}"
                if isinstance(default, (tuple, list)) and default else "text")
            raise ValueError(f"{name} must be {kind}, got {text!r}") from None
        if text.lower() == "none":
            return None
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return text

    def example(self) -> str:
        """A command line that runs this experiment quickly on the embedded sample."""
        options = " ".join(f"--{k.replace('_', '-')} {_shown(v)}" for k, v in list(self.defaults.items())[:2]
                           if v is not None)
        data = " --dataset sample" if self.needs_data else ""
        return f"trainlab run {self.name}{data} {options} --out results/".replace("  ", " ")


def _shown(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, (tuple, list)) else str(value)


EXPERIMENTS: dict[str, ExperimentSpec] = {}


def register(name: str, run: Callable, description: str, *, needs_data: bool = True,
             param_help: dict | None = None) -> Callable:
    """Add ``run`` to ``EXPERIMENTS`` under ``name``; returns ``run`` unchanged.

    Parameters
    ----------
    name : str
        The experiment's name.
    run : callable
        The function; its keyword-only parameters (besides the hooks, ``data``, ``dtype`` and
        ``seed``) become the experiment's options.
    description : str
        One line for ``trainlab list``.
    needs_data : bool
        Whether ``run`` takes the dataset as its first argument.
    param_help : dict, optional
        One-line help per option.

    Raises
    ------
    ValueError
        ``param_help`` names an option that ``run`` does not take.
    """
    defaults = {p.name: p.default for p in inspect.signature(run).parameters.values()
                if p.kind is p.KEYWORD_ONLY and p.name not in HOOK_NAMES + COMMON_NAMES}
    unknown = set(param_help or {}) - set(defaults)
    if unknown:
        raise ValueError(f"param_help names options {sorted(unknown)} that {name} does not take")
    EXPERIMENTS[name] = ExperimentSpec(name, run, description, needs_data, defaults, dict(param_help or {}))
    return run
