"""The page frame of the app's A4 documents that are not letters (Art. 15 report, Hilfeplan, Sachbericht): the
site's sender line on top, a footer with a note on the left and the page number on the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.letters import fonts

GREY = HexColor("#555555")


def sender_line(letterhead: Letterhead) -> str:
    return " · ".join(x for x in (letterhead.name, letterhead.street, f"{letterhead.plz} {letterhead.city}".strip(),
                                  letterhead.phone) if x)


def page_frame(letterhead: Letterhead, footer: str, *, left: float, right: float, top: float,
               bottom: float) -> Callable[[Any, Any], None]:
    """``onFirstPage``/``onLaterPages`` for a SimpleDocTemplate with these margins."""
    sender = fonts.printable(sender_line(letterhead))

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.SANS, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(left, A4[1] - top, sender)
        canvas.drawRightString(A4[0] - right, bottom - 8 * mm, f"Seite {document.page}")
        canvas.drawString(left, bottom - 8 * mm, footer)
        canvas.restoreState()

    return decorate
