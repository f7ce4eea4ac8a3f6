// A fast OpenAI-compatible mock for the side-by-side comparison: it answers every chat
// completion at once, as one JSON object or as a stream of 7 chunks ending in [DONE].
// Usage: node mock-upstream.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2] ?? 0);
const answer = 'The quarterly report covers revenue, costs and the hiring plan.';
const words = answer.split(' ');

function completion(model) {
  return JSON.stringify({
    id: 'chatcmpl-mock', object: 'chat.completion', created: 1764500000, model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 250, completion_tokens: 12, total_tokens: 262 },
  });
}

// Seven events: the role, five content deltas, the finish; plus usage when asked for.
function chunks(model, includeUsage) {
  const base = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1764500000, model };
  const parts = [{ role: 'assistant', content: '' }];
  for (let i = 0; i < 5; i++) {
    parts.push({ content: words.slice(i * 2, i * 2 + 2).join(' ') + ' ' });
  }
  const events = parts.map(delta => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] }));
  events.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] });
  if (includeUsage) {
    events.push({ ...base, choices: [], usage: { prompt_tokens: 250, completion_tokens: 12, total_tokens: 262 } });
  }
  return events.map(e => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
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
      res.end(chunks(model, json.stream_options?.include_usage === true));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(completion(model));
  });
});
server.keepAliveTimeout = 120_000;
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
