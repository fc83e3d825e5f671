"""Helpers of chapter 6: shuffling, a validation split and train-size subsets."""

from __future__ import annotations

import numpy as np

__all__ = ["shuffle_dataset", "split_validation", "subset"]

Seed = "int | np.random.Generator | None"


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check_pair(x: np.ndarray, t: np.ndarray) -> None:
    if len(x) != len(t):
        raise ValueError(f"x has {len(x)} samples but t has {len(t)}")


def shuffle_dataset(x: np.ndarray, t: np.ndarray, seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Return copies of ``x`` and ``t`` shuffled by the same permutation along axis 0.

    Works for flat ``(N, D)`` and image ``(N, C, H, W)`` inputs alike (the book's
    ``common/util.py`` distinguishes the two; indexing the first axis covers both).
    ``seed`` is an int, a :class:`numpy.random.Generator` or None (fresh entropy).
    """
    x, t = np.asarray(x), np.asarray(t)
    _check_pair(x, t)
    perm = _rng(seed).permutation(len(x))
    return x[perm], t[perm]


def split_validation(x: np.ndarray, t: np.ndarray, rate: float = 0.2, seed: Seed = None,
                     *, shuffle: bool = True):
    """Hold out a validation set: ``((x_train, t_train), (x_val, t_val))``.

    As in the book's hyper-parameter search (chapter 6.5), the data are shuffled first
    (unless ``shuffle=False``) and the first ``int(N * rate)`` samples become the
    validation set.  ``rate`` must leave at least one sample on each side.

    Parameters
    ----------
    x, t : numpy.ndarray
        Samples and labels (the same number of rows).
    rate : float
        Fraction held out, strictly between 0 and 1 (the book's 0.2).
    seed : int, numpy.random.Generator or None
        Randomness of the shuffle (``None``: NumPy's global generator, as the book).
    shuffle : bool
        Shuffle before splitting.

    Raises
    ------
    ValueError
        ``rate`` outside (0, 1) or leaving an empty side.
    """
    x, t = np.asarray(x), np.asarray(t)
    _check_pair(x, t)
    if not 0.0 < rate < 1.0:
        raise ValueError(f"rate must be strictly between 0 and 1, got {rate}")
    n = len(x)
    n_val = int(n * rate)
    if n_val < 1 or n_val >= n:
        raise ValueError(f"rate={rate} of {n} samples leaves an empty training or validation set")
    if shuffle:
        x, t = shuffle_dataset(x, t, seed)
    return (x[n_val:], t[n_val:]), (x[:n_val], t[:n_val])


def subset(x: np.ndarray, t: np.ndarray, size: int, seed: Seed = None, *,
           balanced: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The first ``size`` samples (like the book's ``x_train[:300]``), or a random subset.

    With ``seed`` given, ``size`` samples are drawn at random without replacement (in
    random order).  With ``balanced=True`` every class gets ``size // k`` samples (the
    first ``size % k`` classes one more), ``t`` being class indices or one-hot rows; a
    class with too few samples raises :class:`ValueError`.
    """
    x, t = np.asarray(x), np.asarray(t)
    _check_pair(x, t)
    size = int(size)
    if not 0 < size <= len(x):
        raise ValueError(f"size must be in 1..{len(x)}, got {size}")
    if not balanced:
        if seed is None:
            return x[:size].copy(), t[:size].copy()
        idx = _rng(seed).choice(len(x), size=size, replace=False)
        return x[idx], t[idx]
    labels = t.argmax(axis=1) if t.ndim == 2 else t
    classes = np.unique(labels)
    k = len(classes)
    rng = _rng(seed)
    picks = []
    for i, c in enumerate(classes):
        want = size // k + (1 if i < size % k else 0)
        members = np.flatnonzero(labels == c)
        if want > len(members):
            raise ValueError(f"class {c} has only {len(members)} samples, {want} requested")
        if seed is None:
            picks.append(members[:want])
        else:
            picks.append(rng.choice(members, size=want, replace=False))
    idx = np.sort(np.concatenate(picks))
    if seed is not None:
        idx = rng.permutation(idx)
    return x[idx], t[idx]
