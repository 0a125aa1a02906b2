"""Tab helpers shared by the pages that open another place on a given tab."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget


def select_tab(widget: QWidget, title: str) -> None:
    """Bring the tab called ``title`` to the front in ``widget``'s (first) tab bar, when there is one."""
    tabs = widget if isinstance(widget, QTabWidget) else widget.findChild(QTabWidget)
    if not title or tabs is None:
        return
    for index in range(tabs.count()):
        if tabs.tabText(index).replace("&", "") == title:
            tabs.setCurrentIndex(index)
            return
