"""Compiled kernels built from ext/*.pyx. Use them through trainlab.kernels, which validates input."""
import os

# How idle OpenMP threads wait. libgomp reads this once, when the first module loads it.
# - Spinning forever (OMP_WAIT_POLICY=ACTIVE) takes the cores OpenBLAS needs for its next GEMM
#   (measured 30x slower on 2 cores).
# - Sleeping at once (PASSIVE) makes every region and barrier pay a futex wake-up: the training
#   pass split by rows (one region per step, a barrier per layer) ran 2.5x slower than without it.
# - So: spin a little (GOMP_SPINCOUNT=3000, some tens of microseconds), then sleep. The training
#   step's regions follow each other closely enough to find the threads awake.
# The user's own OMP_WAIT_POLICY / GOMP_SPINCOUNT win. Child processes inherit these:
# SPIN_COUNT_SET_HERE lets a launcher of unrelated programs (the benchmarks' PyTorch worker) take
# it back out.
SPIN_COUNT = "3000"
SPIN_COUNT_SET_HERE = "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ
if SPIN_COUNT_SET_HERE:
    os.environ["GOMP_SPINCOUNT"] = SPIN_COUNT
