# Shared by the comparison scripts (sourced, never run): the work directory and the processes a
# run starts, both cleaned up on exit; free ports, waiting for an address, process figures; the
# mock upstream; the all-in-one gateway's settings and a key on it.
#
#   here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; . "$here/lib.sh"; bench_init NAME
#
# A script with more to stop than its processes (a PostgreSQL server) defines bench_stop_extras.

bench_init() { # name: the log prefix and the work directory's
    bench_name="$1"
    repo="$(cd "$here/../.." && pwd)"
    work="$(mktemp -d "/tmp/synapse-$1.XXXXXX")"
    pids=()
    admin_token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    trap bench_cleanup EXIT
}

bench_cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if declare -F bench_stop_extras > /dev/null; then bench_stop_extras; fi
    rm -rf "$work"
}

log() { echo "[$bench_name] $*" >&2; }

free_port() {
    node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_http() { # url, seconds
    local deadline=$((SECONDS + $2))
    until curl -fs -o /dev/null "$1"; do
        if [ $SECONDS -gt "$deadline" ]; then log "timed out waiting for $1"; return 1; fi
        sleep 0.1
    done
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_ms_per_s() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v s="$2" 'BEGIN { printf "%.1f", t * 1000 / hz / s }'; } # ticks seconds
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
now_ms() { date +%s%3N; }
# The median of the numbers given (the mean of the middle two for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# One wrk run of request.lua: prints "p50_ms rps requests non2xx" (one thread for one connection).
run_wrk() { # url headers body connections seconds
    local out threads=1
    [ "$4" -gt 1 ] && threads=2
    out="$(BODY_FILE="$3" HEADERS="$2" wrk -t"$threads" -c"$4" -d"$5s" --latency -s "$here/request.lua" "$1")"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        $1 == "50%" { p50 = ms($2) }
        /requests in/ { requests = $1 }
        /Requests\/sec/ { rps = $2 }
        /Non-2xx/ { bad = $NF }
        END { printf "%.3f %.0f %d %d\n", p50, rps, requests, bad + 0 }' <<< "$out"
}

# run_wrk against a process, with its CPU time over the run: prints
# "cpu_us_per_request rps requests non2xx".
cpu_slice() { # pid url headers body connections seconds
    local c0 c1 rps req bad
    c0="$(cpu_ticks "$1")"
    read -r _ rps req bad < <(run_wrk "$2" "$3" "$4" "$5" "$6")
    c1="$(cpu_ticks "$1")"
    echo "$(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / (req > 0 ? req : 1) )) $rps $req $bad"
}

# Installs wrk from Debian's packages when it is missing.
ensure_wrk() {
    if ! command -v wrk >/dev/null; then
        log "installing wrk from Debian's packages"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
    fi
}

# The comparison's request: a chat completion with a 1,000-character prompt, written to $1;
# "stream" as $2 asks for a streamed answer.
write_chat_body() { # path [stream]
    local prompt stream=""
    prompt="$(head -c 1000 < <(yes 'Summarise the quarterly report for the board. ' | tr -d '\n'))"
    [ "${2:-}" = stream ] && stream='"stream":true,'
    printf '{"model":"mock-model",%s"messages":[{"role":"user","content":"%s"}]}' "$stream" "$prompt" > "$1"
}

# The mock upstream (answers at once), on $mock_port.
start_mock() {
    mock_port="$(free_port)"
    node "$here/mock-upstream.mjs" "$mock_port" > "$work/mock.log" 2>&1 &
    pids+=($!); mock_pid=$!
    wait_http "http://127.0.0.1:$mock_port/v1/models" 20
}

# The all-in-one gateway's settings, one NAME=value word each, for env: the mock as its only
# provider, the run's admin token ($admin_token), quiet logs.
# MALLOC_ARENA_MAX as the image sets it (Dockerfile); MALLOC_ARENA_MAX=16 gives glibc's own limit on 2 cores.
synapse_env() { # data-dir http-port silo-port gateway-port
    echo "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}" "Synapse__DataDirectory=$1" "urls=http://127.0.0.1:$2" "Synapse__Admin__Token=$admin_token" \
        "Synapse__Orleans__SiloPort=$3" "Synapse__Orleans__GatewayPort=$4" \
        "Synapse__Providers__mock__Type=openai" "Synapse__Providers__mock__BaseUrl=http://127.0.0.1:$mock_port/v1" \
        "Synapse__Providers__mock__Location=on-prem" "Synapse__Providers__mock__Models__0=mock-model" \
        "Logging__LogLevel__Default=Warning"
}

# Starts $gateway_dll all-in-one with those settings and any further NAME=value words; its output
# in $work/LOG-NAME.log, its pid in $gateway_pid.
start_gateway() { # log-name data-dir http-port silo-port gateway-port [NAME=value ...]
    local name="$1" data="$2" port="$3" silo="$4" gateway="$5"
    shift 5
    mkdir -p "$data"
    # shellcheck disable=SC2046
    env $(synapse_env "$data" "$port" "$silo" "$gateway") "$@" dotnet "$gateway_dll" > "$work/$name.log" 2>&1 &
    gateway_pid=$!
    pids+=("$gateway_pid")
}

# start_gateway, then waits until the gateway is ready and has served a first chat completion
# ($work/chat.json) with a new key: sets $gateway_pid, $gateway_key, and $ready_ms and $first_ms
# (milliseconds since the start).
start_gateway_and_serve() { # log-name data-dir http-port silo-port gateway-port [NAME=value ...]
    local base="http://127.0.0.1:$3" started
    started="$(now_ms)"
    start_gateway "$@"
    wait_http "$base/healthz" 180
    ready_ms=$(( $(now_ms) - started ))
    gateway_key="$(create_key "$base")"
    curl -fs -o /dev/null -H "Authorization: Bearer $gateway_key" -H 'content-type: application/json' -d @"$work/chat.json" "$base/v1/chat/completions"
    first_ms=$(( $(now_ms) - started ))
}

create_key() { # base-url → prints the secret of a new key (its own team) that no limit slows
    local team
    team="$(curl -fs -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' -d '{"name":"bench-'"$RANDOM"'"}' "$1/admin/api/teams" | sed 's/.*"id":"\([^"]*\)".*/\1/')"
    curl -fs -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' "$1/admin/api/keys" -d '{
        "teamId":"'"$team"'","name":"bench","systemPrompt":"You summarise reports.","allowedModels":["mock-model"],
        "classification":"non_sensitive","limits":{"requestsPerMinute":100000000,"tokensPerMinute":2000000000,"maxConcurrentRequests":100000}}' \
        | sed 's/.*"key":"\(syn-[^"]*\)".*/\1/'
}
