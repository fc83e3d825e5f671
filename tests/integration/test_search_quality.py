"""The chapter's search on real Fashion-MNIST, shortened for CI: the best learning rates are in
the upper part of 1e-6..1e-2 (benchmarks/search_quality.py runs the full 100 x 50-epoch search)."""

import numpy as np
from scipy.stats import rankdata
from helpers import needs_debian_fashion_mnist

from trainlab.datasets import load_dataset
from trainlab.search import run_search

pytestmark = needs_debian_fashion_mnist


def test_random_search_finds_large_learning_rates(tmp_path):
    (x, t), _ = load_dataset("fashion-mnist")
    # the book's network, data and space; 20 trials of 20 epochs instead of 100 of 50
    result = run_search(tmp_path / "s.db", x[:500], t[:500], n_trials=20, epochs=20, n_workers=2)
    assert len(result) == 20 and result.count("complete") == 20
    top = result.top(2)
    assert all(tr.params["lr"] >= 1e-3 for tr in top), result.table(5)
    # accuracy rises with the learning rate across the whole space (rank correlation)
    lrs, accs = zip(*[(tr.params["lr"], tr.value) for tr in result.trials])
    assert np.corrcoef(rankdata(lrs), rankdata(accs))[0, 1] > 0.5, result.table(20)
    # and trials with small learning rates stay near chance (10 classes)
    slow = [tr.value for tr in result.trials if tr.params["lr"] < 1e-4]
    assert slow and max(slow) < 0.3 < top[0].value
