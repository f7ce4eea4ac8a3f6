#!/usr/bin/env bash
# Idle memory of the all-in-one gateway as compare.sh's "RSS idle" row takes it (started, one chat
# completion served, then idle), split the way /proc sees it: VmRSS, the anonymous part (GC heap,
# native allocations) and the rest (mapped assemblies and JIT'd code). RUNS runs, each on a fresh
# data directory; the mock upstream is compare.sh's.
#
#   bench/compare/footprint.sh                      # RUNS=3, the build output
#   GATEWAY_DLL=/tmp/r2r/Synapse.Gateway.Api.dll EXTRA_ENV="Synapse__Orleans__Dashboard=false" bench/compare/footprint.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init footprint
runs="${RUNS:-3}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"

start_mock
write_chat_body "$work/chat.json"
echo "| run | RSS (MB) | anonymous (MB) | mapped (MB) | ready (ms) | first answer (ms) |"
echo "|---:|---:|---:|---:|---:|---:|"
for run in $(seq 1 "$runs"); do
    # shellcheck disable=SC2086
    start_gateway_and_serve "gateway-$run" "$work/data-$run" "$(free_port)" "$(free_port)" "$(free_port)" ${EXTRA_ENV:-}
    sleep "${IDLE_SECONDS:-8}"
    rss=$(rss_mb "$gateway_pid")
    anon=$(awk '/^Anonymous/ {printf "%.0f", $2 / 1024}' "/proc/$gateway_pid/smaps_rollup")
    echo "| $run | $rss | $anon | $((rss - anon)) | $ready_ms | $first_ms |"
    kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
done
