"""Reports service (issue 06): the API the dashboard (Berichte) and the CLI call.

Every function returning tables takes an open read session and returns ``ReportTable`` objects
(``core/reports/tables.py``); ``suppress_for_export`` turns them into what may leave the district (counts 1–2 as
"< 3" plus secondary suppression). Sites see their own figures (a site store holds only its cases); the district
store holds every site's cases after merging, and ``sites`` narrows to some of them. At the district most of them
are pseudonymous records (no consent for the Kreis, ``sync_pseudonyms``): every district report counts them too,
with whole-month dates (``core/reports/pseudonymous.py``), and a pseudonym linked to an identified case counts once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.reports import arbeitskreis as _arbeitskreis
from whh_desktop.core.reports import csv as csv_writer
from whh_desktop.core.reports import indicators as _indicators
from whh_desktop.core.reports import quality, sachbericht, stichtag, suppress
from whh_desktop.core.reports.indicators import INDICATORS, DrillItem
from whh_desktop.core.reports.tables import ReportTable as ReportTable  # the read models the UI shows
from whh_desktop.core.reports.tables import Row as Row
from whh_desktop.core.reports.tables import format_cell as format_cell
from whh_desktop.core.services import site_settings
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store

__all__ = [
    "INDICATORS",
    "DrillItem",
    "Period",
    "data_quality",
    "drilldown",
    "export_csv",
    "export_xlsx",
    "indicators",
    "month",
    "parse_sites",
    "quarter",
    "sachbericht_pdf",
    "stichtag_nrw",
    "stichtag_on",
    "stichtag_wobericht",
    "suppress_for_export",
    "year",
]


# ---- periods ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    von: date
    bis: date
    label: str


def month(year_: int, month_: int) -> Period:
    first = date(year_, month_, 1)
    nxt = date(year_ + (month_ == 12), month_ % 12 + 1, 1)
    return Period(first, nxt - timedelta(days=1), f"{first:%m/%Y}")


def quarter(year_: int, q: int) -> Period:
    if q not in (1, 2, 3, 4):
        raise InvalidInput("Das Quartal ist 1, 2, 3 oder 4.", "quarter")
    first = date(year_, 3 * q - 2, 1)
    last = month(year_, 3 * q).bis
    return Period(first, last, f"{q}. Quartal {year_}")


def year(year_: int) -> Period:
    return Period(date(year_, 1, 1), date(year_, 12, 31), f"Jahr {year_}")


def parse_sites(texts: Sequence[str] | None) -> list[str] | None:
    """Site codes or German names (``Bünde``) → codes; None/empty means all sites of the store."""
    if not texts:
        return None
    return [SiteCode.parse(t).value for t in texts]


# ---- reports -------------------------------------------------------------------------------------------------
def indicators(session: Session, von: date, bis: date, sites: Sequence[str] | None = None) -> list[ReportTable]:
    """Tables ``overview`` (dimension ``indicator``, rows keyed by indicator key, column ``value``),
    ``by_month``, ``by_site``, ``by_municipality``, ``by_category`` (rows keyed by month ``YYYY-MM``/site
    code/municipality name/category value, ``-`` for "ohne Angabe"; one column per indicator key; totals row)
    and ``by_baustein`` (rows keyed by Baustein value; columns ``contacts``, ``cases``)."""
    return _indicators.indicator_tables(session, von, bis, sites)


def drilldown(session: Session, indicator_key: str, von: date, bis: date, sites: Sequence[str] | None = None,
              cell: tuple[str, str] | None = None) -> list[DrillItem]:
    """The cases (for ``landlords``: registry entries) behind a figure. ``cell`` is ``(table.dimension, row.key)``
    of the clicked cell, None for the indicator's total; the indicator is the clicked column's key (or the row
    key in the overview). Identified cases come first (kind ``case``), then the pseudonymous records of the sites
    (kind ``pseudonym``, label "Pseudonym …", ``site`` their site; nothing to open)."""
    if indicator_key not in _indicators.BY_KEY:
        raise InvalidInput(f"Unbekannte Kennzahl »{indicator_key}«.", "indicator")
    return _indicators.drilldown(session, indicator_key, von, bis, sites, cell)


def stichtag_on(session: Session, day: date, art: str | None = None,
                sites: Sequence[str] | None = None) -> list[ReportTable]:
    """Stichtag tables for any day; ``art`` ``nrw`` (homeless persons) or ``wobericht`` (placed persons),
    by default ``wobericht`` on 31 January and ``nrw`` otherwise."""
    art = art or stichtag.default_art(day)
    if art not in stichtag.KINDS:
        raise InvalidInput("Die Art des Stichtagsberichts ist »nrw« oder »wobericht«.", "art")
    return stichtag.stichtag_tables(session, day, art, sites)


def stichtag_nrw(session: Session, year_: int, sites: Sequence[str] | None = None) -> list[ReportTable]:
    """NRW Wohnungsnotfall-Berichterstattung on 30 June of ``year_``: ``overview`` (rows ``persons``,
    ``households``), ``sex_age`` (age groups × sex, total column), ``sex``, ``nationality``, ``household_type``,
    ``household_size``, ``accommodation``, ``municipality``, ``site``."""
    return stichtag.stichtag_tables(session, stichtag.nrw_day(year_), stichtag.NRW, sites)


def stichtag_wobericht(session: Session, year_: int, sites: Sequence[str] | None = None) -> list[ReportTable]:
    """WoBerichtsG on 31 January of ``year_``: the NRW tables plus ``since`` and ``provider``."""
    return stichtag.stichtag_tables(session, stichtag.wobericht_day(year_), stichtag.WOBERICHT, sites)


def data_quality(session: Session, sites: Sequence[str] | None = None) -> ReportTable:
    """Rows keyed by case id (str) with Aktenzeichen, Standort, Beratung, Es fehlt."""
    return quality.quality_table(session, sites)


def arbeitskreis(session: Session, von: date, bis: date, sites: Sequence[str] | None = None) -> list[ReportTable]:
    """Arbeitskreis with the Jobcenter (issue 08): ``ak_kinds``, ``ak_quarter_site``, ``ak_objections``."""
    return _arbeitskreis.arbeitskreis_tables(session, von, bis, sites)


def arbeitskreis_for(store: Store, user: CurrentUser, von: date, bis: date,
                     sites: Sequence[str] | None = None) -> list[ReportTable]:
    """The Arbeitskreis tables for a window (opens its own read session)."""
    with store.read_session() as s:
        return arbeitskreis(s, von, bis, sites)


def suppress_for_export(tables: Sequence[ReportTable]) -> list[ReportTable]:
    return [_arbeitskreis.protect(t) for t in suppress.suppress_all(list(tables))]


# ---- writers -------------------------------------------------------------------------------------------------
def export_xlsx(tables: Sequence[ReportTable], path: Path | str) -> Path:
    from whh_desktop.core.reports import excel  # openpyxl costs 0.3 s: loaded on the first Excel export, not at start

    return excel.write_xlsx(list(tables), Path(path))


def export_csv(table: ReportTable, path: Path | str) -> Path:
    return csv_writer.write_csv(table, Path(path))


def sachbericht_pdf(store: Store, user: CurrentUser, von: date, bis: date, texts: Mapping[str, str],
                    sites: Sequence[str] | None = None, *, suppressed: bool = True) -> bytes:
    """The Sachbericht for the funding body: letterhead, indicator tables (suppressed, it leaves the site),
    a bar chart per month, and the free text per Baustein (``texts``: Baustein value "1".."6" → text)."""

    with store.read_session() as s:
        letterhead = site_settings.load(s).letterhead
        tables = indicators(s, von, bis, sites)
    return sachbericht.render(tables, letterhead, von, bis, dict(texts), suppressed=suppressed)



# ---- for the windows: each opens its own read session --------------------------------------------------------
def indicators_for(store: Store, user: CurrentUser, von: date, bis: date,
                   sites: Sequence[str] | None = None) -> list[ReportTable]:
    with store.read_session() as s:
        return indicators(s, von, bis, sites)


def drilldown_for(store: Store, user: CurrentUser, indicator_key: str, von: date, bis: date,
                  sites: Sequence[str] | None = None, cell: tuple[str, str] | None = None) -> list[DrillItem]:
    with store.read_session() as s:
        return drilldown(s, indicator_key, von, bis, sites, cell)


def stichtag_for(store: Store, user: CurrentUser, art: str, year_: int,
                 sites: Sequence[str] | None = None) -> list[ReportTable]:
    """``art`` ``nrw`` (30 June of ``year_``) or ``wobericht`` (31 January)."""
    with store.read_session() as s:
        return stichtag_nrw(s, year_, sites) if art == "nrw" else stichtag_wobericht(s, year_, sites)


def data_quality_for(store: Store, user: CurrentUser, sites: Sequence[str] | None = None) -> ReportTable:
    with store.read_session() as s:
        return data_quality(s, sites)
