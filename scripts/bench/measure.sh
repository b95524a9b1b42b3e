# shellcheck shell=bash
# The timing of scripts/bench.sh and scripts/bench-pg.sh, sourced by both (not run on its own).
#
# The caller sets `work` (a temporary directory of its own) and `mem_limit_mb` before calling measure. Results
# go to the associative arrays best_wall, peak_rss and failed (keyed by the caller's names for its commands)
# and to the count `failures`.

declare -A best_wall peak_rss failed
failures=0

# measure KEY CMD...: run CMD once under GNU time (output piped to wc -c, at most $mem_limit_mb MB of address
# space) and fold the run into KEY's best wall time and highest peak RSS. A failure or empty output marks KEY
# failed. CMD's stderr is left in $work/stderr.
measure() {
    : "${work:?set work first}" "${mem_limit_mb:?set mem_limit_mb first}"
    local key=$1
    shift
    local status=0
    (ulimit -v $((mem_limit_mb * 1024)) && exec /usr/bin/time -v -o "$work/time" "$@" 2>"$work/stderr") \
        | wc -c >"$work/bytes" || status=$?
    local bytes wall rss
    bytes=$(tr -d ' ' <"$work/bytes")
    if [[ $status -ne 0 || $bytes -eq 0 ]]; then
        echo "FAILED: $key (exit $status, $bytes bytes out): $*" >&2
        sed -n '1,20p' "$work/stderr" >&2
        failed[$key]="FAILED (exit $status)"
        if grep -q 'memory allocation\|Cannot allocate' "$work/stderr"; then
            failed[$key]="FAILED (exit $status, past the ${mem_limit_mb} MB limit)"
        fi
        failures=$((failures + 1))
        return
    fi
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")
    echo "  $key: ${wall} s, $((rss / 1024)) MB, $bytes bytes out" >&2
    if [[ -z ${best_wall[$key]:-} ]] || awk -v a="$wall" -v b="${best_wall[$key]}" 'BEGIN { exit !(a < b) }'; then
        best_wall[$key]=$wall
    fi
    if [[ -z ${peak_rss[$key]:-} || $rss -gt ${peak_rss[$key]} ]]; then
        peak_rss[$key]=$rss
    fi
}

cell() { # cell KEY: "12.34 s, 56 MB"
    if [[ -n ${failed[$1]:-} ]]; then echo "**${failed[$1]}**"; return; fi
    awk -v w="${best_wall[$1]}" -v r="${peak_rss[$1]}" 'BEGIN { printf "%.2f s, %d MB", w, r / 1024 }'
}

ratio() { # ratio ES_KEY PEER_KEY: Eventscope's best wall time over the peer's
    if [[ -n ${failed[$1]:-}${failed[$2]:-} ]]; then echo "-"; return; fi
    awk -v a="${best_wall[$1]}" -v b="${best_wall[$2]}" 'BEGIN {
        if (b <= 0.005) { print "peer under 0.01 s"; exit }
        if (a <= 0.005) { print "Eventscope under 0.01 s"; exit }
        r = a / b; if (r >= 1) printf "Eventscope %.1fx slower", r; else printf "Eventscope %.1fx faster", 1 / r }'
}

row() { # row WHAT ES_KEY PEER PEER_KEY: one line of the markdown table
    echo "| $1 | $(cell "$2") | $3 | $(cell "$4") | $(ratio "$2" "$4") |"
}
