# cython: language_level=3, boundscheck=False, wraparound=False
"""Times a GEMM through a function pointer, the call in C: BLAS libraries compared without
Python's call overhead. Built on the fly by benchmarks/blas_libraries.py, not shipped."""
from libc.stdint cimport int64_t
from posix.time cimport clock_gettime, timespec, CLOCK_MONOTONIC

ctypedef void (*fortran_sgemm)(char*, char*, int*, int*, int*, float*, const float*, int*,
                               const float*, int*, float*, float*, int*) noexcept nogil
ctypedef void (*fortran_dgemm)(char*, char*, int*, int*, int*, double*, const double*, int*,
                               const double*, int*, double*, double*, int*) noexcept nogil
ctypedef void (*fortran_sgemm64)(char*, char*, int64_t*, int64_t*, int64_t*, float*, const float*,
                                 int64_t*, const float*, int64_t*, float*, float*, int64_t*) noexcept nogil
ctypedef void (*fortran_dgemm64)(char*, char*, int64_t*, int64_t*, int64_t*, double*, const double*,
                                 int64_t*, const double*, int64_t*, double*, double*, int64_t*) noexcept nogil
ctypedef void (*rowmajor_sgemm)(bint, bint, int, int, int, float, const float*, int, const float*, int,
                                float, float*, int) noexcept nogil
ctypedef void (*rowmajor_dgemm)(bint, bint, int, int, int, double, const double*, int, const double*, int,
                                double, double*, int) noexcept nogil


cdef double _now() noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return ts.tv_sec + ts.tv_nsec * 1e-9


def gemm_seconds(size_t fn, str interface, bint double, bint ta, bint tb, int m, int n, int k,
                 size_t a, size_t b, size_t c, int reps):
    """Seconds per call of row-major C(m, n) := op(A)·op(B) (A, B, C contiguous) through ``fn``:
    ``interface`` 'fortran' (sgemm_/dgemm_, 32-bit integers), 'fortran64' (64-bit integers) or
    'rowmajor' (blis.cy's sgemm/dgemm)."""
    cdef char cta = b'T' if ta else b'N'
    cdef char ctb = b'T' if tb else b'N'
    cdef int lda = m if ta else k, ldb = k if tb else n, ldc = n, r, kind
    cdef int64_t m8 = m, n8 = n, k8 = k, lda8 = lda, ldb8 = ldb, ldc8 = ldc
    cdef float s1 = 1, s0 = 0
    cdef double d1 = 1, d0 = 0
    cdef double start
    kind = {"fortran": 0, "fortran64": 1, "rowmajor": 2}[interface]
    with nogil:
        start = _now()
        for r in range(reps):
            # column-major: Cᵀ = op(B)ᵀ·op(A)ᵀ, so the operands swap
            if kind == 0 and not double:
                (<fortran_sgemm>fn)(&ctb, &cta, &n, &m, &k, &s1, <float*>b, &ldb, <float*>a, &lda, &s0,
                                    <float*>c, &ldc)
            elif kind == 0:
                (<fortran_dgemm>fn)(&ctb, &cta, &n, &m, &k, &d1, <double*>b, &ldb, <double*>a, &lda, &d0,
                                    <double*>c, &ldc)
            elif kind == 1 and not double:
                (<fortran_sgemm64>fn)(&ctb, &cta, &n8, &m8, &k8, &s1, <float*>b, &ldb8, <float*>a, &lda8,
                                      &s0, <float*>c, &ldc8)
            elif kind == 1:
                (<fortran_dgemm64>fn)(&ctb, &cta, &n8, &m8, &k8, &d1, <double*>b, &ldb8, <double*>a, &lda8,
                                      &d0, <double*>c, &ldc8)
            elif not double:
                (<rowmajor_sgemm>fn)(ta, tb, m, n, k, s1, <float*>a, lda, <float*>b, ldb, s0, <float*>c, ldc)
            else:
                (<rowmajor_dgemm>fn)(ta, tb, m, n, k, d1, <double*>a, lda, <double*>b, ldb, d0, <double*>c, ldc)
        start = _now() - start
    return start / reps
