"""The book's chapter-6 loops written the book's way against trainlab's book-level API, on real
Fashion-MNIST: what the chapter shows, including the runs that diverge on purpose.

These are the loops of ``ch06/batch_norm_test.py`` and ``ch06/overfit_weight_decay.py`` with
trainlab's imports: ``np.random`` for weights and batches, ``gradient`` then ``update``, the
book's epoch test ``i % iter_per_epoch == 0``.
"""
import warnings

import numpy as np
import pytest
from helpers import needs_debian_fashion_mnist

from trainlab import MultiLayerNet, MultiLayerNetExtend
from trainlab.datasets import load_fashion_mnist
from trainlab.optim import SGD

pytestmark = [needs_debian_fashion_mnist, pytest.mark.usefixtures("one_blas_thread")]


@pytest.fixture(scope="module")
def fashion():
    return load_fashion_mnist(normalize=True, progress=False)


def batch_norm_test(x_train, t_train, weight_init_std, max_epochs=20):
    """ch06/batch_norm_test.py's __train: the same batches for both networks, one SGD."""
    bn_network = MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 100, 100, 100, 100],
                                     output_size=10, weight_init_std=weight_init_std,
                                     use_batchnorm=True)
    network = MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 100, 100, 100, 100],
                                  output_size=10, weight_init_std=weight_init_std)
    optimizer = SGD(lr=0.01)
    train_acc_list, bn_train_acc_list = [], []
    train_size, batch_size = x_train.shape[0], 100
    iter_per_epoch = max(train_size / batch_size, 1)
    epoch_cnt = 0
    for i in range(1000000000):
        batch_mask = np.random.choice(train_size, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        for _network in (bn_network, network):
            grads = _network.gradient(x_batch, t_batch)
            optimizer.update(_network.params, grads)
        if i % iter_per_epoch == 0:
            train_acc_list.append(network.accuracy(x_train, t_train))
            bn_train_acc_list.append(bn_network.accuracy(x_train, t_train))
            epoch_cnt += 1
            if epoch_cnt >= max_epochs:
                break
    return train_acc_list, bn_train_acc_list, network


def test_batch_norm_test_runs_all_16_scales_and_the_plain_network_diverges_as_in_the_book(fashion):
    (x_train, t_train), _ = fashion
    x_train, t_train = x_train[:1000], t_train[:1000]
    np.random.seed(0)
    results, caught = [], []
    for w in np.logspace(0, -4, num=16):
        with warnings.catch_warnings(record=True) as seen, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            plain, bn, network = batch_norm_test(x_train, t_train, w)
        caught.append([str(s.message) for s in seen if issubclass(s.category, RuntimeWarning)])
        results.append((w, plain, bn, network))
    # weight scale 1: the plain network's weights blow up to NaN and it keeps going, drawn at
    # chance in fig. 6-19, with one warning for that network; batch norm learns
    w, plain, bn, network = results[0]
    assert len(plain) == len(bn) == 20
    assert not all(np.isfinite(v).all() for v in network.params.values())
    assert max(plain[-5:]) < 0.2 and bn[-1] > max(0.4, bn[0] + 0.2)
    assert len(caught[0]) == 1 and "NaN propagates, as in the book" in caught[0][0]
    # the chapter's conclusion: batch norm is ahead at most weight scales
    ahead = sum(bn[-1] > plain[-1] for _, plain, bn, _ in results)
    assert ahead >= 12, [(round(w, 4), plain[-1], bn[-1]) for w, plain, bn, _ in results]


def test_overfit_weight_decay_shows_a_smaller_gap(fashion):
    """ch06/overfit_weight_decay.py, 300 samples: weight decay 0.1 narrows the train/test gap."""
    (x_train, t_train), (x_test, t_test) = fashion
    x_train, t_train = x_train[:300], t_train[:300]

    def train(weight_decay_lambda, max_epochs=201):
        np.random.seed(1)
        network = MultiLayerNet(input_size=784, hidden_size_list=[100, 100, 100, 100, 100, 100],
                                output_size=10, weight_decay_lambda=weight_decay_lambda)
        optimizer = SGD(lr=0.01)
        train_size, batch_size = x_train.shape[0], 100
        iter_per_epoch = max(train_size / batch_size, 1)
        epoch_cnt, train_acc, test_acc = 0, [], []
        for i in range(1000000000):
            batch_mask = np.random.choice(train_size, batch_size)
            grads = network.gradient(x_train[batch_mask], t_train[batch_mask])
            optimizer.update(network.params, grads)
            if i % iter_per_epoch == 0:
                train_acc.append(network.accuracy(x_train, t_train))
                test_acc.append(network.accuracy(x_test, t_test))
                epoch_cnt += 1
                if epoch_cnt >= max_epochs:
                    break
        return train_acc[-1] - test_acc[-1], train_acc[-1]

    gap, train_acc = train(0)
    decayed_gap, _ = train(0.1)
    assert train_acc > 0.9 and gap > 0.15
    assert decayed_gap < gap - 0.05
