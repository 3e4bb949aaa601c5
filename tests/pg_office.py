"""A private PostgreSQL server for the tests (its own data folder and socket in a temporary
folder; started as the ``postgres`` user when the tests run as root, since initdb refuses root),
and a keyring that keeps passwords in memory."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

from keyring.backend import KeyringBackend

# A user that must give its password (scram), for the wrong-password test; every other
# log-in over the private socket is trusted.
PASSWORD_USER = "pd_secure"
PASSWORD = "correct horse"


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError(
        "PostgreSQL is not installed (Debian: apt-get install postgresql; ./run-tests installs it)."
    )


class PrivateServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.bin = _pg_bin()
        self._names = itertools.count(1)
        self.as_root = os.geteuid() == 0

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = list(command)
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.folder, "postgres")
        os.chmod(self.folder, 0o700)
        done = self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        hba = self.data / "pg_hba.conf"
        hba.write_text(
            f"local all {PASSWORD_USER} scram-sha-256\n" + hba.read_text(), encoding="utf-8"
        )
        self.pg_ctl("start")

    def pg_ctl(self, action: str) -> None:
        options = f"-k {self.folder} -c listen_addresses='' -c fsync=off"
        argv = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log")]
        if action == "start":
            argv += ["-o", options, "-w", "start"]
        else:
            argv += ["-m", "fast", "-w", "stop"]
        done = self._run(*argv, check=False)
        if done.returncode:
            log = (self.folder / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl {action} failed: {done.stderr.strip()}\n{log}")

    def kill(self) -> None:
        """SIGKILL the server's main process (and so every backend)."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 9)
        # Its children notice the postmaster is gone and exit; wait for the socket to go.
        for _ in range(200):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            import time

            time.sleep(0.05)

    def restart_after_kill(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop")

    def dsn(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.folder} dbname={database} user={user}"

    def execute(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.dsn(database), autocommit=True) as conn:
            conn.execute(statement.encode())

    def fresh_database(self) -> str:
        name = f"office_{next(self._names)}"
        self.execute(f"CREATE DATABASE {name}")
        return self.dsn(name)


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)
