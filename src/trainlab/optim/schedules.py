"""Learning-rate schedules: callables (base_lr, step) -> lr that any optimizer accepts as
``schedule=``. ``step`` counts the updates already made (0 for the first)."""
from __future__ import annotations

import math
from dataclasses import replace

from trainlab._i18n import N_
from trainlab._validate import one_of
from trainlab.hyperparameters import Hyperparameter, hyperparameters_of

__all__ = ["Schedule", "ConstantLR", "StepDecay", "ExponentialDecay", "CosineDecay", "make_schedule",
           "SCHEDULES"]

_STEPS = Hyperparameter(1000, low=1, integer=True, live=False, typical=(1, 10_000_000))


class Schedule:
    """Base class of the learning-rate schedules: ``schedule(base_lr, step)`` returns the rate.

    Subclasses implement ``__call__(base_lr, step)``; ``step`` counts the updates already made.
    Any callable with that signature is accepted where a Schedule is.
    """

    def __call__(self, base_lr: float, step: int) -> float:
        raise NotImplementedError

    @classmethod
    def hyperparameters(cls) -> dict:
        """name -> :class:`~trainlab.hyperparameters.Hyperparameter` of the schedule."""
        return hyperparameters_of(cls)

    def to_dict(self) -> dict:
        """``{'name': ..., **settings}``, accepted back by :func:`make_schedule`."""
        name = next(k for k, v in SCHEDULES.items() if v is type(self))
        return {"name": name, **{k: getattr(self, k) for k in self.hyperparameters()}}

    def __repr__(self):
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.hyperparameters())
        return f"{type(self).__name__}({args})"


class ConstantLR(Schedule):
    """The base rate at every step (no parameters): ``ConstantLR()(base_lr, step) == base_lr``."""

    def __call__(self, base_lr, step):
        return base_lr


class StepDecay(Schedule):
    """lr·gamma^⌊step/step_size⌋"""

    step_size = replace(_STEPS, help=N_("Hyperparameter", "steps between two decays"))
    gamma = Hyperparameter(0.1, low=0.0, low_open=True, live=False, typical=(1e-4, 1.0),
                           help=N_("Hyperparameter", "factor applied at each decay"))

    def __init__(self, step_size: int, gamma: float = 0.1):
        self.step_size = step_size
        self.gamma = gamma

    def __call__(self, base_lr, step):
        return base_lr * self.gamma ** (step // self.step_size)


class ExponentialDecay(Schedule):
    """lr·gamma^step"""

    gamma = Hyperparameter(0.999, low=0.0, high=1.0, low_open=True, live=False,
                           help=N_("Hyperparameter", "factor applied at every step"))

    def __init__(self, gamma: float):
        self.gamma = gamma

    def __call__(self, base_lr, step):
        return base_lr * self.gamma ** step


class CosineDecay(Schedule):
    """min_lr + (lr − min_lr)·(1 + cos(π·min(step, total_steps)/total_steps))/2"""

    total_steps = replace(_STEPS, default=5000,
                          help=N_("Hyperparameter", "steps from the base rate down to min_lr"))
    min_lr = Hyperparameter(0.0, low=0.0, live=False, typical=(0.0, 10.0),
                            help=N_("Hyperparameter", "the rate after total_steps"))

    def __init__(self, total_steps: int, min_lr: float = 0.0):
        self.total_steps = total_steps
        self.min_lr = min_lr

    def __call__(self, base_lr, step):
        frac = min(step, self.total_steps) / self.total_steps
        return self.min_lr + (base_lr - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * frac))


SCHEDULES = {"constant": ConstantLR, "step": StepDecay, "exponential": ExponentialDecay,
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
    if spec is None or callable(spec):  # a Schedule is callable
        return spec
    if isinstance(spec, dict):
        kwargs = dict(spec)
        name = one_of("schedule", kwargs.pop("name", ""), SCHEDULES)
        cls = SCHEDULES[name]
        unknown = sorted(set(kwargs) - set(cls.hyperparameters()))
        if unknown:
            raise ValueError(f"the {name} schedule has no setting {unknown[0]!r}; "
                             f"it takes {', '.join(cls.hyperparameters()) or 'none'}")
        return cls(**kwargs)
    raise ValueError(f"schedule must be None, a Schedule, a callable or a dict, got {spec!r}")
