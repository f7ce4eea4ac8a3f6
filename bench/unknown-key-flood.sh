#!/usr/bin/env bash
# Starts the all-in-one gateway (Release build) on a fresh data directory and floods /v1 with made-up
# keys from many source addresses, printing the gateway's resident memory as the flood goes on.
#   bench/unknown-key-flood.sh [requests] [concurrency] [sources] [extra gateway env, e.g. Synapse__KeyAuthentication__FailureLimit=0]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
requests="${1:-1000000}"
concurrency="${2:-64}"
sources="${3:-20000}"
shift $(( $# < 3 ? $# : 3 ))

dotnet build -c Release Gateway.Api | tail -3
dotnet build -c Release bench/Synapse.KeyFlood | tail -3

data="$(mktemp -d)"
port=$(( 20000 + RANDOM % 10000 ))
env Synapse__DataDirectory="$data" Synapse__Admin__Token="flood-admin-token-0123456789abcdef" \
    Synapse__Orleans__SiloPort=$(( port + 1 )) Synapse__Orleans__GatewayPort=$(( port + 2 )) \
    Logging__LogLevel__Default=Warning "$@" \
    dotnet Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll --urls "http://127.0.0.1:$port" >"$data/gateway.log" 2>&1 &
gateway=$!
trap 'kill -0 $gateway 2>/dev/null || { echo "--- the gateway exited; its last output:"; tail -40 "$data/gateway.log"; }; kill $gateway 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 1
done

dotnet bench/Synapse.KeyFlood/bin/Release/net10.0/Synapse.KeyFlood.dll \
    --url "http://127.0.0.1:$port" --pid "$gateway" --requests "$requests" --concurrency "$concurrency" --sources "$sources"
