"""Batch normalization kernels on (N, D) row-major data, the book's formulas (see _core.pxd):
train forward in two passes (shifted sums, then x̂ and out), eval forward in one, backward in
two. Statistics accumulate in double (blocks of rows in the data's precision)."""
from cython cimport floating
from libc.stdlib cimport malloc, free
from _core cimport bn_forward_train_par, bn_forward_eval_par, bn_backward_par, bn_scratch_doubles


def batchnorm_forward_train(const floating[:, ::1] x, const floating[::1] gamma,
                            const floating[::1] beta, floating[::1] running_mean,
                            floating[::1] running_var, double momentum, double eps,
                            floating[:, ::1] xn, floating[::1] inv_std, floating[:, ::1] out,
                            int n_threads=1):
    """Train-mode forward; fills xn (x̂) and inv_std (1/σ) for the backward, updates running stats.
    ``n_threads`` > 1 splits the rows between OpenMP threads (the same bits for any count)."""
    cdef Py_ssize_t n = x.shape[0], d = x.shape[1]
    cdef double* acc
    if (gamma.shape[0] != d or beta.shape[0] != d or running_mean.shape[0] != d
            or running_var.shape[0] != d or inv_std.shape[0] != d
            or xn.shape[0] != n or xn.shape[1] != d or out.shape[0] != n or out.shape[1] != d):
        raise ValueError("batchnorm_forward_train: x (N,D), per-feature (D,) and outputs (N,D) do not match")
    if n == 0 or d == 0:
        raise ValueError("batchnorm_forward_train: empty batch")
    acc = <double*>malloc(bn_scratch_doubles(d) * sizeof(double))
    if acc == NULL:
        raise MemoryError()
    with nogil:
        bn_forward_train_par(&x[0, 0], &gamma[0], &beta[0], &running_mean[0], &running_var[0],
                             momentum, eps, &xn[0, 0], &inv_std[0], &out[0, 0], n, d, acc, n_threads)
    free(acc)


def batchnorm_forward_eval(const floating[:, ::1] x, const floating[::1] gamma,
                           const floating[::1] beta, const floating[::1] running_mean,
                           const floating[::1] running_var, double eps, floating[:, ::1] out,
                           int n_threads=1):
    """Eval-mode forward: out := γ·(x − running_mean)/√(running_var + eps) + β, one pass."""
    cdef Py_ssize_t n = x.shape[0], d = x.shape[1]
    cdef double* inv
    if (gamma.shape[0] != d or beta.shape[0] != d or running_mean.shape[0] != d
            or running_var.shape[0] != d or out.shape[0] != n or out.shape[1] != d):
        raise ValueError("batchnorm_forward_eval: x (N,D), per-feature (D,) and out (N,D) do not match")
    if n == 0 or d == 0:
        return
    inv = <double*>malloc(d * sizeof(double))
    if inv == NULL:
        raise MemoryError()
    with nogil:
        bn_forward_eval_par(&x[0, 0], &gamma[0], &beta[0], &running_mean[0], &running_var[0], eps,
                            &out[0, 0], n, d, inv, n_threads)
    free(inv)


def batchnorm_backward(const floating[:, ::1] dout, const floating[:, ::1] xn,
                       const floating[::1] gamma, const floating[::1] inv_std,
                       floating[:, ::1] dx, floating[::1] dgamma, floating[::1] dbeta, int n_threads=1):
    """dx, dγ, dβ from the train forward's x̂ and 1/σ."""
    cdef Py_ssize_t n = dout.shape[0], d = dout.shape[1]
    cdef double* acc
    if (xn.shape[0] != n or xn.shape[1] != d or dx.shape[0] != n or dx.shape[1] != d
            or gamma.shape[0] != d or inv_std.shape[0] != d or dgamma.shape[0] != d
            or dbeta.shape[0] != d):
        raise ValueError("batchnorm_backward: dout, xn, dx (N,D) and per-feature (D,) do not match")
    if n == 0 or d == 0:
        raise ValueError("batchnorm_backward: empty batch")
    acc = <double*>malloc(bn_scratch_doubles(d) * sizeof(double))
    if acc == NULL:
        raise MemoryError()
    with nogil:
        bn_backward_par(&dout[0, 0], &xn[0, 0], &gamma[0], &inv_std[0], &dx[0, 0], &dgamma[0],
                        &dbeta[0], n, d, acc, n_threads)
    free(acc)
