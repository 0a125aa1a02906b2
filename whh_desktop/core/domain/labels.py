"""German labels for every stored key a user can see, in one place (DESIGN.md §3; issue 16 point 4).

Enumerations carry their label on the member (``LabeledEnum`` and the ``label`` property of the StrEnums);
``of`` reads it for any of them, so views, reports, letters and PDFs never show a stored value. The tables below
are for keys that are no enumeration: audit log actions, the record counts of an exchange bundle, document kinds;
letter types are named by the letter catalogue's titles. A test walks the sources for every audit action written
and the main window for any visible identifier.
"""

from __future__ import annotations

from enum import Enum

from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.domain.enums import (
    ApplicationKind,
    Category,
    Decision,
    ObjectionDecision,
    Outcome,
    ReferralTarget,
    Role,
    ServiceKind,
)
from whh_desktop.core.domain.housing import OfferStatus, RequestKind
from whh_desktop.core.domain.sites import SiteCode


def of(enum_cls: type[Enum], value: str | None) -> str:
    """The German label of a stored enum value; an unknown value (a newer version's) reads as words, not a key."""
    if value is None or value == "":
        return ""
    try:
        label: str = enum_cls(value).label  # type: ignore[attr-defined]  # every enum named here carries labels
        return label
    except ValueError:
        return words(value)


def words(key: str) -> str:
    """Last resort for a key without a label: never shown with underscores."""
    return key.replace("_", " ")


AUDIT_ACTIONS = {
    "store_created": "Datenbestand angelegt",
    "login_ok": "Anmeldung",
    "login_failed": "Anmeldung fehlgeschlagen",
    "login_recovery": "Anmeldung mit Notfallschlüssel",
    "unlock": "Entsperrt",
    "lock": "Gesperrt",
    "logout": "Abgemeldet",
    "backup": "Datensicherung erstellt",
    "restore": "Datensicherung wiederhergestellt",
    "account_created": "Konto angelegt",
    "account_password_reset": "Passwort zurückgesetzt",
    "account_password_changed": "Passwort geändert",
    "account_deactivated": "Konto deaktiviert",
    "account_activated": "Konto aktiviert",
    "account_role_changed": "Rolle geändert",
    "settings_changed": "Einstellungen geändert",
    "migration": "Datenbank aktualisiert",
    "demo_filled": "Demodaten erzeugt",
    "demo_housing_filled": "Demodaten Wohnungsmarkt erzeugt",
    "case_created": "Fall angelegt",
    "case_saved": "Fall gespeichert",
    "case_opened": "Fall geöffnet",
    "case_closed": "Fall abgeschlossen",
    "case_category_on_closing": "Kategorie beim Abschluss gesetzt",
    "case_reopened": "Fall wieder geöffnet",
    "case_restricted": "Verarbeitung eingeschränkt",
    "case_unrestricted": "Einschränkung aufgehoben",
    "case_erased": "Fall gelöscht (personenbezogene Daten)",
    "case_handover_requested": "Fallübergabe beantragt",
    "contact_added": "Kontakt erfasst",
    "contact_changed": "Kontakt geändert",
    "eviction_saved": "Räumungsverfahren gespeichert",
    "referral_added": "Vermittlung angelegt",
    "referral_changed": "Vermittlung geändert",
    "consent_recorded": "Einwilligung erfasst",
    "consent_revoked": "Einwilligung widerrufen",
    "consent_replaced": "Einwilligung ersetzt (Erfassung korrigiert)",
    "document_added": "Dokument abgelegt",
    "deadline_overridden": "Frist abweichend gesetzt",
    "data_report_printed": "Auskunft nach Art. 15 erstellt",
    "letter_printed": "Brief erstellt",
    "letter_check_overridden": "Brief trotz Prüfung vor dem Versand erstellt",
    "karenzzeit_rule_added": "Karenzzeit-Regel hinzugefügt",
    "karenzzeit_rule_changed": "Karenzzeit-Regel geändert",
    "local_court_changed": "Amtsgericht geändert",
    "housing_search_saved": "Wohnungssuche gespeichert",
    "proposal_created": "Wohnung vorgeschlagen",
    "proposal_besichtigung": "Besichtigung vermerkt",
    "proposal_zusage": "Zusage vermerkt",
    "proposal_absage": "Absage vermerkt",
    "proposal_mietvertrag": "Mietvertrag vermerkt",
    "landlord_proposed": "Vermieter vorgeschlagen",
    "landlord_deleted": "Vermieter gelöscht",
    "landlord_note_added": "Vermieterkontakt notiert",
    "landlords_merged": "Vermieter zusammengeführt",
    "landlords_unmerged": "Zusammenführung aufgehoben",
    "offer_proposed": "Wohnung gemeldet",
    "offer_status": "Wohnungsstand gemeldet",
    "registry_request_accepted": "Vorschlag übernommen",
    "registry_request_rejected": "Vorschlag abgelehnt",
    "kdu_table_added": "KdU-Tabelle hinzugefügt",
    "kdu_table_changed": "KdU-Tabelle geändert",
    "address_saved": "Adressbuch geändert",
    "address_deleted": "Adressbucheintrag gelöscht",
    "sync_keys_created": "Schlüssel erzeugt",
    "sync_key_imported": "Schlüssel der Gegenseite eingelesen",
    "sync_key_refused": "Schlüssel abgelehnt (Fingerabdruck)",
    "sync_key_replaced": "Schlüssel ersetzt",
    "sync_key_revoked": "Schlüssel gesperrt",
    "sync_escrow_created": "Escrow-Schlüssel erzeugt",
    "sync_own_keys_replaced": "Eigenes Schlüsselpaar erneuert",
    "sync_export": "Paket exportiert",
    "sync_import": "Paket eingelesen",
    "sync_import_refused": "Paket abgelehnt",
    "duplicate_linked": "Personen verknüpft (gleiche Person)",
    "duplicate_dismissed": "Personen als verschieden markiert",
    "duplicate_linked_undone": "Verknüpfung aufgehoben",
    "duplicate_dismissed_undone": "Markierung »verschieden« aufgehoben",
    "application_added": "Antrag erfasst",
    "application_changed": "Antrag geändert",
    "application_decided": "Bescheid zum Antrag erfasst",
    "application_deleted": "Antrag gelöscht",
    "application_reminded": "Sachstandsanfrage zum Antrag",
    "objection_added": "Widerspruch erfasst",
    "objection_decided": "Entscheidung über Widerspruch erfasst",
    "help_plan_goal_saved": "Hilfeplan: Ziel gespeichert",
    "help_plan_service_added": "Hilfeplan: Stelle hinzugefügt",
    "help_plan_service_removed": "Hilfeplan: Stelle entfernt",
    "help_plan_conference_added": "Hilfeplan: Planungsgespräch erfasst",
    "help_plan_printed": "Hilfeplan gedruckt",
    "suchthilfe_stage_saved": "Suchthilfe-Verlauf geändert",
    "suchthilfe_stage_removed": "Suchthilfe-Stufe gelöscht",
    "setting_changed": "Einstellung geändert",
    "landlord_created": "Vermieter angelegt",
    "landlord_changed": "Vermieter geändert",
    "offer_created": "Wohnungsangebot angelegt",
    "offer_changed": "Wohnungsangebot geändert",
}


def audit_action(action: str) -> str:
    return AUDIT_ACTIONS.get(action, words(action))


AUDIT_OBJECTS = {"account": "Konto", "case": "Fall", "person": "Person", "document": "Dokument",
                 "landlord": "Vermieter", "offer": "Wohnungsangebot", "address_book": "Adressbuch",
                 "person_link": "Personenverknüpfung", "kdu_table": "KdU-Tabelle", "bundle": "Paket",
                 "sync_key": "Schlüssel"}


def audit_object(kind: str | None) -> str:
    return AUDIT_OBJECTS.get(kind or "", words(kind or ""))


# Record counts of an exchange bundle (Austausch view, import report).
EXPORT_COUNTS = {
    "persons": "Personen", "cases": "Fälle", "contacts": "Kontakte", "consents": "Einwilligungen",
    "deadlines": "Fristen", "referrals": "Vermittlungen", "documents": "Dokumente (nur Angaben)",
    "housing_searches": "Wohnungssuchen", "proposals": "Wohnungsvorschläge", "tombstones": "Löschungen",
    "identified": "Fälle mit Einwilligung für den Kreis (mit Namen)",
    "pseudonymous": "Fälle ohne Einwilligung (nur pseudonym, ohne Namen)", "handovers": "Übergaben",
    "household_members": "Haushaltsmitglieder", "case_categories": "Wohnsituationen (Kategorien)",
    "eviction_proceedings": "Räumungsverfahren", "rent_ledger": "Mietkonto-Einträge", "incomes": "Einkommen",
    "applications": "Anträge", "application_objections": "Widersprüche", "help_plan_goals": "Hilfeplan-Ziele",
    "help_plan_services": "Hilfeplan-Stellen", "help_plan_conferences": "Planungsgespräche",
    "landlords": "Vermieter", "landlord_notes": "Vermieterkontakte", "offers": "Wohnungsangebote",
    "flat_offers": "Wohnungsangebote", "registry_requests": "Vorschläge an den Kreis", "kdu_tables": "KdU-Tabellen",
    "address_book": "Adressbuch-Einträge", "acknowledgements": "Empfangsbestätigungen",
    "pseudonym_facts": "pseudonyme Statistikangaben", "person_links": "Personenverknüpfungen",
    "registry_decisions": "Entscheidungen des Kreises zu Vorschlägen", "pseudonyms": "pseudonyme Fälle",
    "withdrawn": "zurückgezogene Einwilligungen (Namen entfernt)",
}


def export_count(kind: str) -> str:
    return EXPORT_COUNTS.get(kind, words(kind))


CASE_STATUS = {"draft": "Entwurf", "open": "offen", "closed": "abgeschlossen"}


def case_status(status: str) -> str:
    return CASE_STATUS.get(status, words(status))


DOCUMENT_KINDS = {"scan": "Datei/Scan", "letter": "Brief"}


def document_kind(kind: str) -> str:
    return DOCUMENT_KINDS.get(kind, words(kind))


def letter_type(code: str | None) -> str:
    """The catalogue title of a letter type (``jc_mietschulden`` → »Antrag auf Übernahme der Mietschulden …«)."""
    if not code:
        return ""
    known = {t.code: t.title for t in catalogue.CATALOGUE}
    return known.get(code, words(code))


SETTING_NAMES = {
    "letterhead.name": "Briefkopf: Name", "letterhead.street": "Briefkopf: Straße", "letterhead.plz": "Briefkopf: PLZ",
    "letterhead.city": "Briefkopf: Ort", "letterhead.phone": "Briefkopf: Telefon",
    "letterhead.email": "Briefkopf: E-Mail", "autolock_minutes": "automatische Sperre",
    "backup_keep_last": "aufbewahrte Sicherungen", "backup_keep_monthly": "aufbewahrte Monatssicherungen",
    "applications.reminder_weeks": "Erinnerung an Sachstandsanfragen", "letters": "Briefkopf und Brieffuß",
    "retention_years": "Aufbewahrungsfrist abgeschlossener Fälle",
}
CASE_ERASED = {"retention": "nach Ablauf der Aufbewahrungsfrist", "request": "auf Wunsch der Person"}
CASE_CREATED = {"draft": "als Entwurf", "open": "aufgenommen"}


def _enum_detail(action: str) -> type[Enum] | None:
    """The enumeration whose value an audit entry of ``action`` carries as detail."""
    details: dict[str, type[Enum]] = {
            "referral_added": ReferralTarget, "case_closed": Outcome, "case_category_on_closing": Category,
            "application_added": ApplicationKind,
            "application_decided": Decision, "objection_decided": ObjectionDecision,
            "help_plan_service_added": ServiceKind, "offer_status": OfferStatus,
            "registry_request_accepted": RequestKind, "registry_request_rejected": RequestKind,
            "store_created": SiteCode, "case_handover_requested": SiteCode, "account_created": Role,
            "account_role_changed": Role}
    return details.get(action)


def audit_detail(action: str, detail: str | None) -> str:
    """The detail of an audit entry in German: enum values by their label, letter types by their title."""
    if not detail:
        return ""
    enum_cls = _enum_detail(action)
    if enum_cls is not None:
        return of(enum_cls, detail)
    if action == "letter_printed":
        code, _, rest = detail.partition(" ")
        return letter_type(code) + (f" ({rest})" if rest else "")
    if action == "document_added":
        return document_kind(detail)
    if action == "case_erased":
        return CASE_ERASED.get(detail, detail)
    if action == "case_created":
        return CASE_CREATED.get(detail, detail)
    if action == "backup":
        return "auf externes Laufwerk" if detail == "external" else BACKUP_REASONS.get(detail, detail)
    if action == "account_password_changed" and detail == "recovery":
        return "mit Notfallschlüssel"
    if action in ("settings_changed", "setting_changed"):
        if detail.startswith("letter template "):
            code = detail.removeprefix("letter template ").removesuffix(" reset")
            return f"Brieftext »{letter_type(code)}«" + (" zurückgesetzt" if detail.endswith(" reset") else "")
        return ", ".join(SETTING_NAMES.get(k, words(k)) for k in detail.split(","))
    if action == "kdu_table_added" and len(detail) == 10 and detail[4] == "-":
        return f"gültig ab {detail[8:10]}.{detail[5:7]}.{detail[0:4]}"
    return detail


# ---- tables that lived next to their code (one table for every label a user sees) --------------------------------
KEY_ROLES = {"site": "Standort", "district": "Kreis", "escrow": "Escrow (Kreis, offline)"}  # exchange keys
BUNDLE_KINDS = {"site_to_district": "Standort → Kreis", "district_to_site": "Kreis → Standort"}
BACKUP_REASONS = {
    "manual": "von Hand",
    "close": "beim Beenden",
    "migration": "vor Aktualisierung",
    "restore": "vor Wiederherstellung",
    "import": "vor Import",
    "external": "externes Laufwerk",
}
# What a consent covers (the consent form's check boxes, the Art. 15 report).
CONSENT_CATEGORIES = {
    "stammdaten": "Name, Geburtsdatum, Anschrift",
    "wohnsituation": "Wohnsituation und Mietverhältnis",
    "einkommen": "Einkommen und Leistungen",
    "raeumung": "Kündigung und Räumungsverfahren",
    "gesundheit": "Gesundheit und Sucht (besondere Kategorie, § 13 DSG-EKD / Art. 9 DSGVO)",
}


def key_role(role: str) -> str:
    return KEY_ROLES.get(role, words(role))


def bundle_kind(kind: str) -> str:
    return BUNDLE_KINDS.get(kind, words(kind))


def backup_reason(reason: str) -> str:
    return BACKUP_REASONS.get(reason, words(reason))


def consent_category(key: str) -> str:
    return CONSENT_CATEGORIES.get(key, words(key))


# Statistics views: the short tab title of each report table (anything else shows the table's own title) and the
# housing categories short enough for a chart axis (the tables show the full labels).
REPORT_TABS = {
    "overview": "Übersicht", "by_month": "je Monat", "by_site": "je Standort", "by_municipality": "je Gemeinde",
    "by_category": "je Kategorie", "by_baustein": "je Baustein", "sex_age": "Geschlecht und Alter",
    "sex": "Geschlecht", "nationality": "Staatsangehörigkeit", "household_type": "Haushaltstyp",
    "household_size": "Haushaltsgröße", "accommodation": "Unterbringung", "municipality": "Gemeinde",
    "site": "Standort", "since": "Dauer", "provider": "Träger", "data_quality": "Datenqualität",
}
CATEGORY_AXIS = {
    "ohne_unterkunft": "wl.: ohne Unterkunft", "ordnungsrechtlich": "wl.: ordnungsrechtl.",
    "einrichtung": "wl.: in Einrichtung", "bei_bekannten": "wl.: bei Bekannten",
    "vor_entlassung": "wl.: vor Entlassung",
    "kuendigung": "bedr.: Kündigung", "raeumungsklage": "bedr.: Räumungsklage",
    "raeumungstermin": "bedr.: Räumungstermin", "sonst_bedroht": "bedr.: sonstiges", "unzumutbar": "unzumutbar",
    "ehemals": "ehemals wohnungslos",
}


# ---- nationality ----------------------------------------------------------------------------------------------------
# ISO 3166-1 alpha-2 → German country name: the countries of resources/demo and those common among people advised in
# the Kreis (EU, Western Balkans, Eastern Europe, Near and Middle East, Africa); anything else reads "Ländercode XY".
COUNTRIES = {
    "DE": "Deutschland", "AT": "Österreich", "BE": "Belgien", "BG": "Bulgarien", "CY": "Zypern",
    "CZ": "Tschechien", "DK": "Dänemark", "EE": "Estland", "ES": "Spanien", "FI": "Finnland", "FR": "Frankreich",
    "GR": "Griechenland", "HR": "Kroatien", "HU": "Ungarn", "IE": "Irland", "IT": "Italien", "LT": "Litauen",
    "LU": "Luxemburg", "LV": "Lettland", "MT": "Malta", "NL": "Niederlande", "PL": "Polen", "PT": "Portugal",
    "RO": "Rumänien", "SE": "Schweden", "SI": "Slowenien", "SK": "Slowakei",
    "CH": "Schweiz", "GB": "Vereinigtes Königreich", "NO": "Norwegen", "IS": "Island", "LI": "Liechtenstein",
    "AL": "Albanien", "BA": "Bosnien und Herzegowina", "ME": "Montenegro", "MK": "Nordmazedonien",
    "RS": "Serbien", "XK": "Kosovo", "MD": "Moldau", "UA": "Ukraine", "BY": "Belarus", "RU": "Russland",
    "GE": "Georgien", "AM": "Armenien", "AZ": "Aserbaidschan", "KZ": "Kasachstan", "TR": "Türkei",
    "SY": "Syrien", "IQ": "Irak", "IR": "Iran", "AF": "Afghanistan", "LB": "Libanon", "JO": "Jordanien",
    "PS": "Palästinensische Gebiete", "IL": "Israel", "SA": "Saudi-Arabien", "YE": "Jemen", "PK": "Pakistan",
    "IN": "Indien", "BD": "Bangladesch", "LK": "Sri Lanka", "VN": "Vietnam", "CN": "China",
    "EG": "Ägypten", "MA": "Marokko", "DZ": "Algerien", "TN": "Tunesien", "LY": "Libyen", "SD": "Sudan",
    "ER": "Eritrea", "ET": "Äthiopien", "SO": "Somalia", "NG": "Nigeria", "GH": "Ghana", "GM": "Gambia",
    "GN": "Guinea", "SN": "Senegal", "CM": "Kamerun", "CD": "Demokratische Republik Kongo", "KE": "Kenia",
    "US": "Vereinigte Staaten", "BR": "Brasilien",
}


def country(code: str | None) -> str:
    """The German name of a country code (``PL`` → »Polen«); empty for none, »Ländercode XY« for an unknown one."""
    if not code:
        return ""
    code = code.strip().upper()
    return COUNTRIES.get(code, f"Ländercode {code}")
