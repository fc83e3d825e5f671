"""What ``trainlab-gui`` checks before it opens a window: every command-line value (one clear
line and exit status 2 for a bad one, like ``trainlab``), and that there is a display to open
the window on. Qt-free: Qt itself aborts without a display, with a misleading message."""
from __future__ import annotations

import os
import re
import sys

__all__ = ["check_arguments", "display_problem"]


def check_arguments(args) -> None:
    """ValueError naming the first bad value among the parsed options."""
    from trainlab._validate import did_you_mean
    from trainlab.engine import RunSpec

    from trainlab_gui.scripted import spec_with_settings

    if not re.fullmatch(r"[1-9]\d*x[1-9]\d*", args.size):
        raise ValueError(f"--size must look like 1400x860, got {args.size!r}")
    if args.threads is not None and args.threads < 1:
        raise ValueError(f"--threads must be at least 1, got {args.threads}")
    if args.exit_after is not None and args.exit_after < 0:
        raise ValueError(f"--exit-after must be a number of seconds >= 0, got {args.exit_after:g}")
    if (args.screenshot or args.report) and args.exit_after is None and not args.until_done:
        raise ValueError("--screenshot and --report are written on the way out: add --exit-after "
                         "SECONDS or --until-done")
    if args.until_done and not (args.run or args.experiment):
        raise ValueError("--until-done waits for a --run or an --experiment")
    if args.set and not args.run:
        raise ValueError("--set changes the settings of a --run")
    spec_with_settings(RunSpec(dataset=args.dataset), args.set)
    if args.option and not args.experiment:
        raise ValueError("--option sets an option of an --experiment")
    if args.experiment:
        from trainlab.experiments import EXPERIMENTS

        if args.experiment not in EXPERIMENTS:
            raise ValueError(f"unknown experiment {args.experiment!r}"
                             f"{did_you_mean(args.experiment, EXPERIMENTS)}; experiments: "
                             f"{', '.join(EXPERIMENTS)}")
        for item in args.option or ():
            key, eq, value = item.partition("=")
            if not eq:
                raise ValueError(f"--option takes KEY=VALUE, got {item!r}")
            EXPERIMENTS[args.experiment].parse_option(key.strip(), value)
    if args.load and not os.path.isfile(args.load):
        raise ValueError(f"--load {args.load}: no such file")


def display_problem(environ=os.environ, platform: str = sys.platform) -> str | None:
    """Why Qt cannot open a window here (None: it can, as far as the environment says).

    On Linux and the BSDs Qt takes the X11 (xcb) or Wayland platform from DISPLAY or
    WAYLAND_DISPLAY; with neither it aborts, and its message blames a missing xcb-cursor library."""
    if platform in ("win32", "darwin") or platform.startswith("cygwin"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen and chosen not in ("xcb", "wayland", "wayland-egl"):
        return None  # offscreen, vnc, eglfs…: no display server needed
    needs_x = chosen == "xcb" or (not chosen and not environ.get("WAYLAND_DISPLAY"))
    if needs_x and not environ.get("DISPLAY"):
        why = "QT_QPA_PLATFORM=xcb but DISPLAY is not set" if chosen else "neither DISPLAY nor WAYLAND_DISPLAY is set"
    elif chosen.startswith("wayland") and not environ.get("WAYLAND_DISPLAY"):
        why = f"QT_QPA_PLATFORM={chosen} but WAYLAND_DISPLAY is not set"
    else:
        return None
    return (f"there is no display to open the window on ({why}). Run it offscreen with "
            "QT_QPA_PLATFORM=offscreen (with --exit-after/--until-done and --screenshot/--report), "
            "or under a virtual X server: xvfb-run trainlab-gui ...")
