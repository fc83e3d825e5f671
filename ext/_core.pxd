# The layer kernels' C-level cores: `cdef inline ... noexcept nogil` on raw pointers, row-major.
# The def wrappers of _affine/_activation/_softmax/_batchnorm/_dropout.pyx and the network
# executor (_net.pyx) call these same functions, so there is one implementation of each formula.
# Callers check shapes; sizes here are trusted. Axis names: n rows (batch), k inputs, m/d features.
from cython cimport floating
from libc.math cimport exp, expf, log, sqrt, tanh, tanhf
from libc.stdint cimport uint8_t, uint64_t
from libc.string cimport memset
from cython.parallel cimport prange
from _blas cimport gemm, blas_int

cdef enum Activation:
    IDENTITY = 0
    RELU = 1
    SIGMOID = 2
    TANH = 3

ctypedef fused label_t:
    int
    long
    long long


# ---- activations: every backward is written in terms of the forward *output* y ------------------
cdef inline floating act_forward(floating a, int code) noexcept nogil:
    if code == RELU:
        return 0 if a <= 0 else a  # NaN passes through, as in the book (out[x <= 0] = 0)
    if code == SIGMOID:
        if floating is float:
            return 1.0 / (1.0 + expf(-a))
        else:
            return 1.0 / (1.0 + exp(-a))
    if code == TANH:
        if floating is float:
            return tanhf(a)
        else:
            return tanh(a)
    return a


cdef inline floating act_backward(floating y, floating dy, int code) noexcept nogil:
    if code == RELU:
        return 0 if y <= 0 else dy
    if code == SIGMOID:
        return dy * (1 - y) * y
    if code == TANH:
        return dy * (1 - y * y)
    return dy


cdef inline void act_forward_all(const floating* x, floating* out, Py_ssize_t size, int code) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(size):
        out[i] = act_forward(x[i], code)


cdef inline void act_backward_rows(const floating* y, const floating* dy, floating* dx, floating* db,
                                   Py_ssize_t n, Py_ssize_t m, int code) noexcept nogil:
    """dx := act'(y)·dy (dx may be dy); db := Σ_rows dx in the same pass when db is not NULL."""
    cdef Py_ssize_t i, j
    cdef floating v
    if db == NULL:
        for i in range(n * m):
            dx[i] = act_backward(y[i], dy[i], code)
        return
    for j in range(m):
        v = act_backward(y[j], dy[j], code)
        dx[j] = v
        db[j] = v
    for i in range(1, n):
        for j in range(m):
            v = act_backward(y[i * m + j], dy[i * m + j], code)
            dx[i * m + j] = v
            db[j] = db[j] + v


# ---- affine -------------------------------------------------------------------------------------
cdef inline void column_sum(const floating* a, floating* s, Py_ssize_t n, Py_ssize_t m) noexcept nogil:
    """s[j] := Σ_i a[i, j], rows added in order (the order NumPy's sum(axis=0) uses)."""
    cdef Py_ssize_t i, j
    if n == 0:
        memset(s, 0, m * sizeof(floating))
        return
    for j in range(m):
        s[j] = a[j]
    for i in range(1, n):
        for j in range(m):
            s[j] = s[j] + a[i * m + j]


cdef inline void column_sum_range(const floating* a, floating* s, Py_ssize_t n, Py_ssize_t m,
                                  Py_ssize_t j0, Py_ssize_t j1) noexcept nogil:
    """column_sum of the columns [j0, j1) of the (n, m) matrix a, into s[j0:j1] (same order)."""
    cdef Py_ssize_t i, j
    for j in range(j0, j1):
        s[j] = a[j]
    for i in range(1, n):
        for j in range(j0, j1):
            s[j] = s[j] + a[i * m + j]


cdef inline void affine_forward_core(const floating* x, const floating* W, const floating* b, floating* out,
                                     Py_ssize_t n, Py_ssize_t k, Py_ssize_t m, int code) noexcept nogil:
    """out := act(x·W + b): the GEMM, then one epilogue pass adds the bias and applies act."""
    cdef Py_ssize_t i, j
    cdef floating* row
    if n == 0 or m == 0:
        return
    if k == 0:
        memset(out, 0, n * m * sizeof(floating))
    else:
        gemm(False, False, <blas_int>n, <blas_int>m, <blas_int>k, <floating>1.0, x, <blas_int>k,
             W, <blas_int>m, <floating>0.0, out, <blas_int>m)
    for i in range(n):
        row = out + i * m
        if code == IDENTITY:
            for j in range(m):
                row[j] = row[j] + b[j]
        else:
            for j in range(m):
                row[j] = act_forward(row[j] + b[j], code)


cdef inline void affine_backward_core(const floating* x, const floating* W, const floating* dout,
                                      floating* dx, floating* dW, floating* db,
                                      Py_ssize_t n, Py_ssize_t k, Py_ssize_t m, floating lam) noexcept nogil:
    """dx := dout·Wᵀ (skipped if NULL), dW := xᵀ·dout + λW, db := Σ dout (skipped if NULL)."""
    cdef Py_ssize_t i
    if m == 0:  # dout has no columns: dx = dout·Wᵀ is zero, dW and db are empty
        if dx != NULL:
            memset(dx, 0, n * k * sizeof(floating))
        return
    if k > 0:
        # dW := λ·W first, then the GEMM accumulates into it (beta = 1): L2 costs no extra pass.
        if lam != 0:
            for i in range(k * m):
                dW[i] = lam * W[i]
        if n == 0:
            if lam == 0:
                memset(dW, 0, k * m * sizeof(floating))
        else:
            gemm(True, False, <blas_int>k, <blas_int>m, <blas_int>n, <floating>1.0, x, <blas_int>k,
                 dout, <blas_int>m, <floating>(1.0 if lam != 0 else 0.0), dW, <blas_int>m)
            if dx != NULL:
                gemm(False, True, <blas_int>n, <blas_int>k, <blas_int>m, <floating>1.0, dout, <blas_int>m,
                     W, <blas_int>m, <floating>0.0, dx, <blas_int>k)
    if db != NULL:
        column_sum(dout, db, n, m)


# ---- softmax with cross-entropy -----------------------------------------------------------------
cdef inline double softmax_xent_forward_core(const floating* x, const label_t* t, floating* y,
                                             Py_ssize_t n, Py_ssize_t c) noexcept nogil:
    """y := softmax(x) by rows (max-shifted); returns −(1/n)·Σ log(y[i, t_i] + 1e-7), in double."""
    return softmax_xent_forward_sum(x, t, y, n, c) / n


cdef inline double softmax_xent_forward_sum(const floating* x, const label_t* t, floating* y,
                                            Py_ssize_t n, Py_ssize_t c) noexcept nogil:
    """softmax_xent_forward_core without the 1/n: −Σ log(y[i, t_i] + 1e-7) over these rows."""
    cdef Py_ssize_t i, j
    cdef double loss = 0.0, s
    cdef floating mx, e
    cdef const floating* xr
    cdef floating* yr
    for i in range(n):
        xr = x + i * c
        yr = y + i * c
        mx = xr[0]
        for j in range(1, c):
            if xr[j] > mx:
                mx = xr[j]
        s = 0.0
        for j in range(c):
            if floating is float:
                e = expf(xr[j] - mx)
            else:
                e = exp(xr[j] - mx)
            yr[j] = e
            s += e
        for j in range(c):
            yr[j] = <floating>(yr[j] / s)
        loss -= log(yr[t[i]] + 1e-7)
    return loss


cdef inline void softmax_xent_backward_core(const floating* y, const label_t* t, floating* dx,
                                            Py_ssize_t n, Py_ssize_t c, floating scale) noexcept nogil:
    """dx := (y − onehot(t))·scale."""
    cdef Py_ssize_t i, j
    for i in range(n):
        for j in range(c):
            dx[i * c + j] = (y[i * c + j] - (1 if j == t[i] else 0)) * scale


# ---- batch normalization (the book's: biased variance, running = m·running + (1 − m)·batch) ------
# Each core works on the columns [j0, j1) of (n, d) data, so that threads can split the features
# between them (every column is independent); one call with (0, d) does everything. Rows are read
# whole and in order: walking a (1024, 1024) float32 batch by L2-sized chunks of columns, to reuse
# each chunk from L2, was about 2x slower (rows 4 KiB apart share a few cache sets, and the
# prefetchers do not follow a stride of one page).
#
# Every inner loop is `for j in range(w)` over one row's columns and vectorises (checked with
# -fopt-info-vec): gcc versions a loop for aliasing only up to 10 pointer-pair checks, so the old
# last forward pass (7 pointers in one loop) ran scalar: over half of the old forward's samples.
# Statistics in one pass over memory, by blocks of BN_BLOCK rows: each block sums x − c and
# (x − c)² in the data's own precision (4 float32 lanes per SSE register), c being the mean of
# the rows before it (the first row for the first block); its mean c + o and M2 = Σ(x − c)² − n_b·o²
# are then merged into double totals with Chan et al.'s update (mean += δ·n_b/n,
# M2 += M2_b + δ²·n_a·n_b/n). Deviations are always taken from a nearby centre, so little cancels:
# float64 equals the book's two-pass formula to round-off, and float32 stays ~1e-7 relative to the
# exact statistics of its data, also with a mean far from 0. (Tried and dropped: one shift for all
# rows, Σ(x − K), Σ(x − K)² with K the first row — loses up to n·ε when that row is an outlier;
# block means in float32 — lose digits when the mean is large next to the spread.)
# Per column the arithmetic and its order do not depend on the thread split, so results are the
# same for any thread count.
cdef enum:
    BN_BLOCK = 16     # rows summed in the data's precision before they are merged in double
    BN_SCRATCH = 10   # doubles of scratch per feature that bn_*_core need in ``acc``


cdef inline void bn_forward_train_core(const floating* x, const floating* gamma, const floating* beta,
                                       floating* running_mean, floating* running_var, double momentum,
                                       double eps, floating* xn, floating* inv_std, floating* out,
                                       Py_ssize_t n, Py_ssize_t d, double* acc,
                                       Py_ssize_t j0, Py_ssize_t j1) noexcept nogil:
    """Two passes: the statistics by blocks (see above), then x̂ and out in the data's
    precision. ``acc`` is BN_SCRATCH·d doubles."""
    cdef Py_ssize_t i, i0, i1, j, w = j1 - j0
    cdef double* mean = acc + j0
    cdef double* m2 = acc + d + j0      # Σ (x − mean)² of the rows so far
    cdef floating* f = <floating*>(acc + 2 * d)
    cdef floating* c = f + j0            # a block's centre: the first row, then the mean so far
    cdef floating* bs = f + d + j0       # a block's Σ (x − c) and Σ (x − c)²
    cdef floating* bq = f + 2 * d + j0
    cdef floating* mu = f + 3 * d + j0   # per-feature values of the last pass
    cdef floating* sc = f + 4 * d + j0
    cdef floating* ga = f + 5 * d + j0
    cdef floating* be = f + 6 * d + j0
    cdef const floating* row
    cdef floating* xr
    cdef floating* orow
    cdef floating t
    cdef double nb, o, delta, var, wa, wb
    row = x + j0
    for j in range(w):
        c[j] = row[j]
    i0 = 0
    while i0 < n:
        i1 = i0 + BN_BLOCK if n - i0 > BN_BLOCK else n
        row = x + i0 * d + j0
        for j in range(w):
            t = row[j] - c[j]
            bs[j] = t
            bq[j] = t * t
        for i in range(i0 + 1, i1):
            row = x + i * d + j0
            for j in range(w):
                t = row[j] - c[j]
                bs[j] += t
                bq[j] += t * t
        # the block's mean c + o and M2 = Σ(x − c)² − nb·o², merged into the totals (Chan et al.)
        nb = <double>(i1 - i0)
        wb = nb / i1
        wa = i0 * wb
        for j in range(w):
            o = bs[j] / nb
            delta = (c[j] + o) - mean[j] if i0 else 0.0
            mean[j] = (c[j] + o) if i0 == 0 else mean[j] + delta * wb
            m2[j] = (bq[j] - nb * o * o) + (m2[j] + delta * delta * wa if i0 else 0.0)
            c[j] = <floating>mean[j]
        i0 = i1
    for j in range(w):
        var = m2[j] / n
        sc[j] = <floating>(1.0 / sqrt(var + eps))
        mu[j] = <floating>mean[j]
        ga[j] = gamma[j0 + j]
        be[j] = beta[j0 + j]
        inv_std[j0 + j] = sc[j]
        running_mean[j0 + j] = <floating>(momentum * running_mean[j0 + j] + (1.0 - momentum) * mean[j])
        running_var[j0 + j] = <floating>(momentum * running_var[j0 + j] + (1.0 - momentum) * var)
    for i in range(n):  # two loops with few pointers each: gcc vectorises both (one with all
        row = x + i * d + j0  # seven needed more runtime alias checks than it makes and ran scalar)
        xr = xn + i * d + j0
        orow = out + i * d + j0
        for j in range(w):
            xr[j] = (row[j] - mu[j]) * sc[j]
        for j in range(w):
            orow[j] = ga[j] * xr[j] + be[j]


cdef inline void bn_forward_eval_core(const floating* x, const floating* gamma, const floating* beta,
                                      const floating* running_mean, const floating* running_var,
                                      double eps, floating* out, Py_ssize_t n, Py_ssize_t d,
                                      double* inv, Py_ssize_t j0, Py_ssize_t j1) noexcept nogil:
    """out := γ·(x − running_mean)/√(running_var + eps) + β; ``inv`` is d doubles of scratch."""
    cdef Py_ssize_t i, j
    for j in range(j0, j1):
        inv[j] = 1.0 / sqrt(running_var[j] + eps)
    for i in range(n):
        for j in range(j0, j1):
            out[i * d + j] = <floating>(gamma[j] * ((x[i * d + j] - running_mean[j]) * inv[j]) + beta[j])


cdef inline void bn_backward_core(const floating* dout, const floating* xn, const floating* gamma,
                                  const floating* inv_std, floating* dx, floating* dgamma, floating* dbeta,
                                  Py_ssize_t n, Py_ssize_t d, double* acc,
                                  Py_ssize_t j0, Py_ssize_t j1) noexcept nogil:
    """Two passes: dβ = Σ dout, dγ = Σ dout·x̂ (blocks of BN_BLOCK rows, then double); then
    dx = (γ/σ)/N·(N·dout − dβ − x̂·dγ), the book's chain of steps in closed form.
    ``acc`` is BN_SCRATCH·d doubles; dx may be dout."""
    cdef Py_ssize_t i, i0, i1, j, w = j1 - j0
    cdef double* sb = acc + j0
    cdef double* sg = acc + d + j0
    cdef floating* f = <floating*>(acc + 2 * d)
    cdef floating* bb = f + j0
    cdef floating* bg = f + d + j0
    cdef floating* coef = f + 2 * d + j0
    cdef floating* fb = f + 3 * d + j0
    cdef floating* fg = f + 4 * d + j0
    cdef floating g, fn = <floating>n
    cdef const floating* gr
    cdef const floating* xr
    cdef floating* dr
    for j in range(w):
        sb[j] = 0.0
        sg[j] = 0.0
    i0 = 0
    while i0 < n:
        i1 = i0 + BN_BLOCK if n - i0 > BN_BLOCK else n
        gr = dout + i0 * d + j0
        xr = xn + i0 * d + j0
        for j in range(w):
            bb[j] = gr[j]
            bg[j] = gr[j] * xr[j]
        for i in range(i0 + 1, i1):
            gr = dout + i * d + j0
            xr = xn + i * d + j0
            for j in range(w):
                g = gr[j]
                bb[j] += g
                bg[j] += g * xr[j]
        for j in range(w):
            sb[j] += bb[j]
            sg[j] += bg[j]
        i0 = i1
    for j in range(w):
        fb[j] = <floating>sb[j]
        fg[j] = <floating>sg[j]
        dbeta[j0 + j] = fb[j]
        dgamma[j0 + j] = fg[j]
        coef[j] = <floating>(gamma[j0 + j] * inv_std[j0 + j] / n)
    for i in range(n):  # in the data's precision, as the forward's last pass
        gr = dout + i * d + j0
        xr = xn + i * d + j0
        dr = dx + i * d + j0
        for j in range(w):
            dr[j] = coef[j] * (fn * gr[j] - fb[j] - xr[j] * fg[j])


cdef inline Py_ssize_t bn_split(Py_ssize_t d, int t, int threads) noexcept nogil:
    """Thread t's first column: an even split rounded down to 16 columns (64-byte lines)."""
    if t >= threads:
        return d
    return (t * d // threads) & ~(<Py_ssize_t>15)


cdef inline void bn_forward_train_par(const floating* x, const floating* gamma, const floating* beta,
                                      floating* running_mean, floating* running_var, double momentum,
                                      double eps, floating* xn, floating* inv_std, floating* out,
                                      Py_ssize_t n, Py_ssize_t d, double* acc, int threads) noexcept nogil:
    """bn_forward_train_core with the features split over ``threads`` OpenMP threads."""
    cdef int t
    if threads <= 1 or d < 16 * threads:
        bn_forward_train_core(x, gamma, beta, running_mean, running_var, momentum, eps, xn, inv_std, out,
                              n, d, acc, 0, d)
        return
    for t in prange(threads, schedule="static", num_threads=threads):
        bn_forward_train_core(x, gamma, beta, running_mean, running_var, momentum, eps, xn, inv_std, out,
                              n, d, acc, bn_split(d, t, threads), bn_split(d, t + 1, threads))


cdef inline void bn_forward_eval_par(const floating* x, const floating* gamma, const floating* beta,
                                     const floating* running_mean, const floating* running_var,
                                     double eps, floating* out, Py_ssize_t n, Py_ssize_t d,
                                     double* inv, int threads) noexcept nogil:
    cdef int t
    if threads <= 1 or d < threads:
        bn_forward_eval_core(x, gamma, beta, running_mean, running_var, eps, out, n, d, inv, 0, d)
        return
    for t in prange(threads, schedule="static", num_threads=threads):
        bn_forward_eval_core(x, gamma, beta, running_mean, running_var, eps, out, n, d, inv,
                             t * d // threads, (t + 1) * d // threads)


cdef inline void bn_backward_par(const floating* dout, const floating* xn, const floating* gamma,
                                 const floating* inv_std, floating* dx, floating* dgamma, floating* dbeta,
                                 Py_ssize_t n, Py_ssize_t d, double* acc, int threads) noexcept nogil:
    cdef int t
    if threads <= 1 or d < 16 * threads:
        bn_backward_core(dout, xn, gamma, inv_std, dx, dgamma, dbeta, n, d, acc, 0, d)
        return
    for t in prange(threads, schedule="static", num_threads=threads):
        bn_backward_core(dout, xn, gamma, inv_std, dx, dgamma, dbeta, n, d, acc,
                         bn_split(d, t, threads), bn_split(d, t + 1, threads))


# ---- dropout: a counter-based stream, u_i = splitmix64(key + (counter + i + 1)·φ) >> 11 · 2⁻⁵³ ----
cdef inline double dropout_uniform(uint64_t key, uint64_t index) noexcept nogil:
    cdef uint64_t z = key + (index + 1) * <uint64_t>0x9E3779B97F4A7C15ULL
    z = (z ^ (z >> 30)) * <uint64_t>0xBF58476D1CE4E5B9ULL
    z = (z ^ (z >> 27)) * <uint64_t>0x94D049BB133111EBULL
    z = z ^ (z >> 31)
    return (z >> 11) * (1.0 / 9007199254740992.0)


cdef inline void dropout_forward_core(const floating* x, double ratio, uint64_t key, uint64_t counter,
                                      uint8_t* mask, floating* out, Py_ssize_t size) noexcept nogil:
    """mask := u > ratio; out := x·mask (a product, as the book's x * mask: NaN stays NaN)."""
    cdef Py_ssize_t i
    cdef uint8_t keep
    for i in range(size):
        keep = dropout_uniform(key, counter + <uint64_t>i) > ratio
        mask[i] = keep
        out[i] = x[i] * keep


cdef inline void dropout_backward_core(const floating* dout, const uint8_t* mask, floating* dx,
                                       Py_ssize_t size) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(size):
        dx[i] = dout[i] * mask[i]
