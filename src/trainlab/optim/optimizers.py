"""The book's optimizers (``common/optimizer.py``): same classes, constructors, attributes and
``update(params, grads)`` in place, exactly its formulas, on one-pass compiled kernels.

When ``params`` and ``grads`` are a network's (``net.params``, ``net.gradient(...)``), all
parameters live in one flat buffer and one kernel call updates them all; any other dict of
arrays is updated key by key (compiled for contiguous float arrays, NumPy otherwise).
Extras over the book: ``weight_decay`` (an L2 term g + wd·p folded into the kernel's pass),
``schedule`` (a learning-rate schedule), ``state_dict()``/``load_state_dict()``.

Differences from PyTorch, on purpose: Adam puts 1e-7 outside the square root and folds the bias
correction into lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ) (PyTorch: eps 1e-8, m̂/(√v̂ + eps)); Nesterov is the
book's reformulation (its current code: the step uses the previous velocity); RMSprop's
decay_rate 0.99 is PyTorch's alpha.
"""
from __future__ import annotations

import math
from dataclasses import replace
from functools import partial

import numpy as np

from trainlab import _validate as V
from trainlab._i18n import N_
from trainlab import kernels as K
from trainlab import threads
from trainlab._thread_choice import run_elementwise
from trainlab.hyperparameters import Hyperparameter, hyperparameters_of
from trainlab.optim.schedules import make_schedule
from trainlab.params import checked, views_of

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam",
           "OPTIMIZERS", "make_optimizer", "optimizer_class"]

LEARNING_RATE = Hyperparameter(0.01, low=0.0, low_open=True, log=True, typical=(1e-6, 10.0),
                               help=N_("Hyperparameter", "learning rate"))
# A decay coefficient in [0, 1): the share of the old average kept at each step.
DECAY = Hyperparameter(0.9, low=0.0, high=1.0, high_open=True)


class Optimizer:
    """Base class of the optimizers: ``update(params, grads)`` applies one step in place.

    Subclasses hold their state buffers by name (``_state_names``); their kernel takes the
    learning rate and the hyperparameters named in ``_scalars`` (or what ``_hyper`` returns).
    Their hyperparameters are :class:`~trainlab.hyperparameters.Hyperparameter` class attributes:
    ``type(opt).hyperparameters()`` lists them, and an assignment such as ``opt.lr = 0.1`` is
    validated and used from the next ``update``.

    Parameters
    ----------
    lr : float
        Learning rate (> 0, finite).
    weight_decay : float
        Decoupled weight decay added to each gradient as ``weight_decay·W`` inside the step
        (≥ 0; not in the book, which uses the network's ``weight_decay_lambda``).
    schedule : None, Schedule, callable or dict
        A learning-rate schedule (see :func:`trainlab.optim.make_schedule`).
    n_threads : int, optional
        OpenMP threads of the step (default: trainlab's thread setting).

    Raises
    ------
    ValueError
        A non-positive or non-finite ``lr``, a negative ``weight_decay``, an invalid
        ``schedule`` or ``n_threads``, or (in subclasses) a hyperparameter outside its range.
    """

    _kernel = ""
    _state_names: tuple = ()
    _scalars: tuple = ()
    lr = LEARNING_RATE

    def __init__(self, lr, *, weight_decay=0.0, schedule=None, n_threads=None):
        self.lr = lr
        self.weight_decay = weight_decay
        self.schedule = make_schedule(schedule)
        self.n_threads = None if n_threads is None else V.integer("n_threads", n_threads)
        self.iterations = 0
        for name in self._state_names:
            setattr(self, name, None)
        self._flat_state: list | None = None  # flat state buffers, in _state_names order
        self._flat_spans = None
        self._flat_step = None  # the kernel bound to (params.flat, grads.flat, *flat state)
        self._flat_bound = (None, None)
        self._thread_choices = {}  # by size: the thread count of the flat step (default setting)

    @classmethod
    def hyperparameters(cls) -> dict:
        """name -> :class:`~trainlab.hyperparameters.Hyperparameter`, learning rate first."""
        return hyperparameters_of(cls)

    weight_decay = checked(
        "weight_decay", partial(V.positive_number, "weight_decay", allow_zero=True),
        doc="The L2 term ``weight_decay·W`` added to each gradient inside the step (≥ 0; an "
            "extra over the book, whose networks take ``weight_decay_lambda``).")

    # -- subclass hooks --------------------------------------------------------------------------
    def _hyper(self, lr: float) -> tuple:
        return (lr, *(getattr(self, name) for name in self._scalars))

    # -- public API ------------------------------------------------------------------------------
    @property
    def current_lr(self) -> float:
        """The learning rate the next update uses (lr after the schedule)."""
        return self.lr if self.schedule is None else float(self.schedule(self.lr, self.iterations))

    def update(self, params, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys and shapes)."""
        hyper = self._hyper(self.current_lr)
        flat_p, flat_g = getattr(params, "flat", None), getattr(grads, "flat", None)
        bound = flat_p is not None and self._flat_bound[0] is flat_p and self._flat_bound[1] is flat_g
        if not bound and (flat_p is not None and flat_g is not None and params.spans is grads.spans
                          and flat_p.dtype == flat_g.dtype and self._flat_ready(params)):
            self._flat_step = K.bind_step(self._kernel, flat_p, flat_g, *self._flat_state)
            self._flat_bound, bound = (flat_p, flat_g), True
        if bound:  # a network's flat buffers, checked when bound: one kernel call for everything
            if self.n_threads:
                self._flat_step(*hyper, self.weight_decay, self.n_threads)
            else:
                run_elementwise(self._thread_choices, flat_p.size, self._flat_step, *hyper, self.weight_decay)
        else:
            self._check(params, grads)
            self._update_per_key(params, grads, hyper)
        self.iterations += 1

    def _check(self, params, grads):
        for key, p in params.items():
            if key not in grads:
                raise ValueError(f"grads has no entry for parameter {key!r}")
            if np.shape(grads[key]) != np.shape(p):
                raise ValueError(f"grads[{key!r}] has shape {np.shape(grads[key])}, "
                                 f"params[{key!r}] {np.shape(p)}")
            kind = np.asarray(p).dtype.kind
            if kind not in "fiu":
                raise ValueError(f"params[{key!r}] must hold numbers, got {np.asarray(p).dtype}")
            if isinstance(p, np.ndarray) and kind != "f":
                raise ValueError(f"params[{key!r}] is an array of {p.dtype}, updated in place it "
                                 "would be truncated: use a float array")

    def _flat_ready(self, params) -> bool:
        """Allocate flat state for this layout (once); the book's per-key dicts become views of it.
        State that already exists per key (e.g. from load_state_dict) is moved in."""
        if self._flat_spans is params.spans:
            return True
        n, dtype = params.flat.size, params.flat.dtype
        flat_state = {name: np.zeros(n, dtype) for name in self._state_names}
        views = {name: views_of(flat_state[name], params.spans) for name in self._state_names}
        for name in self._state_names:
            old = getattr(self, name) or {}
            if any(k not in views[name] or np.shape(v) != views[name][k].shape for k, v in old.items()):
                return False  # state for other parameters: stay per key
            for k, v in old.items():
                views[name][k][...] = v
        for name in self._state_names:
            setattr(self, name, views[name])
        self._flat_state = [flat_state[name] for name in self._state_names]
        self._flat_spans = params.spans
        return True

    def _update_per_key(self, params, grads, hyper):
        """Any dict of arrays or numbers, key by key. A value the kernel cannot update in place
        (a Python float as in the book's ``optimizer_compare_naive.py``, an integer or
        non-contiguous array) is stepped in a contiguous copy and written back, as the book's
        ``params[key] -= …`` would."""
        for name in self._state_names:
            if getattr(self, name) is None:
                setattr(self, name, {})
        kernel = getattr(K, self._kernel)
        for key, p in params.items():
            work = _working_copy(p)
            g = np.asarray(grads[key])
            if g.dtype != work.dtype or not g.flags.c_contiguous:
                g = np.ascontiguousarray(g, dtype=work.dtype)
            state = []
            for name in self._state_names:
                d = getattr(self, name)
                s = d.get(key)
                if s is None or s.shape != work.shape or s.dtype != work.dtype:
                    s = d[key] = np.zeros_like(work)
                state.append(s)
            kernel(work.reshape(-1), g.reshape(-1), *(s.reshape(-1) for s in state), *hyper,
                   self.weight_decay, self.n_threads or threads.threads_for(work.size))
            if work is not p:
                if isinstance(p, np.ndarray) and p.flags.writeable:
                    p[...] = work
                else:
                    params[key] = work.item() if work.ndim == 0 else work

    def state_dict(self) -> dict:
        """Hyperparameters, step count and copies of the state arrays (per key)."""
        state = {name: {k: v.copy() for k, v in (getattr(self, name) or {}).items()}
                 for name in self._state_names}
        return {"class": type(self).__name__, "lr": self.lr, "iterations": self.iterations,
                "weight_decay": self.weight_decay, "hyper": self.hyperparameter_values(), "state": state}

    def load_state_dict(self, sd: dict) -> None:
        if sd.get("class") != type(self).__name__:
            raise ValueError(f"state is for {sd.get('class')}, not {type(self).__name__}")
        self.lr, self.iterations, self.weight_decay = sd["lr"], int(sd["iterations"]), sd["weight_decay"]
        for k, v in sd["hyper"].items():
            setattr(self, k, v)
        for name in self._state_names:
            saved = sd["state"].get(name, {})
            current = getattr(self, name)
            if current is not None and set(current) == set(saved):
                for k, arr in saved.items():
                    current[k][...] = arr  # keep the flat layout
            else:
                setattr(self, name, {k: np.array(a) for k, a in saved.items()} if saved else None)
                self._flat_spans, self._flat_state = None, None
                self._flat_step, self._flat_bound = None, (None, None)

    def hyperparameter_values(self) -> dict:
        """name -> current value of every hyperparameter (``lr`` before any schedule)."""
        return {name: getattr(self, name) for name in self.hyperparameters()}

    def __repr__(self):
        values = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameter_values().items())
        return f"{type(self).__name__}({values})"


class SGD(Optimizer):
    """W ← W − lr·∂L/∂W"""
    _kernel = "sgd_step"

    def __init__(self, lr=0.01, **kwargs):
        super().__init__(lr, **kwargs)


class Momentum(Optimizer):
    """v ← momentum·v − lr·∂L/∂W; W ← W + v

    Parameters
    ----------
    lr : float
        Learning rate (the book's 0.01).
    momentum : float
        Momentum coefficient in [0, 1) (the book's 0.9).
    **kwargs
        ``weight_decay``, ``schedule``, ``n_threads`` of :class:`Optimizer`.

    Raises
    ------
    ValueError
        ``lr`` not positive and finite, or ``momentum`` outside [0, 1).
    """
    _kernel = "momentum_step"
    _state_names = ("v",)
    _scalars = ("momentum",)
    momentum = replace(DECAY, default=0.9, help=N_("Hyperparameter", "momentum coefficient"))

    def __init__(self, lr=0.01, momentum=0.9, **kwargs):
        self.momentum = momentum
        super().__init__(lr, **kwargs)


class Nesterov(Momentum):
    """The book's Nesterov as its current code has it: W ← W + m²·v − (1 + m)·lr·g with the
    previous velocity v, then v ← m·v − lr·g (m = ``momentum``).

    Parameters and errors as :class:`Momentum`.
    """
    _kernel = "nesterov_step"


class AdaGrad(Optimizer):
    """h ← h + g²; W ← W − lr·g/(√h + 1e-7)"""
    _kernel = "adagrad_step"
    _state_names = ("h",)

    def __init__(self, lr=0.01, **kwargs):
        super().__init__(lr, **kwargs)


class RMSprop(Optimizer):
    """h ← decay·h + (1 − decay)·g²; W ← W − lr·g/(√h + 1e-7)

    Parameters
    ----------
    lr : float
        Learning rate (the book's 0.01).
    decay_rate : float
        The decay of the running mean of g², in [0, 1) (the book's 0.99).
    **kwargs
        ``weight_decay``, ``schedule``, ``n_threads`` of :class:`Optimizer`.

    Raises
    ------
    ValueError
        ``lr`` not positive and finite, or ``decay_rate`` outside [0, 1).
    """
    _kernel = "rmsprop_step"
    _state_names = ("h",)
    _scalars = ("decay_rate",)
    decay_rate = replace(DECAY, default=0.99,
                         help=N_("Hyperparameter", "decay of the running mean of g²"))

    def __init__(self, lr=0.01, decay_rate=0.99, **kwargs):
        self.decay_rate = decay_rate
        super().__init__(lr, **kwargs)


class Adam(Optimizer):
    """The book's Adam: lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ); m += (1 − β1)(g − m);
    v += (1 − β2)(g² − v); W ← W − lr_t·m/(√v + 1e-7). ``iter`` counts updates, as in the book.

    Parameters
    ----------
    lr : float
        Learning rate (the book's 0.001).
    beta1, beta2 : float
        Decays of the first and second moments, in [0, 1) (the book's 0.9 and 0.999).
    **kwargs
        ``weight_decay``, ``schedule``, ``n_threads`` of :class:`Optimizer`.

    Raises
    ------
    ValueError
        ``lr`` not positive and finite, or ``beta1``/``beta2`` outside [0, 1).
    """
    _kernel = "adam_step"
    _state_names = ("m", "v")
    lr = replace(LEARNING_RATE, default=0.001)
    beta1 = replace(DECAY, default=0.9, help=N_("Hyperparameter", "decay of the first moment"))
    beta2 = replace(DECAY, default=0.999, help=N_("Hyperparameter", "decay of the second moment"))

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, **kwargs):
        self.beta1 = beta1
        self.beta2 = beta2
        super().__init__(lr, **kwargs)

    @property
    def iter(self):
        return self.iterations

    @iter.setter
    def iter(self, value):
        self.iterations = int(value)

    def _hyper(self, lr):
        t = self.iterations + 1
        lr_t = lr * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        return (lr_t, self.beta1, self.beta2)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad,
              "rmsprop": RMSprop, "adam": Adam}


def optimizer_class(name) -> type:
    """The optimizer class for a (case-insensitive) name; 'rmsprpo' is accepted for the book's
    Trainer, which spells it so. ValueError with the closest name for a typo."""
    key = "rmsprop" if str(name).lower() == "rmsprpo" else name
    return OPTIMIZERS[V.one_of("optimizer", key, OPTIMIZERS)]


def make_optimizer(name, **params) -> Optimizer:
    """An optimizer by (case-insensitive) name with keyword hyperparameters.

    Raises
    ------
    ValueError
        An unknown name, a hyperparameter this optimizer does not have (named), or a value
        outside its range.
    """
    cls = optimizer_class(name)
    known = set(cls.hyperparameters()) | {"weight_decay", "schedule", "n_threads"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(f"{cls.__name__} has no hyperparameter {unknown[0]!r}"
                         f"{V.did_you_mean(unknown[0], known)}; it takes {', '.join(sorted(known))}")
    return cls(**params)


def _working_copy(p) -> np.ndarray:
    """``p`` itself if a kernel can update it in place, else a contiguous float copy."""
    if (isinstance(p, np.ndarray) and p.dtype in V.FLOAT_DTYPES and p.flags.c_contiguous
            and p.flags.writeable):
        return p
    a = np.asarray(p)
    return np.array(a, dtype=a.dtype if a.dtype in V.FLOAT_DTYPES else np.float64, order="C")
