#!/usr/bin/env bash
# The all-in-one gateway (SQLite) on a long audit log. It is started once to create a key, HISTORY
# audit rows older than a minute are added to its database (of 50 keys alike, the key one of them;
# two thirds forwarded requests, a third 429s, spread over a day that ended a day ago), then it is
# restarted RUNS times. Each run times, with curl: the key's first request (its activation
# rebuilds its rate window from the log's last minute: that read must cost the minute, not the
# history) and its second; then an auditor's pages of the admin audit API over one hour of that
# history, each the third time it is asked for: the key's events, and the 429s.
#
#   bench/compare/long-log.sh                                       # HISTORY=2000000 RUNS=3
#   GATEWAY_A=/base/Synapse.Gateway.Api.dll bench/compare/long-log.sh   # the same, A then B
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init long-log
runs="${RUNS:-3}"
history="${HISTORY:-2000000}"
command -v sqlite3 > /dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlite3 > /dev/null

start_mock
port="$(free_port)"; silo_port="$(free_port)"; gateway_port="$(free_port)"
printf '{"model":"mock-model","messages":[{"role":"user","content":"Summarise the quarterly report."}]}' > "$work/chat.json"
chat() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $key" -H 'content-type: application/json' -d @"$work/chat.json" "http://127.0.0.1:$port/v1/chat/completions"; }

gateway_dll="${GATEWAY_A:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
start_gateway setup "$work/data" "$port" "$silo_port" "$gateway_port"
wait_http "http://127.0.0.1:$port/healthz" 180
key="$(create_key "http://127.0.0.1:$port")"
chat > /dev/null
key_id="$(curl -fs -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$port/admin/api/keys" | grep -o '"id":"key_[^"]*"' | head -1 | cut -d'"' -f4)"
kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true

database="$(find "$work/data" -name '*.db' | xargs grep -l audit_events 2>/dev/null | head -1)"
log "adding $history rows of history to $database (key $key_id)"
sqlite3 "$database" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $history)
INSERT INTO audit_events (event_id, partition_id, partition_seq, kind, occurred_at, key_id, team_id, model, outcome, http_status, prev_hash, row_hash)
SELECT printf('%08x-0000-4000-8000-%012x', i, i), 'bench-history', i, CASE WHEN i % 3 = 0 THEN 'rejection' ELSE 'request' END,
       strftime('%Y-%m-%dT%H:%M:%f000Z', 'now', '-2 days', '+' || (i * 86400 / $history) || ' seconds'),
       CASE WHEN i % 50 = 1 THEN '$key_id' ELSE 'key_other' || (i % 50) END, 'team_bench', 'mock-model',
       CASE WHEN i % 3 = 0 THEN 'rate_limited' ELSE 'allowed' END, CASE WHEN i % 3 = 0 THEN 429 END, 'x', 'x'
FROM n;"

# An hour near the start of the history, as the admin API takes it.
hour_from="$(date -u -d '-2 days +1 hour' +%Y-%m-%dT%H:%M:%SZ)"; hour_to="$(date -u -d '-2 days +2 hours' +%Y-%m-%dT%H:%M:%SZ)"
audit_page() { # query → "status seconds"
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$port/admin/api/audit?$1&from=$hour_from&to=$hour_to"
}
ms() { awk -v t="$1" 'BEGIN { printf "%.1f", t * 1000 }'; }

run_side() { # name dll
    gateway_dll="$2"
    local firsts=() seconds=() keys=() refusals=() first second page code
    for i in $(seq 1 "$runs"); do
        start_gateway "$1-$i" "$work/data" "$port" "$silo_port" "$gateway_port"
        wait_http "http://127.0.0.1:$port/healthz" 180
        read -r code first < <(chat); [ "$code" = 200 ] || { log "$1: first request got $code"; exit 1; }
        read -r code second < <(chat)
        firsts+=("$(ms "$first")"); seconds+=("$(ms "$second")")
        # Each page is asked for three times and the third is timed: the first admin requests after a
        # start are mostly compiling the admin API; the database's pages are then in the page cache.
        for _ in 1 2 3; do read -r code page < <(audit_page "keyId=$key_id"); done
        [ "$code" = 200 ] || { log "$1: the key's page got $code"; exit 1; }
        keys+=("$(ms "$page")")
        for _ in 1 2 3; do read -r code page < <(audit_page "outcome=rate_limited"); done
        [ "$code" = 200 ] || { log "$1: the 429s' page got $code"; exit 1; }
        refusals+=("$(ms "$page")")
        kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
    done
    echo "$1: the key's first request after a restart $(median "${firsts[@]}") ms (${firsts[*]}), its second $(median "${seconds[@]}") ms (${seconds[*]}); audit pages over one hour of the history: the key's $(median "${keys[@]}") ms (${keys[*]}), the 429s $(median "${refusals[@]}") ms (${refusals[*]}); $history rows of history"
}

if [ -n "${GATEWAY_A:-}" ]; then run_side A "$GATEWAY_A"; fi
run_side B "$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll"
