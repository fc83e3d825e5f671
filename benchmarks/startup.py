"""(k) Start-up: importing trainlab's networks and optimizers, and the first training step's set-up,
each in fresh processes (medians), with where the import time goes (``python -X importtime``).
"""
from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict

from .scripts import ROOT, child_env, run_timed

IMPORT = "import trainlab.networks, trainlab.optim"

_TIME_IMPORT = """\
import time
start = time.perf_counter()
{statement}
print((time.perf_counter() - start) * 1e3)
"""

_FIRST_STEP = """\
import json, time
start = time.perf_counter()
import numpy as np
import trainlab.networks, trainlab.optim
imported = time.perf_counter()
rng = np.random.default_rng(0)
x, t = rng.random((128, 784), dtype=np.float32), rng.integers(0, 10, 128)
start = time.perf_counter()
net = trainlab.networks.MultiLayerNet(784, [100] * 4, 10, seed=0)
opt = trainlab.optim.SGD()
built = time.perf_counter()
opt.update(net.params, net.gradient(x, t))
first = time.perf_counter()
opt.update(net.params, net.gradient(x, t))
second = time.perf_counter()
for _ in range(20):
    opt.update(net.params, net.gradient(x, t))
warm = time.perf_counter()
for _ in range(100):
    opt.update(net.params, net.gradient(x, t))
done = time.perf_counter()
print(json.dumps({"construct": (built - start) * 1e3, "first": (first - built) * 1e3,
                  "second": (second - first) * 1e3, "steady": (done - warm) * 1e3 / 100}))
"""


_PROFILE_FIRST_STEP = """\
import cProfile, json, pstats
import numpy as np
import trainlab.networks, trainlab.optim
rng = np.random.default_rng(0)
x, t = rng.random((128, 784), dtype=np.float32), rng.integers(0, 10, 128)
net = trainlab.networks.MultiLayerNet(784, [100] * 4, 10, seed=0)
opt = trainlab.optim.SGD()
profile = cProfile.Profile()
profile.enable()
opt.update(net.params, net.gradient(x, t))
profile.disable()
ranked = sorted(((row[3] * 1e3, f"{path.rsplit('/', 1)[-1]}:{name}")
                 for (path, line, name), row in pstats.Stats(profile).stats.items()), reverse=True)
print(json.dumps(ranked[:{count}]))
"""


def first_step_profile(count: int = 8) -> str:
    """A note: the functions the first step spends most in (cumulative ms, under cProfile, which
    slows it down)."""
    ranked = json.loads(_fresh(_PROFILE_FIRST_STEP.replace("{count}", str(count)), 1)[0].stdout)
    return "first step under cProfile (cumulative): " + ", ".join(f"{name} {ms:.1f} ms" for ms, name in ranked)


def _fresh(code: str, runs: int, *flags: str) -> list:
    """The finished processes of ``runs`` fresh interpreters running code with trainlab's default
    settings."""
    return [run_timed([sys.executable, *flags, "-c", code], cwd=ROOT, env=child_env(), timeout=120)[1]
            for _ in range(runs)]


def import_ms(statement: str, runs: int) -> float:
    """Median ms of ``statement`` in fresh processes, timed inside them (interpreter start excluded)."""
    return statistics.median(float(done.stdout) for done in _fresh(_TIME_IMPORT.format(statement=statement), runs))


def parse_importtime(stderr: str) -> list[tuple[str, str | None, float, float]]:
    """(module, the module that imported it or None, self ms, cumulative ms) per line of
    ``-X importtime`` output (a module's imports are printed before it, one level deeper)."""
    entries = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:"):].split("|")
        level = (len(name) - len(name.lstrip())) // 2
        entries.append((level, name.strip(), int(self_us) / 1e3, int(cumulative_us) / 1e3))
    out, stack = [], []  # stack: (level, name) of the importers of the entries read backwards
    for level, name, self_ms, cumulative_ms in reversed(entries):
        while stack and stack[-1][0] >= level:
            stack.pop()
        out.append((name, stack[-1][1] if stack else None, self_ms, cumulative_ms))
        stack.append((level, name))
    return out


def import_breakdown(runs: int) -> list[str]:
    """Notes: self time by top-level package; the other packages' modules that trainlab's modules
    import themselves, and the largest other imports (cumulative: with all they pull in)."""
    tables = {"package": defaultdict(list), "edge": defaultdict(list), "largest": defaultdict(list)}
    for done in _fresh(IMPORT, runs, "-X", "importtime"):
        run = {key: defaultdict(float) for key in tables}
        for name, parent, self_ms, cumulative_ms in parse_importtime(done.stderr):
            run["package"][name.split(".")[0]] += self_ms
            if name.split(".")[0] != "trainlab":
                run["largest"][name] = max(run["largest"][name], cumulative_ms)
                if parent and parent.split(".")[0] == "trainlab":
                    run["edge"][f"{parent} -> {name}"] += cumulative_ms
        for key, table in run.items():
            for name, ms in table.items():
                tables[key][name].append(ms)

    def top(key, n):
        ranked = sorted(((statistics.median(v), k) for k, v in tables[key].items()), reverse=True)[:n]
        return ", ".join(f"{k} {ms:.0f} ms" for ms, k in ranked)
    return [f"-X importtime (median of {runs}), self time by package: {top('package', 6)}",
            f"imported by trainlab's modules (cumulative): {top('edge', 4)}",
            f"largest other imports (cumulative, nested ones repeat): {top('largest', 8)}"]


def start_up(roof, opts):
    """(k) import time against the book's code and NumPy alone; the first step's set-up against a
    steady step."""
    runs = 3 if opts.quick else 7
    mine = import_ms(IMPORT, runs)
    numpy = import_ms("import numpy", runs)
    first = [json.loads(done.stdout) for done in _fresh(_FIRST_STEP, runs)]

    def med(key):
        return statistics.median(r[key] for r in first)
    set_up = med("construct") + med("first")
    return [{"case": f"(k) {IMPORT}", "dtype": "-", "trainlab_ms": mine, "reference_f64_ms": numpy,
             "notes": [f"timed inside fresh processes, median of {runs}; book = import numpy (all the book's "
                       "common/ modules import besides their own small files)", *import_breakdown(3)]},
            {"case": "(k) first step: construct + first SGD step", "dtype": "float32", "trainlab_ms": set_up,
             "peers": {"steady step": med("steady")},
             "notes": [f"784-100x4-10 b128, median of {runs} fresh processes: constructor {med('construct'):.2f} ms, "
                       f"first gradient+update {med('first'):.2f} ms, second {med('second'):.2f} ms",
                       first_step_profile()]}]


CASES = {"startup": start_up}
