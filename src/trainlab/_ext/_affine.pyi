# Stub for the compiled trainlab._ext._affine (ext/_affine.pyx).
# ``floating`` is float32 or float64, one dtype for all the arrays of a call; "[:, ::1]" is a
# C-contiguous 2-D buffer, "[::1]" a contiguous 1-D one; "const" buffers may be read-only.
import numpy as np

def affine_forward(
    x: np.ndarray,  # const floating[:, ::1], (N, K)
    W: np.ndarray,  # const floating[:, ::1], (K, M)
    b: np.ndarray,  # const floating[::1], (M,)
    out: np.ndarray,  # floating[:, ::1], (N, M)
    activation: int = 0,  # 0 identity, 1 ReLU, 2 sigmoid, 3 tanh
) -> None: ...
def affine_backward(
    x: np.ndarray,  # const floating[:, ::1], (N, K)
    W: np.ndarray,  # const floating[:, ::1], (K, M)
    dout: np.ndarray,  # const floating[:, ::1], (N, M)
    dx: np.ndarray | None,  # floating[:, ::1], (N, K); None skips dx
    dW: np.ndarray,  # floating[:, ::1], (K, M)
    db: np.ndarray | None,  # floating[::1], (M,); None skips db
    weight_decay_lambda: float = 0.0,
) -> None: ...
