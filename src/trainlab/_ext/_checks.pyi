# Stub for the compiled trainlab._ext._checks (ext/_checks.pyx).
import numpy as np

def count_nonfinite(
    a: np.ndarray,  # const floating[::1] (float32 or float64, contiguous 1-D: arr.reshape(-1))
) -> int: ...
