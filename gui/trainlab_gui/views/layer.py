"""A cached layer for curves that no longer change: the finished runs overlaid in the curves view.

pyqtgraph paints every curve in Python (Qt calls each item's ``paint``) and the paint holds the GIL
from start to end, so each finished run kept for comparison made every frame of a live run more
expensive: with 12 runs, their 48 curves were most of a 10-20 ms paint. ``CachedLayer`` takes such
curves over: Qt no longer paints them (``ItemHasNoContents``), and the layer paints all of them
into one image, made again only when the view's transform, the layer's size or its curves change
(``invalidate``); a curve taken over is painted onto the image; every other frame is one
``drawImage``. Exports paint the curves directly, so they keep the exporter's resolution and
options.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem

__all__ = ["CachedLayer"]


class CachedLayer(pg.GraphicsObject):
    """Paints ``curves`` (items inside ``viewbox``) from a cached image, below the live items.

    Parameters
    ----------
    viewbox : pyqtgraph.ViewBox
        The view box whose items the layer takes over; the layer covers its whole rectangle.
    """

    def __init__(self, viewbox):
        super().__init__()
        self.viewbox = viewbox
        self.setParentItem(viewbox)
        self.setZValue(-1)  # above the view box's background, below its items (z 0)
        self.curves: list = []
        self.renders = 0  # images made from all curves (for tests and benchmarks)
        self._image = None
        self._key = None
        self._pending: list = []  # curves added since the image was made: painted onto it
        viewbox.sigResized.connect(self._resized)

    def _resized(self, *_) -> None:
        self.prepareGeometryChange()
        self.invalidate()

    def add(self, curve) -> None:
        """Take over ``curve`` (a child of the view box's items) from Qt's painting; it is
        painted onto the current image (above the others), not with all of them again."""
        if curve not in self.curves:
            curve.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
            self.curves.append(curve)
            self._pending.append(curve)
            self.update()

    def remove(self, curve) -> None:
        if curve in self.curves:
            self.curves.remove(curve)
            curve.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, False)
            self.invalidate()

    def invalidate(self) -> None:
        """The curves changed (data, pen or visibility): make the image again at the next paint."""
        self._key = None
        self._pending = []
        self.update()

    def boundingRect(self) -> QRectF:
        return self.viewbox.rect()

    def _draw(self, p: QPainter, base: QTransform, opt, widget, curves=None) -> None:
        # in z order, as Qt would paint them (a stable sort: otherwise in the order added)
        for curve in sorted(self.curves if curves is None else curves, key=lambda c: c.zValue()):
            if curve.isVisible():
                p.setTransform(curve.itemTransform(self)[0] * base)
                curve.paint(p, opt, widget)

    def paint(self, p, opt, widget):
        if not self.curves:
            return
        if self._exportOpts is not False:  # an export: at its resolution, with its options
            p.save()
            self._draw(p, p.transform(), opt, widget)
            p.restore()
            return
        t = p.transform()
        rect = t.mapRect(self.boundingRect()).toAlignedRect()
        if rect.isEmpty():
            return
        dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        key = (_matrix(t), _matrix(self.viewbox.childGroup.transform()), rect.width(),
               rect.height(), dpr)
        fresh = key != self._key
        if fresh or self._pending:
            if fresh:
                self._image = QImage(int(rect.width() * dpr), int(rect.height() * dpr),
                                     QImage.Format.Format_ARGB32_Premultiplied)
                self._image.setDevicePixelRatio(dpr)
                self._image.fill(0)
                self.renders += 1
            q = QPainter(self._image)
            try:
                self._draw(q, t * QTransform.fromTranslate(-rect.x(), -rect.y()), opt, widget,
                           None if fresh else self._pending)
            finally:
                q.end()
            self._key, self._pending = key, []
        p.save()
        p.resetTransform()
        p.drawImage(rect.topLeft(), self._image)
        p.restore()


def _matrix(t: QTransform) -> tuple:
    return (t.m11(), t.m12(), t.m13(), t.m21(), t.m22(), t.m23(), t.m31(), t.m32(), t.m33())
