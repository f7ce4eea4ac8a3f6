#!/usr/bin/env bash
# Two gateway builds (or one build under two settings) side by side on one machine: both run at
# once against the same mock, and short wrk slices alternate between them (A B, then B A, …), so
# each pair of slices shares the machine's state of those few seconds. Per slice: gateway CPU per
# request (utime + stime from /proc/PID/stat) and requests/s. Printed: every slice, each build's
# median, and the median of the per-round ratios B ÷ A — the figure that survives a machine whose
# speed drifts between runs far more than the difference being measured.
#
#   GATEWAY_A=/before/Synapse.Gateway.Api.dll GATEWAY_B=/after/Synapse.Gateway.Api.dll bench/compare/ab.sh
#   ENV_A="" ENV_B="DOTNET_TieredPGO=0" bench/compare/ab.sh       # one build, two settings
#   STREAM=1 bench/compare/ab.sh                                  # the streamed request (7 chunks)
#   STREAM=1 MOCK_CHUNKS_A=5 MOCK_CHUNKS_B=105 bench/compare/ab.sh # each side behind a mock of its own
#                                                                 # streaming 2 + N chunks (chunks.sh)
#   ROUNDS=8 SLICE=5 WARMUP=30 CONNECTIONS=32                     # the defaults
#
# GATEWAY_B defaults to this tree's Release build, GATEWAY_A to GATEWAY_B. Needs node and wrk.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init ab
ensure_wrk
rounds="${ROUNDS:-8}"
slice="${SLICE:-5}"
connections="${CONNECTIONS:-32}"
dll_b="${GATEWAY_B:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
dll_a="${GATEWAY_A:-$dll_b}"

write_chat_body "$work/chat.json"
write_chat_body "$work/stream.json" stream
body="$work/chat.json"
[ -n "${STREAM:-}" ] && body="$work/stream.json"

# One mock for both sides, or one each when MOCK_CHUNKS_A/MOCK_CHUNKS_B give their content chunks.
per_side_mock="${MOCK_CHUNKS_A:-}${MOCK_CHUNKS_B:-}"
[ -z "$per_side_mock" ] && start_mock
declare -A pid key url
for side in A B; do
    if [ -n "$per_side_mock" ]; then
        chunks_of_side="MOCK_CHUNKS_$side"
        MOCK_CONTENT_CHUNKS="${!chunks_of_side:-5}" start_mock
    fi
    gateway_dll="$dll_a"; extra="${ENV_A:-}"
    if [ "$side" = B ]; then gateway_dll="$dll_b"; extra="${ENV_B:-}"; fi
    port="$(free_port)"
    # shellcheck disable=SC2086
    start_gateway_and_serve "gateway-$side" "$work/data-$side" "$port" "$(free_port)" "$(free_port)" $extra
    pid[$side]=$gateway_pid; key[$side]=$gateway_key; url[$side]="http://127.0.0.1:$port/v1/chat/completions"
    log "$side: $gateway_dll ${extra:+($extra) }pid $gateway_pid, first answer after ${first_ms} ms"
done

# slice SIDE SECONDS: prints "cpu_us_per_request requests_per_second requests non2xx"
slice() { cpu_slice "${pid[$1]}" "${url[$1]}" "Authorization: Bearer ${key[$1]}" "$body" "$connections" "$2"; }

# Tiered compilation reaches its final code 10-15 s into full load on two cores: warm both well.
for side in A B; do slice "$side" "${WARMUP:-30}" > /dev/null; done

load0="$(cut -d' ' -f1-3 /proc/loadavg)"
cpu_a=(); cpu_b=(); rps_a=(); rps_b=(); ratios=(); differences=(); rows=""
for round in $(seq 1 "$rounds"); do
    order="A B"; [ $((round % 2)) -eq 0 ] && order="B A"
    declare -A got=()
    for side in $order; do got[$side]="$(slice "$side" "$slice")"; done
    read -r ca ra _ na <<< "${got[A]}"
    read -r cb rb _ nb <<< "${got[B]}"
    cpu_a+=("$ca"); cpu_b+=("$cb"); rps_a+=("$ra"); rps_b+=("$rb")
    ratios+=("$(awk -v a="$ca" -v b="$cb" 'BEGIN { printf "%.3f", b / a }')")
    differences+=("$((cb - ca))")
    rows+="| $round ($order) | $ca | $cb | ${ratios[-1]} | ${differences[-1]} | $ra | $rb | $na / $nb |"$'\n'
done
load1="$(cut -d' ' -f1-3 /proc/loadavg)"


cat <<EOF

A/B, $(date -u +%Y-%m-%dT%H:%MZ), $( [ -n "${STREAM:-}" ] && echo "streamed (${MOCK_CHUNKS_A:-5} / ${MOCK_CHUNKS_B:-5} content chunks)" || echo "non-streamed" ), $connections connections, $rounds rounds of ${slice}s slices, load average $load0 → $load1
A: $dll_a${ENV_A:+ ($ENV_A)}
B: $dll_b${ENV_B:+ ($ENV_B)}
| round (order) | A CPU µs/request | B CPU µs/request | B ÷ A | B − A (µs) | A requests/s | B requests/s | non-2xx A / B |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows}| **median** | $(median "${cpu_a[@]}") | $(median "${cpu_b[@]}") | **$(median "${ratios[@]}")** | $(median "${differences[@]}") | $(median "${rps_a[@]}") | $(median "${rps_b[@]}") | |
RSS after: A $(rss_mb "${pid[A]}") MB, B $(rss_mb "${pid[B]}") MB
EOF
