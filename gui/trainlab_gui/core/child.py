"""The training process: a spawned child of the app that trains one run, so that the app's drawing
and the training never wait for each other's interpreter lock.

:func:`serve` is the child's main function. It imports the engine, says it is ready and waits for
its run (a pre-started child is ready when the user presses Start), then trains it with
:func:`trainlab.engine.build` and ends. Losses go into a :class:`~trainlab_gui.core.lossring.LossRing`
in shared memory, with the training and CPU seconds so far, which the app reads on its own timer;
everything else goes to the app as messages on the ``out`` pipe, sent by a thread of their own so
that training never waits for the app to read:

=================  ==============================================================================
``ready``          {'pid', 'seconds'}: imported and waiting
``started``        {'dataset', 'message', 'total_steps'}: built, training starts
``epoch``          (epoch, steps trained, train_acc, test_acc), epoch 0 before training
``hist``           {'step', 'arrays'}: copies of the network's arrays (:func:`probes.collect`)
``change``         (step, name, value): a hyperparameter changed before step ``step + 1``
``refused``        text: a change that was not valid
``paused``         True when training holds, False when it goes on
``finished``       {'status', 'stop_reason', 'final_test_acc', 'train_seconds', 'cpu_seconds',
                   'steps'[, 'traceback']}
=================  ==============================================================================

The app sends ``('pause',)``, ``('resume',)``, ``('stop',)`` and ``('change', name, value)`` on
the ``control`` pipe; they are applied by the Trainer before its next step. The child ends with
the app (:func:`trainlab._process.exit_with_parent`, and a closed control pipe).
"""
from __future__ import annotations

import os
import queue
import signal
import threading
import time
import traceback

SECONDS_EVERY = 0.02  # the training and CPU seconds are stored this often
HIST_SECONDS = 0.25   # the network's arrays are copied for the histograms this often

__all__ = ["serve"]


def serve(control, out, ring_name: str, threads: int) -> None:
    """The training process's main function (see the module's description)."""
    start = time.perf_counter()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is the app's to handle
    if hasattr(os, "setsid"):
        # A session of its own: where the scheduler shares the CPU between sessions (Linux's
        # autogroups), training then gets a share of its own, as headless training started from
        # a terminal would, instead of sharing one with the app's drawing. It still ends with
        # the app (below).
        try:
            os.setsid()
        except OSError:
            pass
    from trainlab._process import exit_with_parent

    exit_with_parent()
    import trainlab
    import trainlab.engine  # noqa: F401  (the engine, networks and trainer: loaded while idle)
    import trainlab.networks  # noqa: F401
    import trainlab.trainer  # noqa: F401

    trainlab.set_num_threads(threads)
    try:
        out.send(("ready", {"pid": os.getpid(), "seconds": time.perf_counter() - start}))
    except (OSError, ValueError):  # the app closed while this process was starting
        return
    while True:
        try:
            message = control.recv()
        except (EOFError, OSError):
            return
        if message[0] == "preload":  # the dataset the app's form names, loaded ahead
            try:
                trainlab.engine.load_data(message[1])
            except Exception:  # noqa: BLE001 - the run that uses it reports the error
                pass
        elif message[0] == "run":
            _Run(control, out, ring_name).run(message[1])
            return
        else:
            return


class _Run:
    """One run in the child: the training in the main thread, a sender and a listener thread."""

    def __init__(self, control, out, ring_name):
        from trainlab_gui.core.lossring import LossRing

        self.control, self.out = control, out
        self.ring = LossRing.attach(ring_name)
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        self.trainer = None
        self._timed = self._hist_at = -1e9
        self._held = False      # paused and said so
        self._held_at = 0.0
        self._paused_seconds = 0.0
        self._start = self._cpu_start = 0.0
        self.stopping = threading.Event()
        self._lock = threading.Lock()  # the trainer's arrival vs. the controls that came before it
        self._early: list = []

    def run(self, spec_dict: dict) -> None:
        sender = threading.Thread(target=self._send_all, name="trainlab-sender", daemon=True)
        sender.start()
        threading.Thread(target=self._listen, name="trainlab-control", daemon=True).start()
        result = {"status": "failed", "stop_reason": None, "final_test_acc": None, "steps": 0,
                  "train_seconds": 0.0, "cpu_seconds": 0.0}
        try:
            self._train(spec_dict, result)
        except Exception as exc:  # noqa: BLE001 - reported to the app
            result["stop_reason"] = f"{type(exc).__name__}: {exc}"
            result["traceback"] = traceback.format_exc()
        self.outbox.put(("finished", result))
        self.outbox.put(None)
        sender.join()
        self.ring.close()

    def _train(self, spec_dict, result) -> None:
        from trainlab.engine import RunSpec, build, load_data

        spec = RunSpec.from_dict(spec_dict)
        loaded = load_data(spec.dataset)
        trainer = build(spec, (loaded.train, loaded.test), should_stop=self._before_step)
        for event, fn in (("iteration", self._on_iteration), ("epoch", self._on_epoch),
                          ("change", self._on_change)):
            trainer.add_callback(event, fn)
        with self._lock:
            self.trainer = trainer
            early, self._early = self._early, []
        for message in early:
            self._control(trainer, message)
        self.outbox.put(("started", {"dataset": loaded.name, "message": loaded.message,
                                     "total_steps": trainer.max_iter}))
        self._start, self._cpu_start = time.perf_counter(), time.thread_time()
        final = trainer.train()
        self._send_histograms(trainer, trainer.current_iter)  # the network as it ends
        self._store_seconds()
        reason = trainer.stop_reason
        result.update(status="finished" if reason is None else
                      "diverged" if reason.startswith("diverged") else "stopped",
                      stop_reason=reason, final_test_acc=final, steps=trainer.current_iter,
                      train_seconds=self._train_seconds(), cpu_seconds=self._cpu_seconds())

    # -- the training thread's callbacks --------------------------------------------------------------
    def _train_seconds(self) -> float:
        return time.perf_counter() - self._start - self._paused_seconds

    def _cpu_seconds(self) -> float:
        return time.thread_time() - self._cpu_start

    def _store_seconds(self) -> None:
        self._timed = time.perf_counter()
        self.ring.set_seconds(self._train_seconds(), self._cpu_seconds())

    def _on_iteration(self, trainer, info) -> None:
        if info["loss"] is not None:
            self.ring.put(info["loss"], give_up=self.stopping.is_set)
        now = time.perf_counter()
        if now - self._timed >= SECONDS_EVERY:
            self._store_seconds()
        if now - self._hist_at >= HIST_SECONDS:
            self._hist_at = now
            self._send_histograms(trainer, info["iteration"] + 1)

    def _send_histograms(self, trainer, step: int) -> None:
        from trainlab_gui.core.probes import collect

        self.outbox.put(("hist", {"step": step, "arrays": collect(trainer.network, rows=trainer.batch_size)}))

    def _histograms_at_initialisation(self, trainer) -> None:
        """The network as initialised (figs. 6-10 to 6-14): one forward and backward pass on the
        first rows of the training set, whose side effects (batch-norm running statistics,
        dropout streams) are undone, so the run trains exactly as it would without it."""
        from trainlab.checkpoint import load_network_state, network_state

        net, n = trainer.network, trainer.batch_size
        before = network_state(net)
        net.gradient(trainer.x_train[:n], trainer.t_train[:n])
        self._send_histograms(trainer, 0)
        load_network_state(net, before, "the network before its first histograms")

    def _on_epoch(self, trainer, info) -> None:
        if info["epoch"] == 0:
            self._histograms_at_initialisation(trainer)
        self.outbox.put(("epoch", (info["epoch"], info["iteration"], float(info["train_acc"]),
                                   None if info["test_acc"] is None else float(info["test_acc"]))))

    def _on_change(self, trainer, info) -> None:
        self.outbox.put(("change", (info["iteration"], info["name"], info["value"])))

    def _before_step(self) -> bool:
        """Polled by the Trainer before each step: says when a pause takes hold and ends."""
        paused = self.trainer is not None and self.trainer.paused
        if paused and not self._held:
            self._store_seconds()
            self._held, self._held_at = True, time.perf_counter()
            self.outbox.put(("paused", True))
        elif not paused and self._held:
            self._held = False
            self._paused_seconds += time.perf_counter() - self._held_at
            self.outbox.put(("paused", False))
        return False

    # -- threads -------------------------------------------------------------------------------------
    def _send_all(self) -> None:
        while True:
            message = self.outbox.get()
            if message is None:
                return
            try:
                self.out.send(message)
            except (OSError, ValueError):  # the app is gone
                os._exit(0)

    def _listen(self) -> None:
        while True:
            try:
                message = self.control.recv()
            except (EOFError, OSError):  # the app is gone: nobody to train for
                os._exit(0)
            if message[0] == "stop":
                self.stopping.set()
            with self._lock:
                if self.trainer is None:  # applied as soon as the trainer is built
                    self._early.append(message)
                    continue
            self._control(self.trainer, message)

    def _control(self, trainer, message) -> None:
        kind = message[0]
        if kind in ("stop", "pause", "resume"):
            getattr(trainer, kind)()
        elif kind == "change":
            try:
                trainer.change(message[1], message[2])
            except ValueError as exc:
                self.outbox.put(("refused", str(exc)))
