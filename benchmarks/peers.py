"""PyTorch peers (a benchmark peer, never a dependency): builders of the steps that the worker
processes of ``benchmarks.workers`` time. This module is imported only there."""
from __future__ import annotations

import math

import numpy as np
import torch

from .workers import PeerUnavailable


def _dtype(dtype):
    return torch.float32 if np.dtype(dtype) == np.float32 else torch.float64


def _mlp(sizes, batch, dtype, optimizer="sgd", batchnorm=False, fused=False, seed=0):
    """A He-initialised MLP, its optimizer, a batch and the loss."""
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
    return model, opt, x, t, torch.nn.CrossEntropyLoss()


def mlp_step(sizes, batch, dtype, optimizer="sgd", batchnorm=False, fused=False, seed=0):
    """One training step (zero_grad, forward, loss, backward, step) of a He-initialised MLP."""
    model, opt, x, t, loss_fn = _mlp(sizes, batch, dtype, optimizer, batchnorm, fused, seed)

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), t)
        loss.backward()
        opt.step()
    return step


def mlp_step_compiled(sizes, batch, dtype, optimizer="sgd", seed=0):
    """mlp_step with ``torch.compile`` (inductor, default mode) as its tutorials show: the model
    and loss compiled (the backward too, through AOTAutograd) and the optimizer step compiled.
    Raises PeerUnavailable("did not compile: …") when the machine cannot compile it."""
    import torch._dynamo

    torch._dynamo.reset()  # a fresh start for each network: no recompile limit carried over
    model, opt, x, t, loss_fn = _mlp(sizes, batch, dtype, optimizer, seed=seed)
    forward = torch.compile(lambda inputs, labels: loss_fn(model(inputs), labels))

    @torch.compile
    def update():
        opt.step()

    def step():
        opt.zero_grad(set_to_none=False)
        forward(x, t).backward()
        update()
    graphs = torch._dynamo.utils.counters["stats"]["unique_graphs"]
    try:
        step()  # compiles
    except Exception as exc:  # any failure of the compiler toolchain ends this peer, not the run
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise PeerUnavailable(f"did not compile: {type(exc).__name__}: {reason}") from None
    if torch._dynamo.utils.counters["stats"]["unique_graphs"] == graphs:
        raise PeerUnavailable("did not compile: torch.compile captured no graph (ran eagerly)")
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
