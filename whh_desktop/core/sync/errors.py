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
