"""Search spaces: validation, sampling on the right scale, narrowing."""
import math

import numpy as np
import pytest

from trainlab.search import Categorical, LogUniform, SearchSpace, Uniform, default_space


@pytest.mark.parametrize("make, match", [
    (lambda: LogUniform(1e-2, 1e-2), "empty range"),
    (lambda: LogUniform(1e-2, 1e-6), "empty range"),
    (lambda: Uniform(1.0, 0.0), "empty range"),
    (lambda: LogUniform(0.0, 1.0), "positive"),
    (lambda: LogUniform(-1.0, 1.0), "positive"),
    (lambda: Uniform(0.0, float("inf")), "finite"),
    (lambda: Uniform("a", 1.0), "number"),
    (lambda: Categorical(()), "non-empty"),
    (lambda: Categorical(("a", "a")), "repeat"),
    (lambda: Categorical(([1, 2],)), "not a str"),
    (lambda: SearchSpace({}), "at least one"),
    (lambda: SearchSpace(lr=(1e-6, 1e-2)), "expected LogUniform"),
])
def test_bad_space_raises_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_default_space_is_the_chapters():
    space = default_space()
    assert space == {"lr": LogUniform(1e-6, 1e-2), "weight_decay": LogUniform(1e-8, 1e-4)}


def test_log_uniform_is_uniform_in_log10():
    rng = np.random.default_rng(0)
    dist = LogUniform(1e-6, 1e-2)
    logs = np.log10([dist.sample(rng) for _ in range(4000)])
    assert logs.min() >= -6 and logs.max() <= -2
    # each decade gets about a quarter of the samples (a linear sampler would put ~90 % in the last)
    counts = np.histogram(logs, bins=4, range=(-6, -2))[0] / len(logs)
    assert np.all(np.abs(counts - 0.25) < 0.03)


def test_sampling_is_reproducible_and_covers_categories():
    space = SearchSpace(lr=LogUniform(1e-4, 1e-1), dropout=Uniform(0.0, 0.5),
                        optimizer=Categorical(("sgd", "adam")))
    a = [space.sample(np.random.default_rng(7)) for _ in range(3)]
    assert a[0] == a[1] == a[2]
    seen = {space.sample(np.random.default_rng(i))["optimizer"] for i in range(40)}
    assert seen == {"sgd", "adam"}


def test_narrowing_shrinks_around_good_values():
    space = SearchSpace(lr=LogUniform(1e-6, 1e-2), dropout=Uniform(0.0, 0.5),
                        optimizer=Categorical(("sgd", "adam", "momentum")))
    good = [{"lr": 1e-3, "dropout": 0.1, "optimizer": "adam"},
            {"lr": 5e-3, "dropout": 0.2, "optimizer": "sgd"}]
    new = space.narrowed(good, pad=0.1)
    # log axis: [-3, -2.3] widened by 0.4 decades, clipped at -2
    assert math.isclose(math.log10(new["lr"].low), -3.4) and new["lr"].high == pytest.approx(1e-2)
    assert new["dropout"].low == pytest.approx(0.05) and new["dropout"].high == pytest.approx(0.25)
    assert new["optimizer"].choices == ("sgd", "adam")
    # identical values still leave a non-empty range
    same = space.narrowed([good[0], good[0]], pad=0.1)
    assert same["lr"].low < 1e-3 < same["lr"].high


def test_space_round_trips_through_dict():
    space = SearchSpace(lr=LogUniform(1e-5, 1e-1), dropout=Uniform(0.0, 0.5),
                        n_hidden=Categorical((2, 4, 6)))
    assert SearchSpace.from_dict(space.to_dict()) == space
    with pytest.raises(ValueError, match="unknown distribution"):
        SearchSpace.from_dict({"lr": {"type": "normal"}})
