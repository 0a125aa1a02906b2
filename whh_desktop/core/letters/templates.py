"""Letter texts as Jinja2 templates: shipped in ``resources/letters/<code>.j2``, with a site-level override copy
kept in the store (``Setting`` rows ``letters.template.<code>``, edited by the admin).

A template's first line is ``# Betreff``; the rest is the body in the light markup of ``layout.py``. Every field
of ``fields.FIELDS`` and ``fields.STATE_FIELDS`` is defined (empty when unknown); a name that is not a field is an
error, so a typo in an edited template is caught with its line instead of printing a gap.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Mapping

import jinja2
from jinja2 import meta
from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.errors import WhhError
from whh_desktop.core.letters.fields import FIELDS, STATE_FIELDS
from whh_desktop.core.store.models import Setting
from whh_desktop.resources import resource

OVERRIDE_PREFIX = "letters.template."
MAX_TEMPLATE = 50_000

_MESSAGES = (  # Jinja's English messages, in German for the admin who edits a template
    ("unexpected end of template", "Die Vorlage endet unerwartet – fehlt ein {% endif %} oder {% endfor %}?"),
    ("unexpected '}'", "Eine Klammer »}« steht allein – Platzhalter werden als {{ name }} geschrieben."),
    ("unexpected char", "Unerwartetes Zeichen"),
    ("Encountered unknown tag", "Unbekannter Befehl"),
    ("expected token", "Hier fehlt etwas oder steht etwas zu viel"),
    ("is undefined", "Unbekannter Platzhalter"),
    ("unexpected", "Unerwartetes Zeichen oder Wort"),
)


class TemplateBroken(WhhError):
    """A letter template cannot be used; the message names the template, the line and the problem."""

    def __init__(self, message: str, template: str, line: int | None) -> None:
        super().__init__(message)
        self.template, self.line = template, line


def _german(message: str) -> str:
    for english, german in _MESSAGES:
        if english in message:
            return f"{german} ({message})"
    return message


def _broken(name: str, line: int | None, message: str) -> TemplateBroken:
    where = f" in Zeile {line}" if line else ""
    return TemplateBroken(f"Die Briefvorlage »{name}« ist fehlerhaft{where}: {_german(message)}", name, line)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, autoescape=False)
    env.filters["oder"] = lambda value, default="": value or default
    return env


_ENV = _environment()


@functools.lru_cache(maxsize=64)
def _compiled(name: str, source: str) -> jinja2.Template:
    try:
        code = _ENV.compile(source, name=name, filename=name)
    except jinja2.TemplateSyntaxError as exc:
        raise _broken(name, exc.lineno, exc.message or str(exc)) from None
    return jinja2.Template.from_code(_ENV, code, _ENV.make_globals(None))


def check(name: str, source: str) -> None:
    """Raise ``TemplateBroken`` if the template has a syntax error, uses an unknown field or lacks its subject."""
    if len(source) > MAX_TEMPLATE:
        raise _broken(name, None, f"Die Vorlage ist zu lang (höchstens {MAX_TEMPLATE} Zeichen).")
    _compiled(name, source)
    unknown = sorted(variables(source) - set(FIELDS) - set(STATE_FIELDS))
    if unknown:
        line = next((i for i, text in enumerate(source.splitlines(), 1) if unknown[0] in text), None)
        raise _broken(name, line, f"Unbekannter Platzhalter »{unknown[0]}«. Erlaubt sind die Felder aus "
                                  "resources/letters/README.md.")
    render_text(name, source, dict.fromkeys(FIELDS, "x") | dict.fromkeys(STATE_FIELDS, ""))


def variables(source: str) -> set[str]:
    """Field names a template uses."""
    try:
        return set(meta.find_undeclared_variables(_ENV.parse(source)))
    except jinja2.TemplateSyntaxError:
        return set()


def render_text(name: str, source: str, values: Mapping[str, str]) -> tuple[str, str]:
    """Subject and body of a letter: the template rendered with ``values`` (every field defined)."""
    template = _compiled(name, source)
    context = dict.fromkeys(FIELDS, "") | dict.fromkeys(STATE_FIELDS, "") | dict(values)
    try:
        text = template.render(context)
    except jinja2.TemplateError as exc:
        raise _broken(name, _line_of(exc, name), str(exc)) from None
    lines = text.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise _broken(name, 1, "Die erste Zeile muss mit »# « den Betreff enthalten.")
    return lines[0][2:].strip(), "\n".join(lines[1:]).strip()


def _line_of(exc: BaseException, name: str) -> int | None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == name]
    return frames[-1].lineno if frames else getattr(exc, "lineno", None)


# ---- sources: shipped and site override ------------------------------------------------------------------------
def shipped_source(code: str) -> str:
    return resource("letters", f"{code}.j2").read_text(encoding="utf-8")


def overrides(session: Session) -> dict[str, str]:
    """The site's edited templates by letter code."""
    rows = session.execute(select(Setting).where(Setting.key.startswith(OVERRIDE_PREFIX))).scalars()
    return {row.key[len(OVERRIDE_PREFIX):]: str(row.value) for row in rows if row.value}


def source_for(session: Session, code: str) -> tuple[str, bool]:
    """The template text in use and whether it is the site's own copy."""
    own = overrides(session).get(code)
    return (own, True) if own else (shipped_source(code), False)
