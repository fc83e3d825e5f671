"""Datasets for the chapter-6 experiments: MNIST, Fashion-MNIST and an embedded sample.

>>> from trainlab.datasets import load_mnist
>>> (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True)   # doctest: +SKIP

* :func:`load_mnist` / :func:`load_fashion_mnist` -- the book's signature
  ``(normalize=True, flatten=True, one_hot_label=False)`` plus keyword-only ``root``,
  ``download``, ``mirrors``, ``progress``, ``cache``.  Pixels are float32 in [0, 1]
  (uint8 with ``normalize=False``); labels are uint8 class indices (float32 one-hot with
  ``one_hot_label=True``); ``flatten=False`` gives ``(N, 1, 28, 28)``.
* :func:`load_dataset` -- by name (``'mnist'``, ``'fashion-mnist'``, ``'sample'``) or by a
  folder holding the four IDX files.
* :func:`load_default_dataset` (alias :func:`best_available`) -- MNIST, else
  Fashion-MNIST, else the embedded sample, with a message saying why it fell back.
* :func:`shuffle_dataset`, :func:`split_validation`, :func:`subset`.

Lookup order: ``root=``, ``$TRAINLAB_DATA/<name>``, the user cache ``~/.cache/trainlab/<name>``
(``$XDG_CACHE_HOME`` honoured), system folders such as ``/usr/share/datasets/<name>``
(Debian's ``dataset-fashion-mnist``), then a SHA-256-verified download into the user cache.
A fast ``.npz`` copy (``allow_pickle=False``) is kept in the user cache after the first read.
The book's ``mnist.pkl`` is never unpickled (unsafe) and is ignored if present.
Environment: ``TRAINLAB_DATA``, ``TRAINLAB_OFFLINE=1``, ``TRAINLAB_MNIST_MIRRORS``,
``TRAINLAB_FASHION_MNIST_MIRRORS``.
"""

from __future__ import annotations

from .errors import ChecksumError, DatasetUnavailableError, DownloadError
from .idx import read_idx, write_idx
from .loaders import (
    DATASETS,
    FASHION_MNIST_CLASSES,
    DefaultDataset,
    best_available,
    load_dataset,
    load_default_dataset,
    load_fashion_mnist,
    load_mnist,
    load_sample,
)
from .locate import user_cache_dir
from .utils import shuffle_dataset, split_validation, subset

__all__ = [
    "ChecksumError",
    "DATASETS",
    "DatasetUnavailableError",
    "DefaultDataset",
    "DownloadError",
    "FASHION_MNIST_CLASSES",
    "best_available",
    "load_dataset",
    "load_default_dataset",
    "load_fashion_mnist",
    "load_mnist",
    "load_sample",
    "read_idx",
    "shuffle_dataset",
    "split_validation",
    "subset",
    "user_cache_dir",
    "write_idx",
]
