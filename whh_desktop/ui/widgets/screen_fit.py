"""Windows that fit the screen: 1366×768 at 150 % leaves about 910×512 logical pixels (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QStackedWidget, QWidget


def available(widget: QWidget) -> QSize:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size()


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """The wished size, but never larger than the screen the window opens on."""
    widget.resize(QSize(width, height).boundedTo(available(widget)))


class _FormScroll(QScrollArea):
    """Measured from the form each time, so rows shown or added later still fit."""

    def sizeHint(self) -> QSize:  # the whole form (QScrollArea caps its hint at 24 lines)
        widget = self.widget()
        hint = widget.sizeHint() if widget is not None else super().sizeHint()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the dialog's layout asks again
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        # As wide as the form needs (it never scrolls sideways); as tall as the form up to 240 px, then it scrolls.
        widget = self.widget()
        if widget is None:
            return super().minimumSizeHint()
        return QSize(widget.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width(),
                     min(widget.sizeHint().height(), 240))


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
    return area


class PageStack(QStackedWidget):
    """A stack of pages whose size is the current page's: one wide page must not make every other page scroll."""

    resized = Signal()  # the current page asked for another size (new rows, a longer text)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self.resized.emit()
        return handled

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else QSize(0, 0)

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else QSize(0, 0)


def page_scroller(pages: QStackedWidget) -> QScrollArea:
    """The main window's pages in a scroll area: on a large screen it never scrolls; at 150 % on 1366×768 a page
    wider or taller than what is left beside the navigation scrolls instead of pushing the window off the screen."""
    area = QScrollArea()
    area.setObjectName("page_scroller")
    area.setWidget(pages)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # Another page, another minimum size: let the area measure again.
    pages.currentChanged.connect(lambda _index: area.setWidgetResizable(True))
    if isinstance(pages, PageStack):
        pages.resized.connect(lambda: area.setWidgetResizable(True))
    return area
