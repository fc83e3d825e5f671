"""Fixtures of the search tests."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from trainlab.datasets import load_dataset


@pytest.fixture(scope="module")
def data():
    """300 samples of the embedded sample: 240 for training, 60 for validation."""
    (x, t), _ = load_dataset("sample")
    return x[:300], t[:300]


@pytest.fixture(scope="module")
def threads():
    """Threads run trials in this process: cheaper to start than a pool for machinery tests."""
    with ThreadPoolExecutor(2) as ex:
        yield ex
