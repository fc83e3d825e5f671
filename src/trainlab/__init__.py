"""trainlab: the training techniques of *Deep Learning from Scratch*, chapter 6, on Cython kernels.

The book's names: ``trainlab.layers``, ``trainlab.optim``, ``MultiLayerNet``,
``MultiLayerNetExtend``, ``Trainer``; ``trainlab.reference`` holds the plain-NumPy twins.
Top-level names load on first use, so ``trainlab.datasets`` works without the compiled part.
"""
import importlib

__version__ = "0.1.0"

_LAZY = {
    "MultiLayerNet": "trainlab.networks",
    "MultiLayerNetExtend": "trainlab.networks",
    "Trainer": "trainlab.trainer",
    "set_num_threads": "trainlab.threads",
    "get_num_threads": "trainlab.threads",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'trainlab' has no attribute {name!r}")
