"""Experiment 3 (the book's ``weight_init_activation_histogram.py``): 1000 random inputs through
5 layers × 100 nodes; how the activations spread for each activation and initial weight scale.

Also the symmetry demo: a network whose weights all start equal keeps every hidden unit identical
through training (their weights get identical updates), however long it trains.
"""
from __future__ import annotations

import numpy as np

from trainlab._architecture import init_scale
from trainlab._i18n import N_, translate
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.networks import MultiLayerNet
from trainlab.optim import SGD

ACTIVATIONS = {
    "sigmoid": (lambda z: 1.0 / (1.0 + np.exp(-z)), (0.0, 1.0)),
    "tanh": (np.tanh, (-1.0, 1.0)),
    "relu": (lambda z: np.maximum(0.0, z), (0.0, 1.0)),
}


def _unit_spread(network) -> list[float]:
    """Per hidden layer: the largest difference between any unit's incoming weights and unit 0's."""
    return [float(np.max(np.abs(w - w[:, :1])))
            for w in (network.params[f"W{i}"] for i in range(1, network.hidden_layer_num + 1))]


def symmetry_demo(n_inputs: int, n_nodes: int, n_layers: int, steps: int, seed) -> dict:
    """Train on random data from equal weights (all 0.01) and from He weights; report each hidden
    layer's unit spread (0 means every unit of that layer is the same unit)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_inputs, n_nodes))
    t = rng.integers(0, 10, n_inputs)
    out = {}
    for label, init in (("equal", 0.01), ("he", "he")):
        network = MultiLayerNet(n_nodes, [n_nodes] * n_layers, 10, "relu", init, dtype=np.float64, seed=seed)
        if label == "equal":
            for key in network.params:
                network.params[key][...] = 0.01 if key.startswith("W") else 0.0
        optimizer = SGD(lr=0.1)
        for _ in range(steps):
            optimizer.update(network.params, network.gradient(x, t))
        out[label] = _unit_spread(network)
    return out


def activation_histograms(data=None, *, activations=("sigmoid", "tanh", "relu"),
                          weight_inits=("1", "0.01", "xavier", "he"), n_layers=5, n_nodes=100,
                          n_inputs=1000, bins=30, symmetry_steps=20, dtype="float64", seed=0,
                          progress=None, should_stop=None, on_update=None) -> ExperimentResult:
    """Series ``ACT/INIT/layerK``: x = histogram bin centres, y = counts of that layer's
    activations. Arrays ``ACT/INIT`` (n_layers × bins counts) and ``ACT/edges``. Summary per
    ``ACT/INIT``: per-layer std and fraction of activations in the outer 2 % of the range
    (saturated sigmoid/tanh) or exactly 0 (dead ReLU); and ``symmetry`` (see symmetry_demo)."""
    acts = C.names("activations", activations, ACTIVATIONS)
    inits = C.weight_inits(weight_inits)
    n_layers, n_nodes = C.integer("n_layers", n_layers), C.integer("n_nodes", n_nodes)
    n_inputs, bins = C.integer("n_inputs", n_inputs), C.integer("bins", bins)
    symmetry_steps = C.integer("symmetry_steps", symmetry_steps, minimum=0)
    dt = np.dtype(dtype)
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("activation_histograms", {
        "activations": acts, "weight_inits": inits, "n_layers": n_layers, "n_nodes": n_nodes,
        "n_inputs": n_inputs, "bins": bins, "symmetry_steps": symmetry_steps, "dtype": str(dt),
        "seed": seed})

    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal((n_inputs, n_nodes)).astype(dt)
    total, done = len(acts) * len(inits), 0
    for act in acts:
        fn, (low, high) = ACTIVATIONS[act]
        edges = np.linspace(low, high, bins + 1)
        result.arrays[f"{act}/edges"] = edges
        centres = 0.5 * (edges[1:] + edges[:-1])
        for init in inits:
            if hooks.stop_requested():
                result.stopped = True
                break
            label = f"{act}/{C.init_label(init)}"
            w_rng = np.random.default_rng(seed)  # the same weights for every activation
            x, counts, stds, extreme = x0, [], [], []
            scale = init_scale(init, n_nodes)
            for k in range(n_layers):
                w = (w_rng.standard_normal((n_nodes, n_nodes)) * scale).astype(dt)
                x = fn(x @ w)
                # ReLU: zeros (dead units, counted in the summary) would dwarf the rest of the histogram
                hist, _ = np.histogram(x[x > 0] if act == "relu" else x, bins=edges)
                counts.append(hist)
                stds.append(float(np.std(x)))
                margin = 0.02 * (high - low)
                extreme.append(float(np.mean(x == 0)) if act == "relu" else
                               float(np.mean((x < low + margin) | (x > high - margin))))
                s = result.add_series(f"{label}/layer{k + 1}", centres, hist, activation=act,
                                      init=C.init_label(init), layer=k + 1)
                hooks.update(s.name, centres, hist)
            result.arrays[label] = np.array(counts)
            result.summary[label] = {"std_per_layer": stds, "extreme_fraction_per_layer": extreme}
            done += 1
            hooks.progress(done, total, phase=label)
        if result.stopped:
            break
    if symmetry_steps and not result.stopped:
        result.summary["symmetry"] = symmetry_demo(n_inputs, n_nodes, n_layers, symmetry_steps, seed)
    last = [k for k in result.summary if k.endswith("/He") or k.endswith("/Xavier")]
    result.summary["headline"] = translate("experiments", "last-layer activation std: {stds}").format(
        stds=", ".join(f"{k} {result.summary[k]['std_per_layer'][-1]:.3f}" for k in last))
    result.timings["total"] = hooks.elapsed()
    return result


register("activation_histograms", activation_histograms,
         N_("experiments", "activation distributions of 5 layers for sigmoid/tanh/ReLU and std 1, "
                           "0.01, Xavier, He; equal-weights symmetry demo (book figs. 6-10 to "
                           "6-14)"),
         needs_data=False,
         param_help={
             "activations": N_("experiments", "sigmoid, tanh, relu (comma-separated)"),
             "weight_inits": N_("experiments", "stds or xavier/he (comma-separated)"),
             "n_layers": N_("experiments", "layers (book: 5)"),
             "n_nodes": N_("experiments", "nodes per layer (book: 100)"),
             "n_inputs": N_("experiments", "random inputs (book: 1000)"),
             "bins": N_("experiments", "histogram bins (book: 30)"),
             "symmetry_steps": N_("experiments", "SGD steps of the equal-weights demo (0 skips it)"),
         })
