"""One PNG per experiment, laid out like the book's figures, rendered headlessly.

Why matplotlib: it renders to PNG without a display or a Qt platform plugin (the Agg backend), so
the command line works on servers and in CI; its contour, quiver and histogram plots are the ones
the book's own figure scripts use, so the figures can follow the book panel for panel. pyqtgraph's
exporters would need a QApplication (and a Qt platform) just to write a file. matplotlib is the
optional extra ``trainlab[plot]``: without it the experiments still run and save JSON/CSV.

``save_figure(result, path)`` draws ``result`` with the plotter registered for its experiment
(``@plotter('name')``), or a plain line plot of every series when none is registered.
"""
from __future__ import annotations

import math

import numpy as np

PLOTTERS: dict = {}
INSTALL_HINT = "install matplotlib (pip install 'trainlab[plot]') to get PNG figures"


def plotter(name: str):
    """Register ``fn(result, plt) -> figure`` as the figure of experiment ``name``."""
    def decorate(fn):
        PLOTTERS[name] = fn
        return fn
    return decorate


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


class _Figures:
    """What the plotters call as ``plt``: figures made without pyplot, so drawing one never
    switches the process's matplotlib backend (a notebook keeps its inline one) and nothing is
    left open in pyplot's figure list."""

    @staticmethod
    def subplots(*args, figsize=None, constrained_layout=False, **kwargs):
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize, layout="constrained" if constrained_layout else None)
        return fig, fig.subplots(*args, **kwargs)


def make_figure(result, *, dataset=None):
    """The figure of ``result`` (a ``matplotlib.figure.Figure``), laid out like the book's;
    ``dataset``, if given, is named in the title. ImportError (with the install hint) without
    matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    fig = PLOTTERS.get(result.name, _plot_all_series)(result, _Figures)
    if dataset:
        fig.suptitle(f"{result.name.replace('_', ' ')} on {dataset}", fontsize="medium")
    return fig


def save_figure(result, path, *, dataset=None) -> str:
    """Render ``result`` to the PNG ``path`` (see :func:`make_figure`)."""
    make_figure(result, dataset=dataset).savefig(path, dpi=100)
    return str(path)


def _grid(plt, n: int, cols: int, size=(3.2, 2.6)):
    rows = max(1, math.ceil(n / cols))
    cols = min(cols, n)
    fig, axes = plt.subplots(rows, cols, figsize=(size[0] * cols, size[1] * rows), squeeze=False,
                             constrained_layout=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)


def _ys(series):
    return np.array([np.nan if v is None else v for v in series.y], dtype=float)


def _plot_all_series(result, plt):
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    for s in list(result.series.values())[:20]:
        ax.plot(s.x, _ys(s), label=s.name)
    ax.set_title(result.name)
    if result.series:
        ax.legend(fontsize="small")
    return fig


@plotter("optimizer_paths")
def _optimizer_paths(result, plt):  # book fig. 6-8
    a = result.arrays
    fig, axes = _grid(plt, len(result.series), 3, size=(4, 3))
    for ax, s in zip(axes, result.series.values()):
        ax.contour(a["contour_x"], a["contour_y"], np.asarray(a["contour_z"]), levels=12,
                   colors="0.6", linewidths=0.6)
        ax.quiver(a["field_x"], a["field_y"], a["field_u"], a["field_v"], color="0.8", width=0.003)
        ax.plot(s.x, _ys(s), "o-", color="red", markersize=3)
        ax.plot(0, 0, "+", color="black")
        ax.set_xlim(-10, 10)
        ax.set_ylim(-10, 10)
        ax.set_title(f"{s.name} (lr {s.meta.get('lr')})")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    return fig


@plotter("compare_optimizers")
@plotter("compare_weight_init")
def _loss_curves(result, plt):  # book figs. 6-9 and 6-15
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    markers = "osD^v*"
    smoothed = [s for name, s in result.series.items() if name.startswith("smoothed/")]
    for k, s in enumerate(smoothed):
        ax.plot(s.x, _ys(s), marker=markers[k % len(markers)], markevery=max(len(s.x) // 20, 1),
                markersize=4, label=s.name.split("/", 1)[1])
    ax.set_xlabel("iterations")
    ax.set_ylabel("loss")
    ax.set_ylim(0, 2.5)
    ax.set_title(result.name.replace("_", " ") + f" ({result.params.get('dtype')})")
    ax.legend()
    return fig


@plotter("activation_histograms")
def _activation_histograms(result, plt):  # book figs. 6-10 to 6-14: one row of layers per setting
    settings = [k for k in result.arrays if not k.endswith("/edges")]
    n_layers = int(result.params["n_layers"])
    # fixed spacing: constrained_layout takes seconds to solve a 12 × 5 grid
    fig, axes = plt.subplots(len(settings), n_layers, figsize=(2.4 * n_layers, 1.7 * len(settings)),
                             squeeze=False, gridspec_kw=dict(left=0.04, right=0.99, bottom=0.02,
                                                             top=0.98, hspace=0.6, wspace=0.15))
    for row, label in zip(axes, settings):
        edges = np.asarray(result.arrays[label.split("/")[0] + "/edges"])
        for k, (ax, counts) in enumerate(zip(row, np.asarray(result.arrays[label]))):
            ax.stairs(counts, edges, fill=True)
            ax.set_title(f"{label} · layer {k + 1}", fontsize="small")
            ax.tick_params(labelsize="x-small")
            if k:
                ax.set_yticks([])
    return fig


@plotter("batchnorm_sweep")
def _batchnorm_sweep(result, plt):  # book fig. 6-19: a 4×4 grid, one panel per weight scale
    pairs = [(name, name.replace("bn/", "plain/", 1)) for name in result.series
             if name.startswith("bn/") and name.endswith("/train_acc")]
    fig, axes = _grid(plt, len(pairs), 4, size=(2.8, 2.2))
    for ax, (bn, plain) in zip(axes, pairs):
        ax.plot(result.series[bn].x, _ys(result.series[bn]), label="Batch Normalization")
        ax.plot(result.series[plain].x, _ys(result.series[plain]), "--", label="Normal (without BN)")
        ax.set_title(bn.split("/")[1].replace("w=", "W: "), fontsize="small")
        ax.set_ylim(0, 1)
        ax.tick_params(labelsize="x-small")
    axes[0].legend(fontsize="x-small", loc="lower right")
    fig.supxlabel("epochs")
    fig.supylabel("train accuracy")
    return fig


@plotter("overfitting")
def _overfitting(result, plt):  # book figs. 6-20, 6-21, 6-23: one panel per variant
    variants = [name[:-len("/train_acc")] for name in result.series if name.endswith("/train_acc")]
    fig, axes = _grid(plt, len(variants), 3, size=(4, 3.2))
    for ax, v in zip(axes, variants):
        for split, style in (("train", "o"), ("test", "s")):
            s = result.series[f"{v}/{split}_acc"]
            ax.plot(s.x, _ys(s), marker=style, markevery=max(len(s.x) // 15, 1), markersize=3, label=split)
        ax.set_title(v)
        ax.set_xlabel("epochs")
        ax.set_ylabel("accuracy")
        ax.set_ylim(0, 1.0)
        ax.legend(loc="lower right")
    return fig


@plotter("ensemble")
def _ensemble(result, plt):
    fig, ax = plt.subplots(figsize=(6, 4), constrained_layout=True)
    members, whole = result.series["members"], result.series["ensemble"]
    ax.plot(members.x, _ys(members), "o", label="member alone")
    ax.plot(whole.x, _ys(whole), "s-", label="average of members 1..K")
    if members.y:
        ax.axhline(float(np.mean(_ys(members))), color="0.5", ls="--", label="mean member")
    ax.set_xlabel("K (members)")
    ax.set_ylabel("test accuracy")
    ax.legend()
    return fig
