"""shuffle_dataset, split_validation, subset and the embedded sample."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab import datasets
from trainlab.datasets import load_dataset, shuffle_dataset, split_validation, subset


def data(n=100, image=False):
    x = np.arange(n, dtype=np.float32)[:, None] * np.ones((1, 6), np.float32)
    if image:
        x = x.reshape(n, 1, 2, 3)
    t = (np.arange(n) % 10).astype(np.uint8)
    return x, t


def rows_id(x):
    return x.reshape(len(x), -1)[:, 0].astype(int)


@pytest.mark.parametrize("image", [False, True])
def test_shuffle_keeps_pairs(image):
    x, t = data(image=image)
    xs, ts = shuffle_dataset(x, t, seed=3)
    assert xs.shape == x.shape
    ids = rows_id(xs)
    assert sorted(ids.tolist()) == list(range(100)) and ids.tolist() != list(range(100))
    assert (ts == ids % 10).all()
    xs2, _ = shuffle_dataset(x, t, seed=3)
    np.testing.assert_array_equal(xs, xs2)
    xs3, _ = shuffle_dataset(x, t, seed=np.random.default_rng(4))
    assert not np.array_equal(xs, xs3)
    assert rows_id(x).tolist() == list(range(100))  # input untouched


def test_shuffle_length_mismatch():
    with pytest.raises(ValueError, match="100 samples but t has 99"):
        shuffle_dataset(np.zeros((100, 2)), np.zeros(99))


def test_split_validation():
    x, t = data()
    (xtr, ttr), (xv, tv) = split_validation(x, t, rate=0.2, seed=0)
    assert len(xv) == 20 and len(xtr) == 80
    ids_tr, ids_v = rows_id(xtr), rows_id(xv)
    assert not set(ids_tr) & set(ids_v) and len(set(ids_tr) | set(ids_v)) == 100
    assert (ttr == ids_tr % 10).all() and (tv == ids_v % 10).all()
    (a, _), _ = split_validation(x, t, rate=0.2, seed=0)
    np.testing.assert_array_equal(a, xtr)
    (_, _), (xv2, _) = split_validation(x, t, rate=0.25, shuffle=False)
    assert rows_id(xv2).tolist() == list(range(25))


@pytest.mark.parametrize("rate", [0.0, 1.0, -0.1, 0.001, 1.5])
def test_split_validation_bad_rate(rate):
    x, t = data()
    with pytest.raises(ValueError):
        split_validation(x, t, rate=rate)


def test_subset_first_random_balanced():
    x, t = data()
    xs, ts = subset(x, t, 30)
    assert rows_id(xs).tolist() == list(range(30))
    xs[:] = -1
    assert x[0, 0] == 0  # a copy, not a view
    xr, tr = subset(x, t, 30, seed=1)
    ids = rows_id(xr)
    assert len(set(ids.tolist())) == 30 and (tr == ids % 10).all()
    xb, tb = subset(x, t, 25, seed=2, balanced=True)
    assert sorted(np.bincount(tb, minlength=10).tolist()) == [2] * 5 + [3] * 5
    xb, tb = subset(x, t, 40, balanced=True)
    assert np.bincount(tb).tolist() == [4] * 10 and rows_id(xb).tolist() == sorted(rows_id(xb).tolist())
    onehot = np.eye(10, dtype=np.float32)[t]
    _, tbo = subset(x, onehot, 20, seed=0, balanced=True)
    assert np.bincount(tbo.argmax(1)).tolist() == [2] * 10


def test_subset_errors():
    x, t = data()
    for size in (0, 101):
        with pytest.raises(ValueError, match="size must be in 1..100"):
            subset(x, t, size)
    t2 = t.copy()
    t2[0] = 1  # class 0 now has 9 samples
    with pytest.raises(ValueError, match="class 0 has only 9 samples, 10 requested"):
        subset(x, t2, 100, balanced=True)


def test_embedded_sample():
    (x, t), (xt, tt) = load_dataset("sample")
    assert x.shape == (6000, 784) and x.dtype == np.float32 and xt.shape == (1000, 784)
    assert 0.0 <= x.min() and x.max() <= 1.0 and x.max() > 0.99
    assert t.dtype == np.uint8
    assert np.bincount(t).tolist() == [600] * 10 and np.bincount(tt).tolist() == [100] * 10
    (xi, ti), _ = datasets.load_sample(normalize=False, flatten=False, one_hot_label=True)
    assert xi.shape == (6000, 1, 28, 28) and xi.dtype == np.uint8
    assert ti.shape == (6000, 10) and ti.dtype == np.float32
    np.testing.assert_array_equal(ti.argmax(1), t)
    assert len(datasets.FASHION_MNIST_CLASSES) == 10


def test_load_dataset_names():
    for name in ("Sample", " sample "):
        assert load_dataset(name)[0][0].shape == (6000, 784)
    with pytest.raises(ValueError, match="unknown dataset 'cifar10'"):
        load_dataset("cifar10")
