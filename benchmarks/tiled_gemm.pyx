# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""A tiled GEMM in Cython, the alternative to BLAS, measured against it.

C := A·B for row-major float32/float64, cache-blocked over (i, k, j) with a contiguous inner j
loop that the compiler vectorises. Built on the fly by benchmarks/gemm.py, not shipped.
"""
from cython cimport floating
from cython.parallel cimport prange
from libc.string cimport memset

DEF BI = 64
DEF BK = 256
DEF BJ = 512


def tiled_gemm(const floating[:, ::1] A, const floating[:, ::1] B, floating[:, ::1] C, int n_threads=1):
    cdef Py_ssize_t m = A.shape[0], k = A.shape[1], n = B.shape[1]
    cdef Py_ssize_t i0, k0, j0, i, kk, j, i_end, k_end, j_end
    cdef floating a
    cdef floating* crow
    cdef const floating* brow
    if B.shape[0] != k or C.shape[0] != m or C.shape[1] != n:
        raise ValueError("tiled_gemm: shapes do not match")
    memset(&C[0, 0], 0, m * n * sizeof(floating))
    for i0 in prange(0, m, BI, nogil=True, schedule="static", num_threads=n_threads):
        i_end = min(i0 + BI, m)
        for k0 in range(0, k, BK):
            k_end = min(k0 + BK, k)
            for j0 in range(0, n, BJ):
                j_end = min(j0 + BJ, n)
                for i in range(i0, i_end):
                    crow = &C[i, 0]
                    for kk in range(k0, k_end):
                        a = A[i, kk]
                        brow = &B[kk, 0]
                        for j in range(j0, j_end):
                            crow[j] = crow[j] + a * brow[j]
