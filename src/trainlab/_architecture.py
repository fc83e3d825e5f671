"""How the book's multi-layer networks are laid out: initial weights drawn as the book draws them,
the layers in the book's order and names, the steps of the compiled pass they map to, and the
layer attributes that show that pass's buffers."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from trainlab import _validate as V
from trainlab.layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, Tanh
from trainlab.threads import threads_for

ACTIVATION_LAYERS = {"relu": Relu, "sigmoid": Sigmoid, "tanh": Tanh}


def init_scale(weight_init_std, fan_in: int) -> float:
    """The book's rule: 'relu'/'he' → √(2/n), 'sigmoid'/'xavier' → √(1/n), a number → itself."""
    name = str(weight_init_std).lower()
    if name in ("relu", "he"):
        return float(np.sqrt(2.0 / fan_in))
    if name in ("sigmoid", "xavier"):
        return float(np.sqrt(1.0 / fan_in))
    if isinstance(weight_init_std, str):
        raise ValueError(f"unknown weight_init_std {weight_init_std!r}; "
                         "expected 'relu', 'he', 'sigmoid', 'xavier' or a number")
    return V.positive_number("weight_init_std", weight_init_std, allow_zero=True)


def init_weights(params, n_affine: int, weight_init_std, seed) -> None:
    """W1 … Wn drawn as the book draws them (NumPy's global generator when ``seed`` is None),
    biases 0, batch norm's gamma 1 and beta 0."""
    rng = np.random.default_rng(seed) if seed is not None else None
    for idx in range(1, n_affine + 1):
        W = params[f"W{idx}"]
        scale = init_scale(weight_init_std, W.shape[0])
        # Row blocks draw the same stream as one (in, out) draw, without a float64 copy of W.
        step = max(1, (1 << 16) // W.shape[1])
        for start in range(0, W.shape[0], step):
            shape = (min(step, W.shape[0] - start), W.shape[1])
            z = rng.standard_normal(shape) if rng is not None else np.random.randn(*shape)
            z *= scale
            W[start:start + shape[0]] = z
    for key, value in params.items():
        if key.startswith("gamma"):
            value[...] = 1


class LayerDict(OrderedDict):
    """A network's layers in forward order, read like the book's OrderedDict."""

    __setitem__ = __delitem__ = pop = popitem = clear = update = setdefault = move_to_end = \
        __ior__ = V.refusal("the layers of a network are fixed when it is built (its compiled pass "
                            "runs them); assign their arrays instead, e.g. "
                            "net.layers['Affine1'].W = W")

    @classmethod
    def of(cls, items) -> "LayerDict":
        layers = cls()
        for name, layer in items:
            OrderedDict.__setitem__(layers, name, layer)
        return layers


class Stack:
    """The layers of (Affine → [BatchNorm] → activation → [Dropout]) × hidden, Affine over the
    network's parameter and gradient views, and the steps of the compiled pass in forward order:
    (kind, layer, activation code). Without batch norm each hidden activation is fused into its
    affine step's epilogue."""

    def __init__(self, params, grads, hidden: int, activation: str, batchnorm: bool,
                 dropout: bool, dropout_ratio: float, seed):
        dropout_seeds = (np.random.SeedSequence(seed).spawn(hidden) if seed is not None
                         else [None] * hidden)
        layers, self.steps, self.fused = [], [], {}  # fused: id(affine) -> its activation layer
        for idx in range(1, hidden + 2):
            affine = Affine(params[f"W{idx}"], params[f"b{idx}"], dW=grads[f"W{idx}"], db=grads[f"b{idx}"])
            layers.append((f"Affine{idx}", affine))
            if idx > hidden:
                self.steps.append(("affine", affine, 0))
                break
            act = ACTIVATION_LAYERS[activation]()
            if batchnorm:
                bn = BatchNormalization(params[f"gamma{idx}"], params[f"beta{idx}"],
                                        dgamma=grads[f"gamma{idx}"], dbeta=grads[f"beta{idx}"])
                layers.append((f"BatchNorm{idx}", bn))
                self.steps += [("affine", affine, 0), ("bn", bn, 0), ("act", act, act.code)]
            else:
                self.steps.append(("affine", affine, act.code))
                self.fused[id(affine)] = act
            layers.append((f"Activation_function{idx}", act))
            if dropout:
                seed_i = (int(dropout_seeds[idx - 1].generate_state(1, np.uint64)[0])
                          if seed is not None else None)
                drop = Dropout(dropout_ratio, seed=seed_i)
                layers.append((f"Dropout{idx}", drop))
                self.steps.append(("dropout", drop, 0))
        for name, layer in layers:
            layer._label, layer._in_network = f"layers[{name!r}]", True
        self.layers = LayerDict.of(layers)

    def steps_for(self, n: int) -> list:
        """The plan for ``n`` rows, over the layers' own arrays (trainlab.kernels.bind_network)."""
        steps = []
        for kind, layer, code in self.steps:
            if kind == "affine":
                steps.append(("affine", layer._W, layer._b, layer._dW, layer._db, code))
            elif kind == "bn":
                steps.append(("batchnorm", layer._gamma, layer._beta, layer._running_mean,
                              layer._running_var, layer._hyper, layer._inv_std, layer._dgamma,
                              layer._dbeta, threads_for(n * layer._gamma.shape[0])))
            elif kind == "act":
                steps.append(("activation", code))
            else:
                steps.append(("dropout", layer._hyper, layer._stream))
        return steps

    def expose(self, bound) -> None:
        """Point the book's layer attributes (out, x, xn, mask …) at ``bound``'s buffers."""
        prev = None
        for (kind, layer, code), out, xn, mask in zip(self.steps, bound.outputs, bound.xn, bound.masks):
            if kind == "affine":
                layer._out, layer._x = out, prev
                if code:
                    act = self.fused[id(layer)]
                    act._out, act._shape = out, out.shape
            elif kind == "bn":
                layer._xn, layer._batch_size, layer._input_shape = xn, bound.batch, out.shape
            elif kind == "act":
                layer._out, layer._shape = out, out.shape
            else:
                layer._mask, layer._shape = mask, mask.shape
            prev = out
