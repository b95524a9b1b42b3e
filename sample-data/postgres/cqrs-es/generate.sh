#!/usr/bin/env bash
# Writes ../cqrs_es.sql and expected.json with cqrs-es + postgres-es (see README.md).
# usage: bash generate.sh SERVER_DIR   (the directory given to scripts/pg-server.sh start; needs cargo)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=${1:?usage: generate.sh SERVER_DIR}
pgs=(python3 "$here/../pgsamples.py" "$server")
"${pgs[@]}" recreate cqrs_es
url=$("${pgs[@]}" url cqrs_es)
(cd "$here/generator" && cargo run --release --locked -- "$url" "$here/expected.json")
# postgres-es writes through a pool of connections, and updates a view row on every event: list the rows of
# each table in key order.
"${pgs[@]}" dump cqrs_es public.events:events_pkey public.snapshots:snapshots_pkey \
  public.bank_account_query:bank_account_query_pkey
