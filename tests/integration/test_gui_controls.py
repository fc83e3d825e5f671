"""The app's controls: the settings form made from the engine's descriptions, locked and live
fields while a run trains, the toolbar and its shortcuts, run names, tooltips and the side-by-side
comparison of runs."""
import gui_setup  # noqa: F401  (offscreen Qt, skips without the GUI extras: first)
from gui_setup import shown  # noqa: E402

import dataclasses

import pytest

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QToolBar  # noqa: E402

from trainlab.engine import RunSpec, load_data  # noqa: E402
from trainlab.optim import OPTIMIZERS, SCHEDULES  # noqa: E402
from trainlab_gui.app import training_threads  # noqa: E402
from trainlab_gui.editors import NumberBox, ladder_step  # noqa: E402
from trainlab_gui.main_window import MainWindow  # noqa: E402
from trainlab_gui.panel import ParameterPanel  # noqa: E402

pytestmark = pytest.mark.timeout(150)
SMALL = RunSpec(dataset="sample", hidden=(40, 30), train_size=1000, eval_samples=500, batch_size=50)


def explicit(spec):
    """``spec`` with every hyperparameter of its optimizer given (the form gives them all)."""
    return spec.replace(hyperparameters=spec.optimizer_settings())


@pytest.fixture(scope="module", autouse=True)
def _threads():
    training_threads(1)
    load_data("sample")


@pytest.fixture
def window(qtbot):
    w = shown(qtbot, MainWindow())
    yield w
    w.close()


@pytest.fixture
def panel(qtbot):
    p = ParameterPanel()
    qtbot.addWidget(p)
    return p


def test_the_form_has_a_row_per_setting_and_only_the_chosen_optimizers_hyperparameters(panel):
    own = {"hyperparameters", "schedule", "changes"}
    assert set(panel.editors) == {f.name for f in dataclasses.fields(RunSpec)} - own
    assert explicit(panel.config()) == explicit(RunSpec())  # the form starts at the defaults
    for name, cls in OPTIMIZERS.items():
        panel.editors["optimizer"].set(name)
        assert list(panel.hyper) == list(cls.hyperparameters())
        assert panel.hyper["lr"].get() == cls.hyperparameters()["lr"].default
    for name, cls in SCHEDULES.items():
        panel.schedule_box.setCurrentText(name)
        assert list(panel.schedule) == list(cls.hyperparameters())
    panel.schedule_box.setCurrentText("none")
    assert panel.schedule == {} and panel.config().schedule is None
    assert panel.editors["dropout"].widget.toolTip() == RunSpec.__dataclass_fields__["dropout"].metadata["help"]


@pytest.mark.parametrize("spec", [
    RunSpec(),
    RunSpec(name="x", dataset="sample", train_size=500, test_size=200, hidden=(50, 20), activation="tanh",
            weight_init=0.01, batchnorm=True, dropout=0.3, weight_decay=0.05, optimizer="momentum",
            hyperparameters={"lr": 0.05, "momentum": 0.8}, schedule={"name": "step", "step_size": 300, "gamma": 0.5},
            batch_size=32, epochs=7, seed=3, dtype="float64", threads=1, eval_samples=100),
    RunSpec(optimizer="rmsprop", hyperparameters={"lr": 2.5e-4, "decay_rate": 0.95},
            schedule={"name": "cosine", "total_steps": 900, "min_lr": 1e-5}),
])
def test_the_form_shows_a_spec_and_gives_it_back(panel, spec):
    panel.set_config(spec)
    assert explicit(panel.config()) == explicit(spec)


def test_a_value_typed_for_one_optimizer_is_kept_when_coming_back_to_it(panel):
    panel.editors["optimizer"].set("momentum")
    panel.hyper["momentum"].set(0.5)
    panel.editors["optimizer"].set("adam")
    panel.editors["optimizer"].set("momentum")
    assert panel.hyper["momentum"].get() == 0.5


def test_numbers_are_typed_as_written_and_stepped_1_2_5_on_a_log_scale(panel):
    box = panel.hyper["lr"].widget
    assert isinstance(box, NumberBox) and box.text() == "1e-3"
    box.lineEdit().setText("2.5e-4")
    box.interpretText()
    assert box.value() == 2.5e-4
    box.setValue(1e-3)
    box.stepBy(1)
    assert box.value() == pytest.approx(2e-3)
    box.stepBy(-2)
    assert box.value() == pytest.approx(5e-4)
    assert ladder_step(1e-4, False, 0.0) == 0.0 and ladder_step(0.0, True, 0.0) == 1e-4  # λ down to 0


def test_settings_that_cannot_change_are_locked_while_a_run_trains_and_live_ones_apply(qtbot, window):
    spec = SMALL.replace(epochs=10_000, dropout=0.2, optimizer="momentum", hyperparameters={"lr": 0.05})
    window.panel.set_config(spec)
    rec = window.start_run()
    qtbot.waitUntil(lambda: rec.steps > 10, timeout=60000)
    live = {"lr", "momentum", "weight_decay", "dropout"}
    assert set(window.panel.live_fields()) == live
    for key, editor in {**window.panel.editors, **window.panel.extra}.items():
        assert editor.widget.isEnabled() == (key in live), key
    assert not window.panel.schedule_box.isEnabled() and window.panel.hint.isVisible()
    window.panel.hyper["lr"].set(0.01)
    window.panel.editors["weight_decay"].set(0.001)
    window.panel.commit_live()
    qtbot.waitUntil(lambda: len(rec.changes) == 2, timeout=20000)
    assert [c[1:] for c in rec.changes] == [("lr", 0.01), ("weight_decay", 0.001)]
    assert 10 < rec.changes[0][0] <= rec.changes[1][0]  # each from the step after it arrived
    said = f"weight_decay = 1e-3 from step {rec.changes[1][0] + 1}"  # with lr when at one step
    qtbot.waitUntil(lambda: window.message.text().endswith(said), timeout=5000)
    with qtbot.waitSignal(window.session.run_finished, timeout=20000):
        window.stop_action.trigger()
    assert all(e.widget.isEnabled() for e in {**window.panel.editors, **window.panel.extra}.values())
    assert window.panel.config().hyperparameters["lr"] == 0.01  # the form keeps what was set


def test_the_toolbar_is_in_view_with_shortcuts_and_runs_are_named_by_what_differs(qtbot, window):
    bar = window.findChild(QToolBar)
    window.resize(1400, 860)
    assert bar.isVisible() and bar.geometry().bottom() < 100
    assert [a.shortcuts()[0].toString() for a in (window.start_action, window.pause_action,
                                                   window.stop_action)] == ["F5", "F6", "Shift+F5"]
    window.panel.set_config(SMALL.replace(epochs=1))
    window.activateWindow()
    with qtbot.waitSignal(window.session.run_finished, timeout=60000):
        qtbot.keyClick(window, Qt.Key_F5)
    window.panel.set_config(SMALL.replace(epochs=1, seed=1))
    with qtbot.waitSignal(window.session.run_finished, timeout=60000):
        window.start_action.trigger()
    first, second = window.session.records
    assert (first.name, second.name) == ("adam lr=1e-3 he", "adam lr=1e-3 he seed=1")
    item = window.runs.tree.topLevelItem(1)
    assert item.text(0) == second.name and item.text(3) == f"{second.final_test_acc:.3f}"
    assert "seed" in item.toolTip(0) and "final test acc" in item.toolTip(0)
    window.runs.tree.selectAll()
    table = window.runs.compare
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    assert rows == ["seed", "final test acc"] and table.item(0, 1).text() == "1"
    assert window.statusBar().currentMessage().endswith(f"final test acc {second.final_test_acc:.3f}")


def test_a_run_is_replayed_from_its_record(qtbot, window):
    window.panel.set_config(SMALL.replace(epochs=1))
    with qtbot.waitSignal(window.session.run_finished, timeout=60000):
        first = window.start_run()
    window.runs.tree.topLevelItem(0).setSelected(True)
    with qtbot.waitSignal(window.session.run_finished, timeout=60000):
        window.runs.replay_button.click()
    again = window.session.records[1]
    assert again.name == f"{first.name} (replay)" and again.spec.replace(name="") == first.spec
    assert (again.losses.view() == first.losses.view()).all()
