"""Affine layer kernels: out = act(x·W + b) and its backward, on BLAS GEMM with fused epilogues.

Shapes (row-major, C-contiguous): x (N, K), W (K, M), b (M,), out (N, M).
Callers (``trainlab.kernels``) validate dtypes and contiguity once; the checks left here are
the cheap C-level shape checks that keep a bad call from touching memory it does not own.
"""
from cython cimport floating
from _core cimport affine_forward_core, affine_backward_core


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
        affine_forward_core(&x[0, 0] if k else NULL, &W[0, 0] if k else NULL, &b[0], &out[0, 0],
                            n, k, m, activation)


def affine_backward(const floating[:, ::1] x, const floating[:, ::1] W, const floating[:, ::1] dout,
                    floating[:, ::1] dx, floating[:, ::1] dW, floating[::1] db,
                    double weight_decay_lambda=0.0):
    """dx := dout·Wᵀ, dW := xᵀ·dout + λ·W, db := Σ_rows dout.

    ``dx`` and ``db`` may be None to skip them (the input layer's dx is never needed for
    training; a fused activation backward may already have produced db).
    """
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], m = W.shape[1]
    if W.shape[0] != k or dout.shape[0] != n or dout.shape[1] != m or dW.shape[0] != k or dW.shape[1] != m:
        raise ValueError("affine_backward: shapes do not match x (N,K), W (K,M), dout (N,M), dW (K,M)")
    if dx is not None and (dx.shape[0] != n or dx.shape[1] != k):
        raise ValueError("affine_backward: dx must have the shape of x")
    if db is not None and db.shape[0] != m:
        raise ValueError("affine_backward: db must have shape (M,)")
    # Zero-size arrays have no first element: their pointers are NULL and the core never reads them.
    cdef const floating* xp = &x[0, 0] if n and k else NULL
    cdef const floating* wp = &W[0, 0] if k and m else NULL
    cdef const floating* gp = &dout[0, 0] if n and m else NULL
    cdef floating* dxp = &dx[0, 0] if dx is not None and n and k else NULL
    cdef floating* dwp = &dW[0, 0] if k and m else NULL
    cdef floating* dbp = &db[0] if db is not None and m else NULL
    with nogil:
        affine_backward_core(xp, wp, gp, dxp, dwp, dbp, n, k, m, <floating>weight_decay_lambda)
