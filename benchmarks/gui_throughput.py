"""Training throughput with the desktop app showing the run vs headless training of the same run,
in the same process, alternated (A B A B …) so machine load hits both alike.

    python benchmarks/gui_throughput.py [--epochs 20] [--repeats 5] [--view curves] [--threads N]
                                        [--overlay 0] [--curve-points 1000000] [--curve-runs 3]

Prints steps/s of each, their ratio (goal: the app keeps >= 90 % of headless throughput), the
training thread's CPU time over its wall time in each (what it waited for), the longest event-loop
stall while training (10 ms heartbeat) and the frames drawn; ``--overlay N`` first adds N finished
runs to the view (the runs of the repeats stay too). Both sides train with the same thread count
(``--threads``, default all cores but one: the app's GUI thread keeps a core). Then the cost of
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


def headless(config) -> tuple[float, float]:
    """(steps/s, the training thread's CPU time over its wall time)."""
    from trainlab.engine import build

    trainer = build(config)
    start, cpu = time.perf_counter(), time.thread_time()
    trainer.train()
    wall = time.perf_counter() - start
    return trainer.current_iter / wall, (time.thread_time() - cpu) / wall


def finished_runs(n: int, steps: int = 2000, epochs: int = 20) -> list:
    """``n`` finished runs shaped like this benchmark's own (sample, 20 epochs), to overlay."""
    import numpy as np

    from trainlab.engine import RunSpec
    from trainlab_gui.core.runs import RunRecord

    rng = np.random.default_rng(0)
    records = []
    for r in range(n):
        rec = RunRecord(RunSpec(name=f"done-{r}"))
        rec.apply_snapshot({"losses": 2.3 * np.exp(-np.arange(steps) / (steps / 5)) + 0.2 * rng.random(steps),
                            "epochs": [(e, e * steps // epochs, 0.8 + e / 120, 0.78 + e / 130)
                                       for e in range(1, epochs + 1)], "step": steps})
        rec.status = "finished"
        records.append(rec)
    return records


def with_app(window, config) -> dict:
    from PySide6.QtCore import QEventLoop

    from trainlab_gui.scripted import StallMeter

    meter = StallMeter()
    frames0 = window.frames
    meter.start()
    t0 = time.perf_counter()
    rec = window.session.start(config)  # draws the view once before the worker thread starts
    start_ms = 1e3 * (time.perf_counter() - t0)
    loop = QEventLoop()  # not app.exec()/quit(): Qt 6's quit() closes the windows
    window.session.run_finished.connect(loop.quit)
    loop.exec()
    window.session.run_finished.disconnect(loop.quit)
    meter.stop()
    return {"steps_per_s": rec.steps_per_second, "stall_ms": meter.max_stall_ms,
            "frames": window.frames - frames0, "steps": rec.steps, "start_ms": start_ms,
            "cpu_share": rec.cpu_seconds / rec.train_seconds if rec.train_seconds else 0.0}


def big_curves(window, points: int, runs: int, frames: int = 30) -> None:
    import numpy as np

    from trainlab.engine import RunSpec
    from trainlab_gui.core.runs import RunRecord

    view = window.views["curves"]
    window.tabs.setCurrentWidget(view)
    rng = np.random.default_rng(0)
    records = []
    for r in range(runs):
        rec = RunRecord(RunSpec(name=f"big-{r}"))
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
    p.add_argument("--overlay", type=int, default=0,
                   help="finished runs overlaid in the view before the first repeat (each repeat adds one)")
    args = p.parse_args(argv)

    from trainlab_gui.app import application, training_threads
    from trainlab_gui.main_window import MainWindow
    from trainlab.engine import RunSpec, load_data

    threads = training_threads(args.threads)
    app = application()
    load_data(args.dataset)
    window = MainWindow()
    window.tabs.setCurrentWidget(window.views[args.view])
    window.show()
    config = RunSpec(name="bench", dataset=args.dataset, epochs=args.epochs)
    warm = RunSpec(name="warm-up", dataset=args.dataset, epochs=1)
    headless(warm)  # warm-up: caches, first-call costs, the window's first paint
    with_app(window, warm)
    if args.overlay:  # shown before the first repeat, as runs loaded before starting one
        window.session.add(finished_runs(args.overlay))
        window.redraw()
        app.processEvents()
    a, b, cpu = [], [], []
    for i in range(args.repeats):
        steps_per_s, cpu_share = headless(config)
        a.append(steps_per_s)
        cpu.append(cpu_share)
        b.append(with_app(window, config))
        print(f"repeat {i + 1}: headless {a[-1]:8.1f} steps/s | app {b[-1]['steps_per_s']:8.1f} steps/s, "
              f"max stall {b[-1]['stall_ms']:6.1f} ms (start {b[-1]['start_ms']:5.1f} ms), {b[-1]['frames']} frames "
              f"({len(window.session.records) - 1} runs overlaid) | trainer CPU/wall "
              f"{cpu[-1]:.3f} headless, {b[-1]['cpu_share']:.3f} app", flush=True)
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
    print(f"trainer thread's CPU time / wall time, median: headless {statistics.median(cpu):.3f}, "
          f"app {statistics.median(r['cpu_share'] for r in b):.3f} (below headless: waiting for the GIL "
          f"or a core; steadier than steps/s on a busy machine)")
    if spread > 0.15:
        print("warning: headless throughput varied by more than 15 % between repeats: the machine "
              "was busy, the ratio is uncertain")
    print(f"max event-loop stall while training: {max(r['stall_ms'] for r in b):.1f} ms (counting the start: "
          f"session.start() took up to {max(r['start_ms'] for r in b):.1f} ms); "
          f"frames drawn: {sum(r['frames'] for r in b)}")
    if args.curve_points:
        big_curves(window, args.curve_points, args.curve_runs)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
