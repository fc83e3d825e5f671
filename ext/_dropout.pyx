"""Dropout kernels with a counter-based generator owned by the layer.

The uniform number for element ``i`` of a call is splitmix64(key + (counter + i + 1)·φ) >> 11 · 2⁻⁵³:
a pure function of (key, counter, i). So a layer's stream is reproducible from two integers
(checkpointable), the NumPy reference twin reproduces it exactly, and no state is shared.
Train: mask := u > ratio, out := x·mask (the book's rule, no rescaling). Eval is out := x·(1 − ratio),
done by the caller.
"""
from cython cimport floating
from libc.stdint cimport uint64_t, uint8_t
from _core cimport dropout_forward_core, dropout_backward_core


def dropout_forward(const floating[:, ::1] x, double ratio, uint64_t key, uint64_t counter,
                    uint8_t[:, ::1] mask, floating[:, ::1] out):
    """mask := u > ratio with u from the (key, counter) stream; out := x·mask. Uses x.size numbers."""
    cdef Py_ssize_t n = x.shape[0], m = x.shape[1]
    if mask.shape[0] != n or mask.shape[1] != m or out.shape[0] != n or out.shape[1] != m:
        raise ValueError("dropout_forward: x, mask and out must have one shape")
    if not 0.0 <= ratio < 1.0:
        raise ValueError(f"dropout_forward: ratio must be in [0, 1), got {ratio}")
    if n == 0 or m == 0:
        return
    with nogil:
        dropout_forward_core(&x[0, 0], ratio, key, counter, &mask[0, 0], &out[0, 0], n * m)


def dropout_backward(const floating[:, ::1] dout, const uint8_t[:, ::1] mask, floating[:, ::1] dx):
    """dx := dout·mask."""
    cdef Py_ssize_t n = dout.shape[0], m = dout.shape[1]
    if mask.shape[0] != n or mask.shape[1] != m or dx.shape[0] != n or dx.shape[1] != m:
        raise ValueError("dropout_backward: dout, mask and dx must have one shape")
    if n == 0 or m == 0:
        return
    with nogil:
        dropout_backward_core(&dout[0, 0], &mask[0, 0], &dx[0, 0], n * m)
