"""Timing with warm-up, repeated blocks, median and spread, and a busy-machine warning."""
from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Timed:
    """What a peer's builder returns when a plain call is not one step: ``fn`` runs
    ``steps_per_call`` steps, ``sync`` waits for them, and timing uses the given blocks."""
    fn: object
    sync: object = None
    steps_per_call: int = 1
    blocks: int = 9
    warmup: int = 2


NOISY = 0.25  # blocks spreading more than this, (p90 − p10) / median, mark a row as noisy


@dataclass
class Timing:
    median_ms: float
    spread: float          # (p90 − p10) / median over the blocks
    blocks: list = field(repr=False, default_factory=list)

    @property
    def busy(self) -> bool:
        return self.spread > NOISY


def measure(fn, *, min_block_s: float = 0.05, blocks: int = 9, warmup: int = 2, sync=None) -> Timing:
    """Median time of one call of ``fn`` in ms: each block repeats fn until min_block_s has passed.

    ``sync()``, when given, runs before each clock read: it waits for work ``fn`` only started
    (an asynchronous dispatch such as JAX's)."""
    sync = sync or (lambda: None)
    # Idle BLAS/OpenMP threads of the previous measurement spin for a while before they sleep;
    # let them, so that they do not take the cores from this one.
    time.sleep(0.25)
    for _ in range(warmup):
        fn()
    sync()
    start = time.perf_counter()
    fn()
    sync()
    once = max(time.perf_counter() - start, 1e-7)
    reps = max(1, int(min_block_s / once))
    per_call = []
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(reps):
            fn()
        sync()
        per_call.append((time.perf_counter() - start) / reps * 1e3)
    return summarize(per_call)


def summarize(per_call) -> Timing:
    """Median and spread of per-call times (ms), e.g. blocks pooled from interleaved rounds."""
    per_call = sorted(per_call)
    med = statistics.median(per_call)
    lo = per_call[max(0, int(0.1 * len(per_call)))]
    hi = per_call[min(len(per_call) - 1, int(0.9 * len(per_call)))]
    return Timing(med, (hi - lo) / med if med else 0.0, per_call)


# The vector extensions that decide GEMM speed, as /proc/cpuinfo spells them and as reported.
_VECTOR_FLAGS = {"avx2": "AVX2", "fma": "FMA", "avx512f": "AVX-512"}


def cpu() -> dict:
    """The CPU's model name and vector extensions (Linux /proc/cpuinfo; empty elsewhere)."""
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and "cpu" not in out:
            out["cpu"] = value.strip()
        elif key.strip() == "flags" and "cpu_flags" not in out:
            flags = set(value.split())
            out["cpu_flags"] = [name for flag, name in _VECTOR_FLAGS.items() if flag in flags]
    return out


def machine() -> dict:
    info = {"python": platform.python_version(), "machine": platform.machine(),
            "cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    info.update(cpu())
    import numpy as np
    import scipy
    info["numpy"], info["scipy"] = np.__version__, scipy.__version__
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = sorted({f"{p['internal_api']} {p['version']} ({p['num_threads']} threads)"
                               for p in threadpool_info() if p["user_api"] == "blas"})
    except Exception:  # threadpoolctl is informational here
        pass
    return info
