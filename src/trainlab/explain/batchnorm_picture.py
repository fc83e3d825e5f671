"""What the batch-norm graph looks like at each stage of the walk, for any renderer.

A *stage* is where the walk stands: 0 shows the forward values and ``dout`` arriving at ``out``;
stage k (1 … len(steps)) the k-th backward step, at its node, with what its inputs have received
so far; the last stage (len(steps) + 1) the results dx, dγ, dβ. :func:`picture` gives every
node's box (text lines and role), :func:`place` packs the boxes into the grid with a renderer's
own text measure, :func:`route` draws an edge between two placed boxes, :func:`step_text` and
:func:`check_text` say in words what the stage shows. The app's view and the matplotlib figure
(:mod:`trainlab.explain.batchnorm_figure`) both draw from these.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from trainlab._i18n import translate

__all__ = ["LAYOUTS", "COLORS", "NodeBox", "picture", "place", "route", "step_text", "check_text",
           "stage_count", "format_matrix", "text_width", "edges"]

# (column, row) of each node. "wide" (a screen): the forward pass runs right along the top row,
# down at the variance and back left along the middle row to the output, γ and β under their
# uses. "tall" (a page, a notebook): x, xc, x̂, γx̂, out down the left column, the variance's
# branch to its right; every edge then joins neighbours.
LAYOUTS = {
    "wide": {"x": (0, 0), "mu": (1, 0), "xc": (2, 0), "sq": (3, 0), "var": (4, 0),
             "std": (4, 1), "inv": (3, 1), "xhat": (2, 1), "scaled": (1, 1), "out": (0, 1),
             "gamma": (1, 2), "beta": (0, 2)},
    "tall": {"x": (0, 0), "mu": (1, 0), "xc": (0, 1), "sq": (1, 1), "var": (2, 1),
             "std": (2, 2), "inv": (1, 2), "xhat": (0, 2), "scaled": (0, 3), "gamma": (1, 3),
             "out": (0, 4), "beta": (1, 4)},
}

# role -> (border, fill); text kinds -> colour
COLORS = {"plain": ("#555555", "#ffffff"), "current": ("#e66100", "#fff1e0"),
          "target": ("#1a5fb4", "#e8f0fb"), "result": ("#26a269", "#e6f6ec"),
          "title": "#000000", "value": "#222222", "grad": "#c01c28", "edge": "#777777",
          "edge_active": "#e66100"}


@dataclass(frozen=True)
class NodeBox:
    """One node's box at a stage: ``key`` names the node in the graph, ``lines`` are (text, kind)
    with kind ``"title"``, ``"value"``
    or ``"grad"``; ``role`` is ``"plain"``, ``"current"`` (the step's node), ``"target"`` (an
    input it sends to) or ``"result"`` (x, γ, β once the walk is over)."""

    key: str
    lines: tuple
    role: str


def stage_count(graph) -> int:
    """Stages of the walk of ``graph``: the forward picture, one per backward step, the results."""
    return len(graph.steps) + 2


def text_width(text: str) -> int:
    """Character cells of ``text`` in a monospace font: combining accents take none, East Asian
    wide characters (Hangul, kana, kanji of a translation) two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def _number(v: float) -> str:
    if v == 0 or 5e-4 <= abs(v) < 1e4:
        return f"{v:.3f}"
    return f"{v:.1e}"


def format_matrix(a, width: int = 0) -> list:
    """Rows of ``a`` (2-D, or 1-D as one row) as right-aligned text, columns two spaces apart,
    each column at least ``width`` characters."""
    cells = [[_number(float(v)) for v in row] for row in np.atleast_2d(a)]
    width = max(width, *(len(c) for row in cells for c in row))
    return ["  ".join(c.rjust(width) for c in row) for row in cells]


def _cell_width(*arrays) -> int:
    return max(len(_number(float(v))) for a in arrays for v in np.ravel(a))


def _grad_name(symbol: str) -> str:
    return f"d({symbol})" if "/" in symbol else "d" + symbol


def _operation(node) -> str:
    return translate("explain", node.operation)


def _title(node, eps: float) -> str:
    if not node.inputs:
        return f"{node.symbol}  ({_operation(node)})"
    return f"{node.symbol} = {_operation(node)}" + (f",  ε = {eps:g}" if "ε" in node.operation else "")


def picture(graph, stage: int) -> dict:
    """{key: NodeBox} of every node at ``stage`` (0 … stage_count(graph) − 1).

    Parameters
    ----------
    graph : BatchNormGraph
        From :func:`trainlab.explain.batchnorm_graph`.
    stage : int
        Where the walk stands.
    """
    last = stage_count(graph) - 1
    if not 0 <= stage <= last:
        raise ValueError(f"stage must be in 0..{last}, got {stage}")
    received = graph.received(min(stage, len(graph.steps)))
    current = graph.steps[stage - 1] if 1 <= stage <= len(graph.steps) else None
    targets = {e.source for e in current.edges} if current else set()
    boxes = {}
    for key, node in graph.nodes.items():
        grad, got, total = received.get(key, (None, 0, 0))
        width = _cell_width(node.value, *([] if grad is None else [grad]))
        lines = [(_title(node, graph.eps), "title")]
        lines += [(t, "value") for t in format_matrix(node.value, width)]
        if grad is not None:
            head = _grad_name(node.symbol)
            if key == "out":
                head = translate("explain", "{gradient} (from the loss)").format(gradient=head)
            if got < total:
                head += "  " + translate("explain", "({got} of {total} paths)").format(got=got, total=total)
            lines += [(head, "grad")] + [(t, "grad") for t in format_matrix(grad, width)]
        if current is not None and key == current.node:
            role = "current"
        elif key in targets:
            role = "target"
        elif stage == last and not node.inputs:
            role = "result"
        else:
            role = "plain"
        boxes[key] = NodeBox(key, tuple(lines), role)
    return boxes


def _grid(layout: str) -> dict:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {sorted(LAYOUTS)}, got {layout!r}")
    return LAYOUTS[layout]


def place(boxes: dict, measure, hgap: float, vgap: float, layout: str = "wide") -> dict:
    """{key: (left, top, width, height)}: each grid column as wide as its widest box, each row
    as tall as its tallest, boxes centred in their cell; y grows downwards.

    Parameters
    ----------
    boxes : dict
        {key: NodeBox} from :func:`picture`.
    measure : callable
        NodeBox -> (width, height) in the renderer's units, padding included.
    hgap, vgap : float
        Space between columns and between rows.
    layout : str
        A key of :data:`LAYOUTS`: ``"wide"`` or ``"tall"``.
    """
    grid = _grid(layout)
    sizes = {k: measure(b) for k, b in boxes.items()}
    n_cols = max(c for c, _ in grid.values()) + 1
    n_rows = max(r for _, r in grid.values()) + 1
    col_w = [max((sizes[k][0] for k, (c, _) in grid.items() if c == i), default=0) for i in range(n_cols)]
    row_h = [max((sizes[k][1] for k, (_, r) in grid.items() if r == i), default=0) for i in range(n_rows)]
    lefts = np.concatenate([[0.0], np.cumsum(np.add(col_w, hgap))])
    tops = np.concatenate([[0.0], np.cumsum(np.add(row_h, vgap))])
    rects = {}
    for key, (c, r) in grid.items():
        w, h = sizes[key]
        rects[key] = (lefts[c] + (col_w[c] - w) / 2, tops[r] + (row_h[r] - h) / 2, w, h)
    return rects


def _anchor(rect, toward):
    """Where the line from the centre of ``rect`` to ``toward`` leaves the box."""
    left, top, w, h = rect
    cx, cy = left + w / 2, top + h / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    t = min(w / 2 / abs(dx) if dx else np.inf, h / 2 / abs(dy) if dy else np.inf)
    return cx + t * dx, cy + t * dy


def route(rects: dict, source: str, target: str, clearance: float, layout: str = "wide") -> list:
    """The polyline [(x, y), …] of the edge ``source`` → ``target`` between boxes placed at
    ``rects`` (from :func:`place` with the same ``layout``): straight between neighbours,
    otherwise ``clearance`` above the boxes between them (x → xc passes over μ when wide)."""
    a, b = rects[source], rects[target]
    ca, cb = (a[0] + a[2] / 2, a[1] + a[3] / 2), (b[0] + b[2] / 2, b[1] + b[3] / 2)
    grid = _grid(layout)
    (c0, r0), (c1, r1) = grid[source], grid[target]
    if r0 == r1 and abs(c1 - c0) > 1:
        between = [rects[k] for k, (c, r) in grid.items() if r == r0 and min(c0, c1) < c < max(c0, c1)]
        over = min(rect[1] for rect in [a, b, *between]) - clearance
        return [(ca[0], a[1]), (ca[0], over), (cb[0] - clearance, over), (cb[0] - clearance, b[1])]
    return [_anchor(a, cb), _anchor(b, ca)]


def edges(graph) -> list:
    """(source, target) of every edge of the forward graph."""
    return [(src, key) for key, node in graph.nodes.items() for src in node.inputs]


def _side_by_side(blocks, width=None) -> list:
    """Text blocks [(heading, lines)] next to each other, three spaces apart; when ``width``
    (characters) is given, as many per band as fit, bands one empty line apart."""
    widths = [max(text_width(t) for t in [head, *lines]) for head, lines in blocks]
    bands, used = [[]], 0
    for block, w in zip(blocks, widths):
        if width is not None and bands[-1] and used + 3 + w > width:
            bands.append([])
            used = 0
        bands[-1].append((block, w))
        used += w + (3 if used else 0)
    rows = []
    for band in bands:
        rows += [""] if rows else []
        for i in range(max(len(lines) for (_, lines), _ in band) + 1):
            cells = []
            for (head, lines), w in band:
                text = head if i == 0 else (lines[i - 1] if i - 1 < len(lines) else "")
                cells.append(text + " " * (w - text_width(text)))
            rows.append("   ".join(cells).rstrip())
    return rows


def step_text(graph, stage: int, width: int | None = None) -> tuple:
    """(headline, lines): what the stage shows, in words and side-by-side arrays.

    Parameters
    ----------
    graph : BatchNormGraph
        From :func:`trainlab.explain.batchnorm_graph`.
    stage : int
        0 … stage_count(graph) − 1.
    width : int, optional
        Characters per line: the arrays wrap into bands that fit (default: one band).
    """
    n_steps = len(graph.steps)
    if stage == 0:
        return (translate("explain", "Forward pass: every node shows its value. The gradient dout "
                                     "arrives at out from the layer above; step backward to follow "
                                     "it down the graph."),
                _side_by_side([("dout", format_matrix(graph.dout))], width))
    if stage == n_steps + 1:
        return (translate("explain", "Backward pass done: {check}").format(check=check_text(graph)),
                _side_by_side([("dx", format_matrix(graph.dx)), ("dγ", format_matrix(graph.dgamma)),
                               ("dβ", format_matrix(graph.dbeta))], width))
    step = graph.steps[stage - 1]
    node = graph.nodes[step.node]
    upstream, local = translate("explain", "upstream"), translate("explain", "local")
    blocks = [(f"{upstream} {_grad_name(node.symbol)}", format_matrix(step.upstream))]
    parts = []
    for edge in step.edges:
        src = graph.nodes[edge.source].symbol
        blocks.append((f"{local} {edge.local_formula}", format_matrix(edge.local)))
        sums = "Σᵢ " if edge.reduction.startswith("summed") else ""
        blocks.append((f"{_grad_name(src)} += {sums}{_grad_name(node.symbol)}·{local}",
                       format_matrix(edge.contribution)))
        parts.append(f"{_grad_name(src)} ({translate('explain', edge.reduction)})")
    return (translate("explain", "Step {stage} of {steps}, at {node}: the upstream gradient times "
                                 "each local gradient goes to {targets}.").format(
                stage=stage, steps=n_steps, node=f"{node.symbol} = {_operation(node)}",
                targets=translate("explain", " and ").join(parts)),
            _side_by_side(blocks, width))


def check_text(graph) -> str:
    """One sentence: whether the dx, dγ, dβ of ``graph`` equal the compiled kernel's and the
    numerical gradient, with the measured largest differences."""
    c = graph.check
    kernel = (translate("explain", "dx, dγ, dβ equal the compiled kernel's result (largest "
                                   "difference {diff})") if c.agrees_with_kernel else
              translate("explain", "dx, dγ, dβ DIFFER FROM the compiled kernel's result (largest "
                                   "difference {diff})")).format(diff=f"{c.max_kernel_diff:.1e}")
    numerical = (translate("explain", "equal the numerical gradient by central differences in "
                                      "float64 (largest difference {diff})")
                 if c.agrees_with_numerical else
                 translate("explain", "DIFFER FROM the numerical gradient by central differences "
                                      "in float64 (largest difference {diff})")
                 ).format(diff=f"{c.max_numerical_diff:.1e}")
    return translate("explain", "{kernel} and {numerical}.").format(kernel=kernel, numerical=numerical)
