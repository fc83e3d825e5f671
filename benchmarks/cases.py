"""The kernel and training-step cases: each returns rows {case, dtype, trainlab_ms,
reference_f64_ms, torch_ms, peers, ...}.

trainlab and the book's code run on the same data in this process; the "reference" column is the
book's NumPy code (trainlab.reference) in float64 unless stated, as the goals are written. The
peers (PyTorch, torch.compile, JAX) run in their own worker processes (benchmarks.workers);
``peers`` maps a peer's name to its ms, or to a sentence saying why it did not run.
"""
from __future__ import annotations

import numpy as np

import trainlab
from trainlab import kernels as K
from trainlab import reference as R
from trainlab.optim import OPTIMIZERS
from trainlab.reference import book
from trainlab.threads import threads_for

from . import workers
from .harness import measure

SMALL = [784, 100, 100, 100, 100, 10]
BN_NET = [784, 100, 100, 100, 100, 100, 10]
LARGE = [784, 1024, 1024, 10]


def step_flops(sizes, batch):
    """Forward, dW and dx of every layer (the book's count: 84 MFLOP for the small net)."""
    return 3 * 2 * batch * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def roofline(quick=False):
    """Matrix-multiply GFLOP/s (2048², NumPy's BLAS) and copy bandwidth, measured now."""
    out = {}
    n = 1024 if quick else 2048
    for dtype in (np.float32, np.float64):
        a = np.random.default_rng(0).random((n, n)).astype(dtype)
        c = np.empty_like(a)
        t = measure(lambda: np.matmul(a, a, out=c), blocks=5)
        out[f"gemm_gflops_{np.dtype(dtype).name}"] = 2 * n ** 3 / (t.median_ms * 1e-3) / 1e9
    src = np.ones(32 * 2**20, np.float64)  # 256 MiB, DRAM
    dst = np.empty_like(src)
    t = measure(lambda: np.copyto(dst, src), blocks=3, warmup=1)
    out["copy_gbs_dram"] = 2 * src.nbytes / (t.median_ms * 1e-3) / 1e9
    return out


def _net(sizes, dtype, batchnorm=False):
    return trainlab.MultiLayerNetExtend(sizes[0], sizes[1:-1], sizes[-1], use_batchnorm=batchnorm,
                                        dtype=dtype, seed=0)


def _data(sizes, batch, dtype):
    rng = np.random.default_rng(0)
    return rng.random((batch, sizes[0])).astype(dtype), rng.integers(0, sizes[-1], batch)


def _trainlab_step(sizes, batch, dtype, optimizer, batchnorm=False):
    net = _net(sizes, dtype, batchnorm)
    opt = OPTIMIZERS[optimizer]()
    x, t = _data(sizes, batch, dtype)
    return lambda: opt.update(net.params, net.gradient(x, t))


def _book_step(sizes, batch, optimizer, batchnorm=False):
    np.random.seed(0)
    net = book.MultiLayerNetExtend(sizes[0], sizes[1:-1], sizes[-1], use_batchnorm=batchnorm)
    opt = book.OPTIMIZERS[optimizer]()
    x, t = _data(sizes, batch, np.float64)
    return lambda: opt.update(net.params, net.gradient(x, t))


def sgd_step_peers(sizes, batch, dtype) -> dict:
    """The plain SGD step's other peers: a jitted JAX step, 100 JAX steps fused in one jitted
    lax.scan (per step), and the PyTorch step under torch.compile."""
    out = {}
    jax_worker = "jax-x64" if np.dtype(dtype) == np.float64 else "jax"
    if workers.enabled(jax_worker):
        out["jax jit"] = workers.measure_in_worker(jax_worker, "mlp_step", sizes, batch, dtype)
        out["jax scan"] = workers.measure_in_worker(jax_worker, "mlp_scan", sizes, batch, dtype)
    if workers.enabled("torch.compile"):
        out["torch.compile"] = workers.measure_in_worker("torch.compile", "mlp_step_compiled", sizes,
                                                         batch, dtype)
    return out


def training_steps(roof, opts):
    rows = []
    both = (np.float32, np.float64)
    specs = [("a", SMALL, 128, "sgd", False, both), ("a", SMALL, 128, "adam", False, both),
             ("b", BN_NET, 100, "sgd", True, both), ("c", LARGE, 256, "sgd", False, both),
             ("c", LARGE, 128, "sgd", False, (np.float32,))]
    for label, sizes, batch, opt, bn, dtypes in specs:
        ref = measure(_book_step(sizes, batch, opt, bn))
        for dtype in dtypes:
            name = np.dtype(dtype).name
            mine = measure(_trainlab_step(sizes, batch, dtype, opt, bn))
            row = {"case": f"({label}) step {'-'.join(map(str, sizes))} b{batch} {opt}", "dtype": name,
                   "trainlab_ms": mine.median_ms, "spread": mine.spread,
                   "reference_f64_ms": ref.median_ms, "peers": {}}
            if workers.enabled("torch"):
                row["torch_ms"] = workers.measure_in_worker("torch", "mlp_step", sizes, batch, dtype, opt, bn)
                if opt == "adam":
                    row["peers"]["torch fused"] = workers.measure_in_worker("torch", "mlp_step", sizes, batch,
                                                                            dtype, opt, bn, True)
            if opt == "sgd" and not bn:
                row["peers"].update(sgd_step_peers(sizes, batch, dtype))
            flop = step_flops(sizes, batch)
            row["roofline_fraction"] = flop / (roof[f"gemm_gflops_{name}"] * 1e9) / (mine.median_ms * 1e-3)
            rates = {"trainlab": mine.median_ms} | {k: v for k, v in row["peers"].items()
                                                    if k.startswith("jax") and isinstance(v, float)}
            if len(rates) > 1:
                row["notes"] = ["GFLOP/s (the book's count): " + ", ".join(
                    f"{k} {flop / (ms * 1e-3) / 1e9:.0f}" for k, ms in rates.items())
                    + f", GEMM roofline {roof[f'gemm_gflops_{name}']:.0f}"]
            rows.append(row)
    return rows


_STATE = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1, "adam": 2}
_HYPER = {"sgd": (0.01,), "momentum": (0.01, 0.9), "nesterov": (0.01, 0.9), "adagrad": (0.01,),
          "rmsprop": (0.01, 0.99), "adam": (0.001, 0.9, 0.999)}


def optimizer_steps(roof, opts):
    """(d) one step over 1M parameters; bandwidth fraction against a copy of the same traffic."""
    rows = []
    n = 1_000_000
    for dtype in (np.float32, np.float64):
        rng = np.random.default_rng(0)
        for name, n_state in _STATE.items():
            arrays = [rng.random(n).astype(dtype) for _ in range(2 + n_state)]
            fn = getattr(K, f"{name}_step")
            # the threads trainlab.optim's optimizers use for this size (the kernel's own default
            # is one thread: timing that made this row 2x the library's step)
            threads = threads_for(n)
            mine = measure(lambda: fn(*arrays, *_HYPER[name], n_threads=threads))
            ref_arrays = [a.astype(np.float64) for a in arrays]
            ref_fn = getattr(R, f"{name}_step")
            ref = measure(lambda: ref_fn(*ref_arrays, *_HYPER[name]))
            # bytes it must move: read p, g and the state, write p and the state
            moved = (3 + 2 * n_state) * n * np.dtype(dtype).itemsize
            src = np.ones(moved // 2 // np.dtype(dtype).itemsize, dtype)
            dst = np.empty_like(src)
            copy = measure(lambda: np.copyto(dst, src))
            row = {"case": f"(d) {name} step 1M params", "dtype": np.dtype(dtype).name,
                   "trainlab_ms": mine.median_ms, "spread": mine.spread, "threads": threads,
                   "reference_f64_ms": ref.median_ms,
                   "roofline_fraction": copy.median_ms / mine.median_ms, "peers": {}}
            if workers.enabled("torch"):
                row["torch_ms"] = workers.measure_in_worker("torch", "optimizer_step", name, n, dtype, "foreach")
                fused = workers.measure_in_worker("torch", "optimizer_step", name, n, dtype, "fused")
                if fused is not None:
                    row["peers"]["torch fused"] = fused
            rows.append(row)
    return rows


def batchnorm_kernels(roof, opts):
    rows = []
    for n, d in ((128, 100), (1024, 1024)):
        for dtype in (np.float32, np.float64):
            rng = np.random.default_rng(0)
            x = rng.standard_normal((n, d)).astype(dtype)
            dout = rng.standard_normal((n, d)).astype(dtype)
            gamma, beta = np.ones(d, dtype), np.zeros(d, dtype)
            rm, rv = np.zeros(d, dtype), np.ones(d, dtype)
            xn, inv, out, dx = (np.empty_like(x), np.empty(d, dtype), np.empty_like(x), np.empty_like(x))
            dg, db = np.empty(d, dtype), np.empty(d, dtype)
            from trainlab._ext import _batchnorm as B
            threads = threads_for(x.size)  # as trainlab.layers.BatchNormalization chooses

            def mine():
                B.batchnorm_forward_train(x, gamma, beta, rm, rv, 0.9, 1e-6, xn, inv, out, threads)
                B.batchnorm_backward(dout, xn, gamma, inv, dx, dg, db, threads)
            ref_layer = book.BatchNormalization(np.ones(d), np.zeros(d))
            x64, d64 = x.astype(np.float64), dout.astype(np.float64)

            def ref():
                ref_layer.forward(x64)
                ref_layer.backward(d64)
            t = measure(mine)
            row = {"case": f"(e) batchnorm fwd+bwd ({n},{d})", "dtype": np.dtype(dtype).name,
                   "trainlab_ms": t.median_ms, "spread": t.spread, "threads": threads,
                   "reference_f64_ms": measure(ref).median_ms}
            if workers.enabled("torch"):
                row["torch_ms"] = workers.measure_in_worker("torch", "batchnorm_step", n, d, dtype)
            rows.append(row)
    return rows


def affine_kernels(roof, opts):
    rows = []
    for n, k, m in ((128, 784, 100), (256, 1024, 1024)):
        for dtype in (np.float32, np.float64):
            rng = np.random.default_rng(0)
            x, W = rng.standard_normal((n, k)).astype(dtype), rng.standard_normal((k, m)).astype(dtype)
            b, dout = np.zeros(m, dtype), rng.standard_normal((n, m)).astype(dtype)
            out, dx, dW, db = np.empty((n, m), dtype), np.empty_like(x), np.empty_like(W), np.empty_like(b)
            from trainlab._ext import _affine as A

            def mine():
                A.affine_forward(x, W, b, out, 0)
                A.affine_backward(x, W, dout, dx, dW, db, 0.0)
            layer = book.Affine(W.astype(np.float64), b.astype(np.float64))
            x64, d64 = x.astype(np.float64), dout.astype(np.float64)

            def ref():
                layer.forward(x64)
                layer.backward(d64)
            t = measure(mine)
            name = np.dtype(dtype).name
            ideal = 3 * 2 * n * k * m / (roof[f"gemm_gflops_{name}"] * 1e9) * 1e3
            row = {"case": f"(f) affine fwd+bwd ({n},{k})x({k},{m})", "dtype": name,
                   "trainlab_ms": t.median_ms, "spread": t.spread, "reference_f64_ms": measure(ref).median_ms,
                   "roofline_fraction": ideal / t.median_ms}
            if workers.enabled("torch"):
                row["torch_ms"] = workers.measure_in_worker("torch", "affine_step", n, k, m, dtype)
            rows.append(row)
    return rows


def experiment(roof, opts):
    """(g) the whole compare_optimizers experiment (4 optimizers x 2000 iterations, batch 128) on
    the embedded Fashion-MNIST sample, trainlab against the same experiment on trainlab.reference."""
    import time

    from trainlab.datasets import load_dataset
    from trainlab.experiments import run_experiment

    data = load_dataset("sample")
    iterations = 500 if opts.quick else 2000
    times = {}
    for backend, dtype in (("reference", "float64"), ("trainlab", "float32"), ("trainlab", "float64")):
        start = time.perf_counter()
        run_experiment("compare_optimizers", data, iterations=iterations, backend=backend, dtype=dtype)
        times[(backend, dtype)] = (time.perf_counter() - start) * 1e3
    return [{"case": f"(g) compare_optimizers 4 x {iterations} it", "dtype": dtype,
             "trainlab_ms": times[("trainlab", dtype)], "reference_f64_ms": times[("reference", "float64")]}
            for dtype in ("float32", "float64")]


CASES = {"steps": training_steps, "optimizers": optimizer_steps, "batchnorm": batchnorm_kernels,
         "affine": affine_kernels, "experiment": experiment}
