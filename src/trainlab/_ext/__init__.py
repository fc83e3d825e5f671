"""Compiled kernels built from ext/*.pyx. Use them through trainlab.kernels, which validates input."""
import importlib.machinery
import importlib.util
import os
import sys

# How idle OpenMP threads wait. libgomp reads this once, when the first module loads it.
# - Spinning forever (OMP_WAIT_POLICY=ACTIVE) takes the cores OpenBLAS needs for its next GEMM
#   (measured 30x slower on 2 cores).
# - Sleeping at once (PASSIVE) makes every region and barrier pay a futex wake-up: the training
#   pass split by rows (one region per step, a barrier per layer) ran 2.5x slower than without it.
# - So: spin a little (GOMP_SPINCOUNT=3000, some tens of microseconds), then sleep. The training
#   step's regions follow each other closely enough to find the threads awake.
# The user's own OMP_WAIT_POLICY / GOMP_SPINCOUNT win. Child processes inherit these:
# SPIN_COUNT_SET_HERE lets a launcher of unrelated programs (the benchmarks' PyTorch worker) take
# it back out.
SPIN_COUNT = "3000"
SPIN_COUNT_SET_HERE = "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ
if SPIN_COUNT_SET_HERE:
    os.environ["GOMP_SPINCOUNT"] = SPIN_COUNT

CYTHON_BLAS = "scipy.linalg.cython_blas"


def _load_cython_blas():
    """SciPy's ``cython_blas``, whose function pointers the kernels take when they load, without
    running ``scipy.linalg``'s package ``__init__``: that imports most of ``scipy.linalg`` and
    SciPy's array-API layer (over half of ``import trainlab.networks``), none of which the kernels
    use. The module goes into ``sys.modules`` only while the kernels load; a later
    ``import scipy.linalg`` (by the user) imports the package as usual, and Cython hands its
    import of ``cython_blas`` this same module object (a Cython module is made once per process)."""
    if CYTHON_BLAS in sys.modules or "scipy.linalg" in sys.modules:
        return importlib.import_module(CYTHON_BLAS), False
    import scipy

    spec = importlib.machinery.PathFinder.find_spec(
        CYTHON_BLAS, [os.path.join(os.path.dirname(scipy.__file__), "linalg")])
    if spec is None:  # an unusual layout: the ordinary import
        return importlib.import_module(CYTHON_BLAS), False
    module = importlib.util.module_from_spec(spec)
    sys.modules[CYTHON_BLAS] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[CYTHON_BLAS]
        raise
    return module, True


# Held here for the life of the process: the kernels call into it.
cython_blas, _loaded_here = _load_cython_blas()
try:
    from . import _activation, _affine, _batchnorm, _checks, _dropout, _net, _optim, _softmax  # noqa: F401,E402
finally:
    if _loaded_here:
        del sys.modules[CYTHON_BLAS]
