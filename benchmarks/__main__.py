"""python -m benchmarks [--cases steps,optimizers,...] [--peers torch,jax] [--json FILE] [--quick]

Prints one table: per case and dtype, trainlab's median time, the book's NumPy code (float64)
and PyTorch (when installed) measured in the same run, their ratios, and the fraction of the
machine's roofline (matrix-multiply GFLOP/s or copy bandwidth, measured in the same run). Under a
row, its other peers (JAX, torch.compile, other settings) with their ratios, and notes.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from . import book_scripts, cases, conditions, scripts, startup, workers
from .harness import NOISY, machine
from .report import print_table

CASES = {**cases.CASES, **conditions.CASES, **scripts.CASES, **startup.CASES, **book_scripts.CASES}
# Slow cases that run only when named in --cases.
OPTIONAL = set(book_scripts.CASES)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    default = [name for name in CASES if name not in OPTIONAL]
    p.add_argument("--cases", default=",".join(default),
                   help=f"comma-separated of {list(CASES)} (default: all but {sorted(OPTIONAL)})")
    p.add_argument("--peers", default=",".join(workers.PEERS),
                   help=f"comma-separated peers to time, of {list(workers.PEERS)} (default: those installed)")
    p.add_argument("--json", metavar="FILE", help="also write the rows and the machine as JSON")
    p.add_argument("--quick", action="store_true",
                   help="smaller roofline problem, fewer rounds and iterations (a faster, rougher run)")
    scripts.add_options(p)
    book_scripts.add_options(p)
    args = p.parse_args(argv)
    names = [n for n in args.cases.split(",") if n]
    for name in names:
        if name not in CASES:
            p.error(f"unknown case {name!r}; expected one of {list(CASES)}")
    try:
        workers.select([n for n in args.peers.split(",") if n])
    except ValueError as exc:
        p.error(str(exc))
    started = time.perf_counter()
    info = machine()
    roof = cases.roofline(args.quick)
    info.update(roof)
    installed = [peer for peer in workers.PEERS if workers.enabled(peer)]
    print(f"machine: {info.get('cpu', '?')}, {info['cores']} cores "
          f"({' '.join(info.get('cpu_flags', [])) or 'no AVX2'}), numpy {info['numpy']}, "
          f"BLAS {info.get('blas')}, peers: {', '.join(installed) or 'none'}")
    print(f"roofline: float32 GEMM {roof['gemm_gflops_float32']:.0f} GFLOP/s, float64 GEMM "
          f"{roof['gemm_gflops_float64']:.0f} GFLOP/s, DRAM copy {roof['copy_gbs_dram']:.1f} GB/s")
    rows, info["case_seconds"] = [], {}
    try:
        for name in names:
            case_started = time.perf_counter()
            rows += CASES[name](roof, args)
            info["case_seconds"][name] = round(time.perf_counter() - case_started, 1)
            print(f"{name}: {info['case_seconds'][name]:.0f} s", file=sys.stderr)
    finally:
        workers.shutdown()
    print()
    print_table(rows)
    load = os.getloadavg()[0]
    info["load_after"] = load
    info["seconds"] = time.perf_counter() - started
    print(f"\n{info['seconds']:.0f} s")
    if max(info["load_before"], load) > (info["cores"] or 1) * 0.5 or any(r.get("spread", 0) > NOISY for r in rows):
        print(f"\nwarning: the machine was busy (load {info['load_before']:.1f} -> {load:.1f}, or noisy "
              "blocks marked above): ratios are less reliable than usual", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
