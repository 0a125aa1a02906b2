"""``whh keys export|import|fingerprint|escrow|liste``: the key exchange between sites and district (DESIGN.md §4).

A key is only taken over with the fingerprint compared on the phone (``--bestaetigt``); secrets (the escrow key) are
written once, user-only, never over an existing file."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain import labels
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import site_settings, sync_keys
from whh_desktop.core.store import permissions


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("keys", parents=[common], help="Schlüssel austauschen (Sync zwischen Standorten und Kreis)")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("export", parents=[common], help="eigene öffentliche Schlüsseldatei schreiben")
    q.add_argument("-o", "--output", required=True, help="Datei, z. B. loehne.whhkey")
    q = aktion.add_parser("import", parents=[common], help="Schlüsseldatei der anderen Stelle einlesen")
    q.add_argument("file", metavar="DATEI")
    q.add_argument("--bestaetigt", metavar="FINGERABDRUCK", help="am Telefon verglichener Fingerabdruck")
    q = aktion.add_parser("fingerprint", parents=[common], help="eigenen Fingerabdruck (oder den einer Datei) zeigen")
    q.add_argument("file", metavar="DATEI", nargs="?", help="Schlüsseldatei (ohne Anmeldung)")
    q = aktion.add_parser("escrow", parents=[common], help="Kreis: Escrow-Schlüssel erzeugen (nur einmal sichtbar)")
    q.add_argument("-o", "--output", required=True, help="Datei für den geheimen Escrow-Schlüssel")
    q.add_argument("--pdf", help="zusätzlich ein Blatt für den Tresor")
    q = aktion.add_parser("liste", parents=[common], help="eingelesene Schlüssel zeigen")
    q.add_argument("--alle", action="store_true", help="auch widerrufene und ersetzte")
    p.set_defaults(func=run_keys)


def run_keys(ctx: CliContext) -> int:
    a = ctx.args
    if a.aktion == "fingerprint" and a.file:  # a file's fingerprint needs no login
        data = _read_limited(Path(a.file), sync_keys.MAX_KEY_FILE)
        fp = sync_keys.fingerprint(data)
        ctx.out({"datei": str(Path(a.file).resolve()), "fingerprint": fp}, f"Fingerabdruck der Datei: {fp}")
        return 0
    with ctx.opened() as (store, user):
        if a.aktion == "export":
            data = sync_keys.public_key_file(store)
            Path(a.output).write_bytes(data)
            body = json.loads(data)
            fp = sync_keys.fingerprint(data)
            ctx.out({"datei": str(Path(a.output).resolve()), "fingerprint": fp, "key_id": body["key_id"],
                     "site": body["site"], "escrow": body["escrow"] is not None},
                    f"Öffentliche Schlüsseldatei gespeichert: {a.output}\nFingerabdruck: {fp}\n"
                    "Bitte den Fingerabdruck der anderen Stelle am Telefon vorlesen.")
        elif a.aktion == "fingerprint":
            data = sync_keys.public_key_file(store)
            fp = sync_keys.fingerprint(data)
            ctx.out({"fingerprint": fp, "key_id": json.loads(data)["key_id"]}, f"Eigener Fingerabdruck: {fp}")
        elif a.aktion == "import":
            data = _read_limited(Path(a.file), sync_keys.MAX_KEY_FILE)
            fp = sync_keys.fingerprint(data)
            if not a.bestaetigt:
                raise WhhError(f"Fingerabdruck der Datei: {fp}\nBitte mit der anderen Stelle am Telefon "
                               "vergleichen und dann mit --bestaetigt FINGERABDRUCK erneut aufrufen. Der "
                               "Schlüssel wurde noch NICHT übernommen.")
            key = sync_keys.import_public_key(store, user, data, a.bestaetigt)
            ctx.out({"key_id": key.key_id, "site": key.site, "role": key.role, "fingerprint": fp},
                    f"Schlüssel von {site_label(key.site)} übernommen (Schlüssel-ID {key.key_id}).")
        elif a.aktion == "escrow":
            escrow_file, fp = sync_keys.create_escrow(store, user)
            _write_new(Path(a.output), escrow_file)
            if a.pdf:
                with store.read_session() as s:
                    letterhead = site_settings.load(s).letterhead
                _write_new(Path(a.pdf), sync_keys.escrow_sheet(escrow_file, letterhead, datetime.now(UTC)))
            ctx.out({"datei": str(Path(a.output).resolve()), "fingerprint": fp},
                    f"Escrow-Schlüssel gespeichert: {a.output}\nFingerabdruck: {fp}\nDiese Datei wird nur "
                    "jetzt erzeugt: offline im Tresor aufbewahren. Danach die eigene Schlüsseldatei neu "
                    "exportieren und an die Standorte geben.")
        else:  # liste
            keys = sync_keys.list_keys(store)
            lines = [f"{k.key_id}  {site_label(k.site):<14} {labels.key_role(k.role):<24} {k.fingerprint}"
                     + ("" if k.active else f"  widerrufen {(k.revoked_at or '')[:10]}: {k.revoked_reason}")
                     for k in keys if k.active or a.alle]
            ctx.out([k.as_dict() for k in keys], "\n".join(lines) or "Noch keine Schlüssel eingelesen.")
    return 0


def site_label(code: str) -> str:
    """A site's name; a code this version does not know (a newer one's, or a damaged file's) as it is."""
    try:
        return SiteCode(code).label
    except ValueError:
        return code


def _read_limited(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise WhhError(f"Die Datei {path} kann nicht gelesen werden ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise WhhError(f"Die Datei {path} ist zu groß.")
    return data


def _write_new(path: Path, data: bytes) -> None:
    """Secrets are written once and never over an existing file."""
    try:
        permissions.write_private(path, data, exclusive=True)
    except FileExistsError:
        raise WhhError(f"Die Datei {path} gibt es schon; sie wird nicht überschrieben.") from None
