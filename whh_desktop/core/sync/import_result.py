"""What an import did: rows written per kind, and the rows skipped with their German reason (a stale version, a
stale copy of a handed-over case, a withdrawn consent), listed up to ``MAX_SKIPPED_LISTED``."""

from __future__ import annotations

from dataclasses import dataclass, field

from whh_desktop.core.sync.payload_codec import hyphenated

REASON_OLDER = "älterer oder gleicher Stand als vorhanden"
REASON_OWNER = "gehört einem anderen Standort"
REASON_HANDED = "Fall wurde an einen anderen Standort übergeben"
REASON_WITHDRAWN = "Einwilligung inzwischen widerrufen (pseudonymer Stand ist neuer)"
MAX_SKIPPED_LISTED = 1000


@dataclass
class ApplyResult:
    """Counts per kind written and the skipped rows (the first ``MAX_SKIPPED_LISTED`` listed, all counted)."""

    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    skipped_total: int = 0

    def skip(self, entity: str, hex_id: str, reason: str) -> None:
        self.skipped_total += 1
        if len(self.skipped) < MAX_SKIPPED_LISTED:
            self.skipped.append({"entity": entity, "id": hyphenated(hex_id), "reason": reason})
