#!/usr/bin/env bash
# Side by side on this machine, in one run: the mock upstream called directly, Portkey's
# open-source gateway (npm @portkey-ai/gateway 1.15.2) and Synapse all-in-one (default policy,
# durable audit on), optionally a Synapse cluster (2 silos + 1 front end on PostgreSQL).
#
#   bench/compare/compare.sh                 # DURATION=10 seconds per measurement, WARMUP=15 before each
#   CLUSTER=1 bench/compare/compare.sh       # adds the cluster column (needs PostgreSQL's binaries)
#   SKIP_BUILD=1 GATEWAY_DLL=… SILO_DLL=… bench/compare/compare.sh   # another build (e.g. main's, copied aside)
#
# Same mock (Node, answers at once), same request (a 1,000-character prompt), wrk for load: one
# connection for latency, 32 for throughput. CPU per request is the server's utime + stime from
# /proc/PID/stat over the throughput run, divided by the requests wrk completed; the same over the
# latency run gives the CPU per request at one connection, and over 20 quiet seconds after the
# load the CPU each process uses while idle. RSS is VmRSS.
# Installs wrk from apt and Portkey from npm (into a temporary folder) when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init compare
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"
silo_dll="${SILO_DLL:-$repo/Silo/bin/Release/net10.0/Synapse.Silo.dll}"

bench_stop_extras() {
    if [ -n "${pg_data:-}" ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true; fi
}

ensure_tools() {
    ensure_wrk
    portkey_dir="${PORTKEY_DIR:-$work/portkey}"
    if [ ! -f "$portkey_dir/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
        log "installing @portkey-ai/gateway@1.15.2 into $portkey_dir"
        mkdir -p "$portkey_dir"
        npm install --prefix "$portkey_dir" --no-audit --no-fund --silent @portkey-ai/gateway@1.15.2 >/dev/null
    fi
    if [ -z "${SKIP_BUILD:-}" ]; then
        log "building Synapse (Release)"
        dotnet build "$repo/Gateway.Api" -c Release -v q -nologo >/dev/null
        [ -n "${CLUSTER:-}" ] && dotnet build "$repo/Silo" -c Release -v q -nologo >/dev/null
    fi
    return 0
}

write_bodies() {
    write_chat_body "$work/chat.json"
    write_chat_body "$work/stream.json" stream
}

# Steady state before measuring: WARMUP seconds at full load (a JIT's optimising tier arrives
# under load: .NET's tiered compilation took 10-15 s here, and a 3-second warm-up measured the
# gateway's latency while it was still being compiled), then 5 s at one connection, so the latency
# run does not start inside the settling after the burst. The same for every target.
warm_up() { # name url headers body
    log "$1: warm-up, ${WARMUP:-15} s at $connections connections and 5 s at 1"
    BODY_FILE="$4" HEADERS="$3" wrk -t2 -c"$connections" -d"${WARMUP:-15}s" -s "$here/request.lua" "$2" >/dev/null
    run_wrk "$2" "$3" "$4" 1 5 > /dev/null
}

# Measures one target; prints "p50 rps cpu_us_per_request stream_p50 stream_cpu_us rss_idle rss_load errors
# stream_first_byte_p50 stream_last_byte_p50 cpu_us_per_request_at_1_connection" (stream-timing.mjs: wrk
# sees only the last byte)
measure() { # name url headers pid(s, comma-separated; empty for the mock) stream(0/1)
    local name="$1" url="$2" headers="$3" pids_csv="$4" stream="$5"
    local rss_idle=0 rss_load=0 p50 rps req bad cpu0=0 cpu1=0 cpu_us=0 s50="-" scpu="-" sfb="-" slb="-" errors=0 lcpu="-"
    for pid in ${pids_csv//,/ }; do rss_idle=$((rss_idle + $(rss_mb "$pid"))); done
    warm_up "$name" "$url" "$headers" "$work/chat.json"
    log "$name: latency at 1 connection"
    for pid in ${pids_csv//,/ }; do cpu0=$((cpu0 + $(cpu_ticks "$pid"))); done
    read -r p50 _ req bad < <(run_wrk "$url" "$headers" "$work/chat.json" 1 "$duration"); errors=$((errors + bad))
    for pid in ${pids_csv//,/ }; do cpu1=$((cpu1 + $(cpu_ticks "$pid"))); done
    # At one connection every hop wakes a parked thread: the cost a lightly used gateway pays.
    [ -n "$pids_csv" ] && lcpu=$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / (req > 0 ? req : 1) ))
    cpu0=$cpu1; cpu1=0 # the throughput run starts where the latency run ended
    log "$name: throughput at $connections connections"
    read -r _ rps req bad < <(run_wrk "$url" "$headers" "$work/chat.json" "$connections" "$duration"); errors=$((errors + bad))
    for pid in ${pids_csv//,/ }; do cpu1=$((cpu1 + $(cpu_ticks "$pid"))); done
    [ -n "$pids_csv" ] && cpu_us=$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / (req > 0 ? req : 1) ))
    if [ "$stream" = 1 ]; then
        warm_up "$name (streamed)" "$url" "$headers" "$work/stream.json"
        log "$name: streamed latency at 1 connection"
        read -r s50 _ _ bad < <(run_wrk "$url" "$headers" "$work/stream.json" 1 "$duration"); errors=$((errors + bad))
        log "$name: streamed first and last byte at 1 connection"
        read -r _ sfb _ slb _ bad < <(node "$here/stream-timing.mjs" "$url" "$work/stream.json" "$duration" "$headers"); errors=$((errors + bad))
        cpu0=0; cpu1=0
        for pid in ${pids_csv//,/ }; do cpu0=$((cpu0 + $(cpu_ticks "$pid"))); done
        log "$name: streamed throughput at $connections connections"
        read -r _ _ req bad < <(run_wrk "$url" "$headers" "$work/stream.json" "$connections" "$duration"); errors=$((errors + bad))
        for pid in ${pids_csv//,/ }; do cpu1=$((cpu1 + $(cpu_ticks "$pid"))); done
        [ -n "$pids_csv" ] && scpu=$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / (req > 0 ? req : 1) ))
    fi
    for pid in ${pids_csv//,/ }; do rss_load=$((rss_load + $(rss_mb "$pid"))); done
    echo "$p50 $rps $cpu_us $s50 $scpu $rss_idle $rss_load $errors $sfb $slb $lcpu"
}

start_portkey() {
    portkey_port="$(free_port)"
    NODE_ENV=production node "$portkey_dir/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$portkey_port" --headless > "$work/portkey.log" 2>&1 &
    pids+=($!); portkey_pid=$!
    local deadline=$((SECONDS + 30))
    until curl -s -o /dev/null "http://127.0.0.1:$portkey_port/"; do
        [ $SECONDS -gt $deadline ] && { log "Portkey did not start"; cat "$work/portkey.log" >&2; return 1; }
        sleep 0.1
    done
}

start_synapse() {
    synapse_port="$(free_port)"
    start_gateway_and_serve synapse "$work/synapse-data" "$synapse_port" "$(free_port)" "$(free_port)"
    synapse_pid=$gateway_pid; synapse_key=$gateway_key; synapse_ready_ms=$ready_ms; synapse_first_ms=$first_ms
}

start_cluster() {
    pg_bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | tail -1)")"
    pg_data="$work/pg"; mkdir -p "$pg_data"; chown postgres "$pg_data" "$work"
    local pg_port; pg_port="$(free_port)"
    runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -A trust -U synapse >/dev/null
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" -l "$work/pg.log" start >/dev/null
    local cs="Host=127.0.0.1;Port=$pg_port;Username=synapse;Database=postgres"
    local hash signing; hash="$(head -c 32 /dev/urandom | base64)"; signing="$(head -c 32 /dev/urandom | base64)"
    # A cluster's silos and front ends share one checkpoint directory (docs/audit.md).
    local checkpoints="$work/checkpoints"; mkdir -p "$checkpoints"
    cluster_pids=""
    for i in 1 2; do
        local silo_port gateway_port; silo_port="$(free_port)"; gateway_port="$(free_port)"
        # Each silo its own management port: by default every silo listens on 9464.
        env $(synapse_env "$work/silo$i" 0 "$silo_port" "$gateway_port") ConnectionStrings__Postgres="$cs" Synapse__Management__Port="$(free_port)" \
            Synapse__Audit__HashKey="$hash" Synapse__Audit__SigningKey="$signing" Synapse__Audit__CheckpointDirectory="$checkpoints" \
            dotnet "$silo_dll" > "$work/silo$i.log" 2>&1 &
        pids+=($!); cluster_pids="$cluster_pids,$!"
    done
    cluster_port="$(free_port)"
    start_gateway front "$work/front" "$cluster_port" "$(free_port)" "$(free_port)" ConnectionStrings__Postgres="$cs" Synapse__Mode=client \
        Synapse__Audit__HashKey="$hash" Synapse__Audit__SigningKey="$signing" Synapse__Audit__CheckpointDirectory="$checkpoints"
    cluster_pids="${cluster_pids#,},$gateway_pid"
    # Ready, not only alive: the front end answers 503 until it has reached a silo.
    if ! wait_http "http://127.0.0.1:$cluster_port/healthz/ready" 180; then
        tail -5 "$work/silo1.log" "$work/front.log" >&2
        return 1
    fi
    cluster_key="$(create_key "http://127.0.0.1:$cluster_port")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "-" || b == "-") print "-"; else printf "%.2f×", a / b }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-") print "-"; else printf "%+.3f", a - b }'; }

ensure_tools
write_bodies
start_mock
start_portkey
start_synapse
log "Synapse ready after ${synapse_ready_ms} ms, first request served after ${synapse_first_ms} ms"

mock_url="http://127.0.0.1:$mock_port/v1/chat/completions"
read -r d50 drps _ ds50 _ _ _ derr dfb dlb _ < <(measure direct "$mock_url" "" "" 1)
read -r p50 prps pcpu _ _ pidle pload perr _ _ plcpu < <(measure portkey "http://127.0.0.1:$portkey_port/v1/chat/completions" \
    "x-portkey-provider: openai;x-portkey-custom-host: http://127.0.0.1:$mock_port/v1;Authorization: Bearer sk-mock" "$portkey_pid" 0)
read -r s50 srps scpu ss50 sscpu sidle sload serr sfb slb slcpu < <(measure synapse "http://127.0.0.1:$synapse_port/v1/chat/completions" \
    "Authorization: Bearer $synapse_key" "$synapse_pid" 1)
# Memory once the load is over: both have been idle since their last measurement; 40 s is more
# than the gateway's idle-trim interval (Synapse:Memory:TrimAfterQuiet, 30 s). The CPU each uses
# while idle is read over the last 20 s of that wait (the first seconds after a load still hold
# .NET's tiered compilation catching up).
quiet="${QUIET:-40}"; [ "$quiet" -ge 20 ] || quiet=20
sleep $((quiet - 20))
pidle0="$(cpu_ticks "$portkey_pid")"; sidle0="$(cpu_ticks "$synapse_pid")"
sleep 20
pidlecpu="$(cpu_ms_per_s $(( $(cpu_ticks "$portkey_pid") - pidle0 )) 20)"
sidlecpu="$(cpu_ms_per_s $(( $(cpu_ticks "$synapse_pid") - sidle0 )) 20)"
pquiet="$(rss_mb "$portkey_pid")"; squiet="$(rss_mb "$synapse_pid")"
if [ -n "${CLUSTER:-}" ] && ! start_cluster; then
    log "the cluster did not start; its column is left out"
    CLUSTER=""
fi
if [ -n "${CLUSTER:-}" ]; then
    read -r c50 crps ccpu cs50 cscpu cidle cload cerr cfb clb clcpu < <(measure cluster "http://127.0.0.1:$cluster_port/v1/chat/completions" \
        "Authorization: Bearer $cluster_key" "$cluster_pids" 1)
fi

cat <<EOF

Side by side, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${duration}s per measurement, wrk 1 and $connections connections.
| | direct | Portkey 1.15.2 | Synapse all-in-one | Synapse ÷ Portkey |$( [ -n "${CLUSTER:-}" ] && echo " Synapse cluster (2 silos + front end) |")
|---|---:|---:|---:|---:|$( [ -n "${CLUSTER:-}" ] && echo "---:|")
| non-stream p50 at 1 connection (ms) | $d50 | $p50 ($(added "$p50" "$d50")) | $s50 ($(added "$s50" "$d50")) | $(ratio "$s50" "$p50") |$( [ -n "${CLUSTER:-}" ] && echo " $c50 ($(added "$c50" "$d50")) |")
| non-stream requests/s at $connections connections | $drps | $prps | $srps | $(ratio "$srps" "$prps") |$( [ -n "${CLUSTER:-}" ] && echo " $crps |")
| gateway CPU per non-stream request (µs) | — | $pcpu | $scpu | $(ratio "$scpu" "$pcpu") |$( [ -n "${CLUSTER:-}" ] && echo " $ccpu (all processes) |")
| gateway CPU per non-stream request at 1 connection (µs) | — | $plcpu | $slcpu | $(ratio "$slcpu" "$plcpu") |$( [ -n "${CLUSTER:-}" ] && echo " $clcpu (all processes) |")
| streamed answer (7 chunks) p50 at 1 connection (ms) | $ds50 | not measured (its stream fails on Node 20) | $ss50 ($(added "$ss50" "$ds50")) | — |$( [ -n "${CLUSTER:-}" ] && echo " $cs50 ($(added "$cs50" "$ds50")) |")
| streamed: first byte / last byte p50 at 1 connection (ms) | $dfb / $dlb | — | $sfb ($(added "$sfb" "$dfb")) / $slb ($(added "$slb" "$dlb")) | — |$( [ -n "${CLUSTER:-}" ] && echo " $cfb ($(added "$cfb" "$dfb")) / $clb ($(added "$clb" "$dlb")) |")
| gateway CPU per streamed request (µs) | — | — | $sscpu | — |$( [ -n "${CLUSTER:-}" ] && echo " $cscpu |")
| RSS idle (MB) | — | $pidle | $sidle | $(ratio "$sidle" "$pidle") |$( [ -n "${CLUSTER:-}" ] && echo " $cidle (all processes) |")
| RSS after load (MB) | — | $pload | $sload | $(ratio "$sload" "$pload") |$( [ -n "${CLUSTER:-}" ] && echo " $cload |")
| RSS $quiet s after the load (MB) | — | $pquiet | $squiet | $(ratio "$squiet" "$pquiet") |$( [ -n "${CLUSTER:-}" ] && echo " — |")
| CPU while idle, the last 20 s of those (ms per s) | — | $pidlecpu | $sidlecpu | $(ratio "$sidlecpu" "$pidlecpu") |$( [ -n "${CLUSTER:-}" ] && echo " — |")
| start-up to ready / to first served request (ms) | — | — | $synapse_ready_ms / $synapse_first_ms | — |$( [ -n "${CLUSTER:-}" ] && echo " — |")
| non-200 answers during the run | $derr | $perr | $serr | — |$( [ -n "${CLUSTER:-}" ] && echo " $cerr |")
EOF
