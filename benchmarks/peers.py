"""PyTorch peers, built only when torch is importable (a benchmark peer, never a dependency).

They are measured in a separate worker process of the same run (``measure_in_worker``): torch's
OpenMP threads and the OpenBLAS threads of trainlab and NumPy spin after each parallel region, and
in one process they slow each other down by a factor of two or more (seen here), which would make
either side look worse than it is.
"""
from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np

try:
    import torch
except ImportError:  # the benchmark still runs, without the torch column
    torch = None


def available() -> bool:
    return torch is not None


def _dtype(dtype):
    return torch.float32 if np.dtype(dtype) == np.float32 else torch.float64


def mlp_step(sizes, batch, dtype, optimizer="sgd", batchnorm=False, fused=False, seed=0):
    """One training step (zero_grad, forward, loss, backward, step) of a He-initialised MLP."""
    torch.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = torch.nn.Linear(a, b)
        torch.nn.init.normal_(lin.weight, std=math.sqrt(2.0 / a))
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2:
            if batchnorm:
                layers.append(torch.nn.BatchNorm1d(b))
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).to(_dtype(dtype))
    kwargs = {"fused": True} if fused else {}
    if optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=0.01, **kwargs)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=0.001, **kwargs)
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.random((batch, sizes[0])).astype(dtype))
    t = torch.from_numpy(rng.integers(0, sizes[-1], batch))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), t)
        loss.backward()
        opt.step()
    return step


def optimizer_step(name, n, dtype, impl):
    """One step of a torch optimizer over n parameters; impl in 'foreach', 'fused', 'loop'."""
    p = torch.nn.Parameter(torch.randn(n, dtype=_dtype(dtype)))
    p.grad = torch.randn(n, dtype=_dtype(dtype))
    kwargs = {"foreach": impl == "foreach"}
    if impl == "fused":
        kwargs = {"fused": True}
    table = {
        "sgd": lambda: torch.optim.SGD([p], lr=0.01, **kwargs),
        "momentum": lambda: torch.optim.SGD([p], lr=0.01, momentum=0.9, **kwargs),
        "nesterov": lambda: torch.optim.SGD([p], lr=0.01, momentum=0.9, nesterov=True, **kwargs),
        "adagrad": lambda: torch.optim.Adagrad([p], lr=0.01, **kwargs),
        "rmsprop": lambda: torch.optim.RMSprop([p], lr=0.01, alpha=0.99, **kwargs),
        "adam": lambda: torch.optim.Adam([p], lr=0.001, **kwargs),
    }
    try:
        opt = table[name]()
        opt.step()
    except (RuntimeError, TypeError, ValueError):
        return None  # this implementation does not exist for this optimizer/dtype
    return opt.step


def _module_step(module, n, k, m, dtype):
    """Forward + backward of ``module`` on (n, k) input with a fixed (n, m) output gradient."""
    module = module.to(_dtype(dtype))
    x = torch.randn(n, k, dtype=_dtype(dtype), requires_grad=True)
    g = torch.randn(n, m, dtype=_dtype(dtype))

    def step():
        x.grad = None
        module.zero_grad(set_to_none=False)
        module(x).backward(g)
    return step


def batchnorm_step(n, d, dtype):
    return _module_step(torch.nn.BatchNorm1d(d), n, d, d, dtype)


def affine_step(n, k, m, dtype):
    return _module_step(torch.nn.Linear(k, m), n, k, m, dtype)


_WORKER = None


def _measure(builder: str, args: tuple):
    import time

    from .harness import measure

    # Let the other process's idle threads stop spinning before timing, and ours before returning.
    time.sleep(0.3)
    step = globals()[builder](*args)
    ms = None if step is None else measure(step).median_ms
    time.sleep(0.3)
    return ms


def measure_in_worker(builder: str, *args):
    """Median ms of peers.<builder>(*args)'s step, timed in the peer worker process."""
    global _WORKER
    if _WORKER is None:
        # trainlab sets GOMP_SPINCOUNT for its own OpenMP threads; PyTorch runs with its defaults
        from trainlab import _ext

        saved = os.environ.pop("GOMP_SPINCOUNT", None) if _ext.SPIN_COUNT_SET_HERE else None
        try:
            _WORKER = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            _WORKER.submit(int).result()  # start it now, with this environment
        finally:
            if saved is not None:
                os.environ["GOMP_SPINCOUNT"] = saved
    return _WORKER.submit(_measure, builder, args).result()
