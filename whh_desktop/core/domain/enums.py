"""Enumerations of the case domain with their German labels, in one place (DESIGN.md §3)."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from whh_desktop.core.domain.health import is_health_service


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


# ---- accounts ------------------------------------------------------------------------------------------------
class Role(StrEnum):
    BERATUNG = "beratung"
    ADMIN = "admin"
    KREIS = "kreis"

    @property
    def label(self) -> str:
        return {Role.BERATUNG: "Beratung", Role.ADMIN: "Admin", Role.KREIS: "Kreis"}[self]


# ---- applications (Anträge) and Widersprüche ------------------------------------------------------------------
class ApplicationKind(LabeledEnum):
    KDU_ZUSICHERUNG = ("sgb2_22_4", "Zusicherung neue Unterkunft (§ 22 Abs. 4 SGB II)")
    KAUTION = ("sgb2_22_6", "Mietkaution/Genossenschaftsanteile (§ 22 Abs. 6 SGB II)")
    DIREKTZAHLUNG = ("sgb2_22_7", "Direktzahlung an den Vermieter (§ 22 Abs. 7 SGB II)")
    MIETSCHULDEN = ("sgb2_22_8", "Mietschulden (§ 22 Abs. 8 SGB II)")
    MIETSCHULDEN_SGB12 = ("sgb12_36", "Mietschulden (§ 36 SGB XII)")
    ERSTAUSSTATTUNG = ("erstausstattung", "Erstausstattung der Wohnung")
    UMZUGSKOSTEN = ("umzugskosten", "Umzugskosten")
    WOHNGELD = ("wohngeld", "Wohngeld")
    WBS = ("wbs", "Wohnberechtigungsschein (WBS)")


class SubmittedVia(LabeledEnum):
    POST = ("post", "per Post")
    PERSOENLICH = ("persoenlich", "persönlich abgegeben")
    ONLINE = ("online", "online")


class Decision(LabeledEnum):
    BEWILLIGT = ("bewilligt", "bewilligt")
    TEILWEISE = ("teilweise", "teilweise bewilligt")
    ABGELEHNT = ("abgelehnt", "abgelehnt")
    ZURUECKGENOMMEN = ("zurueckgenommen", "zurückgenommen")


class ObjectionDecision(LabeledEnum):
    ABGEHOLFEN = ("abgeholfen", "abgeholfen (erfolgreich)")
    TEILWEISE = ("teilweise", "teilweise abgeholfen")
    ZURUECKGEWIESEN = ("zurueckgewiesen", "zurückgewiesen")
    ZURUECKGENOMMEN = ("zurueckgenommen", "zurückgenommen")


# ---- the Hilfeplan -------------------------------------------------------------------------------------------
class GoalStatus(StrEnum):
    OFFEN = "offen"
    IN_ARBEIT = "in_arbeit"
    ERREICHT = "erreicht"
    TEILWEISE = "teilweise"
    NICHT_ERREICHT = "nicht_erreicht"
    AUFGEGEBEN = "aufgegeben"

    @property
    def label(self) -> str:
        return {"offen": "offen", "in_arbeit": "in Arbeit", "erreicht": "erreicht", "teilweise": "teilweise erreicht",
                "nicht_erreicht": "nicht erreicht", "aufgegeben": "aufgegeben"}[self.value]

    @property
    def finished(self) -> bool:
        return self not in (GoalStatus.OFFEN, GoalStatus.IN_ARBEIT)


class ServiceKind(StrEnum):
    SPDI = "spdi"
    GPV = "gpv"
    SUCHTBERATUNG = "suchtberatung"
    BETREUUNG = "betreuung"
    EINGLIEDERUNGSHILFE = "eingliederungshilfe"
    JOBCENTER = "jobcenter"
    VERMIETER = "vermieter"
    SONSTIGE = "sonstige"

    @property
    def label(self) -> str:
        return {"spdi": "Sozialpsychiatrischer Dienst (SpDi)", "gpv": "Mitglied des GPV",
                "suchtberatung": "Suchtberatung", "betreuung": "Rechtliche Betreuung",
                "eingliederungshilfe": "Eingliederungshilfe", "jobcenter": "Jobcenter",
                "vermieter": "Vermieter", "sonstige": "andere Stelle"}[self.value]

    @property
    def recipient(self) -> ConsentRecipient | None:
        """The recipient kind of the consent form that covers this service, if the form has one."""
        return {ServiceKind.SPDI: ConsentRecipient.SPDI, ServiceKind.SUCHTBERATUNG: ConsentRecipient.SUCHTHILFE,
                ServiceKind.JOBCENTER: ConsentRecipient.JOBCENTER,
                ServiceKind.VERMIETER: ConsentRecipient.VERMIETER}.get(self)

    @property
    def health(self) -> bool:
        """Does planning with this service involve health or addiction data (special category)?"""
        return is_health_service(self.value)


class ConferenceKind(StrEnum):
    GESAMTPLANKONFERENZ = "gesamtplankonferenz"
    HILFEPLANGESPRAECH = "hilfeplangespraech"

    @property
    def label(self) -> str:
        return {"gesamtplankonferenz": "Gesamtplankonferenz", "hilfeplangespraech": "Hilfeplangespräch"}[self.value]


# ---- the Suchthilfe pathway ----------------------------------------------------------------------------------
class Stage(StrEnum):
    KONTAKT = "kontakt"
    ENTGIFTUNG = "entgiftung"
    ENTWOEHNUNG = "entwoehnung"
    NACHSORGE = "nachsorge"
    SELBSTHILFE = "selbsthilfe"

    @property
    def label(self) -> str:
        return {"kontakt": "Kontakt zur Suchtberatung", "entgiftung": "Entgiftung",
                "entwoehnung": "Entwöhnung/Therapie", "nachsorge": "Nachsorge",
                "selbsthilfe": "Selbsthilfe"}[self.value]

    @property
    def order(self) -> int:
        return list(Stage).index(self)


class StageStatus(StrEnum):
    GEPLANT = "geplant"
    LAUFEND = "laufend"
    ABGESCHLOSSEN = "abgeschlossen"
    ABGEBROCHEN = "abgebrochen"

    @property
    def label(self) -> str:
        return {"geplant": "geplant", "laufend": "läuft", "abgeschlossen": "abgeschlossen",
                "abgebrochen": "abgebrochen"}[self.value]
