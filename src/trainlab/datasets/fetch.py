"""Downloading dataset files: mirrors in turn, digest check, atomic rename, progress bar.

A file is streamed into a hidden ``.<name>.*.part`` temporary file in the destination
folder, hashed on the way, and renamed to its final name only when the byte count matches
``Content-Length`` / the known size and the digest matches.  Anything else (network error,
short transfer, too much data, digest mismatch, Ctrl-C) deletes the temporary file, so a
failed or interrupted download never leaves a half-written file in place.

Mirrors can be replaced for tests or local servers with the ``mirrors=`` argument or the
``TRAINLAB_MNIST_MIRRORS`` / ``TRAINLAB_FASHION_MNIST_MIRRORS`` environment variables
(base URLs separated by commas or whitespace).  ``TRAINLAB_OFFLINE=1`` disables downloads.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ChecksumError, DownloadError

__all__ = ["Resource", "download_file", "fetch_resources", "mirrors_from_env", "offline"]

DEFAULT_TIMEOUT = 30.0
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Resource:
    """A file to download: its name, digest (``"sha256:<hex>"`` or ``"md5:<hex>"``) and size."""

    filename: str
    digest: str
    size: int | None = None

    def algorithm(self) -> tuple[str, str]:
        algo, _, hexdigest = self.digest.partition(":")
        if not hexdigest or algo not in ("sha256", "md5", "sha1", "sha512"):
            raise ValueError(f"digest must look like 'sha256:<hex>', got {self.digest!r}")
        return algo, hexdigest.lower()


def offline() -> bool:
    """True when ``$TRAINLAB_OFFLINE`` is set to a true value (1, yes, true, on)."""
    return os.environ.get("TRAINLAB_OFFLINE", "").strip().lower() in ("1", "yes", "true", "on")


def mirrors_from_env(var: str, default: Sequence[str]) -> list[str]:
    """Base URLs from environment variable ``var`` (comma/space separated) or ``default``."""
    value = os.environ.get(var, "").replace(",", " ").split()
    return value or list(default)


class _Progress:
    """tqdm if importable, else a throttled one-line report on stderr."""

    def __init__(self, label: str, total: int | None, enabled: bool):
        self.enabled = enabled
        self.label, self.total, self.done = label, total, 0
        self._bar = None
        self._last = 0.0
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm  # optional dependency
        except ImportError:
            return
        self._bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                         desc=label, file=sys.stderr, leave=False)

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last >= 0.25 or (self.total and self.done >= self.total):
            self._last = now
            if self.total:
                pct = f"{100.0 * self.done / self.total:5.1f}% of {self.total / 1e6:.1f} MB"
            else:
                pct = f"{self.done / 1e6:.1f} MB"
            sys.stderr.write(f"\rDownloading {self.label}: {pct}")
            sys.stderr.flush()

    def close(self) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.close()
        elif self._last:
            sys.stderr.write("\n")
            sys.stderr.flush()


def download_file(
    url: str,
    dest: str | os.PathLike[str],
    resource: Resource,
    *,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    opener: Callable = urllib.request.urlopen,
) -> Path:
    """Download ``url`` to ``dest`` atomically, verifying ``resource``'s size and digest.

    Raises :class:`DownloadError` (or its subclass :class:`ChecksumError`); on any failure
    no file is left at ``dest`` nor next to it.
    """
    dest = Path(dest)
    algo, expected = resource.algorithm()
    dest.parent.mkdir(parents=True, exist_ok=True)
    req = urllib.request.Request(url, headers={"User-Agent": "trainlab-datasets"})
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        hasher = hashlib.new(algo)
        received = 0
        with os.fdopen(fd, "wb") as out:
            try:
                resp = opener(req, timeout=timeout)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                raise DownloadError(f"{url}: {exc}") from exc
            with resp:
                length = resp.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                if total is not None and resource.size is not None and total != resource.size:
                    raise DownloadError(
                        f"{url}: server announces {total} bytes, expected {resource.size}")
                limit = resource.size if resource.size is not None else total
                bar = _Progress(resource.filename, total or resource.size, progress)
                try:
                    while True:
                        try:
                            chunk = resp.read(_CHUNK)
                        except (http.client.HTTPException, OSError) as exc:
                            raise DownloadError(
                                f"{url}: transfer interrupted after {received} bytes ({exc})"
                            ) from exc
                        if not chunk:
                            break
                        received += len(chunk)
                        if limit is not None and received > limit:
                            raise DownloadError(f"{url}: more data than the expected {limit} bytes")
                        hasher.update(chunk)
                        out.write(chunk)
                        bar.update(len(chunk))
                finally:
                    bar.close()
            want = total if total is not None else resource.size
            if want is not None and received != want:
                raise DownloadError(
                    f"{url}: transfer interrupted: received {received} of {want} bytes")
            got = hasher.hexdigest()
            if got != expected:
                raise ChecksumError(
                    f"{url}: {algo.upper()} mismatch: got {got}, expected {expected}; "
                    "the file was discarded")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; downloads are ordinary data files
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return dest


def fetch_resources(
    resources: Iterable[Resource],
    dest_dir: str | os.PathLike[str],
    mirrors: Sequence[str],
    *,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[dict[str, Path], list[str]]:
    """Download each missing resource into ``dest_dir``, trying ``mirrors`` in order.

    Files already present are kept.  Returns ``(paths, errors)``: the files now present
    (by filename) and one message per failed attempt.  Files that failed on every mirror are
    absent from ``paths``.
    """
    dest_dir = Path(dest_dir)
    existed = dest_dir.is_dir()
    paths: dict[str, Path] = {}
    errors: list[str] = []
    for res in resources:
        dest = dest_dir / res.filename
        if dest.is_file():
            paths[res.filename] = dest
            continue
        for base in mirrors:
            url = base.rstrip("/") + "/" + res.filename
            try:
                paths[res.filename] = download_file(url, dest, res, progress=progress,
                                                    timeout=timeout)
                break
            except DownloadError as exc:
                errors.append(str(exc))
        else:
            # A file failing on every mirror means the rest will most likely fail too
            # (offline); stop early rather than waiting on every timeout.
            break
    if not existed and not paths:
        try:
            dest_dir.rmdir()  # do not leave an empty folder behind after a failed attempt
        except OSError:
            pass
    return paths, errors
