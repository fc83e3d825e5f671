"""A network's whole forward and backward pass in one call, without the GIL.

``NetExecutor`` holds a plan of steps (affine with a fused activation, batch norm, activation,
dropout) over buffers bound once for one batch size. ``loss_and_backward`` runs the forward pass,
softmax with cross-entropy and the backward pass through every step in one ``with nogil`` block,
calling the same C cores as the per-layer kernels (_core.pxd). Python is entered once per batch,
not once per layer: on the book's 784-100x4-10 network that is ~20 kernel calls fewer per step.

Buffers and parameters are NumPy arrays (trainlab.kernels.bind_network makes and checks them);
this class checks their shapes, dtypes and layout again when a step is added (a bad plan is
refused, never run), stores their addresses and keeps them alive. Batch norm's momentum and eps
and dropout's ratio are read at every pass through a pointer to the layer's own float64 array,
so a change to them takes effect in every executor bound to that layer.
"""
import numpy as np

from libc.stdint cimport uint8_t, uint64_t
from libc.stdlib cimport malloc, calloc, free
from cython cimport floating
from cython.parallel cimport parallel
from _blas cimport gemm, blas_int
from _split cimport split16, team
from _core cimport (IDENTITY, affine_forward_core, affine_backward_core, act_forward_all,
                    act_backward_rows, bn_forward_train_par, bn_forward_eval_par, bn_backward_par,
                    bn_scratch_doubles, bn_acc, bn_threads, bn_rows, bn_forward_finish, bn_backward_finish,
                    BN_STATS, BN_NORMALIZE, BN_SUMS, BN_DX, column_sum_range,
                    dropout_forward_core, dropout_backward_core, softmax_xent_forward_core,
                    softmax_xent_forward_sum, softmax_xent_backward_core)

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    static inline int tl_thread_id(void) { return omp_get_thread_num(); }
    static inline int tl_team_size(void) { return omp_get_num_threads(); }
    #else
    static inline int tl_thread_id(void) { return 0; }
    static inline int tl_team_size(void) { return 1; }
    #endif
    #include <sched.h>

    /* A sense-reversing barrier for the threads of one parallel region. It spins briefly (the
       phases between two waits last tens of microseconds), then yields the core: on a shared
       machine the other thread may have been descheduled. Zero-initialised before the region. */
    typedef struct { int arrived; int sense; } tl_barrier;

    static inline void tl_barrier_wait(tl_barrier* b, int team, int* my_sense) {
        int sense = !*my_sense;
        long spins = 0;
        *my_sense = sense;
        if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == team) {
            __atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
            __atomic_store_n(&b->sense, sense, __ATOMIC_RELEASE);
            return;
        }
        while (__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) != sense) {
            if (++spins < 20000) {
    #if defined(__x86_64__) || defined(__i386__)
                __builtin_ia32_pause();
    #endif
            } else {
                sched_yield();
            }
        }
    }

    /* BLAS must run one thread per caller inside the region (its own pool would fight ours).
       The functions come from the BLAS library (set by bind_blas_threads); regions running at
       the same time share one save/restore through a count. */
    typedef int (*tl_blas_get_t)(void);
    typedef void (*tl_blas_set_t)(int);
    static tl_blas_get_t tl_blas_get = 0;
    static tl_blas_set_t tl_blas_set = 0;
    static int tl_blas_regions = 0, tl_blas_saved = 1;

    static inline void tl_blas_single_enter(void) {
        if (tl_blas_set && __atomic_fetch_add(&tl_blas_regions, 1, __ATOMIC_ACQ_REL) == 0) {
            tl_blas_saved = tl_blas_get();
            if (tl_blas_saved != 1) tl_blas_set(1);
        }
    }
    static inline void tl_blas_single_exit(void) {
        if (tl_blas_set && __atomic_sub_fetch(&tl_blas_regions, 1, __ATOMIC_ACQ_REL) == 0
                && tl_blas_saved != 1)
            tl_blas_set(tl_blas_saved);
    }
    static inline int tl_blas_bound(void) { return tl_blas_set != 0; }
    static inline void tl_bind_blas(size_t get_fn, size_t set_fn) {
        tl_blas_get = (tl_blas_get_t)get_fn;
        tl_blas_set = (tl_blas_set_t)set_fn;
    }
    """
    ctypedef struct tl_barrier:
        int arrived
        int sense
    int tl_thread_id() noexcept nogil
    int tl_team_size() noexcept nogil
    void tl_barrier_wait(tl_barrier* b, int team, int* my_sense) noexcept nogil
    void tl_blas_single_enter() noexcept nogil
    void tl_blas_single_exit() noexcept nogil
    int tl_blas_bound() noexcept nogil
    void tl_bind_blas(size_t get_fn, size_t set_fn) noexcept nogil


def bind_blas_threads(size_t get_fn, size_t set_fn):
    """Give the row-parallel training pass the BLAS library's get/set-threads functions
    (addresses of ``int get(void)`` and ``void set(int)``); without them it is never used."""
    tl_bind_blas(get_fn, set_fn)


def blas_threads_bound():
    return bool(tl_blas_bound())

# Below this many rows per thread the row-parallel pass is not worth waking a thread for.
cdef enum:
    ROW_PARALLEL_MIN_ROWS = 16

cdef enum StepKind:
    AFFINE = 0
    BATCHNORM = 1
    ACTIVATION = 2
    DROPOUT = 3


cdef struct Step:
    int kind
    int act                  # AFFINE: activation fused into the epilogue; ACTIVATION: which one
    Py_ssize_t n_in, n_out   # features in and out
    char* out                # (N, n_out): this step's output
    char* dx                 # AFFINE only: (N, n_in) input gradient, NULL when not needed
    char* W
    char* b
    char* dW
    char* db
    char* gamma
    char* beta
    char* running_mean
    char* running_var
    char* xn
    char* inv_std
    char* dgamma
    char* dbeta
    const double* hyper      # BATCHNORM: [momentum, eps]; DROPOUT: [ratio] (the layer's, live)
    int threads              # BATCHNORM: OpenMP threads over the rows
    uint64_t* stream         # DROPOUT: [key, counter], owned by the layer
    uint8_t* mask


cdef char* _addr(object a) except? NULL:
    if a is None:
        return NULL
    return <char*><size_t>a.__array_interface__["data"][0]


cdef Py_ssize_t _columns(object out) except -1:
    if not (isinstance(out, np.ndarray) and out.ndim == 2):
        raise ValueError("NetExecutor: out must be a 2-D numpy.ndarray")
    return out.shape[1]


cdef char* _checked(str name, object a, tuple shape, object dtype, bint writable) except? NULL:
    """The address of ``a`` after checking that it is a C-contiguous ndarray of ``shape`` and
    ``dtype`` (writable if written): what the passes will read and write through it."""
    if not isinstance(a, np.ndarray):
        raise ValueError(f"NetExecutor: {name} must be a numpy.ndarray, got {type(a).__name__}")
    if a.dtype != dtype or a.shape != shape or not a.flags.c_contiguous:
        raise ValueError(f"NetExecutor: {name} must be a C-contiguous {np.dtype(dtype)} array of "
                         f"shape {shape}, got {a.dtype} {a.shape}")
    if writable and not a.flags.writeable:
        raise ValueError(f"NetExecutor: {name} is read-only but is written to")
    return _addr(a)


cdef void _forward(const floating* x, Step* steps, int n_steps, Py_ssize_t n, bint train,
                   double* scratch) noexcept nogil:
    cdef const floating* inp = x
    cdef floating* out
    cdef Step* s
    cdef int i
    cdef Py_ssize_t j, size
    cdef floating keep
    for i in range(n_steps):
        s = &steps[i]
        out = <floating*>s.out
        size = n * s.n_out
        if s.kind == AFFINE:
            affine_forward_core(inp, <floating*>s.W, <floating*>s.b, out, n, s.n_in, s.n_out, s.act)
        elif s.kind == BATCHNORM:
            if train:
                bn_forward_train_par(inp, <floating*>s.gamma, <floating*>s.beta, <floating*>s.running_mean,
                                     <floating*>s.running_var, s.hyper[0], s.hyper[1], <floating*>s.xn,
                                     <floating*>s.inv_std, out, n, s.n_out, scratch, s.threads)
            else:
                bn_forward_eval_par(inp, <floating*>s.gamma, <floating*>s.beta, <floating*>s.running_mean,
                                    <floating*>s.running_var, s.hyper[1], out, n, s.n_out, scratch, s.threads)
        elif s.kind == ACTIVATION:
            act_forward_all(inp, out, size, s.act)
        else:
            if train:
                dropout_forward_core(inp, s.hyper[0], s.stream[0], s.stream[1], s.mask, out, size)
                s.stream[1] += <uint64_t>size
            else:
                keep = <floating>(1.0 - s.hyper[0])
                for j in range(size):
                    out[j] = inp[j] * keep
        inp = out


cdef void _backward(const floating* x, floating* dout, Step* steps, int n_steps, Py_ssize_t n,
                    floating lam, double* scratch) noexcept nogil:
    """dout (N, classes) is the loss gradient of the last step's output; it and the affine dx
    buffers are overwritten. Element-wise steps work in place on the incoming gradient."""
    cdef const floating* inp
    cdef Step* s
    cdef int i
    for i in range(n_steps - 1, -1, -1):
        s = &steps[i]
        inp = x if i == 0 else <const floating*>steps[i - 1].out
        if s.kind == AFFINE:
            if s.act != IDENTITY:  # the fused activation's backward also reduces db
                act_backward_rows(<floating*>s.out, dout, dout, <floating*>s.db, n, s.n_out, s.act)
                affine_backward_core(inp, <floating*>s.W, dout, <floating*>s.dx, <floating*>s.dW, NULL,
                                     n, s.n_in, s.n_out, lam)
            else:
                affine_backward_core(inp, <floating*>s.W, dout, <floating*>s.dx, <floating*>s.dW,
                                     <floating*>s.db, n, s.n_in, s.n_out, lam)
            if s.dx == NULL:
                return
            dout = <floating*>s.dx
        elif s.kind == BATCHNORM:
            bn_backward_par(dout, <floating*>s.xn, <floating*>s.gamma, <floating*>s.inv_std, dout,
                            <floating*>s.dgamma, <floating*>s.dbeta, n, s.n_out, scratch, s.threads)
        elif s.kind == ACTIVATION:
            act_backward_rows(<floating*>s.out, dout, dout, NULL, n, s.n_out, s.act)
        else:
            dropout_backward_core(dout, s.mask, dout, n * s.n_out)


cdef void _team_batchnorm(Step* s, bint forward, const floating* a, floating* c, Py_ssize_t n,
                          double* scratch, double* acc, int tid, int team, int bn_team,
                          tl_barrier* bar, int* sense) noexcept nogil:
    """One thread's share of a train-mode batch norm in _train_rows' team: forward (a = x,
    c = out) or backward (a = c = dout, in place). As bn_forward_train_par / bn_backward_par:
    the chunks' sums, the per-feature merge, then the element-wise pass by chunks; the chunks are
    not this thread's rows, so every phase starts and ends at a barrier. A batch norm the layer
    runs on one thread (s.threads, below 2^17 elements) runs on thread 0 between two barriers:
    four barriers cost more than the pass gains from a second thread."""
    cdef Py_ssize_t w = s.n_out, j0, j1
    tl_barrier_wait(bar, team, sense)
    if s.threads <= 1:
        if tid == 0 and forward:
            bn_forward_train_par(a, <floating*>s.gamma, <floating*>s.beta, <floating*>s.running_mean,
                                 <floating*>s.running_var, s.hyper[0], s.hyper[1], <floating*>s.xn,
                                 <floating*>s.inv_std, c, n, w, scratch, 1)
        elif tid == 0:
            bn_backward_par(a, <floating*>s.xn, <floating*>s.gamma, <floating*>s.inv_std, c,
                            <floating*>s.dgamma, <floating*>s.dbeta, n, w, scratch, 1)
        tl_barrier_wait(bar, team, sense)
        return
    if tid < bn_team:
        bn_rows(BN_STATS if forward else BN_SUMS, a, <floating*>s.xn, c, n, w, acc, tid, bn_team)
    tl_barrier_wait(bar, team, sense)
    j0, j1 = split16(w, tid, team), split16(w, tid + 1, team)
    if j1 > j0 and forward:
        bn_forward_finish(<floating*>s.gamma, <floating*>s.beta, <floating*>s.running_mean,
                          <floating*>s.running_var, s.hyper[0], s.hyper[1], <floating*>s.inv_std,
                          n, w, acc, j0, j1)
    elif j1 > j0:
        bn_backward_finish(<floating*>s.gamma, <floating*>s.inv_std, <floating*>s.dgamma,
                           <floating*>s.dbeta, n, w, acc, j0, j1)
    tl_barrier_wait(bar, team, sense)
    if tid < bn_team:
        bn_rows(BN_NORMALIZE if forward else BN_DX, a, <floating*>s.xn, c, n, w, acc, tid, bn_team)
    tl_barrier_wait(bar, team, sense)


cdef void _train_rows(const floating* x, const long long* t, floating* probs, floating* dscores,
                      Py_ssize_t n_classes, Step* steps, int n_steps, Py_ssize_t n, floating lam,
                      double* scratch, tl_barrier* bar, double* loss_parts) noexcept nogil:
    """One thread's share of a train-mode pass: ``loss_and_backward`` split by rows.

    Forward, softmax and the backward's row-wise work (dx = dout·Wᵀ, activation and dropout
    masks) are local to a thread's rows, so they run without waiting. Sums over the batch wait
    for every row first: dW = xᵀ·dout and db (each thread takes a share of dW's rows and db's
    columns, whole sums, so their bits do not depend on the split), and batch norm
    (_team_batchnorm)."""
    cdef int tid = tl_thread_id(), team = tl_team_size(), sense = 0
    cdef int bn_team = bn_threads(n, team)  # threads that get batch-norm chunks
    cdef double* acc = bn_acc(scratch)
    cdef Py_ssize_t r0 = tid * n // team, rows = (tid + 1) * n // team - r0
    cdef Py_ssize_t w, k, j0, j1, q
    cdef const floating* inp = x
    cdef floating* out
    cdef floating* dout
    cdef floating* dW
    cdef const floating* W
    cdef Step* s
    cdef int i
    for i in range(n_steps):
        s = &steps[i]
        out = <floating*>s.out
        w = s.n_out
        if s.kind == AFFINE:
            affine_forward_core(inp + r0 * s.n_in, <floating*>s.W, <floating*>s.b, out + r0 * w,
                                rows, s.n_in, w, s.act)
        elif s.kind == BATCHNORM:
            _team_batchnorm(s, True, inp, out, n, scratch, acc, tid, team, bn_team, bar, &sense)
        elif s.kind == ACTIVATION:
            act_forward_all(inp + r0 * w, out + r0 * w, rows * w, s.act)
        else:
            dropout_forward_core(inp + r0 * w, s.hyper[0], s.stream[0], s.stream[1] + <uint64_t>(r0 * w),
                                 s.mask + r0 * w, out + r0 * w, rows * w)
        inp = out
    loss_parts[tid] = softmax_xent_forward_sum(inp + r0 * n_classes, t + r0, probs + r0 * n_classes,
                                               rows, n_classes)
    softmax_xent_backward_core(probs + r0 * n_classes, t + r0, dscores + r0 * n_classes, rows,
                               n_classes, <floating>(1.0 / n))
    dout = dscores
    for i in range(n_steps - 1, -1, -1):
        s = &steps[i]
        w = s.n_out
        inp = x if i == 0 else <const floating*>steps[i - 1].out
        if s.kind == AFFINE:
            k = s.n_in
            W = <floating*>s.W
            dW = <floating*>s.dW
            if s.act != IDENTITY:
                act_backward_rows(<floating*>s.out + r0 * w, dout + r0 * w, dout + r0 * w, NULL, rows,
                                  w, s.act)
            tl_barrier_wait(bar, team, &sense)
            j0, j1 = split16(k, tid, team), split16(k, tid + 1, team)
            if j1 > j0:  # dW[j0:j1] := x[:, j0:j1]ᵀ·dout (+ λ·W[j0:j1], added first)
                if lam != 0:
                    for q in range(j0 * w, j1 * w):
                        dW[q] = lam * W[q]
                gemm(True, False, <blas_int>(j1 - j0), <blas_int>w, <blas_int>n, <floating>1.0, inp + j0,
                     <blas_int>k, dout, <blas_int>w, <floating>(1.0 if lam != 0 else 0.0), dW + j0 * w,
                     <blas_int>w)
            j0, j1 = split16(w, tid, team), split16(w, tid + 1, team)
            column_sum_range(dout, <floating*>s.db, n, w, j0, j1)
            if s.dx == NULL:
                return
            gemm(False, True, <blas_int>rows, <blas_int>k, <blas_int>w, <floating>1.0, dout + r0 * w,
                 <blas_int>w, W, <blas_int>w, <floating>0.0, <floating*>s.dx + r0 * k, <blas_int>k)
            dout = <floating*>s.dx
        elif s.kind == BATCHNORM:
            _team_batchnorm(s, False, dout, dout, n, scratch, acc, tid, team, bn_team, bar, &sense)
        elif s.kind == ACTIVATION:
            act_backward_rows(<floating*>s.out + r0 * w, dout + r0 * w, dout + r0 * w, NULL, rows, w, s.act)
        else:
            dropout_backward_core(dout + r0 * w, s.mask + r0 * w, dout + r0 * w, rows * w)


cdef double _train_parallel(const floating* x, const long long* t, floating* probs, floating* dscores,
                            Py_ssize_t n_classes, Step* steps, int n_steps, Py_ssize_t n, floating lam,
                            double* scratch, int n_threads) noexcept nogil:
    """The train pass on ``n_threads`` OpenMP threads (BLAS on one thread each meanwhile)."""
    cdef tl_barrier bar
    cdef double loss_parts[64]
    cdef double loss = 0.0
    cdef int i
    bar.arrived = 0
    bar.sense = 0
    for i in range(n_threads):
        loss_parts[i] = 0.0
    tl_blas_single_enter()
    with parallel(num_threads=n_threads):
        _train_rows(x, t, probs, dscores, n_classes, steps, n_steps, n, lam, scratch, &bar, loss_parts)
    tl_blas_single_exit()
    for i in range(n_steps):
        if steps[i].kind == DROPOUT:
            steps[i].stream[1] += <uint64_t>(n * steps[i].n_out)
    for i in range(n_threads):
        loss += loss_parts[i]
    return loss / n


cdef class NetExecutor:
    """Plan and buffers of one network for one batch size (``batch`` rows)."""
    cdef Step* steps
    cdef int n_steps
    cdef int capacity
    cdef readonly Py_ssize_t batch
    cdef readonly bint is_double
    cdef readonly int last_pass_threads  # threads the last loss_and_backward split its rows over
    cdef double* scratch
    cdef char* probs
    cdef char* dscores
    cdef Py_ssize_t n_classes
    cdef Py_ssize_t max_features
    cdef list _keep

    def __cinit__(self, Py_ssize_t batch, bint is_double, int capacity, Py_ssize_t max_features):
        if batch < 1 or capacity < 1 or max_features < 1:
            raise ValueError("NetExecutor: batch, capacity and max_features must be >= 1")
        self.batch, self.is_double, self.capacity = batch, is_double, capacity
        self.max_features = max_features
        self.steps = <Step*>calloc(capacity, sizeof(Step))
        self.scratch = <double*>malloc(bn_scratch_doubles(max_features) * sizeof(double))  # also eval's d
        if self.steps == NULL or self.scratch == NULL:
            raise MemoryError()
        self._keep = []

    def __dealloc__(self):
        free(self.steps)
        free(self.scratch)

    cdef object _dtype(self):
        return np.float64 if self.is_double else np.float32

    cdef Step* _new(self, int kind, object out, Py_ssize_t n_in) except NULL:
        """A new step whose input has ``n_in`` features (the previous step's output) and whose
        output is ``out`` (batch, features)."""
        if self.n_steps == self.capacity:
            raise ValueError("NetExecutor: more steps than its capacity")
        if self.n_steps and n_in != self.steps[self.n_steps - 1].n_out:
            raise ValueError(f"NetExecutor: step {self.n_steps} takes {n_in} features, "
                             f"the step before gives {self.steps[self.n_steps - 1].n_out}")
        if not self.n_steps and kind != AFFINE:
            raise ValueError("NetExecutor: the plan must start with an affine step")
        cdef char* out_p = _checked("out", out, (self.batch, _columns(out)), self._dtype(), True)
        cdef Step* s = &self.steps[self.n_steps]
        s.kind = kind
        s.out = out_p
        s.n_out = out.shape[1]
        s.n_in = n_in
        self._keep.append(out)
        self.n_steps += 1
        return s

    def add_affine(self, W, b, dW, db, out, dx, int activation):
        if not (isinstance(W, np.ndarray) and W.ndim == 2):
            raise ValueError("NetExecutor: W must be a 2-D numpy.ndarray")
        if not 0 <= activation <= 3:
            raise ValueError(f"NetExecutor: unknown activation code {activation}")
        if dx is None and self.n_steps:
            raise ValueError("NetExecutor: only the first affine step may skip dx")
        k, m, dt = W.shape[0], W.shape[1], self._dtype()
        _checked("out", out, (self.batch, m), dt, True)
        cdef char* ptrs[5]
        ptrs[0] = _checked("W", W, (k, m), dt, False)
        ptrs[1] = _checked("b", b, (m,), dt, False)
        ptrs[2] = _checked("dW", dW, (k, m), dt, True)
        ptrs[3] = _checked("db", db, (m,), dt, True)
        ptrs[4] = NULL if dx is None else _checked("dx", dx, (self.batch, k), dt, True)
        cdef Step* s = self._new(AFFINE, out, k)
        s.act = activation
        s.W, s.b, s.dW, s.db, s.dx = ptrs[0], ptrs[1], ptrs[2], ptrs[3], ptrs[4]
        self._keep += [W, b, dW, db, dx]

    def add_batchnorm(self, gamma, beta, running_mean, running_var, hyper, xn, inv_std, dgamma,
                      dbeta, out, int n_threads=1):
        """``hyper``: the layer's float64 [momentum, eps], read at every pass."""
        d, dt = _columns(out), self._dtype()
        if d > self.max_features:
            raise ValueError(f"NetExecutor: a batch norm of {d} features, more than max_features")
        cdef char* ptrs[9]
        ptrs[0] = _checked("gamma", gamma, (d,), dt, False)
        ptrs[1] = _checked("beta", beta, (d,), dt, False)
        ptrs[2] = _checked("running_mean", running_mean, (d,), dt, True)
        ptrs[3] = _checked("running_var", running_var, (d,), dt, True)
        ptrs[4] = _checked("hyper", hyper, (2,), np.float64, False)
        ptrs[5] = _checked("xn", xn, (self.batch, d), dt, True)
        ptrs[6] = _checked("inv_std", inv_std, (d,), dt, True)
        ptrs[7] = _checked("dgamma", dgamma, (d,), dt, True)
        ptrs[8] = _checked("dbeta", dbeta, (d,), dt, True)
        cdef Step* s = self._new(BATCHNORM, out, d)
        s.threads = max(1, n_threads)
        s.gamma, s.beta, s.running_mean, s.running_var = ptrs[0], ptrs[1], ptrs[2], ptrs[3]
        s.hyper = <const double*>ptrs[4]
        s.xn, s.inv_std, s.dgamma, s.dbeta = ptrs[5], ptrs[6], ptrs[7], ptrs[8]
        self._keep += [gamma, beta, running_mean, running_var, hyper, xn, inv_std, dgamma, dbeta]

    def add_activation(self, int activation, out):
        if not 0 <= activation <= 3:
            raise ValueError(f"NetExecutor: unknown activation code {activation}")
        self._new(ACTIVATION, out, _columns(out)).act = activation

    def add_dropout(self, hyper, stream, mask, out):
        """``hyper``: the layer's float64 [ratio], read at every pass; ``stream``: its uint64
        [key, counter], advanced in place."""
        cdef char* ratio = _checked("hyper", hyper, (1,), np.float64, False)
        cdef char* stream_p = _checked("stream", stream, (2,), np.uint64, True)
        cdef char* mask_p = _checked("mask", mask, (self.batch, _columns(out)), np.uint8, True)
        cdef Step* s = self._new(DROPOUT, out, _columns(out))
        s.hyper = <const double*>ratio
        s.stream = <uint64_t*>stream_p
        s.mask = <uint8_t*>mask_p
        self._keep += [hyper, stream, mask]

    def set_loss_buffers(self, probs, dscores):
        if self.n_steps == 0:
            raise ValueError("NetExecutor: add the steps before the loss buffers")
        shape = (self.batch, self.steps[self.n_steps - 1].n_out)
        self.probs = _checked("probs", probs, shape, self._dtype(), True)
        self.dscores = _checked("dscores", dscores, shape, self._dtype(), True)
        self.n_classes = shape[1]
        self._keep += [probs, dscores]

    def forward_f32(self, const float[:, ::1] x, bint train):
        self._check_rows(x.shape[0], x.shape[1])
        with nogil:
            _forward(&x[0, 0], self.steps, self.n_steps, self.batch, train, self.scratch)

    def forward_f64(self, const double[:, ::1] x, bint train):
        self._check_rows(x.shape[0], x.shape[1])
        with nogil:
            _forward(&x[0, 0], self.steps, self.n_steps, self.batch, train, self.scratch)

    def loss_and_backward_f32(self, const float[:, ::1] x, const long long[::1] t, double lam,
                              int n_threads=1):
        """Train-mode forward, the loss (returned, without weight decay) and the whole backward;
        ``n_threads`` > 1 splits the batch's rows between threads (see _train_rows)."""
        cdef double loss
        self._check_rows(x.shape[0], x.shape[1])
        self._check_loss()
        self._check_labels(t)
        n_threads = self._row_threads(n_threads)
        self.last_pass_threads = n_threads
        if n_threads > 1:
            with nogil:
                loss = _train_parallel(&x[0, 0], &t[0], <float*>self.probs, <float*>self.dscores,
                                       self.n_classes, self.steps, self.n_steps, self.batch, <float>lam,
                                       self.scratch, n_threads)
            return loss
        with nogil:
            _forward(&x[0, 0], self.steps, self.n_steps, self.batch, True, self.scratch)
            loss = softmax_xent_forward_core(<float*>self.steps[self.n_steps - 1].out, &t[0],
                                             <float*>self.probs, self.batch, self.n_classes)
            softmax_xent_backward_core(<float*>self.probs, &t[0], <float*>self.dscores, self.batch,
                                       self.n_classes, <float>(1.0 / self.batch))
            _backward(&x[0, 0], <float*>self.dscores, self.steps, self.n_steps, self.batch,
                      <float>lam, self.scratch)
        return loss

    def loss_and_backward_f64(self, const double[:, ::1] x, const long long[::1] t, double lam,
                              int n_threads=1):
        cdef double loss
        self._check_rows(x.shape[0], x.shape[1])
        self._check_loss()
        self._check_labels(t)
        n_threads = self._row_threads(n_threads)
        self.last_pass_threads = n_threads
        if n_threads > 1:
            with nogil:
                loss = _train_parallel(&x[0, 0], &t[0], <double*>self.probs, <double*>self.dscores,
                                       self.n_classes, self.steps, self.n_steps, self.batch, lam,
                                       self.scratch, n_threads)
            return loss
        with nogil:
            _forward(&x[0, 0], self.steps, self.n_steps, self.batch, True, self.scratch)
            loss = softmax_xent_forward_core(<double*>self.steps[self.n_steps - 1].out, &t[0],
                                             <double*>self.probs, self.batch, self.n_classes)
            softmax_xent_backward_core(<double*>self.probs, &t[0], <double*>self.dscores, self.batch,
                                       self.n_classes, 1.0 / self.batch)
            _backward(&x[0, 0], <double*>self.dscores, self.steps, self.n_steps, self.batch,
                      lam, self.scratch)
        return loss

    def backward_f32(self, const float[:, ::1] x, double lam):
        """The backward pass from the gradient already in the dscores buffer (dense targets)."""
        self._check_rows(x.shape[0], x.shape[1])
        self._check_loss()
        with nogil:
            _backward(&x[0, 0], <float*>self.dscores, self.steps, self.n_steps, self.batch, <float>lam,
                      self.scratch)

    def backward_f64(self, const double[:, ::1] x, double lam):
        self._check_rows(x.shape[0], x.shape[1])
        self._check_loss()
        with nogil:
            _backward(&x[0, 0], <double*>self.dscores, self.steps, self.n_steps, self.batch, lam,
                      self.scratch)

    cdef int _row_threads(self, int n_threads):
        """Threads for the row-parallel pass: 1 (the sequential pass, BLAS threads as they are)
        unless BLAS can be held to one thread per caller and every thread gets some rows."""
        n_threads = team(n_threads)
        if n_threads <= 1 or not tl_blas_bound():
            return 1
        return max(1, min(n_threads, 64, self.batch // ROW_PARALLEL_MIN_ROWS))

    cdef int _check_labels(self, const long long[::1] t) except -1:
        cdef Py_ssize_t i, bad = -1
        if t.shape[0] != self.batch:
            raise ValueError(f"t must have shape ({self.batch},) or ({self.batch}, {self.n_classes}), "
                             f"got ({t.shape[0]},)")
        for i in range(self.batch):
            if t[i] < 0 or t[i] >= self.n_classes:
                bad = i
                break
        if bad >= 0:
            raise ValueError(f"t has labels outside [0, {self.n_classes}): {t[bad]} at row {bad}")
        return 0

    cdef int _check_rows(self, Py_ssize_t rows, Py_ssize_t features) except -1:
        if rows != self.batch or self.n_steps == 0 or features != self.steps[0].n_in:
            raise ValueError(f"NetExecutor: bound for x of shape ({self.batch}, "
                             f"{self.steps[0].n_in if self.n_steps else '?'}), got ({rows}, {features})")
        return 0

    cdef int _check_loss(self) except -1:
        if self.probs == NULL:
            raise ValueError("NetExecutor: set_loss_buffers was not called")
        return 0
