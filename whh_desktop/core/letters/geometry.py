"""DIN 5008 Form B on A4 as named constants (DOMAIN.md "Letters"; STYLE.md sketch).

Distances are in points (reportlab units) but written in millimetres, measured from the **top** and the **left**
edge of the sheet as the standard does; ``from_top`` turns a distance from the top into reportlab's y.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH, PAGE_HEIGHT = A4


def from_top(distance: float) -> float:
    """reportlab's y coordinate of a line ``distance`` below the top edge."""
    return PAGE_HEIGHT - distance


@dataclass(frozen=True)
class Din5008B:
    """Form B: letterhead 45 mm, address field from 45 mm down (window of a DL/C6-5 envelope)."""

    letterhead_height: float = 45 * mm
    address_left: float = 20 * mm
    address_top: float = 45 * mm
    address_width: float = 85 * mm
    address_height: float = 45 * mm
    return_zone_height: float = 17.7 * mm     # up to 5 lines: return address, notes such as "Einschreiben"
    return_zone_lines: int = 5
    recipient_zone_height: float = 27.3 * mm  # up to 6 lines of address
    recipient_zone_lines: int = 6
    address_inset: float = 5 * mm             # text starts 5 mm inside the field (25 mm from the edge)
    info_left: float = 125 * mm
    info_top: float = 50 * mm
    info_right: float = 190 * mm              # right margin 20 mm
    margin_left: float = 25 * mm
    margin_right: float = 20 * mm
    min_margin_right: float = 10 * mm
    body_top_first: float = 98.46 * mm        # subject: two blank lines below the address field
    body_top_following: float = 27 * mm
    body_bottom: float = 32 * mm              # above page number and footer
    page_number_bottom: float = 24 * mm
    footer_bottom: float = 8 * mm
    fold_marks: tuple[float, ...] = (105 * mm, 210 * mm)
    hole_mark: float = 148.5 * mm
    mark_left: float = 4 * mm
    fold_mark_length: float = 5 * mm
    hole_mark_length: float = 7 * mm

    @property
    def recipient_zone_top(self) -> float:
        """Distance from the top edge where the recipient's lines begin (45 + 17.7 = 62.7 mm)."""
        return self.address_top + self.return_zone_height

    @property
    def address_bottom(self) -> float:
        return self.address_top + self.address_height

    @property
    def text_width(self) -> float:
        return PAGE_WIDTH - self.margin_left - self.margin_right

    @property
    def address_text_width(self) -> float:
        return self.address_width - self.address_inset - 2 * mm


FORM_B = Din5008B()
