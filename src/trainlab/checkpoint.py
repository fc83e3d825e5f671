"""Trainer checkpoints: everything needed to continue a run bit for bit, in one .npz file.

Saved: the network's parameters, batch-norm running statistics and dropout streams, the
optimizer's step count, hyperparameters and state, the batch sampler's RNG state, the loss and
accuracy histories and the iteration/epoch counters. Written to a temporary file in the same
folder, flushed to disk, then renamed over the target: a crash leaves the old checkpoint or the
new one, never half of one, and the temporary file a killed save leaves (``.checkpoint-*.npz``)
is removed by the next save into that folder. Read with ``allow_pickle=False``: a checkpoint
cannot run code. A load checks the whole file against the trainer before it changes anything.
"""
from __future__ import annotations

import json
import os
import zipfile
import zlib
from functools import partial

import numpy as np

from trainlab._atomic import replacing

FORMAT = "trainlab-checkpoint-1"
TEMP_PREFIX = ".checkpoint-"  # temporary files of a save in progress: .checkpoint-*.npz
HISTORIES = ("train_loss", "train_acc", "test_acc")  # the trainer's <name>_list attributes


def network_state(net) -> dict:
    """Arrays that define a network's computation (copies)."""
    state = {f"param/{k}": np.array(v) for k, v in net.params.items()}
    for name, layer in net.layers.items():
        if hasattr(layer, "running_mean"):
            state[f"bn/{name}/running_mean"] = layer.running_mean.copy()
            state[f"bn/{name}/running_var"] = layer.running_var.copy()
        if hasattr(layer, "counter"):
            state[f"dropout/{name}"] = np.array([layer.key, layer.counter], np.uint64)
    return state


def load_network_state(net, state: dict, source: str) -> None:
    """Copy a :func:`network_state` dict back into ``net`` in place, all or nothing.

    Everything is checked before anything is copied: a refused state leaves ``net`` as it was.

    Parameters
    ----------
    net : trainlab.networks.MultiLayerNet or trainlab.networks.MultiLayerNetExtend
        The network to restore; its shapes must match the saved ones.
    state : dict
        ``param/<name>``, ``bn/<layer>/running_mean|running_var`` and ``dropout/<layer>`` arrays.
    source : str
        Where the state comes from, for error messages (a file name).

    Raises
    ------
    ValueError
        The state comes from a network with other parameters, other layer sizes, batch
        normalization or dropout where ``net`` has none (or the reverse), or lacks an entry;
        the message starts with ``source``.
    """
    for apply in _network_steps(net, state, source):
        apply()


def _network_steps(net, state: dict, source: str) -> list:
    """Checks ``state`` against ``net`` and returns the copies that restore it (not yet done)."""
    bn = [name for name, layer in net.layers.items() if hasattr(layer, "running_mean")]
    drop = [name for name, layer in net.layers.items() if hasattr(layer, "counter")]
    _same_layers(source, "batch normalization", bn,
                 {k.split("/")[1] for k in state if k.startswith("bn/")})
    _same_layers(source, "dropout", drop, {k.split("/")[1] for k in state if k.startswith("dropout/")})
    extra = sorted(k[len("param/"):] for k in state if k.startswith("param/")
                   and k[len("param/"):] not in net.params)
    if extra:
        raise ValueError(f"{source}: parameters {', '.join(extra)} are not in this network")
    targets = {f"param/{key}": target for key, target in net.params.items()}
    targets.update((f"bn/{name}/{stat}", getattr(net.layers[name], stat))
                   for name in bn for stat in ("running_mean", "running_var"))
    steps = [partial(np.copyto, target, _array(state, key, source, target.shape))
             for key, target in targets.items()]
    for name in drop:
        key, counter = (int(v) for v in _array(state, f"dropout/{name}", source, (2,)))
        steps.append(_set_stream(net.layers[name], key, counter))
    return steps


def _same_layers(source, what, mine, saved) -> None:
    mine_set = set(mine)
    if mine_set == saved:
        return
    if not mine_set:
        raise ValueError(f"{source}: saved from a network with {what} ({', '.join(sorted(saved))}), "
                         "this network has none")
    if not saved:
        raise ValueError(f"{source}: saved from a network without {what}, this network has "
                         f"{', '.join(mine)}")
    raise ValueError(f"{source}: saved with {what} in {', '.join(sorted(saved))}, this network has it in "
                     f"{', '.join(mine)}")


def _array(state, key, source, shape=None):
    if key not in state:
        raise ValueError(f"{source}: missing entry {key!r} (a damaged file, or not saved by this trainlab)")
    value = state[key]
    if value.dtype.kind not in "fiu":
        raise ValueError(f"{source}: {key} holds {value.dtype} values, not numbers")
    if shape is not None and value.shape != tuple(shape):
        what = f"parameter {key[len('param/'):]}" if key.startswith("param/") else key
        raise ValueError(f"{source}: {what} has shape {value.shape}, the network has {tuple(shape)}")
    return value


def _set_stream(layer, key, counter):
    def apply():
        layer.key, layer.counter = key, counter
    return apply


def save_checkpoint(trainer, path) -> None:
    """Write the whole state of ``trainer`` to ``path`` (a ``.npz`` file), atomically.

    Parameters, batch-norm statistics, dropout streams, optimizer state, random-generator state,
    iteration counters and the recorded lists: enough for :func:`load_checkpoint` to continue bit
    for bit. The file is written to a temporary name and renamed, so an existing checkpoint is
    never left half-written; temporary files of saves that were killed (``.checkpoint-*.npz`` in
    the same folder, held by no live process) are removed first.

    Parameters
    ----------
    trainer : trainlab.trainer.Trainer
        The trainer to save.
    path : str or os.PathLike
        The file to write.

    Raises
    ------
    OSError
        The file cannot be written (the temporary file is removed).
    """
    path = os.fspath(path)
    opt = trainer.optimizer.state_dict()
    arrays = network_state(trainer.network)
    for name, per_key in opt.pop("state").items():
        for key, value in per_key.items():
            arrays[f"opt/{name}/{key}"] = value
    if trainer.rng is not None:
        rng_state = {"kind": "generator", "state": trainer.rng.bit_generator.state}
    else:
        kind, keys, pos, has_gauss, gauss = np.random.get_state()
        arrays["rng/mt19937"] = keys
        rng_state = {"kind": "global", "name": kind, "pos": int(pos), "has_gauss": int(has_gauss),
                     "gauss": float(gauss)}
    for name in HISTORIES:
        arrays[f"history/{name}"] = np.asarray(getattr(trainer, f"{name}_list"), np.float64)
    meta = {"format": FORMAT, "dtype": str(trainer.network.dtype), "optimizer": opt, "rng": rng_state,
            "current_iter": trainer.current_iter, "current_epoch": trainer.current_epoch,
            "max_iter": trainer.max_iter, "batch_size": trainer.batch_size}
    arrays["meta"] = np.frombuffer(json.dumps(meta, default=_json_int).encode(), np.uint8)
    with replacing(path, prefix=TEMP_PREFIX, suffix=".npz") as f:
        np.savez(f, **arrays)


def _json_int(value):
    if isinstance(value, np.integer):
        return int(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def load_checkpoint(trainer, path) -> None:
    """Restore a state written by :func:`save_checkpoint` into ``trainer``, all or nothing.

    The whole file is read and checked against the trainer before anything is changed: a
    refused checkpoint leaves the network, the optimizer, the random generator and the
    histories as they were.

    Parameters
    ----------
    trainer : trainlab.trainer.Trainer
        A trainer built with the same network (layer sizes, batch normalization, dropout),
        dtype, optimizer, batch size and seeding (``seed=`` given or not) as the saved one.
    path : str or os.PathLike
        The checkpoint file.

    Raises
    ------
    ValueError
        The file is missing, empty, truncated, not an ``.npz`` archive, lacks an entry, has an
        unknown format, or was saved from a different network, dtype, optimizer, batch size or
        seeding; the message names the file and the mismatch. The file is left as it is.
    """
    path = os.fspath(path)
    arrays, meta = _read(path)
    for apply in _restore_steps(trainer, arrays, meta, path):
        apply()


def _read(path) -> tuple[dict, dict]:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the checkpoint ({exc.strerror or exc})") from None
    if size == 0:
        raise ValueError(f"{path}: empty file (0 bytes), not a trainlab checkpoint")
    try:
        with open(path, "rb") as fh:
            data = np.load(fh, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise ValueError("a single .npy array, not an .npz archive")
            with data:
                arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        raise ValueError(f"{path}: not a readable trainlab checkpoint ({exc})") from None
    if "meta" not in arrays:
        raise ValueError(f"{path}: no 'meta' entry, not a trainlab checkpoint")
    try:
        meta = json.loads(arrays.pop("meta").tobytes().decode())
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ValueError(f"{path}: unreadable 'meta' entry ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else meta
        raise ValueError(f"{path}: unknown checkpoint format {found!r}")
    for key in _META_KEYS:
        if key not in meta:
            raise ValueError(f"{path}: meta has no {key!r} (a damaged file, or not saved by this trainlab)")
    return arrays, meta


_META_KEYS = ("dtype", "batch_size", "optimizer", "rng", "current_iter", "current_epoch")


def _restore_steps(trainer, arrays: dict, meta: dict, path: str) -> list:
    """Every check of ``arrays``/``meta`` against ``trainer``; returns the changes to make."""
    if meta["dtype"] != str(trainer.network.dtype):
        raise ValueError(f"{path}: saved from a {meta['dtype']} network, this one is {trainer.network.dtype}")
    if meta["batch_size"] != trainer.batch_size:
        raise ValueError(f"{path}: saved with mini_batch_size {meta['batch_size']}, this trainer uses "
                         f"{trainer.batch_size}")
    steps = _network_steps(trainer.network, arrays, path)
    steps.append(_optimizer_step(trainer.optimizer, trainer.network.params, arrays, meta["optimizer"], path))
    steps.append(_rng_step(trainer, arrays, meta["rng"], path))
    histories = {name: _array(arrays, f"history/{name}", path).tolist() for name in HISTORIES}
    counters = []
    for key in ("current_iter", "current_epoch"):
        value = meta[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{path}: meta {key} is {value!r}, not a count")
        counters.append(value)

    def progress():
        for name, values in histories.items():
            setattr(trainer, f"{name}_list", values)
        trainer.current_iter, trainer.current_epoch = counters
        run = trainer._single()
        if run.last_good is not None:
            np.copyto(run.last_good, run.network.params.flat)
    steps.append(progress)
    return steps


def _optimizer_step(optimizer, params, arrays, saved: dict, path):
    current = optimizer.state_dict()
    if not isinstance(saved, dict) or saved.get("class") != current["class"]:
        found = saved.get("class") if isinstance(saved, dict) else saved
        raise ValueError(f"{path}: saved with optimizer {found}, this trainer uses {current['class']}")
    missing = sorted(set(current) - set(saved) - {"state"})
    if missing or set(saved.get("hyper", {})) != set(current["hyper"]):
        raise ValueError(f"{path}: optimizer settings {missing or sorted(saved.get('hyper', {}))} do not "
                         f"match {current['class']}'s")
    state = {name: {} for name in current["state"]}
    for key, value in arrays.items():
        if key.startswith("opt/"):
            _, name, param = key.split("/", 2)
            if name not in state or param not in params or value.shape != params[param].shape:
                raise ValueError(f"{path}: optimizer state {key[4:]} does not fit this network and "
                                 f"{current['class']}")
            state[name][param] = value
    for name, per_key in state.items():
        if per_key and set(per_key) != set(params):
            lacking = sorted(set(params) - set(per_key))[0]
            raise ValueError(f"{path}: optimizer state {name} has no entry for parameter {lacking}")
    loaded = dict(saved, state=state)
    return lambda: optimizer.load_state_dict(loaded)


def _rng_step(trainer, arrays, rng: dict, path):
    kind = rng.get("kind") if isinstance(rng, dict) else None
    if (kind == "generator") != (trainer.rng is not None):
        raise ValueError(f"{path}: saved with {'a' if kind == 'generator' else 'no'} seed=, "
                         "this trainer differs: create it the same way")
    try:
        if kind == "generator":
            state = rng["state"]
            type(trainer.rng.bit_generator)().state = state  # validated on a scratch generator
            return lambda: setattr(trainer.rng.bit_generator, "state", state)
        state = (rng["name"], _array(arrays, "rng/mt19937", path), rng["pos"], rng["has_gauss"],
                 rng["gauss"])
        np.random.RandomState().set_state(state)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(path):
            raise
        raise ValueError(f"{path}: the saved random-generator state does not fit this trainer "
                         f"({type(exc).__name__}: {exc})") from None
    return lambda: np.random.set_state(state)
