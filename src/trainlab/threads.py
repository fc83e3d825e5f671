"""One thread setting for the whole library.

Two pools can run in a trainlab process: the BLAS behind the GEMMs (SciPy's OpenBLAS) and the
OpenMP threads of the optimizer kernels. They never run at the same time (a step is a sequence
of kernels), but an idle OpenMP pool spins for a while after each region and steals the cores
BLAS needs, so the element-wise kernels default to one thread (measured in benchmarks/).
"""
from __future__ import annotations

import os

_state = {"n_threads": 1, "limiter": None}


def set_num_threads(n: int | None) -> None:
    """Use ``n`` threads for BLAS and the parallel element-wise kernels (None: the machine's cores
    for BLAS, one for element-wise kernels, the default)."""
    from threadpoolctl import threadpool_limits

    # threadpoolctl limits only the BLAS libraries already loaded: load SciPy's (the kernels'
    # GEMMs) and NumPy's first, or a call made before the first network would change nothing.
    import numpy  # noqa: F401
    import scipy.linalg.cython_blas  # noqa: F401

    if _state["limiter"] is not None:
        _state["limiter"].restore_original_limits()
        _state["limiter"] = None
    if n is None:
        _state["n_threads"] = 1
        return
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"number of threads must be a positive integer, got {n!r}")
    _state["limiter"] = threadpool_limits(limits=n, user_api="blas")
    _state["n_threads"] = n


def get_num_threads() -> int:
    """Threads used by the element-wise kernels (BLAS follows set_num_threads when it was called)."""
    return _state["n_threads"]


def _from_environment() -> None:
    value = os.environ.get("TRAINLAB_NUM_THREADS")
    if value:
        try:
            set_num_threads(int(value))
        except ValueError as exc:
            raise ValueError(f"TRAINLAB_NUM_THREADS={value!r}: {exc}") from None


_from_environment()
