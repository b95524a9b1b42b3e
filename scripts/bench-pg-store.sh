#!/usr/bin/env bash
# Write the PostgreSQL store of scripts/bench-pg.sh into a server started by scripts/pg-server.sh:
#
#   scripts/pg-server.sh start /tmp/pgb        # a throwaway server (prints its reader URL)
#   scripts/bench-pg-store.sh /tmp/pgb         # database bench_es, about 2 minutes on 2 cores, ~500 MB
#   scripts/bench-pg-store.sh /tmp/pgb --check # only read it back through the library
#
# bench_es is in the layout eventsourcing 9.5.6's PostgreSQL module writes (the library creates the tables,
# indexes, type and NOTIFY function itself; the DDL is that of sample-data/postgres/eventsourcing_bank.sql) and
# holds the events of the SQLite bench store, es-bank.sqlite: 1,191,468 events in 100,001 BankAccount streams,
# one of 200,000 events, each row made by the library's mapper and loaded by COPY (scripts/bench/es_pg_store.py
# says how). A database bench_es already holding that many rows is not written again. Either way the script
# reads the 200,000-event stream and a small one back through the library's `repository.get` and compares
# them with what the generator wrote, then prints the store's manifest (JSON, one line: ids, counts, sizes)
# on stdout; it is also kept as SERVER_DIR/bench_es.json.
#
# The library runs in a venv with sample-data/postgres/eventsourcing/requirements.txt: $EVENTSCOPE_BENCH_PG_VENV
# (default /tmp/es-pg-venv), made with those exact pins when it does not exist. Progress goes to stderr.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${EVENTSCOPE_BENCH_PG_VENV:-/tmp/es-pg-venv}

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 SERVER_DIR [--check]" >&2; exit 2; }
server=$1
[[ -f $server/admin.env ]] || { echo "error: $server/admin.env not found: start a server with scripts/pg-server.sh start $server" >&2; exit 1; }

"$repo/scripts/bench/es_venv.sh" "$venv" "$repo/sample-data/postgres/eventsourcing/requirements.txt"

started=$SECONDS
"$venv/bin/python" "$repo/scripts/bench/es_pg_store.py" "$@"
echo "bench-pg-store.sh: $((SECONDS - started)) s in all" >&2
