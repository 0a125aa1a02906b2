"""Options every command accepts, and the parsing of option values that more than one command uses."""

from __future__ import annotations

import argparse
import uuid
from typing import Any, TypeAlias

from whh_desktop.core.errors import InvalidInput

# What ``add_subparsers`` returns: each command module's ``register(sub, common)`` adds its parser to it.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_common(p: argparse.ArgumentParser, *, top: bool) -> None:
    """``top`` for the main parser (real defaults); the copy given after a command has suppressed defaults, so it
    never overwrites a value given before the command."""
    default: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    p.add_argument("--data-dir", help="Datenordner (sonst WHH_DATA_DIR oder der Standardordner)", **default)
    p.add_argument("--user", help="Benutzername (sonst WHH_USER)", **default)
    p.add_argument("--password-stdin", action="store_true", help="Passwort aus der ersten Eingabezeile", **default)
    p.add_argument("--json", action="store_true", help="Ausgabe als JSON", **default)


def common_options() -> argparse.ArgumentParser:
    """The parent parser that gives every command and action the common options after its name."""
    common = argparse.ArgumentParser(add_help=False)
    add_common(common, top=False)
    return common


def field_arg(text: str) -> tuple[str, str]:
    """``NAME=WERT`` of ``--feld`` (letters) and ``--text`` (Sachbericht)."""
    key, sep, value = text.partition("=")
    if not sep:
        raise InvalidInput(f"--feld erwartet NAME=WERT, z. B. ratenhoehe=50,00 € (nicht »{text}«).", "feld")
    return key.strip(), value


def uuid_arg(text: str, flag: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput(f"{flag}: »{text}« ist keine gültige ID.", flag) from None
