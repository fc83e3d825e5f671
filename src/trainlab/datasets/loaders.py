"""``load_mnist`` and friends: find (or download) the IDX files, read, cache, convert.

The arrays are those of the book's ``dataset/mnist.py`` (*Deep Learning from Scratch*); their
types and shapes are described in :mod:`trainlab.datasets`.
"""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import cache as _cache
from .errors import DatasetUnavailableError
from .fetch import DEFAULT_TIMEOUT, Resource, fetch_resources, mirrors_from_env, offline
from .idx import read_idx
from .locate import (ROLES, SearchReport, files_in_folder, find_idx_files, idx_file_names,
                     user_cache_dir)

__all__ = [
    "DATASETS",
    "DatasetInfo",
    "DefaultDataset",
    "FASHION_MNIST_CLASSES",
    "SAMPLE_RESOURCE",
    "best_available",
    "load_dataset",
    "load_default_dataset",
    "load_fashion_mnist",
    "load_mnist",
    "load_sample",
]

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

#: Package-relative location of the embedded Fashion-MNIST sample.
SAMPLE_RESOURCE = ("data", "fashion_mnist_sample.npz")


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: str
    resources: dict[str, Resource]  # role -> resource
    mirrors: tuple[str, ...]
    mirrors_env: str
    image_shape: tuple[int, int] = (28, 28)
    num_classes: int = 10


def _resources(*digests_and_sizes: tuple[str, int]) -> dict[str, Resource]:
    """role -> the gzip file of that role, from (SHA-256, size) pairs in the order of ROLES."""
    return {role: Resource(idx_file_names(role)[0], f"sha256:{digest}", size)
            for role, (digest, size) in zip(ROLES, digests_and_sizes, strict=True)}


# SHA-256 digests and sizes of the original .gz files as served by the mirrors (the same
# values as TensorFlow Datasets' url_checksums/{mnist,fashion_mnist}.txt).  For MNIST these
# are the files whose MD5s torchvision checks (f68b3c2d..., d53e105e..., 9fb629c4...,
# ec29112d...).  Note: Debian's dataset-fashion-mnist recompresses the .gz files (no file
# name in the gzip header), so its files differ byte-wise from these although the IDX
# content is the same; local files are therefore validated structurally, not by digest.
DATASETS: dict[str, DatasetInfo] = {
    "mnist": DatasetInfo(
        name="mnist",
        title="MNIST",
        resources=_resources(
            ("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9912422),
            ("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28881),
            ("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1648877),
            ("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4542),
        ),
        mirrors=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ),
        mirrors_env="TRAINLAB_MNIST_MIRRORS",
    ),
    "fashion-mnist": DatasetInfo(
        name="fashion-mnist",
        title="Fashion-MNIST",
        resources=_resources(
            ("3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26421880),
            ("a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29515),
            ("346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4422102),
            ("67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5148),
        ),
        mirrors=(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        ),
        mirrors_env="TRAINLAB_FASHION_MNIST_MIRRORS",
    ),
}
_ALIASES = {"fashion_mnist": "fashion-mnist", "fashionmnist": "fashion-mnist"}


# --------------------------------------------------------------------------- conversion


def _finish(data: dict[str, np.ndarray], normalize, flatten, one_hot_label,
            num_classes) -> Arrays:
    def prep_x(x: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        x = x.reshape(n, -1) if flatten else x.reshape(n, 1, *x.shape[1:])
        if normalize:
            x = np.divide(x, np.float32(255.0), dtype=np.float32)  # one pass, == book's x/255
        return x

    def prep_t(t: np.ndarray) -> np.ndarray:
        if not one_hot_label:
            return t
        out = np.zeros((t.size, num_classes), dtype=np.float32)
        out[np.arange(t.size), t] = 1.0
        return out

    return ((prep_x(data["x_train"]), prep_t(data["t_train"])),
            (prep_x(data["x_test"]), prep_t(data["t_test"])))


# --------------------------------------------------------------------------- reading


def _read_files(files: dict[str, Path], image_shape, num_classes) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for split in ("train", "test"):
        ip, lp = files[f"{split}_images"], files[f"{split}_labels"]
        x = read_idx(ip, dtype=np.uint8, ndim=3)
        if image_shape is not None and x.shape[1:] != tuple(image_shape):
            raise ValueError(
                f"{ip}: images are {x.shape[1]}x{x.shape[2]}, expected "
                f"{image_shape[0]}x{image_shape[1]}")
        t = read_idx(lp, dtype=np.uint8, ndim=1)
        if x.shape[0] != t.shape[0]:
            raise ValueError(
                f"{ip} holds {x.shape[0]} images but {lp} holds {t.shape[0]} labels")
        if num_classes is not None and t.size and int(t.max()) >= num_classes:
            raise ValueError(f"{lp}: label {int(t.max())} out of range 0..{num_classes - 1}")
        out[f"x_{split}"], out[f"t_{split}"] = x, t
    return out


def _read_cached(cache_name: str, files, image_shape, num_classes, use_cache: bool):
    if not use_cache:
        return _read_files(files, image_shape, num_classes)
    fp = _cache.fingerprint(files)
    cpath = _cache.cache_path(user_cache_dir() / cache_name, cache_name, files)
    data = _cache.load_cache(cpath, fp)
    # The cache may be stale against a stricter check; re-validate cheaply.
    if data is not None and (image_shape is None
                             or data["x_train"].shape[1:] == tuple(image_shape)):
        return data
    data = _read_files(files, image_shape, num_classes)
    _cache.save_cache(cpath, data, fp)
    return data


# --------------------------------------------------------------------------- lookup


def _unavailable(info: DatasetInfo, report: SearchReport, why: str, short: str,
                 errors: Sequence[str]) -> DatasetUnavailableError:
    names = "  ".join(r.filename for r in info.resources.values())
    lines = [f"{info.title} is not available: no local copy was found and {why}."]
    if errors:
        lines.append("Download attempts:")
        lines.extend(f"  {e}" for e in errors)
    lines.append(report.describe())
    lines += [
        f"To use {info.title} offline, copy its four IDX files (gzip-compressed or not)",
        f"    {names}",
        "into one of these folders:",
        f"    {user_cache_dir() / info.name}",
        f"    $TRAINLAB_DATA/{info.name}   (set TRAINLAB_DATA to a folder of your choice)",
        f"or pass root='/folder/with/the/files' (e.g. load_dataset('{info.name}', root=...)).",
        f"To download from another server set {info.mirrors_env}=<base URL>[,<base URL>...].",
    ]
    reason = f"no local copy; {short}" + (f": {errors[-1]}" if errors else "")
    return DatasetUnavailableError("\n".join(lines), reason=reason)


def _load_named(info: DatasetInfo, normalize, flatten, one_hot_label, *, root, download,
                mirrors, progress, cache, timeout: float = DEFAULT_TIMEOUT,
                deadline: float | None = None) -> tuple[Arrays, str]:
    report = SearchReport()
    files = find_idx_files(info.name, root, report)
    if files is None:
        errors: list[str] = []
        if not download:
            why = short = "downloading is disabled (download=False)"
        elif offline():
            why = short = "downloading is disabled ($TRAINLAB_OFFLINE is set)"
        else:
            dest = Path(root).expanduser() if root is not None else user_cache_dir() / info.name
            urls = list(mirrors) if mirrors is not None else mirrors_from_env(info.mirrors_env, info.mirrors)
            got, errors = fetch_resources(info.resources.values(), dest, urls, progress=progress,
                                          timeout=timeout, deadline=deadline)
            if len(got) == len(info.resources):
                files = {role: got[res.filename] for role, res in info.resources.items()}
            why, short = "the download failed (offline?)", "download failed"
        if files is None:
            raise _unavailable(info, report, why, short, errors)
    data = _read_cached(info.name, files, info.image_shape, info.num_classes, cache)
    arrays = _finish(data, normalize, flatten, one_hot_label, info.num_classes)
    return arrays, str(Path(files["train_images"]).parent)


def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False, *,
               root: str | os.PathLike[str] | None = None, download: bool = True,
               mirrors: Sequence[str] | None = None, progress: bool = True,
               cache: bool = True) -> Arrays:
    """Load MNIST as ``((x_train, t_train), (x_test, t_test))``, the book's signature.

    Parameters
    ----------
    normalize:
        float32 pixels in [0, 1] (``True``) or the raw uint8 values 0..255.
    flatten:
        ``(N, 784)`` rows (``True``) or ``(N, 1, 28, 28)`` images.
    one_hot_label:
        float32 one-hot ``(N, 10)`` labels instead of uint8 class indices.
    root:
        A folder to look in first (the files themselves, or ``root/mnist/``); downloads go
        there too when given.
    download:
        Download from the public mirrors (SHA-256-verified) when no local copy exists; a
        mirror that stalls or takes longer than ``$TRAINLAB_DOWNLOAD_DEADLINE`` seconds (default
        600) gives way to the next.
    mirrors:
        Base URLs replacing the default mirrors (also ``$TRAINLAB_MNIST_MIRRORS``).
    progress:
        Show a download progress bar (tqdm if installed) on stderr.
    cache:
        Use / write the fast ``.npz`` copy in the user cache folder.

    Returns
    -------
    tuple
        ``((x_train, t_train), (x_test, t_test))``: 60,000 and 10,000 images.

    Notes
    -----
    Files are looked for in ``root``, ``$TRAINLAB_DATA/mnist``, the user cache folder
    (``~/.cache/trainlab/mnist``) and system folders (``/usr/share/datasets/mnist``); see
    :mod:`trainlab.datasets.locate`.  The book's ``mnist.pkl`` is never unpickled (unsafe).

    Raises
    ------
    DatasetUnavailableError
        No local copy and no download possible; the message says how to supply the files.
    ValueError
        A file is malformed (truncated, wrong magic, ...); the message names it.
    """
    return _load_named(DATASETS["mnist"], normalize, flatten, one_hot_label, root=root,
                       download=download, mirrors=mirrors, progress=progress, cache=cache)[0]


def load_fashion_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False,
                       *, root: str | os.PathLike[str] | None = None, download: bool = True,
                       mirrors: Sequence[str] | None = None, progress: bool = True,
                       cache: bool = True) -> Arrays:
    """Load Fashion-MNIST (Zalando Research, MIT licence); same interface as :func:`load_mnist`.

    Besides ``root``/``$TRAINLAB_DATA``/the user cache, Debian's ``dataset-fashion-mnist``
    package (``/usr/share/datasets/fashion-mnist``) is found automatically.  Mirrors can be
    replaced with ``$TRAINLAB_FASHION_MNIST_MIRRORS``.  Class names: ``FASHION_MNIST_CLASSES``.

    Parameters
    ----------
    normalize, flatten, one_hot_label : bool
        As for :func:`load_mnist`: float32 pixels in [0, 1], ``(N, 784)`` rows, one-hot labels.
    root, download, mirrors, progress, cache
        As for :func:`load_mnist`.

    Raises
    ------
    DatasetUnavailableError
        No local copy and no download possible.
    ValueError
        A file is malformed; the message names it.
    """
    return _load_named(DATASETS["fashion-mnist"], normalize, flatten, one_hot_label, root=root,
                       download=download, mirrors=mirrors, progress=progress, cache=cache)[0]


def load_sample(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False) -> Arrays:
    """The embedded class-balanced Fashion-MNIST sample (6,000 train + 1,000 test images).

    Shipped inside the package (``trainlab/data/fashion_mnist_sample.npz``, made by
    ``scripts/make_sample_dataset.py`` from the real Fashion-MNIST files; MIT licence,
    Copyright (c) 2017 Zalando SE, see ``trainlab/data/FASHION_MNIST_LICENSE.txt``), so it
    works offline on a fresh install.

    Parameters
    ----------
    normalize, flatten, one_hot_label : bool
        As for :func:`load_mnist`: float32 pixels in [0, 1], ``(N, 784)`` rows, one-hot labels.

    Returns
    -------
    tuple
        ``((x_train, t_train), (x_test, t_test))``.

    Raises
    ------
    DatasetUnavailableError
        The embedded file is missing from the installation.
    ValueError
        The embedded file is damaged.
    """
    res = importlib.resources.files("trainlab")
    for part in SAMPLE_RESOURCE:
        res = res / part
    try:
        with res.open("rb") as f, np.load(f, allow_pickle=False) as z:
            data = {k: z[k] for k in _cache.KEYS}
    except FileNotFoundError as exc:
        raise DatasetUnavailableError(
            f"the embedded sample dataset is missing from the installation ({exc}); "
            "reinstall trainlab or run scripts/make_sample_dataset.py",
            reason="embedded sample missing") from exc
    split = _cache.malformed_split(data)
    if split is not None:
        raise ValueError(f"{res}: malformed embedded sample ({split} split)")
    return _finish(data, normalize, flatten, one_hot_label, 10)


def _canonical(name: str) -> str | None:
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in DATASETS or key == "sample" else None


def load_dataset(name: str | os.PathLike[str], normalize: bool = True, flatten: bool = True,
                 one_hot_label: bool = False, *, root: str | os.PathLike[str] | None = None,
                 download: bool = True, mirrors: Sequence[str] | None = None,
                 progress: bool = True, cache: bool = True) -> Arrays:
    """Load a dataset by name -- ``'mnist'``, ``'fashion-mnist'``, ``'sample'`` -- or by path.

    A path (a ``PathLike`` or a string that is not one of the names) must be a folder
    holding the four IDX files (``train-images-idx3-ubyte[.gz]`` ...); images of any size
    are accepted there and one-hot labels get ``max(label) + 1`` columns.  Other arguments
    are those of :func:`load_mnist` (``root``/``download``/``mirrors``/``progress`` only
    matter for the downloadable datasets).

    Parameters
    ----------
    name : str or os.PathLike
        ``'mnist'``, ``'fashion-mnist'``, ``'sample'`` or a folder of IDX files.
    normalize, flatten, one_hot_label : bool
        As for :func:`load_mnist`: float32 pixels in [0, 1], ``(N, 784)`` rows, one-hot labels.
    root, download, mirrors, progress, cache
        As for :func:`load_mnist`.

    Returns
    -------
    tuple
        ``((x_train, t_train), (x_test, t_test))``.

    Raises
    ------
    ValueError
        ``name`` is neither a known dataset nor a folder, or a file is malformed.
    DatasetUnavailableError
        A named dataset has no local copy and cannot be downloaded.

    Examples
    --------
    >>> from trainlab.datasets import load_dataset
    >>> (x_train, t_train), (x_test, t_test) = load_dataset("sample")
    >>> x_train.shape, x_test.shape, int(t_train.max())
    ((6000, 784), (1000, 784), 9)
    """
    canon = None if isinstance(name, os.PathLike) else _canonical(str(name))
    if canon == "sample":
        return load_sample(normalize, flatten, one_hot_label)
    if canon is not None:
        return _load_named(DATASETS[canon], normalize, flatten, one_hot_label, root=root,
                           download=download, mirrors=mirrors, progress=progress,
                           cache=cache)[0]
    folder = Path(name).expanduser()
    if not folder.is_dir():
        raise ValueError(
            f"unknown dataset {str(name)!r}: expected 'mnist', 'fashion-mnist', 'sample' or "
            "a folder holding the four IDX files")
    data = _read_cached("custom", files_in_folder(folder), None, None, cache)
    k = 1 + int(max(data["t_train"].max(initial=0), data["t_test"].max(initial=0)))
    return _finish(data, normalize, flatten, one_hot_label, k)


class DefaultDataset(NamedTuple):
    """Result of :func:`load_default_dataset`: ``name``, ``data`` and ``message``.

    Parameters
    ----------
    name : str
        ``'mnist'``, ``'fashion-mnist'`` or ``'sample'``.
    data : tuple
        ``((x_train, t_train), (x_test, t_test))``.
    message : str
        What was used and, after a fallback, why.
    """

    name: str        #: 'mnist', 'fashion-mnist' or 'sample'
    data: Arrays     #: ((x_train, t_train), (x_test, t_test))
    message: str     #: what was used and, after a fallback, why


_TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "sample": "The embedded sample"}


def load_default_dataset(normalize: bool = True, flatten: bool = True,
                         one_hot_label: bool = False, *,
                         candidates: Sequence[str] = ("mnist", "fashion-mnist", "sample"),
                         download: bool = True, progress: bool = True,
                         cache: bool = True, timeout: float = 10.0,
                         deadline: float | None = None) -> DefaultDataset:
    """Load the best dataset available: MNIST, else Fashion-MNIST, else the embedded sample.

    MNIST is downloaded if missing and ``download`` (a quick failure when offline); any
    dataset that is unavailable or whose files are malformed is skipped and the returned
    ``message`` says why, e.g. ``"MNIST is not available (no local copy; download failed:
    ...); using Fashion-MNIST from /usr/share/datasets/fashion-mnist instead."``
    ``timeout`` (seconds) bounds each network wait so an offline machine falls back quickly,
    and ``deadline`` each download attempt.

    Parameters
    ----------
    normalize, flatten, one_hot_label : bool
        As for :func:`load_mnist`: float32 pixels in [0, 1], ``(N, 784)`` rows, one-hot labels.
    candidates : sequence of str
        Datasets to try, in order (default MNIST, Fashion-MNIST, the sample).
    download, progress, cache : bool
        As for :func:`load_mnist`.
    timeout : float
        Seconds each network wait may take (also the stall window of a transfer).
    deadline : float, optional
        Seconds each download attempt may take (default ``$TRAINLAB_DOWNLOAD_DEADLINE`` or 600).

    Returns
    -------
    DefaultDataset

    Raises
    ------
    ValueError
        An unknown name in ``candidates``.
    DatasetUnavailableError
        None of the candidates could be loaded.
    """
    reasons: list[str] = []
    for cand in candidates:
        canon = _canonical(cand)
        if canon is None:
            raise ValueError(f"unknown dataset {cand!r}")
        try:
            if canon == "sample":
                data = load_sample(normalize, flatten, one_hot_label)
                used = (f"using the embedded Fashion-MNIST sample ({len(data[0][0]):,} training + "
                        f"{len(data[1][0]):,} test images)")
            else:
                data, where = _load_named(DATASETS[canon], normalize, flatten, one_hot_label,
                                          root=None, download=download, mirrors=None,
                                          progress=progress, cache=cache, timeout=timeout,
                                          deadline=deadline)
                used = f"using {_TITLES[canon]} from {where}"
        except DatasetUnavailableError as exc:
            reasons.append(f"{_TITLES[canon]} is not available ({exc.reason})")
            continue
        except ValueError as exc:
            reasons.append(f"{_TITLES[canon]} could not be read ({exc})")
            continue
        if reasons:
            message = "; ".join(reasons) + f"; {used} instead."
        else:
            message = used[0].upper() + used[1:] + "."
        return DefaultDataset(canon, data, message)
    raise DatasetUnavailableError("no dataset is available: " + "; ".join(reasons),
                                  reason="no dataset available")


#: Alias of :func:`load_default_dataset`.
best_available = load_default_dataset
