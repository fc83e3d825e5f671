"""Optimizer steps: in place, one pass over flat 1-D buffers, no temporaries, the book's formulas.

Each step takes the parameter p, the gradient g and the state buffers, all of one length and dtype.
``weight_decay`` folds an L2 term into the gradient on the fly (g + wd·p) without writing it.
Scalars that change per step (Adam's bias-corrected lr_t) are computed by the caller.
``n_threads`` > 1 splits the buffer over OpenMP threads (static schedule); element i is always
computed by the same formula, so results do not depend on the thread count.
"""
from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport sqrt, sqrtf

cdef double BOOK_EPS = 1e-7  # AdaGrad, RMSprop and Adam add 1e-7 outside the square root


cdef inline floating _root(floating v) noexcept nogil:
    if floating is float:
        return sqrtf(v)
    else:
        return sqrt(v)


cdef Py_ssize_t _check(str name, Py_ssize_t n, object others, int n_threads) except -1:
    for a in others:
        if a.shape[0] != n:
            raise ValueError(f"{name}: every buffer must have the length of params ({n}), got {a.shape[0]}")
    if n_threads < 1:
        raise ValueError(f"{name}: n_threads must be >= 1, got {n_threads}")
    return 0


def sgd_step(floating[::1] p, const floating[::1] g, double lr, double weight_decay=0.0,
             int n_threads=1):
    """p -= lr·(g + wd·p)"""
    cdef Py_ssize_t n = p.shape[0], i
    _check("sgd_step", n, (g,), n_threads)
    cdef floating lr_ = lr, wd = weight_decay
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        p[i] = p[i] - lr_ * (g[i] + wd * p[i])


def momentum_step(floating[::1] p, const floating[::1] g, floating[::1] v, double lr,
                  double momentum, double weight_decay=0.0, int n_threads=1):
    """v := momentum·v − lr·g; p += v"""
    cdef Py_ssize_t n = p.shape[0], i
    _check("momentum_step", n, (g, v), n_threads)
    cdef floating lr_ = lr, mom = momentum, wd = weight_decay, vi
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        vi = mom * v[i] - lr_ * (g[i] + wd * p[i])
        v[i] = vi
        p[i] = p[i] + vi


def nesterov_step(floating[::1] p, const floating[::1] g, floating[::1] v, double lr,
                  double momentum, double weight_decay=0.0, int n_threads=1):
    """The book's Nesterov: v := momentum·v − lr·g; p += momentum²·v − (1 + momentum)·lr·g"""
    cdef Py_ssize_t n = p.shape[0], i
    _check("nesterov_step", n, (g, v), n_threads)
    cdef floating lr_ = lr, mom = momentum, wd = weight_decay, vi, gi
    cdef floating mom2 = momentum * momentum, lr1 = (1.0 + momentum) * lr
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        gi = g[i] + wd * p[i]
        vi = mom * v[i] - lr_ * gi
        v[i] = vi
        p[i] = p[i] + mom2 * vi - lr1 * gi


def adagrad_step(floating[::1] p, const floating[::1] g, floating[::1] h, double lr,
                 double weight_decay=0.0, int n_threads=1):
    """h += g²; p -= lr·g/(√h + 1e-7)"""
    cdef Py_ssize_t n = p.shape[0], i
    _check("adagrad_step", n, (g, h), n_threads)
    cdef floating lr_ = lr, wd = weight_decay, eps = BOOK_EPS, gi, hi
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        gi = g[i] + wd * p[i]
        hi = h[i] + gi * gi
        h[i] = hi
        p[i] = p[i] - lr_ * gi / (_root(hi) + eps)


def rmsprop_step(floating[::1] p, const floating[::1] g, floating[::1] h, double lr,
                 double decay_rate, double weight_decay=0.0, int n_threads=1):
    """h := decay·h + (1 − decay)·g²; p -= lr·g/(√h + 1e-7)"""
    cdef Py_ssize_t n = p.shape[0], i
    _check("rmsprop_step", n, (g, h), n_threads)
    cdef floating lr_ = lr, wd = weight_decay, eps = BOOK_EPS, gi, hi
    cdef floating dr = decay_rate, one_minus = 1.0 - decay_rate
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        gi = g[i] + wd * p[i]
        hi = h[i] * dr + one_minus * gi * gi
        h[i] = hi
        p[i] = p[i] - lr_ * gi / (_root(hi) + eps)


def adam_step(floating[::1] p, const floating[::1] g, floating[::1] m, floating[::1] v,
              double lr_t, double beta1, double beta2, double weight_decay=0.0, int n_threads=1):
    """The book's Adam with the caller's lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ):
    m += (1 − β1)(g − m); v += (1 − β2)(g² − v); p -= lr_t·m/(√v + 1e-7)"""
    cdef Py_ssize_t n = p.shape[0], i
    _check("adam_step", n, (g, m, v), n_threads)
    cdef floating lr_ = lr_t, wd = weight_decay, eps = BOOK_EPS, gi, mi, vi
    cdef floating b1 = 1.0 - beta1, b2 = 1.0 - beta2
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        gi = g[i] + wd * p[i]
        mi = m[i] + b1 * (gi - m[i])
        vi = v[i] + b2 * (gi * gi - v[i])
        m[i] = mi
        v[i] = vi
        p[i] = p[i] - lr_ * mi / (_root(vi) + eps)
