"""Kommune from PLZ and Ort (issue 18, point 6): the district's table, shared PLZ decided by the Ort, a PLZ outside
the district leaves the choice to the user and says so."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain.municipalities import MUNICIPALITIES, Municipality, by_plz, kommune_from_address

DISTRICT_PLZ = sorted({p for m in MUNICIPALITIES for p in m.plz})
outside_plz = st.from_regex(r"\A[1-9]\d{4}\Z").filter(lambda p: p not in DISTRICT_PLZ)
districts = st.sampled_from(["", "-Gohfeld", " Mennighüffen", "-Ennigloh", " (Westf.)"])
spaces = st.sampled_from(["", " ", "  "])


@given(st.sampled_from(MUNICIPALITIES), st.data(), districts, spaces, st.booleans())
def test_every_plz_of_the_district_with_its_ort_gives_its_kommune(muni: Municipality, data, district: str, pad: str,
                                                                  upper: bool) -> None:
    plz = data.draw(st.sampled_from(muni.plz))
    ort = muni.name.upper() if upper else muni.name
    guess = kommune_from_address(pad + plz + pad, pad + ort + district + pad)
    assert (guess.municipality, guess.note) == (muni.name, "")


@given(st.sampled_from(DISTRICT_PLZ), st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß -", min_size=1, max_size=20))
def test_a_plz_of_one_kommune_fills_it_unless_the_ort_names_another(plz: str, ort: str) -> None:
    guess = kommune_from_address(plz, ort)
    own = by_plz(plz)
    assert own is not None
    if not ort.strip(" -"):
        assert guess.municipality is None and guess.note == ""  # Ort not known yet: nothing filled, nothing said
    elif guess.municipality is None:
        assert "bitte die Kommune selbst wählen" in guess.note and own.name in guess.note
    else:
        assert guess.municipality == own.name and guess.note == ""


@given(st.sampled_from(MUNICIPALITIES), st.sampled_from(MUNICIPALITIES))
def test_plz_and_ort_of_different_kommunen_leave_the_choice(by_code: Municipality, by_ort: Municipality) -> None:
    guess = kommune_from_address(by_code.plz[0], by_ort.name)
    if by_code == by_ort:
        assert guess.municipality == by_code.name
    else:
        assert guess.municipality is None
        assert by_code.name in guess.note and by_ort.name in guess.note


@given(outside_plz, st.sampled_from([*(m.name for m in MUNICIPALITIES), "Bielefeld", "Bad Oeynhausen"]))
def test_a_plz_outside_the_district_leaves_the_choice_and_says_so(plz: str, ort: str) -> None:
    guess = kommune_from_address(plz, ort)
    assert guess.municipality is None
    assert guess.note == f"Die PLZ {plz} liegt nicht im Kreis Herford – bitte die Kommune selbst wählen."


@given(st.text(max_size=6), st.sampled_from([m.name for m in MUNICIPALITIES]))
def test_nothing_before_plz_and_ort_are_both_known(plz: str, ort: str) -> None:
    if len(plz.strip()) == 5 and plz.strip().isdigit() and not plz.strip().startswith("00"):
        return  # a complete PLZ: covered above
    assert kommune_from_address(plz, ort) == kommune_from_address(plz, "Löhne") == kommune_from_address(plz, ort)
    assert kommune_from_address(plz, ort).municipality is None
    assert kommune_from_address(plz, ort).note == ""
    assert kommune_from_address("32584", " ").municipality is None


# A table where PLZ are shared, as the rule must handle them (a PLZ area crossing a municipal border).
names = st.sampled_from(["Adorf", "Bestadt", "Cedorf", "Dehausen", "Eberg"])
shared_tables = st.lists(st.tuples(names, st.lists(st.sampled_from(["32001", "32002", "32003"]), min_size=1,
                                                   max_size=3, unique=True)),
                         min_size=1, max_size=5, unique_by=lambda t: t[0]).map(
    lambda rows: tuple(Municipality(n, tuple(p), "0", None) for n, p in rows))


@given(shared_tables, st.sampled_from(["32001", "32002", "32003"]), names, districts)
def test_a_shared_plz_is_decided_by_the_ort(table: tuple[Municipality, ...], plz: str, ort: str,
                                            district: str) -> None:
    guess = kommune_from_address(plz, ort + district, table)
    holders = [m.name for m in table if plz in m.plz]
    if guess.municipality is not None:
        assert guess.municipality in holders  # never a Kommune the PLZ does not belong to
        assert guess.note == ""
    if ort in holders:
        assert guess.municipality == ort  # the Ort decides between the PLZ's municipalities
    elif len(holders) > 1:
        assert guess.municipality is None
        assert all(name in guess.note for name in holders) and "entscheidet das nicht" in guess.note
    elif not holders:
        assert "nicht im Kreis Herford" in guess.note
    elif ort in {m.name for m in table}:
        assert guess.municipality is None  # the only holder, but the Ort names another municipality
    else:
        assert guess.municipality == holders[0]  # an Ortsteil name the table does not know


@given(shared_tables, st.sampled_from(["32001", "32002", "32003"]))
def test_a_form_without_ort_fills_only_a_plz_of_one_kommune(table: tuple[Municipality, ...], plz: str) -> None:
    holders = [m.name for m in table if plz in m.plz]
    guess = kommune_from_address(plz, None, table)
    if len(holders) == 1:
        assert guess == (kommune_from_address(plz, holders[0], table)) and guess.municipality == holders[0]
    else:
        assert guess.municipality is None and guess.note
        assert "ohne Ort ist das offen" in guess.note if holders else "nicht im Kreis Herford" in guess.note
