"""Optimizer steps: in place, one pass over flat 1-D buffers, no temporaries, the book's formulas.

Each step takes the parameter p, the gradient g and the state buffers, all of one length and dtype.
``weight_decay`` folds an L2 term into the gradient on the fly (g + wd·p) without writing it.
Scalars that change per step (Adam's bias-corrected lr_t) are computed by the caller.
``n_threads`` > 1 splits the buffer over OpenMP threads (static schedule); element i is always
computed by the same formula, so results do not depend on the thread count.

How a step runs: the def wrapper checks the buffers, then each thread calls optim_step_f32/_f64
on its own contiguous chunk (split at multiples of 16 elements). Those two functions are the only
entry points to the element loops (the fused ``*_core`` functions below, inlined into them), and
on x86-64 Linux with gcc they are compiled twice — for AVX2 and for the baseline x86-64 (SSE2) —
and the dynamic loader picks the clone the CPU supports when the module loads (gcc
``target_clones``, an ifunc; see the C block below). Wheels therefore still run on any x86-64.
No FMA clone: contracting a·b + c into one rounding would make the bits depend on the CPU;
AVX2 without FMA computes every element with the same IEEE operations as SSE2, so results are
bit-identical on every machine. (A prange over memoryviews, as before, vectorised only to SSE2
and made each loop temporary lastprivate.)
"""
from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport sqrt, sqrtf
from _split cimport split16, team

cdef double BOOK_EPS = 1e-7  # AdaGrad, RMSprop and Adam add 1e-7 outside the square root

# TL_CLONES: gcc's function multiversioning, only where it works (glibc's ifunc, x86-64, gcc;
# clang, MSVC, macOS, aarch64 and musl get one plain build). The declarations give the two
# `cdef public` functions below (their C names are their Cython names) the attribute; gcc merges
# it into their definitions.
cdef extern from *:
    """
    #if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__) \\
        && !defined(TRAINLAB_NO_CLONES)
    #define TL_CLONES __attribute__((target_clones("avx2", "default")))
    #define TL_HAVE_CLONES 1
    #else
    #define TL_CLONES
    #define TL_HAVE_CLONES 0
    #endif
    void optim_step_f32(int, float *, const float *, float *, float *, Py_ssize_t, const double *) TL_CLONES;
    void optim_step_f64(int, double *, const double *, double *, double *, Py_ssize_t, const double *) TL_CLONES;
    """
    int TL_HAVE_CLONES

cdef enum Kind:
    SGD = 0
    MOMENTUM = 1
    NESTEROV = 2
    ADAGRAD = 3
    RMSPROP = 4
    ADAM = 5

# Per-step scalars, as doubles in a fixed order; each core converts them to the data's type once.
cdef enum:
    H_LR = 0
    H_WD = 1
    H_A = 2   # momentum / decay rate / 1 − β1
    H_B = 3   # momentum² / 1 − decay rate / 1 − β2
    H_C = 4   # (1 + momentum)·lr
    H_EPS = 5
    H_SIZE = 6


cdef inline floating _root(floating v) noexcept nogil:
    if floating is float:
        return sqrtf(v)
    else:
        return sqrt(v)


# ---- the element loops over one chunk (raw pointers: no lastprivate, no memoryview indexing) ----
cdef inline void sgd_core(floating* p, const floating* g, Py_ssize_t n, const double* h) noexcept nogil:
    """p -= lr·(g + wd·p)"""
    cdef floating lr = <floating>h[H_LR], wd = <floating>h[H_WD]
    cdef Py_ssize_t i
    for i in range(n):
        p[i] = p[i] - lr * (g[i] + wd * p[i])


cdef inline void momentum_core(floating* p, const floating* g, floating* v, Py_ssize_t n,
                               const double* h) noexcept nogil:
    """v := momentum·v − lr·g; p += v"""
    cdef floating lr = <floating>h[H_LR], wd = <floating>h[H_WD], mom = <floating>h[H_A], vi
    cdef Py_ssize_t i
    for i in range(n):
        vi = mom * v[i] - lr * (g[i] + wd * p[i])
        v[i] = vi
        p[i] = p[i] + vi


cdef inline void nesterov_core(floating* p, const floating* g, floating* v, Py_ssize_t n,
                               const double* h) noexcept nogil:
    """The book's Nesterov, from the previous velocity: p += momentum²·v; p -= (1 + momentum)·lr·g;
    then v := momentum·v − lr·g"""
    cdef floating lr = <floating>h[H_LR], wd = <floating>h[H_WD], mom = <floating>h[H_A]
    cdef floating mom2 = <floating>h[H_B], lr1 = <floating>h[H_C], vi, gi
    cdef Py_ssize_t i
    for i in range(n):
        gi = g[i] + wd * p[i]
        vi = v[i]
        p[i] = (p[i] + mom2 * vi) - lr1 * gi
        v[i] = mom * vi - lr * gi


cdef inline void adagrad_core(floating* p, const floating* g, floating* hh, Py_ssize_t n,
                              const double* h) noexcept nogil:
    """h += g²; p -= lr·g/(√h + 1e-7)"""
    cdef floating lr = <floating>h[H_LR], wd = <floating>h[H_WD], eps = <floating>h[H_EPS], gi, hi
    cdef Py_ssize_t i
    for i in range(n):
        gi = g[i] + wd * p[i]
        hi = hh[i] + gi * gi
        hh[i] = hi
        p[i] = p[i] - lr * gi / (_root(hi) + eps)


cdef inline void rmsprop_core(floating* p, const floating* g, floating* hh, Py_ssize_t n,
                              const double* h) noexcept nogil:
    """h := decay·h + (1 − decay)·g²; p -= lr·g/(√h + 1e-7)"""
    cdef floating lr = <floating>h[H_LR], wd = <floating>h[H_WD], eps = <floating>h[H_EPS], gi, hi
    cdef floating dr = <floating>h[H_A], one_minus = <floating>h[H_B]
    cdef Py_ssize_t i
    for i in range(n):
        gi = g[i] + wd * p[i]
        hi = hh[i] * dr + one_minus * gi * gi
        hh[i] = hi
        p[i] = p[i] - lr * gi / (_root(hi) + eps)


cdef inline void adam_core(floating* p, const floating* g, floating* m, floating* v, Py_ssize_t n,
                           const double* h) noexcept nogil:
    """m += (1 − β1)(g − m); v += (1 − β2)(g² − v); p -= lr_t·m/(√v + 1e-7)"""
    cdef floating lr = <floating>h[H_LR], wd = <floating>h[H_WD], eps = <floating>h[H_EPS]
    cdef floating b1 = <floating>h[H_A], b2 = <floating>h[H_B], gi, mi, vi
    cdef Py_ssize_t i
    for i in range(n):
        gi = g[i] + wd * p[i]
        mi = m[i] + b1 * (gi - m[i])
        vi = v[i] + b2 * (gi * gi - v[i])
        m[i] = mi
        v[i] = vi
        p[i] = p[i] - lr * mi / (_root(vi) + eps)


cdef inline void step_core(int kind, floating* p, const floating* g, floating* s1, floating* s2,
                           Py_ssize_t n, const double* h) noexcept nogil:
    if kind == SGD:
        sgd_core(p, g, n, h)
    elif kind == MOMENTUM:
        momentum_core(p, g, s1, n, h)
    elif kind == NESTEROV:
        nesterov_core(p, g, s1, n, h)
    elif kind == ADAGRAD:
        adagrad_core(p, g, s1, n, h)
    elif kind == RMSPROP:
        rmsprop_core(p, g, s1, n, h)
    else:
        adam_core(p, g, s1, s2, n, h)


# The cloned entry points (one per dtype: target_clones needs a plain C function, not a fused one).
cdef public void optim_step_f32(int kind, float* p, const float* g, float* s1, float* s2, Py_ssize_t n,
                                const double* h) noexcept nogil:
    step_core(kind, p, g, s1, s2, n, h)


cdef public void optim_step_f64(int kind, double* p, const double* g, double* s1, double* s2,
                                Py_ssize_t n, const double* h) noexcept nogil:
    step_core(kind, p, g, s1, s2, n, h)


cdef void _run(int kind, floating* p, const floating* g, floating* s1, floating* s2, Py_ssize_t n,
               const double* h, int threads) noexcept nogil:
    cdef int t
    cdef Py_ssize_t a, b
    threads = team(threads)
    if threads > 1 and n < 64 * threads:
        threads = 1
    if threads == 1:
        if floating is float:
            optim_step_f32(kind, p, g, s1, s2, n, h)
        else:
            optim_step_f64(kind, p, g, s1, s2, n, h)
        return
    for t in prange(threads, schedule="static", num_threads=threads):
        a = split16(n, t, threads)
        b = split16(n, t + 1, threads)
        if floating is float:
            optim_step_f32(kind, p + a, g + a, (s1 + a) if s1 != NULL else NULL,
                           (s2 + a) if s2 != NULL else NULL, b - a, h)
        else:
            optim_step_f64(kind, p + a, g + a, (s1 + a) if s1 != NULL else NULL,
                           (s2 + a) if s2 != NULL else NULL, b - a, h)


def simd_clones():
    """True when the optimizer steps were built with an AVX2 clone picked at load time."""
    return bool(TL_HAVE_CLONES)


cdef Py_ssize_t _length(str name, Py_ssize_t n, object others, int n_threads) except -1:
    """n, the length of params, after checking the other buffers' lengths and n_threads."""
    for a in others:
        if a.shape[0] != n:
            raise ValueError(f"{name}: every buffer must have the length of params ({n}), got {a.shape[0]}")
    if n_threads < 1:
        raise ValueError(f"{name}: n_threads must be >= 1, got {n_threads}")
    return n


def sgd_step(floating[::1] p, const floating[::1] g, double lr, double weight_decay=0.0,
             int n_threads=1):
    """p -= lr·(g + wd·p)"""
    cdef Py_ssize_t n = _length("sgd_step", p.shape[0], (g,), n_threads)
    cdef double h[H_SIZE]
    h[H_LR], h[H_WD] = lr, weight_decay
    if n:
        with nogil:
            _run(SGD, &p[0], &g[0], <floating*>NULL, <floating*>NULL, n, h, n_threads)


def momentum_step(floating[::1] p, const floating[::1] g, floating[::1] v, double lr,
                  double momentum, double weight_decay=0.0, int n_threads=1):
    """v := momentum·v − lr·g; p += v"""
    cdef Py_ssize_t n = _length("momentum_step", p.shape[0], (g, v), n_threads)
    cdef double h[H_SIZE]
    h[H_LR], h[H_WD], h[H_A] = lr, weight_decay, momentum
    if n:
        with nogil:
            _run(MOMENTUM, &p[0], &g[0], &v[0], <floating*>NULL, n, h, n_threads)


def nesterov_step(floating[::1] p, const floating[::1] g, floating[::1] v, double lr,
                  double momentum, double weight_decay=0.0, int n_threads=1):
    """The book's Nesterov: p += momentum²·v; p -= (1 + momentum)·lr·g; v := momentum·v − lr·g"""
    cdef Py_ssize_t n = _length("nesterov_step", p.shape[0], (g, v), n_threads)
    cdef double h[H_SIZE]
    h[H_LR], h[H_WD], h[H_A] = lr, weight_decay, momentum
    h[H_B], h[H_C] = momentum * momentum, (1.0 + momentum) * lr
    if n:
        with nogil:
            _run(NESTEROV, &p[0], &g[0], &v[0], <floating*>NULL, n, h, n_threads)


def adagrad_step(floating[::1] p, const floating[::1] g, floating[::1] h, double lr,
                 double weight_decay=0.0, int n_threads=1):
    """h += g²; p -= lr·g/(√h + 1e-7)"""
    cdef Py_ssize_t n = _length("adagrad_step", p.shape[0], (g, h), n_threads)
    cdef double hy[H_SIZE]
    hy[H_LR], hy[H_WD], hy[H_EPS] = lr, weight_decay, BOOK_EPS
    if n:
        with nogil:
            _run(ADAGRAD, &p[0], &g[0], &h[0], <floating*>NULL, n, hy, n_threads)


def rmsprop_step(floating[::1] p, const floating[::1] g, floating[::1] h, double lr,
                 double decay_rate, double weight_decay=0.0, int n_threads=1):
    """h := decay·h + (1 − decay)·g²; p -= lr·g/(√h + 1e-7)"""
    cdef Py_ssize_t n = _length("rmsprop_step", p.shape[0], (g, h), n_threads)
    cdef double hy[H_SIZE]
    hy[H_LR], hy[H_WD], hy[H_EPS] = lr, weight_decay, BOOK_EPS
    hy[H_A], hy[H_B] = decay_rate, 1.0 - decay_rate
    if n:
        with nogil:
            _run(RMSPROP, &p[0], &g[0], &h[0], <floating*>NULL, n, hy, n_threads)


def adam_step(floating[::1] p, const floating[::1] g, floating[::1] m, floating[::1] v,
              double lr_t, double beta1, double beta2, double weight_decay=0.0, int n_threads=1):
    """The book's Adam with the caller's lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ):
    m += (1 − β1)(g − m); v += (1 − β2)(g² − v); p -= lr_t·m/(√v + 1e-7)"""
    cdef Py_ssize_t n = _length("adam_step", p.shape[0], (g, m, v), n_threads)
    cdef double h[H_SIZE]
    h[H_LR], h[H_WD], h[H_EPS] = lr_t, weight_decay, BOOK_EPS
    h[H_A], h[H_B] = 1.0 - beta1, 1.0 - beta2
    if n:
        with nogil:
            _run(ADAM, &p[0], &g[0], &m[0], &v[0], n, h, n_threads)
