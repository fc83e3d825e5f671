# Stub for the compiled trainlab._ext._activation (ext/_activation.pyx).
# ``floating`` is float32 or float64, one dtype for all the arrays of a call; "[:, ::1]" is a
# C-contiguous 2-D buffer, "[::1]" a contiguous 1-D one; "const" buffers may be read-only.
# activation: 0 identity, 1 ReLU, 2 sigmoid, 3 tanh.
import numpy as np

def activation_forward(
    x: np.ndarray,  # const floating[:, ::1], (N, M)
    out: np.ndarray,  # floating[:, ::1], (N, M); may be x
    activation: int,
) -> None: ...
def activation_backward(
    y: np.ndarray,  # const floating[:, ::1], (N, M): the forward's output
    dout: np.ndarray,  # const floating[:, ::1], (N, M)
    dx: np.ndarray,  # floating[:, ::1], (N, M); may be dout
    activation: int,
    db: np.ndarray | None = None,  # floating[::1], (M,): Σ_rows dx when given
) -> None: ...
