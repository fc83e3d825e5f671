"""Downloading dataset files: mirrors in turn, digest check, atomic rename, progress bar.

A file is streamed into a hidden ``.<name>.*.part`` temporary file in the destination
folder, hashed on the way, and renamed to its final name only when the byte count matches
``Content-Length`` / the known size and the digest matches.  Anything else (network error,
short transfer, too much data, digest mismatch, deadline, Ctrl-C) deletes the temporary file,
so a failed or interrupted download never leaves a half-written file in place; the ``.part``
file of a download that was killed is removed by the next download of that file.

Time limits of each attempt: every network wait ``timeout`` (30 s); a transfer that brings
fewer than 1 KiB in ``timeout`` seconds has stalled; the whole attempt has a deadline
(``$TRAINLAB_DOWNLOAD_DEADLINE`` seconds, default 600).  A mirror that fails any of them gives
way to the next mirror, and when every mirror fails the loaders fall back as documented
(:func:`trainlab.datasets.load_default_dataset`: Fashion-MNIST, then the embedded sample).

Mirrors can be replaced for tests or local servers with the ``mirrors=`` argument or the
``TRAINLAB_MNIST_MIRRORS`` / ``TRAINLAB_FASHION_MNIST_MIRRORS`` environment variables
(base URLs separated by commas or whitespace).  ``TRAINLAB_OFFLINE=1`` disables downloads.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import math
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from trainlab._atomic import replacing

from .errors import ChecksumError, DownloadError

__all__ = ["Resource", "download_deadline", "download_file", "fetch_resources", "mirrors_from_env",
           "offline"]

DEFAULT_TIMEOUT = 30.0   #: seconds of each network wait, and the stall window
DEFAULT_DEADLINE = 600.0  #: seconds one download attempt may take (26 MB at 44 kB/s)
STALL_BYTES = 1024       #: fewer bytes than this in a ``timeout`` window: the transfer stalled
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
        if self._bar is not None:
            self._bar.close()
        elif self._last:
            sys.stderr.write("\n")
            sys.stderr.flush()


def download_deadline() -> float:
    """Seconds one download attempt may take: ``$TRAINLAB_DOWNLOAD_DEADLINE`` or
    :data:`DEFAULT_DEADLINE`.

    Raises
    ------
    ValueError
        The variable is set to something other than a positive number of seconds.
    """
    text = os.environ.get("TRAINLAB_DOWNLOAD_DEADLINE", "").strip()
    if not text:
        return DEFAULT_DEADLINE
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"TRAINLAB_DOWNLOAD_DEADLINE must be a positive number of seconds, got {text!r}")
    return value


class _Clock:
    """The time limits of one attempt: the overall deadline, each network wait (``timeout``), and
    the stall rule (fewer than STALL_BYTES in any ``timeout`` window)."""

    def __init__(self, url: str, timeout: float, deadline: float):
        self.url, self.timeout, self.deadline = url, timeout, deadline
        self.window_start = time.monotonic()
        self.end = self.window_start + deadline
        self.window_bytes = 0

    def wait_limit(self, received: int, total: int | None) -> float:
        """Seconds the next network wait may block; DownloadError once the deadline has passed."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.late(received, total)
        return min(self.timeout, left)

    def late(self, received: int, total: int | None) -> DownloadError:
        of = f" of {total}" if total is not None else ""
        return DownloadError(f"{self.url}: no complete download within the {self.deadline:g} s deadline "
                             f"({received}{of} bytes); set TRAINLAB_DOWNLOAD_DEADLINE for slow links")

    def arrived(self, n: int) -> None:
        """Count ``n`` new bytes; DownloadError when the transfer has stalled."""
        self.window_bytes += n
        now = time.monotonic()
        if now - self.window_start >= self.timeout:
            if self.window_bytes < STALL_BYTES:
                raise DownloadError(f"{self.url}: stalled: {self.window_bytes} bytes in the last "
                                    f"{self.timeout:g} s")
            self.window_start, self.window_bytes = now, 0


def _set_read_timeout(resp, seconds: float) -> None:
    # http.client responses read from a socket file; bounding each wait by the time left
    # keeps the deadline exact even when a server sends one byte just before every timeout.
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def download_file(
    url: str,
    dest: str | os.PathLike[str],
    resource: Resource,
    *,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
    opener: Callable = urllib.request.urlopen,
) -> Path:
    """Download ``url`` to ``dest`` atomically, verifying ``resource``'s size and digest.

    ``timeout`` bounds each network wait and is the stall window: a transfer that brings fewer
    than ``STALL_BYTES`` in ``timeout`` seconds is given up. ``deadline`` (seconds; default
    :func:`download_deadline`) bounds the whole attempt.

    Raises :class:`DownloadError` (or its subclass :class:`ChecksumError`); on any failure
    (Ctrl-C included) no file is left at ``dest`` nor next to it. Temporary files of downloads
    that were killed are removed first.
    """
    dest = Path(dest)
    algo, expected = resource.algorithm()
    clock = _Clock(url, timeout, download_deadline() if deadline is None else deadline)
    dest.parent.mkdir(parents=True, exist_ok=True)
    req = urllib.request.Request(url, headers={"User-Agent": "trainlab-datasets"})
    with replacing(dest, prefix=f".{dest.name}.", suffix=".part") as out:
        hasher = hashlib.new(algo)
        received, total = 0, None
        try:
            resp = opener(req, timeout=clock.wait_limit(received, total))
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            raise DownloadError(f"{url}: {exc}") from exc
        with resp:
            length = resp.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and resource.size is not None and total != resource.size:
                raise DownloadError(
                    f"{url}: server announces {total} bytes, expected {resource.size}")
            limit = resource.size if resource.size is not None else total
            read = getattr(resp, "read1", resp.read)  # read1: at most one wait per call
            bar = _Progress(resource.filename, total or resource.size, progress)
            try:
                while True:
                    _set_read_timeout(resp, clock.wait_limit(received, total))
                    try:
                        chunk = read(_CHUNK)
                    except (http.client.HTTPException, OSError) as exc:
                        if time.monotonic() >= clock.end:
                            raise clock.late(received, total) from exc
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
                    clock.arrived(len(chunk))
            finally:
                bar.close()
        if limit is not None and received != limit:
            raise DownloadError(
                f"{url}: transfer interrupted: received {received} of {limit} bytes")
        got = hasher.hexdigest()
        if got != expected:
            raise ChecksumError(
                f"{url}: {algo.upper()} mismatch: got {got}, expected {expected}; "
                "the file was discarded")
    return dest


def fetch_resources(
    resources: Iterable[Resource],
    dest_dir: str | os.PathLike[str],
    mirrors: Sequence[str],
    *,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
) -> tuple[dict[str, Path], list[str]]:
    """Download each missing resource into ``dest_dir``, trying ``mirrors`` in order.

    ``timeout`` and ``deadline`` apply to each attempt, as in :func:`download_file`: a mirror
    that stalls or misses the deadline gives way to the next one.

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
                                                    timeout=timeout, deadline=deadline)
                break
            except DownloadError as exc:
                errors.append(str(exc))
        else:
            # A file failing on every mirror means the rest will most likely fail too
            # (offline); stop early rather than waiting on every timeout.
            break
    if not existed and not paths:
        with contextlib.suppress(OSError):
            dest_dir.rmdir()  # do not leave an empty folder behind after a failed attempt
    return paths, errors
