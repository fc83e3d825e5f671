"""Light and dark, following the system's colour scheme (Qt ≥ 6.5 ``QStyleHints.colorScheme``)
and switching live when it changes: the widgets' palette and the plots' background, axes, titles,
legends and the views' own neutral items.

``THEMES`` holds each scheme's colours; :func:`watch` registers a view, whose ``apply_theme`` is
called now and at every change. ``request('dark')`` asks Qt for a scheme (the command line's
``--theme``); where the platform has no dark palette of its own (offscreen, a bare X server) the
application gets a dark Fusion palette here.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette

__all__ = ["Theme", "THEMES", "current", "watch", "request", "style_graphics", "style_plot",
           "style_backdrop", "style_colorbar", "style_legend"]


@dataclass(frozen=True)
class Theme:
    """The colours of one scheme: plot background and text/axes, and two neutral tones for what
    is drawn behind the data (contours, fields, faded curves)."""
    name: str
    background: str
    foreground: str
    muted: str
    faint: str

    @property
    def dark(self) -> bool:
        return self.name == "dark"


THEMES = {"light": Theme("light", "#ffffff", "#1a1a1a", "#9a9a9a", "#b9cde0"),
          "dark": Theme("dark", "#1f1f1f", "#e6e6e6", "#8a8a8a", "#3d5366")}


_requested: str | None = None  # 'light' or 'dark' asked for with request(); None: the system's


def current() -> Theme:
    """The theme asked for with :func:`request`, else the system's colour scheme's (light when
    the platform does not say)."""
    app = QGuiApplication.instance()
    if _requested is not None or app is None:
        return THEMES[_requested or "light"]
    return THEMES["dark" if app.styleHints().colorScheme() == Qt.ColorScheme.Dark else "light"]


def style_plot(plot, theme: Theme) -> None:
    """Axes, tick labels, title and legend text of one PlotItem in ``theme``'s colours."""
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(theme.foreground))
        axis.setTextPen(pg.mkPen(theme.foreground))
        if axis.label is not None and axis.labelText:
            axis.setLabel(axis.labelText, axis.labelUnits, **dict(axis.labelStyle, color=theme.foreground))
    title = plot.titleLabel
    if title.text:
        width = title.minimumWidth()
        title.setText(title.text, color=theme.foreground)
        title.setMinimumWidth(width)  # as its plot had it (setText widens it to the text)
    if plot.legend is not None:
        style_legend(plot.legend, theme)


def style_legend(legend, theme: Theme) -> None:
    legend.setLabelTextColor(theme.foreground)
    background = QColor(theme.background)
    background.setAlpha(220)
    legend.setBrush(pg.mkBrush(background))
    legend.setPen(pg.mkPen(theme.muted))
    for _, label in legend.items:
        label.setText(label.text, color=theme.foreground)


def style_colorbar(colorbar, theme: Theme, label: str) -> None:
    """A ColorBarItem's axis, tick labels and ``label`` in ``theme``'s text colour."""
    colorbar.axis.enableAutoSIPrefix(False)  # accuracies and counts as they are
    colorbar.axis.setPen(pg.mkPen(theme.foreground))
    colorbar.axis.setTextPen(pg.mkPen(theme.foreground))
    colorbar.axis.setLabel(label, color=theme.foreground)


def style_graphics(graphics, theme: Theme) -> None:
    """A GraphicsLayoutWidget and every PlotItem, LegendItem and LabelItem in its layout (and in
    the layouts inside it)."""
    graphics.setBackground(theme.background)
    _style_layout(graphics.ci, theme)


def _style_layout(layout, theme: Theme) -> None:
    for item in list(layout.items):
        if isinstance(item, pg.PlotItem):
            style_plot(item, theme)
        elif isinstance(item, pg.LegendItem):
            style_legend(item, theme)
        elif isinstance(item, pg.LabelItem) and item.text:
            item.setText(item.text, color=theme.foreground)
        elif isinstance(item, pg.GraphicsLayout):
            _style_layout(item, theme)


def style_backdrop(items, theme: Theme) -> None:
    """Items drawn behind the data, as (item, role): 'muted' and 'faint' lines take those theme
    colours as their pen, 'foreground' symbols (a marked point) the text colour."""
    for item, role in items:
        color = getattr(theme, role)
        if role == "foreground":
            item.setSymbolBrush(color)
            item.setSymbolPen(pg.mkPen(color))
        else:
            item.setPen(pg.mkPen(color))


def _palette(app, theme: Theme) -> QPalette:
    """A palette for ``theme``: the style's own when light, dark-grey Fusion colours when dark."""
    p = app.style().standardPalette()
    if not theme.dark:
        return p
    base, window, text = QColor("#2b2b2b"), QColor("#353535"), QColor("#e6e6e6")
    for role, c in ((QPalette.Window, window), (QPalette.WindowText, text), (QPalette.Base, base),
                    (QPalette.AlternateBase, window), (QPalette.ToolTipBase, window),
                    (QPalette.ToolTipText, text), (QPalette.Text, text), (QPalette.Button, window),
                    (QPalette.ButtonText, text), (QPalette.BrightText, QColor("#ff6b6b")),
                    (QPalette.Highlight, QColor("#2a82da")), (QPalette.HighlightedText, QColor("#000000")),
                    (QPalette.PlaceholderText, QColor("#9a9a9a"))):
        p.setColor(role, c)
    for role in (QPalette.Text, QPalette.ButtonText, QPalette.WindowText):
        p.setColor(QPalette.Disabled, role, QColor("#7a7a7a"))
    return p


class _Watcher(QObject):
    """Follows the colour scheme and restyles the registered views when it changes."""

    def __init__(self, app):
        super().__init__(app)
        self.views = weakref.WeakSet()
        self.theme = current()
        self._own_palette = False
        app.styleHints().colorSchemeChanged.connect(self.changed)
        self._fit(app)

    def _fit(self, app) -> None:
        """The palette and pyqtgraph's default colours for ``self.theme``."""
        # a platform that follows the scheme gives a matching palette; otherwise set one
        window = app.palette().color(QPalette.Window)
        if self._own_palette or (window.lightness() < 128) != self.theme.dark:
            app.setPalette(_palette(app, self.theme))
            self._own_palette = self.theme.dark
        pg.setConfigOptions(background=self.theme.background, foreground=self.theme.foreground)

    @Slot(Qt.ColorScheme)
    def changed(self, *_) -> None:
        self.theme = current()
        self._fit(QGuiApplication.instance())
        for view in list(self.views):
            if shiboken6.isValid(view):  # a closed view's wrapper can outlive its widget
                view.apply_theme(self.theme)
            else:
                self.views.discard(view)


_watcher = None


def watch(view) -> Theme:
    """Register ``view`` (its ``apply_theme(theme)`` is called at every scheme change); returns
    the theme now (the caller applies it once its items exist)."""
    global _watcher
    app = QGuiApplication.instance()
    if app is None:
        return THEMES["light"]
    if _watcher is None or _watcher.parent() is not app:
        _watcher = _Watcher(app)
    _watcher.views.add(view)
    return _watcher.theme


def request(scheme: str) -> None:
    """Use 'light', 'dark' or the 'system' scheme (also on platforms that cannot switch theirs,
    such as offscreen); the views follow at once."""
    global _requested
    if scheme not in ("light", "dark", "system"):
        raise ValueError(f"theme must be light, dark or system, got {scheme!r}")
    hints = QGuiApplication.instance().styleHints()
    _requested = None if scheme == "system" else scheme
    if scheme == "system":
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light)
    if _watcher is not None and _watcher.theme != current():
        _watcher.changed()  # platforms that do not signal a requested scheme
