"""Checkpoints: a refused load changes nothing, every refusal is a ValueError naming the file and
the mismatch, and temporary files of a killed save are cleaned by the next save."""
import fcntl
import json
import os
import zipfile

import numpy as np
import pytest

import trainlab
from trainlab import Trainer


def blobs(n=200, d=20, c=3):
    rng = np.random.default_rng(3)
    centers = rng.standard_normal((c, d)) * 3
    t = rng.integers(0, c, n)
    return (centers[t] + rng.standard_normal((n, d))).astype(np.float32), t


def trainer(hidden=(16, 16), *, batchnorm=False, dropout=False, optimizer="adam", seed=0):
    x, t = blobs()
    net = trainlab.MultiLayerNetExtend(20, list(hidden), 3, use_batchnorm=batchnorm,
                                       use_dropout=dropout, dropout_ratio=0.2, seed=seed)
    return Trainer(net, x[:150], t[:150], x[150:], t[150:], epochs=2, mini_batch_size=30,
                   optimizer=optimizer, optimizer_param={"lr": 0.01}, verbose=False, seed=seed)


def trained(path, **kw):
    tr = trainer(**kw)
    tr.train()
    tr.save_checkpoint(path)
    return tr


def snapshot(tr) -> dict:
    """Everything a load may change, as plain comparable values."""
    net = tr.network
    out = {f"param/{k}": v.copy() for k, v in net.params.items()}
    for name, layer in net.layers.items():
        if hasattr(layer, "running_mean"):
            out[f"bn/{name}"] = (layer.running_mean.copy(), layer.running_var.copy())
        if hasattr(layer, "counter"):
            out[f"dropout/{name}"] = (layer.key, layer.counter)
    sd = tr.optimizer.state_dict()
    out["opt"] = json.dumps({k: v for k, v in sd.items() if k != "state"}, sort_keys=True)
    for name, per_key in sd["state"].items():
        for key, value in per_key.items():
            out[f"opt/{name}/{key}"] = value.copy()
    out["rng"] = json.dumps(tr.rng.bit_generator.state, sort_keys=True, default=int)
    out["history"] = (list(tr.train_loss_list), list(tr.train_acc_list), list(tr.test_acc_list))
    out["counters"] = (tr.current_iter, tr.current_epoch)
    return out


def assert_same(a: dict, b: dict):
    assert a.keys() == b.keys()
    for key in a:
        left, right = a[key], b[key]
        if isinstance(left, np.ndarray):
            np.testing.assert_array_equal(left, right, err_msg=key)
        elif isinstance(left, tuple) and left and isinstance(left[0], np.ndarray):
            for x, y in zip(left, right):
                np.testing.assert_array_equal(x, y, err_msg=key)
        else:
            assert left == right, key


@pytest.mark.parametrize("saved, loader, message", [
    (dict(optimizer="adam"), dict(optimizer="sgd"), r"saved with optimizer Adam, this trainer uses SGD"),
    (dict(hidden=(16, 16)), dict(hidden=(16, 17)), r"parameter W2 has shape \(16, 16\), the network has "
                                                     r"\(16, 17\)"),
    (dict(batchnorm=True), dict(), r"saved from a network with batch normalization \(BatchNorm1, "
                                   r"BatchNorm2\), this network has none"),
    (dict(), dict(batchnorm=True), r"saved from a network without batch normalization, this network has "
                                   r"BatchNorm1, BatchNorm2"),
    (dict(dropout=True), dict(), r"saved from a network with dropout \(Dropout1, Dropout2\), this "
                                 r"network has none"),
], ids=["optimizer", "layer-sizes", "batchnorm-into-plain", "plain-into-batchnorm", "dropout-into-plain"])
def test_a_refused_checkpoint_changes_nothing(tmp_path, saved, loader, message):
    path = tmp_path / "run.npz"
    trained(path, **saved)
    target = trainer(**loader, seed=7)
    target.train()  # state worth protecting: trained weights, optimizer moments, histories
    before = snapshot(target)
    with pytest.raises(ValueError, match=r"run\.npz: " + message):
        target.load_checkpoint(path)
    assert_same(snapshot(target), before)


def _rewrite(path, drop=(), meta_drop=()):
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files if k not in drop}
    if meta_drop:
        meta = json.loads(arrays["meta"].tobytes())
        for key in meta_drop:
            del meta[key]
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    np.savez(path, **arrays)


def _damage(kind, path):
    good = path.read_bytes()
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "npy":
        np.save(path.with_suffix(".npy"), np.arange(3))
        os.replace(path.with_suffix(".npy"), path)
    elif kind == "text":
        path.write_text("not a checkpoint")
    elif kind == "flipped-byte":  # a CRC error inside a stored array
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("param/W1.npy")
        body = bytearray(good)
        body[info.header_offset + 200] ^= 0xFF
        path.write_bytes(bytes(body))
    elif kind == "no-meta":
        _rewrite(path, drop=("meta",))
    elif kind == "no-history":
        _rewrite(path, drop=("history/test_acc",))
    elif kind == "no-bn-stats":
        _rewrite(path, drop=("bn/BatchNorm2/running_var",))
    elif kind == "no-dropout-stream":
        _rewrite(path, drop=("dropout/Dropout1",))
    elif kind == "no-optimizer-state":
        _rewrite(path, drop=("opt/m/W2",))
    elif kind == "meta-no-dtype":
        _rewrite(path, meta_drop=("dtype",))
    elif kind == "meta-no-counters":
        _rewrite(path, meta_drop=("current_iter",))


@pytest.mark.parametrize("kind, message", [
    ("empty", "empty file"),
    ("truncated", "not a readable trainlab checkpoint"),
    ("npy", "not a readable trainlab checkpoint"),
    ("text", "not a readable trainlab checkpoint"),
    ("flipped-byte", "not a readable trainlab checkpoint"),
    ("no-meta", "no 'meta' entry"),
    ("no-history", "missing entry 'history/test_acc'"),
    ("no-bn-stats", "missing entry 'bn/BatchNorm2/running_var'"),
    ("no-dropout-stream", "saved with dropout in Dropout2, this network has it in Dropout1, Dropout2"),
    ("no-optimizer-state", r"optimizer state m has no entry for parameter W2"),
    ("meta-no-dtype", "meta has no 'dtype'"),
    ("meta-no-counters", "meta has no 'current_iter'"),
])
def test_unreadable_checkpoints_are_value_errors_naming_the_file(tmp_path, kind, message):
    path = tmp_path / "ckpt.npz"
    trained(path, batchnorm=True, dropout=True)
    _damage(kind, path)
    damaged = path.read_bytes()
    target = trainer(batchnorm=True, dropout=True, seed=7)
    target.train()
    before = snapshot(target)
    with pytest.raises(ValueError, match=f"ckpt.npz: .*{message}"):
        target.load_checkpoint(path)
    assert_same(snapshot(target), before)
    assert path.read_bytes() == damaged


def test_a_matching_checkpoint_still_loads(tmp_path):
    path = tmp_path / "ok.npz"
    saved = trained(path, batchnorm=True, dropout=True)
    target = trainer(batchnorm=True, dropout=True, seed=7)
    target.load_checkpoint(path)
    assert_same(snapshot(target), snapshot(saved))


def test_a_killed_save_leaves_nothing_behind_after_the_next_save(tmp_path):
    leftover = tmp_path / ".checkpoint-k1ll3d.npz"   # what kill -9 during a save leaves
    leftover.write_bytes(b"PK\x03\x04 half of a checkpoint")
    other = tmp_path / ".checkpoint-w0rk1n.npz"      # another process is writing this one now
    other.write_bytes(b"PK\x03\x04 being written")
    unrelated = tmp_path / "notes.npz"
    unrelated.write_bytes(b"keep me")
    with open(other, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        tr = trainer()
        tr.save_checkpoint(tmp_path / "run.npz")
        assert other.exists()  # a live writer's file is never taken from it
    assert not leftover.exists()
    assert unrelated.read_bytes() == b"keep me"
    tr.save_checkpoint(tmp_path / "run.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.npz", "run.npz"]
    assert oct((tmp_path / "run.npz").stat().st_mode & 0o777) == oct(0o644)
