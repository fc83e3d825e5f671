# Element-wise activations shared by the affine epilogue and the standalone activation layers.
# Every backward is written in terms of the activation's *output* y, so a fused forward needs to
# keep only y: relu' = [y > 0], sigmoid' = y(1 − y), tanh' = 1 − y².
from cython cimport floating
from libc.math cimport exp, expf, tanh, tanhf

cdef enum Activation:
    IDENTITY = 0
    RELU = 1
    SIGMOID = 2
    TANH = 3


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
