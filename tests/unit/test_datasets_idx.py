"""IDX reader, malformed files, folder lookup order and the .npz cache of trainlab.datasets."""

from __future__ import annotations

import gzip
import os
import pickle
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from trainlab import datasets
from trainlab.datasets import (
    DatasetUnavailableError,
    load_dataset,
    load_mnist,
    loaders,
    locate,
    read_idx,
    write_idx,
)
from trainlab.datasets import cache as dcache

NAMES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}


@pytest.fixture
def env(tmp_path, monkeypatch):
    """No real home, cache, system folders or network."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("TRAINLAB_OFFLINE", "1")
    monkeypatch.delenv("TRAINLAB_DATA", raising=False)
    monkeypatch.setattr(locate, "SYSTEM_DATA_DIRS", (str(tmp_path / "system"),))
    return tmp_path


def make_set(folder: Path, n_train=40, n_test=12, seed=0, shape=(28, 28), gz=True,
             names=None) -> dict:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, *shape), dtype=np.uint8),
        "train_labels": (np.arange(n_train) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, (n_test, *shape), dtype=np.uint8),
        "test_labels": (np.arange(n_test) % 10).astype(np.uint8),
    }
    for role, arr in arrays.items():
        name = (names or NAMES)[role]
        if not gz and name.endswith(".gz"):
            name = name[:-3]
        write_idx(folder / name, arr)
    return arrays


def idx_bytes(arr: np.ndarray, code=0x08) -> bytes:
    return (struct.pack(">BBBB", 0, 0, code, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
            + arr.tobytes())


# ----------------------------------------------------------------------------- reader


@pytest.mark.parametrize("dtype", ["u1", "i1", "i2", "i4", "f4", "f8"])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_roundtrip_all_types(tmp_path, dtype, suffix):
    arr = (np.arange(2 * 3 * 5) - 7).astype(dtype).reshape(2, 3, 5)
    p = tmp_path / f"a{suffix}"
    write_idx(p, arr)
    if suffix:
        assert p.read_bytes()[:2] == b"\x1f\x8b"
    out = read_idx(p)
    assert out.dtype == np.dtype(dtype).newbyteorder("=") and out.dtype.isnative
    np.testing.assert_array_equal(out, arr)


def test_gzip_detected_by_content_not_name(tmp_path):
    arr = np.arange(10, dtype=np.uint8)
    p = tmp_path / "labels-without-gz-suffix"
    p.write_bytes(gzip.compress(idx_bytes(arr)))
    np.testing.assert_array_equal(read_idx(p), arr)


def bad(tmp_path, payload: bytes, name="bad-file-idx", gz=False) -> Path:
    p = tmp_path / (name + (".gz" if gz else ""))
    p.write_bytes(gzip.compress(payload) if gz else payload)
    return p


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_payload(tmp_path, gz):
    data = idx_bytes(np.zeros((5, 28, 28), np.uint8))[:-100]
    p = bad(tmp_path, data, gz=gz)
    with pytest.raises(ValueError, match="truncated") as e:
        read_idx(p)
    assert str(p) in str(e.value) and "5x28x28" in str(e.value)


@pytest.mark.parametrize("gz", [False, True])
def test_oversized_trailing_bytes(tmp_path, gz):
    p = bad(tmp_path, idx_bytes(np.zeros((5, 28, 28), np.uint8)) + b"\0" * 7, gz=gz)
    # gzip: the trailing data is never inflated, so only its presence is reported
    message = "oversized: more data follows the 3920 bytes" if gz else "oversized: 7 unexpected bytes"
    with pytest.raises(ValueError, match=message) as e:
        read_idx(p)
    assert str(p) in str(e.value)


def test_truncated_header(tmp_path):
    p = bad(tmp_path, b"\0\0\x08")
    with pytest.raises(ValueError, match=r"truncated IDX header \(3 of 4"):
        read_idx(p)
    p = bad(tmp_path, b"\0\0\x08\x03" + b"\0\0\0\x05", name="short-dims")
    with pytest.raises(ValueError, match="short-dims: truncated IDX header"):
        read_idx(p)


def test_empty_file(tmp_path):
    with pytest.raises(ValueError, match="truncated IDX header"):
        read_idx(bad(tmp_path, b""))


def test_wrong_magic(tmp_path):
    p = bad(tmp_path, b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(ValueError, match="not an IDX file") as e:
        read_idx(p)
    assert str(p) in str(e.value)


def test_unknown_type_code(tmp_path):
    p = bad(tmp_path, b"\0\0\x07\x01\0\0\0\x01\x00")
    with pytest.raises(ValueError, match="unknown IDX data type code 0x07"):
        read_idx(p)


def test_wrong_type_and_ndim_checked_before_data(tmp_path):
    arr = np.zeros((3, 4), np.int32)
    p = bad(tmp_path, idx_bytes(arr.astype(">i4"), code=0x0C))
    with pytest.raises(ValueError, match=r"wrong data type 0x0c \(int32\), expected 0x08 \(uint8\)"):
        read_idx(p, dtype=np.uint8)
    p2 = bad(tmp_path, idx_bytes(np.zeros((3, 4), np.uint8)), name="two-d")
    with pytest.raises(ValueError, match="two-d: wrong number of dimensions 2, expected 3"):
        read_idx(p2, ndim=3)


def test_lying_header_does_not_allocate(tmp_path):
    # Claims 10^6 images (784 MB) but holds 10 bytes: reported as truncated, nothing allocated.
    p = bad(tmp_path, b"\0\0\x08\x03" + struct.pack(">3I", 10**6, 28, 28) + b"x" * 10)
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="only 10 bytes follow"):
        read_idx(p)
    assert time.perf_counter() - t0 < 1.0
    with pytest.raises(ValueError, match="more than the limit"):
        read_idx(p, max_bytes=1 << 20)
    huge = bad(tmp_path, b"\0\0\x08\x03" + struct.pack(">3I", 2**32 - 1, 2**32 - 1, 28), name="huge")
    with pytest.raises(ValueError, match="huge: header announces .* more than the limit"):
        read_idx(huge)


def test_corrupt_and_truncated_gzip(tmp_path):
    good = gzip.compress(idx_bytes(np.arange(200, dtype=np.uint8)))
    flipped = bytearray(good)
    flipped[-6] ^= 0xFF  # inside the CRC32 / ISIZE trailer
    p = tmp_path / "crc.gz"
    p.write_bytes(bytes(flipped))
    with pytest.raises(ValueError, match="crc.gz: corrupt gzip data"):
        read_idx(p)
    p = tmp_path / "cut.gz"
    p.write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match="cut.gz: truncated"):
        read_idx(p)


# ----------------------------------------------------------------------------- loader


def test_load_folder_book_shapes(env):
    arrays = make_set(env / "data")
    (x, t), (xt, tt) = load_mnist(root=env / "data")
    assert x.shape == (40, 784) and x.dtype == np.float32 and xt.shape == (12, 784)
    assert t.dtype == np.uint8 and t.shape == (40,)
    assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_array_equal(x, arrays["train_images"].reshape(40, -1).astype(np.float32) / 255.0)
    np.testing.assert_array_equal(t, arrays["train_labels"])
    (x, t), _ = load_mnist(normalize=False, flatten=False, one_hot_label=True, root=env / "data")
    assert x.shape == (40, 1, 28, 28) and x.dtype == np.uint8
    np.testing.assert_array_equal(x[:, 0], arrays["train_images"])
    assert t.shape == (40, 10) and t.dtype == np.float32
    np.testing.assert_array_equal(t.argmax(axis=1), arrays["train_labels"])
    assert (t.sum(axis=1) == 1).all()


def test_load_dataset_by_path_accepts_other_sizes_and_raw_names(env):
    names = {"train_images": "train-images.idx3-ubyte", "train_labels": "train-labels.idx1-ubyte",
             "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte.gz"}
    make_set(env / "odd", shape=(8, 6), names=names)
    (x, t), (xt, tt) = load_dataset(str(env / "odd"), flatten=False, one_hot_label=True)
    assert x.shape == (40, 1, 8, 6) and t.shape == (40, 10) and xt.shape == (12, 1, 8, 6)
    with pytest.raises(ValueError, match="unknown dataset"):
        load_dataset(str(env / "does-not-exist"))


def _write(folder: Path, role: str, payload: bytes):
    (folder / NAMES[role]).write_bytes(gzip.compress(payload))


@pytest.mark.parametrize(
    "role, payload, message",
    [
        ("train_images", lambda: idx_bytes(np.zeros((40, 28, 28), np.uint8))[:-1], "truncated"),
        ("test_labels", lambda: idx_bytes(np.zeros(12, np.uint8)) + b"junk", "oversized"),
        ("train_labels", lambda: b"\x08\x03\0\0" + idx_bytes(np.zeros(40, np.uint8))[4:],
         "not an IDX file"),
        ("test_images", lambda: idx_bytes(np.zeros((12, 28, 28), ">i2"), code=0x0B),
         "wrong data type"),
        ("train_images", lambda: idx_bytes(np.zeros((40, 784), np.uint8)),
         "wrong number of dimensions"),
        ("train_labels", lambda: idx_bytes(np.zeros(39, np.uint8)), "holds 40 images but .* holds 39 labels"),
        ("test_images", lambda: idx_bytes(np.zeros((12, 28, 27), np.uint8)),
         "images are 28x27, expected 28x28"),
        ("test_labels", lambda: idx_bytes(np.full(12, 10, np.uint8)), "label 10 out of range"),
    ],
    ids=["truncated", "oversized", "magic", "dtype", "ndim", "count-mismatch", "image-size", "label-range"],
)
def test_malformed_files_raise_valueerror_naming_file(env, role, payload, message):
    folder = env / "data"
    make_set(folder)
    _write(folder, role, payload())
    with pytest.raises(ValueError, match=message) as e:
        load_mnist(root=folder)
    assert NAMES[role].split(".")[0] in str(e.value)


def test_lookup_order(env, monkeypatch):
    make_set(env / "system" / "mnist", n_train=11)
    assert load_mnist()[0][0].shape[0] == 11
    make_set(env / "xdg-cache" / "trainlab" / "mnist", n_train=12)
    assert load_mnist()[0][0].shape[0] == 12
    make_set(env / "tl-data" / "mnist", n_train=13)
    monkeypatch.setenv("TRAINLAB_DATA", str(env / "nothing") + os.pathsep + str(env / "tl-data"))
    assert load_mnist()[0][0].shape[0] == 13
    make_set(env / "root", n_train=14)
    assert load_mnist(root=env / "root")[0][0].shape[0] == 14
    make_set(env / "root2" / "mnist", n_train=15)
    assert load_mnist(root=env / "root2")[0][0].shape[0] == 15
    # Fashion-MNIST has its own folders: none of the above are used for it.
    with pytest.raises(DatasetUnavailableError):
        datasets.load_fashion_mnist()


def test_xdg_data_dirs_and_home_cache(env, monkeypatch):
    make_set(env / "xdg-data" / "datasets" / "fashion-mnist", n_train=21)
    assert datasets.load_fashion_mnist()[0][0].shape[0] == 21
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert locate.user_cache_dir() == env / "home" / ".cache" / "trainlab"
    make_set(env / "home" / ".cache" / "trainlab" / "fashion-mnist", n_train=22)
    assert datasets.load_fashion_mnist()[0][0].shape[0] == 22
    assert (env / "home" / ".cache" / "trainlab" / "fashion-mnist").is_dir()


def test_incomplete_folder_is_skipped_and_reported(env):
    folder = env / "root"
    make_set(folder)
    (folder / NAMES["test_labels"]).unlink()
    with pytest.raises(DatasetUnavailableError) as e:
        load_mnist(root=folder)
    assert "lacks t10k-labels-idx1-ubyte.gz" in str(e.value)


def test_book_pickle_is_never_unpickled(env):
    marker = env / "pickle-was-loaded"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    folder = env / "root"
    folder.mkdir()
    (folder / "mnist.pkl").write_bytes(pickle.dumps(Evil()))
    with pytest.raises(DatasetUnavailableError, match="never loaded") as e:
        load_mnist(root=folder, download=False)
    assert not marker.exists()
    assert "download=False" in str(e.value)


# ----------------------------------------------------------------------------- cache


def _cache_files(env, name="mnist"):
    return sorted((env / "xdg-cache" / "trainlab" / name).glob("*.npz"))


def test_cache_written_and_used(env, monkeypatch):
    arrays = make_set(env / "root")
    load_mnist(root=env / "root")
    (npz,) = _cache_files(env)
    with np.load(npz, allow_pickle=False) as z:  # no object arrays in there
        assert set(z.files) >= {"x_train", "t_train", "x_test", "t_test"}
        np.testing.assert_array_equal(z["x_train"], arrays["train_images"])
    assert not [p for p in npz.parent.iterdir() if p.name.endswith(".part")]

    def boom(*a, **k):
        raise AssertionError("IDX files re-read although the cache is valid")

    monkeypatch.setattr(loaders, "read_idx", boom)
    (x, t), _ = load_mnist(normalize=False, root=env / "root")
    np.testing.assert_array_equal(x.reshape(40, 28, 28), arrays["train_images"])


def test_cache_disabled(env):
    make_set(env / "root")
    load_mnist(root=env / "root", cache=False)
    assert _cache_files(env) == []


@pytest.mark.parametrize("damage", ["garbage", "truncate", "wrong-arrays"])
def test_corrupt_cache_is_deleted_and_rebuilt(env, damage):
    arrays = make_set(env / "root")
    sources = {p: p.read_bytes() for p in (env / "root").iterdir()}
    load_mnist(root=env / "root")
    (npz,) = _cache_files(env)
    if damage == "garbage":
        npz.write_bytes(b"this is not a zip file" * 10)
    elif damage == "truncate":
        npz.write_bytes(npz.read_bytes()[:1000])
    else:
        with np.load(npz) as z:
            keep = {k: z[k] for k in z.files}
        keep["x_train"] = keep["x_train"][:5]
        np.savez(npz, **keep)
    with pytest.warns(RuntimeWarning, match="discarding"):
        (x, t), _ = load_mnist(normalize=False, flatten=False, root=env / "root")
    np.testing.assert_array_equal(x[:, 0], arrays["train_images"])
    assert {p: p.read_bytes() for p in (env / "root").iterdir()} == sources
    (npz2,) = _cache_files(env)
    with np.load(npz2, allow_pickle=False) as z:
        np.testing.assert_array_equal(z["x_train"], arrays["train_images"])


def test_stale_cache_rebuilt_when_sources_change(env):
    make_set(env / "root", seed=1)
    load_mnist(root=env / "root")
    new = make_set(env / "root", seed=2)
    st = (env / "root" / NAMES["train_images"]).stat()
    os.utime(env / "root" / NAMES["train_images"], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    (x, _), _ = load_mnist(normalize=False, root=env / "root")
    np.testing.assert_array_equal(x.reshape(-1, 28, 28), new["train_images"])
    assert len(_cache_files(env)) == 1


def test_unwritable_cache_only_warns(env, monkeypatch):
    make_set(env / "root")
    blocker = env / "xdg-cache"
    blocker.write_text("a file where the cache folder should be")
    with pytest.warns(RuntimeWarning, match="could not write dataset cache"):
        (x, _), _ = load_mnist(root=env / "root")
    assert x.shape == (40, 784)


def test_fingerprint_tracks_files(env):
    make_set(env / "root")
    files = locate.files_in_folder(env / "root")
    fp = dcache.fingerprint(files)
    assert fp.dtype.kind == "U" and len(fp) == 4
