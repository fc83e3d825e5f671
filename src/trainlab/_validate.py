"""Input checks shared by the kernel wrappers, layers, networks and optimizers.

Every public entry calls these once; the compiled kernels then run with bounds checks off.
"""
from __future__ import annotations

import numbers

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
ACTIVATIONS = {"identity": 0, "relu": 1, "sigmoid": 2, "tanh": 3}


def float_dtype(dtype) -> np.dtype:
    """The NumPy dtype for ``dtype`` if it is float32 or float64, else ValueError."""
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}") from exc
    if dt not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return dt


def did_you_mean(word, choices) -> str:
    """' (did you mean X?)' for the closest of ``choices`` to a mistyped ``word``, else ''."""
    import difflib

    close = difflib.get_close_matches(str(word).lower(), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def one_of(what: str, value, choices) -> str:
    """``value`` lower-cased if it is one of ``choices``, else ValueError naming it (with the
    closest choice for a typo) and the choices."""
    key = str(value).lower()
    if key not in choices:
        raise ValueError(f"unknown {what} {value!r}{did_you_mean(key, choices)}; "
                         f"expected one of {', '.join(choices)}")
    return key


def activation_code(name) -> int:
    return ACTIVATIONS[one_of("activation", name, ACTIVATIONS)]


def positive_number(name: str, value, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}")
    return v


def unit_interval(name: str, value) -> float:
    """A number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not 0 <= v < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return v


def integer(name: str, value, minimum: int = 1) -> int:
    """``value`` as an int if it is an integer (not a bool) >= ``minimum``, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_array(name: str, a, *, dtype: np.dtype | None = None, ndim: int | None = None,
                writable: bool = False) -> np.ndarray:
    """``a`` as given if it is a C-contiguous ndarray of ``dtype``/``ndim``, else ValueError.

    Kernel wrappers never copy silently: a wrong dtype or layout is the caller's bug.
    """
    if not isinstance(a, np.ndarray):
        raise ValueError(f"{name} must be a numpy.ndarray, got {type(a).__name__}")
    if dtype is not None and a.dtype != dtype:
        raise ValueError(f"{name} has dtype {a.dtype}, expected {dtype}")
    if dtype is None and a.dtype not in FLOAT_DTYPES:
        raise ValueError(f"{name} has dtype {a.dtype}, expected float32 or float64")
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    if not a.flags.c_contiguous:
        raise ValueError(f"{name} must be C-contiguous (use numpy.ascontiguousarray)")
    if writable and not a.flags.writeable:
        raise ValueError(f"{name} is read-only but is written to")
    return a


def as_labels(name: str, t, n_rows: int, n_classes: int) -> np.ndarray:
    """Integer labels (N,) as an intp array, checked against ``n_classes``."""
    t = np.asarray(t)
    if t.ndim != 1 or t.shape[0] != n_rows:
        raise ValueError(f"{name} must have shape ({n_rows},) or ({n_rows}, {n_classes}), got {t.shape}")
    if t.dtype.kind not in "iu":
        if t.dtype.kind == "f" and t.size and np.all(np.isfinite(t)) and np.all(t == np.round(t)):
            t = t.astype(np.intp)
        else:
            raise ValueError(f"{name} must hold integer class labels, got dtype {t.dtype}")
    if t.dtype != np.intp:
        t = t.astype(np.intp)
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        row = int(np.flatnonzero((t < 0) | (t >= n_classes))[0])
        raise ValueError(f"{name} has labels outside [0, {n_classes}): {t[row]} at row {row}")
    return np.ascontiguousarray(t)


def as_targets(name: str, t, n_rows: int, n_classes: int, dtype) -> np.ndarray:
    """The targets of a batch: integer labels (N,) as intp (see :func:`as_labels`), or a one-hot
    or soft target (N, C) as a C-contiguous array of ``dtype`` holding finite numbers. Anything
    else — (N, 1), another row count, labels outside [0, C), NaN/inf — is refused by name."""
    t = np.asarray(t)
    if t.ndim == 2 and t.shape == (n_rows, n_classes):
        if t.dtype.kind not in "biuf":
            raise ValueError(f"{name} must hold numbers, got dtype {t.dtype}")
        dense = np.ascontiguousarray(t, dtype=dtype)
        finite = np.isfinite(dense)
        if not finite.all():
            raise ValueError(f"{name} contains {finite.size - int(np.count_nonzero(finite))} "
                             "NaN or infinite value(s)")
        return dense
    return as_labels(name, t, n_rows, n_classes)


def converted(name: str, value, shape: tuple, dtype: np.dtype) -> np.ndarray:
    """``value`` as a C-contiguous array of ``shape`` and ``dtype``: the rule for an array
    assigned to a parameter, a gradient or a running statistic.

    The shape must be exactly ``shape`` (no broadcasting). Integers and floats of the other
    precision are cast, so the book's float64 arrays load into a float32 network (rounded as
    ``astype`` rounds). A finite value that would overflow to inf in ``dtype`` is refused: the cast
    would invent it. NaN and inf pass through as they are: they propagate, as in the book's code.
    A read-only array is copied (kernels write some of these arrays in place).
    """
    try:
        a = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be an array of real numbers: {exc}") from None
    if a.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold real numbers (cast to {dtype}), got dtype {a.dtype}")
    if a.shape != tuple(shape):
        raise ValueError(f"{name} has shape {a.shape}, expected {tuple(shape)} ({dtype})")
    if a.dtype == dtype:
        return np.ascontiguousarray(a) if a.flags.writeable else a.copy()
    with np.errstate(over="raise"):
        try:
            return np.ascontiguousarray(a, dtype=dtype)
        except FloatingPointError:
            largest = float(np.max(np.abs(a[np.isfinite(a)])))
            raise ValueError(f"{name} holds {largest:.3g}, beyond the range of {dtype} "
                             f"(the cast from {a.dtype} would make it inf)") from None


def copy_into(name: str, target: np.ndarray, value) -> None:
    """Write ``value`` into ``target`` by the rule of :func:`converted`; a refused value leaves
    ``target`` as it was."""
    if value is target:
        return
    if not (isinstance(value, np.ndarray) and value.dtype == target.dtype and value.shape == target.shape):
        value = converted(name, value, target.shape, target.dtype)
    np.copyto(target, value)


def refusal(message: str):
    """A method that raises TypeError(message): for the mutators of a container whose entries
    are fixed."""
    def refuse(self, *args, **kwargs):
        raise TypeError(message)
    return refuse
