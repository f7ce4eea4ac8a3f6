#!/usr/bin/env bash
# Soak of the all-in-one gateway: SOAK seconds (default 600) at CONNECTIONS (default 32) with the
# compare script's request (a 1,000-character prompt to a mock that answers at once), RSS sampled
# every 30 s and after the idle trim, and the first answers of each non-200 status printed with their bodies.
#
#   bench/compare/soak.sh
#   SOAK=180 GATEWAY_DLL=/path/Synapse.Gateway.Api.dll bench/compare/soak.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init soak
soak="${SOAK:-600}"
connections="${CONNECTIONS:-32}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
ensure_wrk

start_mock
write_chat_body "$work/chat.json"
port="$(free_port)"
start_gateway_and_serve gateway "$work/data" "$port" "$(free_port)" "$(free_port)"
sleep 5
log "idle: RSS $(rss_mb "$gateway_pid") MB"

BODY_FILE="$work/chat.json" HEADERS="Authorization: Bearer $gateway_key" \
    wrk -t2 -c"$connections" -d"${soak}s" -s "$here/soak.lua" "http://127.0.0.1:$port/v1/chat/completions" > "$work/wrk.out" 2> "$work/failures.txt" &
wrk_pid=$!
for i in $(seq 1 $((soak / 30))); do
    sleep 30
    log "$((i * 30)) s: RSS $(rss_mb "$gateway_pid") MB"
done
wait "$wrk_pid" || true
grep -E "requests in|Requests/sec|Non-2xx|Socket errors" "$work/wrk.out" >&2
sleep 10
log "10 s after the load: RSS $(rss_mb "$gateway_pid") MB"
sleep 35 # Synapse:Memory:TrimAfterQuiet (30 s) and its 5-second poll
log "45 s after the load (after the idle trim): RSS $(rss_mb "$gateway_pid") MB"
if [ -s "$work/failures.txt" ]; then
    log "first non-200 answers (per wrk thread and status):"
    cat "$work/failures.txt" >&2
    log "the gateway's warnings and errors:"
    grep -E "^(warn|fail|crit)" -A3 "$work/gateway.log" | head -60 >&2 || true
fi
