"""The batch-norm graph as a matplotlib figure (the documentation's pictures, notebooks).

Needs the ``plot`` extra. The figure is a ``matplotlib.figure.Figure`` made without pyplot, so
nothing is left open in pyplot's list and no backend is switched.
"""
from __future__ import annotations

import textwrap

from trainlab.explain.batchnorm_picture import (COLORS, edges, picture, place, route, stage_count,
                                                step_text)

__all__ = ["draw_batchnorm_graph"]

_LINE = 1.3  # line spacing, in em
_DPI = 100


def draw_batchnorm_graph(graph, stage: int = 0, layout: str = "tall", fontsize: float = 9.0,
                         with_text: bool = True):
    """Draw ``graph`` at ``stage`` of its backward walk.

    Parameters
    ----------
    graph : BatchNormGraph
        From :func:`trainlab.explain.batchnorm_graph`.
    stage : int
        0: forward values; 1 … len(graph.steps): that backward step; len(graph.steps) + 1:
        the results and their check (see :mod:`trainlab.explain.batchnorm_picture`).
    layout : str
        ``"tall"`` (three columns: pages and notebooks) or ``"wide"`` (five: screens).
    fontsize : float
        Points; the figure is sized so that text prints at this size at 100 %.
    with_text : bool
        Add the stage's explanation and arrays below the graph.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ImportError
        Without matplotlib (``pip install 'trainlab[plot]'``).
    ValueError
        ``stage`` outside 0 … len(graph.steps) + 1, an unknown ``layout``.
    """
    try:
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    except ImportError as exc:
        raise ImportError("draw_batchnorm_graph needs matplotlib: pip install 'trainlab[plot]'") from exc
    if not 0 <= stage < stage_count(graph):
        raise ValueError(f"stage must be in 0..{stage_count(graph) - 1}, got {stage}")
    boxes = picture(graph, stage)
    pad, line = 0.6 * fontsize, _LINE * fontsize
    # measured as Agg draws it at the figure's resolution (hinting widens the glyphs), in points
    renderer = RendererAgg(1, 1, _DPI)
    props = {w: FontProperties(family="DejaVu Sans Mono", size=fontsize, weight=w)
             for w in ("normal", "bold")}

    def text_points(text, kind="value"):
        w, _, _ = renderer.get_text_width_height_descent(
            text, props["bold" if kind == "title" else "normal"], ismath=False)
        return w * 72 / _DPI

    def measure(box):
        return (max(text_points(t, kind) for t, kind in box.lines) + 2 * pad,
                len(box.lines) * line + 2 * pad)

    rects = place(boxes, measure, hgap=4 * fontsize, vgap=3.5 * fontsize, layout=layout)
    width = max(r[0] + r[2] for r in rects.values())
    height = max(r[1] + r[3] for r in rects.values())
    routes = {(source, target): route(rects, source, target, clearance=1.5 * fontsize, layout=layout)
              for source, target in edges(graph)}
    top = max(0.0, -min(y for points in routes.values() for _, y in points))  # edges over the top row
    caption = []
    if with_text:
        chars = max(40, int(width / text_points("0" * 100) * 100))
        headline, rows = step_text(graph, stage, width=chars)
        caption = textwrap.wrap(headline, chars) + [""] + rows
    text_h = len(caption) * line + (2 * pad if caption else 0)
    margin = fontsize
    width = max([width, *(text_points(t) for t in caption)])
    fig = Figure(figsize=((width + 2 * margin) / 72, (top + height + text_h + 2 * margin) / 72), dpi=_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-margin, width + margin)
    ax.set_ylim(top + height + text_h + margin, -top - margin)
    ax.axis("off")

    for (source, target), points in routes.items():
        active = boxes[target].role == "current"  # the step sends gradients down every input edge
        color = COLORS["edge_active" if active else "edge"]
        lw = 2.2 if active else 1.0
        for p, q in zip(points[:-2], points[1:-1]):
            ax.plot([p[0], q[0]], [p[1], q[1]], color=color, lw=lw)
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>", mutation_scale=12,
                                     color=color, lw=lw, shrinkA=0, shrinkB=1))
    for key, box in boxes.items():
        left, top_y, w, h = rects[key]
        border, fill = COLORS[box.role]
        ax.add_patch(FancyBboxPatch((left, top_y), w, h, boxstyle="round,pad=0,rounding_size=4",
                                    ec=border, fc=fill, lw=2.5 if box.role != "plain" else 1.0))
        for i, (text, kind) in enumerate(box.lines):
            ax.text(left + pad, top_y + pad + (i + 0.5) * line, text, va="center", ha="left",
                    color=COLORS[kind], fontproperties=props["bold" if kind == "title" else "normal"])
    for i, text in enumerate(caption):
        ax.text(0, top + height + pad + (i + 0.5) * line, text, va="center", ha="left",
                color=COLORS["value"], fontproperties=props["normal"])
    return fig
