"""Affine layer kernels: out = act(x·W + b) and its backward, on BLAS GEMM with fused epilogues.

Shapes (row-major, C-contiguous): x (N, K), W (K, M), b (M,), out (N, M).
Callers (``trainlab.kernels``) validate dtypes and contiguity once; the checks left here are
the cheap C-level shape checks that keep a bad call from touching memory it does not own.
"""
from cython cimport floating
from libc.string cimport memset
from _blas cimport gemm, blas_int
from _act cimport act_forward, IDENTITY


cdef void _bias_act_epilogue(floating* out, const floating* b, Py_ssize_t n, Py_ssize_t m,
                             int activation) noexcept nogil:
    """out[i, j] := act(out[i, j] + b[j]): one pass over the GEMM result."""
    cdef Py_ssize_t i, j
    cdef floating* row
    if activation == IDENTITY:
        for i in range(n):
            row = out + i * m
            for j in range(m):
                row[j] = row[j] + b[j]
    else:
        for i in range(n):
            row = out + i * m
            for j in range(m):
                row[j] = act_forward(row[j] + b[j], activation)


cdef void _column_sum(const floating* a, floating* s, Py_ssize_t n, Py_ssize_t m) noexcept nogil:
    """s[j] := Σ_i a[i, j], rows added in order (the order NumPy's sum(axis=0) uses)."""
    cdef Py_ssize_t i, j
    cdef const floating* row
    for j in range(m):
        s[j] = a[j]
    for i in range(1, n):
        row = a + i * m
        for j in range(m):
            s[j] = s[j] + row[j]


def affine_forward(const floating[:, ::1] x, const floating[:, ::1] W, const floating[::1] b,
                   floating[:, ::1] out, int activation=0):
    """out := act(x·W + b) with act 0 identity, 1 ReLU, 2 sigmoid, 3 tanh."""
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], m = W.shape[1]
    if W.shape[0] != k or b.shape[0] != m or out.shape[0] != n or out.shape[1] != m:
        raise ValueError("affine_forward: shapes do not match x (N,K) · W (K,M) + b (M,) -> out (N,M)")
    if not 0 <= activation <= 3:
        raise ValueError(f"affine_forward: unknown activation code {activation}")
    if n == 0 or m == 0:
        return
    with nogil:
        if k == 0:
            memset(&out[0, 0], 0, n * m * sizeof(floating))
        else:
            gemm(False, False, <blas_int>n, <blas_int>m, <blas_int>k, <floating>1.0, &x[0, 0], <blas_int>k,
                 &W[0, 0], <blas_int>m, <floating>0.0, &out[0, 0], <blas_int>m)
        _bias_act_epilogue(&out[0, 0], &b[0], n, m, activation)


def affine_backward(const floating[:, ::1] x, const floating[:, ::1] W, const floating[:, ::1] dout,
                    floating[:, ::1] dx, floating[:, ::1] dW, floating[::1] db,
                    double weight_decay_lambda=0.0):
    """dx := dout·Wᵀ, dW := xᵀ·dout + λ·W, db := Σ_rows dout.

    ``dx`` and ``db`` may be None to skip them (the input layer's dx is never needed for
    training; a fused activation backward may already have produced db).
    """
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], m = W.shape[1], i
    cdef floating lam = <floating>weight_decay_lambda
    if W.shape[0] != k or dout.shape[0] != n or dout.shape[1] != m or dW.shape[0] != k or dW.shape[1] != m:
        raise ValueError("affine_backward: shapes do not match x (N,K), W (K,M), dout (N,M), dW (K,M)")
    if dx is not None and (dx.shape[0] != n or dx.shape[1] != k):
        raise ValueError("affine_backward: dx must have the shape of x")
    if db is not None and db.shape[0] != m:
        raise ValueError("affine_backward: db must have shape (M,)")
    if m == 0:  # dout has no columns: dx = dout·Wᵀ is zero, dW and db are empty
        if dx is not None and n > 0 and k > 0:
            dx[:, :] = 0
        return
    if k > 0:
        with nogil:
            # dW := λ·W first, then the GEMM accumulates into it (beta = 1): L2 costs no extra pass.
            if lam != 0:
                for i in range(k * m):
                    (&dW[0, 0])[i] = lam * (&W[0, 0])[i]
            if n == 0:
                if lam == 0:
                    memset(&dW[0, 0], 0, k * m * sizeof(floating))
            else:
                gemm(True, False, <blas_int>k, <blas_int>m, <blas_int>n, <floating>1.0, &x[0, 0], <blas_int>k,
                     &dout[0, 0], <blas_int>m, <floating>(1.0 if lam != 0 else 0.0), &dW[0, 0], <blas_int>m)
        if dx is not None and n > 0:
            with nogil:
                gemm(False, True, <blas_int>n, <blas_int>k, <blas_int>m, <floating>1.0, &dout[0, 0], <blas_int>m,
                     &W[0, 0], <blas_int>m, <floating>0.0, &dx[0, 0], <blas_int>k)
    if db is not None:
        if n == 0:
            db[:] = 0
        else:
            with nogil:
                _column_sum(&dout[0, 0], &db[0], n, m)
