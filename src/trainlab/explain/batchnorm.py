"""Batch normalization as a computational graph (the book's figure 6-17), node by node.

:func:`batchnorm_graph` computes the forward pass of train-mode batch norm for a small batch one
elementary operation at a time, then walks the graph backwards from an upstream gradient
``dout``: at every node the gradient arriving from above and the local gradient of each of its
inputs. The result is checked, not assumed: the same batch goes through the compiled kernels
(:func:`trainlab.kernels.batchnorm_forward_train`, :func:`trainlab.kernels.batchnorm_backward`)
and through central differences, and the largest differences are kept with the graph.

Everything is plain dataclasses of float64 arrays, for the app's view, the documentation's
figures and notebooks alike.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab._i18n import N_
from trainlab._validate import positive_number

__all__ = ["GraphNode", "EdgeGradient", "BackwardStep", "GradientCheck", "BatchNormGraph",
           "batchnorm_graph", "example_batch", "BOOK_EPS"]

BOOK_EPS = 1e-6  # the book's 10e-7 under the square root

# key: (symbol, operation, inputs), in forward order; operations in words are translated
# (context "explain") where they are shown
_NODES = {
    "x": ("x", N_("explain", "input"), ()),
    "gamma": ("γ", N_("explain", "scale"), ()),
    "beta": ("β", N_("explain", "shift"), ()),
    "mu": ("μ", N_("explain", "mean over the batch"), ("x",)),
    "xc": ("xc", "x − μ", ("x", "mu")),
    "sq": ("xc²", "xc · xc", ("xc",)),
    "var": ("var", N_("explain", "mean over the batch"), ("sq",)),
    "std": ("σ", "√(var + ε)", ("var",)),
    "inv": ("1/σ", "1 / σ", ("std",)),
    "xhat": ("x̂", "xc · (1/σ)", ("xc", "inv")),
    "scaled": ("γx̂", "γ · x̂", ("gamma", "xhat")),
    "out": ("out", "γx̂ + β", ("scaled", "beta")),
}


@dataclass(frozen=True)
class GraphNode:
    """One node of the forward graph.

    ``key`` names it in :attr:`BatchNormGraph.nodes`, ``symbol`` is how it is written (``x̂``),
    ``operation`` what it computes from ``inputs`` (keys of other nodes; none for x, γ, β),
    ``value`` its forward value, (N, D) or (D,).
    """

    key: str
    symbol: str
    operation: str
    inputs: tuple
    value: np.ndarray


@dataclass(frozen=True)
class EdgeGradient:
    """What one backward step sends down one edge, from ``node`` to its input ``source``.

    ``local_formula`` is the local derivative ∂node/∂source in words (``"∂x̂/∂xc = 1/σ"``),
    ``local`` its elementwise value, ``reduction`` how upstream·local reaches the shape of
    ``source`` (``"elementwise"``, ``"summed over the N rows"`` or ``"the same for every
    row"``) and ``contribution`` the array added to the gradient of ``source``.
    """

    node: str
    source: str
    local_formula: str
    local: np.ndarray
    reduction: str
    contribution: np.ndarray


@dataclass(frozen=True)
class BackwardStep:
    """The backward pass at one node: ``upstream`` is ∂L/∂node, summed over every path from
    the output, and ``edges`` hold what it sends to each input."""

    node: str
    upstream: np.ndarray
    edges: tuple


@dataclass(frozen=True)
class GradientCheck:
    """The graph's results against the compiled kernels and central differences (float64).

    ``kernel`` and ``numerical`` map ``"out"``/``"dx"``/``"dgamma"``/``"dbeta"`` (the
    numerical check has no ``"out"``) to arrays; ``kernel_max_diff`` and
    ``numerical_max_diff`` to the largest absolute difference from the graph's value.
    ``numerical_step`` is the step of the central differences relative to each column's σ
    (for x) or to the larger of 1 and the value itself (for γ, β). ``kernel_tolerance`` and
    ``numerical_tolerance`` are the largest differences that still count as agreement.
    """

    kernel: dict
    numerical: dict
    kernel_max_diff: dict
    numerical_max_diff: dict
    numerical_step: float
    kernel_tolerance: float
    numerical_tolerance: float

    @property
    def max_kernel_diff(self) -> float:
        """Largest difference from the kernel over dx, dγ and dβ."""
        return max(self.kernel_max_diff[k] for k in ("dx", "dgamma", "dbeta"))

    @property
    def max_numerical_diff(self) -> float:
        """Largest difference from the numerical gradient over dx, dγ and dβ."""
        return max(self.numerical_max_diff.values())

    @property
    def agrees_with_kernel(self) -> bool:
        return all(v <= self.kernel_tolerance for v in self.kernel_max_diff.values())

    @property
    def agrees_with_numerical(self) -> bool:
        return self.max_numerical_diff <= self.numerical_tolerance


@dataclass(frozen=True)
class BatchNormGraph:
    """Forward values, backward steps and their check, for one batch.

    ``nodes`` is in forward order; ``steps`` in backward order (from ``out`` to ``μ``); ``grads``
    maps every node's key to ∂L/∂node, where L is the loss whose gradient at ``out`` is ``dout``.
    """

    eps: float
    dout: np.ndarray
    nodes: dict
    steps: tuple
    grads: dict
    check: GradientCheck

    @property
    def x(self) -> np.ndarray:
        return self.nodes["x"].value

    @property
    def out(self) -> np.ndarray:
        return self.nodes["out"].value

    @property
    def dx(self) -> np.ndarray:
        return self.grads["x"]

    @property
    def dgamma(self) -> np.ndarray:
        return self.grads["gamma"]

    @property
    def dbeta(self) -> np.ndarray:
        return self.grads["beta"]

    def consumers(self, key: str) -> int:
        """How many edges leave node ``key`` towards the output (the loss counts for ``out``)."""
        if key == "out":
            return 1
        return sum(key in node.inputs for node in self.nodes.values())

    def received(self, steps_done: int) -> dict:
        """{key: (gradient so far, paths received, paths in all)} after the first
        ``steps_done`` backward steps (``out`` has ``dout`` from the start).

        Parameters
        ----------
        steps_done : int
            0 … ``len(steps)``.
        """
        if not 0 <= steps_done <= len(self.steps):
            raise ValueError(f"steps_done must be in 0..{len(self.steps)}, got {steps_done}")
        got = {"out": (self.dout, 1, 1)}
        for step in self.steps[:steps_done]:
            for edge in step.edges:
                grad, n, _ = got.get(edge.source, (0.0, 0, None))
                got[edge.source] = (grad + edge.contribution, n + 1, self.consumers(edge.source))
        return got


def example_batch(n: int = 4, d: int = 3, seed: int = 0):
    """A small batch with one-decimal values, easy to follow by hand: (x, γ, β, dout).

    Parameters
    ----------
    n, d : int
        Rows (batch size) and features.
    seed : int
        Seed of NumPy's generator.
    """
    rng = np.random.default_rng(seed)
    scale = np.resize([1.0, 2.0, 0.5, 1.5], d)
    shift = np.resize([0.0, 1.0, -1.0, 2.0], d)
    x = np.round(rng.standard_normal((n, d)) * scale + shift, 1)
    gamma = np.resize([1.0, 0.5, 2.0, 1.5], d)
    beta = np.resize([0.0, 0.5, -1.0, 0.2], d)
    dout = np.round(rng.standard_normal((n, d)), 1)
    return x, gamma, beta, dout


def _as_array(name: str, a, shape) -> np.ndarray:
    try:
        arr = np.array(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from exc
    if shape is not None and arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return arr


def _forward(x, gamma, beta, eps) -> dict:
    """Every node's value, one elementary operation each (also the numerical check's f)."""
    v = {"x": x, "gamma": gamma, "beta": beta}
    v["mu"] = x.mean(axis=0)
    v["xc"] = x - v["mu"]
    v["sq"] = v["xc"] * v["xc"]
    v["var"] = v["sq"].mean(axis=0)
    v["std"] = np.sqrt(v["var"] + eps)
    v["inv"] = 1.0 / v["std"]
    v["xhat"] = v["xc"] * v["inv"]
    v["scaled"] = gamma * v["xhat"]
    v["out"] = v["scaled"] + beta
    return v


def _edge(node, source, upstream, local, formula, source_shape) -> EdgeGradient:
    product = upstream * local
    if product.shape == source_shape:
        contribution, reduction = product, N_("explain", "elementwise")
    elif len(source_shape) == 1:
        contribution, reduction = product.sum(axis=0), N_("explain", "summed over the N rows")
    else:
        contribution = np.broadcast_to(product, source_shape).copy()
        reduction = N_("explain", "the same for every row")
    full = np.broadcast_shapes(np.shape(local), product.shape, source_shape)
    return EdgeGradient(node, source, formula, np.broadcast_to(local, full).copy(), reduction,
                        contribution)


def _local_gradients(v: dict, n: int) -> dict:
    """{node: [(input, local derivative ∂node/∂input, its formula)]} of every operation."""
    return {
        "out": [("scaled", 1.0, "∂out/∂γx̂ = 1"), ("beta", 1.0, "∂out/∂β = 1")],
        "scaled": [("gamma", v["xhat"], "∂γx̂/∂γ = x̂"), ("xhat", v["gamma"], "∂γx̂/∂x̂ = γ")],
        "xhat": [("xc", v["inv"], "∂x̂/∂xc = 1/σ"), ("inv", v["xc"], "∂x̂/∂(1/σ) = xc")],
        "inv": [("std", -1.0 / (v["std"] * v["std"]), "∂(1/σ)/∂σ = −1/σ²")],
        "std": [("var", 0.5 / v["std"], "∂σ/∂var = 1/(2σ)")],
        "var": [("sq", np.full_like(v["sq"], 1.0 / n), "∂var/∂xc² = 1/N")],
        "sq": [("xc", 2.0 * v["xc"], "∂xc²/∂xc = 2·xc")],
        "xc": [("x", 1.0, "∂xc/∂x = 1"), ("mu", -1.0, "∂xc/∂μ = −1")],
        "mu": [("x", np.full_like(v["x"], 1.0 / n), "∂μ/∂x = 1/N")],
    }


def _backward(v: dict, dout: np.ndarray):
    grads, steps = {"out": dout}, []
    for node, edges in _local_gradients(v, len(v["x"])).items():  # reverse topological order
        upstream = grads[node]
        sent = tuple(_edge(node, src, upstream, local, formula, v[src].shape)
                     for src, local, formula in edges)
        for edge in sent:
            grads[edge.source] = grads.get(edge.source, 0.0) + edge.contribution
        steps.append(BackwardStep(node, upstream, sent))
    return grads, tuple(steps)


def _kernel_results(x, gamma, beta, eps, dout) -> dict:
    from trainlab import kernels

    n, d = x.shape
    r = {"out": np.empty((n, d)), "dx": np.empty((n, d)), "dgamma": np.empty(d), "dbeta": np.empty(d)}
    xn, inv_std = np.empty((n, d)), np.empty(d)
    kernels.batchnorm_forward_train(np.ascontiguousarray(x), gamma.copy(), beta.copy(), np.zeros(d),
                                    np.zeros(d), 0.9, eps, xn, inv_std, r["out"])
    kernels.batchnorm_backward(np.ascontiguousarray(dout), xn, gamma.copy(), inv_std, r["dx"],
                               r["dgamma"], r["dbeta"])
    return r


def _kernel_tolerance(x, gamma, dout, std) -> float:
    """How closely float64 can agree here, whatever order the sums run in: the rounding of the
    batch mean (about ε·max|x|) reaches x̂ divided by σ and every gradient through sums of N
    products with dout and γ. Where σ is tiny next to |x| this is far above 1e-12."""
    spread = len(x) * max(1.0, np.abs(x).max()) * max(1.0, np.abs(dout).max())
    spread *= max(1.0, np.abs(gamma).max()) / std.min()
    return 1e-12 + 8 * np.finfo(np.float64).eps * spread


def _numerical(x, gamma, beta, eps, dout, step) -> dict:
    """Central differences of L = Σ dout·out in float64, one element at a time."""
    args = {"x": x, "gamma": gamma, "beta": beta}
    sigma = np.sqrt(x.var(axis=0) + eps)
    grads = {}
    for name, a in args.items():
        g = np.empty_like(a)
        for idx in np.ndindex(a.shape):
            # x: steps relative to the column's σ, where batch norm's curvature lives
            h = step * (sigma[idx[-1]] if name == "x" else max(1.0, abs(a[idx])))
            values = []
            for sign in (1.0, -1.0):
                moved = dict(args)
                moved[name] = a.copy()
                moved[name][idx] += sign * h
                values.append(np.sum(dout * _forward(moved["x"], moved["gamma"], moved["beta"],
                                                     eps)["out"]))
            g[idx] = (values[0] - values[1]) / (2.0 * h)
        grads["d" + name] = g
    return grads


def batchnorm_graph(x, dout, gamma=None, beta=None, eps: float = BOOK_EPS,
                    numerical_step: float = 1e-5) -> BatchNormGraph:
    """The computational graph of train-mode batch norm for one batch, forward and backward.

    Parameters
    ----------
    x : array_like
        The batch, (N, D); computed in float64.
    dout : array_like
        ∂L/∂out, the gradient arriving from the layer above, (N, D).
    gamma, beta : array_like, optional
        Scale and shift, (D,) (default: the book's initial ones and zeros).
    eps : float
        Added to the variance (the book's 1e-6).
    numerical_step : float
        Relative step of the central differences of the check.

    Returns
    -------
    BatchNormGraph
        Node values, backward steps, ∂L/∂(every node) and the check against the compiled
        kernels and the numerical gradient.

    Raises
    ------
    ValueError
        ``x`` not 2-D with at least one row and column, an array of the wrong shape, NaN or
        infinite values, ``eps`` or ``numerical_step`` not finite and positive.
    """
    x = _as_array("x", x, None)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(f"x must be a 2-D batch (N, D) with N, D >= 1, got shape {x.shape}")
    d = x.shape[1]
    gamma = np.ones(d) if gamma is None else _as_array("gamma", gamma, (d,))
    beta = np.zeros(d) if beta is None else _as_array("beta", beta, (d,))
    dout = _as_array("dout", dout, x.shape)
    eps = positive_number("eps", eps)
    numerical_step = positive_number("numerical_step", numerical_step)

    values = _forward(x, gamma, beta, eps)
    nodes = {key: GraphNode(key, symbol, operation, inputs, values[key])
             for key, (symbol, operation, inputs) in _NODES.items()}
    grads, steps = _backward(values, dout)

    kernel = _kernel_results(x, gamma, beta, eps, dout)
    numerical = _numerical(x, gamma, beta, eps, dout, numerical_step)
    mine = {"out": values["out"], "dx": grads["x"], "dgamma": grads["gamma"], "dbeta": grads["beta"]}
    # central differences of relative step h: truncation about h², cancellation about ε/h
    largest = max(1.0, *(float(np.abs(g).max()) for g in numerical.values()))
    h = numerical_step
    check = GradientCheck(
        kernel, numerical,
        {k: float(np.max(np.abs(mine[k] - kernel[k]))) for k in kernel},
        {k: float(np.max(np.abs(mine[k] - numerical[k]))) for k in numerical},
        numerical_step, _kernel_tolerance(x, gamma, dout, values["std"]),
        largest * max(1e-6, 100 * h * h + 1e4 * np.finfo(np.float64).eps / h))
    return BatchNormGraph(eps, dout, nodes, steps, grads, check)
