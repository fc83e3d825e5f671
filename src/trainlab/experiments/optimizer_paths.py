"""Experiment 1 (the book's ``optimizer_compare_naive.py``): paths of the optimizers on
f(x, y) = x²/20 + y² (``trainlab.experiments.surface``) from (−7, 2).

:func:`trajectory` is the path of one optimizer; the experiment and the desktop app's animated
view both use it."""
from __future__ import annotations

import numpy as np

from trainlab._i18n import N_, translate
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.experiments.surface import df, f
from trainlab.optim import make_optimizer

# The book's settings for SGD, Momentum, AdaGrad and Adam; RMSprop and Nesterov are not in the
# book's figure, so they get rates that show their character on the same function.
BOOK_LEARNING_RATES = {"sgd": 0.95, "momentum": 0.1, "nesterov": 0.1, "adagrad": 1.5,
                       "rmsprop": 0.3, "adam": 0.3}
START = (-7.0, 2.0)
TITLES = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
          "rmsprop": "RMSprop", "adam": "Adam"}


def trajectory(name: str, lr: float, steps: int, start=START, dtype="float64") -> np.ndarray:
    """(steps + 1, 2) positions from ``start`` under ``steps`` updates of optimizer ``name`` on
    :func:`f`: the optimizer updates a two-parameter dict, as it updates a network's. A rate so
    large that the path leaves the plane (inf/NaN) ends it there."""
    dt = np.dtype(dtype)
    optimizer = make_optimizer(name, lr=lr)
    params = {"x": np.array([start[0]], dt), "y": np.array([start[1]], dt)}
    path = np.empty((steps + 1, 2))
    path[0] = start
    for i in range(steps):
        gx, gy = df(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
        path[i + 1] = params["x"][0], params["y"][0]
        if not np.all(np.isfinite(path[i + 1])):
            return path[:i + 1]
    return path


def optimizer_paths(data=None, *, optimizers=("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"),
                    lr=None, steps=30, start=START, dtype="float64", seed=0,
                    progress=None, should_stop=None, on_update=None) -> ExperimentResult:
    """Series ``NAME`` (x = the path's x, y = its y, steps + 1 points) per optimizer; arrays
    ``contour_x/y/z`` (a grid of f) and ``field_x/y/u/v`` (−∇f on a coarse grid). ``lr`` is one
    rate for all, or per optimizer (``{'sgd': 0.9}`` or ``'sgd=0.9,adam=0.2'``)."""
    names = C.optimizer_names(optimizers)
    rates = C.learning_rates(lr, BOOK_LEARNING_RATES)
    steps = C.integer("steps", steps)
    try:
        x0, y0 = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ValueError(f"start must be two numbers (x, y), got {start!r}") from None
    dt = np.dtype(dtype)
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("optimizer_paths", {
        "optimizers": names, "lr": {n: rates[n] for n in names}, "steps": steps,
        "start": [x0, y0], "dtype": str(dt), "seed": seed})

    for k, name in enumerate(names):
        if hooks.stop_requested():
            result.stopped = True
            break
        path = trajectory(name, rates[name], steps, (x0, y0), dt)
        series = result.add_series(TITLES[name], path[:, 0], path[:, 1], optimizer=name, lr=rates[name])
        for x, y in path:
            hooks.update(series.name, float(x), float(y))
        hooks.progress(k + 1, len(names), phase=series.name)
        result.summary[series.name] = {"final_x": series.x[-1], "final_y": series.y[-1],
                                       "final_f": f(series.x[-1], series.y[-1])}

    gx, gy = np.arange(-10, 10.01, 0.1), np.arange(-5, 5.01, 0.1)
    mx, my = np.meshgrid(gx, gy)
    result.arrays.update(contour_x=gx, contour_y=gy, contour_z=f(mx, my))
    fx, fy = np.meshgrid(np.arange(-10, 10.1, 1.0), np.arange(-5, 5.1, 0.5))
    u, v = df(fx, fy)
    result.arrays.update(field_x=fx, field_y=fy, field_u=-u, field_v=-v)
    result.summary["headline"] = translate("experiments", "final f: {values}").format(
        values=", ".join(f"{n} {result.summary[n]['final_f']:.3g}" for n in result.series))
    result.timings["total"] = hooks.elapsed()
    return result


register("optimizer_paths", optimizer_paths,
         N_("experiments", "paths of the six optimizers on f(x, y) = x²/20 + y² from (−7, 2) (book "
                           "fig. 6-8)"),
         needs_data=False,
         param_help={
             "optimizers": N_("experiments", "which optimizers (comma-separated)"),
             "lr": N_("experiments", "learning rate for all, or per optimizer: sgd=0.9,adam=0.2 "
                                     "(default: the book's per optimizer)"),
             "steps": N_("experiments", "update steps per optimizer (book: 30)"),
             "start": N_("experiments", "start point x,y"),
         })
