"""The kernels built with bounds checks on and AddressSanitizer (TRAINLAB_DEBUG_BUILD=1,
TRAINLAB_SANITIZE=address) pass the kernel, fuzz, network, memory, attribute-assignment (random
values assigned to every attribute of every layer, then every call) and row-parallel tests
(parts, threads, wide layers) with zero reports.

The release build runs with bounds checks off; this is the run that would catch an index or a
pointer past the end of a buffer. It copies the sources to a temporary folder, builds them there
(not touching the installed package) and runs the tests against that copy.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTS = ["unit/test_kernels.py", "unit/test_fuzz_kernels.py", "unit/test_networks.py", "unit/test_memory.py",
         "unit/test_attribute_fuzz.py", "unit/test_assignment.py", "unit/test_row_parallel.py"]


def _libasan():
    try:
        path = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return path if os.path.isabs(path) and os.path.exists(path) else None


@pytest.mark.skipif(sys.platform != "linux", reason="the sanitizer run is set up for gcc on Linux")
def test_kernels_under_address_sanitizer_and_bounds_checks(tmp_path):
    libasan = _libasan()
    if libasan is None or not (ROOT / "setup.py").exists():
        pytest.skip("needs gcc's libasan and the source tree")
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "ext", tmp_path / "ext", ignore=shutil.ignore_patterns("*.c", "*.so", "*.html"))
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    shutil.copytree(ROOT / "tests", tmp_path / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, TRAINLAB_DEBUG_BUILD="1", TRAINLAB_SANITIZE="address")
    build = subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    for so in (tmp_path / "src" / "trainlab" / "_ext").glob("*.so"):
        assert b"__asan_report" in so.read_bytes(), f"{so.name} was not built with AddressSanitizer"
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "src"), LD_PRELOAD=libasan,
               ASAN_OPTIONS="detect_leaks=0:abort_on_error=1")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                          "-W", "ignore::DeprecationWarning", *[f"tests/{t}" for t in TESTS]],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    out = run.stdout + run.stderr
    assert "AddressSanitizer" not in out, out[-5000:]
    assert run.returncode == 0, out[-5000:]
    assert str(tmp_path / "src") in subprocess.run(
        [sys.executable, "-c", "import trainlab._ext._net as m; print(m.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True).stdout, "the tests must use the sanitized build"
