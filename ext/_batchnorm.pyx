"""Batch normalization kernels on (N, D) row-major data, the book's formulas.

Train forward: μ = mean_N(x), σ² = mean_N((x − μ)²) (biased, as the book), x̂ = (x − μ)/√(σ² + eps),
out = γ·x̂ + β, running_mean := m·running_mean + (1 − m)·μ (same for the variance; the book's
momentum 0.9 and eps 1e-6 are the caller's defaults). Three passes: mean, variance (two-pass,
so float64 matches the book to round-off), then x̂ and out together. Column sums go to double
accumulators, one row at a time, so the inner loop is contiguous.
Backward in two passes: dβ = Σ dout, dγ = Σ dout·x̂; then
dx = (γ/σ)/N · (N·dout − dβ − x̂·dγ), the book's chain of steps in closed form.
"""
from cython cimport floating
from libc.math cimport sqrt
from libc.stdlib cimport malloc, free


cdef int _column_mean_var(const floating* x, Py_ssize_t n, Py_ssize_t d,
                          double* mean, double* var) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef const floating* row
    cdef double diff
    for j in range(d):
        mean[j] = 0.0
        var[j] = 0.0
    for i in range(n):
        row = x + i * d
        for j in range(d):
            mean[j] += row[j]
    for j in range(d):
        mean[j] /= n
    for i in range(n):
        row = x + i * d
        for j in range(d):
            diff = row[j] - mean[j]
            var[j] += diff * diff
    for j in range(d):
        var[j] /= n
    return 0


def batchnorm_forward_train(const floating[:, ::1] x, const floating[::1] gamma,
                            const floating[::1] beta, floating[::1] running_mean,
                            floating[::1] running_var, double momentum, double eps,
                            floating[:, ::1] xn, floating[::1] inv_std, floating[:, ::1] out):
    """Train-mode forward; fills xn (x̂) and inv_std (1/σ) for the backward, updates running stats."""
    cdef Py_ssize_t n = x.shape[0], d = x.shape[1], i, j
    cdef double* mean
    cdef double* var
    cdef floating* xr
    cdef floating* orow
    cdef const floating* row
    cdef floating mu, s, g, b
    if (gamma.shape[0] != d or beta.shape[0] != d or running_mean.shape[0] != d
            or running_var.shape[0] != d or inv_std.shape[0] != d
            or xn.shape[0] != n or xn.shape[1] != d or out.shape[0] != n or out.shape[1] != d):
        raise ValueError("batchnorm_forward_train: x (N,D), per-feature (D,) and outputs (N,D) do not match")
    if n == 0 or d == 0:
        raise ValueError("batchnorm_forward_train: empty batch")
    mean = <double*>malloc(2 * d * sizeof(double))
    if mean == NULL:
        raise MemoryError()
    var = mean + d
    with nogil:
        _column_mean_var(&x[0, 0], n, d, mean, var)
        for j in range(d):
            inv_std[j] = <floating>(1.0 / sqrt(var[j] + eps))
            running_mean[j] = <floating>(momentum * running_mean[j] + (1.0 - momentum) * mean[j])
            running_var[j] = <floating>(momentum * running_var[j] + (1.0 - momentum) * var[j])
        for i in range(n):
            row = &x[i, 0]
            xr = &xn[i, 0]
            orow = &out[i, 0]
            for j in range(d):
                xr[j] = <floating>((row[j] - mean[j]) * inv_std[j])
                orow[j] = gamma[j] * xr[j] + beta[j]
    free(mean)


def batchnorm_forward_eval(const floating[:, ::1] x, const floating[::1] gamma,
                           const floating[::1] beta, const floating[::1] running_mean,
                           const floating[::1] running_var, double eps, floating[:, ::1] out):
    """Eval-mode forward: out := γ·(x − running_mean)/√(running_var + eps) + β, one pass."""
    cdef Py_ssize_t n = x.shape[0], d = x.shape[1], i, j
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
        for j in range(d):
            inv[j] = 1.0 / sqrt(running_var[j] + eps)
        for i in range(n):
            for j in range(d):
                out[i, j] = <floating>(gamma[j] * ((x[i, j] - running_mean[j]) * inv[j]) + beta[j])
    free(inv)


def batchnorm_backward(const floating[:, ::1] dout, const floating[:, ::1] xn,
                       const floating[::1] gamma, const floating[::1] inv_std,
                       floating[:, ::1] dx, floating[::1] dgamma, floating[::1] dbeta):
    """dx, dγ, dβ from the train forward's x̂ and 1/σ."""
    cdef Py_ssize_t n = dout.shape[0], d = dout.shape[1], i, j
    cdef double* acc
    cdef double* coef
    cdef const floating* gr
    cdef const floating* xr
    cdef floating* dr
    if (xn.shape[0] != n or xn.shape[1] != d or dx.shape[0] != n or dx.shape[1] != d
            or gamma.shape[0] != d or inv_std.shape[0] != d or dgamma.shape[0] != d
            or dbeta.shape[0] != d):
        raise ValueError("batchnorm_backward: dout, xn, dx (N,D) and per-feature (D,) do not match")
    if n == 0 or d == 0:
        raise ValueError("batchnorm_backward: empty batch")
    acc = <double*>malloc(3 * d * sizeof(double))
    if acc == NULL:
        raise MemoryError()
    coef = acc + 2 * d
    with nogil:
        for j in range(2 * d):
            acc[j] = 0.0
        for i in range(n):
            gr = &dout[i, 0]
            xr = &xn[i, 0]
            for j in range(d):
                acc[j] += gr[j]
                acc[d + j] += gr[j] * xr[j]
        for j in range(d):
            dbeta[j] = <floating>acc[j]
            dgamma[j] = <floating>acc[d + j]
            coef[j] = gamma[j] * inv_std[j] / n
        for i in range(n):
            gr = &dout[i, 0]
            xr = &xn[i, 0]
            dr = &dx[i, 0]
            for j in range(d):
                dr[j] = <floating>(coef[j] * (n * gr[j] - acc[j] - xr[j] * acc[d + j]))
    free(acc)
