import http from 'node:http';
export const captured = [];
function completion(body) {
  const hasToolResult = (body.messages || []).some(m => m.role === 'tool');
  const wantsTool = Array.isArray(body.tools) && body.tools.length > 0 && !hasToolResult && body.tool_choice !== 'none';
  const wantsJson = body.response_format && body.response_format.type !== 'text';
  const message = wantsTool
    ? { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: body.tools[0].function.name, arguments: '{"city":"Paris"}' } }] }
    : { role: 'assistant', content: wantsJson ? '{"city":"Paris","temperature":21}' : 'It is sunny.', refusal: null };
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: wantsTool ? 'tool_calls' : 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
}
export function start() {
  return new Promise(resolve => {
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', c => data += c);
      req.on('end', () => {
        const body = data ? JSON.parse(data) : null;
        captured.push({ path: req.url, body });
        if (req.url.endsWith('/embeddings')) {
          const n = Array.isArray(body.input) ? body.input.length : 1;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ object: 'list', model: body.model, data: Array.from({ length: n }, (_, i) => ({ object: 'embedding', index: i, embedding: [0.1, 0.2, 0.3] })), usage: { prompt_tokens: 3, total_tokens: 3 } }));
          return;
        }
        const answer = completion(body);
        if (!body.stream) { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(answer)); return; }
        res.setHeader('content-type', 'text/event-stream');
        const m = answer.choices[0].message;
        const chunk = (delta, finish) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
        res.write('data: ' + JSON.stringify(chunk({ role: 'assistant', content: '' }, null)) + '\n\n');
        if (m.tool_calls) {
          res.write('data: ' + JSON.stringify(chunk({ tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: m.tool_calls[0].function.name, arguments: '' } }] }, null)) + '\n\n');
          res.write('data: ' + JSON.stringify(chunk({ tool_calls: [{ index: 0, function: { arguments: m.tool_calls[0].function.arguments } }] }, null)) + '\n\n');
        } else {
          for (const w of m.content.split(' ')) res.write('data: ' + JSON.stringify(chunk({ content: w + ' ' }, null)) + '\n\n');
        }
        res.write('data: ' + JSON.stringify(chunk({}, answer.choices[0].finish_reason)) + '\n\n');
        if (body.stream_options && body.stream_options.include_usage) res.write('data: ' + JSON.stringify({ ...chunk({}, null), choices: [], usage: answer.usage }) + '\n\n');
        res.end('data: [DONE]\n\n');
      });
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
