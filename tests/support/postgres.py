"""A throwaway PostgreSQL cluster for tests.

``throwaway_postgres()`` runs ``initdb`` in a fresh temporary directory, starts the server on a
free port of 127.0.0.1 (Unix socket inside the same directory, durability turned off for speed),
creates a database and yields a SQLAlchemy URL for it. On exit the server is stopped with
``pg_ctl stop -m immediate`` and the directory removed, whether or not the body raised.

Binaries are looked up in ``$CONCIERGE_PG_BIN``, then on ``PATH``, then in the newest
``/usr/lib/postgresql/*/bin``. PostgreSQL refuses to run as root, so when the tests run as root
the server commands run as the ``postgres`` system user (``runuser -u postgres --``), which owns
the temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

USER = "concierge"
DEFAULT_DATABASE = "concierge"
STARTUP_TIMEOUT = 30.0
SYSTEM_USER_WHEN_ROOT = "postgres"
REQUIRED_BINARIES = ("initdb", "pg_ctl")

# Test-only settings: nothing here is durable, and nothing listens beyond loopback.
SERVER_SETTINGS: dict[str, str] = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "timezone": "'UTC'",
    "log_timezone": "'UTC'",
}


@dataclass(frozen=True)
class PostgresCluster:
    """A running throwaway cluster."""

    url: str
    port: int
    directory: Path
    bin_dir: Path


def find_bin_dir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``, or a RuntimeError saying where we looked."""
    override = os.environ.get("CONCIERGE_PG_BIN")
    if override:
        if all(os.access(Path(override) / name, os.X_OK) for name in REQUIRED_BINARIES):
            return Path(override)
        raise RuntimeError(
            f"CONCIERGE_PG_BIN={override!r} does not contain executable initdb and pg_ctl"
        )
    candidates: list[Path] = []
    initdb_on_path = shutil.which("initdb")
    if initdb_on_path:
        candidates.append(Path(initdb_on_path).resolve().parent)
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True))
    for candidate in candidates:
        if all(os.access(candidate / name, os.X_OK) for name in REQUIRED_BINARIES):
            return candidate
    looked = ", ".join(str(c) for c in candidates) or "none found"
    raise RuntimeError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
        "/usr/lib/postgresql/*/bin; install the PostgreSQL server or set CONCIERGE_PG_BIN to "
        f"their directory (candidates checked: {looked})"
    )


def _version(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name)) or (0,)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Runner:
    """Runs server commands as the current user, or as ``postgres`` when we are root."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.prefix: list[str] = []
        self.owner: tuple[int, int] | None = None
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                raise RuntimeError("running as root but `runuser` is not available")
            try:
                account = pwd.getpwnam(SYSTEM_USER_WHEN_ROOT)
            except KeyError:
                raise RuntimeError(
                    f"running as root, but there is no {SYSTEM_USER_WHEN_ROOT!r} system user "
                    "to run PostgreSQL as (PostgreSQL refuses to run as root)"
                ) from None
            self.owner = (account.pw_uid, account.pw_gid)
            os.chown(directory, *self.owner)
            self.prefix = [runuser, "-u", SYSTEM_USER_WHEN_ROOT, "--"]

    def write_text(self, path: Path, text: str) -> None:
        path.write_text(text)
        if self.owner is not None:
            os.chown(path, *self.owner)

    def run(
        self, args: Sequence[str | Path], *, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        command = [*self.prefix, *(str(arg) for arg in args)]
        result = subprocess.run(
            command,
            cwd=self.directory,  # root's cwd may be unreadable for the postgres user
            env=_clean_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"`{' '.join(command)}` exited with {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result


def _clean_env() -> dict[str, str]:
    """The environment without PG* variables that could redirect the server commands."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def _log_tail(log: Path, lines: int = 40) -> str:
    try:
        text = log.read_text(errors="replace")
    except OSError as exc:
        return f"(no server log: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


def _wait_until_ready(port: int, log: Path, deadline: float) -> None:
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(
                host="127.0.0.1", port=port, user=USER, dbname="postgres", connect_timeout=2
            ) as connection:
                connection.execute("SELECT 1")
                return
        except psycopg.OperationalError as exc:
            last_error = exc
            time.sleep(0.1)
    raise RuntimeError(
        f"PostgreSQL on 127.0.0.1:{port} did not accept connections in time "
        f"(last error: {last_error}).\nServer log tail:\n{_log_tail(log)}"
    )


@contextlib.contextmanager
def postgres_cluster(
    database: str = DEFAULT_DATABASE, *, startup_timeout: float = STARTUP_TIMEOUT
) -> Iterator[PostgresCluster]:
    """Start a throwaway cluster, yield it, and always stop it and delete its files."""
    bin_dir = find_bin_dir()
    directory = Path(tempfile.mkdtemp(prefix="concierge-pg-"))
    started = False
    data = directory / "data"
    runner: _Runner | None = None
    try:
        runner = _Runner(directory)
        runner.run(
            [
                bin_dir / "initdb",
                "-D",
                data,
                "--auth=trust",
                "-U",
                USER,
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        log = directory / "server.log"
        deadline = time.monotonic() + startup_timeout
        for attempt in range(3):
            port = free_port()
            settings = {
                **SERVER_SETTINGS,
                "port": str(port),
                "unix_socket_directories": f"'{directory}'",
            }
            # postgresql.auto.conf is read last, so these win over postgresql.conf.
            runner.write_text(
                data / "postgresql.auto.conf",
                "".join(f"{key} = {value}\n" for key, value in settings.items()),
            )
            seconds = max(1, int(deadline - time.monotonic()))
            start = runner.run(
                [bin_dir / "pg_ctl", "start", "-D", data, "-l", log, "-w", "-t", str(seconds)],
                check=False,
            )
            started = True  # even a failed start may leave a postmaster behind; stop it below
            if start.returncode == 0:
                break
            tail = _log_tail(log)
            if attempt < 2 and "could not bind" in tail and time.monotonic() < deadline:
                continue  # someone took the port between free_port() and bind; try another
            raise RuntimeError(
                f"PostgreSQL did not start (pg_ctl exited with {start.returncode}).\n"
                f"pg_ctl output:\n{start.stdout}{start.stderr}\nServer log tail:\n{tail}"
            )
        _wait_until_ready(port, log, deadline)
        with psycopg.connect(
            host="127.0.0.1", port=port, user=USER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        yield PostgresCluster(
            url=f"postgresql+psycopg://{USER}@127.0.0.1:{port}/{database}",
            port=port,
            directory=directory,
            bin_dir=bin_dir,
        )
    finally:
        if started and runner is not None:
            runner.run(
                [bin_dir / "pg_ctl", "stop", "-D", data, "-m", "immediate", "-w"], check=False
            )
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def throwaway_postgres(
    database: str = DEFAULT_DATABASE, *, startup_timeout: float = STARTUP_TIMEOUT
) -> Iterator[str]:
    """Yield ``postgresql+psycopg://concierge@127.0.0.1:PORT/<database>`` of a throwaway cluster.

    The URL works for SQLAlchemy sync and async engines; the ``concierge`` role is a superuser
    with trust authentication, so it can create more databases in the same cluster.
    """
    with postgres_cluster(database, startup_timeout=startup_timeout) as cluster:
        yield cluster.url
