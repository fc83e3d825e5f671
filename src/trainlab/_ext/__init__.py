"""Compiled kernels built from ext/*.pyx. Use them through trainlab.kernels, which validates input."""
import os

# Idle OpenMP threads must sleep, not spin: they would take the cores OpenBLAS needs for the next
# GEMM (measured 30x slower on 2 cores). libgomp reads this once, when the first module loads it.
# Child processes inherit it: WAIT_POLICY_SET_HERE lets a launcher of unrelated programs (the
# benchmarks' PyTorch worker) take it back out.
WAIT_POLICY_SET_HERE = "OMP_WAIT_POLICY" not in os.environ
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
