"""The book network's step under the conditions users have, not a quiet machine's tight loop:
(h) a neighbour process spinning on one core, (i) NumPy matrix products in the same process
between the steps (the book's own code next to trainlab's).

Settings that are compared run in interleaved rounds in this process, so that a change of the
machine's load hits them alike; each row's median pools the blocks of all rounds.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

import numpy as np

from trainlab import set_num_threads

from . import workers
from .cases import SMALL, _book_step, _trainlab_step, step_flops
from .harness import measure, summarize

_SPIN = """\
import os, sys, time
cpu, seconds = int(sys.argv[1]), float(sys.argv[2])
if cpu >= 0:
    os.sched_setaffinity(0, {cpu})
parent, deadline = os.getppid(), time.monotonic() + seconds
while time.monotonic() < deadline and os.getppid() == parent:
    for _ in range(100000):
        pass
"""


@contextlib.contextmanager
def spinning_neighbour(max_seconds: float = 300.0):
    """A process spinning on the last core this one may use while the block runs. It is killed
    when the block ends (also on error) and stops by itself after max_seconds or when this
    process is gone, so it never outlives the benchmark."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    cpu = cpus[-1] if len(cpus) > 1 else -1
    proc = subprocess.Popen([sys.executable, "-c", _SPIN, str(cpu), str(max_seconds)])
    try:
        time.sleep(0.3)  # let it start spinning
        if proc.poll() is not None:
            raise RuntimeError(f"the spinning neighbour process exited at once (code {proc.returncode})")
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _rounds(block_fns: dict, rounds: int) -> dict:
    """{name: Timing} over ``rounds`` rounds of block_fns[name]() (each returns per-call ms of
    some blocks), names alternating within each round."""
    blocks = {name: [] for name in block_fns}
    for _ in range(rounds):
        for name, fn in block_fns.items():
            blocks[name] += fn()
    return {name: summarize(b) for name, b in blocks.items()}


def _with_threads(n, fn):
    """Blocks of fn timed with trainlab set to n threads (None: trainlab's default, untouched)."""
    def blocks():
        if n is None:
            return measure(fn, blocks=3).blocks
        set_num_threads(n)
        try:
            return measure(fn, blocks=3).blocks
        finally:
            set_num_threads(None)
    return blocks


def busy_machine(roof, opts):
    """(h) The book network's float32 SGD step with a neighbour spinning on one core: trainlab's
    default settings against 1 and 2 threads (one network each), the book and PyTorch too."""
    sizes, batch, dtype = SMALL, 128, np.float32
    settings = {"default": None, "1 thread": 1, "2 threads": 2}
    fns = {name: _with_threads(n, _trainlab_step(sizes, batch, dtype, "sgd")) for name, n in settings.items()}
    book = _book_step(sizes, batch, "sgd")
    with spinning_neighbour():
        times = _rounds(fns, 1 if opts.quick else 3)
        book_ms = measure(book, blocks=5).median_ms
        torch_ms = (workers.measure_in_worker("torch", "mlp_step", sizes, batch, dtype)
                    if workers.enabled("torch") else None)
    default = times.pop("default")
    best_name = min(times, key=lambda name: times[name].median_ms)
    ideal_ms = step_flops(sizes, batch) / (roof["gemm_gflops_float32"] * 1e9) * 1e3
    return [{"case": "(h) busy neighbour: step 784-100x4-10 b128 sgd", "dtype": "float32",
             "trainlab_ms": default.median_ms, "spread": default.spread, "reference_f64_ms": book_ms,
             "torch_ms": torch_ms, "roofline_fraction": ideal_ms / default.median_ms,
             "peers": {f"trainlab {name}": t.median_ms for name, t in times.items()},
             "notes": [f"default / best fixed ({best_name}) = "
                       f"{default.median_ms / times[best_name].median_ms:.2f}"]}]


def _book_forward_products(sizes, batch):
    """The matrix products of the book network's forward pass as the book's code computes them:
    float64, ``np.dot(x, W) + b`` into new arrays."""
    rng = np.random.default_rng(1)
    x = rng.random((batch, sizes[0]))
    layers = [(rng.standard_normal((a, b)) * np.sqrt(2.0 / a), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]

    def products():
        h = x
        for W, b in layers:
            h = np.dot(h, W) + b
        return h
    return products


def numpy_neighbour(roof, opts):
    """(i) The book network's float32 SGD step timed alone and timed in a loop where each step is
    followed by the book network's forward products in NumPy (NumPy's own BLAS pool)."""
    sizes, batch = SMALL, 128
    step = _trainlab_step(sizes, batch, np.float32, "sgd")
    products = _book_forward_products(sizes, batch)
    spent = {"step": [], "products": []}

    def interleaved():
        time.sleep(0.25)  # as measure(): start with the other pools' threads asleep
        for _ in range(20):
            step()
            products()
        step_ms, products_ms = [], []
        for _ in range(3):
            s = p = 0.0
            for _ in range(100):
                start = time.perf_counter()
                step()
                mid = time.perf_counter()
                products()
                s, p = s + mid - start, p + time.perf_counter() - mid
            step_ms.append(s / 100 * 1e3)
            products_ms.append(p / 100 * 1e3)
        spent["products"] += products_ms
        return step_ms

    times = _rounds({"interleaved": interleaved, "alone": lambda: measure(step, blocks=3).blocks,
                     "products alone": lambda: measure(products, blocks=3).blocks}, 1 if opts.quick else 3)
    mixed, alone = times["interleaved"], times["alone"]
    products_mixed = summarize(spent["products"]).median_ms
    return [{"case": "(i) step between NumPy GEMMs 784-100x4-10 b128", "dtype": "float32",
             "trainlab_ms": mixed.median_ms, "spread": mixed.spread,
             "peers": {"trainlab step alone": alone.median_ms},
             "notes": [f"interleaved / alone = {mixed.median_ms / alone.median_ms:.2f}; the NumPy products "
                       f"(float64) took {products_mixed:.3f} ms interleaved, "
                       f"{times['products alone'].median_ms:.3f} ms alone"]}]


CASES = {"busy": busy_machine, "numpy": numpy_neighbour}
