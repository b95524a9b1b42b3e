#!/usr/bin/env bash
# Eventscope on a PostgreSQL store of 1.2M events, side by side with psql reading the same rows and with the
# eventsourcing library's own replay (issue 12's benchmark).
#
#   scripts/bench-pg.sh                    # N=3, on a throwaway server of its own
#   BENCH_RUNS=1 scripts/bench-pg.sh       # quicker: one run of each
#   EVENTSCOPE_BENCH_PG_DIR=/tmp/pgb scripts/bench-pg.sh   # on a server started by scripts/pg-server.sh
#
# Builds Eventscope in release (cargo honours $CARGO_TARGET_DIR). Unless EVENTSCOPE_BENCH_PG_DIR names the
# directory of a running server started by `scripts/pg-server.sh start DIR`, it starts one in a temporary
# directory (stopped and removed at the end). It writes the store there if it is missing
# (scripts/bench-pg-store.sh: database bench_es, eventsourcing 9.5.6's PostgreSQL layout, about 2 minutes),
# which also reads two streams back through the library. Then every Eventscope command runs once, untimed, and
# its output is checked (exit status, and the facts: stream and event counts, the replayed balance against
# what the library wrote); then each row runs BENCH_RUNS times, Eventscope and its peers alternating. All
# connect over TCP to 127.0.0.1 as the read-only role eventscope_reader, with the same URL and so the same
# sslmode (libpq's default, prefer: TLS when the server has it, as pg-server.sh's has when openssl is there).
#
# Prints a markdown table on stdout (progress and each command's stderr go to stderr): wall time is the best of
# the runs, peak RSS the highest, both of whole processes measured by `/usr/bin/time -v` (the Python peer's
# start-up and imports included, as Eventscope's connecting is), output piped to `wc -c`. The ratio is
# Eventscope's wall time over the peer's. Peak RSS is the client's only: the server's work is in neither.
#
# Environment: BENCH_RUNS (3), EVENTSCOPE_BENCH_PG_DIR (none: a server of its own), EVENTSCOPE_BENCH_PG_VENV
# (/tmp/es-pg-venv, made from sample-data/postgres/eventsourcing/requirements.txt if missing), BENCH_MEM_LIMIT_MB
# (12288: a command is stopped past this much address space), BENCH_ES_ARGS (options for every Eventscope
# command; default none, as a user runs it).
#
# Needs bash, GNU time (/usr/bin/time), Python 3.11+, and the PostgreSQL 14+ server binaries that
# scripts/pg-server.sh finds (Debian package `postgresql`); psql is the server's. A command that fails, or
# prints nothing, is shown as FAILED in its cell with its stderr on stderr, and the script exits 1 after
# printing the table: no silent zero timings.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${EVENTSCOPE_BENCH_PG_VENV:-/tmp/es-pg-venv}
export EVENTSCOPE_BENCH_PG_VENV=$venv
runs=${BENCH_RUNS:-3}
mem_limit_mb=${BENCH_MEM_LIMIT_MB:-12288}
es_args_text=${BENCH_ES_ARGS-""}
read -r -a es_args <<<"$es_args_text"
server=${EVENTSCOPE_BENCH_PG_DIR:-}

for tool in /usr/bin/time python3 cargo; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (GNU time: apt-get install time)" >&2; exit 1; }
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "error: BENCH_RUNS must be a positive integer" >&2; exit 1; }
# Only the URL below decides the server: libpq's variables could point psql or Eventscope elsewhere.
for var in $(compgen -e | grep '^PG' || true); do unset "$var"; done

echo "building Eventscope (release)" >&2
(cd "$repo" && cargo build --release --locked --quiet)
target=${CARGO_TARGET_DIR:-$repo/target}
[[ $target == /* ]] || target=$repo/$target
bin=$target/release/eventscope

work=$(mktemp -d)
own_server=""
cleanup() {
    rm -rf "$work"
    if [[ -n $own_server ]]; then "$repo/scripts/pg-server.sh" stop "$own_server" || true; fi
}
trap cleanup EXIT
if [[ -z $server ]]; then
    server=$(mktemp -d /tmp/es-bench-pg.XXXXXX)
    own_server=$server
    echo "starting a server in $server" >&2
    "$repo/scripts/pg-server.sh" start "$server" >/dev/null
fi
[[ -f $server/admin.env ]] || { echo "error: $server/admin.env not found: not a server of scripts/pg-server.sh" >&2; exit 1; }
admin_url=$(sed -n 's/^EVENTSCOPE_PG_ADMIN=//p' "$server/admin.env")
pg_bindir=$(sed -n 's/^EVENTSCOPE_PG_BINDIR=//p' "$server/admin.env")
psql=$pg_bindir/psql
[[ -x $psql ]] || { echo "error: $psql not found" >&2; exit 1; }
port=${admin_url##*:}
url=postgres://eventscope_reader:reader@127.0.0.1:$port/bench_es

generation_started=$SECONDS
manifest_json=$("$repo/scripts/bench-pg-store.sh" "$server")
generation_secs=$((SECONDS - generation_started))
manifest() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$manifest_json" "$1"; }
stream=$(manifest big_stream)
stream_events=$(manifest big_stream_events)
total_events=$(manifest events)
total_streams=$(manifest streams)
expected_balance=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["big_state"]["balance"])' "$manifest_json")
reducers=$repo/sample-data/eventsourcing/reducers.json
bench_started=$SECONDS
# measure, cell, ratio and row.
# shellcheck source=bench/measure.sh source-path=SCRIPTDIR
source "$repo/scripts/bench/measure.sh"

# check KEY WHAT PYTHON CMD...: run CMD once, untimed, and mark KEY failed unless it exits 0 and PYTHON (a
# program reading CMD's output on stdin, with the expected facts in argv) exits 0.
check() {
    local key=$1 what=$2 program=$3
    shift 3
    local status=0
    "$@" >"$work/out" 2>"$work/stderr" || status=$?
    if [[ $status -ne 0 ]] || ! python3 -c "$program" "$stream" "$stream_events" "$total_streams" "$expected_balance" \
        <"$work/out" 2>"$work/check"; then
        echo "FAILED check of $key ($what; exit $status, $(wc -c <"$work/out") bytes out): $*" >&2
        sed -n '1,20p' "$work/stderr" "$work/check" >&2
        failed[$key]="FAILED (check: $what)"
        failures=$((failures + 1))
        return
    fi
    echo "  checked $key: $what" >&2
}

# The Python checks: argv = [-c, big stream id, its event count, stream count, balance the library wrote].
layout_ok='import sys
text = sys.stdin.read()
assert "banking_events" in text, text[:500]'
streams_ok='import json, sys
streams = json.load(sys.stdin)
assert len(streams) == int(sys.argv[3]), len(streams)
big = [s for s in streams if s["id"] == sys.argv[1]]
assert len(big) == 1 and big[0]["events"] == int(sys.argv[2]), big'
events_ok='import json, sys
events = json.load(sys.stdin)
assert len(events) == int(sys.argv[2]), len(events)
assert [events[0]["version"], events[-1]["version"]] == [1, int(sys.argv[2])], (events[0], events[-1])
assert all(e["stream"] == sys.argv[1] for e in events)'
state_jq_ok='import json, sys
from decimal import Decimal
state = json.load(sys.stdin)
state = state.get("state", state)
assert Decimal(str(state["balance"])) == Decimal(sys.argv[4]), (state["balance"], sys.argv[4])'
state_merge_ok='import json, sys
state = json.load(sys.stdin)
state = state.get("state", state)
assert state["account_number"] == "XL-000001", state'

echo "checking Eventscope's answers (one untimed run each)" >&2
check es_layout "names banking_events" "$layout_ok" "$bin" layout "${es_args[@]}" "$url"
check es_streams "$total_streams streams, the big one with $stream_events events" "$streams_ok" \
    "$bin" streams --json "${es_args[@]}" "$url"
check es_events "$stream_events events, versions 1 to $stream_events" "$events_ok" \
    "$bin" events --json "${es_args[@]}" "$url" "$stream"
check es_state_jq "balance $expected_balance, as the library wrote it" "$state_jq_ok" \
    "$bin" state --json "${es_args[@]}" "$url" "$stream" --reducers "$reducers"
check es_state_merge "the account's number" "$state_merge_ok" "$bin" state --json "${es_args[@]}" "$url" "$stream"

# The SQL floors, read by psql in unaligned tuples-only mode (-At): the same rows, in the same order.
payload="convert_from(state, 'UTF8')"
events_sql="SELECT notification_id AS position, originator_id AS stream, originator_version AS version,
  topic AS type, $payload::json -> 'timestamp' ->> '_data_' AS time, $payload AS data
  FROM banking_events WHERE originator_id = '$stream' ORDER BY originator_version"
rows_sql="SELECT topic, $payload FROM banking_events WHERE originator_id = '$stream' ORDER BY originator_version"
streams_group_sql="SELECT originator_id, count(*), min(originator_version), max(originator_version)
  FROM banking_events GROUP BY originator_id"
streams_facts_sql="WITH s AS (SELECT originator_id, count(*) AS events, min(originator_version) AS v1,
  max(originator_version) AS vn FROM banking_events GROUP BY originator_id)
  SELECT s.originator_id AS id, convert_from(f.state, 'UTF8')::json ->> 'originator_topic' AS type, s.events,
  convert_from(f.state, 'UTF8')::json -> 'timestamp' ->> '_data_' AS first_time,
  convert_from(l.state, 'UTF8')::json -> 'timestamp' ->> '_data_' AS last_time FROM s
  JOIN banking_events f ON f.originator_id = s.originator_id AND f.originator_version = s.v1
  JOIN banking_events l ON l.originator_id = s.originator_id AND l.originator_version = s.vn"
# The first screen: the first 100 streams by id with the same facts (what the window shows first).
first_streams_sql="${streams_facts_sql/GROUP BY originator_id)/GROUP BY originator_id ORDER BY originator_id LIMIT 100)}"
psql_cmd=("$psql" -X -q -At -v ON_ERROR_STOP=1 -d "$url")
psql_run() { "${psql_cmd[@]}" -c "$1"; }
rows_read=$(psql_run "SELECT count(*) FROM ($events_sql) e")
[[ $rows_read -eq $stream_events ]] || { echo "error: psql reads $rows_read rows of the stream, not $stream_events" >&2; exit 1; }

es_peer() { # es_peer KEY: the library's repository.get of the big stream, as a whole process
    measure "$1" "$venv/bin/python" "$repo/scripts/bench/es_pg_get.py" "$server" "$stream"
    grep -h '^get_secs=' "$work/stderr" | sed 's/^/    repository.get alone: /' >&2 || true
}

for ((run = 1; run <= runs; run++)); do
    echo "run $run of $runs" >&2
    measure es_layout "$bin" layout "${es_args[@]}" "$url"
    measure psql_connect "${psql_cmd[@]}" -c "select 1"
    measure es_streams "$bin" streams --json "${es_args[@]}" "$url"
    measure psql_streams_facts "${psql_cmd[@]}" -c "$streams_facts_sql"
    measure psql_streams_group "${psql_cmd[@]}" -c "$streams_group_sql"
    # The first 100 streams printed: `head` closes the pipe after about 100 summaries of ~190 bytes.
    measure es_first_streams sh -c '"$@" | head -c 19000' sh "$bin" streams --json "${es_args[@]}" "$url"
    measure psql_first_streams "${psql_cmd[@]}" -c "$first_streams_sql"
    measure es_events "$bin" events --json "${es_args[@]}" "$url" "$stream"
    measure psql_events "${psql_cmd[@]}" -c "$events_sql"
    measure es_state_jq "$bin" state --json "${es_args[@]}" "$url" "$stream" --reducers "$reducers"
    measure psql_rows "${psql_cmd[@]}" -c "$rows_sql"
    es_peer es_get_1
    measure es_state_merge "$bin" state --json "${es_args[@]}" "$url" "$stream"
    es_peer es_get_2
done

server_version=$(psql_run "SHOW server_version")
tls=$(psql_run "SELECT CASE WHEN ssl THEN 'TLS ' || version ELSE 'no TLS' END FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
shared_buffers=$(psql_run "SHOW shared_buffers")
megabytes() { echo "$(( $1 / 1000000 )) MB"; }
{
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
        "$(awk '/MemTotal/ { printf "%d GB", $2 / 1048576 }' /proc/meminfo) RAM), Eventscope $(git -C "$repo" rev-parse --short HEAD)," \
        "PostgreSQL $server_version on the same machine (shared_buffers $shared_buffers, over 127.0.0.1, $tls)," \
        "$("$psql" --version)," \
        "eventsourcing $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("eventsourcing"))') with psycopg" \
        "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("psycopg"))') on" \
        "Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())');" \
        "best wall time of $runs run(s), highest peak RSS of the client (in MiB, as GNU time counts it).${es_args_text:+ Eventscope options: \`$es_args_text\`.}"
    echo
    echo "Store: database bench_es in eventsourcing's PostgreSQL layout, $total_events events in $total_streams streams," \
        "the replayed stream has $stream_events events; $(megabytes "$(manifest database_bytes)") on the server" \
        "(written in $(manifest seconds_to_write) s when it was generated)."
    echo
    echo "| what | Eventscope (wall s, peak RSS MB) | peer on the same data | peer (wall s, peak RSS MB) | ratio |"
    echo "| --- | --- | --- | --- | --- |"
    row "open + \`layout\`" es_layout "\`psql -c 'select 1'\` (connect, one query)" psql_connect
    row "\`streams --json\`, $total_streams streams" es_streams "\`psql -At\` GROUP BY: type, count, first/last time (first and last rows joined)" psql_streams_facts
    row "\`streams --json\`, $total_streams streams" es_streams "\`psql -At\` GROUP BY: count, first/last version only" psql_streams_group
    row "first 100 streams of \`streams --json\` (the pipe closed by \`head\`)" es_first_streams "\`psql -At\` the same facts for the first 100 ids" psql_first_streams
    row "\`events --json\` of the 200k stream" es_events "\`psql -At\` selecting the same rows (position, stream, version, type, time, payload)" psql_events
    row "\`state\` of the 200k stream, jq reducers" es_state_jq "\`psql -At\` reading its rows (type, payload) in version order" psql_rows
    row "\`state\` of the 200k stream, jq reducers" es_state_jq "eventsourcing \`repository.get\` (whole process)" es_get_1
    row "\`state\` of the 200k stream, deep merge" es_state_merge "\`psql -At\` reading its rows (type, payload) in version order" psql_rows
    row "\`state\` of the 200k stream, deep merge" es_state_merge "eventsourcing \`repository.get\` (whole process)" es_get_2
    echo
    echo "Bench time: $(( (SECONDS - bench_started) / 60 )) min, after $generation_secs s for the store" \
        "(generated or found, and read back through the library)."
}
if ((failures > 0)); then
    echo "error: $failures command(s) failed; see FAILED above and their stderr" >&2
    exit 1
fi
