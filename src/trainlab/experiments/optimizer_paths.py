"""Experiment 1 (the book's ``optimizer_compare_naive.py``): paths of the optimizers on
f(x, y) = x²/20 + y² from (−7, 2), with the contour and gradient-field data for the figure."""
from __future__ import annotations

import numpy as np

from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.optim import make_optimizer

# The book's settings for SGD, Momentum, AdaGrad and Adam; RMSprop and Nesterov are not in the
# book's figure, so they get rates that show their character on the same function.
BOOK_LEARNING_RATES = {"sgd": 0.95, "momentum": 0.1, "nesterov": 0.1, "adagrad": 1.5,
                       "rmsprop": 0.3, "adam": 0.3}
TITLES = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
          "rmsprop": "RMSprop", "adam": "Adam"}


def f(x, y):
    return x ** 2 / 20.0 + y ** 2


def df(x, y):
    return x / 10.0, 2.0 * y


def optimizer_paths(data=None, *, optimizers=("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"),
                    learning_rates=None, steps=30, start=(-7.0, 2.0), dtype="float64", seed=0,
                    progress=None, should_stop=None, on_update=None) -> ExperimentResult:
    """Series ``NAME`` (x = the path's x, y = its y, steps + 1 points) per optimizer; arrays
    ``contour_x/y/z`` (a grid of f) and ``field_x/y/u/v`` (−∇f on a coarse grid)."""
    names = C.optimizer_names(optimizers)
    rates = C.learning_rates(learning_rates, BOOK_LEARNING_RATES)
    steps = C.integer("steps", steps)
    try:
        x0, y0 = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ValueError(f"start must be two numbers (x, y), got {start!r}") from None
    dt = np.dtype(dtype)
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("optimizer_paths", {
        "optimizers": names, "learning_rates": {n: rates[n] for n in names}, "steps": steps,
        "start": [x0, y0], "dtype": str(dt), "seed": seed})

    total = len(names) * steps
    for k, name in enumerate(names):
        optimizer = make_optimizer(name, lr=rates[name])
        params = {"x": np.array([x0], dt), "y": np.array([y0], dt)}
        series = result.add_series(TITLES[name], [x0], [y0], optimizer=name, lr=rates[name])
        hooks.update(series.name, x0, y0)
        for i in range(steps):
            if hooks.stop_requested():
                result.stopped = True
                break
            gx, gy = df(params["x"][0], params["y"][0])
            optimizer.update(params, {"x": np.array([gx], dt), "y": np.array([gy], dt)})
            x, y = float(params["x"][0]), float(params["y"][0])
            series.append(x, y)
            hooks.update(series.name, x, y)
            hooks.progress(k * steps + i + 1, total, phase=series.name)
        result.summary[series.name] = {"final_x": series.x[-1], "final_y": series.y[-1],
                                       "final_f": f(series.x[-1], series.y[-1])}
        if result.stopped:
            break

    gx, gy = np.arange(-10, 10.01, 0.1), np.arange(-5, 5.01, 0.1)
    mx, my = np.meshgrid(gx, gy)
    result.arrays.update(contour_x=gx, contour_y=gy, contour_z=f(mx, my))
    fx, fy = np.meshgrid(np.arange(-10, 10.1, 1.0), np.arange(-5, 5.1, 0.5))
    u, v = df(fx, fy)
    result.arrays.update(field_x=fx, field_y=fy, field_u=-u, field_v=-v)
    result.summary["headline"] = "final f: " + ", ".join(
        f"{n} {result.summary[n]['final_f']:.3g}" for n in result.series)
    result.timings["total"] = hooks.elapsed()
    return result


register("optimizer_paths", optimizer_paths,
         "paths of the six optimizers on f(x, y) = x²/20 + y² from (−7, 2) (book fig. 6-8)",
         needs_data=False,
         param_help={"optimizers": "which optimizers (comma-separated)",
                     "learning_rates": "override rates, e.g. sgd=0.9,adam=0.2 (book's by default)",
                     "steps": "update steps per optimizer (book: 30)",
                     "start": "start point x,y"})
