#!/usr/bin/env bash
# Generate the three big stores of the side-by-side benchmark (scripts/bench.sh), skipping any already there:
#
#   es-bank.sqlite   written by eventsourcing 9.5.6's own code (scripts/bench/es_store.py): 1,191,468 events
#                    in 100,001 streams, one BankAccount stream of 200,000 events, no snapshots (~430 MB)
#   plain-5m.sqlite  shop.sqlite's plain `events` layout (scripts/bench/plain_store.py): 5,000,000 events in
#                    500,000 streams (~1 GB)
#   log-10m.sqlite   single_log.sqlite's layout, no stream column (scripts/bench/single_log.py): 10,000,000
#                    events (~800 MB)
#
# Each store gets a manifest (same name, .json) with its facts. The files are never committed: they go to
# $EVENTSCOPE_BENCH_DATA (default: target/bench-data in the checkout, which git ignores). The eventsourcing
# store needs a venv with sample-data/eventsourcing/requirements.txt: $EVENTSCOPE_BENCH_VENV (default
# /tmp/es-venv) is made and filled with those exact pins when it does not exist.
#
#   scripts/bench-stores.sh            # all three, about 15 minutes on 2 cores
#   rm target/bench-data/log-10m.*     # to write one again
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${EVENTSCOPE_BENCH_DATA:-$repo/target/bench-data}
venv=${EVENTSCOPE_BENCH_VENV:-/tmp/es-venv}
mkdir -p "$data"

"$repo/scripts/bench/es_venv.sh" "$venv" "$repo/sample-data/eventsourcing/requirements.txt"

# make NAME COMMAND...: run COMMAND (which writes $data/NAME.sqlite and its manifest) unless both exist.
make() {
    local name=$1
    shift
    if [[ -f $data/$name.sqlite && -f $data/$name.json ]]; then
        echo "$name.sqlite: already there, skipped" >&2
        return
    fi
    local started=$SECONDS
    "$@"
    echo "$name.sqlite: $((SECONDS - started)) s" >&2
}

make es-bank "$venv/bin/python" "$repo/scripts/bench/es_store.py" "$data/es-bank.sqlite"
make plain-5m python3 "$repo/scripts/bench/plain_store.py" "$data/plain-5m.sqlite" 5000000 500000
make log-10m python3 "$repo/scripts/bench/single_log.py" "$data/log-10m.sqlite" 10000000
ls -l "$data"/*.sqlite >&2
