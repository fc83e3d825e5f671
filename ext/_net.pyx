"""A network's whole forward and backward pass in one call, without the GIL.

``NetExecutor`` holds a plan of steps (affine with a fused activation, batch norm, activation,
dropout) over buffers bound once for one batch size. ``loss_and_backward`` runs the forward pass,
softmax with cross-entropy and the backward pass through every step in one ``with nogil`` block,
calling the same C cores as the per-layer kernels (_core.pxd). Python is entered once per batch,
not once per layer: on the book's 784-100x4-10 network that is ~20 kernel calls fewer per step.

Every pass cuts the rows into parts, as many as the caller says (see max_parts), and runs on up
to one OpenMP thread per part: row-wise work (forward, softmax, dx = dout·Wᵀ, masks) on a
thread's own parts without waiting, sums over the batch (dW, db, batch norm) after a barrier,
split by parts of their own; a wide layer splits its forward and dx by columns instead
(WIDE_OUTPUTS). The same parts give the same bits on any number of threads, so the thread count
can follow the machine's load without changing a result. BLAS runs on one thread per caller.

Buffers and parameters are NumPy arrays (trainlab.kernels.bind_network makes and checks them);
this class checks their shapes, dtypes and layout again when a step is added (a bad plan is
refused, never run), stores their addresses and keeps them alive. Batch norm's momentum and eps
and dropout's ratio are read at every pass through a pointer to the layer's own float64 array,
so a change to them takes effect in every executor bound to that layer.
"""
import numpy as np

from libc.math cimport sqrt
from libc.stdint cimport uint8_t, uint64_t
from libc.stdlib cimport malloc, calloc, free
from cython cimport floating
from cython.parallel cimport parallel
from _blas cimport gemm, blas_int
from _split cimport split16, team
from _team cimport (tl_barrier, tl_barrier_wait, tl_thread_id, tl_team_size, tl_blas_single_enter,
                    tl_blas_single_exit, tl_blas_bound, tl_bind_blas, part_start, first_part)
from _core cimport (IDENTITY, act_forward, affine_forward_core, act_forward_all, act_backward_rows,
                    bn_forward_train_par, bn_forward_eval_rows, bn_backward_par, bn_scratch_doubles,
                    bn_acc, bn_threads, bn_rows, bn_forward_finish, bn_backward_finish,
                    BN_STATS, BN_NORMALIZE, BN_SUMS, BN_DX, column_sum_range,
                    dropout_forward_core, dropout_backward_core, softmax_xent_forward_sum,
                    softmax_xent_backward_core)

def bind_blas_threads(size_t get_fn, size_t set_fn):
    """Give the passes the BLAS library's get/set-threads functions (addresses of ``int get(void)``
    and ``void set(int)``); without them every pass runs on the calling thread."""
    tl_bind_blas(get_fn, set_fn)


def blas_threads_bound():
    return bool(tl_blas_bound())

cdef enum:
    ROW_PART_MIN_ROWS = 16   # fewer rows per part are not worth a thread
    MAX_PARTS = 64
    # An affine step with at least this many outputs splits its forward GEMM by columns of W and
    # its dx by rows of W, not by rows of the batch: BLAS packs the operand W for every call, and
    # a part of the batch's rows would pack all of W again (a 1024x1024 float32 W: ~14 % of the
    # large network's step on one thread with two parts). Narrow layers keep the row split, which
    # needs no barrier in the forward pass.
    WIDE_OUTPUTS = 512

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


cdef struct Pass:
    # What the threads of one pass share. The rows are cut into ``parts`` (fixed by the caller,
    # whatever the thread count): every GEMM and sum runs over the same parts in the same order on
    # any number of threads, so the results do not depend on how many threads ran them.
    Step* steps
    int n_steps
    Py_ssize_t n             # rows
    int parts
    bint train               # train-mode forward (batch statistics, dropout masks)
    double lam               # weight decay λ added to dW
    void* x                  # (n, features in)
    const long long* t       # labels (n,), NULL without a loss
    void* probs              # (n, classes): softmax
    void* dscores            # (n, classes): gradient of the loss w.r.t. the scores
    Py_ssize_t n_classes
    double* scratch          # batch norm's scratch (also eval's 1/σ)
    double* loss_parts       # [parts]: −Σ log y[t] over each part's rows
    tl_barrier bar


cdef enum PassWork:          # a pass is one or more of these, in this order
    FORWARD = 1              # the forward pass into each step's output
    LOSS = 2                 # softmax and its cross-entropy by part (with BACKWARD: and its gradient)
    BACKWARD = 4             # the backward pass from the gradient in dscores


cdef void _team_batchnorm(Step* s, bint forward, const floating* a, floating* c, Pass* P,
                          int tid, int team, int* sense) noexcept nogil:
    """One thread's share of a train-mode batch norm: forward (a = x, c = out) or backward (a = c =
    dout, in place). As bn_forward_train_par / bn_backward_par: the chunks' sums, the per-feature
    merge, then the element-wise pass by chunks; the chunks are not this thread's rows, so every
    phase starts and ends at a barrier. A batch norm the layer runs on one thread (s.threads,
    below 2^17 elements) runs on thread 0 between two barriers: four barriers cost more than the
    pass gains from a second thread. The chunks depend on the rows only: the same bits for any
    team."""
    cdef Py_ssize_t w = s.n_out, n = P.n, j0, j1
    cdef double* acc = bn_acc(P.scratch)
    cdef int bn_team = bn_threads(n, team)  # threads that get batch-norm chunks
    tl_barrier_wait(&P.bar, team, sense)
    if s.threads <= 1 or team <= 1:
        if tid == 0 and forward:
            bn_forward_train_par(a, <floating*>s.gamma, <floating*>s.beta, <floating*>s.running_mean,
                                 <floating*>s.running_var, s.hyper[0], s.hyper[1], <floating*>s.xn,
                                 <floating*>s.inv_std, c, n, w, P.scratch, 1)
        elif tid == 0:
            bn_backward_par(a, <floating*>s.xn, <floating*>s.gamma, <floating*>s.inv_std, c,
                            <floating*>s.dgamma, <floating*>s.dbeta, n, w, P.scratch, 1)
        tl_barrier_wait(&P.bar, team, sense)
        return
    if tid < bn_team:
        bn_rows(BN_STATS if forward else BN_SUMS, a, <floating*>s.xn, c, n, w, acc, tid, bn_team)
    tl_barrier_wait(&P.bar, team, sense)
    j0, j1 = split16(w, tid, team), split16(w, tid + 1, team)
    if j1 > j0 and forward:
        bn_forward_finish(<floating*>s.gamma, <floating*>s.beta, <floating*>s.running_mean,
                          <floating*>s.running_var, s.hyper[0], s.hyper[1], <floating*>s.inv_std,
                          n, w, acc, j0, j1)
    elif j1 > j0:
        bn_backward_finish(<floating*>s.gamma, <floating*>s.inv_std, <floating*>s.dgamma,
                           <floating*>s.dbeta, n, w, acc, j0, j1)
    tl_barrier_wait(&P.bar, team, sense)
    if tid < bn_team:
        bn_rows(BN_NORMALIZE if forward else BN_DX, a, <floating*>s.xn, c, n, w, acc, tid, bn_team)
    tl_barrier_wait(&P.bar, team, sense)


cdef inline bint _wide(Step* s, Pass* P) noexcept nogil:
    return s.kind == AFFINE and s.n_out >= WIDE_OUTPUTS and P.parts > 1


cdef void _affine_columns(const floating* x, const floating* W, const floating* b, floating* out,
                          Py_ssize_t n, Py_ssize_t k, Py_ssize_t m, Py_ssize_t c0, Py_ssize_t c1,
                          int code) noexcept nogil:
    """out[:, c0:c1] := act(x·W[:, c0:c1] + b[c0:c1]) for all n rows (affine_forward_core's
    formula, element by element)."""
    cdef Py_ssize_t i, j
    cdef floating* row
    if c1 <= c0:
        return
    gemm(False, False, <blas_int>n, <blas_int>(c1 - c0), <blas_int>k, <floating>1.0, x, <blas_int>k,
         W + c0, <blas_int>m, <floating>0.0, out + c0, <blas_int>m)
    for i in range(n):
        row = out + i * m
        if code == IDENTITY:
            for j in range(c0, c1):
                row[j] = row[j] + b[j]
        else:
            for j in range(c0, c1):
                row[j] = act_forward(row[j] + b[j], code)


cdef void _forward_parts(Pass* P, const floating* x, int p0, int p1, int tid, int team,
                         int* sense) noexcept nogil:
    """The forward pass over the rows of parts [p0, p1), one step at a time (a step's weights stay
    in cache across the parts). Train-mode batch norm needs every row: the team meets there."""
    cdef const floating* inp = x
    cdef floating* out
    cdef Step* s
    cdef Py_ssize_t n = P.n, w, r0, rows, j
    cdef double* inv = P.scratch
    cdef floating keep
    cdef int i, p
    for i in range(P.n_steps):
        s = &P.steps[i]
        out = <floating*>s.out
        w = s.n_out
        if s.kind == BATCHNORM and P.train:
            _team_batchnorm(s, True, inp, out, P, tid, team, sense)
            inp = out
            continue
        if _wide(s, P):  # every row of the input, a share of the columns; every row out
            tl_barrier_wait(&P.bar, team, sense)
            for p in range(p0, p1):
                _affine_columns(inp, <floating*>s.W, <floating*>s.b, out, n, s.n_in, w,
                                split16(w, p, P.parts), split16(w, p + 1, P.parts), s.act)
            tl_barrier_wait(&P.bar, team, sense)
            inp = out
            continue
        if s.kind == BATCHNORM:  # eval: 1/√(running_var + eps) once, by thread 0
            tl_barrier_wait(&P.bar, team, sense)
            if tid == 0:
                for j in range(w):
                    inv[j] = 1.0 / sqrt((<floating*>s.running_var)[j] + s.hyper[1])
            tl_barrier_wait(&P.bar, team, sense)
        for p in range(p0, p1):
            r0 = part_start(n, p, P.parts)
            rows = part_start(n, p + 1, P.parts) - r0
            if s.kind == AFFINE:
                affine_forward_core(inp + r0 * s.n_in, <floating*>s.W, <floating*>s.b, out + r0 * w,
                                    rows, s.n_in, w, s.act)
            elif s.kind == BATCHNORM:
                bn_forward_eval_rows(inp, <floating*>s.gamma, <floating*>s.beta,
                                     <floating*>s.running_mean, inv, out, w, r0, r0 + rows)
            elif s.kind == ACTIVATION:
                act_forward_all(inp + r0 * w, out + r0 * w, rows * w, s.act)
            elif P.train:
                dropout_forward_core(inp + r0 * w, s.hyper[0], s.stream[0], s.stream[1] + <uint64_t>(r0 * w),
                                     s.mask + r0 * w, out + r0 * w, rows * w)
            else:
                keep = <floating>(1.0 - s.hyper[0])
                for j in range(r0 * w, (r0 + rows) * w):
                    out[j] = inp[j] * keep
        inp = out


cdef void _backward_parts(Pass* P, const floating* x, int p0, int p1, int tid, int team,
                          int* sense) noexcept nogil:
    """The backward pass from dscores: row-wise work (activation and dropout masks, dx = dout·Wᵀ)
    on the rows of parts [p0, p1); sums over the batch after a barrier, split by parts of their
    own: dW by rows (dW[j0:j1] := x[:, j0:j1]ᵀ·dout, a whole sum each) and db by columns. The
    dscores and affine dx buffers are overwritten; element-wise steps work in place."""
    cdef floating* dout = <floating*>P.dscores
    cdef const floating* inp
    cdef const floating* W
    cdef floating* dW
    cdef floating lam = <floating>P.lam
    cdef Step* s
    cdef Py_ssize_t n = P.n, w, k, r0, rows, j0, j1, q
    cdef int i, p
    for i in range(P.n_steps - 1, -1, -1):
        s = &P.steps[i]
        w = s.n_out
        inp = x if i == 0 else <const floating*>P.steps[i - 1].out
        if s.kind == BATCHNORM:
            _team_batchnorm(s, False, dout, dout, P, tid, team, sense)
            continue
        if s.kind != AFFINE or s.act != IDENTITY:  # the activation, the fused one, or dropout
            for p in range(p0, p1):
                r0 = part_start(n, p, P.parts)
                rows = part_start(n, p + 1, P.parts) - r0
                if s.kind == DROPOUT:
                    dropout_backward_core(dout + r0 * w, s.mask + r0 * w, dout + r0 * w, rows * w)
                else:
                    act_backward_rows(<floating*>s.out + r0 * w, dout + r0 * w, dout + r0 * w, NULL,
                                      rows, w, s.act)
        if s.kind != AFFINE:
            continue
        k = s.n_in
        W = <floating*>s.W
        dW = <floating*>s.dW
        tl_barrier_wait(&P.bar, team, sense)
        for p in range(p0, p1):
            j0, j1 = split16(k, p, P.parts), split16(k, p + 1, P.parts)
            if j1 > j0:  # dW[j0:j1] := x[:, j0:j1]ᵀ·dout (+ λ·W[j0:j1], added first)
                if lam != 0:
                    for q in range(j0 * w, j1 * w):
                        dW[q] = lam * W[q]
                gemm(True, False, <blas_int>(j1 - j0), <blas_int>w, <blas_int>n, <floating>1.0, inp + j0,
                     <blas_int>k, dout, <blas_int>w, <floating>(1.0 if lam != 0 else 0.0), dW + j0 * w,
                     <blas_int>w)
            j0, j1 = split16(w, p, P.parts), split16(w, p + 1, P.parts)
            column_sum_range(dout, <floating*>s.db, n, w, j0, j1)
        if s.dx == NULL:
            return
        if _wide(s, P):  # dx[:, j0:j1] := dout·W[j0:j1]ᵀ, every row; the step below reads whole rows
            for p in range(p0, p1):
                j0, j1 = split16(k, p, P.parts), split16(k, p + 1, P.parts)
                if j1 > j0:
                    gemm(False, True, <blas_int>n, <blas_int>(j1 - j0), <blas_int>w, <floating>1.0, dout,
                         <blas_int>w, W + j0 * w, <blas_int>w, <floating>0.0, <floating*>s.dx + j0,
                         <blas_int>k)
            tl_barrier_wait(&P.bar, team, sense)
        else:
            for p in range(p0, p1):
                r0 = part_start(n, p, P.parts)
                rows = part_start(n, p + 1, P.parts) - r0
                gemm(False, True, <blas_int>rows, <blas_int>k, <blas_int>w, <floating>1.0, dout + r0 * w,
                     <blas_int>w, W, <blas_int>w, <floating>0.0, <floating*>s.dx + r0 * k, <blas_int>k)
        dout = <floating*>s.dx


cdef void _pass_share(Pass* P, int kind, const floating* x, int tid, int team) noexcept nogil:
    """Thread tid's share of a pass doing ``kind`` (PassWork bits) over its parts."""
    cdef int sense = 0, p
    cdef int p0 = first_part(tid, team, P.parts), p1 = first_part(tid + 1, team, P.parts)
    cdef Py_ssize_t c = P.n_classes, r0, rows
    if kind & FORWARD:
        _forward_parts(P, x, p0, p1, tid, team, &sense)
    if kind & LOSS:
        for p in range(p0, p1):
            r0 = part_start(P.n, p, P.parts)
            rows = part_start(P.n, p + 1, P.parts) - r0
            P.loss_parts[p] = softmax_xent_forward_sum(<floating*>P.steps[P.n_steps - 1].out + r0 * c,
                                                       P.t + r0, <floating*>P.probs + r0 * c, rows, c)
            if kind & BACKWARD:
                softmax_xent_backward_core(<floating*>P.probs + r0 * c, P.t + r0,
                                           <floating*>P.dscores + r0 * c, rows, c, <floating>(1.0 / P.n))
    if kind & BACKWARD:
        _backward_parts(P, x, p0, p1, tid, team, &sense)


cdef double _run(Pass* P, int kind, const floating* x, int n_threads) noexcept nogil:
    """A pass on ``n_threads`` OpenMP threads (BLAS on one thread per caller meanwhile); returns the
    mean loss of a pass with one (else 0)."""
    cdef double loss = 0.0
    cdef int p
    P.bar.arrived = 0
    P.bar.sense = 0
    tl_blas_single_enter()
    if n_threads > 1:
        with parallel(num_threads=n_threads):
            _pass_share(P, kind, x, tl_thread_id(), tl_team_size())
    else:
        _pass_share(P, kind, x, 0, 1)
    tl_blas_single_exit()
    if P.train and kind & FORWARD:
        for p in range(P.n_steps):
            if P.steps[p].kind == DROPOUT:
                P.steps[p].stream[1] += <uint64_t>(P.n * P.steps[p].n_out)
    if kind & LOSS:
        for p in range(P.parts):
            loss += P.loss_parts[p]
        loss /= P.n
    return loss


cdef class NetExecutor:
    """Plan and buffers of one network for one batch size (``batch`` rows)."""
    cdef Step* steps
    cdef int n_steps
    cdef int capacity
    cdef readonly Py_ssize_t batch
    cdef readonly bint is_double
    cdef readonly int last_pass_threads  # threads the last pass ran on
    cdef readonly int last_pass_parts    # parts the last pass cut the rows into
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

    def forward(self, x, bint train, int n_threads=1, int parts=0):
        """The forward pass into each step's output (train: batch statistics, dropout masks)."""
        self._pass(FORWARD, x, None, train, 0.0, n_threads, parts)

    def loss(self, x, t, bint train, int n_threads=1, int parts=0):
        """The forward pass and the mean cross-entropy of its softmax (in probs), returned."""
        return self._pass(FORWARD | LOSS, x, t, train, 0.0, n_threads, parts)

    def loss_and_backward(self, x, t, double lam, int n_threads=1, int parts=0):
        """Train-mode forward, the loss (returned, without weight decay) and the whole backward."""
        return self._pass(FORWARD | LOSS | BACKWARD, x, t, True, lam, n_threads, parts)

    def backward(self, x, double lam, int n_threads=1, int parts=0):
        """The backward pass from the gradient already in the dscores buffer (dense targets)."""
        self._pass(BACKWARD, x, None, True, lam, n_threads, parts)

    cdef double _pass(self, int kind, object x, object t, bint train, double lam, int n_threads,
                      int parts) except? -1:
        """A pass doing ``kind`` (PassWork bits) over x, a C-contiguous (batch, features) array of
        the executor's dtype, and with LOSS the int64 labels t (batch,); returns its loss. The rows
        are cut into ``parts`` parts (0: as many as threads; at most max_parts), run on at most
        one thread per part, and on one unless BLAS can be held to one thread per caller."""
        cdef const float[:, ::1] x32
        cdef const double[:, ::1] x64
        cdef const long long[::1] labels
        cdef bint f64 = self.is_double
        cdef Pass P
        cdef double loss_parts[MAX_PARTS]
        cdef double loss
        cdef Py_ssize_t rows, features
        if f64:
            x64 = x
            rows, features = x64.shape[0], x64.shape[1]
        else:
            x32 = x
            rows, features = x32.shape[0], x32.shape[1]
        if kind & LOSS:
            labels = t
        if rows != self.batch or self.n_steps == 0 or features != self.steps[0].n_in:
            raise ValueError(f"NetExecutor: bound for x of shape ({self.batch}, "
                             f"{self.steps[0].n_in if self.n_steps else '?'}), "
                             f"got ({rows}, {features})")
        if self.probs == NULL:
            raise ValueError("NetExecutor: set_loss_buffers was not called")
        P.t = NULL
        if kind & LOSS:
            self._check_labels(labels)
            P.t = &labels[0]
        if parts <= 0:
            parts = n_threads
        parts = max(1, min(parts, self.max_parts))
        n_threads = min(team(n_threads), parts)
        if n_threads < 1 or not tl_blas_bound():
            n_threads = 1
        P.steps, P.n_steps, P.n, P.parts = self.steps, self.n_steps, self.batch, parts
        P.train, P.lam = train, lam
        P.probs, P.dscores, P.n_classes = self.probs, self.dscores, self.n_classes
        P.scratch, P.loss_parts = self.scratch, loss_parts
        self.last_pass_threads, self.last_pass_parts = n_threads, parts
        with nogil:
            if f64:
                loss = _run(&P, kind, &x64[0, 0], n_threads)
            else:
                loss = _run(&P, kind, &x32[0, 0], n_threads)
        return loss

    @property
    def max_parts(self):
        """The most parts a pass may cut the rows into: ROW_PART_MIN_ROWS rows each at least, or
        with a wide layer (split by columns, whose cost it carries) one row each at least."""
        cdef Py_ssize_t parts = self.batch // ROW_PART_MIN_ROWS
        cdef int i
        for i in range(self.n_steps):
            if self.steps[i].kind == AFFINE and self.steps[i].n_out >= WIDE_OUTPUTS:
                parts = self.batch
        return max(1, min(MAX_PARTS, parts))

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
