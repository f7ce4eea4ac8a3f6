// Times streamed chat completions one after another on one kept-alive connection, as a client
// sees them: to the response's headers, to the first byte of its body, to the first byte of
// answer text (the first event whose delta holds non-empty "content") and to the last byte.
// wrk only sees the last byte; issue 13 asks for the first and the last separately.
//
//   node stream-timing.mjs URL BODY_FILE SECONDS ["Name: value;Name: value"]
//
// Prints one line: "headers_p50 first_byte_p50 first_text_p50 last_byte_p50 requests failures",
// milliseconds to three decimals. A warm-up is the caller's (run it once with a short duration).
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [url, bodyFile, seconds, headerList = ''] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const headers = { 'content-type': 'application/json', 'content-length': body.length };
for (const pair of headerList.split(';')) {
  const at = pair.indexOf(':');
  if (at > 0) headers[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const target = new URL(url);
// A content delta with at least one character: the first text a user would see.
const textEvent = /"delta":\{[^}]*"content":"[^"]/;

function once() {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
    const times = { headers: 0, firstByte: 0, firstText: 0, lastByte: 0, ok: false };
    let seen = '';
    const req = http.request(target, { method: 'POST', agent, headers }, (res) => {
      times.headers = ms();
      res.on('data', (chunk) => {
        if (!times.firstByte) times.firstByte = ms();
        if (!times.firstText) {
          // Keep only what an event split across two reads needs.
          seen = (seen + chunk.toString('utf8')).slice(-4096);
          if (textEvent.test(seen)) times.firstText = ms();
        }
      });
      res.on('end', () => {
        times.lastByte = ms();
        times.ok = res.statusCode === 200 && times.firstText > 0;
        resolve(times);
      });
    });
    req.on('error', () => resolve(times));
    req.end(body);
  });
}

const p50 = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};

const until = Date.now() + Number(seconds) * 1000;
const samples = [];
let failures = 0;
while (Date.now() < until) {
  const t = await once();
  if (t.ok) samples.push(t); else failures++;
}
agent.destroy();
const fields = ['headers', 'firstByte', 'firstText', 'lastByte'].map((f) => p50(samples.map((s) => s[f])).toFixed(3));
console.log(`${fields.join(' ')} ${samples.length} ${failures}`);
