"""Importing trainlab's networks loads SciPy's cython_blas without scipy.linalg's package (half
the import time), and SciPy stays whole for the user: each case in a fresh interpreter."""
import subprocess
import sys
import textwrap


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_networks_import_without_scipy_linalg_and_blas_works():
    run("""
        import sys
        import numpy as np
        import trainlab.networks, trainlab.optim
        assert "scipy.linalg" not in sys.modules, "scipy.linalg was imported"
        assert "scipy.linalg.cython_blas" not in sys.modules
        net = trainlab.networks.MultiLayerNet(30, [20], 5, seed=0, dtype=np.float64)
        x, t = np.random.default_rng(0).random((64, 30)), np.arange(64) % 5
        scores = net.predict(x)
        h = np.maximum(x @ net.params["W1"] + net.params["b1"], 0)
        np.testing.assert_allclose(scores, h @ net.params["W2"] + net.params["b2"], rtol=1e-12)
        trainlab.optim.SGD().update(net.params, net.gradient(x, t))
        assert "scipy.linalg" not in sys.modules
    """)


def test_scipy_linalg_imported_later_is_whole():
    run("""
        import numpy as np
        import trainlab.networks
        from trainlab import kernels
        import scipy.linalg.cython_blas
        import scipy.linalg
        assert scipy.linalg.cython_blas is kernels.blas_module()  # one module, reachable as usual
        from scipy.linalg import cython_blas, cython_lapack
        assert cython_blas is kernels.blas_module() and "dgemm" in cython_blas.__pyx_capi__
        np.testing.assert_allclose(scipy.linalg.solve(np.diag([2.0, 4.0]), [2.0, 2.0]), [1.0, 0.5])
        net = trainlab.networks.MultiLayerNet(3, [4], 2, seed=0)
        net.gradient(np.ones((2, 3), np.float32), [0, 1])
    """)


def test_scipy_linalg_imported_first_is_used_as_it_is():
    run("""
        import scipy.linalg
        import trainlab.networks
        from trainlab import kernels
        assert kernels.blas_module() is scipy.linalg.cython_blas
        net = trainlab.networks.MultiLayerNet(3, [4], 2, seed=0)
        net.gradient([[1.0, 2.0, 3.0]], [1])
    """)
