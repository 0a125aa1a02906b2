"""Find the shipped resources in a checkout, an installed wheel and a PyInstaller build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _root(name: str) -> Path:
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / name)
    candidates.append(_PACKAGE_DIR.parent / name)          # a checkout or an editable install
    candidates.append(_PACKAGE_DIR / f"_{name}")           # a wheel: mapped as package data
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError(f"Programmdateien fehlen: Ordner '{name}' nicht gefunden ({candidates[0]}).")


def resource(*parts: str) -> Path:
    """Path of a file below ``resources/``, e.g. ``resource("fonts", "DejaVuSans.ttf")``."""
    return _root("resources").joinpath(*parts)


def form(name: str) -> Path:
    """Path of a Qt Designer file in ``forms/``."""
    return _root("forms") / name
