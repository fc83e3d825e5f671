"""Training throughput with the desktop app showing the run vs headless training of the same run,
in the same process, alternated (A B A B …) so machine load hits both alike.

    python benchmarks/gui_throughput.py [--epochs 20] [--repeats 5] [--view curves] [--threads N]
                                        [--curve-points 1000000] [--curve-runs 3]

Prints steps/s of each, their ratio (goal: the app keeps >= 90 % of headless throughput), the
longest event-loop stall while training (10 ms heartbeat) and the frames drawn. Then the cost of
one live frame of the curves view when each of ``--curve-runs`` runs already has
``--curve-points`` losses (new points arrive every frame; refresh + a full paint of the view).
Runs offscreen unless QT_QPA_PLATFORM is set.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))  # before the package is reinstalled


def headless(config) -> float:
    from trainlab_gui.runs import build_trainer

    trainer = build_trainer(config)
    start = time.perf_counter()
    trainer.train()
    return trainer.current_iter / (time.perf_counter() - start)


def with_app(window, config) -> dict:
    from PySide6.QtCore import QEventLoop

    from trainlab_gui.app import StallMeter

    meter = StallMeter()
    frames0 = window.frames
    meter.start()
    rec = window.session.start(config)
    loop = QEventLoop()  # not app.exec()/quit(): Qt 6's quit() closes the windows
    window.session.run_finished.connect(loop.quit)
    loop.exec()
    window.session.run_finished.disconnect(loop.quit)
    meter.stop()
    return {"steps_per_s": rec.steps_per_second, "stall_ms": meter.max_stall_ms,
            "frames": window.frames - frames0, "steps": rec.steps}


def big_curves(window, points: int, runs: int, frames: int = 30) -> None:
    import numpy as np

    from trainlab_gui.runs import RunConfig, RunRecord

    view = window.views["curves"]
    window.tabs.setCurrentWidget(view)
    rng = np.random.default_rng(0)
    records = []
    for r in range(runs):
        rec = RunRecord(RunConfig(name=f"big-{r}"))
        rec.apply_snapshot({"losses": 2.3 * np.exp(-np.arange(points) / (points / 5))
                            + 0.1 * rng.random(points), "epochs": [], "step": points})
        records.append(rec)
    window.session.add(records)
    t0 = time.perf_counter()
    view.refresh(window.session)
    view.graphics.grab()
    first = time.perf_counter() - t0
    refresh, paint = [], []
    for _ in range(frames):
        for rec in records:  # 60 new steps per run per frame
            rec.apply_snapshot({"losses": rng.random(60), "epochs": [], "step": rec.steps + 60})
        t0 = time.perf_counter()
        view.refresh(window.session)
        t1 = time.perf_counter()
        view.graphics.grab()  # a full paint of the view into an image
        paint.append(time.perf_counter() - t1)
        refresh.append(t1 - t0)
    print(f"\ncurves view, {runs} runs x {points:,} losses (raw + smoothed), {frames} live frames: "
          f"first frame {1e3 * first:.0f} ms; per frame: refresh median {1e3 * statistics.median(refresh):.1f} ms, "
          f"paint median {1e3 * statistics.median(paint):.1f} ms, "
          f"slowest frame {1e3 * max(a + b for a, b in zip(refresh, paint)):.1f} ms")
    for rec in records:
        window.session.remove(rec)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="sample")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--view", default="curves", choices=["curves", "histograms"])
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--curve-points", type=int, default=1_000_000, help="0: skip the big-curve frame timing")
    p.add_argument("--curve-runs", type=int, default=3)
    args = p.parse_args(argv)

    from trainlab_gui.app import application, training_threads
    from trainlab_gui.main_window import MainWindow
    from trainlab_gui.runs import RunConfig, load_data

    threads = training_threads(args.threads)
    app = application()
    load_data(args.dataset)
    window = MainWindow()
    window.tabs.setCurrentWidget(window.views[args.view])
    window.show()
    config = RunConfig(name="bench", dataset=args.dataset, epochs=args.epochs)
    warm = RunConfig(name="warm-up", dataset=args.dataset, epochs=1)
    headless(warm)  # warm-up: caches, first-call costs, the window's first paint
    with_app(window, warm)
    a, b = [], []
    for i in range(args.repeats):
        a.append(headless(config))
        b.append(with_app(window, config))
        print(f"repeat {i + 1}: headless {a[-1]:8.1f} steps/s | app {b[-1]['steps_per_s']:8.1f} steps/s, "
              f"max stall {b[-1]['stall_ms']:6.1f} ms, {b[-1]['frames']} frames", flush=True)
    ha = statistics.median(a)
    ga = statistics.median(r["steps_per_s"] for r in b)
    paired = sorted(r["steps_per_s"] / h for r, h in zip(b, a))  # neighbours share the machine's load
    spread = (max(a) - min(a)) / ha
    print(f"\n{config.dataset}, 784-{'-'.join(map(str, config.hidden))}-10, {config.optimizer}, "
          f"batch {config.batch_size}, {args.epochs} epochs, {threads} BLAS thread(s), view {args.view}")
    print(f"headless  median {ha:8.1f} steps/s (spread {100 * spread:.0f} %)")
    print(f"with app  median {ga:8.1f} steps/s")
    print(f"ratio     {ga / ha:.3f} of medians, {statistics.median(paired):.3f} median of pairs "
          f"(pairs {paired[0]:.3f}..{paired[-1]:.3f}; goal >= 0.90)")
    if spread > 0.15:
        print("warning: headless throughput varied by more than 15 % between repeats: the machine "
              "was busy, the ratio is uncertain")
    print(f"max event-loop stall while training: {max(r['stall_ms'] for r in b):.1f} ms; "
          f"frames drawn: {sum(r['frames'] for r in b)}")
    if args.curve_points:
        big_curves(window, args.curve_points, args.curve_runs)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
