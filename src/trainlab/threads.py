"""One thread setting for the whole library.

Two pools can run in a trainlab process: the BLAS behind the GEMMs (SciPy's OpenBLAS) and the
OpenMP threads of the compiled kernels (a network's passes split by rows, optimizer steps, batch
norm). A network's passes run BLAS on one thread per caller (see bind_blas_to_row_parallel_pass),
so BLAS's own pool stays asleep; idle OpenMP threads spin only briefly before they sleep
(trainlab._ext sets GOMP_SPINCOUNT unless the user set a policy). Small arrays stay on one thread
(PARALLEL_MIN_ELEMENTS).

By default (no set_num_threads) a network's passes choose between the machine's cores and fewer
for each network and batch size from what the passes take (trainlab._thread_choice): on a machine
that other processes also use, two threads that wait for each other are slower than one. The
rows are cut into the same parts whatever the choice, so the results do not depend on it.

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

from trainlab import _validate as V

_state = {"n_threads": None, "limiter": None, "blas_bound": None, "forked_child": False, "cores": None}
_local = threading.local()  # .single: this thread is one of several that run models side by side

# Below this many elements an element-wise kernel runs on one thread: waking a second one costs
# more than the pass (measured in benchmarks/: a 1M-element Adam step gains, a (128, 100) batch
# norm loses).
PARALLEL_MIN_ELEMENTS = 1 << 17


def set_num_threads(n: int | None) -> None:
    """Use ``n`` threads for BLAS and the compiled kernels (None, the default: every core this
    process may use, with each network's passes choosing fewer when that is faster)."""
    from threadpoolctl import threadpool_limits

    # threadpoolctl limits only the BLAS libraries already loaded: load SciPy's (the kernels'
    # GEMMs) and NumPy's first, or a call made before the first network would change nothing.
    import trainlab.kernels  # noqa: F401

    if _state["limiter"] is not None:
        _state["limiter"].restore_original_limits()
        _state["limiter"] = None
    if n is None:
        _state["n_threads"] = None
        return
    n = V.integer("number of threads", n)
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


def usable_cores() -> int:
    """Cores this process may run on: its CPU affinity, capped by a cgroup CPU quota (a
    container's ``--cpus``). Read once: a later change of either is not seen."""
    if _state["cores"] is None:
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
        quota = _cgroup_cpu_quota()
        _state["cores"] = max(1, min(cores, quota) if quota else cores)
    return _state["cores"]


def _cgroup_cpu_quota() -> int | None:
    """Whole CPUs of the cgroup's quota (rounded up), None without one (or off Linux)."""
    try:
        with open("/proc/self/cgroup") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        try:
            if controllers == "":  # cgroup v2: "max 100000" or "<quota> <period>"
                with open(f"/sys/fs/cgroup{path.rstrip('/')}/cpu.max") as f:
                    quota, period = f.read().split()[:2]
            elif "cpu" in controllers.split(","):
                base = f"/sys/fs/cgroup/{controllers}{path.rstrip('/')}"
                with open(f"{base}/cpu.cfs_quota_us") as f, open(f"{base}/cpu.cfs_period_us") as g:
                    quota, period = f.read().strip(), g.read().strip()
            else:
                continue
        except (OSError, ValueError):
            continue
        if quota not in ("max", "-1") and int(period) > 0:
            return max(1, -(-int(quota) // int(period)))
    return None


def get_num_threads() -> int:
    """Threads the compiled kernels may use (BLAS follows set_num_threads when it was called; by
    default the usable cores). 1 in a child process made by fork()."""
    if _state["forked_child"]:
        return 1
    return _state["n_threads"] or usable_cores()


def pass_threads() -> tuple[int, bool]:
    """(threads, chosen): the most threads a network's pass may split its rows over, and whether
    the pass chooses its own count up to that (the default), or uses exactly that many (after
    set_num_threads, in a model thread, in a fork child). The first call binds the pass to BLAS's
    thread setter."""
    if _state["blas_bound"] is None:
        _state["blas_bound"] = bind_blas_to_row_parallel_pass()
    if getattr(_local, "single", False):
        return 1, False
    return get_num_threads(), chosen_at_run_time()


def chosen_at_run_time() -> bool:
    """Whether the compiled passes choose their thread count (no set_num_threads, not in a model
    thread or a fork child): see trainlab._thread_choice."""
    return (_state["n_threads"] is None and not _state["forked_child"]
            and not getattr(_local, "single", False))


def bind_blas_to_row_parallel_pass() -> bool:
    """Give the compiled passes the thread setter of the BLAS their GEMMs call (SciPy's OpenBLAS),
    so that each of their threads runs BLAS on one thread. Without it (another BLAS) a pass runs
    on the calling thread with BLAS's own threads. Returns whether it was bound."""
    from trainlab import kernels

    functions = _scipy_openblas_threads(kernels.blas_module())
    if functions is None:
        return False
    kernels.bind_blas_threads(*functions)
    return True


def _scipy_openblas_threads(cython_blas) -> tuple[int, int] | None:
    """Addresses of the get/set-threads functions of the OpenBLAS that SciPy's ``cython_blas``
    calls: the one its wheel bundles (next to the package), else the only OpenBLAS loaded."""
    import ctypes

    scipy_dir = os.path.dirname(os.path.dirname(os.path.realpath(cython_blas.__file__)))
    folders = (scipy_dir + ".libs", os.path.join(scipy_dir, ".libs"), os.path.join(scipy_dir, ".dylibs"))
    paths = sorted(os.path.join(d, name) for d in folders if os.path.isdir(d) for name in os.listdir(d)
                   if "openblas" in name)
    if len(paths) != 1:
        from threadpoolctl import ThreadpoolController

        openblas = [c for c in ThreadpoolController().lib_controllers if c.internal_api == "openblas"]
        if len(openblas) != 1:  # none, or several and none of them SciPy's own
            return None
        paths = [openblas[0].filepath]
    try:  # loaded already (cython_blas links it): this only finds it
        library = ctypes.CDLL(paths[0], mode=getattr(os, "RTLD_NOLOAD", 0))
    except OSError:
        return None
    functions = []
    for name in ("openblas_get_num_threads", "openblas_set_num_threads"):
        found = [getattr(library, f"{prefix}{name}{suffix}", None) for prefix in ("scipy_", "")
                 for suffix in ("", "64_")]
        found = [f for f in found if f is not None]
        if not found:
            return None
        functions.append(ctypes.cast(found[0], ctypes.c_void_p).value)
    return functions[0], functions[1]


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


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _state.update(forked_child=True))
_from_environment()
