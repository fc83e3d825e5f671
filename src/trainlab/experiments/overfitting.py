"""Experiment 6 (the book's ``overfit_weight_decay.py`` and ``overfit_dropout.py``): 300 training
samples and a 784-100×6-10 ReLU network overfit; weight decay and dropout narrow the gap between
train and test accuracy. All variants start from the same weights and see the same batches."""
from __future__ import annotations

from trainlab._i18n import N_, translate
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.experiments.figures import variant_title
from trainlab.networks import MultiLayerNetExtend
from trainlab.optim import make_optimizer


def overfitting(data=None, *, train_size=300, test_size=None, epochs=200, batch_size=100,
                hidden=(100, 100, 100, 100, 100, 100), optimizer="sgd", lr=0.01,
                weight_decay=0.1, dropout_ratios=(0.2,), dtype="float32", seed=0, progress=None,
                should_stop=None, on_update=None) -> ExperimentResult:
    """Series ``VARIANT/train_acc``, ``VARIANT/test_acc`` (per epoch, 0 = before training) and
    ``VARIANT/loss`` for VARIANT in ``baseline``, ``weight_decay=λ`` (λ > 0) and ``dropout=r``
    per ratio. Summary per variant: final train and test accuracy and their gap."""
    train_size, test_size = C.integer("train_size", train_size), C.optional_integer("test_size", test_size)
    epochs, hidden = C.integer("epochs", epochs), C.sizes("hidden", hidden)
    opt_name, lr = C.optimizer_names([optimizer])[0], C.positive("lr", lr)
    weight_decay = C.positive("weight_decay", weight_decay, allow_zero=True)
    ratios = list(dropout_ratios) if isinstance(dropout_ratios, (list, tuple)) else [dropout_ratios]
    for r in ratios:
        if not isinstance(r, (int, float)) or not 0 < r < 1:
            raise ValueError(f"dropout_ratios must be numbers in (0, 1), got {r!r}")
    train, test = C.resolve_data(data, train_size=train_size, test_size=test_size)
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("overfitting", {
        "train_size": train_size, "test_size": len(test[0]), "epochs": epochs,
        "batch_size": batch_size, "hidden": hidden, "optimizer": opt_name, "lr": lr,
        "weight_decay": weight_decay, "dropout_ratios": ratios, "dtype": str(dtype), "seed": seed})

    classes = C.n_classes(train[1], test[1])
    variants = {"baseline": {}}
    if weight_decay > 0:
        variants[f"weight_decay={weight_decay:g}"] = {"weight_decay_lambda": weight_decay}
    for r in ratios:
        variants[f"dropout={r:g}"] = {"use_dropout": True, "dropout_ratio": float(r)}
    models = {label: (MultiLayerNetExtend(train[0].shape[1], hidden, classes, "relu", "he",
                                          dtype=dtype, seed=seed, **options),
                      make_optimizer(opt_name, lr=lr))
              for label, options in variants.items()}
    C.train_side_by_side(result, models, train, test, epochs=epochs, batch_size=batch_size,
                         seed=seed, hooks=hooks, loss_series="{label}/loss")
    for label in models:
        train_acc = result.series[f"{label}/train_acc"].y[-1]
        test_acc = result.series[f"{label}/test_acc"].y[-1]
        result.summary[label] = {"train_acc": train_acc, "test_acc": test_acc, "gap": train_acc - test_acc}
    result.summary["headline"] = translate("experiments", "train/test gap: {gaps}").format(
        gaps=", ".join(f"{variant_title(label)} ({result.summary[label]['gap']:.3f})" for label in models))
    result.timings["total"] = hooks.elapsed()
    return result


register("overfitting", overfitting,
         N_("experiments", "300 training samples overfit; weight decay and dropout narrow the "
                           "train/test gap (book figs. 6-20, 6-21, 6-23)"),
         param_help={
             "train_size": N_("experiments", "training samples (book: 300)"),
             "test_size": N_("experiments", "test samples evaluated each epoch (default: all)"),
             "epochs": N_("experiments", "epochs (book: 200 / 300)"),
             "batch_size": N_("experiments", "mini-batch size (book: 100)"),
             "hidden": N_("experiments", "hidden layer sizes (book: 100 x 6)"),
             "optimizer": N_("experiments", "optimizer (book: sgd)"),
             "lr": N_("experiments", "learning rate (book: 0.01)"),
             "weight_decay": N_("experiments", "L2 λ (book: 0.1; 0 drops the variant)"),
             "dropout_ratios": N_("experiments", "dropout ratios, one variant each (book: 0.2)"),
         })
