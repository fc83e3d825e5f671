"""Assigning a network's or a layer's arrays takes effect everywhere — every batch size already
bound, the optimizer's flat step, a Trainer made before — or raises a ValueError naming the
attribute; the book's patterns (``params[k] = params[k] - lr*g``, ``load_params``) work."""
import pickle
import re

import numpy as np
import pytest

import trainlab
from trainlab import Trainer
from trainlab import layers as L
from trainlab.optim import SGD
from helpers import book_twin

EXTEND = dict(use_batchnorm=True, use_dropout=True, dropout_ratio=0.2)


def data(rng, n=10, d=12, c=4, dtype=np.float32):
    return rng.standard_normal((n, d)).astype(dtype), rng.integers(0, c, n)


def arrays_of(net):
    """(layer name, attribute) of every array a kernel reads or writes, with the array."""
    names = ("W", "b", "dW", "db", "gamma", "beta", "running_mean", "running_var", "dgamma", "dbeta")
    return [(name, attr, getattr(layer, attr)) for name, layer in net.layers.items()
            for attr in names if hasattr(layer, attr)]


def test_a_layer_weight_assigned_reaches_every_batch_size(rng):
    net = trainlab.MultiLayerNet(12, [9], 4, seed=0)
    batches = [data(rng, n)[0] for n in (10, 7, 5)]
    for x in batches[:2]:
        net.predict(x)  # binds buffers for 10 and 7 rows
    W = rng.standard_normal((12, 9)).astype(np.float32)
    net.layers["Affine1"].W = W
    np.testing.assert_array_equal(net.params["W1"], W)
    ref = book_twin(net)
    for x in batches:
        np.testing.assert_allclose(net.predict(x), ref.predict(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls, kw", [(trainlab.MultiLayerNet, {}), (trainlab.MultiLayerNetExtend, EXTEND)],
                         ids=["plain", "batchnorm+dropout"])
def test_wrong_shapes_and_dtypes_are_refused_by_name_and_change_nothing(cls, kw, rng):
    net = cls(12, [9, 7], 4, seed=0, **kw)
    x, t = data(rng)
    net.gradient(x, t)
    before = {(n, a): v.copy() for n, a, v in arrays_of(net)}
    for name, attr, value in arrays_of(net):
        label = re.escape(f"layers['{name}'].{attr}")
        bad_shape = np.zeros(value.shape[:-1] + (value.shape[-1] + 1,), np.float32)
        expected = re.escape(f"has shape {bad_shape.shape}, expected {value.shape} (float32)")
        with pytest.raises(ValueError, match=rf"{label} {expected}"):
            setattr(net.layers[name], attr, bad_shape)
        with pytest.raises(ValueError, match=rf"{label} must hold real numbers.*complex128"):
            setattr(net.layers[name], attr, np.zeros(value.shape, complex))
        with pytest.raises(ValueError, match=rf"{label} holds 1e\+39, beyond the range of float32"):
            setattr(net.layers[name], attr, np.full(value.shape, 1e39))
    for (name, attr), value in before.items():
        np.testing.assert_array_equal(getattr(net.layers[name], attr), value, err_msg=f"{name}.{attr}")


def test_what_forward_keeps_for_backward_is_read_only(rng):
    net = trainlab.MultiLayerNetExtend(12, [9], 4, seed=0, **EXTEND)
    net.gradient(*data(rng))
    for name, attr in [("Affine2", "x"), ("Affine1", "out"), ("BatchNorm1", "xn"),
                       ("BatchNorm1", "inv_std"), ("Activation_function1", "out"), ("Dropout1", "mask")]:
        with pytest.raises(AttributeError, match=rf"{attr}"):
            setattr(net.layers[name], attr, np.zeros((2, 2), np.float32))


def test_momentum_eps_and_dropout_ratio_are_checked_and_used_by_the_compiled_pass(rng):
    net = trainlab.MultiLayerNetExtend(12, [9], 4, seed=0, dtype=np.float64, **EXTEND)
    x, t = data(rng, dtype=np.float64)
    net.gradient(x, t)  # binds the pass with the old values
    bn, drop = net.layers["BatchNorm1"], net.layers["Dropout1"]
    for layer, attr, value in [(bn, "momentum", 1.0), (bn, "eps", 0.0), (drop, "dropout_ratio", -0.1),
                               (bn, "momentum", float("nan"))]:
        with pytest.raises(ValueError, match=attr):
            setattr(layer, attr, value)
    bn.momentum = 0.0  # the running statistics become the batch's
    drop.dropout_ratio = 0.0  # every unit kept
    net.gradient(x, t)
    h = x @ net.params["W1"] + net.params["b1"]
    np.testing.assert_allclose(bn.running_mean, h.mean(axis=0), rtol=1e-10, atol=1e-12)
    assert drop.mask.all()
    net.set_dropout_ratio(0.5)
    assert drop.dropout_ratio == 0.5 == net.dropout_ratio


def test_network_settings_are_checked_or_fixed(rng):
    net = trainlab.MultiLayerNetExtend(12, [9], 4, seed=0, **EXTEND)
    for value in (-1, float("nan"), "0.1"):
        with pytest.raises(ValueError, match="weight_decay_lambda"):
            net.weight_decay_lambda = value
    net.weight_decay_lambda = 0.5
    x, t = data(rng)
    net.gradient(x, t)
    assert net.last_loss > 0.25 * float(sum(np.sum(net.params[f"W{i}"].astype(np.float64) ** 2)
                                            for i in (1, 2)))
    with pytest.raises(ValueError, match="dropout_ratio"):
        net.dropout_ratio = 1.0
    with pytest.raises(ValueError, match="no dropout layers"):
        trainlab.MultiLayerNet(12, [9], 4).dropout_ratio = 0.3
    for attr in ("input_size", "hidden_size_list", "activation", "use_dropout", "use_batchnorm", "dtype",
                 "layers", "last_layer"):
        with pytest.raises(AttributeError, match=f"{attr} is fixed when the network is built"):
            setattr(net, attr, getattr(net, attr))
    with pytest.raises(TypeError, match="layers of a network are fixed"):
        net.layers["Affine1"] = L.Affine(np.zeros((12, 9), np.float32), np.zeros(9, np.float32))


def test_the_learners_own_sgd_trains_like_the_library_sgd(rng):
    """``params[k] = params[k] - lr * grads[k]`` (a new array each step, not ``-=``)."""
    mine = trainlab.MultiLayerNet(12, [9, 7], 4, seed=0)
    theirs = trainlab.MultiLayerNet(12, [9, 7], 4, seed=0)
    opt = SGD(lr=0.1)
    x, t = data(rng, n=40)
    first = mine.loss(x, t)
    for _ in range(50):
        grads = mine.gradient(x, t)
        for key in mine.params:
            mine.params[key] = mine.params[key] - 0.1 * grads[key]
        opt.update(theirs.params, theirs.gradient(x, t))
    assert mine.loss(x, t) < 0.7 * first
    for key in mine.params:
        np.testing.assert_array_equal(mine.params[key], theirs.params[key], err_msg=key)


def test_the_books_load_params_with_float64_arrays_into_a_float32_network(rng, tmp_path):
    trained = trainlab.MultiLayerNet(12, [9, 7], 4, seed=0, dtype=np.float64)
    x, t = data(rng, n=60, dtype=np.float64)
    opt = SGD(lr=0.2)
    for _ in range(30):
        opt.update(trained.params, trained.gradient(x, t))
    with open(tmp_path / "params.pkl", "wb") as f:  # the book's save_params
        pickle.dump({key: val for key, val in trained.params.items()}, f)

    net = trainlab.MultiLayerNet(12, [9, 7], 4, seed=1)  # float32
    net.predict(x[:7])
    with open(tmp_path / "params.pkl", "rb") as f:  # the book's load_params
        params = pickle.load(f)
    for key, val in params.items():
        net.params[key] = val
    for i in (1, 2, 3):
        net.layers[f"Affine{i}"].W = net.params[f"W{i}"]
        net.layers[f"Affine{i}"].b = net.params[f"b{i}"]
    for key, val in params.items():
        np.testing.assert_array_equal(net.params[key], val.astype(np.float32), err_msg=key)
    for rows in (60, 7, 3):
        np.testing.assert_allclose(net.predict(x[:rows]), trained.predict(x[:rows]), rtol=1e-4, atol=1e-5)
    assert net.accuracy(x, t) == trained.accuracy(x, t)

    other = trainlab.MultiLayerNet(12, [9, 7], 4, seed=2)
    other.params = params  # the whole dict at once
    np.testing.assert_array_equal(other.params.flat, net.params.flat)


def test_a_trainer_made_before_sees_assigned_parameters(rng):
    centers = rng.standard_normal((3, 12)) * 3
    t = rng.integers(0, 3, 90)
    x = (centers[t] + rng.standard_normal((90, 12))).astype(np.float32)
    net = trainlab.MultiLayerNet(12, [9], 3, seed=0)
    tr = Trainer(net, x, t, x, t, epochs=3, mini_batch_size=30, optimizer="sgd",
                 optimizer_param={"lr": 0.1}, verbose=False, seed=0, record_loss="before_update")
    for key in ("W2", "b2"):
        net.params[key] = np.zeros(net.params[key].shape)  # float64 zeros: uniform scores
    tr.train()
    assert tr.stop_reason is None
    assert tr.train_loss_list[0] == pytest.approx(np.log(3), rel=1e-6)
    assert tr.train_loss_list[-1] < tr.train_loss_list[0]


def test_params_dict_refuses_partial_and_structural_changes(rng):
    net = trainlab.MultiLayerNet(12, [9], 4, seed=0)
    before = net.params.flat.copy()
    good, bad = np.ones((12, 9)), np.ones((3,))
    with pytest.raises(ValueError, match=r"params\['b1'\] has shape \(3,\), expected \(9,\)"):
        net.params.update({"W1": good, "b1": bad})
    with pytest.raises(ValueError, match="missing b1"):
        net.params = {"W1": good}
    with pytest.raises(ValueError, match="params has no entry 'W9'"):
        net.params["W9"] = good
    for call in (lambda: net.params.pop("W1"), lambda: net.params.clear(),
                 lambda: net.params.__delitem__("W1"), lambda: net.params.popitem()):
        with pytest.raises(TypeError, match="fixed"):
            call()
    np.testing.assert_array_equal(net.params.flat, before)
    with pytest.raises(ValueError, match=r"params\['W1'\] must hold real numbers"):
        net.params["W1"] = np.full((12, 9), "a")
    assert pickle.loads(pickle.dumps(net.params))["W1"].base is not None  # views of a copied buffer


def test_nan_assigned_propagates_with_a_warning_as_in_the_book(rng):
    net = trainlab.MultiLayerNet(12, [9], 4, seed=0)
    net.params["b1"] = np.full(9, np.nan)
    with pytest.warns(RuntimeWarning, match="parameter b1 holds NaN"):
        out = net.predict(data(rng)[0])
    assert np.isnan(out).all()


def test_assigned_gradients_reach_the_optimizers_flat_step(rng):
    net = trainlab.MultiLayerNet(12, [9], 4, seed=0)
    x, t = data(rng)
    before = {k: v.copy() for k, v in net.params.items()}
    grads = net.gradient(x, t)
    clipped = {k: np.clip(g, -1e-3, 1e-3) for k, g in grads.items()}
    for key in grads:
        grads[key] = clipped[key]
    SGD(lr=1.0).update(net.params, grads)
    for key in before:
        np.testing.assert_allclose(net.params[key], before[key] - clipped[key], rtol=1e-6, err_msg=key)


def test_a_layer_of_your_own_takes_a_new_array_by_reference(rng):
    W, b = rng.standard_normal((5, 3)), np.zeros(3)
    layer = L.Affine(W, b)
    W2 = rng.standard_normal((5, 3))
    layer.W = W2
    assert layer.W is W2  # the book's semantics: the layer uses the new array
    x = rng.standard_normal((4, 5))
    np.testing.assert_allclose(layer.forward(x), x @ W2)
    layer.W = W2.astype(np.float32)  # converted to the layer's dtype
    assert layer.W.dtype == np.float64
    with pytest.raises(ValueError, match=r"Affine.b has shape \(4,\), expected \(3,\)"):
        layer.b = np.zeros(4)
    bn = L.BatchNormalization(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"BatchNormalization.running_var has shape \(2,\)"):
        bn.running_var = np.ones(2)
    with pytest.raises(ValueError, match=r"running_mean has shape \(2,\), expected \(3,\)"):
        L.BatchNormalization(np.ones(3), np.zeros(3), running_mean=np.zeros(2))


def test_a_read_only_array_given_to_a_layer_of_your_own_is_copied(rng):
    layer = L.Affine(rng.standard_normal((5, 3)), np.zeros(3))
    grad = np.zeros((5, 3))
    grad.flags.writeable = False
    layer.dW = grad
    assert layer.dW is not grad and layer.dW.flags.writeable
    layer.forward(rng.standard_normal((4, 5)))
    layer.backward(rng.standard_normal((4, 3)))
    assert np.abs(layer.dW).sum() > 0
