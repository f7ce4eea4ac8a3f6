#!/usr/bin/env bash
# CPU while idle, two builds or two settings side by side: both gateways start together, serve one
# request each, then (after SETTLE seconds) their CPU (utime + stime from /proc/PID/stat) is read
# over SAMPLES windows of WINDOW seconds while nothing calls them. Prints ms of CPU per second per
# window and the medians.
#
#   ENV_B="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=10" bench/compare/idle.sh
#   GATEWAY_A=/before/Synapse.Gateway.Api.dll bench/compare/idle.sh      # SETTLE=60 WINDOW=20 SAMPLES=4
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init idle
dll_b="${GATEWAY_B:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
dll_a="${GATEWAY_A:-$dll_b}"
window="${WINDOW:-20}"

write_chat_body "$work/chat.json"
start_mock
declare -A pid
for side in A B; do
    gateway_dll="$dll_a"; extra="${ENV_A:-}"
    if [ "$side" = B ]; then gateway_dll="$dll_b"; extra="${ENV_B:-}"; fi
    # shellcheck disable=SC2086
    start_gateway_and_serve "gateway-$side" "$work/data-$side" "$(free_port)" "$(free_port)" "$(free_port)" $extra
    pid[$side]=$gateway_pid
    log "$side: $gateway_dll ${extra:+($extra) }pid $gateway_pid"
done

sleep "${SETTLE:-60}"
a=(); b=()
echo "| window | A (ms of CPU per s) | B (ms of CPU per s) |"
echo "|---:|---:|---:|"
for n in $(seq 1 "${SAMPLES:-4}"); do
    ta="$(cpu_ticks "${pid[A]}")"; tb="$(cpu_ticks "${pid[B]}")"
    sleep "$window"
    a+=("$(cpu_ms_per_s $(( $(cpu_ticks "${pid[A]}") - ta )) "$window")")
    b+=("$(cpu_ms_per_s $(( $(cpu_ticks "${pid[B]}") - tb )) "$window")")
    echo "| $n | ${a[-1]} | ${b[-1]} |"
done
echo "| **median** | $(median "${a[@]}") | $(median "${b[@]}") |"
echo "A: $dll_a${ENV_A:+ ($ENV_A)}; B: $dll_b${ENV_B:+ ($ENV_B)}; RSS A $(rss_mb "${pid[A]}") MB, B $(rss_mb "${pid[B]}") MB"
