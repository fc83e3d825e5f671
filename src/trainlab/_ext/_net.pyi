# Stub for the compiled trainlab._ext._net (ext/_net.pyx).
# The executor checks the arrays it is given (C-contiguous, of the network's dtype, the shapes
# of its plan), stores their addresses and keeps references; "[:, ::1]" is a C-contiguous 2-D buffer.
# Every pass cuts the rows into ``parts`` parts and runs on up to one thread per part; the same
# parts give the same results on any number of threads.
# activation: 0 identity, 1 ReLU, 2 sigmoid, 3 tanh.
import numpy as np

def bind_blas_threads(get_fn: int, set_fn: int) -> None: ...  # addresses of BLAS's get/set-threads
def blas_threads_bound() -> bool: ...

class NetExecutor:
    batch: int  # readonly: rows of every batch it runs
    is_double: bool  # readonly: float64 (else float32) buffers
    last_pass_threads: int  # readonly: threads the last pass ran on
    last_pass_parts: int  # readonly: parts the last pass cut the rows into (the results depend on these)
    max_parts: int  # readonly: the most parts a pass cuts the rows into (16 rows each, 1 with a wide layer)
    def __init__(self, batch: int, is_double: bool, capacity: int, max_features: int) -> None: ...
    def add_affine(
        self,
        W: np.ndarray,  # (K, M)
        b: np.ndarray,  # (M,)
        dW: np.ndarray,  # (K, M)
        db: np.ndarray,  # (M,)
        out: np.ndarray,  # (batch, M)
        dx: np.ndarray | None,  # (batch, K); None for the input layer
        activation: int,
    ) -> None: ...
    def add_batchnorm(
        self,
        gamma: np.ndarray,  # (D,)
        beta: np.ndarray,  # (D,)
        running_mean: np.ndarray,  # (D,)
        running_var: np.ndarray,  # (D,)
        hyper: np.ndarray,  # float64 [momentum, eps] of the layer, read at every pass
        xn: np.ndarray,  # (batch, D)
        inv_std: np.ndarray,  # (D,)
        dgamma: np.ndarray,  # (D,)
        dbeta: np.ndarray,  # (D,)
        out: np.ndarray,  # (batch, D)
        n_threads: int = 1,
    ) -> None: ...
    def add_activation(
        self,
        activation: int,
        out: np.ndarray,  # (batch, M)
    ) -> None: ...
    def add_dropout(
        self,
        hyper: np.ndarray,  # float64 [ratio] of the layer, read at every pass
        stream: np.ndarray,  # uint64 (key, counter) of the layer's generator, advanced in place
        mask: np.ndarray,  # uint8 (batch, M)
        out: np.ndarray,  # (batch, M)
    ) -> None: ...
    def set_loss_buffers(
        self,
        probs: np.ndarray,  # (batch, C): softmax output
        dscores: np.ndarray,  # (batch, C): gradient of the loss w.r.t. the last layer's output
    ) -> None: ...
    # x: C-contiguous (batch, K) of the executor's dtype; t: int64 labels (batch,)
    def forward(
        self,
        x: np.ndarray,
        train: bool,
        n_threads: int = 1,  # OpenMP threads (at most one per part)
        parts: int = 0,  # the rows cut into this many parts (0: n_threads; at most max_parts)
    ) -> None: ...
    def loss(self, x: np.ndarray, t: np.ndarray, train: bool, n_threads: int = 1,
             parts: int = 0) -> float: ...  # the mean cross-entropy; the softmax is left in probs
    def loss_and_backward(self, x: np.ndarray, t: np.ndarray,
                          lam: float,  # weight decay λ
                          n_threads: int = 1, parts: int = 0) -> float: ...
    def backward(self, x: np.ndarray, lam: float, n_threads: int = 1,
                 parts: int = 0) -> None: ...
