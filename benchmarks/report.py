"""The benchmark's table, as text (what ``python -m benchmarks`` prints) or as Markdown (what
``benchmarks/README.md`` holds):

    python -m benchmarks.report out.json [book.json ...]   # Markdown of saved runs

Ratios are the peer's time over trainlab's: above 1, trainlab is faster.
"""
from __future__ import annotations

import json
import sys

from .harness import NOISY

HEADER = ("case", "dtype", "trainlab ms", "book f64 ms", "torch ms", "x book", "x torch", "roofline")


def _fmt(v):
    return "-" if v is None else f"{v:.3f}"


def _ratio(peer_ms, trainlab_ms):
    return peer_ms / trainlab_ms if peer_ms and trainlab_ms else None


def cells(row) -> tuple:
    """The row's main cells, in HEADER's order, and whether it is noisy."""
    mine = row.get("trainlab_ms")
    roof = row.get("roofline_fraction")
    return ((row["case"], row["dtype"], _fmt(mine), _fmt(row.get("reference_f64_ms")),
             _fmt(row.get("torch_ms")), _fmt(_ratio(row.get("reference_f64_ms"), mine)),
             _fmt(_ratio(row.get("torch_ms"), mine)), "-" if roof is None else f"{100 * roof:.0f} %"),
            row.get("spread", 0) > NOISY)


def peers(row) -> list[str]:
    """The row's other peers, each with its ratio to trainlab."""
    out = []
    for name, v in (row.get("peers") or {}).items():
        if isinstance(v, str):
            out.append(f"{name}: {v}")
        elif v is not None:
            ratio = _ratio(v, row.get("trainlab_ms"))
            out.append(f"{name} {v:.3f} ms" + ("" if ratio is None else f" (x {ratio:.2f})"))
    return out


def print_table(rows, out=sys.stdout) -> None:
    """The text table; under a row, indented, its other peers and notes."""
    widths = (50, 7, 11, 11, 9, 7, 7, 8)
    head = " ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(HEADER, widths)))
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in rows:
        row, noisy = cells(r)
        line = " ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
        print(line + ("  (noisy)" if noisy else ""), file=out)
        extra = peers(r)
        for text in ([", ".join(extra)] if extra else []) + list(r.get("notes", [])):
            print(" " * 4 + text, file=out)


def markdown(rows, out=sys.stdout) -> None:
    """A Markdown table (peers in the last column, noisy rows marked), then each row's notes."""
    print("| " + " | ".join(HEADER + ("other peers",)) + " |", file=out)
    print("| " + " | ".join(["---"] * 2 + ["---:"] * (len(HEADER) - 2) + ["---"]) + " |", file=out)
    for r in rows:
        row, noisy = cells(r)
        row = row[:2] + (row[2] + (" (noisy)" if noisy else ""),) + row[3:]
        print("| " + " | ".join(row + (", ".join(peers(r)),)) + " |", file=out)
    print(file=out)
    for r in rows:
        for note in r.get("notes", []):
            print(f"- {r['case']} ({r['dtype']}): {note}", file=out)


def describe(machine: dict) -> str:
    """The machine line: CPU, cores, vector extensions, versions and the roofline of the run."""
    return (f"{machine.get('cpu', '?')}, {machine['cores']} cores "
            f"({' '.join(machine.get('cpu_flags', [])) or 'no AVX2'}); Python {machine.get('python')}, "
            f"NumPy {machine['numpy']}, SciPy {machine.get('scipy')}; "
            f"BLAS {', '.join(machine.get('blas', []))}; "
            f"roofline: float32 GEMM {machine['gemm_gflops_float32']:.0f} GFLOP/s, float64 GEMM "
            f"{machine['gemm_gflops_float64']:.0f} GFLOP/s, DRAM copy {machine['copy_gbs_dram']:.1f} GB/s; "
            f"load average {machine['load_before']:.1f} before, {machine['load_after']:.1f} after; "
            f"{machine['seconds']:.0f} s")


def main(argv=None) -> int:
    paths = (argv if argv is not None else sys.argv[1:])
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    for path in paths:
        try:
            with open(path) as f:
                run = json.load(f)
            machine, rows = run["machine"], run["rows"]
        except (OSError, ValueError, KeyError) as exc:
            print(f"{path}: not a benchmark JSON file ({exc})", file=sys.stderr)
            return 1
        print(f"Machine: {describe(machine)}.\n")
        markdown(rows)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
