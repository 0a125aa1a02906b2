"""Hash-chained, append-only audit log. Entries name actions and object ids, never personal content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models.journal import AuditEntry

GENESIS = "0" * 64

ACTION_LABELS = {
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
    "letter_check_overridden": "Brief trotz Prüfung vor dem Versand erstellt",
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
}


def _digest(prev: str, at: datetime, actor: str, action: str, object_type: str | None,
            object_id: str | None, detail: str | None) -> str:
    payload = json.dumps([prev, at.isoformat(), actor, action, object_type, object_id, detail],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(session: Session, actor: str, action: str, *, object_type: str | None = None,
           object_id: str | None = None, detail: str | None = None, at: datetime | None = None) -> AuditEntry:
    # Entries are hashed with second precision so the value read back from SQLite hashes the same.
    at = (at or utcnow()).replace(microsecond=0)
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    prev = last or GENESIS
    entry = AuditEntry(at=at, actor=actor, action=action, object_type=object_type, object_id=object_id,
                       detail=detail, prev_hash=prev,
                       hash=_digest(prev, at, actor, action, object_type, object_id, detail))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None = None

    @property
    def message(self) -> str:
        if self.ok:
            return f"Protokoll unverändert ({self.entries} Einträge)."
        return f"Protokoll wurde verändert: Eintrag {self.first_bad_seq} passt nicht zur Kette."


def verify_chain(session: Session) -> ChainCheck:
    prev = GENESIS
    count = 0
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        count += 1
        expected = _digest(prev, e.at, e.actor, e.action, e.object_type, e.object_id, e.detail)
        if e.prev_hash != prev or e.hash != expected:
            return ChainCheck(False, count, e.seq)
        prev = e.hash
    return ChainCheck(True, count)


def recent(session: Session, limit: int = 500) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    return list(session.execute(stmt).scalars())
