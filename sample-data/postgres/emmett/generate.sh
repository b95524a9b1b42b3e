#!/usr/bin/env bash
# Writes ../emmett.sql and expected.json with Emmett's own PostgreSQL event store (see README.md).
# usage: bash generate.sh SERVER_DIR   (the directory given to scripts/pg-server.sh start; run `npm ci` first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=${1:?usage: generate.sh SERVER_DIR}
pgs=(python3 "$here/../pgsamples.py" "$server")
"${pgs[@]}" recreate emmett
url=$("${pgs[@]}" url emmett)
(cd "$here" && npx --no-install tsx generate.ts "$url")
# Stream rows are updated on every append and move within their table: list them in key order.
"${pgs[@]}" dump emmett public.emt_streams_emt_default_active:emt_streams_emt_default_active_pkey
