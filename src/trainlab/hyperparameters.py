"""Hyperparameters that describe themselves: default, valid range, scale, and whether they may
change while a network trains.

A :class:`Hyperparameter` is a class attribute of the object that owns the value (an optimizer, a
learning-rate schedule). As a descriptor it validates every assignment, in the constructor and
afterwards, so ``opt.lr = -1`` raises instead of being used. The command line's options, the
desktop app's form and the search space are generated from these descriptions.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

__all__ = ["Hyperparameter", "hyperparameters_of"]


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter: its default, valid range and how to show and search it.

    Parameters
    ----------
    default : float or int
        The book's value.
    low, high : float
        The valid range; ``low_open``/``high_open`` exclude an end.
    log : bool
        Whether the value is naturally read and searched on a log scale (learning rates).
    live : bool
        Whether it may change while training (applied at the next step).
    integer : bool
        Whether the value is an integer (schedule step counts).
    help : str
        One line for the command line and the app's tooltips.
    typical : tuple of float, optional
        The range a form's control or a search covers when the valid range is unbounded.
    """
    default: float
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    log: bool = False
    live: bool = True
    integer: bool = False
    help: str = ""
    typical: tuple | None = None
    name: str = ""

    def __set_name__(self, owner, name):
        object.__setattr__(self, "name", name)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None

    def __set__(self, obj, value):
        obj.__dict__[self.name] = self.validate(value)

    def range_text(self) -> str:
        lo = "(" if self.low_open or math.isinf(self.low) else "["
        hi = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{lo}{self.low:g}, {self.high:g}{hi}"

    def validate(self, value):
        """``value`` as a float (int when ``integer``) if it is in range, else ValueError naming it."""
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{self.name} must be a number, got {value!r}")
        if self.integer:
            if not float(value).is_integer():
                raise ValueError(f"{self.name} must be an integer, got {value!r}")
            v = int(value)
        else:
            v = float(value)
        if math.isnan(v) or (not self.integer and math.isinf(v)):
            raise ValueError(f"{self.name} must be finite, got {value!r}")
        below = v <= self.low if self.low_open else v < self.low
        above = v >= self.high if self.high_open else v > self.high
        if below or above:
            raise ValueError(f"{self.name} must be in {self.range_text()}, got {value!r}")
        return v

    def parse(self, text: str):
        """A value from text (command line, form), validated."""
        try:
            value = int(text) if self.integer else float(text)
        except (TypeError, ValueError):
            kind = "an integer" if self.integer else "a number"
            raise ValueError(f"{self.name} must be {kind}, got {text!r}") from None
        return self.validate(value)


def hyperparameters_of(cls) -> dict:
    """name -> :class:`Hyperparameter` of a class, base classes first, in definition order."""
    found = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Hyperparameter):
                found[name] = value  # a redefinition keeps the base class's position
    return found
