#!/usr/bin/env bash
# Start-up of the all-in-one gateway: the time from starting the process to its first served chat
# completion (HTTP 200 through the whole path: key, DLP, durable audit, provider, answer), over
# RUNS restarts on one data directory (the first run creates the key and is not counted), and the
# CPU time the process had used by then (utime + stime: on a shared machine the steadier figure).
#
#   bench/compare/startup.sh                 # RUNS=5
#   GATEWAY_DLL=/path/Synapse.Gateway.Api.dll EXTRA_ENV="DOTNET_TieredPGO=0" bench/compare/startup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init startup
runs="${RUNS:-5}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"

start_mock
port="$(free_port)"; silo_port="$(free_port)"; gateway_port="$(free_port)"
printf '{"model":"mock-model","messages":[{"role":"user","content":"Summarise the quarterly report."}]}' > "$work/chat.json"

start() {
    # shellcheck disable=SC2086
    start_gateway gateway "$work/data" "$port" "$silo_port" "$gateway_port" ${EXTRA_ENV:-}
    gw=$gateway_pid
}
stop() { kill "$gw"; wait "$gw" 2>/dev/null || true; }

start
wait_http "http://127.0.0.1:$port/healthz" 180
key="$(create_key "http://127.0.0.1:$port")"
stop

times=(); cpus=()
for i in $(seq 1 "$runs"); do
    started="$(now_ms)"
    start
    until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" -H 'content-type: application/json' \
        -d @"$work/chat.json" "http://127.0.0.1:$port/v1/chat/completions" 2>/dev/null)" = 200 ]; do
        sleep 0.02
    done
    elapsed=$(( $(now_ms) - started ))
    cpu_ms=$(( $(cpu_ticks "$gw") * 1000 / $(getconf CLK_TCK) ))
    times+=("$elapsed"); cpus+=("$cpu_ms")
    log "run $i: first served request after $elapsed ms, $cpu_ms ms of CPU (load average $(cut -d' ' -f1 /proc/loadavg))"
    stop
done
echo "start-up to first served request: median $(median "${times[@]}") ms over $runs runs (${times[*]} ms), CPU used by then: median $(median "${cpus[@]}") ms (${cpus[*]} ms), load average $(cut -d' ' -f1-3 /proc/loadavg)${EXTRA_ENV:+, env: $EXTRA_ENV}"
