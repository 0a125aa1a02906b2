"""What closing a case does to its Wohnungsnotfall category (DOMAIN.md: "ehemals wohnungslos" means placed in
housing after being homeless, receiving follow-up support)."""

from __future__ import annotations

from whh_desktop.core.domain.enums import Category, Outcome

# the outcomes in which the person has a flat of their own when the case closes
FLAT_OUTCOMES = frozenset({Outcome.NEUE_WOHNUNG, Outcome.WOHNUNG_ERHALTEN})


def category_on_closing(category: Category | None, outcome: Outcome) -> Category | None:
    """The category to record on closing, or None when it stays as it is.

    Only someone who was homeless (a wohnungslos category) and got a flat becomes "ehemals wohnungslos"; someone
    threatened with eviction or in unbearable housing who kept or got a flat was never homeless."""
    if category is not None and category.is_homeless and outcome in FLAT_OUTCOMES:
        return Category.EHEMALS
    return None
