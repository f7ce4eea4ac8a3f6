#!/usr/bin/env bash
# Where a lone request's time goes, by the gateway's own histograms: after a warm-up (15 s at 32
# connections, 5 s at one), /metrics is read before and after a run at one connection, and the
# mean of each histogram over that run is printed: the server's whole request, the durable append
# of the request's audit event, the provider call (failover included) and HttpClient's exchange.
#
#   bench/compare/breakdown.sh            # GATEWAY_DLL=… another build, EXTRA="NAME=value …" settings
#   STREAM=1 DURATION=10
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init breakdown
ensure_wrk
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
write_chat_body "$work/chat.json"
body="$work/chat.json"
if [ -n "${STREAM:-}" ]; then write_chat_body "$work/stream.json" stream; body="$work/stream.json"; fi
start_mock
port="$(free_port)"
# shellcheck disable=SC2086
start_gateway_and_serve gateway "$work/data" "$port" "$(free_port)" "$(free_port)" ${EXTRA:-}
url="http://127.0.0.1:$port/v1/chat/completions"; auth="Authorization: Bearer $gateway_key"
run_wrk "$url" "$auth" "$body" 32 15 > /dev/null
run_wrk "$url" "$auth" "$body" 1 5 > /dev/null

# Sum and count of each histogram, all label sets together.
histograms() {
    curl -fs -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$port/metrics" \
        | grep -E '^(http_server_request_duration_seconds|synapse_audit_append_duration_seconds|gen_ai_client_operation_duration_seconds|http_client_request_duration_seconds)_(sum|count)' \
        | awk '{ split($1, name, "{"); total[name[1]] += $2 } END { for (n in total) print n, total[n] }' | sort
}
histograms > "$work/before"
read -r p50 rps requests _ < <(run_wrk "$url" "$auth" "$body" 1 "${DURATION:-10}")
histograms > "$work/after"

echo
echo "At one connection, $(date -u +%Y-%m-%dT%H:%MZ), $( [ -n "${STREAM:-}" ] && echo streamed || echo non-streamed ): wrk p50 $p50 ms, $rps requests/s, $requests requests; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| histogram | mean (ms) | count |"
echo "|---|---:|---:|"
join "$work/before" "$work/after" | awk '
    { delta[$1] = $3 - $2 }
    END {
        split("http_server_request_duration_seconds synapse_audit_append_duration_seconds gen_ai_client_operation_duration_seconds http_client_request_duration_seconds", order, " ")
        for (i = 1; i <= 4; i++) {
            n = order[i]
            if (delta[n "_count"] > 0) printf "| %s | %.3f | %d |\n", n, 1000 * delta[n "_sum"] / delta[n "_count"], delta[n "_count"]
        }
    }'
