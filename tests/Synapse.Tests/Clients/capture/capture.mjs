import fs from 'node:fs';
import { start, captured } from './server.mjs';
import { z } from 'zod';
const server = await start();
const baseURL = `http://127.0.0.1:${server.address().port}/v1`;
const apiKey = 'syn-test';
const model = 'gpt-4o-mini';
const out = {};
async function scenario(name, fn) {
  captured.length = 0;
  try { await fn(); } catch (e) { console.error(name, 'failed:', e.message); }
  out[name] = captured.map(c => c.body);
  console.log(name, captured.length, 'request(s)');
}
const weather = { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'], additionalProperties: false };

// openai Node SDK 6
const { default: OpenAI } = await import('openai');
const { zodResponseFormat } = await import('openai/helpers/zod');
const oa = new OpenAI({ baseURL, apiKey });
await scenario('openai-node/chat', () => oa.chat.completions.create({ model, messages: [{ role: 'system', content: 'Answer in one sentence.' }, { role: 'user', content: 'What is the weather in Paris?' }] }));
await scenario('openai-node/stream', async () => { const s = await oa.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'developer', content: 'Answer in one sentence.' }, { role: 'user', content: 'What is the weather in Paris?' }] }); for await (const _ of s) {} });
await scenario('openai-node/tools', async () => { const r = oa.chat.completions.runTools({ model, messages: [{ role: 'user', content: 'What is the weather in Paris?' }], tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: weather, function: (args) => ({ temperature: 21, city: args.city }), parse: JSON.parse } }] }); await r.finalContent(); });
await scenario('openai-node/parse', () => oa.chat.completions.parse({ model, messages: [{ role: 'user', content: 'Weather in Paris as JSON' }], response_format: zodResponseFormat(z.object({ city: z.string(), temperature: z.number() }), 'weather') }));
await scenario('openai-node/embeddings', () => oa.embeddings.create({ model: 'text-embedding-3-small', input: ['first text', 'second text'] }));

// LangChain JS
const { ChatOpenAI, OpenAIEmbeddings } = await import('@langchain/openai');
const { SystemMessage, HumanMessage, ToolMessage } = await import('@langchain/core/messages');
const { tool } = await import('@langchain/core/tools');
const lc = new ChatOpenAI({ model, apiKey, configuration: { baseURL }, temperature: 0 });
await scenario('langchain/chat', () => lc.invoke([new SystemMessage('Use this context: Paris is sunny today.'), new HumanMessage('What is the weather in Paris?')]));
await scenario('langchain/stream', async () => { const s = await lc.stream([new SystemMessage('Use this context: Paris is sunny today.'), new HumanMessage('What is the weather in Paris?')]); for await (const _ of s) {} });
await scenario('langchain/tools', async () => {
  const getWeather = tool(async ({ city }) => `21 degrees in ${city}`, { name: 'get_weather', description: 'Current weather for a city', schema: z.object({ city: z.string().describe('City name') }) });
  const bound = lc.bindTools([getWeather]);
  const history = [new HumanMessage('What is the weather in Paris?')];
  const ai = await bound.invoke(history);
  history.push(ai);
  for (const call of ai.tool_calls) history.push(new ToolMessage({ tool_call_id: call.id, content: await getWeather.invoke(call.args) }));
  await bound.invoke(history);
});
await scenario('langchain/structured', () => lc.withStructuredOutput(z.object({ city: z.string(), temperature: z.number() }), { name: 'weather' }).invoke('Weather in Paris as JSON'));
await scenario('langchain/embeddings', () => new OpenAIEmbeddings({ model: 'text-embedding-3-small', apiKey, configuration: { baseURL } }).embedDocuments(['first text', 'second text']));

// Vercel AI SDK 6 with @ai-sdk/openai 3 (the Chat Completions model)
const { generateText, streamText, generateObject, embedMany, tool: aiTool, stepCountIs, jsonSchema } = await import('ai');
const { createOpenAI } = await import('@ai-sdk/openai');
const provider = createOpenAI({ baseURL, apiKey });
await scenario('ai-sdk/chat', () => generateText({ model: provider.chat(model), system: 'Use this context: Paris is sunny today.', prompt: 'What is the weather in Paris?' }));
await scenario('ai-sdk/stream', async () => { const r = streamText({ model: provider.chat(model), system: 'Use this context: Paris is sunny today.', prompt: 'What is the weather in Paris?' }); for await (const _ of r.textStream) {} });
await scenario('ai-sdk/tools', () => generateText({ model: provider.chat(model), prompt: 'What is the weather in Paris?', stopWhen: stepCountIs(2), tools: { get_weather: aiTool({ description: 'Current weather for a city', inputSchema: z.object({ city: z.string().describe('City name') }), execute: async ({ city }) => ({ city, temperature: 21 }) }) } }));
await scenario('ai-sdk/object', () => generateObject({ model: provider.chat(model), schema: z.object({ city: z.string(), temperature: z.number() }), prompt: 'Weather in Paris as JSON' }));
await scenario('ai-sdk/embeddings', () => embedMany({ model: provider.textEmbeddingModel('text-embedding-3-small'), values: ['first text', 'second text'] }));

// LlamaIndex TS
const { OpenAI: LiOpenAI, OpenAIEmbedding } = await import('@llamaindex/openai');
const li = new LiOpenAI({ model, apiKey, baseURL });
await scenario('llamaindex/chat', () => li.chat({ messages: [{ role: 'system', content: 'Answer in one sentence.' }, { role: 'user', content: 'What is the weather in Paris?' }] }));
await scenario('llamaindex/stream', async () => { const s = await li.chat({ stream: true, messages: [{ role: 'user', content: 'What is the weather in Paris?' }] }); for await (const _ of s) {} });
try {
  const { ContextChatEngine } = await import('llamaindex');
  const { TextNode } = await import('@llamaindex/core/schema');
  const retriever = { retrieve: async () => [{ node: new TextNode({ text: 'Paris is sunny today.' }), score: 1 }] };
  await scenario('llamaindex/context-chat', () => new ContextChatEngine({ retriever, chatModel: li }).chat({ message: 'What is the weather in Paris?' }));
} catch (e) { console.error('context chat setup failed', e.message); }
await scenario('llamaindex/tools', async () => {
  const { tool: liTool } = await import('@llamaindex/core/tools');
  const getWeather = liTool({ name: 'get_weather', description: 'Current weather for a city', parameters: z.object({ city: z.string() }), execute: ({ city }) => `21 degrees in ${city}` });
  const first = await li.chat({ messages: [{ role: 'user', content: 'What is the weather in Paris?' }], tools: [getWeather] });
  const calls = first.message.options?.toolCall ?? [];
  await li.chat({ messages: [{ role: 'user', content: 'What is the weather in Paris?' }, first.message, ...calls.map(c => ({ role: 'user', content: '21 degrees in Paris', options: { toolResult: { id: c.id, result: '21 degrees in Paris', isError: false } } }))], tools: [getWeather] });
});
await scenario('llamaindex/embeddings', () => new OpenAIEmbedding({ model: 'text-embedding-3-small', apiKey, baseURL }).getTextEmbeddingsBatch(['first text', 'second text']));

fs.writeFileSync('client-requests.json', JSON.stringify(out, null, 2));
server.close();
