#!/usr/bin/env bash
# What one more streamed chunk costs the gateway: ab.sh with one build on both sides, each behind
# a mock of its own — A's streams the comparison's 7 chunks (5 content chunks), B's 5 + EXTRA —
# and the median of the per-round differences B − A divided by EXTRA: CPU µs per extra chunk.
#
#   bench/compare/chunks.sh                          # EXTRA=100 ROUNDS=6 SLICE=5 WARMUP=30 CONNECTIONS=32
#   GATEWAY_DLL=/tmp/r2r/Synapse.Gateway.Api.dll bench/compare/chunks.sh
#
# Needs node and wrk.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
extra="${EXTRA:-100}"
dll="${GATEWAY_DLL:-$here/../../Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"

# Long streams run the per-chunk code 15 times as often as the comparison's: a longer warm-up.
table="$(GATEWAY_A="$dll" GATEWAY_B="$dll" STREAM=1 MOCK_CHUNKS_A=5 MOCK_CHUNKS_B=$((5 + extra)) \
    WARMUP="${WARMUP:-30}" ROUNDS="${ROUNDS:-6}" "$here/ab.sh")"
echo "$table"
awk -F'|' -v n="$extra" '/\*\*median\*\*/ { gsub(/ /, "", $6); printf "CPU per extra chunk: %.1f µs (median B − A ÷ %d)\n", $6 / n, n }' <<< "$table"
