#!/usr/bin/env bash
# p50 at one connection of two gateway builds (or one build under two settings) and of the mock
# called directly, in alternating 5-second wrk slices after a warm-up, so that each build's figure
# is taken beside the other's: the latency counterpart of ab.sh, for changes whose effect is on
# the time a lone request waits rather than on CPU.
#
#   GATEWAY_A=/before/Synapse.Gateway.Api.dll bench/compare/latency.sh   # B: this tree's Release build
#   ENV_B="Synapse__Audit__DeferrableCommitDelay=00:00:00" bench/compare/latency.sh
#   STREAM=1 ROUNDS=6 SLICE=5 WARMUP=15                                   # the defaults, streamed
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init latency
ensure_wrk
dll_b="${GATEWAY_B:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
dll_a="${GATEWAY_A:-$dll_b}"

write_chat_body "$work/chat.json"
body="$work/chat.json"
if [ -n "${STREAM:-}" ]; then write_chat_body "$work/stream.json" stream; body="$work/stream.json"; fi
start_mock
declare -A url auth
url[direct]="http://127.0.0.1:$mock_port/v1/chat/completions"; auth[direct]="x-direct: 1"
for side in A B; do
    gateway_dll="$dll_a"; extra="${ENV_A:-}"
    if [ "$side" = B ]; then gateway_dll="$dll_b"; extra="${ENV_B:-}"; fi
    port="$(free_port)"
    # shellcheck disable=SC2086
    start_gateway_and_serve "gateway-$side" "$work/data-$side" "$port" "$(free_port)" "$(free_port)" $extra
    url[$side]="http://127.0.0.1:$port/v1/chat/completions"; auth[$side]="Authorization: Bearer $gateway_key"
    log "$side: $gateway_dll ${extra:+($extra)}"
done

# Full load first: tiered compilation reaches its final code 10-15 s into it on two cores.
for name in direct A B; do
    run_wrk "${url[$name]}" "${auth[$name]}" "$body" 32 "${WARMUP:-15}" > /dev/null
    run_wrk "${url[$name]}" "${auth[$name]}" "$body" 1 5 > /dev/null
done

load0="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A p50s
for round in $(seq 1 "${ROUNDS:-6}"); do
    order="direct A B"; [ $((round % 2)) -eq 0 ] && order="direct B A"
    for name in $order; do
        read -r p50 _ <<< "$(run_wrk "${url[$name]}" "${auth[$name]}" "$body" 1 "${SLICE:-5}")"
        p50s[$name]+="$p50 "
    done
done
load1="$(cut -d' ' -f1-3 /proc/loadavg)"

direct="$(median ${p50s[direct]})"
cat <<EOT

p50 at one connection, $(date -u +%Y-%m-%dT%H:%MZ), $( [ -n "${STREAM:-}" ] && echo streamed || echo non-streamed ), ${ROUNDS:-6} rounds of ${SLICE:-5}s slices, load average $load0 → $load1
A: $dll_a${ENV_A:+ ($ENV_A)}
B: $dll_b${ENV_B:+ ($ENV_B)}
| | p50 per round (ms) | median (ms) | added to direct (ms) |
|---|---|---:|---:|
EOT
for name in direct A B; do
    m="$(median ${p50s[$name]})"
    printf '| %s | %s | %.3f | %s |\n' "$name" "${p50s[$name]% }" "$m" "$( [ "$name" = direct ] && echo — || awk -v m="$m" -v d="$direct" 'BEGIN { printf "%+.3f", m - d }')"
done
