"""GEMM libraries from PyPI side by side at the shapes of trainlab's passes, one thread each.

    python -m benchmarks.blas_libraries [--rounds 9]

Each GEMM of a network's pass runs on one thread per part of the rows (trainlab._ext._net), so
what matters is a library's single-thread speed at those shapes. Timed here, the call loop in C
(benchmarks/blas_call.pyx, built on the fly like tiled_gemm.pyx), in interleaved rounds:
SciPy's OpenBLAS (scipy.linalg.cython_blas: what the kernels call), NumPy's OpenBLAS (ILP64,
loaded in every process), and where installed scipy-openblas32, BLIS (``blis``) and MKL
(``mkl``, its sequential layer). Prints GFLOP/s, the best round and the median.
"""
from __future__ import annotations

import argparse
import ctypes
import glob
import os
import statistics
import sys

import numpy as np
from threadpoolctl import threadpool_limits

from .gemm import build_module

# (name, trans_a, trans_b, m, n, k): one part's GEMMs, C(m, n) := op(A)·op(B), row-major
SHAPES = {
    "784-100x4-10, batch 128, 2 parts": [
        ("forward, first layer", False, False, 64, 100, 784), ("forward, hidden", False, False, 64, 100, 100),
        ("dW, first layer rows", True, False, 392, 100, 128), ("dW, hidden rows", True, False, 48, 100, 128),
        ("dx, hidden", False, True, 64, 100, 100)],
    "784-1024-1024-10, batch 256, 2 parts": [
        ("forward, first layer columns", False, False, 256, 512, 784),
        ("forward, second layer columns", False, False, 256, 512, 1024),
        ("dW, second layer rows", True, False, 512, 1024, 256), ("dx, second layer columns", False, True, 256, 512, 1024)],
}


def _capsule(module, name) -> int:
    capsule = module.__pyx_capi__[name]
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return get(capsule, get_name(capsule))


def _symbols(library, names):
    """Addresses of the first of each group of candidate names the library exports, or None."""
    out = []
    for group in names:
        found = [getattr(library, n, None) for n in group]
        found = [f for f in found if f is not None]
        if not found:
            return None
        out.append(ctypes.cast(found[0], ctypes.c_void_p).value)
    return out


def libraries() -> dict:
    """{name: (interface, sgemm address, dgemm address)} of the libraries found."""
    from trainlab import kernels

    blas = kernels.blas_module()
    found = {"SciPy's OpenBLAS (trainlab's)": ("fortran", _capsule(blas, "sgemm"), _capsule(blas, "dgemm"))}
    numpy_libs = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*"))
    if numpy_libs:
        symbols = _symbols(ctypes.CDLL(numpy_libs[0]), [("scipy_sgemm_64_", "sgemm_64_"),
                                                         ("scipy_dgemm_64_", "dgemm_64_")])
        if symbols:
            found["NumPy's OpenBLAS (ILP64)"] = ("fortran64", *symbols)
    try:
        import scipy_openblas32
        path = os.path.join(scipy_openblas32.get_lib_dir(), f"lib{scipy_openblas32.get_library()}.so")
        symbols = _symbols(ctypes.CDLL(path), [("scipy_sgemm_",), ("scipy_dgemm_",)])
        if symbols:
            found[f"scipy-openblas32 {scipy_openblas32.__version__}"] = ("fortran", *symbols)
    except (ImportError, OSError):
        pass
    try:
        import blis.cy
        found["BLIS (blis)"] = ("rowmajor", _capsule(blis.cy, "sgemm"), _capsule(blis.cy, "dgemm"))
    except (ImportError, KeyError):
        pass
    mkl = sorted(glob.glob(os.path.join(sys.prefix, "lib", "libmkl_rt.so*")))
    if mkl:
        library = ctypes.CDLL(mkl[0], mode=ctypes.RTLD_GLOBAL)
        library.MKL_Set_Threading_Layer.argtypes = [ctypes.c_int]
        library.MKL_Set_Threading_Layer(1)  # MKL_THREADING_SEQUENTIAL
        found["MKL (mkl, sequential)"] = ("fortran", *_symbols(library, [("sgemm_",), ("dgemm_",)]))
    return found


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.blas_libraries", description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=9)
    args = p.parse_args(argv)
    call = build_module("blas_call")
    found = libraries()
    limits = threadpool_limits(1)  # the OpenBLAS pools: one thread, as inside a pass
    rng = np.random.default_rng(0)
    try:
        for dtype in (np.float32, np.float64):
            for network, shapes in SHAPES.items():
                print(f"\n{network}, {np.dtype(dtype).name}: GFLOP/s on one thread, best round (median)")
                print(f"{'GEMM (m x n x k)':42s}" + "".join(f"{name[:24]:>26s}" for name in found))
                for label, ta, tb, m, n, k in shapes:
                    a = rng.random((k, m) if ta else (m, k)).astype(dtype)
                    b = rng.random((n, k) if tb else (k, n)).astype(dtype)
                    c = np.empty((m, n), dtype)
                    expected = (a.T if ta else a) @ (b.T if tb else b)
                    flop, rates = 2 * m * n * k, {name: [] for name in found}
                    for r in range(args.rounds + 1):
                        for name, (interface, s, d) in found.items():
                            seconds = call.gemm_seconds(d if dtype == np.float64 else s, interface,
                                                        dtype == np.float64, ta, tb, m, n, k, a.ctypes.data,
                                                        b.ctypes.data, c.ctypes.data, max(1, int(2e7 / flop)))
                            if r == 0:  # a first call checks the result (and warms up)
                                np.testing.assert_allclose(c, expected, rtol=1e-3, err_msg=name)
                            else:
                                rates[name].append(flop / seconds / 1e9)
                    print(f"{label + f' {m}x{n}x{k}':42s}" + "".join(
                        f"{f'{max(v):.0f} ({statistics.median(v):.0f})':>26s}" for v in rates.values()))
    finally:
        limits.restore_original_limits()


if __name__ == "__main__":
    main()
