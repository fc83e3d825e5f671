# Stub for the compiled trainlab._ext._softmax (ext/_softmax.pyx).
# ``floating`` is float32 or float64, one dtype for all the arrays of a call; "[:, ::1]" is a
# C-contiguous 2-D buffer, "[::1]" a contiguous 1-D one; "const" buffers may be read-only.
# Labels (``label_t``) are int32 or int64.
import numpy as np

def softmax_cross_entropy_forward(
    x: np.ndarray,  # const floating[:, ::1], (N, C)
    t: np.ndarray,  # const label_t[::1], (N,)
    y: np.ndarray,  # floating[:, ::1], (N, C)
) -> float: ...
def softmax_cross_entropy_backward(
    y: np.ndarray,  # const floating[:, ::1], (N, C)
    t: np.ndarray,  # const label_t[::1], (N,)
    dx: np.ndarray,  # floating[:, ::1], (N, C)
    scale: float,
) -> None: ...
def softmax_cross_entropy_backward_dense(
    y: np.ndarray,  # const floating[:, ::1], (N, C)
    t: np.ndarray,  # const floating[:, ::1], (N, C): one-hot or soft targets
    dx: np.ndarray,  # floating[:, ::1], (N, C)
    scale: float,
) -> None: ...
