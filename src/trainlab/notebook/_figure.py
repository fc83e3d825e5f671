"""The live figure of :class:`trainlab.notebook.LivePlot`: loss per step and accuracy per epoch on
separate axes, one colour per model, the legend outside the axes. Made without pyplot."""
from __future__ import annotations

import numpy as np

MAX_LEGEND = 12  # models named in the legend; the rest are counted
LEGEND_WIDTH = 1.7  # inches added to the figure for the legend beside the panels
SUBSET_STYLES = {"train": "-", "test": "--", "val": ":"}
LOG_RATIO = 30.0  # loss curves this far apart get a log axis, so that each stays readable


def _bucket_means(x: np.ndarray, y: np.ndarray, max_points: int):
    """``x`` and ``y`` averaged over consecutive groups so that at most ``max_points`` remain
    (non-finite values are left out of their group's mean)."""
    n = len(y)
    if n <= max_points:
        return x, y
    starts = np.arange(0, n, -(-n // max_points))
    finite = np.isfinite(y)
    counts = np.add.reduceat(finite.astype(np.float64), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        ys = np.add.reduceat(np.where(finite, y, 0.0), starts) / counts
    xs = np.add.reduceat(x, starts) / np.diff(np.append(starts, n))
    return xs, ys


def _moving_average(y: np.ndarray, window: int) -> np.ndarray:
    """Mean over ``window`` points centred on each point (fewer at the ends, so the curve does
    not lag behind the steps), skipping non-finite ones."""
    if window <= 1:
        return y
    finite = np.isfinite(y)
    sums = np.concatenate(([0.0], np.cumsum(np.where(finite, y, 0.0))))
    counts = np.concatenate(([0], np.cumsum(finite)))
    index = np.arange(len(y))
    low, high = np.maximum(index - window // 2, 0), np.minimum(index + window // 2 + 1, len(y))
    n = counts[high] - counts[low]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (sums[high] - sums[low]) / np.maximum(n, 1), np.nan)


def _colours(n: int) -> list:
    from matplotlib import colormaps

    if n <= 10:
        return [colormaps["tab10"](k) for k in range(n)]
    if n <= 20:
        return [colormaps["tab20"](k) for k in range(n)]
    return [colormaps["viridis"](k / (n - 1)) for k in range(n)]


def _loss_panel(ax, curves, colour, max_points) -> None:
    top, lows = 0.0, []
    for c in curves:
        y = np.asarray(c.y, dtype=np.float64)
        y[~np.isfinite(y)] = np.nan  # a diverged step leaves a gap, not an infinite axis
        xs, ys = _bucket_means(np.asarray(c.x, dtype=np.float64), y, max_points)
        smooth = _moving_average(ys, max(1, len(ys) // 20))
        ax.plot(xs, ys, color=colour[c.model], alpha=0.3, linewidth=0.8)
        ax.plot(xs, smooth, color=colour[c.model], linewidth=1.6)
        finite = ys[np.isfinite(ys)]
        if finite.size:  # a few exploding steps do not squash the rest of the curve
            top = max(top, min(float(np.nanmax(smooth)), 3.0 * float(np.percentile(finite, 98))))
            lows.append(float(np.nanmin(smooth)))
    low = min(lows, default=0.0)
    if low > 0 and top / low > LOG_RATIO:  # e.g. a loss with its weight-decay term beside one without
        ax.set_yscale("log")
        ax.set_ylim(low / 1.5, top * 1.5)
    elif top > min(low, 0.0):
        ax.set_ylim(min(low, 0.0) * 1.1, top * 1.1)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss" + (" (log scale)" if ax.get_yscale() == "log" else ""))
    ax.set_title("loss per step (solid: moving average)", fontsize="small")
    ax.grid(alpha=0.3)


def _accuracy_panel(ax, curves, colour) -> None:
    from matplotlib.ticker import MaxNLocator

    highest = 0.0
    for c in curves:
        y = np.asarray(c.y, dtype=np.float64)
        ax.plot(c.x, y, linestyle=SUBSET_STYLES.get(c.subset, "-"), marker="o", markersize=3,
                markevery=max(1, len(y) // 20), color=colour[c.model])
        if np.isfinite(y).any():
            highest = max(highest, float(np.nanmax(y)))
    if highest <= 1.0:
        ax.set_ylim(0.0, 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.set_title("accuracy per epoch", fontsize="small")
    ax.grid(alpha=0.3)


def _legend_handles(curves, models, colour) -> list:
    from matplotlib.lines import Line2D

    handles = []
    if len(models) > 1:
        handles = [Line2D([], [], color=colour[m], linewidth=2, label=m) for m in models[:MAX_LEGEND]]
        if len(models) > MAX_LEGEND:
            handles.append(Line2D([], [], linestyle="none", label=f"… {len(models) - MAX_LEGEND} more"))
    subsets = list(dict.fromkeys(c.subset for c in curves if c.kind == "accuracy" and c.subset))
    if len(subsets) > 1 or (subsets and handles):
        handles += [Line2D([], [], color="0.3", linestyle=SUBSET_STYLES.get(s, "-"), marker="o",
                           markersize=3, label=f"{s} accuracy") for s in subsets]
    return handles


def draw_curves(curves: dict, title: str, max_points: int, panel_size):
    """The figure of ``curves`` (name → curve with ``model``, ``kind``, ``subset``, ``x``,
    ``y``): a loss panel and/or an accuracy panel side by side, the legend to their right."""
    from matplotlib.figure import Figure

    kinds = [k for k in ("loss", "accuracy") if any(c.kind == k for c in curves.values())]
    models = list(dict.fromkeys(c.model for c in curves.values()))
    colour = dict(zip(models, _colours(len(models))))
    handles = _legend_handles(curves.values(), models, colour)
    legend = LEGEND_WIDTH if handles else 0.0
    width, height = panel_size[0] * len(kinds) + legend, panel_size[1]
    fig = Figure(figsize=(width, height))
    # fixed margins in inches: a constrained layout would double the time of every redraw
    left, right, gap, bottom, top = 0.7, 0.2 + legend, 0.8, 0.55, 0.55
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                        top=1 - top / height, wspace=gap / panel_size[0])
    axes = dict(zip(kinds, fig.subplots(1, len(kinds), squeeze=False)[0]))
    of_kind = {k: [c for c in curves.values() if c.kind == k] for k in kinds}
    if "loss" in axes:
        _loss_panel(axes["loss"], of_kind["loss"], colour, max_points)
    if "accuracy" in axes:
        _accuracy_panel(axes["accuracy"], of_kind["accuracy"], colour)
    if handles:  # in the right margin, level with the top of the axes
        fig.legend(handles=handles, loc="upper left", fontsize="small", frameon=False,
                   bbox_to_anchor=(1 - (legend - 0.1) / width, 1 - top / height), borderaxespad=0.0)
    if title:
        fig.suptitle(title, fontsize="medium")
    return fig
