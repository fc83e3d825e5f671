"""Element-wise activation kernels (ReLU, sigmoid, tanh), forward and backward.

Backward takes the forward *output* y (see _core.pxd). It can also reduce the result over rows
into ``db`` in the same pass: that is the bias gradient of the affine layer below, so the
network's backward never reads the activation gradient twice.
"""
from cython cimport floating
from _core cimport act_forward_all, act_backward_rows


def activation_forward(const floating[:, ::1] x, floating[:, ::1] out, int activation):
    """out := act(x); in place (out is x) is allowed."""
    cdef Py_ssize_t n = x.shape[0], m = x.shape[1]
    if out.shape[0] != n or out.shape[1] != m:
        raise ValueError("activation_forward: out must have the shape of x")
    if not 0 <= activation <= 3:
        raise ValueError(f"activation_forward: unknown activation code {activation}")
    if n == 0 or m == 0:
        return
    with nogil:
        act_forward_all(&x[0, 0], &out[0, 0], n * m, activation)


def activation_backward(const floating[:, ::1] y, const floating[:, ::1] dout, floating[:, ::1] dx,
                        int activation, floating[::1] db=None):
    """dx := act'(y)·dout (in place over dout allowed); db := Σ_rows dx when db is given."""
    cdef Py_ssize_t n = y.shape[0], m = y.shape[1]
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
    cdef floating* dbp = NULL if db is None else &db[0]
    with nogil:
        act_backward_rows(&y[0, 0], &dout[0, 0], &dx[0, 0], dbp, n, m, activation)
