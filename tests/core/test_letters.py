"""Letters as a counsellor writes them: every catalogue letter, DIN 5008 geometry read back from the PDF,
names in many scripts, missing fields named in German, consent, archive copy, serial letters."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.core.letters_fixtures import FORM, make_case
from tests.core.pdf_reading import MM, page_text, pdf_pages, pdf_text, pdf_words
from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.domain import letter_check
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.letters.fields import MissingFields
from whh_desktop.core.letters.geometry import FORM_B
from whh_desktop.core.services import address_book, letters
from whh_desktop.core.store.models import AuditEntry, Contact, Document, LandlordNote


def recipient_for(store, case_id, kind):
    with store.read_session() as s:
        return address_book.recipients(s, kind.recipient_kinds, case_id)[0]


@pytest.fixture
def filled(counsellor):
    store, user = counsellor
    return store, user, make_case(store, user)


@pytest.mark.parametrize("kind", catalogue.CATALOGUE, ids=lambda k: k.code)
def test_every_catalogue_letter_renders_for_a_filled_case(filled, kind) -> None:
    store, user, case_id = filled
    draft = letters.prepare(store, user, None if kind.serial else case_id, kind,
                            recipient_for(store, None if kind.serial else case_id, kind))
    result = letters.render_full(draft, FORM)
    assert result.pages == pdf_pages(result.pdf) >= 1  # the page count reported is the document's
    text = pdf_text(result.pdf)
    if not kind.serial:
        assert "Łukasz Żółkiewski" in text
        assert draft.consent_warning is None
    assert "{{" not in text and "{%" not in text and "Betreff" not in text


def test_zusicherung_carries_offer_figures_and_kdu_check(filled) -> None:
    store, user, case_id = filled
    kind = catalogue.get("jc_zusicherung")
    draft = letters.prepare(store, user, case_id, kind, recipient_for(store, case_id, kind))
    assert draft.recipient.name == "Jobcenter Herford – Geschäftsstelle Löhne"  # the case's municipality first
    assert draft.values["wohnung_bruttokaltmiete"] == "410,00 €"
    assert draft.values["haushalt_personen"] == "2"
    assert draft.values["kdu_ergebnis"].startswith("angemessen")
    assert draft.missing == []
    text = " ".join(pdf_text(letters.render(draft)).split())
    assert "§ 22 Abs. 4 SGB II" in text and "Teststraße 901" in text and "330,00 €" in text


@pytest.mark.parametrize("kind", [k for k in catalogue.CATALOGUE if not k.serial], ids=lambda k: k.code)
def test_every_letter_renders_for_a_minimal_case_once_the_form_is_filled(counsellor, kind) -> None:
    store, user = counsellor
    case_id = make_case(store, user, "Müller", "Anna", minimal=True)
    draft = letters.prepare(store, user, case_id, kind, address_book.manual(kind.recipient_kinds[0],
                                                                            "Empfänger\nWeg 1\n32584 Löhne"))
    filler = {key: "01.01.2026" if "datum" in key or key == "klage_zugestellt" else "x" for key in kind.required}
    filler |= {"nachsorge_bis": "01.01.2099", "vermieter_iban": "DE89 3704 0044 0532 0130 00"}
    # The minimal case has no consent: the check blocks until the counsellor gives a reason.
    reason = None if kind.recipient_kinds == ("klient",) else "Einwilligung liegt in Papierform vor"
    assert letters.render(draft, filler, force=reason).startswith(b"%PDF")


def test_missing_field_is_named_in_german(counsellor) -> None:
    store, user = counsellor
    case_id = make_case(store, user, "Müller", "Anna", minimal=True)
    kind = catalogue.get("vermieter_aussetzung_raeumung")
    draft = letters.prepare(store, user, case_id, kind, address_book.manual("vermieter", "Vermieter\nWeg 1"))
    assert "Datum der Zustellung der Räumungsklage" in draft.missing
    full = {"mietwohnung": "Weg 1, 32584 Löhne", "vermieter_name": "Vermieter", "mietrueckstand": "900,00 €",
            "antrag_datum": "20.11.2026"}
    with pytest.raises(MissingFields) as err:
        letters.render(draft, full)
    assert str(err.value) == "Für diesen Brief fehlt: Datum der Zustellung der Räumungsklage"
    assert letters.render(draft, full | {"klage_zugestellt": "03.11.2026"}, force="mündlich eingewilligt"
                          ).startswith(b"%PDF")


def test_address_sits_in_the_window_and_info_block_right_of_it(filled) -> None:
    store, user, case_id = filled
    kind = catalogue.get("vermieter_ruecknahme_kuendigung")
    draft = letters.prepare(store, user, case_id, kind, recipient_for(store, case_id, kind))
    words = pdf_words(letters.render(draft, FORM))
    g = FORM_B
    left, right = g.address_left / MM, (g.address_left + g.address_width) / MM
    zone_top, bottom = g.recipient_zone_top / MM, g.address_bottom / MM
    for line in draft.recipient.lines:
        for token in line.split():
            hits = [w for w in words if w[4] == token and w[1] >= zone_top - 0.1]
            assert hits, token
            x0, y0, x1, y1, _ = hits[0]
            assert left <= x0 and x1 <= right and zone_top <= y0 and y1 <= bottom, (token, hits[0])
    ret = [w for w in words if w[4] == "Musterstraße" and g.address_top / MM <= w[1] < zone_top]
    assert ret and g.address_top / MM <= ret[0][1] and ret[0][3] <= zone_top  # return address above the window
    date_word = next(w for w in words if w[4] == "Datum")
    assert date_word[0] >= g.info_left / MM - 0.1 and date_word[1] >= g.info_top / MM
    value = [w for w in words if re.fullmatch(r"\d\d\.\d\d\.\d{4}", w[4]) and w[0] > g.info_left / MM]
    assert value, "Datum im Informationsblock als TT.MM.JJJJ"


def test_fonts_are_embedded_and_subset(filled) -> None:
    store, user, case_id = filled
    kind = catalogue.get("jc_mietschulden")
    pdf = letters.render(letters.prepare(store, user, case_id, kind, recipient_for(store, case_id, kind)))
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object()
    assert names and all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold)?", n) for n in names), names


NAMES = ["Müller", "Łukasz Żółkiewski", "Nguyễn Thị Minh Khai", "Ömer Çelik", "Şükrü Öztürk"]


def test_german_and_foreign_names_print_unchanged(counsellor) -> None:
    store, user = counsellor
    kind = catalogue.get("jc_sachstand")
    for name in NAMES:
        given, _, family = name.rpartition(" ")
        case_id = make_case(store, user, family, given or "Anna", minimal=True)
        recipient = address_book.manual("jobcenter", f"{name}\nWeg 1\n32584 Löhne")
        draft = letters.prepare(store, user, case_id, kind, recipient)
        assert draft.warnings == []
        text = pdf_text(letters.render(draft, FORM, force="Einwilligung in Papierform"))
        assert text.count(name) >= 2, name  # in the window and in the text


def test_emoji_and_right_to_left_names_warn_and_print_a_visible_fallback(counsellor) -> None:
    store, user = counsellor
    case_id = make_case(store, user, "Haddad 😀", "أحمد", minimal=True)
    kind = catalogue.get("klient_vollmacht")
    draft = letters.prepare(store, user, case_id, kind, recipient_for(store, case_id, kind))
    assert draft.warnings and "erscheinen im Brief als »�«" in draft.warnings[0]
    result = letters.render_full(draft)
    assert result.warnings
    assert "Haddad �" in pdf_text(result.pdf)


def test_eight_address_lines_and_a_120_character_name_are_shortened_with_a_warning(filled) -> None:
    store, user, case_id = filled
    kind = catalogue.get("vermieter_ruecknahme_kuendigung")
    eight = "\n".join(["Wohnbau Werre GmbH", "Abteilung Forderungen", "z. Hd. Frau Nowak", "Gebäude C",
                       "3. Etage", "Zimmer 301", "Am Markt 999", "32584 Löhne"])
    draft = letters.prepare(store, user, case_id, kind, address_book.manual("vermieter", eight))
    result = letters.render_full(draft, FORM)
    assert any("8 Zeilen" in w for w in result.warnings)
    words = pdf_words(result.pdf)
    assert [w for w in words if w[4] == "32584" and w[3] <= FORM_B.address_bottom / MM]
    long = "Gemeinnützige Wohnungsbaugesellschaft " * 4
    draft = letters.prepare(store, user, case_id, kind, address_book.manual("vermieter", f"{long[:120]}\nAm Markt 1"))
    result = letters.render_full(draft, FORM)
    right = (FORM_B.address_left + FORM_B.address_width) / MM
    assert all(w[2] <= right for w in pdf_words(result.pdf)
               if FORM_B.recipient_zone_top / MM <= w[1] < 90 and w[0] < 100)


def test_long_free_text_gives_numbered_pages(filled) -> None:
    store, user, case_id = filled
    kind = catalogue.get("jc_widerspruch")
    draft = letters.prepare(store, user, case_id, kind, recipient_for(store, case_id, kind))
    one = letters.render_full(draft, FORM)
    assert one.pages == 1 == pdf_pages(one.pdf) and "Seite" not in pdf_text(one.pdf)
    two = letters.render_full(draft, FORM, "Weitere Gründe: der Bescheid berücksichtigt die Miete nicht. " * 40)
    assert two.pages == 2 == pdf_pages(two.pdf)
    assert "Seite 1 von 2" in page_text(two.pdf, 1) and "Seite 2 von 2" in page_text(two.pdf, 2)
    paragraph = "Der Bescheid lässt die tatsächlichen Kosten der Unterkunft außer Acht. " * 30
    five = letters.render_full(draft, FORM, "\n\n".join([paragraph] * 12))
    assert five.pages >= 5 and five.pages == pdf_pages(five.pdf)
    for n in range(1, five.pages + 1):
        assert f"Seite {n} von {five.pages}" in page_text(five.pdf, n)


def test_consent_missing_blocks_until_forced_with_a_reason(counsellor) -> None:
    store, user = counsellor
    case_id = make_case(store, user, "Çelik", "Ömer", minimal=True)
    kind = catalogue.get("jc_sachstand")
    draft = letters.prepare(store, user, case_id, kind, address_book.manual("jobcenter", "Jobcenter\nWeg 1"))
    assert "keine gültige Einwilligung für Jobcenter oder Sozialamt" in draft.consent_warning
    with pytest.raises(letters.LetterBlocked) as err:
        letters.render(draft, FORM)
    assert [f.code for f in letter_check.blocking(err.value.findings)] == ["einwilligung"]
    with pytest.raises(InvalidInput, match="warum der Brief trotz der Prüfung"):
        letters.render(draft, FORM, force="   ")
    assert letters.render(draft, FORM, force="Einwilligung liegt in Papierform vor").startswith(b"%PDF")


def test_record_keeps_a_copy_logs_a_written_contact_and_audits(filled) -> None:
    store, user, case_id = filled
    kind = catalogue.get("jc_kaution")
    draft = letters.prepare(store, user, case_id, kind, recipient_for(store, case_id, kind))
    pdf = letters.render(draft)
    doc_id = letters.record(store, user, case_id, draft, pdf)
    with store.read_session() as s:
        doc = s.get(Document, doc_id)
        assert (doc.kind, doc.letter_type, doc.mime) == ("letter", "jc_kaution", "application/pdf")
        assert "Jobcenter Herford" in doc.recipient and doc.size == len(pdf)
        contact = s.execute(select(Contact).where(Contact.case_id == case_id, Contact.kind == "schriftlich")
                            ).scalar_one()
        assert contact.bausteine == ["3"] and "Mietkaution" in contact.note
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "letter_printed")).scalar_one()
        from whh_desktop.core.services.casework import document_bytes
        assert document_bytes(s, doc_id) == pdf


def _landlords(store, n):
    from whh_desktop.core.store.models import Landlord

    with store.session("kreis-import") as s:
        for i in range(n):
            s.add(Landlord(kind="privat", name=f"Vermieterin {i:03d} Öztürk", sort_key=f"vermieterin {i:03d}",
                           street=f"Weg {900 + i}", plz="32584", city="Löhne", cooperation_status="aktiv",
                           origin_site="kreis", owner_site="kreis"))
    with store.read_session() as s:
        return address_book.landlords(s, "Löhne", active_only=True)


def test_serial_letter_gives_one_pdf_and_one_record_per_landlord(counsellor) -> None:
    store, user = counsellor
    recipients = _landlords(store, 5)
    seen = []
    result = letters.render_serial(store, user, "vermieter_vorstellung_swv", recipients,
                                   progress=lambda done, total: seen.append((done, total)))
    assert not result.cancelled and result.records == [] and not result.recorded
    assert seen[-1] == (5, 5)
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 5
    assert "Vermieterin 004 Öztürk" in pdf_text(result.pdf)
    with store.read_session() as s:  # a preview is no letter sent: nothing noted yet
        assert s.execute(select(LandlordNote)).scalars().all() == []
    records = letters.record_serial(store, user, result)
    assert len(records) == 5 and result.recorded
    letters.record_serial(store, user, result)  # printed again after saving: noted once only
    with store.read_session() as s:
        notes = s.execute(select(LandlordNote)).scalars().all()
    assert len(notes) == 5 and {n.way for n in notes} == {"brief"}


def test_serial_letter_greets_each_landlord_with_their_own_salutation(counsellor) -> None:
    store, user = counsellor
    recipients = [address_book.manual("vermieter", "Frau Nowak\nAm Markt 1\n32584 Löhne"),
                  address_book.manual("vermieter", "Wohnbau Werre GmbH\nWeg 2\n32584 Löhne")]
    pdf = letters.render_serial(store, user, "vermieter_vorstellung_swv", recipients).pdf
    assert "Sehr geehrte Frau Nowak," in page_text(pdf, 1)
    assert "Sehr geehrte Damen und Herren," in page_text(pdf, 2) and "Nowak" not in page_text(pdf, 2)


def test_a_cancelled_serial_letter_cannot_be_recorded(counsellor) -> None:
    store, user = counsellor
    result = letters.render_serial(store, user, "vermieter_vorstellung_swv", _landlords(store, 2),
                                   cancelled=lambda: True)
    with pytest.raises(InvalidInput, match="keinen fertigen Serienbrief"):
        letters.record_serial(store, user, result)


def test_serial_letter_can_be_cancelled_and_records_nothing(counsellor) -> None:
    store, user = counsellor
    recipients = _landlords(store, 6)
    done: list[int] = []
    result = letters.render_serial(store, user, "vermieter_vorstellung_swv", recipients,
                                   progress=lambda d, t: done.append(d), cancelled=lambda: len(done) >= 2)
    assert result.cancelled and result.pdf == b"" and result.records == []
    with store.read_session() as s:
        assert s.execute(select(LandlordNote)).scalars().all() == []


def test_address_book_has_the_district_list_and_sites_keep_their_own(unlocked) -> None:
    store, admin = unlocked
    with store.read_session() as s:
        jobcenter = address_book.list_entries(s, "jobcenter", municipality="Löhne")
    assert jobcenter[0].name == "Jobcenter Herford – Geschäftsstelle Löhne" and jobcenter[0].district
    assert len(address_book.seed_data()) >= 10
    from whh_desktop.core.errors import InvalidInput, PermissionDenied

    with pytest.raises(PermissionDenied, match="Liste des Kreises"):
        address_book.save_entry(store, admin, address_book.EntryData("jobcenter", "X", street="Weg 1", plz="32584",
                                                                     city="Löhne"), jobcenter[0].id)
    with pytest.raises(InvalidInput, match="fünf Ziffern"):
        address_book.save_entry(store, admin, address_book.EntryData("spdi", "SpDi", street="Weg 1", plz="1",
                                                                     city="Löhne"))
    own = address_book.save_entry(store, admin, address_book.EntryData(
        "suchtberatung", "Suchtberatung Löhne (fiktiv)", street="Weg 901", plz="32584", city="Löhne"))
    with store.read_session() as s:
        assert [e.name for e in address_book.list_entries(s, query="sucht lohne")] == ["Suchtberatung Löhne (fiktiv)"]
    address_book.delete_entry(store, admin, own)
    with store.read_session() as s:
        assert not address_book.list_entries(s, query="Suchtberatung Löhne")


def test_today_in_text_is_long_and_in_info_block_short(filled) -> None:
    store, user, case_id = filled
    kind = catalogue.get("jc_sachstand")
    draft = letters.prepare(store, user, case_id, kind, recipient_for(store, case_id, kind), today=date(2026, 11, 24))
    content = letters.compose(draft, FORM)
    assert ("Datum", "24.11.2026") in content.info
    assert letters.final_values(draft, FORM | {"antrag_datum": "03.11.2026"})["antrag_datum"] == "3. November 2026"
