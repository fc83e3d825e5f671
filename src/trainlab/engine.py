"""The one engine: a training run described by a :class:`RunSpec`, built by :func:`build`.

The command line (``trainlab train``), the desktop app and the hyperparameter search all describe
a run the same way and turn it into a network, an optimizer and a :class:`~trainlab.Trainer`
here. A spec is validated when it is made, before any data loads, and round-trips to JSON, so a
saved run, a search trial or a checkpoint says exactly how to train it again (live
hyperparameter changes included).

>>> from trainlab.engine import RunSpec, build
>>> spec = RunSpec(dataset="sample", hidden=(50,), optimizer="sgd", hyperparameters={"lr": 0.1},
...                epochs=1, train_size=500)
>>> trainer = build(spec)
>>> 0.0 <= trainer.train() <= 1.0
True
>>> RunSpec.from_json(spec.to_json()) == spec
True
"""
from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, field

from trainlab import _validate as V
from trainlab._i18n import N_
from trainlab.optim import OPTIMIZERS, SCHEDULES, make_optimizer, make_schedule, optimizer_class

__all__ = ["RunSpec", "build", "load_data", "cut_data", "Dataset", "ACTIVATIONS", "weight_init",
           "format_number",
           "parse_setting", "parse_schedule", "optimizer_hyperparameters"]

ACTIVATIONS = ("relu", "sigmoid", "tanh")
NAMED_INITS = {"he": "He", "relu": "He", "xavier": "Xavier", "sigmoid": "Xavier"}


def weight_init(value) -> str | float:
    """'he'/'relu', 'xavier'/'sigmoid', or a standard deviation (a number or numeric text)."""
    key = str(value).lower()
    if key in NAMED_INITS:
        return key
    try:
        return V.positive_number("weight init std", float(value))
    except (TypeError, ValueError):
        raise ValueError(f"unknown weight init {value!r}{V.did_you_mean(key, NAMED_INITS)}; "
                         "expected 'he', 'xavier' or a standard deviation such as 0.01") from None


def format_number(value) -> str:
    """A number as a person writes it: 100, 0.9, 1e-3, 2.5e-4."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e5:
        return str(int(value))
    if abs(value) < 1e-2 or abs(value) >= 1e4:
        mantissa, exponent = f"{value:.3e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return f"{value:.4g}"


DATASET_HELP = N_("RunSpec", "mnist, fashion-mnist, sample, a folder of IDX files, or default "
                  "(MNIST, else Fashion-MNIST, else the embedded sample: whichever is on the "
                  "machine; never downloads)")


def _setting(default, help_text, choices=None):
    """A RunSpec field with its help text (the command line and the app's form show it; the app
    translates it in context "RunSpec")."""
    meta = {"help": help_text, "choices": choices}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class RunSpec:
    """Everything that defines a training run of the chapter's network.

    Parameters
    ----------
    name : str
        A label for the run (free text; empty: made from the settings, see :meth:`label`).
    dataset : str
        ``'default'`` (MNIST, else Fashion-MNIST, else the embedded sample: whichever is on the
        machine, no download), ``'mnist'``, ``'fashion-mnist'``, ``'sample'`` or a folder of IDX
        files.
    train_size, test_size : int, optional
        Use only the first N training / test samples.
    hidden : tuple of int
        Hidden layer sizes.
    activation : {'relu', 'sigmoid', 'tanh'}
    weight_init : str or float
        ``'he'``, ``'xavier'`` or a standard deviation.
    batchnorm : bool
        Batch normalization after every hidden affine layer.
    dropout : float
        Dropout ratio after every hidden activation (0: no dropout layers).
    weight_decay : float
        The network's L2 λ (the book's ``weight_decay_lambda``).
    optimizer : str
        One of :data:`trainlab.optim.OPTIMIZERS`.
    hyperparameters : dict
        The optimizer's hyperparameters by name; those not given take the optimizer's defaults.
    schedule : dict, optional
        A learning-rate schedule, ``{'name': 'step', 'step_size': 1000, 'gamma': 0.5}``.
    batch_size, epochs, seed : int
    dtype : {'float32', 'float64'}
    threads : int, optional
        Training threads (None: trainlab's setting).
    eval_samples : int, optional
        Evaluate the accuracies on only this many samples per epoch.
    changes : tuple of (iteration, name, value)
        Hyperparameter changes made while it trained, replayed by :func:`build`.

    Raises
    ------
    ValueError
        Any setting out of range or unknown, named (with a suggestion for a misspelt name).
    """
    name: str = _setting("", N_("RunSpec", "a label for the run (default: made from the settings)"))
    dataset: str = _setting("default", DATASET_HELP)
    train_size: int | None = _setting(None, N_("RunSpec", "use only the first N training samples"))
    test_size: int | None = _setting(None, N_("RunSpec", "use only the first N test samples"))
    hidden: tuple = _setting((100, 100, 100, 100), N_("RunSpec", "hidden layer sizes"))
    activation: str = _setting("relu", N_("RunSpec", "activation of the hidden layers"),
                               choices=ACTIVATIONS)
    weight_init: str | float = _setting("he", N_("RunSpec", "initial weights: he, xavier or a "
                                                            "standard deviation"))
    batchnorm: bool = _setting(False, N_("RunSpec", "batch normalization after every hidden affine "
                                                    "layer"))
    dropout: float = _setting(0.0, N_("RunSpec", "dropout ratio after every hidden activation "
                                                 "(0: none)"))
    weight_decay: float = _setting(0.0, N_("RunSpec", "the network's L2 weight decay λ (the book's)"))
    optimizer: str = _setting("adam", N_("RunSpec", "the update rule"), choices=tuple(OPTIMIZERS))
    hyperparameters: dict = _setting({}, N_("RunSpec", "the optimizer's hyperparameters by name"))
    schedule: dict | None = _setting(None, N_("RunSpec", "a learning-rate schedule"))
    batch_size: int = _setting(100, N_("RunSpec", "samples per mini-batch"))
    epochs: int = _setting(5, N_("RunSpec", "epochs to train"))
    seed: int = _setting(0, N_("RunSpec", "seed of the initial weights, dropout masks and batches"))
    dtype: str = _setting("float32", N_("RunSpec", "precision of the network"),
                          choices=("float32", "float64"))
    threads: int | None = _setting(None, N_("RunSpec", "training threads (default: trainlab's "
                                                       "setting)"))
    eval_samples: int | None = _setting(None, N_("RunSpec", "evaluate accuracy on only N samples "
                                                            "per epoch"))
    changes: tuple = _setting((), N_("RunSpec", "hyperparameter changes made while training, "
                                                "replayed"))

    def __post_init__(self):
        put = object.__setattr__
        put(self, "name", str(self.name))
        put(self, "dataset", str(self.dataset))
        for key in ("train_size", "test_size", "threads", "eval_samples"):
            if getattr(self, key) is not None:
                put(self, key, V.integer(key, getattr(self, key)))
        hidden = self.hidden if isinstance(self.hidden, (list, tuple)) else [self.hidden]
        put(self, "hidden", tuple(V.integer("hidden layer size", h) for h in hidden))
        if not self.hidden:
            raise ValueError("hidden must name at least one layer size")
        put(self, "activation", V.one_of("activation", self.activation, ACTIVATIONS))
        put(self, "weight_init", weight_init(self.weight_init))
        if not isinstance(self.batchnorm, bool):
            raise ValueError(f"batchnorm must be True or False, got {self.batchnorm!r}")
        put(self, "dropout", V.unit_interval("dropout", self.dropout))
        put(self, "weight_decay", V.positive_number("weight_decay", self.weight_decay, allow_zero=True))
        cls = optimizer_class(self.optimizer)
        put(self, "optimizer", cls.__name__.lower())
        put(self, "hyperparameters", self._optimizer_values(cls, self.hyperparameters))
        if self.schedule is not None:
            put(self, "schedule", make_schedule(dict(self.schedule)).to_dict())
        put(self, "batch_size", V.integer("batch_size", self.batch_size))
        put(self, "epochs", V.integer("epochs", self.epochs, 0))
        put(self, "seed", V.integer("seed", self.seed, 0))
        put(self, "dtype", str(V.float_dtype(self.dtype)))
        put(self, "changes", tuple(self._change(c) for c in self.changes))

    @staticmethod
    def _optimizer_values(cls, values) -> dict:
        if not isinstance(values, dict):
            raise ValueError(f"hyperparameters must be a dict, got {values!r}")
        known = cls.hyperparameters()
        out = {}
        for key, value in values.items():
            if key not in known:
                raise ValueError(f"{cls.__name__} has no hyperparameter {key!r}"
                                 f"{V.did_you_mean(key, known)}; it takes {', '.join(known)}")
            out[key] = known[key].validate(value)
        return out

    @staticmethod
    def _change(change) -> tuple:
        try:
            iteration, name, value, *label = change
        except (TypeError, ValueError):
            raise ValueError(f"a change must be (iteration, name, value), got {change!r}") from None
        return (V.integer("a change's iteration", iteration, 0), str(name), value, *label[:1])

    # -- derived ---------------------------------------------------------------------------------
    def optimizer_settings(self) -> dict:
        """Every hyperparameter of the optimizer, defaults filled in."""
        known = optimizer_class(self.optimizer).hyperparameters()
        return {key: self.hyperparameters.get(key, h.default) for key, h in known.items()}

    def label(self) -> str:
        """``name``, or a short description of the settings: 'adam lr=1e-3 he'."""
        if self.name:
            return self.name
        n = format_number
        parts = [self.optimizer, f"lr={n(self.optimizer_settings()['lr'])}",
                 NAMED_INITS.get(str(self.weight_init), "").lower() or f"std={n(self.weight_init)}"]
        if self.batchnorm:
            parts.append("bn")
        if self.dropout:
            parts.append(f"dropout={n(self.dropout)}")
        if self.weight_decay:
            parts.append(f"wd={n(self.weight_decay)}")
        return " ".join(parts)

    def replace(self, **changes) -> "RunSpec":
        """A copy with some settings changed (validated)."""
        return dataclasses.replace(self, **changes)

    # -- JSON ------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["hidden"] = list(self.hidden)
        d["changes"] = [list(c) for c in self.changes]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "RunSpec":
        """A spec from :meth:`to_dict`'s output; unknown keys are named."""
        if not isinstance(d, dict):
            raise ValueError(f"a run spec must be a JSON object, got {type(d).__name__}")
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(d) - set(names))
        if unknown:
            raise ValueError(f"unknown run setting {unknown[0]!r}{V.did_you_mean(unknown[0], names)}")
        return cls(**d)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "RunSpec":
        try:
            d = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"a run spec must be JSON: {exc}") from None
        return cls.from_dict(d)


def optimizer_hyperparameters() -> dict:
    """name -> (Hyperparameter, [optimizers that have it]) over all optimizers, learning rate first."""
    out = {}
    for key, cls in OPTIMIZERS.items():
        for name, h in cls.hyperparameters().items():
            out.setdefault(name, (h, []))[1].append(key)
    return out


def parse_schedule(text: str) -> dict | None:
    """'none', 'cosine' or 'step:step_size=1000,gamma=0.5' -> a schedule dict (validated)."""
    name, _, rest = str(text).partition(":")
    if name.strip().lower() in ("", "none"):
        return None
    spec = {"name": name.strip().lower()}
    for pair in (p for p in rest.split(",") if p.strip()):
        key, eq, value = pair.partition("=")
        if not eq:
            raise ValueError(f"schedule settings must look like name:key=value,..., got {text!r}")
        spec[key.strip()] = value.strip()
    cls = SCHEDULES.get(spec["name"])
    if cls is not None:
        hyper = cls.hyperparameters()
        for key in list(spec)[1:]:
            if key in hyper:
                spec[key] = hyper[key].parse(spec[key])
    return make_schedule(spec).to_dict()


def parse_setting(key: str, text: str):
    """``(field, value)`` of a RunSpec setting given as text (``--set lr=0.01``, command-line
    options): a RunSpec field, or an optimizer hyperparameter (``lr``, ``momentum``…) which goes
    into ``hyperparameters``. ValueError naming the setting."""
    key = key.strip().replace("-", "_")
    fields = {f.name: f for f in dataclasses.fields(RunSpec)}
    hyper = optimizer_hyperparameters()
    if key in hyper:
        return "hyperparameters", {key: hyper[key][0].parse(text)}
    if key not in fields or key in ("hyperparameters", "changes"):
        names = [n for n in fields if n not in ("hyperparameters", "changes")] + list(hyper)
        raise ValueError(f"unknown run setting {key!r}{V.did_you_mean(key, names)}; "
                         f"settings: {', '.join(names)}")
    default = fields[key].default
    text = str(text).strip()
    try:
        if key == "schedule":
            return key, parse_schedule(text)
        if isinstance(default, bool):
            if text.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError
            return key, text.lower() in ("1", "true", "yes", "on")
        if isinstance(default, tuple):
            return key, tuple(int(v) for v in text.split(",") if v.strip())
        if default is None or isinstance(default, int):
            return key, None if text.lower() == "none" and default is None else int(text)
        if isinstance(default, float):
            return key, float(text)
    except ValueError as exc:
        if str(exc) and key == "schedule":
            raise
        kind = ("true or false" if isinstance(default, bool) else
                "comma-separated integers" if isinstance(default, tuple) else
                "an integer" if default is None or isinstance(default, int) else "a number")
        raise ValueError(f"{key} must be {kind}, got {text!r}") from None
    return key, text


@dataclass(frozen=True)
class Dataset:
    """Data loaded by name: ``train`` and ``test`` as (x, t), the name used and why."""
    name: str
    train: tuple
    test: tuple
    message: str = ""


_cache: dict = {}
_cache_lock = threading.Lock()


def load_data(name: str = "default", *, download: bool = False, progress: bool = False) -> Dataset:
    """Load a dataset by name (cached for the process: runs and experiments share one copy).

    ``'default'`` takes MNIST, else Fashion-MNIST, else the embedded sample, whichever is already
    on the machine (a download only with ``download=True``); the :class:`Dataset`'s ``message``
    says what was used and why. Other names as :func:`trainlab.datasets.load_dataset`.
    """
    from trainlab import datasets

    key = (str(name), bool(download))
    with _cache_lock:
        if key not in _cache:
            if name == "default":
                chosen = datasets.load_default_dataset(download=download, progress=progress)
                (train, test), used, message = chosen.data, chosen.name, chosen.message
            else:
                train, test = datasets.load_dataset(name, download=download, progress=progress)
                used, message = str(name), ""
            _cache[key] = Dataset(used, train, test, message)
        return _cache[key]


def cut_data(data, train_size=None, test_size=None):
    """``((x_train, t_train), (x_test, t_test))`` cut to the first ``train_size`` / ``test_size``
    samples (views), with a clear error when the data are too few."""
    (x_train, t_train), (x_test, t_test) = data
    for what, size, n in (("train_size", train_size, len(x_train)), ("test_size", test_size, len(x_test))):
        if size is not None and size > n:
            raise ValueError(f"{what}={size} is more than the {n} samples the dataset has")
    if train_size is not None:
        x_train, t_train = x_train[:train_size], t_train[:train_size]
    if test_size is not None:
        x_test, t_test = x_test[:test_size], t_test[:test_size]
    return (x_train, t_train), (x_test, t_test)


def build(spec: RunSpec, data=None, **trainer_options):
    """The network, optimizer and Trainer of ``spec`` (``trainer.network``, ``.optimizer``;
    ``trainer.spec`` is ``spec``).

    Parameters
    ----------
    spec : RunSpec
    data : tuple, optional
        ``((x_train, t_train), (x_test, t_test))`` instead of loading ``spec.dataset`` (a search
        passes its validation split here).
    **trainer_options
        Further :class:`~trainlab.Trainer` keywords (callbacks, ``should_stop``).

    Returns
    -------
    trainlab.Trainer
        Evaluating before training and after every epoch, stopping on divergence, recording the
        loss of each step's own forward pass.
    """
    from trainlab.networks import MultiLayerNetExtend
    from trainlab.trainer import Trainer

    if data is None:
        loaded = load_data(spec.dataset)
        data = (loaded.train, loaded.test)
    (x_train, t_train), (x_test, t_test) = cut_data(data, spec.train_size, spec.test_size)
    if x_train.ndim != 2:
        x_train, x_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    if len(x_train) == 0:
        raise ValueError("the training set is empty (train_size must be >= 1)")
    classes = int(max(t_train.max(), t_test.max() if len(t_test) else 0)) + 1 if t_train.ndim == 1 \
        else t_train.shape[1]
    network = MultiLayerNetExtend(
        x_train.shape[1], list(spec.hidden), classes, spec.activation, spec.weight_init,
        spec.weight_decay, use_dropout=spec.dropout > 0, dropout_ratio=spec.dropout or 0.5,
        use_batchnorm=spec.batchnorm, dtype=spec.dtype, seed=spec.seed)
    optimizer = make_optimizer(spec.optimizer, **spec.hyperparameters, schedule=spec.schedule)
    options = dict(epochs=spec.epochs, mini_batch_size=spec.batch_size, optimizer=optimizer,
                   evaluate_sample_num_per_epoch=spec.eval_samples, verbose=False, seed=spec.seed,
                   record_loss="before_update", evaluate="epochs", threads=spec.threads,
                   changes=spec.changes)
    options.update(trainer_options)
    trainer = Trainer(network, x_train, t_train, x_test, t_test, **options)
    trainer.spec = spec
    return trainer
