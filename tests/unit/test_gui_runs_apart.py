"""The app's Qt-free helpers for training in a child process and telling runs apart: the loss
ring in shared memory, run settings as text, default names from what differs."""
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

try:
    import trainlab_gui  # noqa: F401
except ImportError:  # not reinstalled since gui/ was added: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gui"))

from trainlab.engine import RunSpec  # noqa: E402
from trainlab_gui.core.lossring import LossRing  # noqa: E402
from trainlab_gui.core.naming import default_name, differing, number, settings  # noqa: E402


@pytest.fixture
def ring():
    reader = LossRing.create(capacity=8)
    writer = LossRing.attach(reader.name)
    yield reader, writer
    writer.close()
    reader.close()


def test_the_ring_hands_over_every_loss_in_order_across_the_wrap(ring):
    reader, writer = ring
    taken = []
    for chunk in (3, 5, 7, 8, 1):  # 8 fills the ring exactly; the rest wrap around
        for k in range(chunk):
            assert writer.put(float(len(taken) + k))
        taken.extend(reader.take())
    assert taken == [float(i) for i in range(24)] and reader.read_count == 24
    assert reader.take().size == 0
    writer.set_seconds(1.5, 1.25)
    assert reader.seconds == (1.5, 1.25)


def test_a_full_ring_waits_for_the_reader_or_gives_up(ring):
    reader, writer = ring
    for i in range(8):
        writer.put(float(i))
    assert not writer.put(8.0, give_up=lambda: True)  # full: dropped, nothing overwritten
    assert writer.written == 8
    late = threading.Timer(0.05, reader.take)
    late.start()
    assert writer.put(8.0)  # waits until the reader has taken some
    late.join()
    np.testing.assert_array_equal(reader.take(), [8.0])


def test_numbers_read_as_a_person_writes_them():
    assert [number(v) for v in (0.001, 2.5e-4, 0.9, 100, 3.0, 1e6, 12345.6, 0.5, True)] == \
        ["1e-3", "2.5e-4", "0.9", "100", "3", "1e6", "1.235e4", "0.5", "True"]


def test_settings_show_the_optimizers_own_hyperparameters_and_the_schedule():
    s = settings(RunSpec(optimizer="momentum", hidden=(50, 20), schedule={"name": "step", "step_size": 100},
                         changes=((30, "lr", 0.02),)))
    assert s["hidden"] == "50,20" and s["lr"] == "0.01" and s["momentum"] == "0.9"
    assert "beta1" not in s and s["train_size"] == "all" and s["threads"] == "default"
    assert s["schedule"] == "step(step_size=100,gamma=0.1)"
    assert s["changes"] == "lr=0.02 at step 30" and "name" not in s


def test_differing_settings_include_those_only_one_optimizer_has():
    a, b = RunSpec(), RunSpec(optimizer="sgd", seed=2)
    assert differing([a, a]) == []
    assert differing([a, b]) == ["optimizer", "lr", "beta1", "beta2", "seed"]


def test_default_names_say_what_sets_a_run_apart():
    a = RunSpec()
    b = a.replace(seed=1)
    c = a.replace(optimizer="sgd", hyperparameters={"lr": 0.1})
    d = a.replace(hidden=(50,), batch_size=20)
    assert default_name(a) == "adam lr=1e-3 he"
    assert default_name(b, [a]) == "adam lr=1e-3 he seed=1"
    assert default_name(c, [a, b]) == "sgd lr=0.1 he"  # the closest run differs in the label only
    assert default_name(d, [a, b, c]) == "adam lr=1e-3 he hidden=50 batch_size=20"
    e = a.replace(dropout=0.2)  # the closest run is another optimizer's: its betas are not named
    assert default_name(e, [c]) == "adam lr=1e-3 he dropout=0.2"
    f = a.replace(hyperparameters={"beta1": 0.8})
    assert default_name(f, [a]) == "adam lr=1e-3 he beta1=0.8"
    assert default_name(a, [a], ["adam lr=1e-3 he", "adam lr=1e-3 he (2)"]) == "adam lr=1e-3 he (3)"
