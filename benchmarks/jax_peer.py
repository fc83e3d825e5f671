"""JAX peers (XLA on the CPU; a benchmark peer, never a dependency): builders of the training steps
that the worker processes of ``benchmarks.workers`` time. This module is imported only there.

The network is the benchmarks' MLP (He-initialised, ReLU, softmax cross-entropy, SGD lr 0.01).
Two forms: ``mlp_step`` is one ``jax.jit`` step called from a Python loop (parameters donated, so
XLA updates them in place), ``mlp_scan`` what a JAX user writes for speed, ``steps`` steps fused
in one jitted ``lax.scan``. float64 needs JAX_ENABLE_X64=1 in the process (the "jax-x64" worker).
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .harness import Timed
from .workers import PeerUnavailable


def _problem(sizes, batch, dtype, seed=0):
    dtype = np.dtype(dtype)
    if dtype == np.float64 and not jax.config.jax_enable_x64:
        raise PeerUnavailable("float64 needs JAX_ENABLE_X64=1 in the worker process")
    rng = np.random.default_rng(seed)
    params = [(jnp.asarray((rng.standard_normal((a, b)) * math.sqrt(2.0 / a)).astype(dtype)),
               jnp.zeros(b, dtype)) for a, b in zip(sizes[:-1], sizes[1:])]
    x = jnp.asarray(rng.random((batch, sizes[0])).astype(dtype))
    t = jnp.asarray(rng.integers(0, sizes[-1], batch))
    assert all(w.dtype == dtype for w, _ in params) and x.dtype == dtype
    return params, x, t


def _loss(params, x, t):
    h = x
    for w, b in params[:-1]:
        h = jax.nn.relu(h @ w + b)
    w, b = params[-1]
    log_probs = jax.nn.log_softmax(h @ w + b)
    return -jnp.mean(jnp.take_along_axis(log_probs, t[:, None], axis=1))


def _sgd(params, x, t, lr=0.01):
    grads = jax.grad(_loss)(params, x, t)
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)


def mlp_step(sizes, batch, dtype, seed=0):
    """One jitted SGD step per call."""
    params, x, t = _problem(sizes, batch, dtype, seed)
    step = jax.jit(_sgd, donate_argnums=0)
    state = [step(params, x, t)]  # compiles
    jax.block_until_ready(state[0])

    def run():
        state[0] = step(state[0], x, t)
    return Timed(run, sync=lambda: jax.block_until_ready(state[0]))


def mlp_scan(sizes, batch, dtype, steps=100, seed=0):
    """``steps`` SGD steps on the same batch in one jitted ``lax.scan`` per call; timed per step."""
    params, x, t = _problem(sizes, batch, dtype, seed)

    def fused(p, inputs, labels):
        return lax.scan(lambda carry, _: (_sgd(carry, inputs, labels), None), p, None, length=steps)[0]
    fused = jax.jit(fused, donate_argnums=0)
    state = [fused(params, x, t)]  # compiles
    jax.block_until_ready(state[0])

    def run():
        state[0] = fused(state[0], x, t)
    # one call is 100 steps (seconds on the large network in float64): fewer, longer blocks, and
    # the compiling call above was the warm-up
    return Timed(run, sync=lambda: jax.block_until_ready(state[0]), steps_per_call=steps,
                 blocks=5, warmup=0)
