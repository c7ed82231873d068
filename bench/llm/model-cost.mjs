// Run by bench/llm.mjs in a plain Node process (no tsx): what making one AI SDK provider model
// costs outside the bench's loader, with the settings `createProviderModel`
// (src/agent/llm/providers.ts) uses, and what one `import()` of an already loaded provider package
// costs (createProviderModel runs one per model it makes). Prints JSON: { calls, importUs, modelUs }.
const CALLS = Number(process.argv[2] || 200);
const baseURL = 'http://127.0.0.1:9/v1';
const { createOpenAI } = await import('@ai-sdk/openai');
const { createAnthropic } = await import('@ai-sdk/anthropic');
const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');

const perCall = async (fn) => {
  for (let i = 0; i < 10; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < CALLS; i++) await fn();
  return Math.round(((performance.now() - t) * 1000 * 10) / CALLS) / 10;
};

const importUs = await perCall(() => import('@ai-sdk/openai'));
const modelUs = {
  openai: await perCall(() => createOpenAI({ baseURL, apiKey: 'k' }).chat('gpt-4.1-mini')),
  'openai-responses': await perCall(() => createOpenAI({ baseURL, apiKey: 'k' }).responses('gpt-4.1-mini')),
  anthropic: await perCall(() => createAnthropic({ baseURL, apiKey: 'k' })('claude-sonnet-4-5')),
  'openai-compatible': await perCall(() => createOpenAICompatible({ baseURL, name: 'openai-compatible', includeUsage: true, transformRequestBody: (b) => ({ ...b }) }).chatModel('llama3.1')),
};
console.log(JSON.stringify({ calls: CALLS, importUs, modelUs }));
