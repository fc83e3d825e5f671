"""Qt-free histograms of a network's activations, weights and gradients.

``collect`` copies the arrays in the training process between two steps (the network's buffers
are stable there; a copy is a memcpy of ~1 MB, 0.1 ms), and ``HistogramProbe.bin`` counts them in
the app: binning where the network trains cost training 7 ms per snapshot (3 % of its time at 4
snapshots a second).

Bin edges are fixed per layer at the first snapshot so slices compare over time (TensorBoard's
distributions). Values outside that range are counted, not clipped into the end bins: each
histogram has an open bin at either end, edges ``[-inf, lo, …, hi, +inf]`` (``outside`` splits
them off), so a view can show how much of a layer has left the range. Gradients are binned as
log10|dW|, the only scale on which their shrinking over training stays visible (a zero gradient
is below any range). NaN is counted nowhere.
"""
from __future__ import annotations

import numpy as np

from trainlab._i18n import N_

__all__ = ["HistogramProbe", "KINDS", "collect", "outside"]

# what a histogram shows, in words translated (context "probes") where they are shown
KINDS = {"activation": N_("probes", "activations"), "weight": N_("probes", "weights W"),
         "grad": "log10 |dW|"}


def _activation_outputs(net) -> list:
    """The hidden layers' activation outputs of the last forward pass (views)."""
    outs = []
    for i in range(1, net.hidden_layer_num + 1):
        if net.use_batchnorm:
            out = net.layers[f"Activation_function{i}"].out
        else:  # the activation is fused into the affine layer's epilogue
            out = net.layers[f"Affine{i}"].out
        if out is not None:
            outs.append(out)
    return outs


def collect(net, rows: int | None = None) -> tuple[dict, str]:
    """({'activation'|'weight'|'grad': [copy per layer]}, activation name) of ``net`` now; a
    kind that does not exist yet (no gradient before the first step, no activation before the
    first forward pass) is left out. ``rows`` keeps the activations of at most that many rows:
    the last forward pass may have been an evaluation over thousands of rows, and histograms
    of one batch's rows keep their counts comparable from snapshot to snapshot."""
    arrays = {
        "activation": [out[:rows] for out in _activation_outputs(net)],
        "weight": [net.params[f"W{i}"] for i in range(1, net.hidden_layer_num + 2)],
        "grad": [net.layers[f"Affine{i}"].dW for i in range(1, net.hidden_layer_num + 2)],
    }
    return ({kind: [np.array(a, copy=True) for a in layer_arrays] for kind, layer_arrays in arrays.items()
             if layer_arrays and all(a is not None for a in layer_arrays)},
            getattr(net, "activation", "relu"))


def outside(edges, counts) -> tuple:
    """(inner edges, inner counts, count below, count above) of a histogram whose end bins are
    open (edges ±inf); a histogram without them (an older saved run) has 0 outside."""
    edges, counts = np.asarray(edges, dtype=np.float64), np.asarray(counts)
    if edges.size >= 3 and np.isinf(edges[0]) and np.isinf(edges[-1]):
        return edges[1:-1], counts[1:-1], int(counts[0]), int(counts[-1])
    return edges, counts, 0, 0


class HistogramProbe:
    """Histograms of a network's activations, weights and log10|dW| per layer, binned from what
    :func:`collect` copied (``bin(*collect(net))``), with bin ranges fixed at the first call so
    frames stay comparable.

    Parameters
    ----------
    bins : int
        Bins per histogram.
    """

    def __init__(self, bins: int = 40):
        self.bins = bins
        self._ranges: dict = {}  # (kind, layer) -> (lo, hi)
        self._edges: dict = {}   # (kind, layer) -> the bin edges of that range

    def _range(self, kind, layer, values, activation):
        key = (kind, layer)
        if key not in self._ranges:
            if kind == "activation" and activation == "sigmoid":
                lo, hi = 0.0, 1.0
            elif kind == "activation" and activation == "tanh":
                lo, hi = -1.0, 1.0
            elif kind == "activation":  # relu: from 0 to well past the initial spread
                hi = float(np.nanpercentile(values, 99.5)) if values.size else 1.0
                lo, hi = 0.0, max(2.0 * hi, 1e-3) if np.isfinite(hi) else 1.0
            elif kind == "grad":
                lo, hi = -9.0, 1.0
            else:
                s = float(np.nanstd(values)) if values.size else 1.0
                s = s if np.isfinite(s) else 1.0  # a diverged first snapshot
                lo, hi = -4.0 * max(s, 1e-6), 4.0 * max(s, 1e-6)
            self._ranges[key] = (lo, hi)
        return self._ranges[key]

    def _hist(self, kind, layer, values, activation):
        values = np.asarray(values).reshape(-1)
        with np.errstate(invalid="ignore"):  # a diverged snapshot: NaN/inf
            lo, hi = self._range(kind, layer, values, activation)  # grad: fixed, values unused
        # The bin index in the data's own precision, in place: np.histogram's uniform-bin path
        # makes ~10 passes (over a float64 copy). This runs in the GUI thread, which also draws,
        # so no pass or call that is not needed.
        one = values.dtype.type
        scale = self.bins / (hi - lo)
        if kind == "grad":  # log10|dW| = ln|dW| / ln 10; np.log is ~5x faster than np.log10
            t = np.abs(values)
            with np.errstate(divide="ignore"):
                np.log(t, out=t)
            t *= one(scale / np.log(10.0))
            t -= one(lo * scale)
        else:
            t = np.subtract(values, one(lo))
            t *= one(scale)
        t[t == self.bins] = self.bins - 1  # the range's upper end is in its last bin (sigmoid's 1.0)
        # bin -1 below the range, bins (one past the last) above it, NaN two past: not counted
        np.clip(t, -1, self.bins, out=t)
        np.floor(t, out=t)
        if np.isnan(t.sum()):  # t is in [-1, bins] unless some value is NaN
            np.nan_to_num(t, copy=False, nan=self.bins + 1)
        t += 1
        counts = np.bincount(t.astype(np.intp), minlength=self.bins + 3)[:self.bins + 2]
        edges = self._edges.get((kind, layer))
        if edges is None:  # the range is fixed at the first call
            edges = self._edges[(kind, layer)] = np.r_[-np.inf, np.linspace(lo, hi, self.bins + 1), np.inf]
        return edges, counts

    def bin(self, arrays: dict, activation: str = "relu") -> dict:
        """{'activation'|'weight'|'grad': ([edges per layer], [counts per layer])} of what
        :func:`collect` returned."""
        result = {}
        for kind, layer_arrays in arrays.items():
            pairs = [self._hist(kind, layer, a, activation) for layer, a in enumerate(layer_arrays)]
            result[kind] = ([e for e, _ in pairs], [c for _, c in pairs])
        return result
