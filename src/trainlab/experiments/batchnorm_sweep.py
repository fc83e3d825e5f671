"""Experiment 5 (the book's ``batch_norm_test.py``): 16 initial weight scales, 1000 training
samples, 784-100×5-10 ReLU network with and without batch normalization, SGD lr 0.01, 20 epochs;
train accuracy per epoch. Both networks of one scale see the same batches. The layer's backward
pass node by node: :func:`trainlab.explain.batchnorm_graph` (the app's *Batch-norm graph* view)."""
from __future__ import annotations

import numpy as np

from trainlab._i18n import N_, translate
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.networks import MultiLayerNetExtend
from trainlab.optim import make_optimizer


def batchnorm_sweep(data=None, *, n_scales=16, scale_max=1.0, scale_min=1e-4, train_size=1000,
                    epochs=20, batch_size=100, hidden=(100, 100, 100, 100, 100), optimizer="sgd",
                    lr=0.01, dtype="float32", seed=0, progress=None, should_stop=None,
                    on_update=None) -> ExperimentResult:
    """Series ``bn/w=S/train_acc``, ``plain/w=S/train_acc`` (accuracy per epoch, epoch 0 = before
    training) and ``…/loss`` per weight scale S in logspace(log10 scale_max, log10 scale_min,
    n_scales). Summary: final accuracies per scale and how many scales batch norm wins."""
    n_scales, epochs = C.integer("n_scales", n_scales), C.integer("epochs", epochs)
    scale_max, scale_min = C.positive("scale_max", scale_max), C.positive("scale_min", scale_min)
    if scale_min > scale_max:
        raise ValueError(f"scale_min ({scale_min}) must not exceed scale_max ({scale_max})")
    train_size = C.optional_integer("train_size", train_size)
    hidden, opt_name, lr = C.sizes("hidden", hidden), C.optimizer_names([optimizer])[0], C.positive("lr", lr)
    train, test = C.resolve_data(data, train_size=train_size)
    scales = np.logspace(np.log10(scale_max), np.log10(scale_min), n_scales)
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("batchnorm_sweep", {
        "weight_scales": scales, "train_size": len(train[0]), "epochs": epochs,
        "batch_size": batch_size, "hidden": hidden, "optimizer": opt_name, "lr": lr,
        "dtype": str(dtype), "seed": seed})
    classes = C.n_classes(train[1], test[1])
    rows, wins = [], 0
    steps = int(epochs * max(len(train[0]) / C.integer("batch_size", batch_size), 1))
    for k, scale in enumerate(scales):
        models = {f"{kind}/w={scale:.2e}": (
            MultiLayerNetExtend(train[0].shape[1], hidden, classes, "relu", float(scale),
                                use_batchnorm=(kind == "bn"), dtype=dtype, seed=seed + k),
            make_optimizer(opt_name, lr=lr)) for kind in ("bn", "plain")}
        trainer = C.train_side_by_side(result, models, train, epochs=epochs, batch_size=batch_size,
                                       seed=seed + k, hooks=hooks, loss_series="{label}/loss",
                                       progress_offset=k * steps, progress_total=n_scales * steps)
        if result.stopped:
            break
        bn, plain = (result.series[f"{label}/train_acc"].y[-1] for label in models)
        wins += bn > plain
        rows.append({"weight_scale": float(scale), "bn_train_acc": bn, "plain_train_acc": plain,
                     "plain_diverged": trainer.models[f"plain/w={scale:.2e}"].stop_reason})
    result.summary.update(per_scale=rows, bn_wins=int(wins), scales_run=len(rows))
    result.summary["headline"] = translate(
        "experiments", "batch norm ahead at {wins} of {scales} weight scales").format(
        wins=wins, scales=len(rows))
    result.timings["total"] = hooks.elapsed()
    return result


register("batchnorm_sweep", batchnorm_sweep,
         N_("experiments", "train accuracy with vs without batch normalization over 16 initial "
                           "weight scales (book fig. 6-19); the layer's backward pass step by "
                           "step: the Batch-norm graph view, trainlab.explain.batchnorm_graph"),
         param_help={
             "n_scales": N_("experiments", "number of weight scales (book: 16)"),
             "scale_max": N_("experiments", "largest weight std (book: 1)"),
             "scale_min": N_("experiments", "smallest (book: 1e-4)"),
             "train_size": N_("experiments", "training samples (book: 1000)"),
             "epochs": N_("experiments", "epochs (book: 20)"),
             "batch_size": N_("experiments", "mini-batch size (book: 100)"),
             "hidden": N_("experiments", "hidden layer sizes (book: 100,100,100,100,100)"),
             "optimizer": N_("experiments", "optimizer (book: sgd)"),
             "lr": N_("experiments", "learning rate (book: 0.01)"),
         })
