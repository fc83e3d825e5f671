# The layer kernels' C-level cores: `cdef inline ... noexcept nogil` on raw pointers, row-major.
# The def wrappers of _affine/_activation/_softmax/_batchnorm/_dropout.pyx and the network
# executor (_net.pyx) call these same functions, so there is one implementation of each formula.
# Callers check shapes; sizes here are trusted. Axis names: n rows (batch), k inputs, m/d features.
from cython cimport floating
from libc.math cimport exp, expf, log, sqrt, tanh, tanhf
from libc.stdint cimport uint8_t, uint64_t
from libc.string cimport memset
from cython.parallel cimport parallel, prange
from _blas cimport gemm, blas_int
from _split cimport split16, team

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
cdef inline void column_sum_range(const floating* a, floating* s, Py_ssize_t n, Py_ssize_t m,
                                  Py_ssize_t j0, Py_ssize_t j1) noexcept nogil:
    """s[j] := Σ_i a[i, j] for the columns [j0, j1) of the (n ≥ 1, m) matrix a, rows added in
    order (the order NumPy's sum(axis=0) uses)."""
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
    if db != NULL and n == 0:
        memset(db, 0, m * sizeof(floating))
    elif db != NULL:
        column_sum_range(dout, db, n, m, 0, m)


# ---- softmax with cross-entropy -----------------------------------------------------------------
cdef inline double softmax_xent_forward_sum(const floating* x, const label_t* t, floating* y,
                                            Py_ssize_t n, Py_ssize_t c) noexcept nogil:
    """y := softmax(x) by rows (max-shifted); returns −Σ log(y[i, t_i] + 1e-7) over these rows,
    in double."""
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
# Layout of the work. The rows are cut into at most BN_CHUNKS chunks of whole BN_BLOCK-row blocks
# (the cut depends on n only). A pass that reduces over rows (the forward's statistics, the
# backward's Σ dout and Σ dout·x̂) computes one partial result per chunk; the partials are then
# combined in chunk order, one column at a time; the element-wise passes (x̂ and out, dx) run
# chunk by chunk again. Threads take whole chunks (thread t the t-th share, in order), so the
# arithmetic and its order do not depend on the thread count: the same bits for any number of
# threads. Each thread streams whole contiguous rows.
#   Rows, not features: a thread that streams whole contiguous rows runs at the speed of memory;
# threads that each read half of every row were slower together than one thread alone. A thread
# runs the element-wise pass over its chunks in reverse order, so the chunk its reduction read
# last is reused from its L2. The passes run close to memory bandwidth; the measurements and the
# layouts tried and dropped are in benchmarks/README.md.
#
# Every inner loop is `for j in range(d)` over one or two rows and vectorises: gcc versions a loop
# for aliasing only up to 10 pointer-pair checks, so x̂ and out are written in two loops, not one.
# Statistics in one pass over memory, by blocks of BN_BLOCK rows: each block sums x − c and
# (x − c)² in the data's own precision, two rows per sweep over the columns (half the loads and
# stores of the block sums), c being the mean of the chunk's rows before it (the chunk's first
# row for its first block); its mean c + o and M2 = Σ(x − c)² − n_b·o² are then merged into the
# chunk's double totals with Chan et al.'s update (mean += δ·n_b/n, M2 += M2_b + δ²·n_a·n_b/n),
# and the chunks' totals into the batch's with the same update. Deviations are always taken from
# a nearby centre, so little cancels: float64 equals the book's two-pass formula to round-off, and
# float32 stays ~1e-7 relative to the exact statistics of its data, also with a mean far from 0.
# (One shift for all rows loses up to n·ε when the first row is an outlier; block means in float32
# lose digits when the mean is large next to the spread.)
cdef enum:
    BN_BLOCK = 16     # rows summed in the data's precision before they are merged in double
    BN_CHUNKS = 16    # at most this many row chunks (and threads) per batch-norm pass
    BN_SCRATCH = 5 * BN_CHUNKS + 4   # doubles of scratch per feature (rounded up to 16 features)


cdef inline Py_ssize_t bn_pad(Py_ssize_t d) noexcept nogil:
    """d rounded up to 16: the stride of the scratch's per-feature arrays (64-byte lines)."""
    return (d + 15) & ~(<Py_ssize_t>15)


cdef inline Py_ssize_t bn_scratch_doubles(Py_ssize_t d) noexcept nogil:
    """Doubles to allocate for the ``acc`` scratch of the bn_*_par functions (d features)."""
    return BN_SCRATCH * bn_pad(d) + 8


cdef inline double* bn_acc(double* buf) noexcept nogil:
    """The 64-byte aligned start of the scratch in ``buf``: with every array's stride a multiple
    of 16 features, no two threads' arrays share a cache line."""
    return <double*>((<size_t>buf + 63) & ~(<size_t>63))


cdef inline Py_ssize_t bn_chunk_rows(Py_ssize_t n) noexcept nogil:
    """Rows per chunk: n cut into at most BN_CHUNKS chunks of whole blocks."""
    cdef Py_ssize_t r = (n + BN_CHUNKS - 1) // BN_CHUNKS
    return (r + BN_BLOCK - 1) // BN_BLOCK * BN_BLOCK


cdef inline Py_ssize_t bn_n_chunks(Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t cr = bn_chunk_rows(n)
    return (n + cr - 1) // cr


# The scratch (dp = bn_pad(d) doubles per array): [0, BN_CHUNKS·dp) one partial per chunk (the
# mean, or Σ dout), [BN_CHUNKS·dp, 2·BN_CHUNKS·dp) the other (M2, or Σ dout·x̂), then one slot of
# 3·dp doubles per thread (its block sums), then the per-feature values of the element-wise pass
# in the data's precision, dp each: mu, sc, ga, be (forward) or fb, fg, coef (backward).
cdef inline double* bn_partials(double* acc, Py_ssize_t dp, int second) noexcept nogil:
    return acc + second * BN_CHUNKS * dp


cdef inline double* bn_slot(double* acc, Py_ssize_t dp, int t) noexcept nogil:
    return acc + (2 * BN_CHUNKS + 3 * t) * dp


cdef inline double* bn_values(double* acc, Py_ssize_t dp) noexcept nogil:
    return acc + 5 * BN_CHUNKS * dp


cdef inline void bn_stats_chunk(const floating* x, Py_ssize_t d, Py_ssize_t r0, Py_ssize_t r1,
                                double* mean, double* m2, floating* c, floating* bs,
                                floating* bq) noexcept nogil:
    """mean and M2 = Σ(x − mean)² of the rows [r0, r1), by blocks (see above); c, bs, bq are d
    values of scratch each."""
    cdef Py_ssize_t i, i0, i1, j
    cdef const floating* row = x + r0 * d
    cdef const floating* row2
    cdef floating t, u
    cdef double nb, inb, o, delta, wa, wb
    for j in range(d):
        c[j] = row[j]
    i0 = r0
    while i0 < r1:
        i1 = i0 + BN_BLOCK if r1 - i0 > BN_BLOCK else r1
        # two rows per sweep over the columns: half the loads and stores of bs and bq
        row = x + i0 * d
        if i1 - i0 >= 2:
            row2 = row + d
            for j in range(d):
                t = row[j] - c[j]
                u = row2[j] - c[j]
                bs[j] = t + u
                bq[j] = t * t + u * u
            i = i0 + 2
        else:
            for j in range(d):
                t = row[j] - c[j]
                bs[j] = t
                bq[j] = t * t
            i = i0 + 1
        while i + 1 < i1:
            row = x + i * d
            row2 = row + d
            for j in range(d):
                t = row[j] - c[j]
                u = row2[j] - c[j]
                bs[j] += t + u
                bq[j] += t * t + u * u
            i += 2
        if i < i1:
            row = x + i * d
            for j in range(d):
                t = row[j] - c[j]
                bs[j] += t
                bq[j] += t * t
        # the block's mean c + o and M2 = Σ(x − c)² − nb·o², merged into the totals (Chan et al.)
        nb = <double>(i1 - i0)
        inb = 1.0 / nb
        if i0 == r0:
            for j in range(d):
                o = bs[j] * inb
                mean[j] = c[j] + o
                m2[j] = bq[j] - nb * o * o
                c[j] = <floating>mean[j]
        else:
            wb = nb / (i1 - r0)
            wa = (i0 - r0) * wb
            for j in range(d):
                o = bs[j] * inb
                delta = (c[j] + o) - mean[j]
                mean[j] = mean[j] + delta * wb
                m2[j] = (bq[j] - nb * o * o) + (m2[j] + delta * delta * wa)
                c[j] = <floating>mean[j]
        i0 = i1


cdef inline void bn_forward_finish(const floating* gamma, const floating* beta, floating* running_mean,
                                   floating* running_var, double momentum, double eps, floating* inv_std,
                                   Py_ssize_t n, Py_ssize_t d, double* acc,
                                   Py_ssize_t j0, Py_ssize_t j1) noexcept nogil:
    """Columns [j0, j1): merges the chunks' mean and M2 in chunk order, then 1/σ, the running
    statistics and the float values the element-wise pass reads (mu, sc, ga, be)."""
    cdef Py_ssize_t k, j, dp = bn_pad(d), cr = bn_chunk_rows(n), nc = bn_n_chunks(n)
    cdef double* mean = bn_partials(acc, dp, 0)
    cdef double* m2 = bn_partials(acc, dp, 1)
    cdef floating* mu = <floating*>bn_values(acc, dp)
    cdef floating* sc = mu + dp
    cdef floating* ga = mu + 2 * dp
    cdef floating* be = mu + 3 * dp
    cdef double na, nb, wa, wb, delta, var
    for k in range(1, nc):  # into chunk 0's slots, in chunk order
        na = <double>(k * cr)
        nb = <double>((cr if n - k * cr > cr else n - k * cr))
        wb = nb / (na + nb)
        wa = na * wb
        for j in range(j0, j1):
            delta = mean[k * dp + j] - mean[j]
            mean[j] = mean[j] + delta * wb
            m2[j] = m2[j] + m2[k * dp + j] + delta * delta * wa
    for j in range(j0, j1):
        var = m2[j] / n
        sc[j] = <floating>(1.0 / sqrt(var + eps))
        mu[j] = <floating>mean[j]
        ga[j] = gamma[j]
        be[j] = beta[j]
        inv_std[j] = sc[j]
        running_mean[j] = <floating>(momentum * running_mean[j] + (1.0 - momentum) * mean[j])
        running_var[j] = <floating>(momentum * running_var[j] + (1.0 - momentum) * var)


cdef inline void bn_normalize_rows(const floating* x, floating* xn, floating* out, const floating* mu,
                                   const floating* sc, const floating* ga, const floating* be,
                                   Py_ssize_t d, Py_ssize_t r0, Py_ssize_t r1) noexcept nogil:
    """x̂ := (x − μ)·(1/σ) and out := γ·x̂ + β on the rows [r0, r1), in the data's precision."""
    cdef Py_ssize_t i, j
    cdef const floating* row
    cdef floating* xr
    cdef floating* orow
    for i in range(r0, r1):  # two loops with few pointers each: gcc vectorises both
        row = x + i * d
        xr = xn + i * d
        orow = out + i * d
        for j in range(d):
            xr[j] = (row[j] - mu[j]) * sc[j]
        for j in range(d):
            orow[j] = ga[j] * xr[j] + be[j]


cdef enum:
    BN_STATS = 0      # the passes of bn_rows
    BN_NORMALIZE = 1
    BN_SUMS = 2
    BN_DX = 3


cdef inline void bn_rows(int kind, const floating* a, floating* b, floating* c, Py_ssize_t n,
                         Py_ssize_t d, double* acc, int t, int threads) noexcept nogil:
    """Thread t's share of the chunks: their statistics of x = a (BN_STATS), x̂ = b and out = c
    from x = a (BN_NORMALIZE), their sums of dout = a and x̂ = b (BN_SUMS), or dx = c (BN_DX).
    The element-wise passes take the chunks in reverse order (see above)."""
    cdef Py_ssize_t dp = bn_pad(d), cr = bn_chunk_rows(n), nc = bn_n_chunks(n)
    cdef Py_ssize_t i, k, r0, r1, k0 = t * nc // threads, k1 = (t + 1) * nc // threads
    cdef floating* w = <floating*>bn_slot(acc, dp, t)
    cdef floating* f = <floating*>bn_values(acc, dp)
    cdef double* p0 = bn_partials(acc, dp, 0)
    cdef double* p1 = bn_partials(acc, dp, 1)
    for i in range(k1 - k0):
        k = k1 - 1 - i if kind == BN_NORMALIZE or kind == BN_DX else k0 + i
        r0 = k * cr
        r1 = r0 + cr if n - r0 > cr else n
        if kind == BN_STATS:
            bn_stats_chunk(a, d, r0, r1, p0 + k * dp, p1 + k * dp, w, w + dp, w + 2 * dp)
        elif kind == BN_NORMALIZE:
            bn_normalize_rows(a, b, c, f, f + dp, f + 2 * dp, f + 3 * dp, d, r0, r1)
        elif kind == BN_SUMS:
            bn_backward_sums_chunk(a, b, d, r0, r1, p0 + k * dp, p1 + k * dp, w, w + dp)
        else:
            bn_backward_dx_rows(a, b, c, f, f + dp, f + 2 * dp, n, d, r0, r1)


cdef inline int bn_threads(Py_ssize_t n, int threads) noexcept nogil:
    """Threads that get work: at most one per chunk."""
    cdef Py_ssize_t nc = bn_n_chunks(n)
    return threads if threads < nc else <int>nc


cdef inline void bn_forward_train_par(const floating* x, const floating* gamma, const floating* beta,
                                      floating* running_mean, floating* running_var, double momentum,
                                      double eps, floating* xn, floating* inv_std, floating* out,
                                      Py_ssize_t n, Py_ssize_t d, double* acc, int threads) noexcept nogil:
    """Train-mode forward: fills xn (x̂) and inv_std (1/σ), updates the running statistics.
    Two passes over x (statistics by chunks, then x̂ and out) on ``threads`` OpenMP threads;
    ``acc`` holds bn_scratch_doubles(d) doubles."""
    cdef int t
    acc = bn_acc(acc)
    threads = team(bn_threads(n, threads))
    if threads <= 1:
        bn_rows(BN_STATS, x, xn, out, n, d, acc, 0, 1)
        bn_forward_finish(gamma, beta, running_mean, running_var, momentum, eps, inv_std, n, d, acc, 0, d)
        bn_rows(BN_NORMALIZE, x, xn, out, n, d, acc, 0, 1)
        return
    with parallel(num_threads=threads):  # one team; each prange ends at a barrier
        for t in prange(threads, schedule="static"):
            bn_rows(BN_STATS, x, xn, out, n, d, acc, t, threads)
        for t in prange(threads, schedule="static"):
            bn_forward_finish(gamma, beta, running_mean, running_var, momentum, eps, inv_std, n, d, acc,
                              split16(d, t, threads), split16(d, t + 1, threads))
        for t in prange(threads, schedule="static"):
            bn_rows(BN_NORMALIZE, x, xn, out, n, d, acc, t, threads)


cdef inline void bn_forward_eval_rows(const floating* x, const floating* gamma, const floating* beta,
                                      const floating* running_mean, const double* inv, floating* out,
                                      Py_ssize_t d, Py_ssize_t r0, Py_ssize_t r1) noexcept nogil:
    """out := γ·(x − running_mean)·inv + β on the rows [r0, r1)."""
    cdef Py_ssize_t i, j
    for i in range(r0, r1):
        for j in range(d):
            out[i * d + j] = <floating>(gamma[j] * ((x[i * d + j] - running_mean[j]) * inv[j]) + beta[j])


cdef inline void bn_forward_eval_par(const floating* x, const floating* gamma, const floating* beta,
                                     const floating* running_mean, const floating* running_var,
                                     double eps, floating* out, Py_ssize_t n, Py_ssize_t d,
                                     double* inv, int threads) noexcept nogil:
    """out := γ·(x − running_mean)/√(running_var + eps) + β, the rows split between ``threads``
    (one formula per element: the same bits for any split); ``inv`` is d doubles of scratch."""
    cdef Py_ssize_t j
    cdef int t
    for j in range(d):
        inv[j] = 1.0 / sqrt(running_var[j] + eps)
    threads = team(threads)
    if threads <= 1 or n < 2 * threads:
        bn_forward_eval_rows(x, gamma, beta, running_mean, inv, out, d, 0, n)
        return
    for t in prange(threads, schedule="static", num_threads=threads):
        bn_forward_eval_rows(x, gamma, beta, running_mean, inv, out, d,
                             t * n // threads, (t + 1) * n // threads)


cdef inline void bn_backward_sums_chunk(const floating* dout, const floating* xn, Py_ssize_t d,
                                        Py_ssize_t r0, Py_ssize_t r1, double* sb, double* sg,
                                        floating* bb, floating* bg) noexcept nogil:
    """sb := Σ dout, sg := Σ dout·x̂ over the rows [r0, r1): blocks of BN_BLOCK rows summed in the
    data's precision (bb, bg: d values of scratch each), then added in double."""
    cdef Py_ssize_t i, i0, i1, j
    cdef const floating* gr
    cdef const floating* xr
    cdef const floating* gr2
    cdef const floating* xr2
    cdef floating g, h
    i0 = r0
    while i0 < r1:
        i1 = i0 + BN_BLOCK if r1 - i0 > BN_BLOCK else r1
        gr = dout + i0 * d  # two rows per sweep, as the statistics
        xr = xn + i0 * d
        if i1 - i0 >= 2:
            gr2 = gr + d
            xr2 = xr + d
            for j in range(d):
                g = gr[j]
                h = gr2[j]
                bb[j] = g + h
                bg[j] = g * xr[j] + h * xr2[j]
            i = i0 + 2
        else:
            for j in range(d):
                bb[j] = gr[j]
                bg[j] = gr[j] * xr[j]
            i = i0 + 1
        while i + 1 < i1:
            gr = dout + i * d
            xr = xn + i * d
            gr2 = gr + d
            xr2 = xr + d
            for j in range(d):
                g = gr[j]
                h = gr2[j]
                bb[j] += g + h
                bg[j] += g * xr[j] + h * xr2[j]
            i += 2
        if i < i1:
            gr = dout + i * d
            xr = xn + i * d
            for j in range(d):
                g = gr[j]
                bb[j] += g
                bg[j] += g * xr[j]
        if i0 == r0:
            for j in range(d):
                sb[j] = bb[j]
                sg[j] = bg[j]
        else:
            for j in range(d):
                sb[j] += bb[j]
                sg[j] += bg[j]
        i0 = i1


cdef inline void bn_backward_finish(const floating* gamma, const floating* inv_std, floating* dgamma,
                                    floating* dbeta, Py_ssize_t n, Py_ssize_t d, double* acc,
                                    Py_ssize_t j0, Py_ssize_t j1) noexcept nogil:
    """Columns [j0, j1): dβ and dγ as the chunks' sums added in chunk order, and the float values
    the element-wise pass reads (fb, fg, coef = γ/(σ·N))."""
    cdef Py_ssize_t k, j, dp = bn_pad(d), nc = bn_n_chunks(n)
    cdef double* sb = bn_partials(acc, dp, 0)
    cdef double* sg = bn_partials(acc, dp, 1)
    cdef floating* fb = <floating*>bn_values(acc, dp)
    cdef floating* fg = fb + dp
    cdef floating* coef = fb + 2 * dp
    for k in range(1, nc):
        for j in range(j0, j1):
            sb[j] += sb[k * dp + j]
            sg[j] += sg[k * dp + j]
    for j in range(j0, j1):
        fb[j] = <floating>sb[j]
        fg[j] = <floating>sg[j]
        dbeta[j] = fb[j]
        dgamma[j] = fg[j]
        coef[j] = <floating>(gamma[j] * inv_std[j] / n)


cdef inline void bn_backward_dx_rows(const floating* dout, const floating* xn, floating* dx,
                                     const floating* fb, const floating* fg, const floating* coef,
                                     Py_ssize_t n, Py_ssize_t d, Py_ssize_t r0, Py_ssize_t r1) noexcept nogil:
    """dx = (γ/σ)/N·(N·dout − dβ − x̂·dγ) on the rows [r0, r1), in the data's precision."""
    cdef Py_ssize_t i, j
    cdef floating fn = <floating>n
    cdef const floating* gr
    cdef const floating* xr
    cdef floating* dr
    for i in range(r0, r1):
        gr = dout + i * d
        xr = xn + i * d
        dr = dx + i * d
        for j in range(d):
            dr[j] = coef[j] * (fn * gr[j] - fb[j] - xr[j] * fg[j])


cdef inline void bn_backward_par(const floating* dout, const floating* xn, const floating* gamma,
                                 const floating* inv_std, floating* dx, floating* dgamma, floating* dbeta,
                                 Py_ssize_t n, Py_ssize_t d, double* acc, int threads) noexcept nogil:
    """dβ = Σ dout, dγ = Σ dout·x̂, then dx = (γ/σ)/N·(N·dout − dβ − x̂·dγ), the book's chain of
    steps in closed form; chunks and threads as the forward. ``acc`` holds bn_scratch_doubles(d)
    doubles; dx may be dout."""
    cdef int t
    acc = bn_acc(acc)
    threads = team(bn_threads(n, threads))
    if threads <= 1:
        bn_rows(BN_SUMS, dout, <floating*>xn, dx, n, d, acc, 0, 1)
        bn_backward_finish(gamma, inv_std, dgamma, dbeta, n, d, acc, 0, d)
        bn_rows(BN_DX, dout, <floating*>xn, dx, n, d, acc, 0, 1)
        return
    with parallel(num_threads=threads):
        for t in prange(threads, schedule="static"):
            bn_rows(BN_SUMS, dout, <floating*>xn, dx, n, d, acc, t, threads)
        for t in prange(threads, schedule="static"):
            bn_backward_finish(gamma, inv_std, dgamma, dbeta, n, d, acc,
                               split16(d, t, threads), split16(d, t + 1, threads))
        for t in prange(threads, schedule="static"):
            bn_rows(BN_DX, dout, <floating*>xn, dx, n, d, acc, t, threads)


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
