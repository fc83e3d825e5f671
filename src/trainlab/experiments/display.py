"""How an :class:`~trainlab.experiments.ExperimentResult` shows itself: a text summary (its
``repr``), and in a notebook its figure (PNG) and the summary as HTML tables.

The summary dict of every experiment has the same few shapes, each drawn as one table:
numbers and short lists (one key/value table), dicts of numbers per label (one row per label,
e.g. each optimizer's final loss and test accuracy), and lists of rows (the batch-norm sweep's
``per_scale``). Nothing here imports matplotlib unless a figure is asked for, and nothing here
raises: a figure that cannot be drawn leaves the text summary.
"""
from __future__ import annotations

import base64
import html
import io
import numbers
import sys
from collections import namedtuple

__all__ = ["summary_tables", "summary_text", "render_png", "result_html", "kernel_shell",
           "enable_figure_display", "figure_png"]

MAX_LIST = 6  # list entries shown in a table cell before an ellipsis
PNG_DPI = 100  # the command line's PNG resolution


Table = namedtuple("Table", "title header rows")  # a titled table of strings


def _cell(value) -> str:
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        value = value.tolist()
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.4g}"
    if isinstance(value, (list, tuple)):
        shown = ", ".join(_cell(v) for v in value[:MAX_LIST])
        return shown + (f", … ({len(value)})" if len(value) > MAX_LIST else "")
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def _is_row(value) -> bool:
    """A dict whose values are numbers, text or short lists: one row of a table."""
    return isinstance(value, dict) and bool(value) and not any(isinstance(v, dict) for v in value.values())


def _row_table(title: str, rows: dict) -> Table:
    """{label: {column: value}} as one table with a row per label."""
    columns = []
    for row in rows.values():
        columns += [c for c in row if c not in columns]
    body = [[str(label)] + [_cell(row.get(c)) for c in columns] for label, row in rows.items()]
    return Table(title, [""] + columns, body)


def _pairs(title: str, items) -> Table:
    return Table(title, ["", "value"], [[str(k), _cell(v)] for k, v in items])


def summary_tables(summary: dict) -> list:
    """The tables of a summary dict (its ``headline`` is left to the caller): rows of the same
    columns (e.g. one per optimizer) make one table, a lone dict its own, numbers one more."""
    scalars, groups, tables = [], {}, []
    for key, value in summary.items():
        if key == "headline":
            continue
        if _is_row(value):
            groups.setdefault(tuple(value), {})[key] = value
        elif isinstance(value, list) and value and all(_is_row(v) for v in value):
            tables.append(_row_table(key, dict(enumerate(value, 1))))
        elif isinstance(value, dict):
            tables.append(_pairs(key, value.items()))
        else:
            scalars.append((key, value))
    out = []
    for rows in groups.values():
        if len(rows) > 1:
            out.append(_row_table("", rows))
        else:
            (key, row), = rows.items()
            out.append(_pairs(key, row.items()))
    return out + ([_pairs("", scalars)] if scalars else []) + tables


def _series_line(result) -> str:
    if not result.series:
        return "no series"
    lengths = sorted({len(s.x) for s in result.series.values()})
    names = list(result.series)
    shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
    points = f"{lengths[0]} points each" if len(lengths) == 1 else f"{lengths[0]}–{lengths[-1]} points"
    return f"{len(names)} series ({points}): {shown}"


def _params_line(result) -> str:
    return "; ".join(f"{k}={_cell(v)}" for k, v in result.params.items())


def summary_text(result) -> str:
    """A few lines: the headline, the summary tables, the series and the parameters."""
    lines = [f"{result.name}" + (" (stopped early)" if result.stopped else "")
             + (f": {result.summary['headline']}" if result.summary.get("headline") else "")]
    for table in summary_tables(result.summary):
        rows = table.rows if table.header == ["", "value"] else [table.header] + table.rows
        widths = [max(len(r[k]) for r in rows) for k in range(len(table.header))] if rows else []
        if table.title:
            lines.append(f"  {table.title}:")
        for row in rows:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    lines.append("  " + _series_line(result))
    if result.params:
        lines.append("  params: " + _params_line(result))
    return "\n".join(lines)


def _fingerprint(result) -> tuple:
    """Changes whenever a figure of ``result`` could: new points, arrays or summary entries."""
    return (tuple((n, len(s.x), len(s.y)) for n, s in result.series.items()),
            tuple(result.arrays), tuple(result.summary), result.stopped)


def render_png(result) -> tuple:
    """``(png, None)``: the PNG of ``result``'s figure
    (:func:`~trainlab.experiments.plots.make_figure`); or ``(None, why)`` when matplotlib is
    missing or the figure cannot be drawn (e.g. a run stopped before its first point). Cached on
    the result until it changes."""
    key = _fingerprint(result)
    cached = getattr(result, "_png_cache", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    from trainlab.experiments import plots

    if not plots.matplotlib_available():
        out = (None, plots.INSTALL_HINT)
    elif not result.series and not result.arrays:
        out = (None, "nothing to draw: the result has no data")
    else:
        try:
            out = (figure_png(plots.make_figure(result)), None)
        except Exception as exc:  # noqa: BLE001 - a display never fails; it says why instead
            out = (None, f"the figure could not be drawn ({type(exc).__name__}: {exc})")
    result._png_cache = (key, out)
    return out


def _html_table(table: Table) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in table.header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    caption = f"<caption>{esc(table.title)}</caption>" if table.title else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def result_html(result) -> str:
    """The figure inline (a base64 PNG) above the headline and the summary tables; the series and
    parameters in a collapsed section. Without a figure, the tables alone."""
    esc = html.escape
    parts = ['<div class="trainlab-result">']
    png, why = render_png(result)
    if png is None:
        parts.append(f"<p><i>{esc(why)}</i></p>")
    else:
        parts.append(f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
                     f'alt="figure of {esc(result.name)}"/>')
    title = esc(result.name) + (" (stopped early)" if result.stopped else "")
    headline = result.summary.get("headline")
    parts.append(f"<p><b>{title}</b>" + (f": {esc(str(headline))}" if headline else "") + "</p>")
    parts += [_html_table(t) for t in summary_tables(result.summary)]
    parts.append(f"<details><summary>series and parameters</summary><p>{esc(_series_line(result))}"
                 f"</p><p>{esc(_params_line(result))}</p></details></div>")
    return "".join(parts)


def kernel_shell():
    """The IPython shell of a Jupyter kernel (one that can show and replace displays), or None
    in plain Python and a terminal IPython. IPython is only looked up if already imported."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if getattr(shell, "kernel", None) is not None else None


def enable_figure_display() -> None:
    """In a Jupyter kernel, show a matplotlib ``Figure`` that ends a cell as a PNG, as
    ``%matplotlib inline`` sets up, also when pyplot was never imported (trainlab's figures are
    made without it). A formatter the user or the inline backend registered is kept; outside a
    kernel nothing happens."""
    shell = kernel_shell()
    if shell is None:
        return
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:  # IPython's own select_figure_formats would import pyplot
        formatter.for_type(Figure, lambda figure: figure_png(figure, bbox_inches="tight"))


def figure_png(figure, **savefig) -> bytes:
    """A matplotlib ``figure`` as PNG bytes at the command line's resolution (``savefig``: more
    options of ``Figure.savefig``)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, **savefig)
    return buffer.getvalue()
