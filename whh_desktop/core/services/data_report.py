"""The data report for one person (Art. 15 GDPR / § 19 DSG-EKD) in plain German.

First what Art. 15 (1) and (2) GDPR asks to be told (purposes, categories, recipients with the consents that allowed
each sharing, storage period and the retention rule, rights, source, automated decisions, third countries), then
the stored data in readable sections. Every value is formatted (dates TT.MM.JJJJ, euros 1.234,56 €, enum labels,
staff display names); nothing internal (ids, keys, column names). Special-category content comes masked for a
user who may not see it (``access.health_mask`` through the services' read models).

Every table of a case found from the mapped models (``rights.case_child_models``) needs a section renderer in
``RENDERERS``; a test fails for a table without one, so a table added later cannot silently vanish from the report.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.enums import CameVia, ConsentRecipient
from whh_desktop.core.letters.data_report_pdf import ReportSection, render_data_report
from whh_desktop.core.services import kdu_tables, rights, site_settings
from whh_desktop.core.services.access import (
    CONFIDENTIAL,
    is_health_referral,
    is_health_related,
    is_health_service,
    require_case_worker,
)
from whh_desktop.core.services.data_report_sections import (
    RENDERERS,
    Context,
    Row,
    case_overview,
    d,
    joined,
    person_rows,
)
from whh_desktop.core.services.help_plans import ServiceKind
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
    Case,
    Consent,
    Contact,
    DeadlineEntry,
    Document,
    EvictionProceeding,
    HouseholdMember,
    Income,
    Person,
    Referral,
    RentDueEntry,
)
from whh_desktop.core.store.models.applications import Application
from whh_desktop.core.store.models.help_plans import HelpPlanGoal, HelpPlanService, SuchthilfeStage
from whh_desktop.core.store.models.housing import HousingSearch
from whh_desktop.core.store.rows import get_live

SUPERVISORY_AUTHORITY = "Der Beauftragte für den Datenschutz der EKD (kirchliche Datenschutzaufsicht, zuständig " \
                        "für die Diakonie in Nordrhein-Westfalen)"


# ---- the Art. 15 information ------------------------------------------------------------------------------------
PURPOSES = [
    "Beratung und Hilfe, um Ihre Wohnung zu erhalten oder eine Wohnung zu finden (Hilfe in Wohnungsnotfällen, "
    "Prävention von Wohnungslosigkeit).",
    "Schreiben an Jobcenter, Sozialamt, Vermieter und andere Stellen in Ihrem Auftrag; Fristen im Blick behalten.",
    "Zusammenarbeit mit anderen Stellen (zum Beispiel Sozialpsychiatrischer Dienst, Suchthilfe), nur mit Ihrer "
    "Einwilligung.",
    "Statistik für den Kreis Herford und das Land NRW: ohne Ihre Einwilligung nur ohne Namen (pseudonym) und in "
    "Zahlen, aus denen niemand einzeln erkennbar ist.",
]
LEGAL_BASIS = ("Rechtsgrundlagen sind Ihre Einwilligung und die Beratung, um die Sie gebeten haben (Art. 6 Abs. 1 "
               "Buchst. a und b DSGVO), für Sozialdaten die §§ 67 ff. SGB X, für Gesundheitsangaben Ihre "
               "ausdrückliche Einwilligung (Art. 9 DSGVO, § 13 DSG-EKD). Die Diakoniestiftung ist eine Einrichtung "
               "der evangelischen Kirche; für sie gilt neben der DSGVO das Datenschutzgesetz der EKD (DSG-EKD).")
RIGHTS = [
    ("Berichtigung", "Sind Angaben falsch oder unvollständig, werden sie auf Ihren Wunsch berichtigt "
                     "(Art. 16 DSGVO)."),
    ("Löschung", "Sie können verlangen, dass Ihre Daten gelöscht werden, wenn sie nicht mehr gebraucht werden oder "
                 "Sie Ihre Einwilligung widerrufen (Art. 17 DSGVO)."),
    ("Einschränkung", "Sie können verlangen, dass Ihre Daten nur noch gespeichert, aber nicht mehr weiter "
                      "verwendet werden (Art. 18 DSGVO)."),
    ("Widerspruch", "Sie können der Verarbeitung aus Gründen, die sich aus Ihrer besonderen Situation ergeben, "
                    "widersprechen (Art. 21 DSGVO)."),
    ("Widerruf", "Eine Einwilligung können Sie jederzeit für die Zukunft widerrufen; was bis dahin geschehen ist, "
                 "bleibt rechtmäßig (Art. 7 Abs. 3 DSGVO)."),
    ("Beschwerde", f"Sie können sich bei der Aufsichtsbehörde beschweren. Für die Diakonie ist das nach dem "
                   f"kirchlichen Datenschutzrecht: {SUPERVISORY_AUTHORITY}."),
]


def _category_names(present: set[type], health: bool) -> list[str]:
    names = ["Angaben zur Person (Name, Geburtsdatum, Kontaktdaten, Anschrift, Staatsangehörigkeit)",
             "Wohnsituation und Mietverhältnis"]
    wanted = [(HouseholdMember, "Haushalt"), (Income, "Einkommen und Leistungen"),
              (EvictionProceeding, "Kündigung und Räumungsverfahren"), (RentDueEntry, "Mietkonto und Mietschulden"),
              (Contact, "Beratungskontakte und Notizen"), (DeadlineEntry, "Fristen"),
              (Application, "Anträge und Bescheide"), (HelpPlanGoal, "Hilfeplan"),
              (HousingSearch, "Wohnungssuche"), (Consent, "Einwilligungen"), (Document, "Dokumente und Briefe"),
              (Referral, "Vermittlungen an andere Stellen")]
    names += [name for model, name in wanted if model in present]
    if health:
        names.append("Gesundheit und Sucht (besondere Kategorie personenbezogener Daten, Art. 9 DSGVO, "
                     "§ 13 DSG-EKD)")
    return names


def _recipients(consents: list[Consent], documents: list[Document], services: list[HelpPlanService]) -> list[str]:
    out = []
    for c in sorted(consents, key=lambda c: c.signed_on):
        who = joined(labels.of(ConsentRecipient, r) for r in c.recipients) or c.recipient_note or "benannte Stellen"
        until = f" bis {d(c.revoked_on)} (widerrufen)" if c.revoked_on else (
            f" bis {d(c.valid_until)}" if c.valid_until else "")
        out.append(f"{who}: auf Grund Ihrer Einwilligung vom {d(c.signed_on)}, gültig ab {d(c.valid_from)}{until}"
                   + (", einschließlich Gesundheitsangaben" if c.health_data else "") + ".")
    signed = {c.id: c.signed_on for c in consents}
    for service in sorted(services, key=lambda x: x.since):
        basis = (f"auf Grund Ihrer Einwilligung vom {d(signed[service.consent_id])}"
                 if service.consent_id in signed else "auf Grund Ihrer schriftlichen Einwilligung")
        out.append(f"Im Hilfeplan beteiligt seit {d(service.since)}: {service.name} "
                   f"({labels.of(ServiceKind, service.kind)}), {basis}.")
    letters = sorted({doc.recipient for doc in documents if doc.recipient and doc.kind == "letter"})
    if letters:
        out.append(f"Briefe in Ihrer Sache gingen an: {joined(letters)}.")
    kreis = any(ConsentRecipient.KREIS.value in c.recipients and not c.revoked_on for c in consents)
    out.append("Kreis Herford (Koordination der Wohnungsnotfallhilfe): " + (
        "mit Ihrer Einwilligung mit Namen, für die Abstimmung zwischen den Beratungsstellen."
        if kreis else "ohne Ihren Namen (pseudonym), nur für die Statistik."))
    out.append("In Länder außerhalb der Europäischen Union werden keine Daten übermittelt.")
    return out


def _storage(cases: list[Case], years: int) -> list[str]:
    out = [f"Ihre Daten werden gelöscht, wenn die Aufbewahrungsfrist abgelaufen ist: {rights.years_text(years)} "
           "nach dem Ende des Jahres, in dem Ihr Fall abgeschlossen wurde. Was dann bleibt, sind Zahlen für die "
           "Statistik ohne Ihren Namen."]
    for c in cases:
        if c.closed_on:
            out.append(f"Fall {c.case_number}: abgeschlossen am {d(c.closed_on)}, Löschung ab "
                       f"{d(rights.retention_end(c.closed_on, years))}.")
        else:
            out.append(f"Fall {c.case_number}: noch nicht abgeschlossen; die Frist beginnt mit dem Abschluss.")
    return out


def _sources(cases: list[Case], present: set[type]) -> list[str]:
    out = ["Die meisten Angaben stammen von Ihnen selbst aus den Beratungsgesprächen."]
    came = sorted({labels.of(CameVia, c.came_via) for c in cases if c.came_via and c.came_via != CameVia.SELBST})
    if came:
        out.append(f"Der erste Hinweis auf Ihre Lage kam von: {joined(came)}.")
    if EvictionProceeding in present:
        out.append("Angaben zu Kündigung und Räumung stammen aus den Schreiben des Vermieters, des Gerichts oder "
                   "des Gerichtsvollziehers, die Sie uns gezeigt haben.")
    if Application in present:
        out.append("Angaben zu Anträgen stammen aus den Bescheiden von Jobcenter oder Sozialamt.")
    out.append("Es gibt keine automatisierte Entscheidung über Sie: Fristen und Grenzen rechnet das Programm aus, "
               "entschieden wird immer von Menschen.")
    return out


def data_report(store: Store, user: CurrentUser, person_id: uuid.UUID,
                years: int | None = None) -> list[ReportSection]:
    """Everything stored about one person, in German, for printing; audited as printed. ``years`` is the retention
    period, by default the site setting »Aufbewahrungsfrist«."""
    require_case_worker(user)
    with store.session(user.username) as s:
        years = site_settings.retention_years(s) if years is None else years
        person = get_live(s, Person, person_id, "Zu dieser Person", gone="sind keine Daten (mehr) gespeichert")
        staff = dict(s.execute(select(Account.username, Account.display_name)).all())
        surcharges = {x.code: x.label for t in kdu_tables.tables(s) for x in t.surcharges}
        cases = list(s.execute(select(Case).where(Case.person_id == person_id, Case.deleted_at.is_(None))
                               .order_by(Case.opened_on)).scalars())
        data: list[ReportSection] = []
        present: set[type] = set()
        consents: list[Consent] = []
        documents: list[Document] = []
        services: list[HelpPlanService] = []
        health = False
        for case in cases:
            ctx = Context(s, user, case, staff, surcharges)
            data.append(ReportSection(f"Fall {case.case_number}", case_overview(ctx)))
            for model in _ordered(rights.case_child_models()):
                rows: list[Any] = list(s.execute(select(model).where(model.case_id == case.id,
                                                          model.deleted_at.is_(None))).scalars())
                if not rows:
                    continue
                present.add(model)
                consents += rows if model is Consent else []
                documents += rows if model is Document else []
                services += rows if model is HelpPlanService else []
                health = health or _has_health(model, rows)
                title, render = RENDERERS.get(model, ("Weitere Angaben", _unnamed))
                data.append(ReportSection(title, [(k, ctx.unname(v)) for k, v in render(ctx, rows)], level=2))
        controller = site_settings.load(s).letterhead
        info = [
            ReportSection("Wer Ihre Daten verarbeitet", paragraphs=[
                joined(controller.address_lines()) + "." if controller.name else
                "Die Beratungsstelle, die Ihnen diese Auskunft gibt.",
                "Die Daten liegen verschlüsselt auf dem Rechner der Beratungsstelle."]),
            ReportSection("1. Wozu wir Ihre Daten verarbeiten", paragraphs=[*PURPOSES, LEGAL_BASIS]),
            ReportSection("2. Welche Arten von Daten gespeichert sind", paragraphs=_category_names(present, health)),
            ReportSection("3. Wer Ihre Daten bekommen hat oder bekommt",
                          paragraphs=_recipients(consents, documents, services)),
            ReportSection("4. Wie lange Ihre Daten gespeichert werden", paragraphs=_storage(cases, years)),
            ReportSection("5. Ihre Rechte", rows=RIGHTS, paragraphs=[
                "Diese Auskunft selbst ist Ihr Recht auf Auskunft (Art. 15 DSGVO, § 19 DSG-EKD). Die Rechte unten "
                "gibt Ihnen die DSGVO; das DSG-EKD gibt Ihnen dieselben Rechte. Sprechen Sie uns einfach an."]),
            ReportSection("6. Woher die Daten stammen", paragraphs=_sources(cases, present)),
            ReportSection("Ihre Angaben zur Person", person_rows(person)),
        ]
        if any(CONFIDENTIAL in value for section in data for _, value in section.rows):
            info.insert(0, ReportSection("Hinweis: diese Auskunft ist nicht vollständig", paragraphs=[
                "Angaben zu Gesundheit und Sucht sind hier als »vertraulich« ausgeblendet, weil sie nur die "
                "fallführende Beratung und ihre Vertretung sehen dürfen. Die vollständige Auskunft für die "
                "betroffene Person erstellt die fallführende Beratung."]))
        audit.append(s, user.username, "data_report_printed", object_type="person", object_id=str(person_id))
        return info + data


def data_report_pdf(store: Store, user: CurrentUser, person_id: uuid.UUID) -> bytes:
    """Collect (audited as printed) and render the report with the site's letterhead."""
    sections = data_report(store, user, person_id)
    with store.read_session() as s:
        letterhead = site_settings.load(s).letterhead
    return render_data_report(sections, letterhead)


def _ordered(models: list[type[Any]]) -> list[type[Any]]:
    order = list(RENDERERS)
    return sorted(models, key=lambda m: order.index(m) if m in order else len(order))


def _has_health(model: type[Any], rows: list[Any]) -> bool:
    if model is SuchthilfeStage:
        return True
    if model is Contact:
        return any(is_health_related(r.bausteine) for r in rows)
    if model is Referral:
        return any(is_health_referral(r.target) for r in rows)
    if model is HelpPlanService:
        return any(is_health_service(r.kind) for r in rows)
    return False


def _unnamed(ctx: Context, rows: list) -> list[Row]:
    """A table added later without a renderer: counted, never shown raw (a test fails until it gets one)."""
    return [("Gespeicherte Einträge", str(len(rows)))]
