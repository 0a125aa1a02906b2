"""Windows that fit the screen: 1366×768 at 150 % leaves about 910×512 logical pixels (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QWidget


def available(widget: QWidget) -> QSize:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size()


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """The wished size, but never larger than the screen the window opens on."""
    widget.resize(QSize(width, height).boundedTo(available(widget)))


class _FormScroll(QScrollArea):
    def sizeHint(self) -> QSize:  # the whole form (QScrollArea caps its hint at 24 lines)
        widget = self.widget()
        hint = widget.sizeHint() if widget is not None else super().sizeHint()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())


def scrolling(layout: QLayout) -> QScrollArea:
    """``layout`` in a frameless vertical scroll area: a long form scrolls instead of outgrowing a small screen.
    The area is as wide as the form needs and takes no focus itself (the first field gets it on opening)."""
    holder = QWidget()
    holder.setLayout(layout)
    layout.setContentsMargins(0, 0, 0, 0)
    area = _FormScroll()
    area.setWidget(holder)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(holder.minimumSizeHint().width() + bar)
    # As tall as the form up to a screenful; below that it scrolls.
    area.setMinimumHeight(min(holder.sizeHint().height(), 240))
    return area


def page_scroller(pages: QWidget) -> QScrollArea:
    """The main window's pages in a scroll area: on a large screen it never scrolls; at 150 % on 1366×768 a page
    wider or taller than what is left beside the navigation scrolls instead of pushing the window off the screen."""
    area = QScrollArea()
    area.setObjectName("page_scroller")
    area.setWidget(pages)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area
