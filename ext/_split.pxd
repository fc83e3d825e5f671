# How the kernels split [0, n) between OpenMP threads.


cdef inline Py_ssize_t split16(Py_ssize_t n, int t, int threads) noexcept nogil:
    """Thread t's first index of [0, n) split evenly between ``threads`` (n for t ≥ threads),
    rounded down to a multiple of 16 so that no two threads write one 64-byte line of float32
    (below 16·threads indices the last thread gets them all). Thread t takes
    [split16(n, t, threads), split16(n, t + 1, threads))."""
    if t >= threads:
        return n
    return (t * n // threads) & ~(<Py_ssize_t>15)
