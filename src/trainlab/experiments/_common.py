"""Helpers the experiments share: parameter checks, data, the book's smooth_curve, and training
several networks side by side on the same mini-batches (with the one Trainer)."""
from __future__ import annotations

import numbers
import time

import numpy as np

from trainlab._i18n import translate
from trainlab import _validate as V
from trainlab._validate import integer, positive_number as positive  # noqa: F401 (shared)
from trainlab.engine import NAMED_INITS, weight_init  # noqa: F401  (the experiments' too)
from trainlab.optim import OPTIMIZERS


# -- parameter checks (ValueError naming the parameter) ---------------------------------------
def optional_integer(name: str, value, minimum: int = 1):
    return None if value is None else integer(name, value, minimum)


def sizes(name: str, value) -> list[int]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise ValueError(f"{name} must name at least one layer size")
    return [integer(f"{name} entry", v) for v in values]


def names(name: str, value, allowed) -> list[str]:
    """A non-empty list of distinct names from ``allowed`` (case-insensitive)."""
    values = [value] if isinstance(value, str) else list(value)
    out = []
    for v in values:
        key = V.one_of(name[:-1] if name.endswith("s") else name, v, allowed)
        if key not in out:
            out.append(key)
    if not out:
        raise ValueError(f"{name} must name at least one of {sorted(allowed)}")
    return out


def optimizer_names(value) -> list[str]:
    return names("optimizers", value, OPTIMIZERS)


def learning_rates(value, defaults: dict) -> dict:
    """Per-optimizer learning rates: ``defaults`` with ``value`` applied — None, one number for
    every optimizer, or a dict / 'name=lr,name=lr' string for some; every lr checked."""
    if value is None:
        return dict(defaults)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        rate = positive("lr", value)
        return {key: rate for key in defaults}
    if isinstance(value, str):
        pairs = [p for p in value.split(",") if p.strip()]
        try:
            value = {k.strip().lower(): float(v) for k, v in (p.split("=") for p in pairs)}
        except ValueError:
            try:
                return learning_rates(float(value), defaults)
            except ValueError:
                raise ValueError(f"lr must be a number or look like 'sgd=0.9,adam=0.3', "
                                 f"got {value!r}") from None
    if not isinstance(value, dict):
        raise ValueError(f"lr must be a number, a dict or 'name=lr,...', got {value!r}")
    out = dict(defaults)
    for key, rate in value.items():
        key = str(key).lower()
        if key not in OPTIMIZERS:
            raise ValueError(f"lr names unknown optimizer {key!r}{V.did_you_mean(key, OPTIMIZERS)}; "
                             f"expected one of {', '.join(OPTIMIZERS)}")
        out[key] = positive(f"lr of {key}", rate)
    return out


def weight_inits(value) -> list:
    """Distinct initialisations ('he', 'xavier' or stds); two that mean the same (such as 'he' and
    'relu') would draw two series of one name, so they are refused by name."""
    inits, given = [], {}
    for v in [value] if isinstance(value, str) else list(value):
        init, label = weight_init(v), init_label(v)
        if label in given:
            raise ValueError(f"weight_inits names {label} twice: {given[label]!r} and {v!r}")
        given[label] = v
        inits.append(init)
    if not inits:
        raise ValueError("weight_inits must name at least one initialisation")
    return inits


def init_label(value) -> str:
    """'He', 'Xavier' or 'std=0.01' for an initialisation."""
    key = str(value).lower()
    return NAMED_INITS[key] if key in NAMED_INITS else f"std={float(value):g}"


# -- data ---------------------------------------------------------------------------------------
def resolve_data(data, train_size=None, test_size=None):
    """``((x_train, t_train), (x_test, t_test))`` checked and cut. ``data`` may be the arrays, a
    callable that loads them (called here, after the experiment has checked its options), or
    None for the default dataset (:func:`trainlab.engine.load_data`)."""
    from trainlab.engine import cut_data, load_data

    if data is None:
        loaded = load_data("default")
        data = (loaded.train, loaded.test)
    elif callable(data):
        data = data()
    try:
        (x_train, t_train), (x_test, t_test) = data
    except (TypeError, ValueError):
        raise ValueError("data must be ((x_train, t_train), (x_test, t_test))") from None
    x_train, x_test = np.asarray(x_train), np.asarray(x_test)
    x_train, x_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    t_train, t_test = np.asarray(t_train), np.asarray(t_test)
    (x_train, t_train), (x_test, t_test) = cut_data(((x_train, t_train), (x_test, t_test)),
                                                    train_size, test_size)
    if t_train.ndim != 1:  # one-hot → labels
        t_train, t_test = t_train.argmax(axis=1), t_test.argmax(axis=1)
    return (x_train, t_train), (x_test, t_test)


def n_classes(*labels) -> int:
    return int(max(int(t.max()) for t in labels)) + 1


def smooth_curve(x) -> np.ndarray:
    """The book's ``common/util.smooth_curve``: a Kaiser-window moving average (window 11).

    Parameters
    ----------
    x : array_like, 1-D
        A curve, e.g. the loss per iteration.

    Returns
    -------
    numpy.ndarray
        The smoothed curve (float64, the length of ``x``; shorter curves are returned as they are).
    """
    x = np.asarray(x, dtype=np.float64)
    window_len = 11
    if x.size < window_len:
        return x.copy()
    s = np.r_[x[window_len - 1:0:-1], x, x[-1:-window_len:-1]]
    w = np.kaiser(window_len, 2)
    y = np.convolve(w / w.sum(), s, mode="valid")
    return y[5:len(y) - 5]


# -- training ------------------------------------------------------------------------------------
PROGRESS_INTERVAL = 0.05  # seconds between two progress reports while training (the last comes)


def train_side_by_side(result, models: dict, train, test=None, *, batch_size: int, seed, hooks,
                       iterations=None, epochs=None, loss_series="{label}",
                       progress_offset=0, progress_total=None):
    """Train ``models`` (label -> (network, optimizer)) on the same mini-batches with the one
    :class:`~trainlab.Trainer`, for ``iterations`` steps or ``epochs`` epochs, and fill
    ``result`` as it goes: the loss per step in series ``loss_series.format(label=…)`` and, with
    ``epochs``, accuracy per epoch (0 = before training) in ``label/train_acc`` and
    ``label/test_acc``. A model that diverges stops (``Trainer.models[label].stop_reason``);
    ``should_stop`` ends the run with ``result.stopped``. Returns the Trainer."""
    from trainlab.trainer import Trainer

    (x_train, t_train) = train
    x_test, t_test = test if test is not None else (None, None)
    trainer = Trainer(models, x_train, t_train, x_test, t_test, epochs=epochs or 0,
                      iterations=iterations if epochs is None else None,
                      mini_batch_size=integer("batch_size", batch_size), verbose=False, seed=seed,
                      record_loss="before_update", evaluate="epochs" if epochs else None,
                      should_stop=hooks.stop_requested)
    total = progress_total if progress_total is not None else trainer.max_iter
    names = {label: loss_series.format(label=label) for label in models}
    for name in names.values():
        if name not in result.series:
            result.add_series(name, kind="loss")
    sets = ["train"] + (["test"] if test is not None else [])
    last_progress = [-float("inf")]
    if epochs:
        for label in models:
            for set_name in sets:
                result.add_series(f"{label}/{set_name}_acc", kind="accuracy", set=set_name)

    def on_iteration(tr, info):
        for label, loss in info["losses"].items():
            result.series[names[label]].append(info["iteration"], loss)
            hooks.update(names[label], info["iteration"], loss)
        done = progress_offset + info["iteration"] + 1
        now = time.perf_counter()
        if now - last_progress[0] >= PROGRESS_INTERVAL or done >= total:
            last_progress[0] = now
            hooks.progress(done, total, **info["losses"])

    def on_epoch(tr, info):
        for label, accs in info["accuracies"].items():
            for set_name in sets:
                result.series[f"{label}/{set_name}_acc"].append(info["epoch"], accs[set_name])
                hooks.update(f"{label}/{set_name}_acc", info["epoch"], accs[set_name])

    trainer.add_callback("iteration", on_iteration)
    trainer.add_callback("epoch", on_epoch)
    trainer.train()
    if trainer.stop_reason == "stopped by request":
        result.stopped = True
    for label, run in trainer.models.items():
        result.timings[label] = result.timings.get(label, 0.0) + run.seconds
    return trainer


def compare_loss_curves(result, models: dict, train, test, *, iterations: int, batch_size: int,
                        seed, hooks) -> None:
    """Train ``models`` (label -> (network, optimizer)) side by side for ``iterations`` steps and
    fill ``result``: series ``label`` (loss per iteration) and ``smoothed/label`` (the book's
    smooth_curve), summary per label (smoothed final loss, test accuracy, whether it diverged)."""
    trainer = train_side_by_side(result, models, train, test, iterations=iterations,
                                 batch_size=batch_size, seed=seed, hooks=hooks)
    accuracies = trainer.final_test_acc
    for label, run in trainer.models.items():
        smoothed = smooth_curve(result.series[label].y)
        result.add_series(f"smoothed/{label}", result.series[label].x, smoothed, kind="smoothed loss")
        result.summary[label] = {
            "final_loss_smoothed": float(smoothed[-1]) if len(smoothed) else None,
            "test_acc": float(accuracies[label]), "diverged": run.stop_reason}
    result.summary["headline"] = translate("experiments", "test acc: {accuracies}").format(
        accuracies=", ".join(f"{k} {result.summary[k]['test_acc']:.3f}" for k in models))
    result.timings["total"] = hooks.elapsed()
