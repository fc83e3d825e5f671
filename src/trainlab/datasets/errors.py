"""Exceptions of :mod:`trainlab.datasets`."""

from __future__ import annotations

__all__ = ["DatasetUnavailableError", "DownloadError", "ChecksumError"]


class DatasetUnavailableError(RuntimeError):
    """No usable copy of a dataset was found locally and none could be downloaded.

    The message lists the folders that were searched, why downloading did not work
    (offline, ``download=False``, checksum mismatch...) and how to supply the files by hand;
    :attr:`reason` is a one-line summary.  Malformed files raise :class:`ValueError` instead.
    """

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message.splitlines()[0]


class DownloadError(OSError):
    """One download attempt failed (network error, short transfer, too much data)."""


class ChecksumError(DownloadError):
    """A downloaded file does not have the published digest; it was discarded."""
