// A fast OpenAI-compatible mock for the side-by-side comparison: it answers every chat
// completion at once, as one JSON object or as a stream of 7 chunks ending in [DONE].
// Usage: node mock-upstream.mjs PORT; MOCK_CONTENT_CHUNKS=N streams N content chunks instead of 5
// (chunks.sh prices each extra chunk with it); MOCK_CHUNK_INTERVAL_MS=M writes each event M ms
// after the one before instead of all at once (stream-timing.sh: first byte against last byte).
import http from 'node:http';

const port = Number(process.argv[2] ?? 0);
const answer = 'The quarterly report covers revenue, costs and the hiring plan.';
const words = answer.split(' ');
const contentChunks = Number(process.env.MOCK_CONTENT_CHUNKS ?? 5);
const chunkInterval = Number(process.env.MOCK_CHUNK_INTERVAL_MS ?? 0);

function completion(model) {
  return JSON.stringify({
    id: 'chatcmpl-mock', object: 'chat.completion', created: 1764500000, model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 250, completion_tokens: 12, total_tokens: 262 },
  });
}

// Seven events by default: the role, five content deltas (two words each, the answer's words again past
// the fifth), the finish; plus usage when asked for.
function chunks(model, includeUsage) {
  const base = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1764500000, model };
  const parts = [{ role: 'assistant', content: '' }];
  for (let i = 0; i < contentChunks; i++) {
    const at = (i * 2) % words.length;
    parts.push({ content: words.slice(at, at + 2).join(' ') + ' ' });
  }
  const sse = e => `data: ${JSON.stringify(e)}\n\n`;
  const events = parts.map(delta => sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] }));
  // The usage chunk leaves with the finish, as OpenAI sends it: spacing it would make a stream
  // that asks for usage (the gateway always does) one interval longer than one that does not.
  const usage = { ...base, choices: [], usage: { prompt_tokens: 250, completion_tokens: 12, total_tokens: 262 } };
  events.push(sse({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }) + (includeUsage ? sse(usage) : ''));
  return [...events, 'data: [DONE]\n\n'];
}

function writeSpaced(res, events) {
  const [first, ...rest] = events;
  if (rest.length === 0) { res.end(first); return; }
  res.write(first);
  setTimeout(() => writeSpaced(res, rest), chunkInterval);
}

const server = http.createServer((req, res) => {
  const body = [];
  req.on('data', c => body.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[{"id":"mock-model","object":"model"}]}');
      return;
    }
    let json = {};
    try { json = JSON.parse(Buffer.concat(body).toString('utf8')); } catch { /* answered below */ }
    const model = json.model ?? 'mock-model';
    if (json.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const events = chunks(model, json.stream_options?.include_usage === true);
      if (chunkInterval > 0) writeSpaced(res, events); else res.end(events.join(''));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(completion(model));
  });
});
server.keepAliveTimeout = 120_000;
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
