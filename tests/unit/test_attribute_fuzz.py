"""Random values of random shapes and dtypes assigned to every public attribute of every layer of
both network classes (and to the networks' own settings and parameter dicts), then forward,
backward, predict, loss, accuracy, gradient and an optimizer step. Every assignment either takes
effect or raises a ValueError/AttributeError naming the attribute; every call afterwards works.
tests/slow/test_sanitizers.py runs this file on a build with bounds checks and AddressSanitizer:
no assignment may lead a kernel out of its buffers."""
import warnings

import numpy as np
import pytest

import trainlab
from trainlab.optim import Adam

CONFIGS = [
    (trainlab.MultiLayerNet, dict()),
    (trainlab.MultiLayerNetExtend, dict(use_batchnorm=True)),
    (trainlab.MultiLayerNetExtend, dict(use_dropout=True, dropout_ratio=0.3)),
    (trainlab.MultiLayerNetExtend, dict(use_batchnorm=True, use_dropout=True, weight_decay_lambda=0.01)),
]
IDS = ["MultiLayerNet", "Extend+batchnorm", "Extend+dropout", "Extend+batchnorm+dropout"]
DTYPES = [np.float32, np.float64, np.float16, np.int8, np.int64, np.uint8, np.bool_, np.complex64, object]
SIZES, CLASSES = (12, [9, 7], 4), 4


def random_value(rng, like):
    """A random value for an attribute that now holds ``like``: often an array of its shape or
    one off it, of a random dtype and layout, sometimes NaN, huge, a scalar, None or a string."""
    pick = rng.integers(0, 12)
    if isinstance(like, dict) and pick < 6:
        return {key: rng.standard_normal(np.shape(value)) * 0.1 if pick < 3 else random_value(rng, value)
                for key, value in like.items()}
    if isinstance(like, (int, float, np.integer)) and not isinstance(like, bool) and pick < 6:
        return [rng.uniform(0, 1), int(rng.integers(0, 2**63)), rng.uniform(-1, 2)][pick % 3]
    if pick == 0:
        return [None, "0.5", 1.5, -1, 0.3, 2**70, float("nan"), True, [1.0, 2.0]][rng.integers(0, 9)]
    shape = np.shape(like) if isinstance(like, np.ndarray) and pick < 8 else \
        tuple(int(d) for d in rng.integers(0, 6, rng.integers(0, 4)))
    if shape and pick in (5, 6):
        shape = shape[:-1] + (max(0, shape[-1] + int(rng.choice([-1, 1]))),)
    dtype = DTYPES[rng.integers(0, len(DTYPES))] if pick > 3 else getattr(like, "dtype", np.float64)
    base = np.asarray(rng.standard_normal(tuple(2 * d for d in shape))) * [1, 1e39, 1][rng.integers(0, 3)]
    if rng.random() < 0.1 and base.size:
        base.flat[0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = np.asarray(base.astype(dtype))
    a = a[tuple(slice(None, None, 2) for _ in shape)]  # not contiguous
    layout = rng.integers(0, 4)
    if layout == 0:
        a = np.ascontiguousarray(a)
    elif layout == 1:
        a = np.asfortranarray(a)
    elif layout == 2:
        a = np.ascontiguousarray(a)
        a.flags.writeable = False
    return a


def public_attributes(obj):
    return [name for name in dir(obj) if not name.startswith("_")
            and not callable(getattr(type(obj), name, None))]


def assign(obj, label, name, value):
    """obj.name = value: it works, or raises ValueError/AttributeError/TypeError naming it."""
    try:
        setattr(obj, name, value)
    except (ValueError, AttributeError, TypeError) as exc:
        assert name in str(exc) or "fixed" in str(exc), f"{label}.{name}: {exc!r} does not name it"


def exercise(net, opt, rng):
    """Every public call on valid input: none may fail."""
    x = rng.standard_normal((8, SIZES[0]))
    t = rng.integers(0, CLASSES, 8)
    onehot = np.eye(CLASSES)[t]
    for rows in (1, 3, 8):
        net.predict(x[:rows])
    eval_all, eval_some = net.predict(x), net.predict(x[:3])
    np.testing.assert_array_equal(eval_all[:3], eval_some)  # every batch size uses the same arrays
    net.predict(x, train_flg=True)
    net.loss(x, t)
    net.loss(x, onehot, train_flg=True)
    net.accuracy(x, onehot)
    opt.update(net.params, net.gradient(x, t))
    opt.update(net.params, net.gradient(x[:5], onehot[:5]))
    h = x
    for layer in net.layers.values():  # the book's predict, layer by layer
        h = layer.forward(h, True) if hasattr(layer, "momentum") or hasattr(layer, "key") else layer.forward(h)
    net.last_layer.forward(h, t)
    dout = net.last_layer.backward()
    for layer in reversed(list(net.layers.values())):
        dout = layer.backward(dout)


@pytest.mark.parametrize("cls, kw", CONFIGS, ids=IDS)
@pytest.mark.parametrize("seed", range(3))
def test_random_assignments_never_break_a_network(cls, kw, seed):
    rng = np.random.default_rng(seed)
    net = cls(*SIZES, seed=seed, **kw)
    opt = Adam(lr=1e-3)
    targets = [(layer, f"layers[{name!r}]") for name, layer in net.layers.items()]
    targets += [(net.last_layer, "last_layer"), (net, "net")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NaN assigned propagates, with a warning
        for _ in range(8):
            for obj, label in targets:
                for name in public_attributes(obj):
                    assign(obj, label, name, random_value(rng, getattr(obj, name, None)))
            for store in (net.params, net.gradient(rng.standard_normal((4, SIZES[0])), [0, 1, 2, 3])):
                for key in store:
                    try:
                        store[key] = random_value(rng, store[key])
                    except ValueError as exc:
                        assert key in str(exc), repr(exc)
            exercise(net, opt, rng)
            for key, value in net.params.items():  # back to finite values, so the next round trains
                value[~np.isfinite(value)] = 0
            for layer in net.layers.values():
                for name in ("running_mean", "running_var"):
                    if hasattr(layer, name):
                        stat = getattr(layer, name)
                        stat[~np.isfinite(stat) | (stat < 0)] = 1
