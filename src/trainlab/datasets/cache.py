"""The fast ``.npz`` copy written after the first read of a dataset's IDX files.

One uncompressed ``.npz`` per source folder, in ``<user cache>/<name>/``, named after a
hash of the source folder and holding ``x_train, t_train, x_test, t_test`` (uint8, as in
the files) plus a fingerprint (path, size, mtime of the four source files).  It is read
with ``allow_pickle=False`` and written to a temporary file renamed into place (what a killed
write leaves is removed by the next).  A cache that cannot be read, does not match its sources
or holds unexpected arrays is deleted and rebuilt from the source files; the source files
themselves are never modified.
"""

from __future__ import annotations

import contextlib
import hashlib
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from trainlab._atomic import replacing

__all__ = ["CACHE_VERSION", "cache_path", "fingerprint", "load_cache", "malformed_split",
           "save_cache"]

CACHE_VERSION = 1
KEYS = ("x_train", "t_train", "x_test", "t_test")


def fingerprint(files: Mapping[str, Path]) -> np.ndarray:
    """Unicode array describing the source files (absolute path, size, mtime_ns)."""
    rows = []
    for role in sorted(files):
        p = Path(files[role]).resolve()
        st = p.stat()
        rows.append(f"{role}|{p}|{st.st_size}|{st.st_mtime_ns}")
    return np.array(rows)


def cache_path(cache_dir: Path, name: str, files: Mapping[str, Path]) -> Path:
    folder = str(Path(next(iter(files.values()))).resolve().parent)
    key = hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return cache_dir / f"{name}-{key}.npz"


def malformed_split(data: Mapping[str, np.ndarray]) -> str | None:
    """The first split (``'train'``, ``'test'``) that is not uint8 images ``(N, H, W)`` with
    ``N`` uint8 labels, or None when both are well formed."""
    for split in ("train", "test"):
        x, t = data[f"x_{split}"], data[f"t_{split}"]
        if (x.dtype != np.uint8 or t.dtype != np.uint8 or x.ndim != 3 or t.ndim != 1
                or len(x) != len(t)):
            return split
    return None


def load_cache(path: Path, expected_fp: np.ndarray) -> dict[str, np.ndarray] | None:
    """Arrays from a valid cache, or None (missing / stale / corrupt; a bad file is deleted)."""
    if not path.is_file():
        return None
    try:
        # Own the file handle: np.load(path) leaks it when the zip directory is corrupt.
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as z:
            version = int(z["_version"])
            fp = z["_fingerprint"]
            current = (version == CACHE_VERSION and fp.shape == expected_fp.shape
                       and np.array_equal(fp, expected_fp))
            data = {k: z[k] for k in KEYS} if current else None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, TypeError) as exc:
        warnings.warn(f"discarding unreadable dataset cache {path}: {exc}", RuntimeWarning,
                      stacklevel=3)
        data = None
    if data is not None and malformed_split(data) is not None:
        warnings.warn(f"discarding malformed dataset cache {path}", RuntimeWarning, stacklevel=3)
        data = None
    if data is None:  # unreadable, stale or malformed
        with contextlib.suppress(OSError):
            path.unlink()
    return data


def save_cache(path: Path, arrays: Mapping[str, np.ndarray], fp: np.ndarray) -> None:
    """Write the cache atomically; only a warning if it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(path, prefix=f".{path.name}.", suffix=".part") as out:
            np.savez(out, _version=np.array(CACHE_VERSION), _fingerprint=fp,
                     **{k: arrays[k] for k in KEYS})
    except OSError as exc:
        warnings.warn(f"could not write dataset cache {path}: {exc}", RuntimeWarning, stacklevel=3)
