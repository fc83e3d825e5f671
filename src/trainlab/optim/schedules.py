"""Learning-rate schedules: callables (base_lr, step) -> lr that any optimizer accepts as
``schedule=``. ``step`` counts the updates already made (0 for the first)."""
from __future__ import annotations

import math

from trainlab._validate import positive_number, unit_interval

__all__ = ["Schedule", "ConstantLR", "StepDecay", "ExponentialDecay", "CosineDecay", "make_schedule"]


class Schedule:
    """Base class of the learning-rate schedules: ``schedule(base_lr, step)`` returns the rate.

    Subclasses implement ``__call__(base_lr, step)``; ``step`` counts the updates already made.
    Any callable with that signature is accepted where a Schedule is.
    """

    def __call__(self, base_lr: float, step: int) -> float:
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class ConstantLR(Schedule):
    """The base rate at every step (no parameters): ``ConstantLR()(base_lr, step) == base_lr``."""

    def __call__(self, base_lr, step):
        return base_lr


class StepDecay(Schedule):
    """lr·gamma^⌊step/step_size⌋"""

    def __init__(self, step_size: int, gamma: float = 0.1):
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"step_size must be a positive integer, got {step_size!r}")
        self.step_size = step_size
        self.gamma = positive_number("gamma", gamma)

    def __call__(self, base_lr, step):
        return base_lr * self.gamma ** (step // self.step_size)


class ExponentialDecay(Schedule):
    """lr·gamma^step"""

    def __init__(self, gamma: float):
        self.gamma = unit_interval("gamma", gamma, closed_low=False) if gamma != 1 else 1.0

    def __call__(self, base_lr, step):
        return base_lr * self.gamma ** step


class CosineDecay(Schedule):
    """min_lr + (lr − min_lr)·(1 + cos(π·min(step, total_steps)/total_steps))/2"""

    def __init__(self, total_steps: int, min_lr: float = 0.0):
        if isinstance(total_steps, bool) or not isinstance(total_steps, int) or total_steps < 1:
            raise ValueError(f"total_steps must be a positive integer, got {total_steps!r}")
        self.total_steps = total_steps
        self.min_lr = positive_number("min_lr", min_lr, allow_zero=True)

    def __call__(self, base_lr, step):
        frac = min(step, self.total_steps) / self.total_steps
        return self.min_lr + (base_lr - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * frac))


_SCHEDULES = {"constant": ConstantLR, "step": StepDecay, "exponential": ExponentialDecay,
              "cosine": CosineDecay}


def make_schedule(spec) -> Schedule | None:
    """Make a learning-rate schedule from ``spec``.

    Parameters
    ----------
    spec : None, Schedule, callable or dict
        ``None`` (no schedule), a :class:`Schedule` or a callable (returned as is), or a dict
        ``{'name': 'step'|'exponential'|'cosine'|'constant', **kwargs}`` whose other keys are the
        schedule's arguments.

    Returns
    -------
    Schedule or None

    Raises
    ------
    ValueError
        An unknown schedule name or a ``spec`` of another type.
    """
    if spec is None or isinstance(spec, Schedule):
        return spec
    if callable(spec):
        return spec
    if isinstance(spec, dict):
        kwargs = dict(spec)
        name = str(kwargs.pop("name", "")).lower()
        if name not in _SCHEDULES:
            raise ValueError(f"unknown schedule {name!r}; expected one of {sorted(_SCHEDULES)}")
        return _SCHEDULES[name](**kwargs)
    raise ValueError(f"schedule must be None, a Schedule, a callable or a dict, got {spec!r}")
