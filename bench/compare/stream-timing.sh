#!/usr/bin/env bash
# A streamed answer's added latency, to its first byte and to its last byte separately, at one
# connection: the mock called directly against the all-in-one gateway (default policy, durable
# audit on), for a mock that writes its 8 events at once and for one that spaces them
# (INTERVAL ms apart, like a model producing tokens). With spacing, "first text" against
# "last byte" shows what the response DLP's hold-back costs: it may hold one word back (a word can
# still become an e-mail address or a key), so the first text can come one event later than the
# mock sent it, and the last byte must not come later than the mock's plus the gateway's fixed cost.
#
#   bench/compare/stream-timing.sh            # INTERVAL=5 ms, DURATION=10 s per measurement, WARMUP=15 s
#   GATEWAY_DLL=/elsewhere/Synapse.Gateway.Api.dll bench/compare/stream-timing.sh
#
# Needs node and wrk.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init stream-timing
ensure_wrk
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
interval="${INTERVAL:-5}"
duration="${DURATION:-10}"

write_chat_body "$work/chat.json"
write_chat_body "$work/stream.json" stream

# One mock that answers at once, one that spaces its events; one gateway in front of each.
declare -A url auth
for mock in fast spaced; do
    MOCK_CHUNK_INTERVAL_MS=$([ "$mock" = spaced ] && echo "$interval" || echo 0) start_mock
    url[direct-$mock]="http://127.0.0.1:$mock_port/v1/chat/completions"; auth[direct-$mock]=""
    port="$(free_port)"
    start_gateway_and_serve "gateway-$mock" "$work/data-$mock" "$port" "$(free_port)" "$(free_port)"
    url[gateway-$mock]="http://127.0.0.1:$port/v1/chat/completions"; auth[gateway-$mock]="Authorization: Bearer $gateway_key"
done

timing() { node "$here/stream-timing.mjs" "${url[$1]}" "$work/stream.json" "$2" "${auth[$1]}"; }

# Steady state first (tiered compilation under load, then settling at one connection).
for name in direct-fast gateway-fast direct-spaced gateway-spaced; do
    log "$name: warm-up"
    BODY_FILE="$work/stream.json" HEADERS="${auth[$name]}" wrk -t2 -c32 -d"${WARMUP:-15}s" -s "$here/request.lua" "${url[$name]}" > /dev/null
    timing "$name" 3 > /dev/null
done

load0="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A line
for name in direct-fast gateway-fast direct-spaced gateway-spaced; do
    log "$name: timing for ${duration} s"
    line[$name]="$(timing "$name" "$duration")"
done
load1="$(cut -d' ' -f1-3 /proc/loadavg)"

cat <<EOT

Streamed answer at one connection, $(date -u +%Y-%m-%dT%H:%MZ), ${duration} s each, load average $load0 → $load1
(p50 in ms from the request's write; "added" is the gateway's figure less the mock's, same mock)
| mock | target | headers | first byte | first text | last byte | requests | failed |
|---|---|---:|---:|---:|---:|---:|---:|
EOT
for mock in fast spaced; do
    label="at once"; [ "$mock" = spaced ] && label="events ${interval} ms apart"
    for target in direct gateway; do
        read -r h fb ft lb n bad <<< "${line[$target-$mock]}"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$target" "$h" "$fb" "$ft" "$lb" "$n" "$bad"
    done
    read -r dh dfb dft dlb _ <<< "${line[direct-$mock]}"
    read -r gh gfb gft glb _ <<< "${line[gateway-$mock]}"
    awk -v l="$label" -v a="$gh" -v b="$dh" -v c="$gfb" -v d="$dfb" -v e="$gft" -v f="$dft" -v g="$glb" -v h="$dlb" \
        'BEGIN { printf "| %s | **added** | %+.3f | %+.3f | %+.3f | %+.3f | | |\n", l, a - b, c - d, e - f, g - h }'
done
