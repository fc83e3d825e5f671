"""Dropout kernels with a counter-based generator owned by the layer.

The uniform number for element ``i`` of a call is splitmix64(key + (counter + i + 1)·φ) >> 11 · 2⁻⁵³:
a pure function of (key, counter, i). So a layer's stream is reproducible from two integers
(checkpointable), the NumPy reference twin reproduces it exactly, and no state is shared.
Train: mask := u > ratio, out := x·mask (the book's rule, no rescaling). Eval is out := x·(1 − ratio),
done by the caller.
"""
from cython cimport floating
from libc.stdint cimport uint64_t, uint8_t

cdef uint64_t GOLDEN = 0x9E3779B97F4A7C15ULL


cdef inline double _uniform(uint64_t key, uint64_t index) noexcept nogil:
    cdef uint64_t z = key + (index + 1) * GOLDEN
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL
    z = z ^ (z >> 31)
    return (z >> 11) * (1.0 / 9007199254740992.0)


def dropout_forward(const floating[:, ::1] x, double ratio, uint64_t key, uint64_t counter,
                    uint8_t[:, ::1] mask, floating[:, ::1] out):
    """mask := u > ratio with u from the (key, counter) stream; out := x·mask. Uses x.size numbers."""
    cdef Py_ssize_t n = x.shape[0], m = x.shape[1], i, size = n * m
    if mask.shape[0] != n or mask.shape[1] != m or out.shape[0] != n or out.shape[1] != m:
        raise ValueError("dropout_forward: x, mask and out must have one shape")
    if not 0.0 <= ratio < 1.0:
        raise ValueError(f"dropout_forward: ratio must be in [0, 1), got {ratio}")
    if size == 0:
        return
    cdef const floating* xp = &x[0, 0]
    cdef floating* op = &out[0, 0]
    cdef uint8_t* mp = &mask[0, 0]
    cdef uint8_t keep
    with nogil:
        for i in range(size):
            keep = _uniform(key, counter + <uint64_t>i) > ratio
            mp[i] = keep
            op[i] = xp[i] * keep  # a product, as the book's x * mask: NaN stays NaN


def dropout_backward(const floating[:, ::1] dout, const uint8_t[:, ::1] mask, floating[:, ::1] dx):
    """dx := dout·mask."""
    cdef Py_ssize_t n = dout.shape[0], m = dout.shape[1], i, size = n * m
    if mask.shape[0] != n or mask.shape[1] != m or dx.shape[0] != n or dx.shape[1] != m:
        raise ValueError("dropout_backward: dout, mask and dx must have one shape")
    if size == 0:
        return
    cdef const floating* gp = &dout[0, 0]
    cdef const uint8_t* mp = &mask[0, 0]
    cdef floating* dp = &dx[0, 0]
    with nogil:
        for i in range(size):
            dp[i] = gp[i] * mp[i]
