"""Hyperparameters describe themselves and validate every assignment."""
import inspect

import numpy as np
import pytest

from trainlab.hyperparameters import Hyperparameter
from trainlab.optim import OPTIMIZERS, SCHEDULES, Adam, Momentum, make_optimizer, make_schedule


@pytest.mark.parametrize("cls", list(OPTIMIZERS.values()) + list(SCHEDULES.values()))
def test_constructor_defaults_are_the_published_defaults(cls):
    signature = inspect.signature(cls.__init__).parameters
    for name, h in cls.hyperparameters().items():
        default = signature[name].default
        if default is not inspect.Parameter.empty:
            assert default == h.default, name


def test_every_optimizer_lists_the_learning_rate_first_on_a_log_scale():
    for cls in OPTIMIZERS.values():
        hyper = cls.hyperparameters()
        assert next(iter(hyper)) == "lr" and hyper["lr"].log and hyper["lr"].live
    assert Adam.hyperparameters()["lr"].default == 0.001
    assert list(Adam.hyperparameters()) == ["lr", "beta1", "beta2"]


@pytest.mark.parametrize("value, message", [
    (-0.1, r"lr must be in \(0, inf\)"), (0, r"lr must be in"), (float("nan"), "lr must be finite"),
    (float("inf"), "lr must be finite"), ("0.1", "lr must be a number"), (True, "lr must be a number"),
])
def test_assignments_are_validated(value, message):
    opt = Momentum()
    with pytest.raises(ValueError, match=message):
        opt.lr = value
    assert opt.lr == 0.01


def test_an_assigned_hyperparameter_is_used_by_the_next_update():
    opt = Momentum(lr=0.1, momentum=0.0)
    p, g = {"w": np.ones(3)}, {"w": np.ones(3)}
    opt.update(p, g)
    opt.lr = 0.5
    opt.update(p, g)
    np.testing.assert_allclose(p["w"], 1 - 0.1 - 0.5)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        opt.momentum = 1.0


def test_parse_and_integers():
    steps = SCHEDULES["step"].hyperparameters()["step_size"]
    assert steps.parse("10") == 10 and isinstance(steps.parse("10"), int)
    with pytest.raises(ValueError, match="step_size must be an integer"):
        steps.parse("1.5")
    with pytest.raises(ValueError, match=r"step_size must be in \[1, inf\)"):
        steps.validate(0)
    assert Hyperparameter(1.0, low=0, high=1, name="p").parse("0.25") == 0.25


def test_unknown_names_get_a_suggestion():
    with pytest.raises(ValueError, match=r"unknown optimizer 'adamm' \(did you mean 'adam'\?\)"):
        make_optimizer("adamm")
    with pytest.raises(ValueError, match=r"no hyperparameter 'beta3'"):
        make_optimizer("adam", beta3=0.5)
    with pytest.raises(ValueError, match=r"unknown schedule 'cosin' \(did you mean 'cosine'\?\)"):
        make_schedule({"name": "cosin"})
    assert make_schedule(make_schedule({"name": "step", "step_size": 5}).to_dict()).step_size == 5
