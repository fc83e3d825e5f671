"""Bound calls for the hot paths: a network's plan for one batch size and an optimizer's step over
a flat buffer. Everything is checked when they are made; each call then goes straight to the
compiled code, whose typed memoryviews check the input's dtype and layout and whose executor
checks a few sizes — no Python-level validation per step.
"""
from __future__ import annotations

import functools

import numpy as np

from trainlab._ext import _net, _optim, cython_blas
from trainlab._validate import check_array, float_dtype

__all__ = ["BoundNetwork", "BoundSizes", "bind_network", "bind_step", "bind_blas_threads",
           "blas_threads_bound", "blas_module"]

# state buffers of each optimizer kernel
_STEP_STATE = {"sgd_step": 0, "momentum_step": 1, "nesterov_step": 1, "adagrad_step": 1,
               "rmsprop_step": 1, "adam_step": 2}


def bind_step(kernel: str, p, g, *state):
    """The optimizer kernel ``kernel`` (``'sgd_step'`` … ``'adam_step'``) bound to flat buffers:
    ``step(*scalars, weight_decay, n_threads)`` then updates ``p`` and the state in place.

    Parameters
    ----------
    kernel : str
        Name of the step in :mod:`trainlab.kernels`.
    p, g : numpy.ndarray
        Parameters (written) and gradients: 1-D, C-contiguous, one float dtype and length.
    *state
        The kernel's state buffers (written), like ``p``.

    Raises
    ------
    ValueError
        An unknown kernel, the wrong number of state buffers, or a buffer of another dtype,
        length or layout, or read-only where it is written.
    """
    if _STEP_STATE.get(kernel) != len(state):
        raise ValueError(f"{kernel!r} is not an optimizer step taking {len(state)} state buffer(s)")
    check_array("p", p, ndim=1, writable=True)
    check_array("g", g, dtype=p.dtype, ndim=1)
    for i, s in enumerate(state):
        check_array(f"state[{i}]", s, dtype=p.dtype, ndim=1, writable=True)
    if any(a.shape != p.shape for a in (g, *state)):
        raise ValueError(f"{kernel}: every buffer must have the length of p ({p.shape[0]})")
    compiled = getattr(_optim, kernel)["float" if p.dtype == np.float32 else "double"]
    return functools.partial(compiled, p, g, *state)


class BoundNetwork:
    """A network's plan bound to buffers for ``batch`` rows (made by :func:`bind_network`).

    ``forward(x, train, n_threads, parts)``, ``loss(x, t, train, n_threads, parts)`` (the mean
    cross-entropy, softmax in ``probs``), ``loss_and_backward(x, t, lam, n_threads, parts)``
    (returns the loss without weight decay) and ``backward(x, lam, n_threads, parts)`` (from the
    gradient in ``dscores``) are the compiled executor's methods: ``x`` a C-contiguous (batch,
    features) array of the dtype, ``t`` int64 labels (batch,). ``parts`` (at most
    ``max_parts``) cuts the rows for every pass the same way, whatever ``n_threads`` runs it:
    the results depend on ``parts`` only.

    Attributes
    ----------
    outputs : list of numpy.ndarray
        Each step's output (batch, width).
    dx, xn, masks : list
        Per step: an affine step's input gradient (None for the first), a batch norm's x̂, a
        dropout's uint8 mask; None for the other kinds.
    probs, dscores : numpy.ndarray
        (batch, classes): the softmax and the loss gradient of the scores.
    nbytes : int
        Bytes of the buffers made for this batch size.
    max_parts : int
        The most parts a pass cuts the rows into (16 rows each at least; one with a layer of 512
        outputs or more, whose GEMMs split by columns).
    choices : dict
        The caller's per-pass state (trainlab._thread_choice keeps its thread choices here).
    """

    __slots__ = ("batch", "dtype", "outputs", "dx", "xn", "masks", "probs", "dscores", "nbytes",
                 "forward", "loss", "loss_and_backward", "backward", "executor", "max_parts", "choices")

    def __init__(self, executor, batch, dtype, outputs, dx, xn, masks, probs, dscores):
        self.executor, self.batch, self.dtype = executor, batch, dtype
        self.outputs, self.dx, self.xn, self.masks = outputs, dx, xn, masks
        self.probs, self.dscores = probs, dscores
        self.nbytes = sum(a.nbytes for group in (outputs, dx, xn, masks, [probs, dscores])
                          for a in group if a is not None)
        self.max_parts = executor.max_parts
        self.choices = {}
        self.forward, self.loss = executor.forward, executor.loss
        self.loss_and_backward, self.backward = executor.loss_and_backward, executor.backward


def bind_network(steps, batch: int, dtype) -> BoundNetwork:
    """A network's forward and backward pass for ``batch`` rows, its buffers made here.

    Parameters
    ----------
    steps : list of tuple
        In forward order: ``("affine", W, b, dW, db, activation)`` (the first step),
        ``("batchnorm", gamma, beta, running_mean, running_var, hyper, inv_std, dgamma, dbeta,
        n_threads)`` with ``hyper`` the layer's float64 [momentum, eps], ``("activation", code)``,
        ``("dropout", hyper, stream)`` with the layer's float64 [ratio] and uint64 [key, counter].
        The arrays are used by reference for as long as the bound network lives.
    batch : int
        Rows of every batch it runs (≥ 1).
    dtype : numpy.float32 or numpy.float64
        The network's dtype: every float array of the plan has it.

    Raises
    ------
    ValueError
        A plan that does not start with an affine step, an unknown kind, or an array of the
        wrong shape, dtype or layout (named).
    """
    dtype = float_dtype(dtype)
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1:
        raise ValueError(f"batch must be a positive integer, got {batch!r}")
    affines = [s for s in steps if s[0] == "affine"]
    for s in affines:
        check_array("W", s[1], dtype=dtype, ndim=2)
    if not steps or steps[0][0] != "affine":
        raise ValueError("a network plan starts with an affine step")
    widest = max(max(s[1].shape) for s in affines)
    ex = _net.NetExecutor(batch, dtype == np.float64, len(steps), widest)
    outputs, dx, xn, masks = [], [], [], []
    width = affines[0][1].shape[0]
    for i, step in enumerate(steps):
        kind, d, x_hat, mask = step[0], None, None, None
        if kind == "affine":
            _, W, b, dW, db, activation = step
            width = W.shape[1]
            out = np.empty((batch, width), dtype)
            d = None if i == 0 else np.empty((batch, W.shape[0]), dtype)
            ex.add_affine(W, b, dW, db, out, d, activation)
        elif kind == "batchnorm":
            _, gamma, beta, mean, var, hyper, inv_std, dgamma, dbeta, n_threads = step
            out, x_hat = np.empty((batch, width), dtype), np.empty((batch, width), dtype)
            ex.add_batchnorm(gamma, beta, mean, var, hyper, x_hat, inv_std, dgamma, dbeta, out, n_threads)
        elif kind == "activation":
            out = np.empty((batch, width), dtype)
            ex.add_activation(step[1], out)
        elif kind == "dropout":
            out, mask = np.empty((batch, width), dtype), np.empty((batch, width), np.uint8)
            ex.add_dropout(step[1], step[2], mask, out)
        else:
            raise ValueError(f"unknown step kind {kind!r}")
        outputs.append(out)
        dx.append(d)
        xn.append(x_hat)
        masks.append(mask)
    probs, dscores = np.empty((batch, width), dtype), np.empty((batch, width), dtype)
    ex.set_loss_buffers(probs, dscores)
    return BoundNetwork(ex, batch, dtype, outputs, dx, xn, masks, probs, dscores)


class BoundSizes:
    """A network's pass bound for each batch size it meets (:func:`bind_network`), least
    recently used first out beyond ``MAX_SIZES`` sizes or, besides the size in use,
    ``MAX_BYTES`` bytes of buffers.

    Parameters
    ----------
    steps_for : callable
        ``steps_for(n)``: the plan for ``n`` rows (the steps of :func:`bind_network`).
    dtype : numpy.float32 or numpy.float64
        The network's dtype.
    on_switch : callable
        ``on_switch(bound)``, called when a batch size's buffers are used after another's.
    """

    MAX_SIZES = 4
    MAX_BYTES = 256 << 20

    def __init__(self, steps_for, dtype, on_switch):
        self.steps_for, self.dtype, self.on_switch = steps_for, dtype, on_switch
        self.by_size: dict[int, BoundNetwork] = {}  # insertion order: least recently used first
        self.active = None

    def get(self, n: int) -> BoundNetwork:
        """The pass bound for ``n`` rows (made on first use)."""
        if self.active is not None and self.active.batch == n:
            return self.active  # the usual case in training: the size of the last call
        by_size = self.by_size
        bound = by_size.pop(n, None)
        if bound is None:
            bound = bind_network(self.steps_for(n), n, self.dtype)
            limit = max(self.MAX_BYTES, bound.nbytes)
            while by_size and (len(by_size) >= self.MAX_SIZES
                               or sum(b.nbytes for b in by_size.values()) + bound.nbytes > limit):
                del by_size[next(iter(by_size))]
        by_size[n] = bound
        if self.active is not bound:
            self.on_switch(bound)
            self.active = bound
        return bound


def bind_blas_threads(get_fn: int, set_fn: int) -> None:
    """Give the compiled passes the BLAS library's thread getter and setter (addresses of
    ``int get(void)`` and ``void set(int)``): each of their threads then holds BLAS to one.

    Parameters
    ----------
    get_fn, set_fn : int
        The functions' addresses.
    """
    _net.bind_blas_threads(int(get_fn), int(set_fn))


def blas_module():
    """SciPy's ``cython_blas`` module, whose BLAS every GEMM of the kernels calls."""
    return cython_blas


def blas_threads_bound() -> bool:
    """Whether :func:`bind_blas_threads` was called (passes can run on several threads)."""
    return bool(_net.blas_threads_bound())
