"""Parameters and gradients of a network in one contiguous buffer each, exposed per key as views.

The views keep the book's API (``net.params['W1']`` is an (in, out) array; writing into it changes
the network). The flat buffers let an optimizer update every parameter in one kernel call.
"""
from __future__ import annotations

import numpy as np


def _spans(shapes: dict) -> dict:
    spans, offset = {}, 0
    for key, shape in shapes.items():
        n = int(np.prod(shape))
        spans[key] = (offset, offset + n, tuple(shape))
        offset += n
    return spans


def views_of(flat: np.ndarray, spans: dict) -> dict:
    """key -> flat[start:stop].reshape(shape): per-key views with one layout."""
    return {key: flat[a:b].reshape(shape) for key, (a, b, shape) in spans.items()}


class ParamDict(dict):
    """A dict of arrays that are, when built, views into one flat buffer in key order.

    ``flat`` is that buffer until an entry is replaced or removed; from then on it is None and
    optimizers fall back to per-key updates. ``spans`` maps a key to its (start, stop, shape) in
    the buffer; params and grads of one network share it.
    """

    def __init__(self, flat: np.ndarray, spans: dict):
        super().__init__(views_of(flat, spans))
        self.flat = flat
        self.spans = spans

    def _detach(self):
        self.flat = None

    def __setitem__(self, key, value):
        if dict.get(self, key) is not value:
            self._detach()
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self._detach()
        super().__delitem__(key)

    def _mutator(name):  # every other dict method that can change an entry detaches the buffer
        def method(self, *args, **kwargs):
            self._detach()
            return getattr(dict, name)(self, *args, **kwargs)
        method.__name__ = name
        return method

    update = _mutator("update")
    pop = _mutator("pop")
    popitem = _mutator("popitem")
    clear = _mutator("clear")
    setdefault = _mutator("setdefault")
    __ior__ = _mutator("__ior__")
    del _mutator


class ParamStore:
    """Flat parameter and gradient buffers for named shapes (one dtype)."""

    def __init__(self, shapes: dict, dtype):
        self.dtype = np.dtype(dtype)
        self.spans = _spans(shapes)
        self.size = max((b for _, b, _ in self.spans.values()), default=0)
        self.flat_params = np.zeros(self.size, self.dtype)
        self.flat_grads = np.zeros(self.size, self.dtype)
        self.params = ParamDict(self.flat_params, self.spans)
        self.grads = ParamDict(self.flat_grads, self.spans)
