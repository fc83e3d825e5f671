"""python -m benchmarks [--cases steps,optimizers,...] [--json FILE] [--quick]

Prints one table: per case and dtype, trainlab's median time, the book's NumPy code (float64)
and PyTorch (when installed) measured in the same run, their ratios, and the fraction of the
machine's roofline (matrix-multiply GFLOP/s or copy bandwidth, measured in the same run).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from . import cases, peers
from .harness import machine


def _fmt(v, unit=""):
    return "-" if v is None else f"{v:.3f}{unit}"


def print_table(rows, out=sys.stdout):
    head = (f"{'case':46s} {'dtype':7s} {'trainlab ms':>11s} {'book f64 ms':>11s} {'torch ms':>9s} "
            f"{'x book':>7s} {'x torch':>7s} {'roofline':>8s}")
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in rows:
        torch_ms = r.get("torch_ms")
        x_book = r["reference_f64_ms"] / r["trainlab_ms"] if r.get("reference_f64_ms") else None
        x_torch = torch_ms / r["trainlab_ms"] if torch_ms else None
        roof = r.get("roofline_fraction")
        flag = "  (noisy)" if r.get("spread", 0) > 0.25 else ""
        print(f"{r['case']:46s} {r['dtype']:7s} {_fmt(r['trainlab_ms']):>11s} "
              f"{_fmt(r.get('reference_f64_ms')):>11s} {_fmt(torch_ms):>9s} {_fmt(x_book):>7s} "
              f"{_fmt(x_torch):>7s} {('-' if roof is None else f'{100 * roof:.0f} %'):>8s}{flag}", file=out)
        extra = {k: v for k, v in r.items() if k.startswith("torch_") and k != "torch_ms" and v}
        if extra:
            print(" " * 55 + ", ".join(f"{k[6:-3]} {v:.3f} ms" for k, v in extra.items()), file=out)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--cases", default=",".join(cases.CASES), help=f"comma-separated of {list(cases.CASES)}")
    p.add_argument("--json", metavar="FILE", help="also write the rows and the machine as JSON")
    p.add_argument("--quick", action="store_true", help="smaller roofline problem (a faster, rougher run)")
    args = p.parse_args(argv)
    info = machine()
    roof = cases.roofline(args.quick)
    info.update(roof)
    print(f"machine: {info.get('cpu', '?')}, {info['cores']} cores, numpy {info['numpy']}, "
          f"BLAS {info.get('blas')}, torch {'yes' if peers.available() else 'not installed'}")
    print(f"roofline: float32 GEMM {roof['gemm_gflops_float32']:.0f} GFLOP/s, float64 GEMM "
          f"{roof['gemm_gflops_float64']:.0f} GFLOP/s, DRAM copy {roof['copy_gbs_dram']:.1f} GB/s")
    rows = []
    for name in args.cases.split(","):
        if name not in cases.CASES:
            p.error(f"unknown case {name!r}; expected one of {list(cases.CASES)}")
        rows += cases.CASES[name](roof, args.quick)
    print()
    print_table(rows)
    load = os.getloadavg()[0]
    info["load_after"] = load
    if max(info["load_before"], load) > (info["cores"] or 1) * 0.5 or any(r.get("spread", 0) > 0.25 for r in rows):
        print(f"\nwarning: the machine was busy (load {info['load_before']:.1f} -> {load:.1f}, or noisy "
              "blocks marked above): ratios are less reliable than usual", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
