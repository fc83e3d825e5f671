"""Training in a child process of the app: live hyperparameter changes (applied at the next step,
recorded, replayed bit for bit), a refused change, a killed training process, and a training
process that ends with the app."""
import gui_setup  # noqa: F401  (offscreen Qt, skips without the GUI extras: first)
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from trainlab.engine import RunSpec, build, load_data  # noqa: E402
from trainlab_gui.app import training_threads  # noqa: E402
from trainlab_gui.session import Session  # noqa: E402

pytestmark = pytest.mark.timeout(150)
LONG = RunSpec(dataset="sample", hidden=(40, 30), train_size=1000, eval_samples=500, batch_size=50,
               epochs=10_000, dropout=0.2)


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    training_threads(1)  # the same threads in the app's child and in this process's replays
    load_data("sample")


@pytest.fixture
def session(qtbot):
    s = Session()
    yield s
    s.shutdown()


def _pause(qtbot, session, rec, after_steps):
    qtbot.waitUntil(lambda: rec.steps > after_steps, timeout=60000)
    session.pause()
    qtbot.waitUntil(lambda: rec.status == "paused", timeout=10000)
    return rec.steps


def _stop(qtbot, session):
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.stop()


def test_a_change_applies_at_the_next_step_is_recorded_and_replays_bit_for_bit(qtbot, session):
    rec = session.start(LONG)
    held = _pause(qtbot, session, rec, 25)
    session.change("lr", 0.003)
    session.change("dropout", 0.4)
    qtbot.wait(200)
    assert rec.changes == [] and rec.steps == held  # held: nothing applied, nothing trained
    session.resume()
    qtbot.waitUntil(lambda: rec.steps > held + 30, timeout=20000)
    _stop(qtbot, session)
    assert rec.changes == [(held, "lr", 0.003), (held, "dropout", 0.4)]
    assert rec.status == "stopped" and rec.final_test_acc is not None

    replay = build(rec.replay_spec(), iterations=rec.steps)
    replay.train()
    np.testing.assert_array_equal(replay.train_loss_list, rec.losses.view())
    assert replay.changes == [(held, "lr", 0.003, None), (held, "dropout", 0.4, None)]
    unchanged = build(rec.spec, iterations=rec.steps)
    unchanged.train()
    np.testing.assert_array_equal(unchanged.train_loss_list[:held], rec.losses.view()[:held])
    assert unchanged.train_loss_list[held + 1] != rec.losses.view()[held + 1]  # the change counted


def test_a_change_the_run_cannot_take_is_refused_with_the_reason(qtbot, session):
    rec = session.start(LONG.replace(dropout=0.0))
    _pause(qtbot, session, rec, 5)
    with qtbot.waitSignal(session.message, timeout=10000) as said:
        session.change("dropout", 0.3)
    assert "no dropout layers" in said.args[0]
    with qtbot.waitSignal(session.message, timeout=10000) as said:
        session.change("lr", -1.0)
    assert "lr" in said.args[0]
    session.resume()
    _stop(qtbot, session)
    assert rec.changes == []


def test_a_training_process_whose_app_closed_while_it_started_ends_quietly():
    import multiprocessing

    from trainlab_gui.core.child import serve

    ctx = multiprocessing.get_context("spawn")
    control_recv, control_send = ctx.Pipe(duplex=False)
    out_recv, out_send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=serve, args=(control_recv, out_send, "unused", None))
    process.start()
    out_recv.close()  # the app is gone before the process says it is ready
    control_send.close()
    process.join(60)
    assert process.exitcode == 0  # a traceback (BrokenPipeError) would give 1


def test_a_killed_training_process_fails_its_run_and_the_app_goes_on(qtbot, session):
    done = session.start(LONG.replace(epochs=1, name="before"))
    qtbot.waitUntil(lambda: not session.is_running(), timeout=60000)
    rec = session.start(LONG.replace(name="killed"))
    qtbot.waitUntil(lambda: rec.steps > 10, timeout=60000)
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        os.kill(session.training_pid, signal.SIGKILL)
    assert rec.status == "failed" and rec.stop_reason == "training process died: signal 9 (SIGKILL)"
    assert rec.steps > 10 and session.records == [done, rec] and not session.is_running()
    after = session.start(LONG.replace(epochs=1, name="after"))
    qtbot.waitUntil(lambda: after.status == "finished", timeout=60000)
    assert done.status == "finished" and after.steps == 20


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie nobody reaps yet
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_training_process_ends_with_the_app(tmp_path):
    script = tmp_path / "app.py"
    script.write_text(textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(gui_setup.GUI_SRC)!r})
        from PySide6.QtCore import QCoreApplication, QTimer
        from trainlab.engine import RunSpec
        from trainlab_gui.session import Session

        if __name__ == "__main__":
            app = QCoreApplication([])
            session = Session()
            rec = session.start(RunSpec(dataset="sample", hidden=(20,), train_size=500,
                                        batch_size=50, epochs=100_000))

            def training():
                if rec.steps > 0:
                    print(session.training_pid, flush=True)
                    os.kill(os.getpid(), signal.SIGKILL)
            timer = QTimer()
            timer.timeout.connect(training)
            timer.start(20)
            app.exec()
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == -signal.SIGKILL, out.stderr
    pid = int(out.stdout.split()[0])
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid)


def test_the_first_histograms_show_the_network_as_initialised_and_change_nothing(qtbot, session):
    """The snapshot at step 0 takes one extra forward and backward pass; its side effects
    (batch-norm running statistics, dropout streams) are undone, so the run's losses are those of
    the same run trained without the app."""
    short = LONG.replace(epochs=2, batchnorm=True)
    with qtbot.waitSignal(session.run_finished, timeout=60000):
        rec = session.start(short)
    assert rec.hist_steps[0] == 0 and set(rec.hist_history) == {"activation", "weight", "grad"}
    assert rec.hist_steps[-1] == rec.steps  # and one of the network as it ended
    headless = build(short)
    headless.train()
    np.testing.assert_array_equal(headless.train_loss_list, rec.losses.view())
    assert rec.final_test_acc == headless.final_test_acc
