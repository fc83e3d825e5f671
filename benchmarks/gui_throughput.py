"""The desktop app while it trains: frames drawn per second, and training throughput against
headless training of the same run, alternated (A B A B …) so that machine load hits both alike.

    python benchmarks/gui_throughput.py [--epochs 20] [--repeats 7] [--view curves] [--threads 1]
                                        [--overlay 0] [--curve-points 1000000] [--curve-runs 3]

Headless is the run trained by ``trainlab.engine.build(spec).train()`` in a spawned process of its
own (in a session of its own, as from a terminal), with the app idle; the app trains the same run
in its training process while the window draws it. Both train on ``--threads`` BLAS threads (default 1). Printed: steps/s of each, the
median of the paired ratios app/headless with their spread (goal >= 0.95), the same per second of
the trainer's own CPU time (a step's cost, without the waits for a core that other jobs cause),
the frames the window drew per second of training (goal >= 25), the training thread's CPU time
over its wall time in each, the GUI process's CPU time, and the longest event-loop stall (10 ms
heartbeat); then how soon Start shows a first loss.
``--overlay N`` first adds N finished runs to the view. Then the cost of one live frame of the
curves view when each of ``--curve-runs`` runs already has ``--curve-points`` losses.
Runs offscreen unless QT_QPA_PLATFORM is set.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))  # before the package is reinstalled


def _train_headless(spec_dict: dict, threads: int, out) -> None:
    if hasattr(os, "setsid"):
        os.setsid()  # a session of its own, as from a terminal and as the app's training process
    import trainlab
    from trainlab.engine import RunSpec, build

    trainlab.set_num_threads(threads)
    trainer = build(RunSpec.from_dict(spec_dict))
    start, cpu = time.perf_counter(), time.thread_time()
    trainer.train()
    wall = time.perf_counter() - start
    out.send((trainer.current_iter / wall, (time.thread_time() - cpu) / wall))


def headless(spec, threads: int) -> tuple[float, float]:
    """(steps/s, the training thread's CPU time over its wall time) of ``spec`` trained alone in a
    spawned process (its start-up not counted)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_train_headless, args=(spec.to_dict(), threads, send))
    process.start()
    send.close()
    result = receive.recv()
    process.join()
    return result


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
                                       for e in range(epochs + 1)]})
        rec.status = "finished"
        records.append(rec)
    return records


def with_app(window, spec) -> dict:
    """The app trains ``spec`` (its child started ahead, as after the previous run)."""
    from PySide6.QtCore import QEventLoop

    from trainlab_gui.scripted import StallMeter

    meter = StallMeter()
    marks = {}
    loop = QEventLoop()  # not app.exec()/quit(): Qt 6's quit() closes the windows
    session = window.session

    def training(_rec):
        marks["start"] = (window.frames, time.perf_counter(), time.process_time())
        meter.start()

    def finished(_rec):
        marks["end"] = (window.frames, time.perf_counter(), time.process_time())
        meter.stop()
        loop.quit()

    session.run_training.connect(training)
    session.run_finished.connect(finished)
    rec = session.start(spec)
    loop.exec()
    session.run_training.disconnect(training)
    session.run_finished.disconnect(finished)
    while not session.launcher.is_ready():  # the next run's process, started now, is not timed
        loop.processEvents()
        time.sleep(0.01)
    frames, seconds, gui_cpu = (b - a for a, b in zip(marks["start"], marks["end"]))
    return {"steps_per_s": rec.steps_per_second, "stall_ms": meter.max_stall_ms, "frames": frames,
            "fps": frames / seconds, "steps": rec.steps, "gui_cpu_share": gui_cpu / seconds,
            "gui_ms_per_frame": 1e3 * gui_cpu / max(frames, 1),
            "cpu_share": rec.cpu_seconds / rec.train_seconds if rec.train_seconds else 0.0}


def start_latency(spec, repeats: int = 3) -> None:
    """Seconds from Start to the first loss on screen's data: with the training process started
    ahead (engine imported, dataset loaded) and with one started on the spot (spawn, import,
    data load, build)."""
    from PySide6.QtCore import QEventLoop

    from trainlab_gui.session import Session

    loop = QEventLoop()

    def first_loss(session) -> float:
        t0 = time.perf_counter()
        rec = session.start(spec)
        while rec.steps == 0 and rec.status == "running":
            loop.processEvents()
            session.poll()
            time.sleep(0.001)
        seconds = time.perf_counter() - t0
        session.stop()
        while session.is_running():
            loop.processEvents()
            time.sleep(0.005)
        return seconds

    ahead, cold, ready = [], [], []
    for _ in range(repeats):
        session = Session()
        t0 = time.perf_counter()
        session.launcher.prestart(spec.dataset)
        while not session.launcher.is_ready():
            loop.processEvents()
            time.sleep(0.005)
        ready.append(time.perf_counter() - t0)
        time.sleep(1.0)  # its data loads while the user looks at the form
        ahead.append(first_loss(session))
        session.shutdown()
        session = Session(prestart=False)
        cold.append(first_loss(session))
        session.shutdown()
    print(f"\nstart: a training process is ready (spawn + import) {statistics.median(ready):.2f} s after it "
          f"is started; Start to the first loss: {1e3 * statistics.median(ahead):.0f} ms with it started ahead "
          f"({spec.dataset} loaded ahead), {statistics.median(cold):.2f} s with one started on the spot "
          f"(spawn, import, load {spec.dataset}, build); medians of {repeats}")


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
                            + 0.1 * rng.random(points)})
        records.append(rec)
    window.session.add(records)
    t0 = time.perf_counter()
    view.refresh(window.session)
    view.graphics.grab()
    first = time.perf_counter() - t0
    refresh, paint = [], []
    for _ in range(frames):
        for rec in records:  # 60 new steps per run per frame
            rec.apply_snapshot({"losses": rng.random(60)})
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
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--view", default="curves", choices=["curves", "histograms"])
    p.add_argument("--threads", type=int, default=1, help="BLAS threads of both (default 1)")
    p.add_argument("--curve-points", type=int, default=1_000_000, help="0: skip the big-curve frame timing")
    p.add_argument("--curve-runs", type=int, default=3)
    p.add_argument("--overlay", type=int, default=0,
                   help="finished runs overlaid in the view before the first repeat (each repeat adds one)")
    args = p.parse_args(argv)

    from trainlab.engine import RunSpec, load_data
    from trainlab_gui.app import application, training_threads
    from trainlab_gui.main_window import MainWindow

    training_threads(args.threads)
    app = application()
    load_data(args.dataset)
    window = MainWindow()
    window.tabs.setCurrentWidget(window.views[args.view])
    window.show()
    spec = RunSpec(name="bench", dataset=args.dataset, epochs=args.epochs)
    warm = spec.replace(name="warm-up", epochs=1)
    headless(warm, args.threads)  # warm-up: caches, first-call costs, the window's first paint
    with_app(window, warm)
    if args.overlay:  # shown before the first repeat, as runs loaded before starting one
        window.session.add(finished_runs(args.overlay))
        window.redraw()
        app.processEvents()
    alone, shown = [], []
    for i in range(args.repeats):
        alone.append(headless(spec, args.threads))
        shown.append(with_app(window, spec))
        a, b = alone[-1], shown[-1]
        print(f"repeat {i + 1}: headless {a[0]:8.1f} steps/s | app {b['steps_per_s']:8.1f} steps/s "
              f"(ratio {b['steps_per_s'] / a[0]:.3f}), {b['fps']:5.1f} frames/s, max stall "
              f"{b['stall_ms']:6.1f} ms ({len(window.session.records) - 1} runs overlaid) | "
              f"trainer CPU/wall {a[1]:.3f} headless, {b['cpu_share']:.3f} app | GUI process CPU "
              f"{b['gui_cpu_share']:.2f} of a core, {b['gui_ms_per_frame']:.1f} ms per frame", flush=True)
    ratios = sorted(b["steps_per_s"] / a[0] for a, b in zip(alone, shown))  # neighbours share the load
    # steps per second of the trainer's own CPU time: the cost of a step, without the waits for a
    # core that other jobs on the machine cause
    per_cpu = sorted((b["steps_per_s"] / b["cpu_share"]) / (a[0] / a[1]) for a, b in zip(alone, shown))
    fps = sorted(b["fps"] for b in shown)
    head = [a[0] for a in alone]
    spread = (max(head) - min(head)) / statistics.median(head)
    print(f"\n{spec.dataset}, 784-{'-'.join(map(str, spec.hidden))}-10, {spec.optimizer}, batch "
          f"{spec.batch_size}, {args.epochs} epochs ({shown[0]['steps']} steps), {args.threads} BLAS "
          f"thread(s) in both, view {args.view}")
    print(f"headless  median {statistics.median(head):8.1f} steps/s (spread {100 * spread:.0f} %)")
    print(f"with app  median {statistics.median(b['steps_per_s'] for b in shown):8.1f} steps/s")
    print(f"throughput ratio app/headless: median of {len(ratios)} pairs {statistics.median(ratios):.3f} "
          f"(pairs {ratios[0]:.3f}..{ratios[-1]:.3f}; goal >= 0.95)")
    print(f"steps per second of the trainer's CPU time, app/headless: median of pairs "
          f"{statistics.median(per_cpu):.3f} ({per_cpu[0]:.3f}..{per_cpu[-1]:.3f})")
    print(f"frames drawn per second of training: median {statistics.median(fps):.1f} "
          f"({fps[0]:.1f}..{fps[-1]:.1f}; goal >= 25)")
    print(f"trainer thread's CPU time / wall time, median: headless "
          f"{statistics.median(a[1] for a in alone):.3f}, app {statistics.median(b['cpu_share'] for b in shown):.3f} "
          f"(below 1: waiting for a core)")
    print(f"the GUI process's CPU time while training, median: {statistics.median(b['gui_cpu_share'] for b in shown):.2f} "
          f"of a core, {statistics.median(b['gui_ms_per_frame'] for b in shown):.1f} ms per frame drawn")
    print(f"max event-loop stall while training: {max(b['stall_ms'] for b in shown):.1f} ms")
    if spread > 0.15:
        print("warning: headless throughput varied by more than 15 % between repeats: the machine "
              "was busy, the ratio is uncertain")
    start_latency(spec)
    if args.curve_points:
        big_curves(window, args.curve_points, args.curve_runs)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
