"""Peers timed in worker processes of the same run, one process per peer.

Each peer's threads (PyTorch's OpenMP pool, XLA's Eigen pool) and the OpenBLAS threads of trainlab
and NumPy spin after each parallel region; in one process they slow each other down by a factor
of two or more (seen here), which would make either side look worse than it is. So every peer runs
in its own spawned process, started on first use and kept for the run. The processes import only
the peer's module (never trainlab), and start without the OpenMP setting trainlab makes for itself.
"""
from __future__ import annotations

import importlib
import importlib.util
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

# worker name: (the module holding its builders, the library it needs, environment it starts with)
WORKERS = {
    "torch": ("benchmarks.peers", "torch", {}),
    # one compile thread: inductor's pool of compile processes would otherwise stay alive
    "torch.compile": ("benchmarks.peers", "torch", {"TORCHINDUCTOR_COMPILE_THREADS": "1"}),
    "jax": ("benchmarks.jax_peer", "jax", {"JAX_ENABLE_X64": "0"}),
    # JAX computes in float32 unless x64 is enabled before its first use: a process of its own
    "jax-x64": ("benchmarks.jax_peer", "jax", {"JAX_ENABLE_X64": "1"}),
}
# The peers a user can select (--peers); "jax" covers both of its processes.
PEERS = ("torch", "torch.compile", "jax")

_selected = set(PEERS)
_pools: dict[str, ProcessPoolExecutor] = {}


class PeerUnavailable(Exception):
    """Raised by a builder when its peer cannot run here (e.g. did not compile): the row shows
    the message instead of a time."""


def select(names) -> None:
    """Time only these peers (names from PEERS)."""
    unknown = set(names) - set(PEERS)
    if unknown:
        raise ValueError(f"unknown peers {sorted(unknown)}; expected some of {list(PEERS)}")
    _selected.clear()
    _selected.update(names)


def enabled(worker: str) -> bool:
    """Whether the worker's peer is selected and its library installed (checked without importing
    it here)."""
    peer = "jax" if worker.startswith("jax") else worker
    return peer in _selected and importlib.util.find_spec(WORKERS[worker][1]) is not None


def _start(env: dict, unset: list) -> None:
    # before the peer's libraries load: libgomp and XLA read these once
    for key in unset:
        os.environ.pop(key, None)
    os.environ.update(env)


def _run(module: str, builder: str, args: tuple):
    from .harness import Timed, measure

    # Let the other process's idle threads stop spinning before timing, and ours before returning.
    time.sleep(0.3)
    try:
        built = getattr(importlib.import_module(module), builder)(*args)
    except PeerUnavailable as exc:
        return str(exc)
    if built is None:
        return None
    timed = built if isinstance(built, Timed) else Timed(built)
    ms = measure(timed.fn, sync=timed.sync, blocks=timed.blocks, warmup=timed.warmup).median_ms
    time.sleep(0.3)
    return ms / timed.steps_per_call


def measure_in_worker(worker: str, builder: str, *args):
    """Median ms per step of ``<worker's module>.<builder>(*args)``, timed in the worker's process:
    a float, None when the builder has nothing to time, or a str saying why the peer could not run."""
    pool = _pools.get(worker)
    if pool is None:
        from trainlab import _ext

        module, _, env = WORKERS[worker]
        # trainlab sets GOMP_SPINCOUNT for its own OpenMP threads; the peers run with their defaults
        unset = ["GOMP_SPINCOUNT"] if _ext.SPIN_COUNT_SET_HERE else []
        pool = _pools[worker] = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                    initializer=_start, initargs=(env, unset))
    return pool.submit(_run, WORKERS[worker][0], builder, args).result()


def shutdown() -> None:
    """Stop the worker processes."""
    for pool in _pools.values():
        pool.shutdown(cancel_futures=True)
    _pools.clear()
