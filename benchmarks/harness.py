"""Timing with warm-up, repeated blocks, median and spread, and a busy-machine warning."""
from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Timing:
    median_ms: float
    spread: float          # (p90 − p10) / median over the blocks
    blocks: list = field(repr=False, default_factory=list)

    @property
    def busy(self) -> bool:
        return self.spread > 0.25


def measure(fn, *, min_block_s: float = 0.05, blocks: int = 9, warmup: int = 2) -> Timing:
    """Median time of one call of ``fn`` in ms: each block repeats fn until min_block_s has passed."""
    # Idle BLAS/OpenMP threads of the previous measurement spin for a while before they sleep;
    # let them, so that they do not take the cores from this one.
    time.sleep(0.25)
    for _ in range(warmup):
        fn()
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    reps = max(1, int(min_block_s / once))
    per_call = []
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(reps):
            fn()
        per_call.append((time.perf_counter() - start) / reps * 1e3)
    per_call.sort()
    med = statistics.median(per_call)
    lo = per_call[max(0, int(0.1 * len(per_call)))]
    hi = per_call[min(len(per_call) - 1, int(0.9 * len(per_call)))]
    return Timing(med, (hi - lo) / med if med else 0.0, per_call)


def machine() -> dict:
    info = {"python": platform.python_version(), "machine": platform.machine(),
            "cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
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
