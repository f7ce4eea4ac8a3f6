#!/usr/bin/env bash
# What one request costs the all-in-one gateway, in measures that survive a shared, loaded machine:
# CPU time (utime + stime from /proc/PID/stat) and managed bytes allocated (the runtime's
# dotnet.gc.heap.total_allocated counter, read with dotnet-counters) per request, non-streamed
# and streamed, over a fixed-length wrk run; RSS idle and after load. With PERF=1 it also samples
# the gateway with perf (DOTNET_PerfMapEnabled=1) and prints the top frames.
#
#   bench/compare/cost.sh                          # DURATION=15 seconds per run, CONNECTIONS=8
#   GATEWAY_DLL=/path/Synapse.Gateway.Api.dll bench/compare/cost.sh   # another build (e.g. main's)
#   PERF=1 bench/compare/cost.sh                   # + perf profile (needs perf from Debian)
#   TRACE=1 bench/compare/cost.sh                  # + allocation trace (dotnet-trace gc-verbose) per run
#   WARMUP=10                                      # seconds of load before each measured run (tiered JIT)
#   EXTRA_ENV="DOTNET_GCgen0size=0x1000000" bench/compare/cost.sh    # try runtime settings
#
# Needs node, wrk and dotnet-counters (dotnet tool install -g dotnet-counters).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init cost
duration="${DURATION:-15}"
connections="${CONNECTIONS:-8}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
export PATH="$PATH:$HOME/.dotnet/tools"

# Bytes the runtime allocated while a run went on: the sum of dotnet.gc.heap.total_allocated's
# per-second increments, collected in the background for the run plus two seconds.
start_allocations() { # pid file
    dotnet-counters collect -p "$1" --counters 'System.Runtime[dotnet.gc.heap.total_allocated]' \
        --format csv -o "$2" --refresh-interval 1 --duration "00:00:$(printf %02d $((duration + 2)))" >/dev/null 2>&1 &
    counters_pid=$!
    sleep 1
}
sum_allocations() { # file (after the collector has ended)
    awk -F, '/total_allocated/ { v += $NF } END { printf "%.0f", v }' "$1"
}

prompt="$(head -c 1000 < <(yes 'Summarise the quarterly report for the board. ' | tr -d '\n'))"
printf '{"model":"mock-model","messages":[{"role":"user","content":"%s"}]}' "$prompt" > "$work/chat.json"
printf '{"model":"mock-model","stream":true,"messages":[{"role":"user","content":"%s"}]}' "$prompt" > "$work/stream.json"

start_mock
port="$(free_port)"
# shellcheck disable=SC2086
start_gateway_and_serve gateway "$work/data" "$port" "$(free_port)" "$(free_port)" \
    ${PERF:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0} ${EXTRA_ENV:-}
gw=$gateway_pid; key=$gateway_key
url="http://127.0.0.1:$port/v1/chat/completions"

sleep 5
rss_idle="$(rss_mb "$gw")"

# run NAME BODY: prints "name requests rps cpu_us_per_request bytes_per_request non2xx"
run() {
    local name="$1" body="$2" out req rps bad c0 c1 bytes perf_pid=""
    BODY_FILE="$body" HEADERS="Authorization: Bearer $key" wrk -t2 -c"$connections" -d"${WARMUP:-10}s" -s "$here/request.lua" "$url" >/dev/null
    start_allocations "$gw" "$work/$name-counters.csv"
    c0="$(cpu_ticks "$gw")"
    if [ -n "${TRACE:-}" ]; then
        # Allocation samples (one per ~100 KB, with stacks): read with bench/Synapse.AllocationReport.
        dotnet-trace collect -p "$gw" --profile gc-verbose -o "${PERF_OUT:-/tmp}/cost-$name.nettrace" \
            --duration "00:00:00:$(printf %02d "$duration")" >/dev/null 2>&1 &
    fi
    if [ -n "${PERF:-}" ]; then
        perf record -F "${PERF_HZ:-499}" -g -p "$gw" -o "${PERF_OUT:-/tmp}/cost-$name.perf" >/dev/null 2>&1 &
        perf_pid=$!
    fi
    out="$(BODY_FILE="$body" HEADERS="Authorization: Bearer $key" wrk -t2 -c"$connections" -d"${duration}s" -s "$here/request.lua" "$url")"
    c1="$(cpu_ticks "$gw")"
    if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; fi
    wait "$counters_pid" 2>/dev/null || true
    bytes="$(sum_allocations "$work/$name-counters.csv")"
    req="$(awk '/requests in/ {print $1}' <<< "$out")"
    rps="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")"
    bad="$(awk '/Non-2xx/ {print $NF}' <<< "$out")"
    # The counter read itself allocates a little in the gateway (EventPipe): negligible per request.
    echo "$name $req $rps $(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / req )) $(( bytes / req )) ${bad:-0}"
    if [ -n "$perf_pid" ]; then
        perf report -i "${PERF_OUT:-/tmp}/cost-$name.perf" --stdio --no-children --sort dso,symbol -g none 2>/dev/null | grep -E '^ +[0-9]' | head -"${PERF_TOP:-40}" > "${PERF_OUT:-/tmp}/cost-$name-self.txt" || true
        perf report -i "${PERF_OUT:-/tmp}/cost-$name.perf" --stdio --children --sort dso,symbol -g none 2>/dev/null | grep -E '^ +[0-9]' | head -"${PERF_TOP:-80}" > "${PERF_OUT:-/tmp}/cost-$name-children.txt" || true
        log "perf tops in ${PERF_OUT:-/tmp}/cost-$name-{self,children}.txt"
    fi
}

load0="$(cut -d' ' -f1-3 /proc/loadavg)"
log "gateway pid $gw ready after ${ready_ms} ms, first answer after ${first_ms} ms, idle RSS ${rss_idle} MB"
nonstream="$(run nonstream "$work/chat.json")"
stream="$(run stream "$work/stream.json")"
rss_load="$(rss_mb "$gw")"
load1="$(cut -d' ' -f1-3 /proc/loadavg)"

cat <<EOF

Cost per request, $(date -u +%Y-%m-%dT%H:%MZ), $(basename "$(dirname "$gateway_dll")") build at $gateway_dll, ${duration}s per run, $connections connections, load average $load0 → $load1${EXTRA_ENV:+, env: $EXTRA_ENV}
| run | requests | requests/s | gateway CPU µs/request | allocated bytes/request | non-2xx |
|---|---:|---:|---:|---:|---:|
$(for line in "$nonstream" "$stream"; do read -r n r s c a b <<< "$line"; echo "| $n | $r | $s | $c | $a | $b |"; done)
RSS idle ${rss_idle} MB, after load ${rss_load} MB; ready after ${ready_ms} ms, first answer after ${first_ms} ms.
EOF
