"""Search spaces: log-uniform, uniform and categorical parameters.

The chapter samples ``lr = 10 ** uniform(-6, -2)`` and ``weight_decay = 10 ** uniform(-8, -4)``;
:func:`default_space` is exactly that. A space narrows around good trials (staged search) and
converts to Optuna distributions (Bayesian search).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["LogUniform", "Uniform", "Categorical", "SearchSpace", "default_space"]


def _finite(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


@dataclass(frozen=True)
class Uniform:
    """A float drawn uniformly from [low, high]."""
    low: float
    high: float

    def __post_init__(self):
        object.__setattr__(self, "low", _finite("low", self.low))
        object.__setattr__(self, "high", _finite("high", self.high))
        if self.low >= self.high:
            raise ValueError(f"empty range: low ({self.low}) must be < high ({self.high})")

    # Log-uniform overrides these two: everything else works in the transformed axis.
    def _to_axis(self, v):
        return v

    def _from_axis(self, a):
        return a

    def sample(self, rng: np.random.Generator) -> float:
        lo, hi = self._to_axis(self.low), self._to_axis(self.high)
        return float(min(max(self._from_axis(rng.uniform(lo, hi)), self.low), self.high))

    def narrowed(self, values, pad: float):
        """The smallest range holding ``values``, widened by ``pad`` × this range on each side
        (on the sampling axis) and clipped to this range."""
        axis = [self._to_axis(float(v)) for v in values]
        lo, hi = self._to_axis(self.low), self._to_axis(self.high)
        margin = pad * (hi - lo)
        new_lo, new_hi = max(min(axis) - margin, lo), min(max(axis) + margin, hi)
        return type(self)(self._from_axis(new_lo), self._from_axis(new_hi))

    def to_optuna(self):
        from optuna.distributions import FloatDistribution
        return FloatDistribution(self.low, self.high, log=isinstance(self, LogUniform))

    def to_dict(self) -> dict:
        kind = "log_uniform" if isinstance(self, LogUniform) else "uniform"
        return {"type": kind, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class LogUniform(Uniform):
    """A positive float whose base-10 logarithm is uniform: the chapter's ``10 ** uniform(a, b)``.

    Parameters
    ----------
    low, high : float
        The range, ``0 < low < high``, finite.

    Raises
    ------
    ValueError
        Bounds that are not finite numbers, not positive, or not ``low < high``.
    """

    def __post_init__(self):
        super().__post_init__()
        if self.low <= 0:
            raise ValueError(f"log-uniform bounds must be positive, got low={self.low}")

    def _to_axis(self, v):
        return math.log10(v)

    def _from_axis(self, a):
        return 10.0 ** a


@dataclass(frozen=True)
class Categorical:
    """One of a fixed list of choices (str, int, float, bool or None: values that JSON keeps)."""
    choices: tuple

    def __post_init__(self):
        choices = tuple(self.choices) if not isinstance(self.choices, (str, bytes)) else None
        if not choices:
            raise ValueError(f"categorical choices must be a non-empty list, got {self.choices!r}")
        for c in choices:
            if c is not None and not isinstance(c, (str, int, float, bool)):
                raise ValueError(f"categorical choice {c!r} is not a str, int, float, bool or None")
        if len(set(map(repr, choices))) != len(choices):
            raise ValueError(f"categorical choices repeat: {choices!r}")
        object.__setattr__(self, "choices", choices)

    def sample(self, rng: np.random.Generator):
        return self.choices[int(rng.integers(len(self.choices)))]

    def narrowed(self, values, pad: float):
        kept = tuple(c for c in self.choices if c in set(values))
        return Categorical(kept or self.choices)

    def to_optuna(self):
        from optuna.distributions import CategoricalDistribution
        return CategoricalDistribution(self.choices)

    def to_dict(self) -> dict:
        return {"type": "categorical", "choices": list(self.choices)}


_KINDS = {"uniform": Uniform, "log_uniform": LogUniform}


class SearchSpace(dict):
    """``{name: Uniform | LogUniform | Categorical}``, sampled in insertion order.

    Parameters
    ----------
    params : dict, optional
        Parameter name → distribution (or its dict form); keyword arguments add more.

    Raises
    ------
    ValueError
        An empty space, a name that is not a non-empty string, or an unknown distribution.
    """

    def __init__(self, params=None, **kwargs):
        super().__init__(dict(params or {}, **kwargs))
        if not self:
            raise ValueError("a search space needs at least one parameter")
        for name, dist in self.items():
            if not isinstance(name, str) or not name:
                raise ValueError(f"parameter names must be non-empty strings, got {name!r}")
            if not isinstance(dist, (Uniform, Categorical)):
                raise ValueError(f"parameter {name!r}: expected LogUniform, Uniform or Categorical, "
                                 f"got {dist!r}")

    def sample(self, rng: np.random.Generator) -> dict:
        return {name: dist.sample(rng) for name, dist in self.items()}

    def narrowed(self, good_params: list[dict], pad: float = 0.1) -> SearchSpace:
        """Each range shrunk to the values of ``good_params`` (plus a margin): the chapter's
        "narrow the range from the results" between stages."""
        if not good_params:
            return self
        return SearchSpace({name: dist.narrowed([p[name] for p in good_params], pad)
                            for name, dist in self.items()})

    def to_optuna(self) -> dict:
        return {name: dist.to_optuna() for name, dist in self.items()}

    def to_dict(self) -> dict:
        return {name: dist.to_dict() for name, dist in self.items()}

    @classmethod
    def from_dict(cls, data: dict) -> SearchSpace:
        out = {}
        for name, spec in data.items():
            if spec.get("type") == "categorical":
                out[name] = Categorical(tuple(spec["choices"]))
            elif spec.get("type") in _KINDS:
                out[name] = _KINDS[spec["type"]](spec["low"], spec["high"])
            else:
                raise ValueError(f"parameter {name!r}: unknown distribution {spec!r}")
        return cls(out)


def default_space() -> SearchSpace:
    """The chapter's space: lr in 1e-6..1e-2 and weight decay in 1e-8..1e-4, both on a log scale."""
    return SearchSpace(lr=LogUniform(1e-6, 1e-2), weight_decay=LogUniform(1e-8, 1e-4))
