"""Austausch (issue 05): export for the district, import at the district or a site, status, handover.

Import order per bundle (DESIGN.md §4): the bundle layer checks size, sender, signature, recipient, decrypts and
decompresses with a cap → ``payload.parse`` validates every record (types, enums, lengths, ownership) → the ledger
refuses an already imported or replayed bundle → one backup per batch → one ``BEGIN IMMEDIATE`` transaction with
the rows, the search index and the ledger entry → ``PRAGMA quick_check``. A refused bundle leaves every table but
``audit_log`` unchanged; the audit log records the refusal.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from whh_desktop import __version__
from whh_desktop.core.domain.changes import Changes
from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.errors import InvalidInput, PermissionDenied, WhhError
from whh_desktop.core.services import sync_keys
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.consent import check_sharing
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit, changes
from whh_desktop.core.store.backup import create_backup
from whh_desktop.core.store.engine import Store, translate_os_error
from whh_desktop.core.store.models import Handover
from whh_desktop.core.store.schema import head_revision
from whh_desktop.core.sync import exporter, health_filter, hooks, importer, ledger, outbox
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.bundle import open_bundle_stream, read_bundle_file, write_bundle
from whh_desktop.core.sync.ledger import DistrictAck, HistoryRow, ImportRefused, SiteStatus

SUFFIX = ".whhb"
log = logging.getLogger("whh_desktop.sync")
OVERLAP_ROWS = 100_000  # rows of a checked bundle up to which the next file is read while it is applied


@dataclass(frozen=True)
class ExportResult:
    path: Path
    counts: dict[str, int]
    sequence: int
    full: bool = False
    site: str = pl.DISTRICT


@dataclass
class ImportReport:
    path: Path
    applied: bool
    reason: str | None = None          # German, when refused
    code: str | None = None
    sender_site: str | None = None
    sequence: int | None = None
    epoch: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    skipped_total: int = 0
    warnings: list[str] = field(default_factory=list)  # text fields cleaned of hidden characters

    @property
    def summary(self) -> str:
        name = self.path.name
        if not self.applied:
            return f"{name}: nicht eingelesen – {self.reason}"
        site = ledger.site_label(self.sender_site or "")
        text = f"{name}: Export {self.sequence} von {site} eingelesen ({sum(self.counts.values())} Datensätze)"
        text += f", {self.skipped_total} übersprungen" if self.skipped_total else ""
        return text + (f"; unsichtbare Steuerzeichen entfernt in: {', '.join(self.warnings)}" if self.warnings
                       else "")

    def as_dict(self) -> dict[str, object]:
        return {"file": str(self.path), "applied": self.applied, "reason": self.reason, "code": self.code,
                "sender_site": self.sender_site, "sequence": self.sequence, "epoch": self.epoch,
                "counts": self.counts, "skipped": self.skipped, "skipped_total": self.skipped_total,
                "warnings": self.warnings}


@contextlib.contextmanager
def _bulk_work() -> Iterator[None]:
    """No cyclic garbage collection while a bundle is built, parsed or applied: these make hundreds of thousands of
    short-lived, acyclic dicts and tuples, and each full collection walks all of them (up to a tenth of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ---- export -------------------------------------------------------------------------------------------------------
def _require_site(store: Store) -> None:
    if store.info.mode != StoreMode.SITE.value:
        raise InvalidInput("Nur ein Standort exportiert für den Kreis. Der Kreis schreibt Dateien für die Standorte.")


def _require_district(store: Store) -> None:
    if store.info.mode != StoreMode.DISTRICT.value:
        raise InvalidInput("Das kann nur der Kreis.")


def _ensure_secret(store: Store, actor: str) -> None:
    with store.read_session() as s:
        if s.get(exporter.Setting, exporter.SECRET_KEY) is not None:
            return
    with store.session(actor) as s:
        exporter.pseudonym_secret(s)


def _mark_expired_consents(store: Store, actor: str) -> None:
    """A Kreis consent that ran out by date alone gets a change_log row before the export (see
    ``exporter.expired_flips``): the district applies the pseudonymous record only with a newer revision."""
    today = exporter.date.today()
    with store.read_session() as s:
        if not exporter.expired_flips(s, today):
            return
    with store.session(actor) as s:
        exporter.mark_expired(s, exporter.expired_flips(s, today))


def _resend_lapsed_health(store: Store, actor: str) -> None:
    """Health rows the district may hold although the Kreis consent's health tick has run out by date go out
    again without their content (``health_filter.lapsed_rows``)."""

    today = exporter.date.today()
    with store.read_session() as s:
        if not health_filter.lapsed_rows(s, today):
            return
    with store.session(actor) as s:
        health_filter.resend(health_filter.lapsed_rows(s, today))


def preview_export(store: Store, full: bool = False) -> dict[str, int]:
    """What the next export for the district would contain: counts per kind (nothing is written)."""
    _require_site(store)
    _ensure_secret(store, "system")
    with store.read_session() as s:
        plan = exporter.build_site_payload(s, site=store.info.site_code, store_id=store.info.store_id,
                                           epoch=store.info.epoch, full=full)
    return plan.counts


def export_needs_full(store: Store) -> bool:
    """True after a restore (new epoch) or before the first export: the next export is a full one."""
    with store.read_session() as s:
        return exporter.needs_full(s, store.info.epoch)


def export_for_district(store: Store, user: CurrentUser, target_dir: Path, full: bool = False) -> ExportResult:
    """Write ``LOE-an-Kreis-000042.whhb`` into ``target_dir``: all changes since the last export (or all)."""

    _require_site(store)
    recipients = sync_keys.export_recipients(store)
    sender = sync_keys.sender_identity(store)
    publish_pending_exports(store, Path(target_dir))
    _ensure_secret(store, user.username)
    _mark_expired_consents(store, user.username)
    _resend_lapsed_health(store, user.username)
    with _bulk_work(), store.read_session() as s:
        plan = exporter.build_site_payload(s, site=store.info.site_code, store_id=store.info.store_id,
                                           epoch=store.info.epoch, full=full)
    prefix = SiteCode(store.info.site_code).case_prefix
    name = f"{prefix}-an-Kreis-{_epoch_tag(plan.epoch)}{plan.sequence:06d}{SUFFIX}"
    with _bulk_work():
        data = _write_bundle(plan, sender, recipients, for_site=None)
    path = _publish(store, user, plan, Path(target_dir) / name, data,
                    f"an Kreis, {'voll' if plan.full else 'Änderungen'}, {sum(plan.counts.values())}")
    return ExportResult(path, plan.counts, plan.sequence, plan.full, pl.DISTRICT)


def export_for_sites(store: Store, user: CurrentUser, target_dir: Path,
                     sites: Sequence[str] | None = None) -> list[ExportResult]:
    """District → each site (``Kreis-an-BUE-000007.whhb``): its part only. Sites without a trusted key are skipped
    when no list is given; a named site without a key raises the German message of the key service."""

    _require_district(store)
    sender = sync_keys.sender_identity(store)
    publish_pending_exports(store, Path(target_dir))
    wanted = list(sites) if sites else [s.value for s in SiteCode.counselling_sites()]
    results = []
    for site in wanted:
        SiteCode.parse(site)
        try:
            recipients = sync_keys.recipients_for_site(store, site)
        except WhhError:
            if sites:
                raise
            continue
        with store.read_session() as s:
            plan = exporter.build_district_payload(s, site=site, store_id=store.info.store_id,
                                                   epoch=store.info.epoch)
        name = f"Kreis-an-{SiteCode(site).case_prefix}-{_epoch_tag(plan.epoch)}{plan.sequence:06d}{SUFFIX}"
        data = _write_bundle(plan, sender, recipients, for_site=site)
        path = _publish(store, user, plan, Path(target_dir) / name, data, f"an {site}, {sum(plan.counts.values())}")
        results.append(ExportResult(path, plan.counts, plan.sequence, plan.full, site))
    return results


def _epoch_tag(epoch: int) -> str:
    return "" if epoch <= 1 else f"E{epoch}-"


def _write_bundle(plan: exporter.ExportPlan, sender: object, recipients: object, *, for_site: str | None) -> bytes:

    return write_bundle(pl.encode(plan.payload), kind=plan.payload["kind"], sequence=plan.sequence,
                        epoch=plan.epoch, counts=plan.counts, full=plan.full, for_site=for_site,
                        sender=sender, recipients=recipients,  # type: ignore[arg-type]
                        schema_version=head_revision(), app_version=__version__)


def _publish(store: Store, user: CurrentUser, plan: exporter.ExportPlan, final: Path, data: bytes,
             detail: str) -> Path:
    """Temp file (fsynced) → the export recorded with its sequence and content → rename (``sync.outbox``)."""
    try:
        outbox.write_temp(final, data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            outbox.temp_name(final).unlink()
        raise translate_os_error(exc, "Export fehlgeschlagen") from exc
    outbox.crash_point("temp_written")
    with _bulk_work(), store.session(user.username) as s:
        exporter.commit_export(s, plan)
        outbox.record(s, target=plan.target, epoch=plan.epoch, sequence=plan.sequence, final=final, data=data)
        audit.append(s, user.username, "sync_export", object_type="bundle", object_id=str(plan.sequence),
                     detail=detail)
    outbox.crash_point("recorded")
    try:
        outbox.rename_into_place(final)
    except OSError as exc:  # recorded: the next start or export publishes exactly these bytes
        raise translate_os_error(exc, f"Export {plan.sequence} ist gespeichert, die Datei konnte aber nicht "
                                      "an ihren Platz gelegt werden; sie wird beim nächsten Export oder Start "
                                      "geschrieben") from exc
    outbox.crash_point("renamed")
    with store.session(user.username) as s:
        outbox.forget(s, target=plan.target, epoch=plan.epoch, sequence=plan.sequence)
    return final


def publish_pending_exports(store: Store, fallback_dir: Path | None = None) -> list[outbox.Published]:
    """Exports recorded but not yet in place (a crash between the steps): written now with the same sequence and
    bytes, into their folder or, when that is gone, into ``fallback_dir`` (the folder of the export at hand)."""
    try:
        return outbox.publish_pending(store.read_session, lambda: store.session("system"), fallback_dir)
    except OSError as exc:
        raise translate_os_error(exc, "Ein früherer Export konnte nicht nachgeholt werden") from exc


# ---- import -------------------------------------------------------------------------------------------------------
def import_bundles(store: Store, user: CurrentUser, paths: Sequence[Path],
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None, *, backup: bool = True,
                   waiting: Callable[[str], None] | None = None) -> list[ImportReport]:
    """Import the files in the given order (any order works); one backup (»vor Import«) before anything is read.
    One import per store at a time (several clerks on a district server): a second one waits for the first,
    after ``waiting`` got the German message."""
    with store.import_lock(waiting):
        return _import_batch(store, user, paths, progress, cancelled, backup=backup)


def _import_batch(store: Store, user: CurrentUser, paths: Sequence[Path],
                  progress: Callable[[int, int], None] | None,
                  cancelled: Callable[[], bool] | None, *, backup: bool) -> list[ImportReport]:

    me = sync_keys.receiver_identity(store)
    trust = sync_keys.trust_list(store)
    expected = pl.SITE_TO_DISTRICT if store.info.mode == StoreMode.DISTRICT.value else pl.DISTRICT_TO_SITE
    reports: list[ImportReport] = []
    # The next file is decrypted and checked in a second thread while this one is applied: SQLite releases the
    # GIL while it writes, so on two cores the checking of bundle n+1 overlaps the writing of bundle n.
    opener = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whh-bundle-open")

    def open_later(index: int) -> Future | None:
        if index >= len(paths):
            return None
        return opener.submit(_open_and_validate, Path(paths[index]), me, trust, expected, store.info.site_code)

    try:
        with _bulk_work():
            pending = open_later(0)
            if backup and paths:  # taken while the first file is checked (both mostly outside the GIL)
                create_backup(store, "import")
            for n, path in enumerate(paths):
                if cancelled is not None and cancelled():
                    break
                opened = pending if pending is not None else open_later(n)
                # Overlap only while the file at hand is small: two bundles near the row limit are never held at
                # once, so a batch stays within the memory bound of one file (issue 10 point 6).
                wait([opened])  # type: ignore[list-item]
                pending = open_later(n + 1) if _may_overlap(opened) else None  # type: ignore[arg-type]
                report = _import_one(store, user, Path(path), opened)  # type: ignore[arg-type]
                opened = None  # its rows (or a failed check's frames) go before the next file is read
                if not report.applied:
                    gc.collect()  # a refusal's traceback cycles hold the rows read so far (collection is off here)
                reports.append(report)
                if progress is not None:
                    progress(n + 1, len(paths))
    finally:
        opener.shutdown(wait=True, cancel_futures=True)
    if any(r.applied for r in reports):
        check = store.quick_check()
        if check != "ok":
            raise WhhError("Die Prüfung des Datenbestands nach dem Einlesen meldet einen Fehler. Bitte die "
                           "Sicherung »vor Import« wiederherstellen und den Support informieren.")
    return reports


def _may_overlap(opened: Future) -> bool:
    """The next file may be read while this one is applied: this one was checked and is small."""
    if opened.exception() is not None:
        return False
    _header, payload = opened.result()
    return sum(payload.counts().values()) <= OVERLAP_ROWS


def _import_one(store: Store, user: CurrentUser, path: Path, opened: Future) -> ImportReport:
    """Apply one opened bundle in its own transaction, or refuse it with the German reason (store unchanged).
    Any failure of this file — also an unexpected one — refuses only this file: it is recorded in the audit log
    (and so in the import history) and the batch goes on with the next file."""
    report = ImportReport(path, applied=False)
    try:
        _apply_one(store, user, path, opened, report)
    except Exception as exc:  # one bad file must never stop the batch (issue 10, point 5)
        header = getattr(exc, "bundle_header", None)
        if header is not None:
            report.sender_site, report.sequence, report.epoch = header.sender_site, header.sequence, header.epoch
        report.reason, report.code = _refusal(exc)
        report.counts, report.skipped, report.skipped_total, report.warnings = {}, [], 0, []
        _audit_refusal(store, user, path, report)
    return report


def _refusal(exc: Exception) -> tuple[str, str]:
    """The German reason and the code for a file that was not imported."""
    if isinstance(exc, WhhError):  # ImportRefused, PayloadInvalid, BundleRefused and the store's own errors
        return str(exc), getattr(exc, "code", None) or "payload_invalid"
    if isinstance(exc, IntegrityError):  # a constraint the validation did not foresee: refused, store unchanged
        return ("Der Inhalt passt nicht zum Datenbestand (z. B. ein doppeltes Aktenzeichen). Es wurde nichts "
                "übernommen.", "conflict")
    log.error("import of a bundle failed unexpectedly: %s", type(exc).__name__)  # the kind only, never content
    return (f"Beim Einlesen dieser Datei ist ein unerwarteter Fehler aufgetreten ({type(exc).__name__}). Es wurde "
            "nichts aus ihr übernommen; die übrigen Dateien werden weiter eingelesen.", "internal_error")


def _apply_one(store: Store, user: CurrentUser, path: Path, opened: Future, report: ImportReport) -> None:
    header, p = opened.result()
    report.sender_site, report.sequence, report.epoch = header.sender_site, header.sequence, header.epoch
    with store.session(user.username) as s:
        _check_ledger(s, header)
        hooks.hold_point("begun")  # test-only (kill -9 test): the write transaction is open
        result = importer.apply_payload(s, p)
        changes.pend(s, Changes.all())  # bulk rows bypass the flush: every view may show something new
        ledger.record(s, bundle_id=header.bundle_id, kind=header.kind, sender_site=header.sender_site,
                      sender_store_id=header.sender_store_id, epoch=header.epoch, sequence=header.sequence,
                      full=header.full, created_at=header.created_at, actor=user.username,
                      counts=result.counts, skipped=result.skipped)
        cleaned = sum(p.warnings.values())
        audit.append(s, user.username, "sync_import", object_type="bundle", object_id=header.bundle_id,
                     detail=f"{header.sender_site} Export {header.sequence}: "
                            f"{sum(result.counts.values())} übernommen, {result.skipped_total} übersprungen"
                            + (f", {cleaned} Texte bereinigt" if cleaned else ""))
        hooks.hold_point("written")  # everything written, not yet committed
    hooks.hold_point("committed")
    report.applied, report.counts = True, result.counts
    report.skipped, report.skipped_total = result.skipped, result.skipped_total
    report.warnings = [f"{k} ({n})" for k, n in sorted(p.warnings.items())]


def _open_and_validate(path: Path, me: object, trust: object, expected: str, my_site: str) -> tuple[object, pl.Payload]:
    """Read (regular files only, header and sizes before the body), verify, then decrypt, decompress and validate
    piece by piece (``bundle.open_bundle_stream``, ``payload_stream``): bounded memory for any file."""

    data = read_bundle_file(path)
    header, chunks = open_bundle_stream(data, me, trust)  # type: ignore[arg-type]
    del data  # the stream holds what it still needs
    if header.kind != expected:
        raise ImportRefused("Diese Exportdatei ist für die andere Richtung bestimmt (Standort ↔ Kreis).",
                            "not_for_us")
    try:
        p = pl.parse(chunks, expected_kind=expected, sender_site=header.sender_site, recipient_site=my_site,
                     counts=header.counts)
    except Exception as exc:
        exc.bundle_header = header  # type: ignore[attr-defined]  # the import history names the sender
        raise
    if (p.epoch, p.sequence, p.full, p.store_id) != (header.epoch, header.sequence, header.full,
                                                     header.sender_store_id):
        raise ImportRefused("Kopf und Inhalt der Exportdatei passen nicht zusammen. Es wurde nichts übernommen.",
                            "payload_invalid")
    return header, p


def _check_ledger(session: Session, header: object) -> None:
    h = header
    ledger.check_new(session, bundle_id=h.bundle_id, kind=h.kind, sender_site=h.sender_site,  # type: ignore[attr-defined]
                     sender_store_id=h.sender_store_id, epoch=h.epoch, sequence=h.sequence)  # type: ignore[attr-defined]


def _audit_refusal(store: Store, user: CurrentUser, path: Path, report: ImportReport) -> None:
    """The refusal in the audit log, which the import history reads; a failure to record it is logged, and the
    batch still goes on."""
    try:
        with store.session(user.username) as s:
            audit.append(s, user.username, ledger.REFUSED_ACTION, object_type="bundle",
                         detail=ledger.refusal_detail(file=path.name, code=report.code or "payload_invalid",
                                                      sender_site=report.sender_site, sequence=report.sequence,
                                                      epoch=report.epoch))
    except Exception as exc:  # see _import_one
        log.error("recording a refused bundle failed: %s", type(exc).__name__)


# ---- status -------------------------------------------------------------------------------------------------------
def site_status(session: Session) -> list[SiteStatus]:
    return ledger.site_status(session)


def import_history(session: Session, limit: int = 500, *, with_refusals: bool = False) -> list[HistoryRow]:
    return ledger.import_history(session, limit, with_refusals=with_refusals)


def district_ack(session: Session) -> DistrictAck:
    return ledger.district_ack(session)


def dangling_references(session: Session, limit: int = 1000) -> list[importer.Dangling]:
    return importer.dangling_references(session, limit)


# ---- handover -----------------------------------------------------------------------------------------------------
def handover_case(store: Store, user: CurrentUser, case_id: uuid.UUID, to_site: str, note: str = "") -> None:
    """Hand a case to another site via the district (a person moves). Needs a valid consent for the Kreis; the
    next export carries the whole case with its documents, the district changes the owner and forwards it, and
    this site keeps a read-only stub."""
    _require_site(store)
    target = SiteCode.parse(to_site)
    if target.is_district or target.value == store.info.site_code:
        raise InvalidInput("Bitte einen anderen Standort wählen.", "to_site")
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        if case.owner_site != store.info.site_code:
            raise PermissionDenied("Dieser Fall gehört einem anderen Standort.")
        if s.get(Handover, case_id) is not None:
            raise InvalidInput("Für diesen Fall ist bereits eine Übergabe eingetragen.")
        check = check_sharing(s, case_id, ConsentRecipient.KREIS, on=date.today())
        if not check.allowed:
            raise InvalidInput(f"Übergabe nicht möglich: {check.message}", "consent")
        s.add(Handover(case_id=case_id, case_number=case.case_number, from_site=store.info.site_code,
                       to_site=target.value, state="requested", requested_by=user.username, note=note or None))
        audit.append(s, user.username, "case_handover_requested", object_type="case", object_id=str(case_id),
                     detail=target.value)


def handovers(session: Session) -> list[Handover]:
    from sqlalchemy import select

    return list(session.execute(select(Handover).order_by(Handover.requested_at.desc())).scalars())
