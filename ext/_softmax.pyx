"""Softmax with cross-entropy (the book's SoftmaxWithLoss), forward and backward.

Forward: y := softmax(x) row-wise, stabilised by the row maximum; returns the book's loss
−(1/N)·Σ_i log(y[i, t_i] + 1e-7), accumulated in double. One-hot targets are turned into labels
by the caller, as the book's cross_entropy_error does (t.argmax(axis=1)).
Backward: dx := (y − onehot(t))·scale with labels, or (y − T)·scale with a dense target T
(the book uses the dense form for one-hot targets, so soft targets work there too).
"""
from cython cimport floating
from libc.math cimport exp, expf, log

ctypedef fused label_t:
    int
    long
    long long


def softmax_cross_entropy_forward(const floating[:, ::1] x, const label_t[::1] t,
                                  floating[:, ::1] y):
    """y := softmax(x); returns the mean cross-entropy loss (a Python float)."""
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1], i, j
    cdef double loss = 0.0, s
    cdef floating mx, e
    cdef const floating* xr
    cdef floating* yr
    if t.shape[0] != n or y.shape[0] != n or y.shape[1] != c:
        raise ValueError("softmax_cross_entropy_forward: x (N,C), t (N,) and y (N,C) do not match")
    if n == 0 or c == 0:
        raise ValueError("softmax_cross_entropy_forward: empty batch or no classes")
    for i in range(n):
        if t[i] < 0 or t[i] >= c:
            raise ValueError(f"softmax_cross_entropy_forward: label {t[i]} at row {i} outside [0, {c})")
    with nogil:
        for i in range(n):
            xr = &x[i, 0]
            yr = &y[i, 0]
            mx = xr[0]
            for j in range(1, c):
                if xr[j] > mx:
                    mx = xr[j]
            s = 0.0
            for j in range(c):
                if floating is float:
                    e = expf(xr[j] - mx)
                else:
                    e = exp(xr[j] - mx)
                yr[j] = e
                s += e
            for j in range(c):
                yr[j] = <floating>(yr[j] / s)
            loss -= log(yr[t[i]] + 1e-7)
    return loss / n


def softmax_cross_entropy_backward(const floating[:, ::1] y, const label_t[::1] t,
                                   floating[:, ::1] dx, double scale):
    """dx := (y − onehot(t))·scale; the book's scale is dout / N."""
    cdef Py_ssize_t n = y.shape[0], c = y.shape[1], i, j
    cdef floating sc = <floating>scale
    if t.shape[0] != n or dx.shape[0] != n or dx.shape[1] != c:
        raise ValueError("softmax_cross_entropy_backward: y (N,C), t (N,) and dx (N,C) do not match")
    for i in range(n):
        if t[i] < 0 or t[i] >= c:
            raise ValueError(f"softmax_cross_entropy_backward: label {t[i]} at row {i} outside [0, {c})")
    with nogil:
        for i in range(n):
            for j in range(c):
                dx[i, j] = (y[i, j] - (1 if j == t[i] else 0)) * sc


def softmax_cross_entropy_backward_dense(const floating[:, ::1] y, const floating[:, ::1] t,
                                         floating[:, ::1] dx, double scale):
    """dx := (y − T)·scale for a dense (one-hot or soft) target T."""
    cdef Py_ssize_t n = y.shape[0], c = y.shape[1], i, j
    cdef floating sc = <floating>scale
    if t.shape[0] != n or t.shape[1] != c or dx.shape[0] != n or dx.shape[1] != c:
        raise ValueError("softmax_cross_entropy_backward_dense: y, t and dx must have one shape (N,C)")
    with nogil:
        for i in range(n):
            for j in range(c):
                dx[i, j] = (y[i, j] - t[i, j]) * sc
