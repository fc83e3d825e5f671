"""Softmax with cross-entropy (the book's SoftmaxWithLoss), forward and backward.

Forward: y := softmax(x) row-wise, stabilised by the row maximum; returns the book's loss
−(1/N)·Σ_i log(y[i, t_i] + 1e-7), accumulated in double. One-hot targets are turned into labels
by the caller, as the book's cross_entropy_error does (t.argmax(axis=1)).
Backward: dx := (y − onehot(t))·scale with labels, or (y − T)·scale with a dense target T
(the book uses the dense form for one-hot targets, so soft targets work there too).
"""
from cython cimport floating
from _core cimport label_t, softmax_xent_forward_sum, softmax_xent_backward_core


cdef int _check_labels(str name, const label_t[::1] t, Py_ssize_t c) except -1:
    cdef Py_ssize_t i
    for i in range(t.shape[0]):
        if t[i] < 0 or t[i] >= c:
            raise ValueError(f"{name}: label {t[i]} at row {i} outside [0, {c})")
    return 0


def softmax_cross_entropy_forward(const floating[:, ::1] x, const label_t[::1] t,
                                  floating[:, ::1] y):
    """y := softmax(x); returns the mean cross-entropy loss (a Python float)."""
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1]
    cdef double loss
    if t.shape[0] != n or y.shape[0] != n or y.shape[1] != c:
        raise ValueError("softmax_cross_entropy_forward: x (N,C), t (N,) and y (N,C) do not match")
    if n == 0 or c == 0:
        raise ValueError("softmax_cross_entropy_forward: empty batch or no classes")
    _check_labels("softmax_cross_entropy_forward", t, c)
    with nogil:
        loss = softmax_xent_forward_sum(&x[0, 0], &t[0], &y[0, 0], n, c) / n
    return loss


def softmax_cross_entropy_backward(const floating[:, ::1] y, const label_t[::1] t,
                                   floating[:, ::1] dx, double scale):
    """dx := (y − onehot(t))·scale; the book's scale is dout / N."""
    cdef Py_ssize_t n = y.shape[0], c = y.shape[1]
    if t.shape[0] != n or dx.shape[0] != n or dx.shape[1] != c:
        raise ValueError("softmax_cross_entropy_backward: y (N,C), t (N,) and dx (N,C) do not match")
    _check_labels("softmax_cross_entropy_backward", t, c)
    if n == 0 or c == 0:
        return
    with nogil:
        softmax_xent_backward_core(&y[0, 0], &t[0], &dx[0, 0], n, c, <floating>scale)


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
