"""Parameters and gradients of a network in one contiguous buffer each, exposed per key as views,
and what assigning to them, or to a layer's arrays and settings, does.

The views keep the book's API (``net.params['W1']`` is an (in, out) array; writing into it changes
the network). The flat buffers let an optimizer update every parameter in one kernel call.
"""
from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter

import numpy as np

from trainlab import _validate as V


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
    """A network's arrays by name, each a view into one flat buffer (``flat``) in key order.

    The entries stay those views. Assigning one — ``params['W1'] = params['W1'] - lr * g``, or
    the book's ``load_params`` — copies the value into the view, so the network, its layers, every
    optimizer and the Trainer see it; ``update`` and assigning the whole dict (``net.params =
    loaded``) check every value before they copy any. The value must have the entry's shape; it
    is cast to the network's dtype (a float64 array into a float32 network is rounded; a finite
    value beyond float32's range is refused; NaN and inf are copied and propagate, as in the
    book). Entries cannot be added or removed: ValueError/TypeError naming the key.
    ``spans`` maps a key to its (start, stop, shape) in the buffer; params and grads of one
    network share it. Pickling or deep-copying gives a ParamDict over a copy of the buffer.
    """

    def __init__(self, flat: np.ndarray, spans: dict, name: str = "params"):
        super().__init__(views_of(flat, spans))
        self.flat = flat
        self.spans = spans
        self.name = name

    def __reduce__(self):
        return type(self), (self.flat, self.spans, self.name)

    def _view(self, key) -> np.ndarray:
        view = dict.get(self, key)
        if view is None:
            raise ValueError(f"{self.name} has no entry {key!r}{V.did_you_mean(key, self)}; "
                             f"it holds {', '.join(map(str, self))}")
        return view

    def __setitem__(self, key, value):
        V.copy_into(f"{self.name}[{key!r}]", self._view(key), value)

    def update(self, *args, **kwargs):
        """Copy every given value into its entry; nothing is copied unless all are valid."""
        self.assign(dict(*args, **kwargs))

    def __ior__(self, other):
        self.update(other)
        return self

    def setdefault(self, key, default=None):
        return self._view(key)

    def assign(self, values: dict, *, complete: bool = False) -> None:
        """Copy ``values`` (key -> array) into the entries, all checked first; ``complete``
        requires every key of this dict."""
        if not isinstance(values, Mapping):
            raise ValueError(f"{self.name} takes a dict of arrays by name, got {type(values).__name__}")
        views = {key: self._view(key) for key in values}
        missing = [key for key in self if key not in values]
        if complete and missing:
            raise ValueError(f"{self.name} needs every entry; missing {', '.join(missing)}")
        converted = {key: V.converted(f"{self.name}[{key!r}]", value, views[key].shape, views[key].dtype)
                     for key, value in values.items() if value is not views[key]}
        for key, value in converted.items():
            np.copyto(views[key], value)

    __delitem__ = pop = popitem = clear = V.refusal(
        "the entries of a network's parameters and gradients are fixed (views into its "
        "buffers); assign values to them instead")


class ArrayAttribute(property):
    """A layer's array that a kernel reads or writes, of fixed shape and dtype: read as a plain
    attribute. Assigning checks the value by the rule of :class:`ParamDict`, then copies it into
    the array when the layer belongs to a network (whose compiled pass and buffers hold that
    array), or takes it by reference in a layer of your own, as the book's layer does."""

    def __init__(self, name: str, doc: str):
        super().__init__(attrgetter("_" + name), doc=doc)
        self.name = name

    def __set__(self, layer, value):
        current = getattr(layer, "_" + self.name)
        label = f"{layer._label}.{self.name}"
        if layer._in_network:
            V.copy_into(label, current, value)
        elif value is not current:
            setattr(layer, "_" + self.name, V.converted(label, value, current.shape, current.dtype))


class ForwardCache(ArrayAttribute):
    """What a layer's forward keeps for its backward: read-only."""

    def __set__(self, layer, value):
        raise AttributeError(f"{layer._label}.{self.name} is set by forward() and read by "
                             "backward(); it cannot be assigned")


def checked(name: str, check, doc: str = ""):
    """An attribute kept in ``_name``; ``check(value)`` validates and converts it when set."""
    def set_(obj, value):
        setattr(obj, "_" + name, check(value))
    return property(attrgetter("_" + name), set_, doc=doc)


def element(array: str, index: int, check, kind=float, doc: str = ""):
    """A scalar kept at ``index`` of the layer's array ``array``, where a network's compiled pass
    reads it at every step; ``check(value)`` validates it when set."""
    def get(layer):
        return kind(getattr(layer, array)[index])

    def set_(layer, value):
        getattr(layer, array)[index] = check(value)
    return property(get, set_, doc=doc)


class ParamStore:
    """Flat parameter and gradient buffers for named shapes (one dtype), as two ParamDicts."""

    def __init__(self, shapes: dict, dtype):
        spans = _spans(shapes)
        size = max((b for _, b, _ in spans.values()), default=0)
        self.params = ParamDict(np.zeros(size, dtype), spans, "params")
        self.grads = ParamDict(np.zeros(size, dtype), spans, "grads")
