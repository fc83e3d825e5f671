import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="module")
def one_blas_thread():
    """Experiments on 2 shared cores: a second BLAS thread spinning next to other jobs costs far
    more than it gains."""
    import trainlab

    trainlab.set_num_threads(1)
    yield
    trainlab.set_num_threads(None)
