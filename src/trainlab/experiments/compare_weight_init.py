"""Experiment 4 (the book's ``weight_init_compare.py``): std 0.01 vs Xavier vs He initial weights
on the 784-100×4-10 ReLU network, SGD lr 0.01, the same batches for all."""
from __future__ import annotations

from trainlab._i18n import N_
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.networks import MultiLayerNet
from trainlab.optim import make_optimizer


def compare_weight_init(data=None, *, weight_inits=("0.01", "xavier", "he"), iterations=2000,
                        batch_size=128, hidden=(100, 100, 100, 100), activation="relu",
                        optimizer="sgd", lr=0.01, dtype="float32", seed=0, progress=None,
                        should_stop=None, on_update=None) -> ExperimentResult:
    """Series ``std=0.01``, ``Xavier``, ``He`` (loss per iteration) and ``smoothed/…``."""
    inits = C.weight_inits(weight_inits)
    iterations = C.integer("iterations", iterations)
    hidden = C.sizes("hidden", hidden)
    opt_name = C.optimizer_names([optimizer])[0]
    lr = C.positive("lr", lr)
    train, test = C.resolve_data(data)
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("compare_weight_init", {
        "weight_inits": inits, "iterations": iterations, "batch_size": batch_size, "hidden": hidden,
        "activation": activation, "optimizer": opt_name, "lr": lr, "dtype": str(dtype), "seed": seed,
        "train_samples": len(train[0])})
    classes = C.n_classes(train[1], test[1])
    models = {C.init_label(w): (MultiLayerNet(train[0].shape[1], hidden, classes, activation, w,
                                              dtype=dtype, seed=seed),
                                make_optimizer(opt_name, lr=lr))
              for w in inits}
    C.compare_loss_curves(result, models, train, test, iterations=iterations,
                          batch_size=batch_size, seed=seed, hooks=hooks)
    return result


register("compare_weight_init", compare_weight_init,
         N_("experiments", "std 0.01 vs Xavier vs He initial weights on a 5-layer ReLU network "
                           "(book fig. 6-15)"),
         param_help={
             "weight_inits": N_("experiments", "initialisations: he, xavier or a std "
                                               "(comma-separated)"),
             "iterations": N_("experiments", "mini-batch steps (book: 2000)"),
             "batch_size": N_("experiments", "mini-batch size (book: 128)"),
             "hidden": N_("experiments", "hidden layer sizes (book: 100,100,100,100)"),
             "activation": N_("experiments", "relu, sigmoid or tanh"),
             "optimizer": N_("experiments", "optimizer name (book: sgd)"),
             "lr": N_("experiments", "learning rate (book: 0.01)"),
         })
