# Row-major GEMM on top of Fortran BLAS (scipy.linalg.cython_blas), for both float widths.
#
# NumPy arrays here are C-ordered. A row-major (m, n) matrix is the column-major (n, m)
# matrix of its transpose, so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the
# operands and pass the transposes as flags. Nothing is ever copied.
# No BLAS is linked at build time: SciPy's extension exports the function pointers.
from cython cimport floating
from scipy.linalg.cython_blas cimport sgemm, dgemm

# SciPy <= 1.17 has no blas_int; swap this typedef when the SciPy floor exports one.
ctypedef int blas_int


cdef inline void gemm(bint trans_a, bint trans_b, blas_int m, blas_int n, blas_int k,
                      floating alpha, const floating* a, blas_int lda,
                      const floating* b, blas_int ldb,
                      floating beta, floating* c, blas_int ldc) noexcept nogil:
    """C(m,n) := alpha·op(A)(m,k)·op(B)(k,n) + beta·C, every matrix row-major."""
    cdef char ta = b'T' if trans_a else b'N'
    cdef char tb = b'T' if trans_b else b'N'
    cdef blas_int i, j
    if m == 0 or n == 0:
        return
    if k == 0:  # BLAS rejects a zero leading dimension: C := beta·C by hand
        for i in range(m):
            for j in range(n):
                c[i * ldc + j] = beta * c[i * ldc + j] if beta != 0 else 0
        return
    if floating is float:
        sgemm(&tb, &ta, &n, &m, &k, &alpha, <float*>b, &ldb, <float*>a, &lda, &beta, c, &ldc)
    else:
        dgemm(&tb, &ta, &n, &m, &k, &alpha, <double*>b, &ldb, <double*>a, &lda, &beta, c, &ldc)
