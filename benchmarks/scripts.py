"""(j) The book's script pattern end to end (benchmarks/book_pattern.py in fresh processes):
trainlab with its default settings and with one thread against the book's code, each run from
the interpreter's start to its exit, alternated in rounds.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]  # where `python -m benchmarks...` finds this package


def add_options(parser) -> None:
    parser.add_argument("--script-iterations", type=int, default=None, metavar="N",
                        help="iterations of the book-script pattern row (default 300, 100 with --quick; "
                             "the book's script runs 2000)")


def child_env(threads: int | None = None) -> dict:
    """The environment of a fresh benchmark process: trainlab's defaults (no thread setting, no
    OpenMP setting inherited from this process), ``threads`` if given, no downloads, no figures."""
    from trainlab import _ext

    env = dict(os.environ, TRAINLAB_OFFLINE="1", MPLBACKEND="Agg")
    env.pop("TRAINLAB_NUM_THREADS", None)
    if _ext.SPIN_COUNT_SET_HERE:
        env.pop("GOMP_SPINCOUNT", None)
    if threads is not None:
        env["TRAINLAB_NUM_THREADS"] = str(threads)
    return env


def run_timed(cmd, *, cwd, env, timeout: float) -> tuple[float, subprocess.CompletedProcess]:
    """(wall ms from start to exit, the finished process with its stdout and stderr as text);
    RuntimeError with its last error line when it fails or times out."""
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"did not finish within {timeout:.0f} s") from None
    wall = (time.perf_counter() - start) * 1e3
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise RuntimeError(f"failed: {last[:200]}")
    return wall, done


def real_digits(n: int = 4000):
    """(name, x, t): the first n training images of MNIST, else Fashion-MNIST, else the
    embedded sample (never downloaded here)."""
    from trainlab.datasets import load_default_dataset

    found = load_default_dataset(download=False, progress=False)
    (x, t), _ = found.data
    return found.name, np.ascontiguousarray(x[:n]), np.ascontiguousarray(t[:n])


def book_script_pattern(roof, opts):
    """(j) 4 networks alternating on one batch, loss() after update: end-to-end wall time."""
    iterations = opts.script_iterations or (100 if opts.quick else 300)
    rounds = 1 if opts.quick else 3
    name, x, t = real_digits()
    variants = {"trainlab": ("trainlab", None), "trainlab 1 thread": ("trainlab", 1), "book": ("book", None)}
    walls = {v: [] for v in variants}
    inside = {v: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="trainlab-bench-") as tmp:
        data = Path(tmp) / "digits.npz"
        np.savez(data, x=x, t=t)
        for _ in range(rounds):
            for variant, (backend, threads) in variants.items():
                cmd = [sys.executable, "-m", "benchmarks.book_pattern", backend, str(data), str(iterations)]
                wall, out = run_timed(cmd, cwd=ROOT, env=child_env(threads), timeout=3600)
                walls[variant].append(wall)
                inside[variant].append(json.loads(out.stdout.strip().splitlines()[-1]))

    def med(variant, key=None):
        return statistics.median(walls[variant] if key is None else [r[key] for r in inside[variant]])
    mine, book = med("trainlab"), med("book")
    return [{"case": f"(j) book-script pattern 4 nets x {iterations} it", "dtype": "float32",
             "trainlab_ms": mine, "reference_f64_ms": book,
             "spread": (max(walls["trainlab"]) - min(walls["trainlab"])) / mine,
             "peers": {"trainlab 1 thread": med("trainlab 1 thread")},
             "notes": [f"end to end, {len(x)} {name} images, median of {rounds} fresh processes each; loop only: "
                       f"trainlab {med('trainlab', 'loop_ms'):.0f} ms, 1 thread "
                       f"{med('trainlab 1 thread', 'loop_ms'):.0f} ms, book {med('book', 'loop_ms'):.0f} ms "
                       f"(x book {med('book', 'loop_ms') / med('trainlab', 'loop_ms'):.2f})",
                       f"gradient() per call: trainlab {med('trainlab', 'gradient_ms'):.3f} ms, 1 thread "
                       f"{med('trainlab 1 thread', 'gradient_ms'):.3f} ms, book {med('book', 'gradient_ms'):.3f} ms; "
                       f"imports: trainlab {med('trainlab', 'import_ms'):.0f} ms, book "
                       f"{med('book', 'import_ms'):.0f} ms"]}]


CASES = {"script": book_script_pattern}
