#!/usr/bin/env bash
# Eventscope side by side with the libraries and SQLite, on the big stores of scripts/bench-stores.sh.
#
#   scripts/bench.sh                   # N=3, generating the stores first if they are missing
#   BENCH_RUNS=1 scripts/bench.sh      # quicker: one run of each
#
# Builds Eventscope in release (cargo honours $CARGO_TARGET_DIR), generates any missing store, then prints two
# markdown tables on stdout (progress and each command's stderr go to stderr):
#
# 1. Eventscope against a peer reading the same data, each row run BENCH_RUNS times with Eventscope and its peer
#    alternating, so both see the same machine. Wall time is the best of the runs, peak RSS the highest; both are
#    whole processes measured by `/usr/bin/time -v` (the Python peer's start-up and imports included, as
#    Eventscope's opening of the store is), output piped to `wc -c`. The ratio is Eventscope's wall time over
#    the peer's.
# 2. Peak RSS of state, diff, history, verify, search and streams on each store (target: 64 MB whatever the
#    size), taken from table 1 where the same command ran there and otherwise from one run.
#
# Environment: BENCH_RUNS (3), EVENTSCOPE_BENCH_DATA (target/bench-data), EVENTSCOPE_BENCH_VENV (/tmp/es-venv),
# BENCH_MEM_LIMIT_MB (12288: a command is stopped past this much address space, so one that would take the
# machine's memory fails instead), BENCH_ES_ARGS (options for every Eventscope command; default none, as a
# user runs it; add e.g. `--no-integrity-check` to leave out the quick_check Eventscope runs beside every
# command).
#
# Needs bash, GNU time (/usr/bin/time), Python 3.11+, and the sqlite3 CLI 3.38+ (for -json and ->>; Debian
# package `sqlite3`). A command that fails, or prints nothing, is shown as FAILED in its cell with its stderr on
# stderr, and the script exits 1 after printing the tables: no silent zero timings.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${EVENTSCOPE_BENCH_DATA:-$repo/target/bench-data}
venv=${EVENTSCOPE_BENCH_VENV:-/tmp/es-venv}
runs=${BENCH_RUNS:-3}
mem_limit_mb=${BENCH_MEM_LIMIT_MB:-12288}
es_args_text=${BENCH_ES_ARGS-""}
read -r -a es_args <<<"$es_args_text"

for tool in /usr/bin/time sqlite3 python3 cargo; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (GNU time: apt-get install time; sqlite3: apt-get install sqlite3)" >&2; exit 1; }
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "error: BENCH_RUNS must be a positive integer" >&2; exit 1; }

echo "building Eventscope (release)" >&2
(cd "$repo" && cargo build --release --quiet)
target=${CARGO_TARGET_DIR:-$repo/target}
[[ $target == /* ]] || target=$repo/$target
bin=$target/release/eventscope
"$repo/scripts/bench-stores.sh"
bench_started=$SECONDS

es=$data/es-bank.sqlite
plain=$data/plain-5m.sqlite
log=$data/log-10m.sqlite
manifest() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "${1%.sqlite}.json" "$2"; }
es_stream=$(manifest "$es" big_stream)
es_hex=${es_stream//-/}
plain_stream=$(manifest "$plain" big_stream)
log_stream=$("$bin" streams --json --no-integrity-check "$log" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
reducers=$repo/sample-data/eventsourcing/reducers.json

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# measure, cell, ratio and row.
# shellcheck source=bench/measure.sh source-path=SCRIPTDIR
source "$repo/scripts/bench/measure.sh"

# The library switches the file it opens to WAL: put the store back as it was written, outside the timing.
es_peer() {
    measure "$1" "$venv/bin/python" "$repo/scripts/bench/es_get.py" "$es" "$es_stream"
    grep -h '^get_secs=' "$work/stderr" | sed 's/^/    repository.get alone: /' >&2 || true
    sqlite3 "$es" 'PRAGMA journal_mode=DELETE' >/dev/null
    [[ ! -e $es-wal && ! -e $es-shm ]] || { echo "error: $es-wal or -shm left behind" >&2; exit 1; }
}

rss_cell() { # rss_cell KEY
    if [[ -n ${failed[$1]:-} ]]; then echo "**FAILED**"; return; fi
    echo "$((peak_rss[$1] / 1024))"
}

# The SQL floors, read by the sqlite3 CLI in -json mode.
es_events_sql="SELECT rowid AS position, originator_id AS stream, originator_version AS version, topic AS type,
  CAST(state AS TEXT) ->> '\$.timestamp._data_' AS time, CAST(state AS TEXT) AS data FROM stored_events
  WHERE originator_id = '$es_hex' ORDER BY originator_version"
es_streams_sql="WITH s AS (SELECT originator_id, count(*) AS events, min(originator_version) AS v1,
  max(originator_version) AS vn FROM stored_events GROUP BY originator_id)
  SELECT s.originator_id AS id, CAST(f.state AS TEXT) ->> '\$.originator_topic' AS type, s.events,
  CAST(f.state AS TEXT) ->> '\$.timestamp._data_' AS first_time,
  CAST(l.state AS TEXT) ->> '\$.timestamp._data_' AS last_time FROM s
  JOIN stored_events f ON f.originator_id = s.originator_id AND f.originator_version = s.v1
  JOIN stored_events l ON l.originator_id = s.originator_id AND l.originator_version = s.vn"
plain_streams_sql="SELECT stream_id AS id, stream_type AS type, count(*) AS events, min(created_at) AS first_time,
  max(created_at) AS last_time FROM events GROUP BY stream_id"
plain_all_sql="SELECT stream_id AS stream, id AS position, version, type, created_at AS time, data, metadata
  FROM events ORDER BY id"
log_events_sql="SELECT id AS position, type, timestamp AS time, CAST(payload AS TEXT) AS data FROM event_log ORDER BY id"
log_parse_sql="SELECT sum(json_valid(CAST(payload AS TEXT))) FROM event_log"
where='.data.status == "shipped" and .data.shipping.carrier == "DHL"'

for ((run = 1; run <= runs; run++)); do
    echo "run $run of $runs" >&2
    run_started=$SECONDS
    measure es_state_jq "$bin" state --json "${es_args[@]}" "$es" "$es_stream" --reducers "$reducers"
    es_peer es_get_1
    measure es_state_merge "$bin" state --json "${es_args[@]}" "$es" "$es_stream"
    es_peer es_get_2
    # The replay alone: the quick_check Eventscope runs beside every command reads the whole 350 MB file.
    measure es_replay_jq "$bin" state --json --no-integrity-check "$es" "$es_stream" --reducers "$reducers"
    measure es_replay_merge "$bin" state --json --no-integrity-check "$es" "$es_stream"
    measure es_quick_check sqlite3 "$es" "PRAGMA quick_check"
    measure es_events "$bin" events --json "${es_args[@]}" "$es" "$es_stream"
    measure es_events_sql sqlite3 -json "$es" "$es_events_sql"
    measure es_streams "$bin" streams --json "${es_args[@]}" "$es"
    measure es_streams_sql sqlite3 -json "$es" "$es_streams_sql"
    measure plain_streams "$bin" streams --json "${es_args[@]}" "$plain"
    measure plain_streams_sql sqlite3 -json "$plain" "$plain_streams_sql"
    measure plain_all "$bin" search --json "${es_args[@]}" "$plain"
    measure plain_all_sql sqlite3 -json "$plain" "$plain_all_sql"
    measure plain_verify "$bin" verify --json "${es_args[@]}" "$plain"
    measure plain_search "$bin" search --json "${es_args[@]}" "$plain" --where "$where"
    measure log_state "$bin" state --json "${es_args[@]}" "$log" "$log_stream"
    measure log_parse_sql sqlite3 "$log" "$log_parse_sql"
    measure log_events "$bin" events --json "${es_args[@]}" "$log" "$log_stream"
    measure log_events_sql sqlite3 -json "$log" "$log_events_sql"
    echo "run $run took $(( (SECONDS - run_started) / 60 )) min" >&2
done
once_started=$SECONDS

echo "peak RSS of the other commands (one run each)" >&2
measure es_diff "$bin" diff --json "${es_args[@]}" "$es" "$es_stream" --reducers "$reducers"
measure es_history "$bin" history --json "${es_args[@]}" "$es" "$es_stream" --path /balance --reducers "$reducers"
measure es_verify "$bin" verify --json "${es_args[@]}" "$es"
measure es_search "$bin" search --json "${es_args[@]}" "$es" --where '.data.owner == "Lars Berg"'
measure plain_state "$bin" state --json "${es_args[@]}" "$plain" "$plain_stream"
measure plain_diff "$bin" diff --json "${es_args[@]}" "$plain" "$plain_stream"
measure plain_history "$bin" history --json "${es_args[@]}" "$plain" "$plain_stream" --path /status
measure log_diff "$bin" diff --json "${es_args[@]}" "$log" "$log_stream"
measure log_history "$bin" history --json "${es_args[@]}" "$log" "$log_stream" --path /mode
measure log_verify "$bin" verify --json "${es_args[@]}" "$log"
measure log_search "$bin" search --json "${es_args[@]}" "$log" --where '.data.alarm.code == "T150"'
measure log_streams "$bin" streams --json "${es_args[@]}" "$log"

megabytes() { echo "$(( $(stat -c %s "$1") / 1000000 )) MB"; }
es_facts="$(manifest "$es" events) events, $(manifest "$es" streams) streams, $(megabytes "$es")"
plain_facts="$(manifest "$plain" events) events, $(manifest "$plain" streams) streams, $(megabytes "$plain")"
log_facts="$(manifest "$log" events) events, one stream, $(megabytes "$log")"
sqlite_version=$(sqlite3 --version | cut -d' ' -f1)
{
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
        "$(awk '/MemTotal/ { printf "%d GB", $2 / 1048576 }' /proc/meminfo) RAM), Eventscope $(git -C "$repo" rev-parse --short HEAD)," \
        "eventsourcing $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("eventsourcing"))') on" \
        "Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'), sqlite3 CLI $sqlite_version;" \
        "best wall time of $runs run(s), highest peak RSS (in MiB, as GNU time counts it).${es_args_text:+ Eventscope options: \`$es_args_text\`.}"
    echo
    echo "Stores: eventsourcing ($es_facts, the replayed stream has $(manifest "$es" big_stream_events) events);" \
        "plain \`events\` ($plain_facts); single log ($log_facts)."
    echo
    echo "| what | Eventscope (wall s, peak RSS MB) | peer on the same data | peer (wall s, peak RSS MB) | ratio |"
    echo "| --- | --- | --- | --- | --- |"
    row "\`state\` of the 200k stream, jq reducers" es_state_jq "eventsourcing \`repository.get\` (whole process)" es_get_1
    row "\`state\` of the 200k stream, deep merge" es_state_merge "eventsourcing \`repository.get\` (whole process)" es_get_2
    row "the same, jq reducers, replay alone (\`--no-integrity-check\`)" es_replay_jq "eventsourcing \`repository.get\` (whole process)" es_get_1
    row "the same, deep merge, replay alone (\`--no-integrity-check\`)" es_replay_merge "eventsourcing \`repository.get\` (whole process)" es_get_2
    row "\`events --json\` of the 200k stream" es_events "\`sqlite3 -json\` selecting the same rows" es_events_sql
    row "\`streams --json\`, 100k streams" es_streams "\`sqlite3 -json\` GROUP BY: type, count, first/last time" es_streams_sql
    row "\`streams --json\`, 500k streams" plain_streams "\`sqlite3 -json\` GROUP BY: the same facts" plain_streams_sql
    row "whole 5M store in the \`events --json\` shape (\`search --json\`, no filter)" plain_all "\`sqlite3 -json\` selecting every row" plain_all_sql
    row "\`verify\`, 5M store" plain_verify "Eventscope's whole-store \`events --json\` pass (row above)" plain_all
    row "\`search --json --where '$where'\`, 5M store" plain_search "Eventscope's whole-store \`events --json\` pass" plain_all
    row "\`state\` of the 10M single log" log_state "\`sqlite3\` parsing every payload once (\`json_valid\`)" log_parse_sql
    row "\`events --json\` of the 10M single log" log_events "\`sqlite3 -json\` selecting the same rows" log_events_sql
    echo
    echo "The integrity check every command runs beside its work unless given \`--no-integrity-check\` (SQLite's" \
        "\`PRAGMA quick_check\` of the eventsourcing file, by the \`sqlite3\` CLI): $(cell es_quick_check)."
    echo
    echo "Peak RSS in MB (target: at most 64 whatever the size):"
    echo
    echo "| store | state | diff | history | verify | search | streams |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    echo "| eventsourcing, 200k stream (jq reducers) | $(rss_cell es_state_jq) | $(rss_cell es_diff) | $(rss_cell es_history) | $(rss_cell es_verify) | $(rss_cell es_search) | $(rss_cell es_streams) |"
    echo "| plain 5M, longest stream ($(manifest "$plain" big_stream_events) events) | $(rss_cell plain_state) | $(rss_cell plain_diff) | $(rss_cell plain_history) | $(rss_cell plain_verify) | $(rss_cell plain_search) | $(rss_cell plain_streams) |"
    echo "| single log, 10M stream | $(rss_cell log_state) | $(rss_cell log_diff) | $(rss_cell log_history) | $(rss_cell log_verify) | $(rss_cell log_search) | $(rss_cell log_streams) |"
    echo
    echo "Bench time: $(( (SECONDS - bench_started) / 60 )) min ($(( (SECONDS - once_started) / 60 )) min of it for the commands run once)."
}
if ((failures > 0)); then
    echo "error: $failures command(s) failed; see FAILED above and their stderr" >&2
    exit 1
fi
