"""The PySide6 desktop UI. Nothing outside this package imports Qt (DESIGN.md §2)."""

from whh_desktop.ui.compat import pin_singletons

pin_singletons()
