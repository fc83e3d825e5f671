"""Sphinx configuration for trainlab's documentation.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``;
run the examples: ``python -m sphinx -b doctest docs docs/_build/doctest``.
"""
import os
import sys

# The installed package is documented (editable installs included); fall back to the checkout.
try:
    import trainlab  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "src")))

os.environ.setdefault("TRAINLAB_OFFLINE", "1")   # the examples never download

project = "trainlab"
author = "trainlab developers"
copyright = "trainlab developers"
release = version = "0.1.0"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "myst_parser",  # docs/performance.rst includes the Markdown of README.md and benchmarks/README.md
]

napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "description"
# Qt is optional; the app's package is documented from its own page without importing it.
autodoc_mock_imports = []

doctest_global_setup = """
import os
os.environ.setdefault("TRAINLAB_OFFLINE", "1")
import numpy as np
"""

html_theme = "alabaster"
html_static_path = []
exclude_patterns = ["_build"]
master_doc = "index"
