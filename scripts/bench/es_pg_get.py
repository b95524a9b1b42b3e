#!/usr/bin/env python3
"""The library's own replay on PostgreSQL, the second peer of `eventscope state` in scripts/bench-pg.sh.

    /tmp/es-pg-venv/bin/python scripts/bench/es_pg_get.py SERVER_DIR AGGREGATE_ID

Opens bench_es (written by es_pg_store.py) through `bankdomain.Banking` with eventsourcing.postgres, as the
read-only role eventscope_reader, snapshotting off; loads the aggregate with `app.repository.get` (every event
selected, decoded by the library's transcoder and applied by the aggregate's own methods) and prints its state
as JSON. The benchmark times the whole process, as it times the whole `eventscope state` process; the seconds
spent in `repository.get` alone go to stderr (`get_secs=...`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent))

from es_pg_store import pgsamples, reader_env  # noqa: E402  (also cleans os.environ, puts bankdomain on the path)

from bankdomain import Banking  # noqa: E402
from es_get import get_and_print  # noqa: E402


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(f"usage: {sys.argv[0]} SERVER_DIR AGGREGATE_ID")
    srv, aggregate_id = pgsamples.server(sys.argv[1]), UUID(sys.argv[2])
    get_and_print(Banking(env=reader_env(srv)), aggregate_id)


if __name__ == "__main__":
    main()
