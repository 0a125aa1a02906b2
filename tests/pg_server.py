"""A throw-away PostgreSQL cluster for the district tests (issue 14), started from the installed server binaries.

``initdb``/``pg_ctl`` into a temp dir, listening only on a Unix socket in that dir (no TCP port to collide with
other runs). One cluster serves the whole run: the first xdist worker that needs it starts it under a file lock and
records it, the other workers attach to it (each test has its own databases), and the controlling pytest process
stops it at the end (``stop_shared_cluster``) — one initdb and start per run instead of one per worker.
PostgreSQL refuses to run as root, so under root (CI containers) the cluster belongs to the ``postgres`` system user
and is started through ``runuser``. Without the binaries the tests that need the server are skipped with a clear
reason — except under ``CI=true``, where a missing server is an error: CI installs PostgreSQL first (``.ci/run``),
so a skip there would hide a broken set-up.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SKIP_REASON = ("PostgreSQL-Tests übersprungen: initdb/pg_ctl nicht gefunden "
               "(Debian/Ubuntu: apt-get install postgresql; .ci/run installiert es selbst).")


def find_bindir() -> Path | None:
    """The directory of initdb/pg_ctl/pg_dump: $WHH_PG_BINDIR, PATH, or Debian's versioned directories."""
    if env := os.environ.get("WHH_PG_BINDIR"):  # also how to try the skip: a folder without initdb
        return Path(env) if (Path(env) / "initdb").exists() else None
    candidates = [shutil.which("initdb"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)]
    for found in candidates:
        if found and Path(found).exists():
            return Path(os.path.realpath(found)).parent
    return None


def _run_as(owner: str | None, args: list[str], **kwargs) -> subprocess.CompletedProcess:
    cmd = ["runuser", "-u", owner, "--", *args] if owner else args
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


@dataclass
class PgCluster:
    bindir: Path
    root: Path
    owner: str | None  # the system user running the server when we are root
    superuser: str = "whh_test"
    port: int = 54329

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if self.owner:
            shutil.chown(self.root, self.owner)
            shutil.chown(self.socket_dir, self.owner)
        _run_as(self.owner, [str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", self.superuser,
                             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = (f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=120")
        _run_as(self.owner, [str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-o", options,
                             "-l", str(self.root / "server.log"), "-w", "-t", "60", "start"])

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            _run_as(self.owner, [str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                                 "-w", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        """A SQLAlchemy URL for psycopg 3 over the Unix socket."""
        return (f"postgresql+psycopg://{user or self.superuser}@/{database}"
                f"?host={self.socket_dir}&port={self.port}")

    def conninfo(self, database: str = "postgres") -> str:
        """The libpq form, for psycopg directly and for pg_dump/pg_restore."""
        return f"host={self.socket_dir} port={self.port} user={self.superuser} dbname={database}"

    def create_database(self, prefix: str = "whh") -> str:
        """A new empty database; returns its name."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster() -> PgCluster | None:
    """A running cluster, or None when the binaries are missing (the caller skips or, in CI, fails)."""
    bindir = find_bindir()
    if bindir is None:
        return None
    owner = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="whh-pg-"))
    # The socket is per directory (one per run), the port only names the socket file.
    cluster = PgCluster(bindir=bindir, root=root, owner=owner)
    try:
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL-Testserver startet nicht: {exc.stderr}\n{log}") from exc
    return cluster


SHARED_DIR_ENV = "WHH_TEST_PG_SHARED_DIR"  # set by the controlling pytest process, inherited by the xdist workers


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl  # POSIX only, like the server binaries this module starts

    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_cluster(state_dir: Path) -> PgCluster | None:
    """The run's cluster: started by the first caller, the same one for every later caller (in any worker);
    None when the binaries are missing."""
    info = state_dir / "cluster.json"
    with _locked(state_dir / "cluster.lock"):
        if info.exists():
            data = json.loads(info.read_text(encoding="utf-8"))
            return PgCluster(bindir=Path(data["bindir"]), root=Path(data["root"]), owner=data["owner"])
        cluster = start_cluster()
        if cluster is not None:
            info.write_text(json.dumps({"bindir": str(cluster.bindir), "root": str(cluster.root),
                                        "owner": cluster.owner}), encoding="utf-8")
        return cluster


def stop_shared_cluster(state_dir: Path) -> None:
    """Stops the run's cluster if one was started, and removes the state folder."""
    info = state_dir / "cluster.json"
    if info.exists():
        data = json.loads(info.read_text(encoding="utf-8"))
        PgCluster(bindir=Path(data["bindir"]), root=Path(data["root"]), owner=data["owner"]).stop()
    shutil.rmtree(state_dir, ignore_errors=True)
