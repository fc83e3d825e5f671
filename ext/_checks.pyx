"""Input checks that run once per batch without allocating: NaN/inf counts."""
from cython cimport floating
from libc.math cimport isfinite


def count_nonfinite(const floating[::1] a):
    """Number of NaN or ±inf entries in a contiguous 1-D view (use arr.reshape(-1))."""
    cdef Py_ssize_t i, bad = 0
    with nogil:
        for i in range(a.shape[0]):
            if not isfinite(a[i]):
                bad += 1
    return bad
