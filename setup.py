"""Build the Cython kernels in ext/ into the trainlab._ext package.

Environment switches:
  TRAINLAB_DEBUG_BUILD=1   bounds, wraparound and initialisation checks on, -O0 -g (for ASan/valgrind runs)
  TRAINLAB_NO_OPENMP=1     build without OpenMP (optimizer kernels then run on one thread)
  TRAINLAB_MARCH=native    add -march=<value> (never for wheels: they must run on any x86-64)
  TRAINLAB_SANITIZE=address  compile and link with -fsanitize=address (tests/slow/test_sanitizers.py)
"""
import os
import sys
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = Path(__file__).parent
DEBUG = os.environ.get("TRAINLAB_DEBUG_BUILD", "") not in ("", "0")
OPENMP = os.environ.get("TRAINLAB_NO_OPENMP", "") in ("", "0")
MARCH = os.environ.get("TRAINLAB_MARCH", "")
SANITIZE = os.environ.get("TRAINLAB_SANITIZE", "")

DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "initializedcheck": DEBUG,
    "nonecheck": DEBUG,
    "cdivision": True,
    "embedsignature": True,
}


def openmp_flags():
    if not OPENMP:
        return [], []
    if sys.platform == "win32":
        return ["/openmp"], []
    if sys.platform == "darwin":
        # Apple clang rejects -fopenmp. With libomp installed, the caller exports
        # CPPFLAGS="-Xpreprocessor -fopenmp -I<libomp>/include" and LDFLAGS="-L<libomp>/lib";
        # setuptools already passes CPPFLAGS to every compile, so only the link needs -lomp.
        if "-fopenmp" not in os.environ.get("CPPFLAGS", ""):
            print("trainlab: building without OpenMP (macOS: install libomp and set "
                  "CPPFLAGS='-Xpreprocessor -fopenmp' to enable it); prange loops run serially",
                  file=sys.stderr)
            return [], []
        return [], ["-lomp"]
    return ["-fopenmp"], ["-fopenmp"]


def extensions():
    omp_compile, omp_link = openmp_flags()
    if sys.platform == "win32":
        opt = ["/Od", "/Zi"] if DEBUG else ["/O2"]
    else:
        # -fno-math-errno: sqrt/exp need not set errno (nothing here reads it), which lets gcc
        # inline and vectorise them (the Adam step ran 3x slower without it).
        opt = ["-O0", "-g"] if DEBUG else ["-O3", "-fno-math-errno"]
        if MARCH:
            opt.append(f"-march={MARCH}")
    sanitize = [f"-fsanitize={SANITIZE}", "-fno-omit-frame-pointer"] if SANITIZE else []
    modules = sorted(p.stem for p in (HERE / "ext").glob("*.pyx"))
    return [
        Extension(
            f"trainlab._ext.{name}",
            [f"ext/{name}.pyx"],
            extra_compile_args=opt + omp_compile + sanitize,
            extra_link_args=omp_link + sanitize,
        )
        for name in modules
    ]


setup(
    ext_modules=cythonize(
        extensions(),
        include_path=["ext"],
        compiler_directives=DIRECTIVES,
        nthreads=int(os.environ.get("TRAINLAB_BUILD_JOBS", "2")),
        quiet=True,
    ),
)
