"""The documentation (issue 10): Sphinx builds ``docs/`` with warnings as errors, the examples in
the pages and in the docstrings run (``-b doctest``), and every public callable of the documented
modules has a docstring."""
import html
import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"

pytest.importorskip("sphinx", reason="sphinx is not installed: pip install sphinx (the test extra)")


def _sphinx(builder, out, *flags):
    env = dict(os.environ, TRAINLAB_OFFLINE="1", TRAINLAB_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "sphinx", *flags, "-q", "-b", builder, "-d", str(out / "doctrees"),
           str(DOCS), str(out / builder)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


def test_docs_build_without_warnings(tmp_path):
    proc = _sphinx("html", tmp_path, "-W", "--keep-going")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in ("index", "getting_started", "jupyter", "from_the_book", "techniques", "app",
                 "performance", "api"):
        assert (tmp_path / "html" / f"{page}.html").is_file(), page
    _offline_and_narrow(tmp_path / "html")
    api = (tmp_path / "html" / "api.html").read_text(encoding="utf-8")
    for name in ("trainlab.networks.MultiLayerNet", "trainlab.trainer.Trainer",
                 "trainlab.kernels.affine_forward", "trainlab.datasets.load_mnist",
                 "trainlab.search.run_search", "trainlab.checkpoint.save_checkpoint",
                 "trainlab.notebook.LivePlot"):
        assert f'id="{name}"' in api, f"{name} is missing from the API reference"


CODE_LINE_CHARS = 88  # a code line this long fits the theme's text column from a 900-px window


def _offline_and_narrow(html_dir):
    """Every page loads its scripts, styles and math from the build itself (MathJax included),
    and no code line is longer than CODE_LINE_CHARS."""
    assert (html_dir / "_static" / "mathjax" / "tex-chtml.js").is_file()
    remote = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)
    long_lines = []
    for page in html_dir.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not remote.search(text), f"{page.name} loads {remote.search(text).group(0)}"
        if 'class="math' in text:
            assert 'src="_static/mathjax/tex-chtml.js"' in text, f"{page.name}: MathJax not local"
        for block in re.findall(r"<pre[^>]*>(.*?)</pre>", text, re.S):
            code = html.unescape(re.sub(r"<[^>]+>", "", block))
            long_lines += [f"{page.name}: {line}" for line in code.splitlines()
                           if len(line) > CODE_LINE_CHARS]
    assert not long_lines, "code lines wider than the page:\n" + "\n".join(long_lines)


def test_docs_examples_run(tmp_path):
    proc = _sphinx("doctest", tmp_path)
    report = (tmp_path / "doctest" / "output.txt")
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    assert proc.returncode == 0, proc.stdout + proc.stderr + text
    assert "0 failures in tests" in text, text
    # the ten-line training and the ported book script really ran
    assert " 0 tests" not in text.splitlines()[-5:], text


# -- docstrings of the public API ------------------------------------------------------------------
DOCUMENTED_MODULES = ["trainlab", "trainlab.layers", "trainlab.networks", "trainlab.optim",
                      "trainlab.trainer", "trainlab.kernels", "trainlab.reference",
                      "trainlab.datasets", "trainlab.experiments", "trainlab.search",
                      "trainlab.checkpoint", "trainlab.explain", "trainlab.explain.batchnorm_picture",
                      "trainlab.explain.batchnorm_figure", "trainlab.notebook"]


def _public_callables():
    for module_name in DOCUMENTED_MODULES:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, v in vars(module).items() if not n.startswith("_") and callable(v)
                     and getattr(v, "__module__", None) == module_name]
        for name in names:
            obj = getattr(module, name)
            if callable(obj) and not (inspect.isclass(obj) and issubclass(obj, BaseException)):
                yield f"{module_name}.{name}", obj


def _undocumented_parameters(obj):
    """None when ``obj`` has no docstring, else the parameters its docstrings do not name."""
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj) and obj.__init__ is not object.__init__:
        doc += "\n" + (inspect.getdoc(obj.__init__) or "")
    if not doc.strip():
        return None
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.name not in ("self", "cls")
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in doc]


def test_public_callables_document_their_parameters():
    missing = {}
    for qualname, obj in _public_callables():
        gap = _undocumented_parameters(obj)
        if gap != []:
            missing[qualname] = "no docstring" if gap is None else gap
    assert not missing, f"public callables whose docstring misses parameters: {missing}"
