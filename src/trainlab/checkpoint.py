"""Trainer checkpoints: everything needed to continue a run bit for bit, in one .npz file.

Saved: the network's parameters, batch-norm running statistics and dropout streams, the
optimizer's step count, hyperparameters and state, the batch sampler's RNG state, the loss and
accuracy histories and the iteration/epoch counters. Written to a temporary file in the same
folder, flushed to disk, then renamed over the target: a crash leaves the old checkpoint or the
new one, never half of one. Read with ``allow_pickle=False``: a checkpoint cannot run code.
"""
from __future__ import annotations

import json
import os
import tempfile
import zipfile

import numpy as np

FORMAT = "trainlab-checkpoint-1"


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
    """Copy a :func:`network_state` dict back into ``net`` in place.

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
        A parameter is missing or has another shape than the network's.
    KeyError
        A batch-norm or dropout entry of the network is missing from ``state``.
    """
    for key, target in net.params.items():
        saved = state.get(f"param/{key}")
        if saved is None or saved.shape != target.shape:
            got = None if saved is None else saved.shape
            raise ValueError(f"{source}: parameter {key} has shape {got}, the network has {target.shape}")
        target[...] = saved
    for name, layer in net.layers.items():
        if hasattr(layer, "running_mean"):
            layer.running_mean[...] = state[f"bn/{name}/running_mean"]
            layer.running_var[...] = state[f"bn/{name}/running_var"]
        if hasattr(layer, "counter"):
            key, counter = state[f"dropout/{name}"]
            layer.key, layer.counter = int(key), int(counter)


def save_checkpoint(trainer, path) -> None:
    """Write the whole state of ``trainer`` to ``path`` (a ``.npz`` file), atomically.

    Parameters, batch-norm statistics, dropout streams, optimizer state, random-generator state,
    iteration counters and the recorded lists: enough for :func:`load_checkpoint` to continue bit
    for bit. The file is written to a temporary name and renamed, so an existing checkpoint is
    never left half-written.

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
    arrays["history/train_loss"] = np.asarray(trainer.train_loss_list, np.float64)
    arrays["history/train_acc"] = np.asarray(trainer.train_acc_list, np.float64)
    arrays["history/test_acc"] = np.asarray(trainer.test_acc_list, np.float64)
    meta = {"format": FORMAT, "dtype": str(trainer.network.dtype), "optimizer": opt, "rng": rng_state,
            "current_iter": trainer.current_iter, "current_epoch": trainer.current_epoch,
            "max_iter": trainer.max_iter, "batch_size": trainer.batch_size}
    arrays["meta"] = np.frombuffer(json.dumps(meta, default=_json_int).encode(), np.uint8)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".checkpoint-", suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _json_int(value):
    if isinstance(value, np.integer):
        return int(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def load_checkpoint(trainer, path) -> None:
    """Restore a state written by :func:`save_checkpoint` into ``trainer``.

    Parameters
    ----------
    trainer : trainlab.trainer.Trainer
        A trainer built with the same network shape, dtype, batch size and seeding
        (``seed=`` given or not) as the saved one.
    path : str or os.PathLike
        The checkpoint file.

    Raises
    ------
    ValueError
        The file is not a readable trainlab checkpoint, has an unknown format, or was saved from
        a different network, dtype, batch size or seeding; the message names the file, which
        is left as it is.
    """
    path = os.fspath(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable trainlab checkpoint ({exc})") from None
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path}: unknown checkpoint format {meta.get('format')!r}")
    if meta["dtype"] != str(trainer.network.dtype):
        raise ValueError(f"{path}: saved from a {meta['dtype']} network, this one is {trainer.network.dtype}")
    if meta["batch_size"] != trainer.batch_size:
        raise ValueError(f"{path}: saved with mini_batch_size {meta['batch_size']}, this trainer uses "
                         f"{trainer.batch_size}")
    rng = meta["rng"]
    if (rng["kind"] == "generator") != (trainer.rng is not None):
        raise ValueError(f"{path}: saved with {'a' if rng['kind'] == 'generator' else 'no'} seed=, "
                         "this trainer differs: create it the same way")
    load_network_state(trainer.network, arrays, path)
    opt = meta["optimizer"]
    opt["state"] = {}
    for key, value in arrays.items():
        if key.startswith("opt/"):
            _, name, param = key.split("/", 2)
            opt["state"].setdefault(name, {})[param] = value
    trainer.optimizer.load_state_dict(opt)
    if rng["kind"] == "generator":
        trainer.rng.bit_generator.state = rng["state"]
    else:
        np.random.set_state((rng["name"], arrays["rng/mt19937"], rng["pos"], rng["has_gauss"], rng["gauss"]))
    trainer.train_loss_list = arrays["history/train_loss"].tolist()
    trainer.train_acc_list = arrays["history/train_acc"].tolist()
    trainer.test_acc_list = arrays["history/test_acc"].tolist()
    trainer.current_iter, trainer.current_epoch = meta["current_iter"], meta["current_epoch"]
    run = trainer._single()
    if run.last_good is not None:
        np.copyto(run.last_good, run.network.params.flat)
