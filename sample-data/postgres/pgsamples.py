"""Shared plumbing for the PostgreSQL sample generators (standard library only).

Every generator in ``sample-data/postgres/<library>/`` writes through its library against a throwaway server
started with ``scripts/pg-server.sh start DIR``, then dumps the database it wrote to
``sample-data/postgres/<database>.sql``, the file ``pg-server.sh`` loads into a database of the same name.
This module reads the server's ``DIR/admin.env``, recreates a database, and dumps it deterministically.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POSTGRES_DIR = Path(__file__).resolve().parent

# pg_dump >= 15.14 writes `\restrict KEY` with a random key unless it is given one: fixed, so that a dump of
# the same rows is the same file.
RESTRICT_KEY = "eventscope"


@dataclass(frozen=True)
class Server:
    admin_url: str  # postgres://eventscope_admin:admin@127.0.0.1:PORT (no database)
    bindir: Path

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return int(self.admin_url.rsplit(":", 1)[1])

    def url(self, database: str) -> str:
        return f"{self.admin_url}/{database}"

    def psql(self, database: str, sql: str) -> str:
        return subprocess.run(
            [str(self.bindir / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.url(database)],
            input=sql, text=True, check=True, capture_output=True, env=_clean_env(),
        ).stdout

    def recreate_database(self, name: str) -> None:
        self.psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE);\nCREATE DATABASE {name};\n")

    def cluster(self, database: str, table: str, index: str) -> None:
        """Rewrite TABLE in INDEX order, so the dump lists its rows in that order.

        A library writing through a pool of connections spreads its rows over pages (each backend keeps its
        own insertion target page), so the physical order, which pg_dump's COPY follows, is not the order
        they were written in and can change between runs. CLUSTER fixes it; SET WITHOUT CLUSTER keeps the
        dumped DDL as the library made it. The rows themselves are not changed.
        """
        self.psql(database, f"CLUSTER {table} USING {index};\nALTER TABLE {table} SET WITHOUT CLUSTER;\n")

    def dump(self, name: str) -> Path:
        """pg_dump --no-owner --no-privileges (COPY rows, in the order they were written) to <name>.sql."""
        out = POSTGRES_DIR / f"{name}.sql"
        text = subprocess.run(
            [str(self.bindir / "pg_dump"), "--no-owner", "--no-privileges", f"--restrict-key={RESTRICT_KEY}",
             "-d", self.url(name)],
            text=True, check=True, capture_output=True, env=_clean_env(),
        ).stdout
        out.write_text(text)
        print(f"{out.name}: {out.stat().st_size} bytes")
        return out


def server(directory: str | os.PathLike[str]) -> Server:
    """The server `scripts/pg-server.sh start DIRECTORY` started (from DIRECTORY/admin.env)."""
    env_file = Path(directory) / "admin.env"
    if not env_file.is_file():
        raise SystemExit(f"{env_file} not found: start a server with scripts/pg-server.sh start {directory}")
    values = dict(
        line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line
    )
    return Server(admin_url=values["EVENTSCOPE_PG_ADMIN"], bindir=Path(values["EVENTSCOPE_PG_BINDIR"]))


def server_from_argv(argv: list[str]) -> Server:
    """The server named by a generator's one argument, SERVER_DIR."""
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} SERVER_DIR  (the directory given to scripts/pg-server.sh start)")
    return server(argv[1])


def write_expected(folder: Path, summary: dict[str, Any]) -> None:
    """FOLDER/expected.json: indented, UTF-8 as is, one trailing newline."""
    out = folder / "expected.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


def _clean_env() -> dict[str, str]:
    """The caller's environment without libpq's PG* variables, so only the URL decides the server."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def main(argv: list[str]) -> None:
    """For generators in other languages: `python3 pgsamples.py SERVER_DIR url|recreate|dump DATABASE`."""
    usage = "usage: pgsamples.py SERVER_DIR url|recreate|dump DATABASE  (dump: [TABLE:INDEX ...] to CLUSTER first)"
    if len(argv) < 4 or argv[2] not in ("url", "recreate", "dump"):
        raise SystemExit(usage)
    srv, action, database = server(argv[1]), argv[2], argv[3]
    if action == "url":
        print(srv.url(database))
    elif action == "recreate":
        srv.recreate_database(database)
    else:
        for spec in argv[4:]:
            table, _, index = spec.partition(":")
            srv.cluster(database, table, index)
        srv.dump(database)


if __name__ == "__main__":
    import sys

    main(sys.argv)
