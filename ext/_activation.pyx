"""Element-wise activation kernels (ReLU, sigmoid, tanh), forward and backward.

Backward takes the forward *output* y (see _act.pxd). It can also reduce the result over rows
into ``db`` in the same pass: that is the bias gradient of the affine layer below, so the
network's backward never reads the activation gradient twice.
"""
from cython cimport floating
from _act cimport act_forward, act_backward


def activation_forward(const floating[:, ::1] x, floating[:, ::1] out, int activation):
    """out := act(x); in place (out is x) is allowed."""
    cdef Py_ssize_t n = x.shape[0], m = x.shape[1], i
    if out.shape[0] != n or out.shape[1] != m:
        raise ValueError("activation_forward: out must have the shape of x")
    if not 0 <= activation <= 3:
        raise ValueError(f"activation_forward: unknown activation code {activation}")
    if n == 0 or m == 0:
        return
    cdef const floating* xp = &x[0, 0]
    cdef floating* op = &out[0, 0]
    with nogil:
        for i in range(n * m):
            op[i] = act_forward(xp[i], activation)


def activation_backward(const floating[:, ::1] y, const floating[:, ::1] dout, floating[:, ::1] dx,
                        int activation, floating[::1] db=None):
    """dx := act'(y)·dout (in place over dout allowed); db := Σ_rows dx when db is given."""
    cdef Py_ssize_t n = y.shape[0], m = y.shape[1], i, j
    if dout.shape[0] != n or dout.shape[1] != m or dx.shape[0] != n or dx.shape[1] != m:
        raise ValueError("activation_backward: y, dout and dx must have one shape")
    if db is not None and db.shape[0] != m:
        raise ValueError("activation_backward: db must have shape (M,)")
    if not 0 <= activation <= 3:
        raise ValueError(f"activation_backward: unknown activation code {activation}")
    if m == 0:
        return
    if n == 0:
        if db is not None:
            db[:] = 0
        return
    cdef const floating* yp = &y[0, 0]
    cdef const floating* gp = &dout[0, 0]
    cdef floating* dp = &dx[0, 0]
    cdef floating* sp
    cdef floating v
    with nogil:
        if db is None:
            for i in range(n * m):
                dp[i] = act_backward(yp[i], gp[i], activation)
        else:
            sp = &db[0]
            for j in range(m):
                v = act_backward(yp[j], gp[j], activation)
                dp[j] = v
                sp[j] = v
            for i in range(1, n):
                for j in range(m):
                    v = act_backward(yp[i * m + j], gp[i * m + j], activation)
                    dp[i * m + j] = v
                    sp[j] = sp[j] + v
