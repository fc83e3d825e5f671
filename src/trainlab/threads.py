"""One thread setting for the whole library.

Two pools can run in a trainlab process: the BLAS behind the GEMMs (SciPy's OpenBLAS) and the
OpenMP threads of the compiled kernels (a network's training pass split by rows, optimizer steps,
batch norm). They never run at the same time: inside the row-split training pass every thread
runs BLAS on one thread (see bind_blas_to_row_parallel_pass), and idle OpenMP threads spin only
briefly before they sleep (trainlab._ext sets GOMP_SPINCOUNT unless the user set a policy), so
they do not take the cores BLAS needs next. Small arrays stay on one thread
(PARALLEL_MIN_ELEMENTS).

A child process made by fork() (multiprocessing's 'fork' start method) runs the kernels on one
thread: libgomp's OpenMP pool does not survive fork, and a parallel region in the child would
wait forever for threads that are not there. The compiled modules enforce this themselves
(a pthread_atfork handler in each); here get_num_threads() reports it. 'spawn' and
'forkserver' children start fresh and use every thread.
"""
from __future__ import annotations

import contextlib
import os
import threading

_state = {"n_threads": None, "limiter": None, "blas_bound": None, "forked_child": False}
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


@contextlib.contextmanager
def using(n: int):
    """``set_num_threads(n)`` for the duration of a ``with`` block, then the setting before."""
    before = _state["n_threads"]
    set_num_threads(n)
    try:
        yield
    finally:
        set_num_threads(before)


def unchanged():
    """A ``with`` block that leaves the thread setting as it is."""
    return contextlib.nullcontext()


def get_num_threads() -> int:
    """Threads the element-wise kernels may use on large arrays (BLAS follows set_num_threads when
    it was called; by default both use every core). 1 in a child process made by fork()."""
    if _state["forked_child"]:
        return 1
    return _state["n_threads"] or os.cpu_count() or 1


def step_threads() -> int:
    """Threads for a network's training pass, which splits the batch's rows between them
    (1 in a model thread). The first call binds the pass to BLAS's thread setter."""
    if _state["blas_bound"] is None:
        _state["blas_bound"] = bind_blas_to_row_parallel_pass()
    return 1 if getattr(_local, "single", False) else get_num_threads()


def bind_blas_to_row_parallel_pass() -> bool:
    """Give the compiled training pass the thread setter of the BLAS its GEMMs call (SciPy's
    OpenBLAS), so that each of its threads runs BLAS on one thread. Without it (another BLAS)
    the pass stays sequential with BLAS's own threads. Returns whether it was bound."""
    from pathlib import Path
    import ctypes

    import scipy
    import scipy.linalg.cython_blas  # noqa: F401  (loads the library)
    from threadpoolctl import ThreadpoolController

    from trainlab import kernels

    scipy_dir = Path(scipy.__file__).resolve().parent
    scipy_dirs = {scipy_dir, scipy_dir.with_name("scipy.libs")}
    openblas = [c for c in ThreadpoolController().lib_controllers if c.internal_api == "openblas"]
    ours = [c for c in openblas if scipy_dirs & set(Path(c.filepath).resolve().parents)]
    if not ours and len(openblas) == 1:
        ours = openblas  # SciPy built against the system's OpenBLAS
    if len(ours) != 1:
        return False
    functions = []
    for name in ("openblas_get_num_threads", "openblas_set_num_threads"):
        candidates = [getattr(ours[0].dynlib, f"{prefix}{name}{suffix}", None)
                      for prefix in ("scipy_", "") for suffix in ("", "64_")]
        found = [f for f in candidates if f is not None]
        if not found:
            return False
        functions.append(ctypes.cast(found[0], ctypes.c_void_p).value)
    kernels.bind_blas_threads(*functions)
    return True


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


def _after_fork_in_child() -> None:
    _state["forked_child"] = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
_from_environment()
