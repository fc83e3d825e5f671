#!/usr/bin/env python3
"""Make the documentation's screenshots of the desktop app from the app itself (Qt's offscreen
platform; needs the ``gui`` extra).

* ``docs/screenshots/experiments/NAME.png`` (and ``NAME-PAGE.png`` for a second page of a
  figure): the Experiments view at the end of each experiment's run, for the techniques page,
  where they stand beside the book's figure numbers;
* ``docs/screenshots/curves.png``, ``histograms.png``, ``optimizer_paths.png``,
  ``experiments.png``, ``search.png``: the views, for the app's page.

The experiments run on real Fashion-MNIST with the book's settings (the search with fewer trials)
unless ``--dataset sample`` is given; each view is grabbed alone, without the settings panel.

Usage: ``python scripts/make_app_screenshots.py [--out DOCS_DIR] [--dataset NAME]
[--only NAME ...] [--theme light|dark]``
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

# experiment -> (options, [figure pages to grab]; the first page when empty)
EXPERIMENTS = {
    "optimizer_paths": ({}, []),
    "compare_optimizers": ({}, []),
    "activation_histograms": ({}, ["sigmoid", "relu"]),
    "compare_weight_init": ({}, []),
    "batchnorm_sweep": ({}, []),
    "overfitting": ({}, []),
    "ensemble": ({}, []),
    "hyperparameter_search": ({"n_trials": 40, "n_workers": 1}, ["overview", "best trials"]),
}
VIEW_SIZE = (1150, 820)   # the view alone, as it is in a 1500 x 900 window


def _wait(app, done, seconds: float) -> None:
    t0 = time.monotonic()
    while not done() and time.monotonic() - t0 < seconds:
        app.processEvents()
        time.sleep(0.02)


def _settle(app, window) -> None:
    for _ in range(4):  # the redraw, then the layouts and ranges it changed
        window.redraw()
        app.processEvents()


def experiments(app, window, out: Path, dataset: str, names) -> None:
    view = window.views["experiments"]
    window.tabs.setCurrentWidget(view)
    (out / "screenshots" / "experiments").mkdir(parents=True, exist_ok=True)
    for name in names:
        options, pages = EXPERIMENTS[name]
        if name == "hyperparameter_search":
            options = dict(options, store=os.path.join(tempfile.mkdtemp(), "search.db"))
        view.select(name, dataset=dataset, **options)
        if not view.start():
            raise SystemExit(f"{name}: {view.error}")
        _wait(app, lambda: not view.running, 3600)
        if view.outcome()["status"] != "finished":
            raise SystemExit(f"{name}: {view.outcome()}")
        _settle(app, window)
        for i, page in enumerate(pages or [None]):
            if page is not None:
                view.page.setCurrentText(page)
                _settle(app, window)
            suffix = "" if i == 0 else "-" + page.replace(" ", "_")
            path = out / "screenshots" / "experiments" / f"{name}{suffix}.png"
            view.grab().save(str(path))
            print(path, view.summary.text())


def views(app, window, out: Path, dataset: str) -> None:
    from trainlab.engine import RunSpec

    session, finished = window.session, []
    session.run_finished.connect(lambda *_: finished.append(1))
    common = dict(dataset=dataset, train_size=6000, hidden=[100, 100, 100], epochs=6)
    runs = (RunSpec(**common, optimizer="sgd", hyperparameters={"lr": 0.01}, name="sgd lr=0.01, then 0.1"),
            RunSpec(**common, optimizer="adam", hyperparameters={"lr": 0.001}, activation="sigmoid",
                    weight_init="xavier", name="adam sigmoid xavier"))
    for k, spec in enumerate(runs):
        finished.clear()
        rec = session.start(spec)
        changed = False
        while not finished:
            app.processEvents()
            time.sleep(0.01)
            if k == 0 and not changed and rec.steps >= 150:  # a live change in epoch 3
                session.change("lr", 0.1)
                changed = True
        if rec.status != "finished":
            raise SystemExit(f"{spec.name}: {rec.status} {rec.stop_reason}")
    for key in ("curves", "histograms", "paths"):
        window.tabs.setCurrentWidget(window.views[key])
        _wait(app, lambda: False, 1.5)  # the paths are animated
        _settle(app, window)
        name = "optimizer_paths" if key == "paths" else key
        window.views[key].grab().save(str(out / "screenshots" / f"{name}.png"))
    store = os.path.join(tempfile.mkdtemp(), "search.db")
    search = window.views["search"]
    window.tabs.setCurrentWidget(search)
    search.path.setText(store)
    search.trials_spin.setValue(24)
    search.epochs_spin.setValue(20)
    search.start()
    _wait(app, lambda: not search.running, 1800)
    if search.status.text().startswith("search failed"):
        raise SystemExit(search.status.text())
    _wait(app, lambda: False, 1.0)
    _settle(app, window)
    search.grab().save(str(out / "screenshots" / "search.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    parser.add_argument("--dataset", default="fashion-mnist")
    parser.add_argument("--only", nargs="*", help="experiments to grab (default: all), or 'views'")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from trainlab_gui.app import application
    from trainlab_gui.main_window import MainWindow
    from trainlab_gui.views.theme import request

    app = application()
    request(args.theme)
    window = MainWindow()
    window.resize(1500, 900)
    window.show()
    for view in window.views.values():
        view.setMinimumSize(*VIEW_SIZE)
    names = args.only or list(EXPERIMENTS) + ["views"]
    try:
        experiments(app, window, args.out, args.dataset, [n for n in names if n != "views"])
        if "views" in names:
            views(app, window, args.out, args.dataset)
    finally:
        window.close()


if __name__ == "__main__":
    main()
