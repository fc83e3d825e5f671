"""``trainlab-gui``'s command line: a bad value is one line naming it and exit status 2, before a
window opens; without a display it says so and how to run offscreen or under Xvfb."""
import gui_setup  # noqa: F401  (offscreen Qt, skips without the GUI extras: first)
import os
import subprocess
import sys

import pytest

from gui_setup import gui_env  # noqa: E402
from trainlab_gui.checks import display_problem  # noqa: E402

pytestmark = pytest.mark.timeout(120)


def gui(*args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environ.update(PYTHONPATH=gui_env()["PYTHONPATH"], **env)
    return subprocess.run([sys.executable, "-m", "trainlab_gui", *args], env=environ, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("args, says", [
    (["--run", "x", "--set", "lrr=0.1"], "unknown run setting 'lrr' (did you mean 'lr'?)"),
    (["--run", "x", "--set", "hidden=abc"], "hidden must be comma-separated integers, got 'abc'"),
    (["--run", "x", "--set", "lr"], "--set takes KEY=VALUE, got 'lr'"),
    (["--run", "x", "--set", "dropout=1.5"], "dropout must be in [0, 1), got 1.5"),
    (["--experiment", "compare_optimizers", "--option", "itrations=5"],
     "compare_optimizers has no option 'itrations' (did you mean 'iterations'?)"),
    (["--experiment", "overfitting", "--option", "epochs=many"], "epochs must be an integer, got 'many'"),
    (["--experiment", "compare_optimisers"], "unknown experiment 'compare_optimisers' (did you mean"),
    (["--run", "x", "--size", "big"], "--size must look like 1400x860, got 'big'"),
    (["--run", "x", "--report", "r.json"], "add --exit-after SECONDS or --until-done"),
    (["--load", "no/such/runs.json"], "--load no/such/runs.json: no such file"),
])
def test_a_bad_value_is_one_line_and_exit_status_2(args, says):
    out = gui(*args, QT_QPA_PLATFORM="offscreen")
    assert out.returncode == 2 and out.stderr.startswith("trainlab-gui: error: ")
    assert says in out.stderr and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_without_a_display_it_says_how_to_run_offscreen_or_under_xvfb():
    if not sys.platform.startswith("linux"):
        pytest.skip("X11/Wayland platforms")
    out = gui("--run", "x")
    assert out.returncode == 2 and "there is no display" in out.stderr
    assert "QT_QPA_PLATFORM=offscreen" in out.stderr and "xvfb-run trainlab-gui" in out.stderr
    assert "xcb-cursor" not in out.stderr


@pytest.mark.parametrize("environ, platform, missing", [
    ({}, "linux", "neither DISPLAY nor WAYLAND_DISPLAY"),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "DISPLAY is not set"),
    ({"QT_QPA_PLATFORM": "wayland"}, "linux", "WAYLAND_DISPLAY is not set"),
    ({"DISPLAY": ":0"}, "linux", None),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
    ({}, "darwin", None),
    ({}, "win32", None),
])
def test_the_display_check_follows_what_qt_would_use(environ, platform, missing):
    problem = display_problem(environ, platform)
    assert (problem is None) == (missing is None)
    if missing:
        assert missing in problem
