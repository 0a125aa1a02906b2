"""Enumerations of the case domain with their German labels, in one place (DESIGN.md §3)."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry a German label: ``Member = ("value", "Label")``."""

    _label: str

    # The default only serves the type checker, which reads a value lookup ``Category("x")`` as a call of
    # ``__new__``; every member names its label.
    def __new__(cls, value: str, label: str = "") -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj._label = label
        return obj

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Sex(LabeledEnum):
    MAENNLICH = ("maennlich", "männlich")
    WEIBLICH = ("weiblich", "weiblich")
    DIVERS = ("divers", "divers")
    OHNE_ANGABE = ("ohne_angabe", "ohne Angabe")


class Category(LabeledEnum):
    """Wohnungsnotfall categories after BAG Wohnungslosenhilfe (DOMAIN.md)."""

    OHNE_UNTERKUNFT = ("ohne_unterkunft", "wohnungslos: ohne Unterkunft (Straße)")
    ORDNUNGSRECHTLICH = ("ordnungsrechtlich", "wohnungslos: ordnungsrechtlich untergebracht")
    EINRICHTUNG = ("einrichtung", "wohnungslos: in Einrichtung der Wohnungslosenhilfe")
    BEI_BEKANNTEN = ("bei_bekannten", "wohnungslos: bei Bekannten/Verwandten")
    VOR_ENTLASSUNG = ("vor_entlassung", "wohnungslos: vor Entlassung aus Haft/Klinik/Therapie")
    KUENDIGUNG = ("kuendigung", "bedroht: Kündigung")
    RAEUMUNGSKLAGE = ("raeumungsklage", "bedroht: Räumungsklage")
    RAEUMUNGSTERMIN = ("raeumungstermin", "bedroht: Räumungstermin")
    SONST_BEDROHT = ("sonst_bedroht", "bedroht: sonstiger drohender Verlust")
    UNZUMUTBAR = ("unzumutbar", "unzumutbare Wohnverhältnisse")
    EHEMALS = ("ehemals", "ehemals wohnungslos (Nachsorge)")

    @property
    def is_homeless(self) -> bool:
        return self in _HOMELESS

    @property
    def group(self) -> str:
        if self.is_homeless:
            return "aktuell wohnungslos"
        if self in (Category.KUENDIGUNG, Category.RAEUMUNGSKLAGE, Category.RAEUMUNGSTERMIN, Category.SONST_BEDROHT):
            return "unmittelbar bedroht"
        return "unzumutbar" if self is Category.UNZUMUTBAR else "ehemals wohnungslos"


_HOMELESS = {Category.OHNE_UNTERKUNFT, Category.ORDNUNGSRECHTLICH, Category.EINRICHTUNG, Category.BEI_BEKANNTEN,
             Category.VOR_ENTLASSUNG}


class Baustein(LabeledEnum):
    WOHNUNGSMARKT = ("1", "1 Wohnungsmarkt/Vermieterkontakte")
    EINZELFALLHILFE = ("2", "2 Einzelfallhilfe")
    JOBCENTER = ("3", "3 Jobcenter-Kooperation")
    PSYCHIATRIE = ("4", "4 Psychiatrische Versorgung")
    SUCHTHILFE = ("5", "5 Suchthilfe")
    WOHNRAUMVERMITTLUNG = ("6", "6 Soziale Wohnraumvermittlung")


class ContactKind(LabeledEnum):
    BUERO = ("buero", "Beratung im Büro")
    TELEFON = ("telefon", "Telefon")
    HAUSBESUCH = ("hausbesuch", "Hausbesuch")
    BEGLEITUNG = ("begleitung", "Begleitung")
    SCHRIFTLICH = ("schriftlich", "Schriftverkehr")


class Outcome(LabeledEnum):
    WOHNUNG_ERHALTEN = ("wohnung_erhalten", "Wohnung erhalten")
    NEUE_WOHNUNG = ("neue_wohnung", "neue Wohnung mit Mietvertrag")
    UNTERBRINGUNG = ("unterbringung", "Unterbringung")
    VERMITTELT = ("vermittelt", "an andere Stelle vermittelt")
    KONTAKTABBRUCH = ("kontaktabbruch", "Kontaktabbruch")
    VERZOGEN = ("verzogen", "verzogen")
    VERSTORBEN = ("verstorben", "verstorben")


class CameVia(LabeledEnum):
    SELBST = ("selbst", "selbst gemeldet")
    JOBCENTER = ("jobcenter", "Jobcenter")
    SOZIALAMT = ("sozialamt", "Sozialamt")  # its own consent: a Jobcenter consent does not cover it
    VERMIETER = ("vermieter", "Vermieter")
    GERICHT = ("gericht", "Mitteilung des Gerichts (§ 22 Abs. 9 SGB II)")
    SPDI = ("spdi", "Sozialpsychiatrischer Dienst")
    SUCHTHILFE = ("suchthilfe", "Suchthilfe")
    SONSTIGE = ("sonstige", "andere")


class IncomeKind(LabeledEnum):
    BUERGERGELD = ("buergergeld", "Bürgergeld / Grundsicherungsgeld (SGB II)")
    SGB_XII = ("sgb_xii", "Sozialhilfe / Grundsicherung (SGB XII)")
    WOHNGELD = ("wohngeld", "Wohngeld")
    RENTE = ("rente", "Rente")
    ERWERB = ("erwerb", "Erwerbseinkommen")
    KEINS = ("keins", "kein Einkommen")


class Relation(LabeledEnum):
    PARTNER = ("partner", "Partner/in")
    KIND = ("kind", "Kind")
    ELTERNTEIL = ("elternteil", "Elternteil")
    GESCHWISTER = ("geschwister", "Geschwister")
    SONSTIGE = ("sonstige", "sonstige Person")


class ReferralTarget(LabeledEnum):
    SPDI = ("spdi", "SpDi / GPV")
    SUCHTHILFE = ("suchthilfe", "Suchthilfe")
    JOBCENTER = ("jobcenter", "Jobcenter")
    SCHULDNERBERATUNG = ("schuldnerberatung", "Schuldnerberatung")
    SONSTIGE = ("sonstige", "andere Stelle")


class ReferralStatus(LabeledEnum):
    ANGEREGT = ("angeregt", "angeregt")
    VEREINBART = ("vereinbart", "Termin vereinbart")
    ANGENOMMEN = ("angenommen", "angenommen")
    ABGELEHNT = ("abgelehnt", "abgelehnt")
    ABGESCHLOSSEN = ("abgeschlossen", "abgeschlossen")


class ConsentRecipient(LabeledEnum):
    JOBCENTER = ("jobcenter", "Jobcenter")
    SOZIALAMT = ("sozialamt", "Sozialamt")  # its own consent: a Jobcenter consent does not cover it
    VERMIETER = ("vermieter", "Vermieter")
    SPDI = ("spdi", "SpDi")
    SUCHTHILFE = ("suchthilfe", "Suchthilfe")
    KREIS = ("kreis", "Kreis Herford")


class TerminationKind(LabeledEnum):
    FRISTLOS_ZAHLUNGSVERZUG = ("fristlos_verzug", "fristlos wegen Zahlungsverzugs")
    FRISTLOS_UND_ORDENTLICH = ("fristlos_ordentlich", "fristlos und hilfsweise ordentlich")
    ORDENTLICH = ("ordentlich", "ordentlich")
    SONSTIGE = ("sonstige", "aus anderem Grund")
