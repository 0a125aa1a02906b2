"""Why a bundle is refused: a German message for the user and a stable code for tests and logs."""

from __future__ import annotations

from whh_desktop.core.errors import WhhError

REFUSAL_CODES = frozenset({
    "empty", "truncated", "not_a_bundle", "format_too_new", "format_too_old", "header_too_large",
    "header_invalid", "unknown_sender", "revoked_sender", "bad_signature", "not_for_us", "decrypt_failed",
    "payload_too_large", "payload_invalid", "not_a_file", "unreadable", "too_many_rows",
})


class BundleRefused(WhhError):
    """A bundle that is not read. ``str(err)`` is the German reason; ``code`` is one of ``REFUSAL_CODES``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        if code not in REFUSAL_CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        self.code = code


# German reasons, one per refusal code.
_REASONS = {
    "empty": "Die Datei ist leer. Bitte die Exportdatei erneut kopieren.",
    "truncated": "Die Datei ist unvollständig (abgeschnitten). Bitte die Exportdatei erneut kopieren.",
    "not_a_bundle": "Die Datei ist keine Exportdatei von WHH Desktop (.whhb).",
    "format_too_new": "Die Exportdatei stammt von einer neueren Programmversion. Bitte WHH Desktop aktualisieren.",
    "format_too_old": "Die Exportdatei stammt von einer zu alten Programmversion. Bitte am Standort WHH Desktop "
                      "aktualisieren und neu exportieren.",
    "header_too_large": "Die Datei ist beschädigt: der Kopfteil ist unzulässig groß.",
    "header_invalid": "Die Datei ist beschädigt: der Kopfteil ist ungültig.",
    "unknown_sender": "Die Exportdatei ist von einem unbekannten Absender. Ihr Schlüssel wurde hier nicht "
                      "eingelesen und bestätigt (»Austausch → Schlüssel«).",
    "revoked_sender": "Die Exportdatei ist mit einem widerrufenen oder ersetzten Schlüssel unterschrieben und "
                      "wird nicht eingelesen.",
    "bad_signature": "Die Unterschrift der Exportdatei passt nicht: die Datei wurde nach dem Export verändert "
                     "oder ist beschädigt.",
    "not_for_us": "Die Exportdatei ist nicht für diese Stelle bestimmt.",
    "decrypt_failed": "Die Exportdatei lässt sich nicht entschlüsseln: sie ist beschädigt oder wurde verändert.",
    "payload_too_large": "Die Exportdatei ist unzulässig groß und wird nicht eingelesen.",
    "payload_invalid": "Der Inhalt der Exportdatei ist beschädigt.",
    "not_a_file": "Das ist keine gewöhnliche Datei (sondern z. B. ein Ordner oder ein Gerät) und wird nicht "
                  "gelesen.",
    "unreadable": "Die Datei kann nicht gelesen werden.",
    "too_many_rows": "Die Exportdatei enthält mehr Datensätze, als eine Datei enthalten darf, und wird nicht "
                     "eingelesen.",
}


def refuse(code: str, detail: str | None = None) -> BundleRefused:
    """A ``BundleRefused`` with the standard German reason for ``code`` (plus an optional detail sentence)."""
    message = _REASONS[code] if detail is None else f"{_REASONS[code]} {detail}"
    return BundleRefused(message, code)
