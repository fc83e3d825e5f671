"""One thread setting for the whole library.

Two pools can run in a trainlab process: the BLAS behind the GEMMs (SciPy's OpenBLAS) and the
OpenMP threads of the element-wise kernels (optimizer steps, batch norm). They never run at the
same time (a step is a sequence of kernels); an idle OpenMP pool that kept spinning would steal
the cores BLAS needs, so trainlab._ext sets OMP_WAIT_POLICY=PASSIVE (unless the user set it),
and small arrays stay on one thread (PARALLEL_MIN_ELEMENTS).
"""
from __future__ import annotations

import os
import threading

_state = {"n_threads": None, "limiter": None}
_local = threading.local()  # .single: this thread is one of several that run models side by side

# Below this many elements an element-wise kernel runs on one thread: waking a second one costs
# more than the pass (measured in benchmarks/: a 1M-element Adam step gains, a (128, 100) batch
# norm loses).
PARALLEL_MIN_ELEMENTS = 1 << 17


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
        _state["n_threads"] = None
        return
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"number of threads must be a positive integer, got {n!r}")
    _state["limiter"] = threadpool_limits(limits=n, user_api="blas")
    _state["n_threads"] = n


def get_num_threads() -> int:
    """Threads the element-wise kernels may use on large arrays (BLAS follows set_num_threads when
    it was called; by default both use every core)."""
    return _state["n_threads"] or os.cpu_count() or 1


def threads_for(size: int) -> int:
    """Threads for an element-wise pass over ``size`` elements (1 in a model thread)."""
    if size < PARALLEL_MIN_ELEMENTS or getattr(_local, "single", False):
        return 1
    return get_num_threads()


def single_threaded_here() -> None:
    """Make the element-wise kernels called from this thread use one thread: it is one of
    several threads that each train a model, which already share the cores."""
    _local.single = True


def _from_environment() -> None:
    value = os.environ.get("TRAINLAB_NUM_THREADS")
    if value:
        try:
            set_num_threads(int(value))
        except ValueError as exc:
            raise ValueError(f"TRAINLAB_NUM_THREADS={value!r}: {exc}") from None


_from_environment()
