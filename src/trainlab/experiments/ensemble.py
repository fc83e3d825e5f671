"""Experiment 7 (the chapter's closing remark on ensembles): N networks trained independently
(different initial weights and batches); their averaged softmax outputs vs each member."""
from __future__ import annotations

import numpy as np

from trainlab._i18n import N_, translate
from trainlab.experiments import _common as C
from trainlab.experiments.base import ExperimentResult, Hooks, register
from trainlab.networks import MultiLayerNetExtend
from trainlab.optim import make_optimizer


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def ensemble(data=None, *, members=5, iterations=1000, batch_size=100, hidden=(100, 100),
             optimizer="adam", lr=0.001, train_size=None, test_size=None, dtype="float32", seed=0,
             progress=None, should_stop=None, on_update=None) -> ExperimentResult:
    """Series ``member K/loss`` (per iteration), ``members`` (x = K, y = member K's test accuracy)
    and ``ensemble`` (x = K, y = test accuracy of the average of members 1..K). Summary: member
    accuracies, their mean and the full ensemble's accuracy."""
    members, iterations = C.integer("members", members), C.integer("iterations", iterations)
    hidden, opt_name, lr = C.sizes("hidden", hidden), C.optimizer_names([optimizer])[0], C.positive("lr", lr)
    train, test = C.resolve_data(data, train_size=C.optional_integer("train_size", train_size),
                                 test_size=C.optional_integer("test_size", test_size))
    hooks = Hooks(progress, should_stop, on_update)
    result = ExperimentResult("ensemble", {
        "members": members, "iterations": iterations, "batch_size": batch_size, "hidden": hidden,
        "optimizer": opt_name, "lr": lr, "train_size": len(train[0]), "test_size": len(test[0]),
        "dtype": str(dtype), "seed": seed})
    classes = C.n_classes(train[1], test[1])
    (x_test, t_test) = test
    # one independent stream per member for its weights and its batches
    member_seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(members)]
    accs, prob_sum = [], np.zeros((len(x_test), classes))
    by_size, individual = result.add_series("ensemble", kind="accuracy"), result.add_series("members", kind="accuracy")
    for k, member_seed in enumerate(member_seeds, start=1):
        label = f"member {k}"
        network = MultiLayerNetExtend(train[0].shape[1], hidden, classes, "relu", "he", dtype=dtype,
                                      seed=member_seed)
        C.train_side_by_side(result, {label: (network, make_optimizer(opt_name, lr=lr))}, train,
                             iterations=iterations, batch_size=batch_size, seed=member_seed,
                             hooks=hooks, loss_series="{label}/loss",
                             progress_offset=(k - 1) * iterations, progress_total=members * iterations)
        if result.stopped:
            break
        probs = _softmax(network.predict(x_test).astype(np.float64))
        accs.append(float(np.mean(probs.argmax(axis=1) == t_test)))
        prob_sum += probs
        individual.append(k, accs[-1])
        by_size.append(k, float(np.mean(prob_sum.argmax(axis=1) == t_test)))
        hooks.update("members", k, accs[-1])
        hooks.update("ensemble", k, by_size.y[-1])
    if accs:
        result.summary.update(member_test_acc=accs, mean_member_test_acc=float(np.mean(accs)),
                              best_member_test_acc=max(accs), ensemble_test_acc=by_size.y[-1])
        result.summary["headline"] = translate(
            "experiments", "ensemble of {n}: {ensemble:.4f} vs mean member {mean:.4f} (best {best:.4f})"
        ).format(n=len(accs), ensemble=by_size.y[-1], mean=np.mean(accs), best=max(accs))
    result.timings["total"] = hooks.elapsed()
    return result


register("ensemble", ensemble,
         N_("experiments", "N independently trained networks: averaged outputs vs each member's "
                           "test accuracy"),
         param_help={
             "members": N_("experiments", "networks in the ensemble"),
             "iterations": N_("experiments", "mini-batch steps per member"),
             "batch_size": N_("experiments", "mini-batch size"),
             "hidden": N_("experiments", "hidden layer sizes"),
             "optimizer": N_("experiments", "optimizer"),
             "lr": N_("experiments", "learning rate"),
             "train_size": N_("experiments", "training samples (default: all)"),
             "test_size": N_("experiments", "test samples (default: all)"),
         })
