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
repo="$(cd "$here/../.." && pwd)"
runs="${RUNS:-5}"
dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
work="$(mktemp -d /tmp/synapse-startup.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
log() { echo "[startup] $*" >&2; }
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
now_ms() { date +%s%3N; }

mock_port="$(free_port)"
node "$here/mock-upstream.mjs" "$mock_port" > "$work/mock.log" 2>&1 &
pids+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$mock_port/v1/models"; do sleep 0.1; done

admin_token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
port="$(free_port)"; silo_port="$(free_port)"; gateway_port="$(free_port)"
printf '{"model":"mock-model","messages":[{"role":"user","content":"Summarise the quarterly report."}]}' > "$work/chat.json"

start() {
    # shellcheck disable=SC2086
    env Synapse__DataDirectory="$work/data" urls="http://127.0.0.1:$port" Synapse__Admin__Token="$admin_token" \
        Synapse__Orleans__SiloPort="$silo_port" Synapse__Orleans__GatewayPort="$gateway_port" \
        Synapse__Providers__mock__Type=openai Synapse__Providers__mock__BaseUrl="http://127.0.0.1:$mock_port/v1" \
        Synapse__Providers__mock__Location=on-prem Synapse__Providers__mock__Models__0=mock-model \
        Logging__LogLevel__Default=Warning ${EXTRA_ENV:-} \
        dotnet "$dll" > "$work/gateway.log" 2>&1 &
    gw=$!
    pids+=("$gw")
}
stop() { kill "$gw"; wait "$gw" 2>/dev/null || true; }

mkdir -p "$work/data"
start
until curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.1; done
team="$(curl -fs -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' -d '{"name":"startup"}' "http://127.0.0.1:$port/admin/api/teams" | sed 's/.*"id":"\([^"]*\)".*/\1/')"
key="$(curl -fs -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' "http://127.0.0.1:$port/admin/api/keys" -d '{
    "teamId":"'"$team"'","name":"startup","systemPrompt":"You summarise reports.","allowedModels":["mock-model"],
    "classification":"non_sensitive","limits":{"requestsPerMinute":1000,"tokensPerMinute":1000000,"maxConcurrentRequests":10}}' \
    | sed 's/.*"key":"\(syn-[^"]*\)".*/\1/')"
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
    cpu_ms=$(( $(awk '{print $14 + $15}' "/proc/$gw/stat") * 1000 / $(getconf CLK_TCK) ))
    times+=("$elapsed"); cpus+=("$cpu_ms")
    log "run $i: first served request after $elapsed ms, $cpu_ms ms of CPU (load average $(cut -d' ' -f1 /proc/loadavg))"
    stop
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "start-up to first served request: median $(median "${times[@]}") ms over $runs runs (${times[*]} ms), CPU used by then: median $(median "${cpus[@]}") ms (${cpus[*]} ms), load average $(cut -d' ' -f1-3 /proc/loadavg)${EXTRA_ENV:+, env: $EXTRA_ENV}"
