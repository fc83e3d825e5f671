"""The full real Fashion-MNIST (Debian's dataset-fashion-mnist) through the normal lookup."""

from __future__ import annotations

import time

import numpy as np
import pytest
from helpers import DEBIAN_FASHION_MNIST, needs_debian_fashion_mnist

from trainlab import datasets

pytestmark = needs_debian_fashion_mnist


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TRAINLAB_OFFLINE", "1")  # must come from the system folder
    monkeypatch.delenv("TRAINLAB_DATA", raising=False)
    monkeypatch.delenv("XDG_DATA_DIRS", raising=False)
    return tmp_path


def test_full_fashion_mnist_first_and_cached_load(env):
    t0 = time.perf_counter()
    (x, t), (xt, tt) = datasets.load_fashion_mnist(normalize=False)
    first = time.perf_counter() - t0
    cached = list((env / "cache" / "trainlab" / "fashion-mnist").glob("*.npz"))
    assert len(cached) == 1

    t0 = time.perf_counter()
    (x2, t2), (xt2, tt2) = datasets.load_fashion_mnist(normalize=False)
    second = time.perf_counter() - t0
    t0 = time.perf_counter()
    datasets.load_fashion_mnist()  # cached + float32 normalisation, the usual call
    second_norm = time.perf_counter() - t0
    print(f"\nFashion-MNIST 60000+10000: first load (gzip IDX from {DEBIAN_FASHION_MNIST}) {first:.3f} s, "
          f"cached load {second:.3f} s (uint8), {second_norm:.3f} s (normalized float32); "
          f"cache {cached[0].stat().st_size / 1e6:.1f} MB")

    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    assert x.dtype == np.uint8 and t.dtype == np.uint8
    assert np.bincount(t, minlength=10).tolist() == [6000] * 10
    assert np.bincount(tt, minlength=10).tolist() == [1000] * 10
    assert t[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert tt[:10].tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    assert abs(x.mean() / 255.0 - 0.2860) < 1e-3  # the published training-set mean
    for a, b in ((x, x2), (t, t2), (xt, xt2), (tt, tt2)):
        np.testing.assert_array_equal(a, b)
    assert second < first


def test_embedded_sample_is_real_fashion_mnist(env):
    (x, t), (xs, ts) = datasets.load_fashion_mnist(normalize=False, flatten=True)
    (sx, st), (sxt, stt) = datasets.load_dataset("sample", normalize=False)
    for big_x, big_t, small_x, small_t in ((x, t, sx, st), (xs, ts, sxt, stt)):
        index = {row.tobytes(): label for row, label in zip(big_x, big_t, strict=True)}
        assert all(index.get(row.tobytes()) == lab for row, lab in zip(small_x, small_t, strict=True))
