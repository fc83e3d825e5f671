# Stub for the compiled trainlab._ext._optim (ext/_optim.pyx).
# Every buffer is a contiguous 1-D floating[::1] of one length and one dtype (float32 or
# float64); p and the state buffers are updated in place, g (const) may be read-only.
# n_threads > 1 splits the loop over OpenMP threads (serial in a build without OpenMP).
# With gcc on x86-64 glibc the loops are also built for AVX2, picked at load time (simd_clones()).
import numpy as np

def sgd_step(p: np.ndarray, g: np.ndarray, lr: float, weight_decay: float = 0.0,
             n_threads: int = 1) -> None: ...
def momentum_step(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, momentum: float,
                  weight_decay: float = 0.0, n_threads: int = 1) -> None: ...
def nesterov_step(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, momentum: float,
                  weight_decay: float = 0.0, n_threads: int = 1) -> None: ...
def adagrad_step(p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float,
                 weight_decay: float = 0.0, n_threads: int = 1) -> None: ...
def rmsprop_step(p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, decay_rate: float,
                 weight_decay: float = 0.0, n_threads: int = 1) -> None: ...
def adam_step(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray,
              lr_t: float,  # lr·√(1 − β2ᵗ)/(1 − β1ᵗ), computed by the caller
              beta1: float, beta2: float, weight_decay: float = 0.0,
              n_threads: int = 1) -> None: ...
def simd_clones() -> bool: ...  # True: the element loops have an AVX2 clone chosen at load time
