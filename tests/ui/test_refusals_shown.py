"""A refusal from the store reaches the user as its German text, not as "unerwarteter Fehler"."""

from __future__ import annotations

import pytest

from whh_desktop.core.errors import OwnedByAnotherSite
from whh_desktop.core.store.models import Person
from whh_desktop.ui import messages


def test_changing_a_row_of_another_site_shows_the_german_refusal(unlocked) -> None:
    store, user = unlocked
    with store.session(user.username) as s:
        person = Person(family_name="Fremd", origin_site="kreis", owner_site="kreis")
        s.add(person)
    with pytest.raises(OwnedByAnotherSite) as err, store.session(user.username) as s:
        s.get(Person, person.id).family_name = "Geändert"
    shown = messages.error_text(err.value)
    assert shown == "Diesen Eintrag führt der Kreis; hier kann er nicht geändert werden."
    assert shown != messages.UNEXPECTED
    assert messages.error_text(PermissionError("row owned by another site")) == messages.UNEXPECTED
