"""German labels for every stored key a user can see, in one place (DESIGN.md §3; issue 16 point 4).

Enumerations carry their label on the member (``LabeledEnum`` and the ``label`` property of the StrEnums);
``of`` reads it for any of them, so views, reports, letters and PDFs never show a stored value. The tables below
are for keys that are no enumeration: audit log actions, the record counts of an exchange bundle, document kinds;
letter types are named by the letter catalogue's titles. A test walks the sources for every audit action written
and the main window for any visible identifier.
"""

from __future__ import annotations

from enum import Enum


def of(enum_cls: type[Enum], value: str | None) -> str:
    """The German label of a stored enum value; an unknown value (a newer version's) reads as words, not a key."""
    if value is None or value == "":
        return ""
    try:
        return enum_cls(value).label  # type: ignore[attr-defined]
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
    "case_reopened": "Fall wieder geöffnet",
    "case_restricted": "Verarbeitung eingeschränkt",
    "case_unrestricted": "Einschränkung aufgehoben",
    "case_erased": "Fall gelöscht (personenbezogene Daten)",
    "case_handover_requested": "Fallübergabe beantragt",
    "contact_added": "Kontakt erfasst",
    "eviction_saved": "Räumungsverfahren gespeichert",
    "referral_added": "Vermittlung angelegt",
    "consent_recorded": "Einwilligung erfasst",
    "consent_revoked": "Einwilligung widerrufen",
    "document_added": "Dokument abgelegt",
    "deadline_overridden": "Frist abweichend gesetzt",
    "data_report_printed": "Auskunft nach Art. 15 erstellt",
    "letter_printed": "Brief erstellt",
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
}


def export_count(kind: str) -> str:
    return EXPORT_COUNTS.get(kind, words(kind))


DOCUMENT_KINDS = {"scan": "Datei/Scan", "letter": "Brief"}


def document_kind(kind: str) -> str:
    return DOCUMENT_KINDS.get(kind, words(kind))


def letter_type(code: str | None) -> str:
    """The catalogue title of a letter type (``jc_mietschulden`` → »Antrag auf Übernahme der Mietschulden …«)."""
    if not code:
        return ""
    from whh_desktop.core.letters import catalogue  # the catalogue is plain data; imported late to keep domain light

    known = {t.code: t.title for t in catalogue.CATALOGUE}
    return known.get(code, words(code))
