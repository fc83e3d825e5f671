# Stub for the compiled trainlab._ext._batchnorm (ext/_batchnorm.pyx).
# ``floating`` is float32 or float64, one dtype for all the arrays of a call; "[:, ::1]" is a
# C-contiguous 2-D buffer, "[::1]" a contiguous 1-D one; "const" buffers may be read-only.
# n_threads > 1 splits the work over OpenMP threads (serial in a build without OpenMP).
import numpy as np

def batchnorm_forward_train(
    x: np.ndarray,  # const floating[:, ::1], (N, D)
    gamma: np.ndarray,  # const floating[::1], (D,)
    beta: np.ndarray,  # const floating[::1], (D,)
    running_mean: np.ndarray,  # floating[::1], (D,); updated in place
    running_var: np.ndarray,  # floating[::1], (D,); updated in place
    momentum: float,
    eps: float,
    xn: np.ndarray,  # floating[:, ::1], (N, D): x̂ for the backward
    inv_std: np.ndarray,  # floating[::1], (D,): 1/σ for the backward
    out: np.ndarray,  # floating[:, ::1], (N, D)
    n_threads: int = 1,
) -> None: ...
def batchnorm_forward_eval(
    x: np.ndarray,  # const floating[:, ::1], (N, D)
    gamma: np.ndarray,  # const floating[::1], (D,)
    beta: np.ndarray,  # const floating[::1], (D,)
    running_mean: np.ndarray,  # const floating[::1], (D,)
    running_var: np.ndarray,  # const floating[::1], (D,)
    eps: float,
    out: np.ndarray,  # floating[:, ::1], (N, D)
    n_threads: int = 1,
) -> None: ...
def batchnorm_backward(
    dout: np.ndarray,  # const floating[:, ::1], (N, D)
    xn: np.ndarray,  # const floating[:, ::1], (N, D)
    gamma: np.ndarray,  # const floating[::1], (D,)
    inv_std: np.ndarray,  # const floating[::1], (D,)
    dx: np.ndarray,  # floating[:, ::1], (N, D)
    dgamma: np.ndarray,  # floating[::1], (D,)
    dbeta: np.ndarray,  # floating[::1], (D,)
    n_threads: int = 1,
) -> None: ...
