"""BLAS (scipy.linalg.cython_blas, what the kernels use) against a tiled Cython GEMM, same run.

python -m benchmarks.gemm: builds benchmarks/tiled_gemm.pyx (-O3 -march=native -fopenmp) in a
temporary folder, then times the affine layer's forward GEMM at the benchmark's shapes.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from trainlab._ext import _affine

from .harness import measure

SHAPES = [(128, 784, 100), (256, 1024, 1024), (100, 100, 100), (2048, 2048, 2048)]


def build_module(name: str = "tiled_gemm"):
    """benchmarks/<name>.pyx compiled (-O3 -march=native -fopenmp) in a temporary folder and loaded."""
    src = Path(__file__).with_name(f"{name}.pyx")
    out = Path(tempfile.mkdtemp(prefix=f"trainlab-{name}-"))
    (out / f"{name}.pyx").write_text(src.read_text())
    (out / "setup.py").write_text(
        "from setuptools import setup, Extension\nfrom Cython.Build import cythonize\n"
        f"setup(ext_modules=cythonize([Extension('{name}', ['{name}.pyx'], "
        "extra_compile_args=['-O3', '-march=native', '-fopenmp'], extra_link_args=['-fopenmp'])], quiet=True))\n")
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=out, check=True,
                   capture_output=True)
    so = next(out.glob(f"{name}*.so"))
    spec = importlib.util.spec_from_file_location(name, so)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    tiled = build_module()
    threads = os.cpu_count() or 1
    print(f"{'shape (m,k,n)':22s} {'dtype':8s} {'BLAS ms':>9s} {'GFLOP/s':>8s} {'tiled ms':>9s} "
          f"{'GFLOP/s':>8s} {'BLAS/tiled':>10s}")
    for m, k, n in SHAPES:
        for dtype in (np.float32, np.float64):
            rng = np.random.default_rng(0)
            a, b = rng.random((m, k)).astype(dtype), rng.random((k, n)).astype(dtype)
            bias, c1, c2 = np.zeros(n, dtype), np.empty((m, n), dtype), np.empty((m, n), dtype)
            t_blas = measure(lambda: _affine.affine_forward(a, b, bias, c1, 0), blocks=5)
            t_tiled = measure(lambda: tiled.tiled_gemm(a, b, c2, threads), blocks=5)
            np.testing.assert_allclose(c1, c2, rtol=1e-3 if dtype == np.float32 else 1e-10)
            flop = 2 * m * k * n
            print(f"{str((m, k, n)):22s} {np.dtype(dtype).name:8s} {t_blas.median_ms:9.3f} "
                  f"{flop / t_blas.median_ms / 1e6:8.1f} {t_tiled.median_ms:9.3f} "
                  f"{flop / t_tiled.median_ms / 1e6:8.1f} {t_tiled.median_ms / t_blas.median_ms:10.2f}")


if __name__ == "__main__":
    main()
