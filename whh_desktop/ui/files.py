"""File and folder choosers. One place, so tests patch them instead of opening a native dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def choose_save_path(parent: QWidget | None, title: str, suggested_name: str, filter_text: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested_name), filter_text)
    return Path(name) if name else None


def choose_directory(parent: QWidget | None, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, str(Path.home()))
    return Path(name) if name else None


def choose_open_path(parent: QWidget | None, title: str, filter_text: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), filter_text)
    return Path(name) if name else None
