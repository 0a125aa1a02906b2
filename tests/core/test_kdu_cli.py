"""``whh kdu check`` with the Karenzzeit: the rule applied, the table's age, folded municipality names."""

from __future__ import annotations

import json

from tests.core.test_housing_cli_demo import whh


def test_gemeinde_folds_like_search() -> None:
    folded = whh("kdu", "check", "--gemeinde", "Loehne", "--personen", "2", "--bruttokaltmiete", "430,00",
                 "--datum", "03.12.2026")
    exact = whh("kdu", "check", "--gemeinde", "Löhne", "--personen", "2", "--bruttokaltmiete", "430,00",
                "--datum", "03.12.2026")
    assert folded.returncode == 0, folded.stderr
    assert folded.stdout == exact.stdout and "im Vergleichsraum Löhne, Vlotho (Löhne)" in folded.stdout


def test_leistungsbeginn_prints_the_rule_applied_and_the_old_table_warning() -> None:
    r = whh("kdu", "check", "--gemeinde", "Loehne", "--personen", "1", "--bruttokaltmiete", "600,00",
            "--leistungsbeginn", "01.09.2026", "--datum", "03.12.2026")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1] == "Leistungsbeginn: 01.09.2026"
    assert lines[2].startswith("Regel: Karenzzeit bis 31.08.2027 (Grenze greift ab 01.09.2027): anerkannt wird "
                               "höchstens das 1,5-Fache der Grenze, 550,50 €")
    assert "Karenzzeit-Regel: Neue Grundsicherung" in r.stdout and "Quelle: Gesetz zur Neuen Grundsicherung" in r.stdout
    assert "Warnung: Die KdU-Tabelle »Kreis Herford, Richtwerte ab 01.11.2019«" in r.stdout


def test_children_lift_the_cap_and_json_carries_the_rule() -> None:
    r = whh("kdu", "check", "--gemeinde", "Vlotho", "--personen", "3", "--bruttokaltmiete", "800,00",
            "--leistungsbeginn", "01.10.2026", "--ausnahme", "kinder", "--datum", "03.12.2026", "--json")
    data = json.loads(r.stdout)
    assert data["karenzzeit"]["anerkannt_cent"] == 80000 and data["karenzzeit"]["kappung_cent"] is None
    assert data["karenzzeit"]["kappung_entfaellt_wegen"] == ["Haushalt mit Kindern"]
    assert data["tabelle_veraltet"] is True and data["tabelle_alter_monate"] == 85


def test_after_the_karenzzeit_the_six_months_are_named() -> None:
    r = whh("kdu", "check", "--gemeinde", "Bünde", "--personen", "1", "--bruttokaltmiete", "450,00",
            "--leistungsbeginn", "01.03.2025", "--datum", "15.04.2026")
    assert r.returncode == 0, r.stderr
    assert "Karenzzeit endete am 28.02.2026; jetzt gilt die Grenze (363,50 €)" in r.stdout
    assert "längstens bis 31.08.2026" in r.stdout


def test_a_future_benefit_start_and_karenzzeit_facts_without_it_are_refused() -> None:
    r = whh("kdu", "check", "--gemeinde", "Löhne", "--personen", "1", "--bruttokaltmiete", "400,00",
            "--leistungsbeginn", "01.01.2027", "--datum", "03.12.2026")
    assert r.returncode == 1 and "01.01.2027 liegt in der Zukunft" in r.stderr and "Traceback" not in r.stderr
    r = whh("kdu", "check", "--gemeinde", "Löhne", "--personen", "1", "--bruttokaltmiete", "400,00",
            "--ausnahme", "kinder")
    assert r.returncode == 1 and "--leistungsbeginn" in r.stderr


def test_kdu_regeln_lists_the_rules_with_sources() -> None:
    r = whh("kdu", "regeln")
    assert r.returncode == 0, r.stderr
    assert "gültig ab 01.01.2023 bis 30.06.2026" in r.stdout and "BGBl. I S. 2328" in r.stdout
    assert "höchstens das 1,5-Fache der Grenze" in r.stdout and "Haushalt mit Kindern" in r.stdout
