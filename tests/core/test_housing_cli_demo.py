"""``whh kdu check`` prints what the app shows; ``whh demo`` fills a housing market that matching can use."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.cli_runner import run_cli
from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.demo_housing import fill_housing_demo
from whh_desktop.core.services import flat_matching, housing_search, market
from whh_desktop.core.store.models import ChangeLog, FlatOffer, HousingSearch, Landlord

TODAY = date(2026, 11, 25)


def whh(*args: str, data_dir: Path | None = None, user: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WHH_PASSWORD", "WHH_USER")}
    if user:
        env |= {"WHH_USER": user, "WHH_PASSWORD": COUNSELLOR_PASSWORD}
    return run_cli(["--data-dir", str(data_dir or Path("/nonexistent-whh")), *args], env)


def test_kdu_check_two_persons_in_loehne() -> None:
    r = whh("kdu", "check", "--gemeinde", "Löhne", "--personen", "2", "--bruttokaltmiete", "430,00")
    assert r.returncode == 0, r.stderr
    assert "nicht angemessen: 430,00 € liegt 5,55 € über der Grenze von 424,45 €" in r.stdout
    assert "Vergleichsraum Löhne, Vlotho" in r.stdout and "gültig ab 01.11.2019" in r.stdout


def test_kdu_check_as_json_with_cold_rent_and_utilities() -> None:
    r = whh("kdu", "check", "--gemeinde", "Bünde", "--personen", "4", "--kaltmiete", "500,00", "--nebenkosten",
            "89,00", "--heizkosten", "95,00", "--json")
    data = json.loads(r.stdout)
    assert data["ergebnis"] == "angemessen" and data["differenz_cent"] == 0 and data["heizkosten_cent"] == 9500


def test_kdu_check_bad_input_gets_a_german_message() -> None:
    r = whh("kdu", "check", "--gemeinde", "Bielefeld", "--personen", "2", "--bruttokaltmiete", "400")
    assert r.returncode == 1 and "keine Gemeinde im Kreis Herford" in r.stderr and "Traceback" not in r.stderr
    r = whh("kdu", "check", "--gemeinde", "Löhne", "--personen", "0", "--bruttokaltmiete", "400")
    assert r.returncode == 1 and "mindestens 1 Person" in r.stderr
    r = whh("kdu", "check", "--gemeinde", "Löhne", "--personen", "2", "--bruttokaltmiete", "vierhundert")
    assert r.returncode == 1 and "kein Betrag" in r.stderr


def test_kdu_check_uses_the_stores_table_when_a_user_is_given(site_paths) -> None:
    r = whh("kdu", "check", "--gemeinde", "Herford", "--personen", "7", "--bruttokaltmiete", "1.001,00", "--json",
            data_dir=site_paths.root, user=COUNSELLOR)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["grenze"] == "1.001,00 €"
    r = whh("kdu", "tabellen", "--json", data_dir=site_paths.root, user=COUNSELLOR)
    assert [t["valid_from"] for t in json.loads(r.stdout)] == ["2019-11-01"]


def test_demo_fills_landlords_offers_and_searches_that_match(counsellor) -> None:
    store, user = counsellor
    fill_demo(store, user.username, 300, seed=3, today=TODAY)
    result = fill_housing_demo(store, user.username, landlords=30, offers=600, searches=80, seed=3, today=TODAY)
    assert (result.landlords, result.offers, result.searches) == (30, 600, 80)
    with store.read_session() as s:
        count = lambda model: s.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
        assert (count(Landlord), count(FlatOffer), count(HousingSearch)) == (30, 600, 80)
        logged = dict(s.execute(select(ChangeLog.entity, func.count()).group_by(ChangeLog.entity)).all())
        assert logged["landlords"] == 30 and logged["flat_offers"] == 600 and logged["housing_searches"] == 80
        assert s.execute(select(func.count()).select_from(FlatOffer).where(FlatOffer.owner_site != "kreis")
                         ).scalar_one() == 0
        assert {r.owner_site for r in s.execute(select(HousingSearch)).scalars()} == {"loehne"}
        searches = housing_search.list_searches(s)
        found = [flat_matching.offers_for_search(s, r.id, limit=5, today=TODAY) for r in searches]
        assert sum(1 for f in found if f) > len(searches) // 2
        assert all(m.offer.gross_rent <= m.ceiling for f in found for m in f)
        view = market.overview(s)
        assert 400 < view.grand_total < 600  # most offers are free
