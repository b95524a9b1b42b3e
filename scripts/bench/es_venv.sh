#!/usr/bin/env bash
# Make sure a venv for the benchmarks' eventsourcing scripts is there, with eventsourcing 9.5.6:
#
#   scripts/bench/es_venv.sh VENV REQUIREMENTS
#
# Makes VENV with `pip install -r REQUIREMENTS` (exact pins) when VENV/bin/python does not exist, then checks
# the version of eventsourcing in it. Used by scripts/bench-stores.sh (sample-data/eventsourcing's pins) and
# scripts/bench-pg-store.sh (sample-data/postgres/eventsourcing's, which add psycopg).
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 VENV REQUIREMENTS" >&2; exit 2; }
venv=$1
requirements=$2
if [[ ! -x $venv/bin/python ]]; then
    echo "making $venv with $requirements" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$requirements"
fi
"$venv/bin/python" -c 'import importlib.metadata as m; v = m.version("eventsourcing"); assert v == "9.5.6", v' \
    || { echo "error: $venv does not have eventsourcing==9.5.6" >&2; exit 1; }
