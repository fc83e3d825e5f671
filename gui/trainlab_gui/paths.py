"""Qt-free optimizer paths on the book's f(x, y) = x²/20 + y² (figures 6-3 to 6-8): the library's
optimizers update a two-parameter dict, exactly as they update a network's parameters."""
from __future__ import annotations

import numpy as np

from trainlab.optim import make_optimizer

__all__ = ["f", "grad", "trajectory", "BOOK_LR", "START"]

START = (-7.0, 2.0)
# the book's learning rates (figure 6-8); Nesterov and RMSprop chosen to show their character
BOOK_LR = {"SGD": 0.95, "Momentum": 0.1, "Nesterov": 0.1, "AdaGrad": 1.5, "RMSprop": 0.1,
           "Adam": 0.3}


def f(x, y):
    """The book's test function f(x, y) = x²/20 + y² (figure 6-8), at numbers or arrays."""
    return x ** 2 / 20.0 + y ** 2


def grad(x, y):
    """The gradient (∂f/∂x, ∂f/∂y) = (x/10, 2y) of :func:`f` at ``x``, ``y``."""
    return x / 10.0, 2.0 * y


def trajectory(name: str, lr: float, steps: int, start=START) -> np.ndarray:
    """(steps + 1, 2) positions from ``start`` under ``steps`` updates of optimizer ``name``."""
    params = {"x": np.array([start[0]], dtype=np.float64), "y": np.array([start[1]], dtype=np.float64)}
    opt = make_optimizer(name, lr=lr)
    path = np.empty((steps + 1, 2))
    path[0] = start
    for i in range(steps):
        gx, gy = grad(params["x"], params["y"])
        opt.update(params, {"x": gx, "y": gy})
        path[i + 1] = params["x"][0], params["y"][0]
        if not np.all(np.isfinite(path[i + 1])):  # a too-large lr: stop where it left the plane
            return path[:i + 1]
    return path
