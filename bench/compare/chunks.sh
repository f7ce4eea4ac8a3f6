#!/usr/bin/env bash
# What one more streamed chunk costs the gateway. Two gateways of one build run at once, each
# against a mock of its own: A's streams the comparison's 7 chunks (5 content chunks), B's
# 5 + EXTRA content chunks. wrk slices alternate between them (A B, then B A, …) as in ab.sh;
# per round: CPU per streamed request of each, and (B − A) ÷ EXTRA, the CPU per extra chunk.
# Printed: every round and the medians.
#
#   bench/compare/chunks.sh                          # EXTRA=100 ROUNDS=6 SLICE=5 WARMUP=30 CONNECTIONS=32
#   GATEWAY_DLL=/tmp/r2r/Synapse.Gateway.Api.dll bench/compare/chunks.sh
#
# Needs node and wrk.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init chunks
ensure_wrk
rounds="${ROUNDS:-6}"
slice="${SLICE:-5}"
extra="${EXTRA:-100}"
connections="${CONNECTIONS:-32}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"

write_chat_body "$work/chat.json"
write_chat_body "$work/stream.json" stream
declare -A pid key url
for side in A B; do
    chunks=5; [ "$side" = B ] && chunks=$((5 + extra))
    MOCK_CONTENT_CHUNKS=$chunks start_mock
    port="$(free_port)"
    start_gateway_and_serve "gateway-$side" "$work/data-$side" "$port" "$(free_port)" "$(free_port)"
    pid[$side]=$gateway_pid; key[$side]=$gateway_key; url[$side]="http://127.0.0.1:$port/v1/chat/completions"
    log "$side: $chunks content chunks, pid $gateway_pid"
done

slice() { cpu_slice "${pid[$1]}" "${url[$1]}" "Authorization: Bearer ${key[$1]}" "$work/stream.json" "$connections" "$2"; }

# Long streams run the per-chunk code 15 times as often: it reaches its final tier late.
for side in A B; do slice "$side" "${WARMUP:-30}" > /dev/null; done

load0="$(cut -d' ' -f1-3 /proc/loadavg)"
cpu_a=(); cpu_b=(); per_chunk=(); rows=""
for round in $(seq 1 "$rounds"); do
    order="A B"; [ $((round % 2)) -eq 0 ] && order="B A"
    declare -A got=()
    for side in $order; do got[$side]="$(slice "$side" "$slice")"; done
    read -r ca ra _ na <<< "${got[A]}"
    read -r cb rb _ nb <<< "${got[B]}"
    cpu_a+=("$ca"); cpu_b+=("$cb")
    per_chunk+=("$(awk -v a="$ca" -v b="$cb" -v n="$extra" 'BEGIN { printf "%.1f", (b - a) / n }')")
    rows+="| $round ($order) | $ca | $cb | ${per_chunk[-1]} | $ra | $rb | $na / $nb |"$'\n'
done

echo
echo "Streamed chunks, $(date -u +%Y-%m-%dT%H:%MZ), $connections connections, $rounds rounds of ${slice}s slices, load average $load0 → $(cut -d' ' -f1-3 /proc/loadavg)"
echo "gateway: $gateway_dll; A: 7 chunks, B: $((7 + extra)) chunks"
echo "| round (order) | A CPU µs/request | B CPU µs/request | µs per extra chunk | A requests/s | B requests/s | non-2xx A / B |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s' "$rows"
echo "| **median** | $(median "${cpu_a[@]}") | $(median "${cpu_b[@]}") | **$(median "${per_chunk[@]}")** | | | |"
