"""Hostile bundles (issue 10, points 1–5): validly signed payloads that try to touch another site's data, squat case
numbers, poison the ledger or carry bad characters. Each is refused whole with a German reason and the store
unchanged (all tables but audit_log), or applied with only the sender's own rows changed — never a traceback.
The findings of the issue are a table here; hypothesis mutates the payload schema in test_sync_hostile_props.py."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.core.hostile_world import (
    World,
    assert_refused,
    build_world,
    craft,
    district_payload,
    rows_by_owner,
    sign_district_bundle,
    site_payload,
)
from tests.core.test_sync_import_fixtures import dump, exchange, new_case  # noqa: F401
from whh_desktop.core.services import about, sync
from whh_desktop.core.store import dialect
from whh_desktop.core.store.models import AuditEntry, Case, ImportedBundle, Person
from whh_desktop.core.sync import importer
from whh_desktop.core.sync import payload as pl


@pytest.fixture
def world(exchange, tmp_path, _buende_template) -> World:  # noqa: F811
    w = build_world(exchange, tmp_path, _buende_template)
    yield w
    w.buende.close()


def _case_row(p: dict, case_id: uuid.UUID) -> dict:
    return next(r for r in p["entities"]["cases"] if r["id"] == str(case_id))


def _b_person(w: World) -> uuid.UUID:
    with w.district.read_session() as s:
        return s.get(Case, w.b_case).person_id


def _first_pseudonymous(p: dict) -> dict:
    return next(e for e in p["pseudonyms"] if not e["identified"])


# ---- finding 1: cross-site deletion through pseudonym entries --------------------------------------------------
def test_identified_pseudonym_pointing_at_another_sites_case_refuses_the_bundle(world: World) -> None:
    w = world
    b_person = _b_person(w)

    def point_at_buende(p):
        e = next(e for e in p["pseudonyms"] if e["identified"])
        e["case_id"], e["person_id"], e["rev"] = str(w.b_case), str(b_person), [1, 999]

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, point_at_buende))
    assert_refused(r, "Löhne", "Bünde")
    assert dump(w.district) == before


def test_a_revocation_never_deletes_another_sites_case(world: World) -> None:
    """A stored identified entry of Löhne that points at Bünde's case (as an older version let in): Löhne's
    revocation of it refuses the bundle instead of deleting Bünde's case, person and child rows."""
    w = world
    new_case(w.ex.site, w.ex.site_user, "Anonym")  # gives Löhne's payload a pseudonymous entry to copy
    b_person = _b_person(w)
    key = "ab" * 32
    with w.district.engine.begin() as conn:
        dialect.run(
            conn, "INSERT INTO sync_pseudonyms(site, pseudonym, person_pseudonym, identified, case_id, person_id, "
            "data, rev_epoch, rev_seq, updated_at) VALUES ('loehne', ?, ?, ?, ?, ?, NULL, 1, 1, '2026-01-01 00:00:00')",
            (key, "cd" * 32, True, w.b_case.hex, b_person.hex))

    def revoke(p):
        e = dict(_first_pseudonymous(p))
        e.update(pseudonym=key, rev=[1, 999])
        p["pseudonyms"].append(e)

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, revoke))
    assert_refused(r, "Bünde")
    assert dump(w.district) == before
    with w.district.read_session() as s:
        assert s.get(Case, w.b_case) is not None and s.get(Person, b_person) is not None


# ---- finding 2: a sequence far ahead poisons the ledger -------------------------------------------------------
@pytest.mark.parametrize("sequence", [2**53 - 1, 10_052, 2**31])
def test_a_sequence_far_above_the_next_expected_is_refused(world: World, sequence: int) -> None:
    w = world
    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, lambda p: None, sequence=sequence))
    assert_refused(r, "Export")
    assert r.code == "sequence_window"
    assert dump(w.district) == before
    # the real next export still goes in, and the status is computed
    [ok] = w.import_district(w.ex.export())
    assert ok.applied, ok.reason
    with w.district.read_session() as s:
        assert {x.site for x in sync.site_status(s)} == {"loehne", "buende"}


def test_a_sequence_within_the_window_leaves_a_gap_shown_as_an_interval(world: World) -> None:
    w = world
    [r] = w.import_district(craft(w, w.ex.site, lambda p: None, sequence=9_000))
    assert r.applied, r.reason
    with w.district.read_session() as s:
        [st] = [x for x in sync.site_status(s) if x.site == "loehne"]
        assert st.missing == [(2, 8_999)] and st.missing_count == 8_998
        assert st.messages == ["Export 2 bis 8999 von Löhne fehlen (8998)"]


def test_an_absurd_epoch_is_refused(world: World) -> None:
    w = world
    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, lambda p: None, sequence=1, epoch=2**31 - 2))
    assert_refused(r, "Epoche")
    assert r.code == "epoch_window"
    assert dump(w.district) == before
    # the next epoch (a restore) is accepted with a new sequence
    [ok] = w.import_district(craft(w, w.ex.site, lambda p: None, sequence=1, epoch=2))
    assert ok.applied, ok.reason


def test_status_systemcheck_and_history_survive_any_ledger_content(world: World) -> None:
    w = world
    extremes = [(1, 2**53 - 1), (1, 2**63 - 1), (1, -5), (2**62, 3), (2**62, 2**63 - 1), (-3, 7), (1, 0)]
    if w.district.engine.dialect.name == "postgresql":  # its integer columns hold 32 bits: the extremes there
        extremes = [(1, 2**31 - 1), (1, -5), (2**31 - 1, 3), (2**31 - 1, 2**31 - 1), (-3, 7), (1, 0)]
    with w.district.read_session() as s:
        listed_before = len(sync.import_history(s, with_refusals=True))
    with w.district.engine.begin() as conn:
        for n, (epoch, seq) in enumerate(extremes):
            dialect.run(
                conn, "INSERT INTO sync_imported_bundles(bundle_id, kind, sender_site, sender_store_id, epoch, "
                "sequence, \"full\", created_at, imported_at, imported_by, counts, skipped) VALUES (?, "
                "'site_to_district', ?, 'x', ?, ?, ?, NULL, '2026-01-01 00:00:00', 'x', '{}', '[]')",
                (str(uuid.uuid4()), "vlotho" if n % 2 else "loehne", epoch, seq, False))
    with w.district.read_session() as s:
        status = sync.site_status(s)
        history = sync.import_history(s, with_refusals=True)
        for st in status:
            assert len(st.messages) <= 6 and len(st.missing) <= 5
        assert len(history) == listed_before + len(extremes)  # every odd ledger row is listed, none dropped
    rows = about._exchange_rows(w.district)  # systemcheck() would turn a crash into an error row
    assert any("Vlotho" in str(r) for r in rows)
    # and every new bundle is judged against a bounded window, never crashing
    [r] = w.import_district(w.ex.export())
    assert r.applied or r.reason


# ---- finding 3: case-number squatting -------------------------------------------------------------------------
def _squat_row(p: dict, template: dict, number: str, origin: str) -> None:
    row = dict(template)
    row.update(id=str(uuid.uuid4()), case_number=number, origin_site=origin)
    p["entities"]["cases"].append(row)


def test_a_case_number_of_another_sites_series_is_refused_and_the_owner_goes_on(world: World) -> None:
    w = world
    year = date.today().year

    def squat(p):
        _squat_row(p, _case_row(p, w.l_case), f"BUE-{year}-0002", "buende")

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, squat))
    assert_refused(r, "Aktenzeichen", "Löhne")
    assert dump(w.district) == before
    new_case(w.buende, w.buende_user, "Zweiter", kreis_consent=True)
    [ok] = w.import_district(sync.export_for_district(w.buende, w.buende_user, w.ex.out).path)
    assert ok.applied, ok.reason


@pytest.mark.parametrize("number", ["LOE-2026-00x1", "LOE-26-0001", "LOE-2026-0001-A", "loe-2026-0001"])
def test_a_case_number_outside_the_sites_series_is_refused(world: World, number: str) -> None:
    w = world

    def bad(p):
        _case_row(p, w.l_case)["case_number"] = number

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, bad))
    assert_refused(r, "Aktenzeichen")
    assert dump(w.district) == before


def test_a_squatter_stored_earlier_yields_to_the_owner(world: World) -> None:
    """A squatting case let in by an older version: the owner's bundle is applied, the squatter's number is set
    aside (listed in the report), and the squatter's next bundle with that number is refused."""
    w = world
    year = date.today().year
    with w.district.engine.begin() as conn:
        cols = pl.column_names("cases")
        [found] = dialect.rows(conn, f"SELECT {', '.join(cols)} FROM cases WHERE id = ?", (w.l_case.hex,))
        row = list(found)
        squat_id = uuid.uuid4().hex
        row[cols.index("id")], row[cols.index("case_number")] = squat_id, f"BUE-{year}-0002"
        row[cols.index("origin_site")] = "buende"
        dialect.run(conn, f"INSERT INTO cases ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", tuple(row))
    new_case(w.buende, w.buende_user, "Zweiter", kreis_consent=True)
    [ok] = w.import_district(sync.export_for_district(w.buende, w.buende_user, w.ex.out).path)
    assert ok.applied, ok.reason
    assert any(x["reason"].startswith("Aktenzeichen") for x in ok.skipped), ok.skipped
    with w.district.read_session() as s:
        numbers = {c.case_number: c.owner_site for c in s.execute(select(Case)).scalars()}
        assert numbers[f"BUE-{year}-0002"] == "buende"


# ---- finding 4 and point 5: one bad file never stops a batch ----------------------------------------------------
def test_a_lone_surrogate_refuses_its_file_and_the_batch_goes_on(world: World) -> None:
    # The reader refuses a lone surrogate already while decoding the JSON line (payload_stream), before any field.
    w = world

    def surrogate(p):
        next(r for r in p["entities"]["persons"])["family_name"] = "Kow\ud800alski"

    bad = craft(w, w.ex.site, surrogate, "bad.whhb")
    new_case(w.buende, w.buende_user, "Danach")
    good = sync.export_for_district(w.buende, w.buende_user, w.ex.out).path
    before = rows_by_owner(w.district, "loehne")
    reports = w.import_district(bad, good)
    assert [r.applied for r in reports] == [False, True], [r.reason for r in reports]
    assert_refused(reports[0], "JSON")
    assert rows_by_owner(w.district, "loehne") == before
    with w.district.read_session() as s:
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "sync_import_refused")).scalars().first()
        history = sync.import_history(s, with_refusals=True)
        refused = [h for h in history if h.refused]
        assert [h.file for h in refused] == ["bad.whhb"] and refused[0].label == "Löhne"


def test_an_unexpected_error_refuses_only_that_file(world: World, monkeypatch) -> None:
    w = world
    real = importer.apply_payload
    calls = []

    def boom_once(session, p):
        calls.append(p.site)
        if len(calls) == 1:
            raise RuntimeError("kaputt")
        return real(session, p)

    monkeypatch.setattr(importer, "apply_payload", boom_once)
    first = craft(w, w.ex.site, lambda p: None, "first.whhb")
    new_case(w.buende, w.buende_user, "Danach")
    second = sync.export_for_district(w.buende, w.buende_user, w.ex.out).path
    before = dump(w.district)
    reports = w.import_district(first, second)
    assert [r.applied for r in reports] == [False, True]
    assert reports[0].code == "internal_error" and "unerwarteter Fehler" in reports[0].reason
    assert "RuntimeError" in reports[0].reason and "kaputt" not in reports[0].reason  # no content, the kind only
    assert dump(w.district) != before  # the second was applied
    with w.district.read_session() as s:
        assert s.execute(select(ImportedBundle)).scalars().all()[-1].sender_site == "buende"


# ---- finding 7: wrong-owner rows refuse the whole bundle --------------------------------------------------------
def test_a_row_stored_for_another_site_refuses_the_bundle(world: World) -> None:
    w = world
    b = site_payload(w.buende)
    b_row = _case_row(b, w.b_case)

    def take_over(p):
        row = dict(b_row)
        row.update(owner_site="loehne", version=row["version"] + 5, housing_note="übernommen")
        p["entities"]["cases"].append(row)

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, take_over))
    assert_refused(r, "Löhne", "Bünde", "Fall")
    assert dump(w.district) == before


@pytest.mark.parametrize("entity", ["consents", "contacts", "documents"])
def test_a_child_row_pointing_at_another_sites_case_refuses_the_bundle(world: World, entity: str) -> None:
    w = world
    with w.ex.site.session(w.ex.site_user.username) as s:
        from whh_desktop.core.store.models import Contact, Document

        s.add(Contact(case_id=w.l_case, on=date.today(), minutes=30, kind="buero", bausteine=["2"],
                      counsellor=w.ex.site_user.username))
        s.add(Document(case_id=w.l_case, title="Mietvertrag", kind="scan", mime="application/pdf", size=4,
                       sha256="0" * 64))

    def point(p):
        row = next(r for r in p["entities"][entity] if r["case_id"] == str(w.l_case))
        row.update(id=str(uuid.uuid4()), case_id=str(w.b_case))
        p["entities"][entity].append(row)

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, point))
    assert_refused(r, "Bünde")
    assert dump(w.district) == before


def test_a_handover_of_another_sites_case_refuses_the_bundle(world: World) -> None:
    w = world

    def hand_over(p):
        p["handovers"] = [{"case_id": str(w.b_case), "case_number": "BUE-2026-0001", "from_site": "loehne",
                           "to_site": "vlotho", "state": "requested", "documents": []}]

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, hand_over))
    assert_refused(r, "Übergabe", "Bünde")
    assert dump(w.district) == before


def test_a_case_pointing_at_another_sites_person_refuses_the_bundle(world: World) -> None:
    w = world
    b_person = _b_person(w)

    def adopt(p):
        row = _case_row(p, w.l_case)
        row.update(person_id=str(b_person), version=row["version"] + 1)

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, adopt))
    assert_refused(r, "Bünde", "Person")
    assert dump(w.district) == before


# ---- point 4: strict payload ----------------------------------------------------------------------------------
@pytest.mark.parametrize("mutate, needle", [
    (lambda p: p["entities"]["persons"][0].__setitem__("city", "Lö\x07hne"), None),
    (lambda p: p["entities"]["cases"][0].__setitem__("housing_note", "a\udc80b"), "JSON"),
    (lambda p: p["entities"]["persons"][0].__setitem__(
        "birth_date", (date.today() + timedelta(days=3)).isoformat()), "Geburtsdatum"),
    (lambda p: p["entities"]["consents"][0].__setitem__("categories", [{"x": 1}]), "categories"),
    (lambda p: p["entities"]["consents"][0].__setitem__("categories", ["a\ud800"]), "JSON"),
    (lambda p: p["entities"]["cases"][0].__setitem__("substitutes", [1, 2]), "substitutes"),
    (lambda p: p["entities"]["cases"][0].__setitem__("substitutes", {"a": "b"}), "substitutes"),
])
def test_bad_strings_json_columns_and_dates_refuse_the_bundle(world: World, mutate, needle) -> None:
    w = world
    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, mutate))
    if needle is None:  # a control character in a one-line field: stripped with a warning, not refused
        assert r.applied, r.reason
        assert r.warnings == ["persons.city (1)", "persons.sort_key (1)"]  # the sort key repeats the city
        return
    assert_refused(r, needle)
    assert dump(w.district) == before


def test_a_lone_surrogate_in_pseudonymous_statistics_refuses_the_bundle(world: World) -> None:
    w = world
    new_case(w.ex.site, w.ex.site_user, "Anonym")

    def bad(p):
        _first_pseudonymous(p)["data"]["municipality"] = "L\ud800hne"

    before = dump(w.district)
    [r] = w.import_district(craft(w, w.ex.site, bad))
    assert_refused(r, "JSON")
    assert r.code == "payload_invalid"
    assert dump(w.district) == before


def test_bidi_overrides_and_zero_width_characters_in_names_are_stripped_with_a_warning(world: World) -> None:
    w = world

    def hide(p):
        person = next(r for r in p["entities"]["persons"])
        person.update(family_name="Kow\u202eikslа\u200b", version=person["version"] + 1)

    [r] = w.import_district(craft(w, w.ex.site, hide))
    assert r.applied, r.reason
    assert any("family_name" in x for x in r.warnings), r.warnings
    with w.district.read_session() as s:
        names = [p.family_name for p in s.execute(select(Person)).scalars()]
    assert not any(ch in "".join(names) for ch in "\u202e\u200b")


def test_document_titles_become_safe_file_names() -> None:
    from whh_desktop.core.domain.filenames import safe_file_name

    assert safe_file_name("../../etc/passwd") == "etc_passwd"
    assert safe_file_name("..\\..\\Windows\\x.pdf") == "Windows_x.pdf"
    assert safe_file_name("Bescheid 01/2026") == "Bescheid 01_2026"
    assert safe_file_name("") == "Dokument"
    assert safe_file_name("..") == "Dokument"
    assert safe_file_name("CON") == "CON_"
    assert safe_file_name("a\u202ecod.exe\x00") == "acod.exe"
    assert "/" not in safe_file_name("x/" * 300) and len(safe_file_name("x" * 500)) <= 120


# ---- district → site ------------------------------------------------------------------------------------------
def test_a_district_bundle_that_rewrites_a_sites_own_person_is_refused(world: World) -> None:
    w = world
    own = site_payload(w.ex.site)
    person = dict(own["entities"]["persons"][0])
    person.update(family_name="Überschrieben", version=person["version"] + 3)
    p = district_payload(w.district, "loehne")
    p["entities"].setdefault("persons", []).append(person)
    before = dump(w.ex.site)
    [r] = w.ex.import_site(sign_district_bundle(w.district, p, w.ex.out / "d" / "x.whhb", sequence=1))
    assert_refused(r, "Kreis")
    assert dump(w.ex.site) == before


def test_a_district_sequence_far_ahead_is_refused_at_the_site(world: World) -> None:
    w = world
    p = district_payload(w.district, "loehne")
    before = dump(w.ex.site)
    [r] = w.ex.import_site(sign_district_bundle(w.district, p, w.ex.out / "d" / "y.whhb", sequence=2**53 - 1))
    assert_refused(r)
    assert r.code == "sequence_window"
    assert dump(w.ex.site) == before


def test_a_district_ack_beyond_the_sites_last_export_is_not_believed(world: World) -> None:
    w = world
    p = district_payload(w.district, "loehne")
    p["ack"] = {"epoch": 1, "sequence": 2**53}
    [r] = w.ex.import_site(sign_district_bundle(w.district, p, w.ex.out / "d" / "z.whhb", sequence=1))
    assert r.applied, r.reason
    with w.ex.site.read_session() as s:
        ack = sync.district_ack(s)
        assert ack.sequence != 2**53 and ack.message != f"Kreis hat Stand bis Export {2**53}"
