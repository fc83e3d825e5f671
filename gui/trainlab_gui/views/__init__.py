"""The views (tabs) of the main window: the run, its layers, then the chapter's demos."""
from __future__ import annotations

from trainlab_gui.views.batchnorm_graph import BatchNormGraphView
from trainlab_gui.views.curves import CurvesView
from trainlab_gui.views.experiments import ExperimentsView
from trainlab_gui.views.histograms import HistogramView
from trainlab_gui.views.paths import PathsView
from trainlab_gui.views.search import SearchView

__all__ = ["make_views", "CurvesView", "HistogramView", "PathsView", "ExperimentsView", "SearchView",
           "BatchNormGraphView"]


def make_views(parent=None) -> dict:
    """{key: view}; the keys are the names ``--view`` accepts."""
    return {"curves": CurvesView(parent), "histograms": HistogramView(parent),
            "paths": PathsView(parent), "experiments": ExperimentsView(parent),
            "search": SearchView(parent), "batchnorm_graph": BatchNormGraphView(parent)}
