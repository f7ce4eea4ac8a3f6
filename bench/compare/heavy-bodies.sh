#!/usr/bin/env bash
# What the largest bodies cost the all-in-one gateway: 4 MiB of prose, a body of many short strings
# at the parser's limit (RequestJson.MaxStrings) and one of 830,000 (a "stop" list of "A1"s, the
# shape that once cost ten times the prose's CPU). Each body is posted once, then CONCURRENCY
# copies at once (curl); for each: the answers' status codes, the gateway's CPU per request and
# its peak RSS (sampled every 20 ms) over a fresh gateway's baseline.
#
#   bench/compare/heavy-bodies.sh                   # the build output, CONCURRENCY=24
#   GATEWAY_DLL=/tmp/base/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll bench/compare/heavy-bodies.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/compare/lib.sh
. "$here/lib.sh"
bench_init heavy-bodies
concurrency="${CONCURRENCY:-24}"
gateway_dll="${GATEWAY_DLL:-$repo/Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll}"

start_mock
write_chat_body "$work/chat.json"
node -e '
const fs = require("fs"), dir = process.argv[1], size = 4150000;
const chat = extra => JSON.stringify({ model: "mock-model", max_tokens: 5, messages: [{ role: "user", content: "hi" }], ...extra });
let prose = ""; const words = ["report", "board", "quarter", "revenue", "summary", "growth"];
for (let i = 0; prose.length < size - 200; i++) prose += words[(i * 7) % words.length] + " ";
fs.writeFileSync(dir + "/prose.json", JSON.stringify({ model: "mock-model", max_tokens: 5, messages: [{ role: "user", content: prose }] }));
fs.writeFileSync(dir + "/strings-at-limit.json", chat({ stop: Array(49990).fill("A1") }));
fs.writeFileSync(dir + "/strings-830k.json", chat({ stop: Array(830000).fill("A1") }));
' "$work"

# Every body on a fresh gateway, so one body's leftovers do not count against the next.
echo "| body | bytes | once: status, CPU (ms) | $concurrency at once: statuses | CPU per request (ms) | RSS before → peak (MB) |"
echo "|---|---:|---|---|---:|---|"
for body in prose strings-at-limit strings-830k; do
    port="$(free_port)"
    start_gateway_and_serve "gateway-$body" "$work/data-$body" "$port" "$(free_port)" "$(free_port)"
    url="http://127.0.0.1:$port/v1/chat/completions"
    post() { curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $gateway_key" -H 'content-type: application/json' --data-binary @"$work/$body.json" "$url"; }
    export -f post; export gateway_key url work body
    c0="$(cpu_ticks "$gateway_pid")"
    once="$(post)"
    c1="$(cpu_ticks "$gateway_pid")"
    before="$(rss_mb "$gateway_pid")"
    ( peak=0; while [ ! -f "$work/done" ]; do r="$(rss_mb "$gateway_pid")"; [ "$r" -gt "$peak" ] && peak="$r" && echo "$peak" > "$work/peak"; sleep 0.02; done ) &
    statuses="$(seq "$concurrency" | xargs -P "$concurrency" -I{} bash -c post | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
    touch "$work/done"; wait $! 2>/dev/null || true; rm -f "$work/done"
    c2="$(cpu_ticks "$gateway_pid")"
    hz="$(getconf CLK_TCK)"
    echo "| $body | $(stat -c %s "$work/$body.json") | $once, $(( (c1 - c0) * 1000 / hz )) | $statuses| $(( (c2 - c1) * 1000 / hz / concurrency )) | $before → $(cat "$work/peak") |"
    kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
done
