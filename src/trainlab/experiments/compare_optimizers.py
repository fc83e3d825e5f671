"""Experiment 2 (the book's ``optimizer_compare_mnist.py``): SGD, Momentum, AdaGrad, Adam (and
Nesterov, RMSprop) training the same 784-100×4-10 ReLU network on the same mini-batches.

``backend='reference'`` runs the book's plain-NumPy networks and optimizers
(``trainlab.reference.book``, float64) on the same initial weights and batches, so a benchmark
can time one experiment on both and the tests can hold their losses to each other.
"""
from __future__ import annotations

import numpy as np

from trainlab._i18n import N_
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.experiments.optimizer_paths import TITLES
from trainlab.networks import MultiLayerNet
from trainlab.optim import make_optimizer
from trainlab.reference import book

BACKENDS = ("trainlab", "reference")
# The book constructs each optimizer with its defaults: lr 0.01, Adam 0.001.
BOOK_LEARNING_RATES = {"sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.01,
                       "rmsprop": 0.01, "adam": 0.001}


def _reference_twin(network):
    """The book's network holding a float64 copy of ``network``'s initial weights."""
    twin = book.MultiLayerNet(network.input_size, network.hidden_size_list, network.output_size,
                              network.activation, network.weight_init_std)
    for key, value in network.params.items():
        twin.params[key][...] = value  # its layers hold these arrays by reference
    return twin


def compare_optimizers(data=None, *, optimizers=("sgd", "momentum", "adagrad", "adam"),
                       lr=None, iterations=2000, batch_size=128,
                       hidden=(100, 100, 100, 100), backend="trainlab", dtype="float32", seed=0,
                       progress=None, should_stop=None, on_update=None) -> ExperimentResult:
    """Series ``SGD``, ``Momentum``, … (loss per iteration) and ``smoothed/…``; every optimizer's
    network starts from the same weights (seeded) and sees the same batches. The reference
    backend is always float64 (the book's code)."""
    names = C.optimizer_names(optimizers)
    rates = C.learning_rates(lr, BOOK_LEARNING_RATES)
    iterations = C.integer("iterations", iterations)
    hidden = C.sizes("hidden", hidden)
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; expected one of {list(BACKENDS)}")
    dt = np.dtype(np.float64) if backend == "reference" else np.dtype(dtype)
    train, test = C.resolve_data(data)
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("compare_optimizers", {
        "optimizers": names, "lr": {n: rates[n] for n in names}, "iterations": iterations,
        "batch_size": batch_size, "hidden": hidden, "backend": backend, "dtype": str(dt),
        "seed": seed, "train_samples": len(train[0])})

    classes = C.n_classes(train[1], test[1])
    models = {}
    for name in names:
        network = MultiLayerNet(train[0].shape[1], hidden, classes, "relu", "he", dtype=dt, seed=seed)
        if backend == "reference":
            models[TITLES[name]] = (_reference_twin(network), book.OPTIMIZERS[name](lr=rates[name]))
        else:
            models[TITLES[name]] = (network, make_optimizer(name, lr=rates[name]))
    if backend == "reference":  # the book's code takes float64 data and int labels
        train = (train[0].astype(np.float64), train[1].astype(np.intp))
        test = (test[0].astype(np.float64), test[1].astype(np.intp))
    C.compare_loss_curves(result, models, train, test, iterations=iterations,
                          batch_size=batch_size, seed=seed, hooks=hooks)
    return result


register("compare_optimizers", compare_optimizers,
         N_("experiments", "loss curves of SGD, Momentum, AdaGrad, Adam on one network and the "
                           "same batches (book fig. 6-9)"),
         param_help={
             "optimizers": N_("experiments", "which optimizers (comma-separated); all six are "
                                             "available"),
             "lr": N_("experiments", "learning rate for all, or per optimizer: sgd=0.1,adam=0.002 "
                                     "(book: 0.01, Adam 0.001)"),
             "iterations": N_("experiments", "mini-batch steps (book: 2000)"),
             "batch_size": N_("experiments", "mini-batch size (book: 128)"),
             "hidden": N_("experiments", "hidden layer sizes (book: 100,100,100,100)"),
             "backend": N_("experiments", "trainlab, or reference (the book's NumPy code, float64)"),
         })
