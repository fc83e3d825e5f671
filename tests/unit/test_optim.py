"""The optimizers and schedules as objects: every schedule's formula, state saved and loaded outside
a checkpoint, updates of plain dicts (the book's own optimizer scripts), each against the book."""
import math

import numpy as np
import pytest

from trainlab.optim import (OPTIMIZERS, ConstantLR, CosineDecay, ExponentialDecay, StepDecay,
                            make_optimizer, make_schedule)
from trainlab.reference import book


@pytest.mark.parametrize("schedule, expected", [
    (ConstantLR(), lambda lr, k: lr),
    (StepDecay(step_size=3, gamma=0.5), lambda lr, k: lr * 0.5 ** (k // 3)),
    (ExponentialDecay(gamma=0.9), lambda lr, k: lr * 0.9 ** k),
    (CosineDecay(total_steps=10, min_lr=0.01),
     lambda lr, k: 0.01 + (lr - 0.01) * 0.5 * (1 + math.cos(math.pi * min(k, 10) / 10))),
])
def test_every_schedule_follows_its_formula_and_drives_the_optimizer(schedule, expected):
    for k in range(25):
        assert schedule(0.2, k) == pytest.approx(expected(0.2, k))
    opt = make_optimizer("sgd", lr=0.2, schedule=schedule)
    p, g = {"w": np.zeros(1)}, {"w": np.ones(1)}
    for k in range(12):
        assert opt.current_lr == pytest.approx(expected(0.2, k))
        opt.update(p, g)
    assert p["w"][0] == pytest.approx(-sum(expected(0.2, k) for k in range(12)))
    assert make_schedule(schedule.to_dict())(0.2, 7) == pytest.approx(schedule(0.2, 7))


def test_cosine_stays_at_min_lr_after_total_steps_and_bad_settings_are_named():
    assert CosineDecay(total_steps=4, min_lr=0.1)(1.0, 100) == pytest.approx(0.1)
    for spec, message in (({"name": "step", "step_size": 0}, "step_size must be in"),
                          ({"name": "exponential", "gamma": 1.5}, "gamma must be in"),
                          ({"name": "cosine", "total_steps": 10, "min_lr": -1}, "min_lr must be in"),
                          ({"name": "step", "step_size": 5, "decay": 0.1}, "no setting 'decay'"),
                          ("step", "schedule must be None, a Schedule")):
        with pytest.raises(ValueError, match=message):
            make_schedule(spec)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_state_dict_continues_a_run_bit_for_bit(name, rng):
    """Saved and loaded outside a checkpoint: a new optimizer continues exactly."""
    shapes = {"W1": (5, 4), "b1": (4,)}
    params = {k: rng.standard_normal(s) for k, s in shapes.items()}
    grads = [{k: rng.standard_normal(s) for k, s in shapes.items()} for _ in range(6)]
    whole = make_optimizer(name, lr=0.05)
    p_whole = {k: v.copy() for k, v in params.items()}
    for g in grads:
        whole.update(p_whole, g)
    first = make_optimizer(name, lr=0.05)
    p = {k: v.copy() for k, v in params.items()}
    for g in grads[:3]:
        first.update(p, g)
    saved = first.state_dict()
    second = make_optimizer(name, lr=0.05)
    second.load_state_dict(saved)
    for g in grads[3:]:
        second.update(p, g)
    for k in p:
        np.testing.assert_array_equal(p[k], p_whole[k])
    assert second.iterations == 6
    with pytest.raises(ValueError, match="state is for"):
        make_optimizer("sgd" if name != "sgd" else "adam").load_state_dict(saved)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_plain_dicts_of_floats_and_arrays_update_like_the_book(name):
    """The book's optimizer_compare_naive.py keeps Python floats in params; other scripts keep
    arrays of any layout. Each is updated as the book's ``params[key] -= ...`` would."""
    ours, theirs = make_optimizer(name, lr=0.1), book.OPTIMIZERS[name](lr=0.1)
    p_ours, p_book = {"x": -7.0, "y": 2.0}, {"x": -7.0, "y": 2.0}
    for _ in range(5):
        for p, opt in ((p_ours, ours), (p_book, theirs)):
            opt.update(p, {"x": p["x"] / 10.0, "y": 2.0 * p["y"]})
    assert type(p_ours["x"]) is float
    assert p_ours == pytest.approx(p_book, rel=1e-12)
    strided = np.arange(12.0).reshape(3, 4)[:, ::2]  # not contiguous: updated in place all the same
    ours = make_optimizer(name, lr=0.1)
    ours.update({"s": strided}, {"s": np.ones_like(strided)})
    assert strided[0, 0] < 0.0
    with pytest.raises(ValueError, match=r"params\['n'\] is an array of int64, updated in place it would be truncated"):
        ours.update({"n": np.arange(3)}, {"n": np.ones(3)})
