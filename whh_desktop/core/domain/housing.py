"""Enumerations of the housing side (landlord registry, flat offers, housing searches, proposals) with their German
labels, in one place like ``enums.py``."""

from __future__ import annotations

from whh_desktop.core.domain.enums import LabeledEnum


class LandlordKind(LabeledEnum):
    PRIVAT = ("privat", "Privatvermieter/in")
    UNTERNEHMEN = ("unternehmen", "Wohnungsunternehmen")
    GENOSSENSCHAFT = ("genossenschaft", "Wohnungsgenossenschaft")


class CooperationStatus(LabeledEnum):
    INTERESSIERT = ("interessiert", "interessiert")
    AKTIV = ("aktiv", "aktiv")
    PAUSIERT = ("pausiert", "pausiert")
    NICHT_MEHR = ("nicht_mehr", "nicht mehr")


class ContactWay(LabeledEnum):
    TELEFON = ("telefon", "Telefon")
    EMAIL = ("email", "E-Mail")
    BRIEF = ("brief", "Brief")
    PERSOENLICH = ("persoenlich", "persönlich")


class OfferStatus(LabeledEnum):
    FREI = ("frei", "frei")
    RESERVIERT = ("reserviert", "reserviert")
    VERGEBEN = ("vergeben", "vergeben")
    ZURUECKGEZOGEN = ("zurueckgezogen", "zurückgezogen")


class SearchStatus(LabeledEnum):
    AKTIV = ("aktiv", "sucht")
    PAUSIERT = ("pausiert", "pausiert")
    VERSORGT = ("versorgt", "Wohnung gefunden")
    BEENDET = ("beendet", "beendet ohne Wohnung")


class ProposalStep(LabeledEnum):
    VORGESCHLAGEN = ("vorgeschlagen", "vorgeschlagen")
    BESICHTIGUNG = ("besichtigung", "Besichtigung")
    ZUSAGE = ("zusage", "Zusage")
    ABSAGE = ("absage", "Absage")
    MIETVERTRAG = ("mietvertrag", "Mietvertrag unterschrieben")

    @property
    def is_final(self) -> bool:
        return self in (ProposalStep.ABSAGE, ProposalStep.MIETVERTRAG)


class RequestKind(LabeledEnum):
    """What a site asks the district to do with its registry (DESIGN.md §10: sites write event rows)."""

    LANDLORD_NEW = ("vermieter_neu", "neuer Vermieter")
    OFFER_NEW = ("angebot_neu", "neues Wohnungsangebot")
    OFFER_RESERVED = ("angebot_reserviert", "Wohnung reserviert")
    OFFER_LET = ("angebot_vergeben", "Wohnung vergeben (Mietvertrag)")
    OFFER_FREE = ("angebot_frei", "Wohnung wieder frei")


class RequestDecision(LabeledEnum):
    ANGENOMMEN = ("angenommen", "übernommen")
    ABGELEHNT = ("abgelehnt", "abgelehnt")
