#!/usr/bin/env bash
# The README's test command: every test (`cargo test`, arguments passed on), with a throwaway PostgreSQL
# server for the tests that read PostgreSQL stores, started here when EVENTSCOPE_TEST_PG does not already
# name one (`.ci/run` starts its own) and stopped when the tests end, whether they pass or not.
# Needs PostgreSQL's server binaries (Debian: `apt-get install postgresql`); without them it says so.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${EVENTSCOPE_TEST_PG:-}" ]; then
  pg_dir=$(mktemp -d)
  trap 'bash scripts/pg-server.sh stop "$pg_dir"' EXIT
  if ! pg_env=$(bash scripts/pg-server.sh start "$pg_dir"); then
    echo "scripts/test.sh: the PostgreSQL test server did not start (see above); the PostgreSQL tests need it." >&2
    echo "  Install PostgreSQL's server (Debian: apt-get install postgresql), or point EVENTSCOPE_TEST_PG at one" >&2
    echo "  loaded by scripts/pg-server.sh." >&2
    exit 1
  fi
  # Two assignments, no spaces in either: split on purpose.
  # shellcheck disable=SC2086
  export ${pg_env?}
fi
cargo test "$@"
