"""Hyperparameter search quality on real Fashion-MNIST (the chapter's setting).

1. The chapter's random search: 100 trials, 500 training samples (20 % of them for validation),
   784-100x6-10, SGD, 50 epochs, batch 100, lr 1e-6..1e-2 and weight decay 1e-8..1e-4 on a log
   scale. Prints the best trials and where their learning rates lie (the book finds 1e-3..1e-2
   on MNIST).
2. Bayesian (Optuna TPE) against random on the same budget, several seeds: how many trials TPE
   needs to reach the best validation accuracy random search found with the whole budget.

    python benchmarks/search_quality.py [--trials 100] [--epochs 50] [--seeds 3] [--budget 50]
"""
from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from pathlib import Path

from trainlab.datasets import load_dataset
from trainlab.search import run_search


def chapter_search(x, t, args, folder):
    start = time.perf_counter()
    result = run_search(folder / "random100.db", x, t, n_trials=args.trials, epochs=args.epochs,
                        seed=args.seed, n_workers=args.workers)
    seconds = time.perf_counter() - start
    print(f"== random search, {args.trials} trials x {args.epochs} epochs: {seconds:.1f} s "
          f"({args.workers} workers) ==")
    print(result.table(10))
    for n in (5, 10):
        lrs = [tr.params["lr"] for tr in result.top(n)]
        inside = sum(1e-3 <= lr <= 1e-2 for lr in lrs)
        print(f"top-{n}: lr {min(lrs):.2e}..{max(lrs):.2e}, {inside}/{n} in 1e-3..1e-2, "
              f"median log10(lr) {statistics.median(math.log10(v) for v in lrs):.2f}")
    result.to_csv(folder / "random100.csv")


def trials_to_reach(result, target):
    """1-based number of trials (in proposal order) until the running best reaches ``target``."""
    best = -1.0
    for k, tr in enumerate(sorted(result.trials, key=lambda tr: tr.number), 1):
        best = max(best, tr.value if tr.value is not None else -1.0)
        if best >= target:
            return k
    return None


def bayes_vs_random(x, t, args, folder):
    print(f"\n== TPE vs random: budget {args.budget} trials x {args.epochs} epochs, "
          f"seeds 0..{args.seeds - 1} ==")
    print(f"{'seed':>4} {'random best':>11} {'random needs':>12} {'TPE best':>8} {'TPE needs':>9}")
    rand_needs, tpe_needs = [], []
    for seed in range(args.seeds):
        runs = {name: run_search(folder / f"{name}{seed}.db", x, t, strategy=name,
                                 n_trials=args.budget, epochs=args.epochs, seed=seed,
                                 n_workers=args.workers)
                for name in ("random", "tpe")}
        target = runs["random"].best.value
        r_need = trials_to_reach(runs["random"], target)
        b_need = trials_to_reach(runs["tpe"], target)
        rand_needs.append(r_need)
        tpe_needs.append(b_need if b_need is not None else args.budget + 1)
        print(f"{seed:>4} {target:>11.3f} {r_need:>12} {runs['tpe'].best.value:>8.3f} "
              f"{b_need if b_need is not None else 'not reached':>9}")
    print(f"mean trials to reach random's best: random {statistics.mean(rand_needs):.1f}, "
          f"TPE {statistics.mean(tpe_needs):.1f} (not reached counted as budget+1); "
          f"TPE reached it in {sum(n <= args.budget for n in tpe_needs)}/{args.seeds} seeds")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=100)
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--seeds", type=int, default=3, help="seeds of the TPE/random comparison (0: skip)")
    p.add_argument("--budget", type=int, default=50, help="trials per run in the comparison")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    (x, t), _ = load_dataset("fashion-mnist")
    x, t = x[:500], t[:500]  # the book's x_train[:500]; 20 % of it becomes the validation set
    with tempfile.TemporaryDirectory() as tmp:
        if args.trials:
            chapter_search(x, t, args, Path(tmp))
        if args.seeds:
            bayes_vs_random(x, t, args, Path(tmp))


if __name__ == "__main__":
    main()
