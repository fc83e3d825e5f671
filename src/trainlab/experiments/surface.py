"""The book's test function of figure 6-8, f(x, y) = x²/20 + y², and what its figure draws of it:
the level sets and the gradient field (the CLI's PNGs and the desktop app draw the same)."""
from __future__ import annotations

import numpy as np


def f(x, y):
    """The book's test function x²/20 + y² (figure 6-8), at numbers or arrays."""
    return x ** 2 / 20.0 + y ** 2


def df(x, y):
    """Its gradient (x/10, 2y)."""
    return x / 10.0, 2.0 * y


LEVELS = (0.25, 0.5, 1, 2, 4, 8, 16, 24)


def level_sets(levels=LEVELS, points: int = 181) -> list:
    """[(x, y)] closed curves where :func:`f` equals each level: the ellipses
    x²/(20·level) + y²/level = 1, exact (figures draw them instead of contouring a grid)."""
    t = np.linspace(0.0, 2.0 * np.pi, points)
    return [(np.sqrt(20.0 * level) * np.cos(t), np.sqrt(level) * np.sin(t)) for level in levels]


def gradient_field(length: float = 0.45):
    """(x, y) of short segments along −∇f from a grid over [−9, 9] × [−4.5, 4.5], as
    consecutive (start, end) pairs: the direction plain SGD steps in at each point."""
    gx, gy = np.meshgrid(np.linspace(-9, 9, 19), np.linspace(-4.5, 4.5, 10), indexing="ij")
    dx, dy = df(gx, gy)
    norm = np.hypot(dx, dy)
    scale = length / np.where(norm > 0, norm, 1)
    seg = np.empty((gx.size * 2, 2))
    seg[0::2] = np.c_[gx.ravel(), gy.ravel()]
    seg[1::2] = np.c_[(gx - dx * scale).ravel(), (gy - dy * scale).ravel()]
    return seg[:, 0], seg[:, 1]
