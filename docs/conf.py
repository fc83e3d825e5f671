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
    # MathJax 3 from a PyPI package, copied into _static/mathjax: the math renders without a
    # network (the default loads it from a CDN and shows raw TeX offline)
    "sphinx-mathjax-offline",
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

# The theme of NumPy, SciPy, pandas and scikit-learn (PyTorch's is built on it): light and dark,
# following the reader's system setting, everything it needs bundled (no fonts or scripts fetched).
html_theme = "pydata_sphinx_theme"
html_title = f"trainlab {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "navbar_persistent": ["search-button"],
    "header_links_before_dropdown": 6,
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_context = {"default_mode": "auto"}
# The pages are one level deep and all in the top bar; each page's own sections are on the right.
html_sidebars = {"**": []}
html_static_path = ["_static"]
html_css_files = ["trainlab.css"]
exclude_patterns = ["_build"]
master_doc = "index"
