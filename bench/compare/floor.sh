#!/usr/bin/env bash
# The floor under the gateway's CPU per request, measured in one run: the same request passed on by
# the least .NET can do (bench/Synapse.ProxyFloor: Kestrel in, HttpClient out, nothing else), by
# the same with one Orleans grain hop in between (a silo in the process, as the all-in-one gateway
# has), and by the gateway itself. wrk slices rotate between the three (ROUNDS of SLICE seconds
# each, after WARMUP seconds each); per slice, CPU per request from /proc/PID/stat. Prints each
# one's median and its ratio to the plain floor's, round by round.
#
#   bench/compare/floor.sh            # ROUNDS=6 SLICE=5 WARMUP=20 CONNECTIONS=32; STREAM is not offered
#   GATEWAY_DLL=/path/Synapse.Gateway.Api.dll bench/compare/floor.sh
#
# Builds bench/Synapse.ProxyFloor (Release) unless SKIP_BUILD=1. Needs node and wrk.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init floor
ensure_wrk
rounds="${ROUNDS:-6}"
slice="${SLICE:-5}"
connections="${CONNECTIONS:-32}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
floor_dll="$repo/bench/Synapse.ProxyFloor/bin/Release/net10.0/Synapse.ProxyFloor.dll"
[ -n "${SKIP_BUILD:-}" ] || dotnet build -c Release -v q "$repo/bench/Synapse.ProxyFloor" >/dev/null

write_chat_body "$work/chat.json"
start_mock
declare -A pid url auth
for mode in plain grain; do
    port="$(free_port)"
    dotnet "$floor_dll" "$mode" "http://127.0.0.1:$mock_port/v1" "http://127.0.0.1:$port" > "$work/floor-$mode.log" 2>&1 &
    pid[$mode]=$!; pids+=($!)
    wait_http "http://127.0.0.1:$port/healthz" 60
    url[$mode]="http://127.0.0.1:$port/v1/chat/completions"; auth[$mode]="x-floor: $mode"
done
port="$(free_port)"
start_gateway_and_serve gateway "$work/data" "$port" "$(free_port)" "$(free_port)"
pid[gateway]=$gateway_pid; url[gateway]="http://127.0.0.1:$port/v1/chat/completions"; auth[gateway]="Authorization: Bearer $gateway_key"

# slice NAME SECONDS: prints "cpu_us_per_request requests_per_second requests non2xx"
slice() {
    local got
    got="$(cpu_slice "${pid[$1]}" "${url[$1]}" "${auth[$1]}" "$work/chat.json" "$connections" "$2")"
    read -r _ _ _ bad <<< "$got"
    if [ "$bad" != 0 ]; then log "$1 answered $bad non-2xx"; fi
    echo "$got"
}

names=(plain grain gateway)
for name in "${names[@]}"; do slice "$name" "${WARMUP:-20}" > /dev/null; done
load0="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A cpu rps
rows=""; grain_ratios=(); gateway_ratios=()
for round in $(seq 1 "$rounds"); do
    declare -A got=()
    # Rotate the order so that no one always runs first.
    for k in 0 1 2; do name="${names[$(( (k + round) % 3 ))]}"; got[$name]="$(slice "$name" "$slice")"; done
    for name in "${names[@]}"; do read -r c r _ <<< "${got[$name]}"; cpu[$name]+="$c "; rps[$name]+="$r "; done
    read -r cp _ <<< "${got[plain]}"; read -r cg _ <<< "${got[grain]}"; read -r cw _ <<< "${got[gateway]}"
    grain_ratios+=("$(awk -v a="$cp" -v b="$cg" 'BEGIN { printf "%.2f", b / a }')")
    gateway_ratios+=("$(awk -v a="$cp" -v b="$cw" 'BEGIN { printf "%.2f", b / a }')")
    rows+="| $round | $cp | $cg | $cw | ${grain_ratios[-1]} | ${gateway_ratios[-1]} |"$'\n'
done
load1="$(cut -d' ' -f1-3 /proc/loadavg)"

# p50 URL HEADERS: the median latency in ms at one connection over LATENCY seconds.
p50() { run_wrk "$1" "$2" "$work/chat.json" 1 "${LATENCY:-5}" | cut -d' ' -f1; }
direct50="$(p50 "http://127.0.0.1:$mock_port/v1/chat/completions" "")"
declare -A lat
for name in "${names[@]}"; do lat[$name]="$(p50 "${url[$name]}" "${auth[$name]}")"; done
added() { awk -v a="$1" -v d="$direct50" 'BEGIN { printf "+%.3f", a - d }'; }
# shellcheck disable=SC2086
cat <<EOT

Floor under the gateway's cost, $(date -u +%Y-%m-%dT%H:%MZ), non-streamed, $connections connections, $rounds rounds of ${slice}s slices, load average $load0 → $load1
| round | plain floor CPU µs/request | floor + one grain hop | Synapse gateway | hop ÷ plain | gateway ÷ plain |
|---|---:|---:|---:|---:|---:|
${rows}| **median** | $(median ${cpu[plain]}) | $(median ${cpu[grain]}) | $(median ${cpu[gateway]}) | **$(median "${grain_ratios[@]}")** | **$(median "${gateway_ratios[@]}")** |
p50 at 1 connection (ms): mock direct $direct50, plain ${lat[plain]} ($(added "${lat[plain]}")), grain hop ${lat[grain]} ($(added "${lat[grain]}")), gateway ${lat[gateway]} ($(added "${lat[gateway]}"))
requests/s, median: plain $(median ${rps[plain]}), grain hop $(median ${rps[grain]}), gateway $(median ${rps[gateway]}); RSS: plain $(rss_mb "${pid[plain]}") MB, grain hop $(rss_mb "${pid[grain]}") MB, gateway $(rss_mb "${pid[gateway]}") MB
EOT
