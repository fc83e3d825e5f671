"""``trainlab-gui`` / ``python -m trainlab_gui`` / ``trainlab gui``: the desktop lab.

Scripted mode (demos, smoke tests, screenshots)::

    trainlab-gui --run demo --dataset sample --exit-after 10 --screenshot shot.png --report r.json
"""
from __future__ import annotations

import argparse
import sys

VIEWS = ("curves", "histograms", "paths", "experiments", "search", "batchnorm_graph")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the desktop lab's options (``--run``, ``--dataset``, ``--set``, ``--view``, ...).

    Parameters
    ----------
    p : argparse.ArgumentParser
        The parser (``trainlab-gui``'s own, or ``trainlab gui``'s subcommand).
    """
    p.add_argument("--run", metavar="NAME", help="start a training run called NAME at once "
                   "(the panel's settings, changed by --set)")
    p.add_argument("--dataset", default="sample", help="dataset of --run / --experiment "
                   "(sample, fashion-mnist, mnist, default or a folder of IDX files)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="a run setting, e.g. --set optimizer=sgd --set lr=0.01 --set hidden=50,50 "
                        "(repeatable; the settings of trainlab.engine.RunSpec and the optimizers' "
                        "hyperparameters)")
    p.add_argument("--view", choices=VIEWS, help="the tab to show")
    p.add_argument("--experiment", metavar="NAME", help="run a trainlab.experiments entry in the "
                   "experiments view")
    p.add_argument("--option", action="append", metavar="KEY=VALUE",
                   help="an option of --experiment, e.g. --option iterations=500 (repeatable)")
    p.add_argument("--load", metavar="RUNS.json", help="load saved runs (to compare with --run)")
    p.add_argument("--save-runs", metavar="RUNS.json", help="save all runs as JSON before quitting")
    p.add_argument("--search", metavar="STORE", help="show a search store (SQLite) in the search view")
    p.add_argument("--exit-after", type=float, metavar="SECONDS", help="quit after SECONDS")
    p.add_argument("--until-done", action="store_true", help="quit as soon as the --run or --experiment finishes")
    p.add_argument("--screenshot", metavar="FILE.png", help="save the window as PNG before quitting")
    p.add_argument("--report", metavar="FILE.json", help="write iterations, frames drawn, longest "
                   "event-loop stall and throughput as JSON before quitting")
    p.add_argument("--size", default="1400x860", help="window size WxH")
    p.add_argument("--theme", choices=("system", "light", "dark"), default="system",
                   help="colours of the window and its plots (default: the system's colour scheme)")
    p.add_argument("--threads", type=int, help="BLAS threads for training (default: all cores but "
                   "one, which the GUI thread keeps)")


def run(args) -> int:
    """Open the main window, do what ``args`` asks (scripted mode) and run the event loop.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options of :func:`add_arguments`.

    Returns
    -------
    int
        The exit status.
    """
    from trainlab_gui.app import application, training_threads
    from trainlab_gui.main_window import MainWindow
    from trainlab_gui.scripted import ScriptedRun

    training_threads(args.threads)
    app = application(sys.argv[:1])
    if getattr(args, "theme", "system") != "system":
        from trainlab_gui.views.theme import request

        request(args.theme)
    window = MainWindow()
    try:
        w, _, h = args.size.partition("x")
        window.resize(int(w), int(h))
        window.show()
        script = ScriptedRun(window, args)  # kept: its timer and slots live as long as it does
        script.start()
        return app.exec()
    finally:
        window.close()  # ends the training processes, also after an error


def main(argv=None) -> int:
    """Entry point of ``trainlab-gui``: parse ``argv`` (default: the command line), then run.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name.
    """
    from trainlab_gui.checks import check_arguments, display_problem

    parser = argparse.ArgumentParser(prog="trainlab-gui", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        check_arguments(args)  # before a window opens, and before any data loads
    except ValueError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    problem = display_problem()
    if problem is not None:
        print(f"{parser.prog}: error: {problem}", file=sys.stderr)
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
