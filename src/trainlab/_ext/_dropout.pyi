# Stub for the compiled trainlab._ext._dropout (ext/_dropout.pyx).
# ``floating`` is float32 or float64, one dtype for all the arrays of a call; "[:, ::1]" is a
# C-contiguous 2-D buffer; "const" buffers may be read-only.
import numpy as np

def dropout_forward(
    x: np.ndarray,  # const floating[:, ::1], (N, M)
    ratio: float,  # in [0, 1)
    key: int,  # uint64_t: the layer's stream
    counter: int,  # uint64_t: numbers of the stream used so far
    mask: np.ndarray,  # uint8_t[:, ::1], (N, M)
    out: np.ndarray,  # floating[:, ::1], (N, M)
) -> None: ...
def dropout_backward(
    dout: np.ndarray,  # const floating[:, ::1], (N, M)
    mask: np.ndarray,  # const uint8_t[:, ::1], (N, M)
    dx: np.ndarray,  # floating[:, ::1], (N, M)
) -> None: ...
