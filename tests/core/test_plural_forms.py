"""German plural forms where a count meets a noun, and no doubled "Bitte" (issue 18 point 9)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import whh_desktop
from whh_desktop.core.domain.formatting import ask, days_ago, in_seconds, plural

ROOT = Path(whh_desktop.__file__).parent
HOME = ROOT / "core" / "domain" / "formatting.py"

# Plural nouns a count is put before somewhere in the texts; "{n} Minuten" in an f-string is "1 Minuten" for n = 1.
PLURALS = ("Minuten", "Sekunden", "Stunden", "Tage", "Tagen", "Wochen", "Monate", "Monaten", "Jahre", "Jahren",
           "Fristen", "Fälle", "Fällen", "Einträge", "Dateien", "Personen", "Kontakte", "Anträge", "Entwürfe",
           "Doppelungen", "Vorschläge", "Lücken", "Stellen", "Sicherungen")
# "{n} Minuten", "{n} offene Vorschläge" (an adjective between), "Stelle{'n' if …}", "Datei(en)"
ENDING = "'(?:n|en|e|s|r|äge|ag|)'"
HAND_MADE = re.compile(r"\{([^{}]+)\} (?:[a-zäöü]+ )?(" + "|".join(PLURALS) + r")\b"
                       rf"|\{{{ENDING} if [^{{}}]+ else {ENDING}\}}|\(en\)")
# A constant never is 1 ("höchstens {MAX_MONTHS} Monate"): upper-case names and arithmetic on them, or a choice
# between number words ("{'drei' if objection else 'sechs'} Monaten").
CONSTANT = re.compile(r"[A-Z_][A-Z0-9_]*(\s*[-+*/]+\s*[A-Z0-9_]+)*|'[a-z]+' if .+ else '[a-z]+'")


def hand_made_plurals(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in HAND_MADE.finditer(line):
            if match.group(1) is None or not CONSTANT.fullmatch(match.group(1).strip()):
                found.append(f"{number}: {match.group(0)}")
    return found


def test_no_count_is_put_before_a_plural_noun_by_hand() -> None:
    found = [f"{path.relative_to(ROOT)}:{hit}" for path in sorted(ROOT.rglob("*.py")) if path != HOME
             for hit in hand_made_plurals(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_walk_finds_what_it_looks_for() -> None:
    assert hand_made_plurals('f"nach {minutes} Minuten"') == ["1: {minutes} Minuten"]
    assert hand_made_plurals('f"(vor {age} Tag{\'\' if age == 1 else \'en\'})"') != []
    assert hand_made_plurals('f" und {more} weitere Stelle{\'n\' if more > 1 else \'\'}"') != []
    assert hand_made_plurals('f"{len(self.rows)} offene Vorschläge"') != []
    assert hand_made_plurals('f"in {len(files)} Datei(en)"') == ["1: (en)"]
    assert hand_made_plurals('f"{len(self.items)} Fälle sind zu löschen."') != []
    assert hand_made_plurals('f"höchstens {MAX_MONTHS // 12} Jahre"') == []
    assert hand_made_plurals('f"nach {plural(minutes, \'Minute\', \'Minuten\')}"') == []


def test_one_is_singular_and_everything_else_plural() -> None:
    assert plural(1, "Minute", "Minuten") == "1 Minute"
    assert plural(2, "Minute", "Minuten") == "2 Minuten"
    assert plural(0, "Frist", "Fristen") == "0 Fristen"
    assert plural(1, "Treffer", "Treffer") == "1 Treffer"
    assert plural(12345, "Eintrag", "Einträge") == "12.345 Einträge"
    assert in_seconds(1) == "in 1 Sekunde"
    assert in_seconds(30) == "in 30 Sekunden"


def test_days_ago_says_today_instead_of_zero_days() -> None:
    assert days_ago(0) == "heute"
    assert days_ago(-1) == "heute"  # a backup stamped a moment in the future (clock skew)
    assert days_ago(1) == "vor 1 Tag"
    assert days_ago(9) == "vor 9 Tagen"


@given(st.integers(min_value=0, max_value=10**7))
def test_the_noun_agrees_with_the_count(n: int) -> None:
    text = plural(n, "Frist", "Fristen")
    assert text.endswith(" Frist") == (n == 1)
    assert text.replace(".", "").split()[0] == str(n)


def test_a_heading_never_doubles_bitte() -> None:
    assert ask("Bitte prüfen:", ["Bitte den Vornamen angeben.", "Bitte die Kommune wählen."]) \
        == "Bitte den Vornamen angeben. Bitte die Kommune wählen."
    assert ask("Bitte prüfen:", ["Das Geburtsdatum liegt vor 1900."]) \
        == "Bitte prüfen: Das Geburtsdatum liegt vor 1900."
    assert "Bitte prüfen: Bitte" not in ask("Bitte prüfen:", ["Bitte das Geburtsdatum angeben."])
