"""Runs told apart by their settings: a run's settings as readable text (tooltips, the side-by-side
comparison), the settings in which runs differ, and a default name made of what sets a run apart
from the others ("adam lr=1e-3 he", then "... seed=1" for a second seed)."""
from __future__ import annotations

import dataclasses

from trainlab.engine import RunSpec
from trainlab.engine import format_number as number

__all__ = ["number", "settings", "differing", "default_name"]

# Settings RunSpec.label() already names, and those that do not change what is learnt.
_IN_LABEL = {"optimizer", "lr", "weight_init", "batchnorm", "dropout", "weight_decay"}
_NOT_NAMED = {"threads"}


def _text(value) -> str:
    if value is None:
        return "all"
    if isinstance(value, (tuple, list)):
        return ",".join(number(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return number(value)


def settings(spec: RunSpec) -> dict:
    """{setting: text} of every setting of ``spec`` but its name, the optimizer's
    hyperparameters (defaults filled in) in place of ``hyperparameters``."""
    out = {}
    for f in dataclasses.fields(RunSpec):
        value = getattr(spec, f.name)
        if f.name in ("name", "changes"):
            continue
        if f.name == "hyperparameters":
            out.update((k, number(v)) for k, v in spec.optimizer_settings().items())
        elif f.name == "schedule":
            rest = {k: v for k, v in (value or {}).items() if k != "name"}
            out["schedule"] = ("none" if value is None else value["name"] + (
                "(" + ",".join(f"{k}={number(v)}" for k, v in rest.items()) + ")" if rest else ""))
        elif f.name == "threads":
            out[f.name] = "default" if value is None else str(value)
        else:
            out[f.name] = _text(value)
    if spec.changes:
        out["changes"] = "; ".join(f"{c[1]}={number(c[2])} at step {c[0]}" for c in spec.changes)
    return out


def differing(specs) -> list[str]:
    """The settings (in :func:`settings`' order) whose text is not the same for all ``specs``;
    a setting one spec lacks (another optimizer's) counts as differing."""
    rows = [settings(s) for s in specs]
    keys = list(dict.fromkeys(k for row in rows for k in row))
    return [k for k in keys if len({row.get(k) for row in rows}) > 1]


def default_name(spec: RunSpec, others=(), taken=()) -> str:
    """``spec.label()`` plus the settings it does not name in which ``spec`` differs from the
    most similar of ``others`` (RunSpecs); made unique among ``taken`` with " (2)", " (3)"…"""
    name = spec.label()
    mine = settings(spec)
    closest = None
    for other in others:
        diff = differing([spec, other])
        if closest is None or len(diff) < len(closest[1]):
            closest = (other, diff)
    skip = _IN_LABEL | _NOT_NAMED
    if closest is not None and closest[0].optimizer != spec.optimizer:
        skip |= set(spec.optimizer_settings())  # another optimizer: its name says enough
    extra = [k for k in (closest[1] if closest else ()) if k not in skip and k in mine]
    if extra:
        name += " " + " ".join(f"{k}={mine[k]}" for k in extra)
    taken = set(taken)
    unique, n = name, 2
    while unique in taken:
        unique, n = f"{name} ({n})", n + 1
    return unique
