"""Where trials run: a process pool by default, any concurrent.futures.Executor, or a Dask cluster.

The default pool's workers end with the study, even a study killed outright: they are started
with 'spawn' and call :func:`trainlab._process.exit_with_parent`.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor

from trainlab._process import exit_with_parent
from trainlab.search.trial import init_worker

__all__ = ["open_executor"]


class _Opened:
    """An executor, how many trials to keep in flight on it, and whether the data goes with each
    task (a pool we start receives it once through its initializer)."""

    def __init__(self, executor, workers, ship_data, close=None):
        self.executor, self.workers, self.ship_data, self._close = executor, workers, ship_data, close

    def close(self):
        if self._close is not None:
            self._close()


def _dask(client, close):
    workers = sum(client.nthreads().values()) or 1
    return _Opened(client.get_executor(), workers, True, close)


def open_executor(data, *, executor=None, scheduler=None, n_workers=None) -> _Opened:
    """``executor``: any concurrent.futures.Executor (or a dask.distributed Client), not closed
    here; ``scheduler``: a Dask scheduler address such as 'tcp://host:8786'; neither: a process
    pool of ``n_workers`` (default: the machine's cores), one BLAS thread per worker."""
    if n_workers is not None and (isinstance(n_workers, bool) or not isinstance(n_workers, int)
                                  or n_workers < 1):
        raise ValueError(f"n_workers must be a positive integer, got {n_workers!r}")
    if executor is not None and scheduler is not None:
        raise ValueError("give either executor or scheduler, not both")
    if scheduler is not None:
        if not isinstance(scheduler, str) or "://" not in scheduler:
            raise ValueError(f"scheduler must be an address like 'tcp://host:8786', got {scheduler!r}")
        try:
            from distributed import Client
        except ImportError:
            raise ImportError("a Dask scheduler needs dask.distributed: pip install 'trainlab[search]'") from None
        client = Client(scheduler, timeout=30)
        return _dask(client, client.close)
    if executor is not None:
        if hasattr(executor, "get_executor") and hasattr(executor, "nthreads"):  # a Dask Client
            return _dask(executor, None)
        if not isinstance(executor, Executor):
            raise ValueError(f"executor must be a concurrent.futures.Executor or a Dask Client, got {executor!r}")
        workers = n_workers or getattr(executor, "_max_workers", None) or os.cpu_count() or 1
        return _Opened(executor, workers, True)
    workers = n_workers or os.cpu_count() or 1
    # spawn: a clean child rather than a fork of a parent that may hold BLAS/Dask threads, and
    # (unlike forkserver, whose server is the workers' parent) a child of the study itself
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(data,))
    return _Opened(pool, workers, False, lambda: pool.shutdown(wait=True, cancel_futures=True))


def _start_worker(data) -> None:
    """Pool initializer: end with the study, then :func:`~trainlab.search.trial.init_worker`."""
    exit_with_parent()
    init_worker(data)

