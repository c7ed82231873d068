// The loopback LLM fake (test/support/llm-fake/) against the official AI SDK providers, which must
// parse it as they parse the real APIs: OpenAI Chat Completions, OpenAI Responses, Anthropic
// Messages and an OpenAI-compatible server (with the Ollama, llama.cpp and vLLM flavours), each
// through LanguageModelV3 doStream / doGenerate: text with usage, tool calls streamed in fragments,
// HTTP errors with their status and headers, in-stream errors, cut connections, the API-key check,
// request validation (tool names, Anthropic's required header and fields), the context window,
// and the raw wire frames where the SDK would hide them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, type LanguageModelV3, type LanguageModelV3CallOptions, type LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { startLlmFake, type LlmFake, type LlmFakeOptions } from '../support/llm-fake/index.js';

const CALL: LanguageModelV3CallOptions = {
  prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  tools: [{ type: 'function', name: 'set_params', description: 'Sets canvas parameters.', inputSchema: { type: 'object', properties: { hue: { type: 'number' } } } }],
};

type Part = LanguageModelV3StreamPart;

/** Every part of a stream, and what reading it threw (if it did). */
async function drain(stream: ReadableStream<Part>): Promise<{ parts: Part[]; thrown?: unknown }> {
  const parts: Part[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { parts };
      parts.push(value);
    }
  } catch (thrown) {
    return { parts, thrown };
  }
}

const textOf = (parts: Part[]) => parts.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : [])).join('');
const ofType = <T extends Part['type']>(parts: Part[], type: T) => parts.filter((p): p is Extract<Part, { type: T }> => p.type === type);

/** An APICallError with this status. */
function apiError(status: number, check: (e: APICallError) => void = () => {}) {
  return (e: unknown) => {
    assert.ok(APICallError.isInstance(e), `expected an APICallError, got ${String(e)}`);
    assert.equal(e.statusCode, status, e.message);
    check(e);
    return true;
  };
}

interface Case {
  name: string;
  model(fake: LlmFake, apiKey?: string): LanguageModelV3;
}

const CASES: Case[] = [
  { name: 'openai chat', model: (f, apiKey = 'k') => createOpenAI({ baseURL: f.baseURL, apiKey }).chat('gpt-x') },
  { name: 'openai responses', model: (f, apiKey = 'k') => createOpenAI({ baseURL: f.baseURL, apiKey }).responses('gpt-x') },
  { name: 'anthropic', model: (f, apiKey = 'k') => createAnthropic({ baseURL: f.baseURL, apiKey })('claude-x') },
  { name: 'openai-compatible', model: (f, apiKey = 'k') => createOpenAICompatible({ name: 'local', baseURL: f.baseURL, apiKey, includeUsage: true }).chatModel('llama') },
];

for (const c of CASES) {
  describe(`llm-fake through the AI SDK: ${c.name}`, () => {
    let fake: LlmFake;
    before(async () => {
      fake = await startLlmFake({ apiKey: 'k' });
    });
    after(() => fake.close());

    test('a text turn streams its text and usage', async () => {
      fake.script({ text: 'Hello — the hue is now 200°.', usage: { input: 11, output: 7 } });
      const { stream } = await c.model(fake).doStream(CALL);
      const { parts, thrown } = await drain(stream);
      assert.equal(thrown, undefined);
      assert.equal(textOf(parts), 'Hello — the hue is now 200°.');
      assert.ok(ofType(parts, 'text-delta').length >= 4, 'the text arrives in 7-character fragments');
      const [finish] = ofType(parts, 'finish');
      assert.ok(finish);
      assert.equal(finish.finishReason.unified, 'stop');
      assert.equal(finish.usage.inputTokens.total, 11);
      assert.equal(finish.usage.outputTokens.total, 7);
      assert.equal(ofType(parts, 'tool-call').length, 0);
    });

    test('a tool call whose arguments come in 3-character fragments is one tool-call part with the whole JSON', async () => {
      const args = '{"hue":200,"label":"deep \\"blue\\""}';
      fake.script({ toolCalls: [{ name: 'set_params', arguments: args }], fragment: 3 });
      const { stream } = await c.model(fake).doStream(CALL);
      const { parts, thrown } = await drain(stream);
      assert.equal(thrown, undefined);
      const calls = ofType(parts, 'tool-call');
      assert.equal(calls.length, 1);
      assert.equal(calls[0]!.toolName, 'set_params');
      assert.deepEqual(JSON.parse(calls[0]!.input), { hue: 200, label: 'deep "blue"' });
      assert.ok(ofType(parts, 'tool-input-delta').length >= Math.ceil(args.length / 3), 'the arguments stream as fragments');
      assert.equal(ofType(parts, 'finish')[0]?.finishReason.unified, 'tool-calls');
    });

    test('two tool calls in one turn come out in order, malformed arguments passed through as sent', async () => {
      fake.script({ text: 'Two calls.', toolCalls: [{ name: 'set_params', arguments: '{"hue":1}' }, { name: 'set_params', arguments: '{"hue": 2,' }] });
      const { parts } = await drain((await c.model(fake).doStream(CALL)).stream);
      const calls = ofType(parts, 'tool-call');
      assert.deepEqual(
        calls.map((p) => p.input),
        ['{"hue":1}', '{"hue": 2,'],
      );
      assert.notEqual(calls[0]!.toolCallId, calls[1]!.toolCallId);
    });

    test('429 with Retry-After surfaces as an APICallError carrying the header', async () => {
      fake.script({ status: 429, retryAfter: 2 });
      await assert.rejects(
        async () => c.model(fake).doStream(CALL),
        apiError(429, (e) => {
          assert.equal(e.responseHeaders?.['retry-after'], '2');
          assert.equal(e.isRetryable, true);
        }),
      );
    });

    test('a cut stream makes reading the stream throw, without a finish part', async () => {
      fake.script({ text: 'A long answer that never gets to its end, because the connection drops.', cutAfter: 3 });
      const { stream } = await c.model(fake).doStream(CALL);
      const { parts, thrown } = await drain(stream);
      assert.ok(APICallError.isInstance(thrown), `reading throws an APICallError, got ${String(thrown)}`);
      assert.match(String((thrown as APICallError).cause), /terminated/);
      assert.equal(ofType(parts, 'finish').length, 0);
    });

    test('a wrong API key gets the 401', async () => {
      await assert.rejects(async () => c.model(fake, 'wrong').doStream(CALL), apiError(401));
      assert.equal(fake.requests.at(-1)?.headers[c.name === 'anthropic' ? 'x-api-key' : 'authorization'], c.name === 'anthropic' ? 'wrong' : 'Bearer wrong');
    });

    test('a request that is not streamed gets one JSON body', async () => {
      fake.script({ text: 'Plain.', toolCalls: [{ name: 'set_params', arguments: '{"hue":5}' }], usage: { input: 3, output: 4 } });
      const result = await c.model(fake).doGenerate(CALL);
      assert.deepEqual(
        result.content.map((p) => (p.type === 'text' ? p.text : p.type === 'tool-call' ? [p.toolName, p.input] : p.type)),
        ['Plain.', ['set_params', '{"hue":5}']],
      );
      assert.equal(result.finishReason.unified, 'tool-calls');
      assert.equal(result.usage.inputTokens.total, 3);
      assert.equal(result.usage.outputTokens.total, 4);
      assert.notEqual(fake.requests.at(-1)?.body.stream, true);
    });

    test('an in-stream error after some output is an error part', async () => {
      fake.script({ streamError: { type: 'server_error', message: 'boom' }, afterEvents: 5 });
      const { parts, thrown } = await drain((await c.model(fake).doStream(CALL)).stream);
      assert.equal(thrown, undefined);
      const errors = ofType(parts, 'error');
      assert.equal(errors.length, 1);
      assert.match(JSON.stringify(errors[0]!.error), /boom/);
      assert.ok(ofType(parts, 'text-delta').length > 0, 'some text came first');
    });

    test('an empty script answers 500 "no scripted turn"', async () => {
      await assert.rejects(async () => c.model(fake).doStream(CALL), apiError(500, (e) => assert.match(e.message, /no scripted turn/)));
    });
  });
}

describe('llm-fake: provider specifics', () => {
  let fake: LlmFake;
  before(async () => {
    fake = await startLlmFake();
  });
  after(() => fake.close());
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${fake.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const anthropicModel = () => createAnthropic({ baseURL: fake.baseURL, apiKey: 'k' })('claude-x');
  const badTool: LanguageModelV3CallOptions = { ...CALL, tools: [{ type: 'function', name: 'ext.set_params', inputSchema: { type: 'object' } }] };

  test('Anthropic 529 surfaces as statusCode 529 (retryable); an overloaded_error before any output throws from doStream as 529', async () => {
    fake.script({ status: 529 });
    await assert.rejects(
      async () => anthropicModel().doStream(CALL),
      apiError(529, (e) => {
        assert.equal(e.isRetryable, true);
        assert.deepEqual(JSON.parse(e.responseBody!).error, { type: 'overloaded_error', message: 'Overloaded' });
      }),
    );
    fake.script({ streamError: { type: 'overloaded_error', message: 'Overloaded' } });
    await assert.rejects(async () => anthropicModel().doStream(CALL), apiError(529));
  });

  test('Anthropic in-stream error after output: an error part and no finish (the stream ends there)', async () => {
    fake.script({ streamError: { type: 'overloaded_error', message: 'Overloaded' }, afterEvents: 4 });
    const { parts } = await drain((await anthropicModel().doStream(CALL)).stream);
    assert.deepEqual(ofType(parts, 'error')[0]?.error, { type: 'overloaded_error', message: 'Overloaded' });
    assert.equal(ofType(parts, 'finish').length, 0);
  });

  test('tool names outside ^[a-zA-Z0-9_-]+$ get the provider 400 (OpenAI chat, Responses, Anthropic)', async () => {
    await assert.rejects(
      async () => createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).chat('gpt-x').doStream(badTool),
      apiError(400, (e) => {
        assert.match(e.message, /Invalid 'tools\[0\]\.function\.name': string does not match pattern/);
        assert.equal((e.data as { error: { param: string } }).error.param, 'tools[0].function.name');
      }),
    );
    await assert.rejects(async () => createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).responses('gpt-x').doStream(badTool), apiError(400, (e) => assert.match(e.message, /Invalid 'tools\[0\]\.name'/)));
    await assert.rejects(async () => anthropicModel().doStream(badTool), apiError(400, (e) => assert.match(e.message, /^tools\.0\.custom\.name: String should match pattern/)));
    const long = { ...CALL, tools: [{ type: 'function' as const, name: 'x'.repeat(65), inputSchema: { type: 'object' as const } }] };
    await assert.rejects(async () => createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).chat('gpt-x').doStream(long), apiError(400, (e) => assert.match(e.message, /string too long\. Expected a string with maximum length 64/)));
  });

  test('Anthropic requires the anthropic-version header and max_tokens', async () => {
    const noVersion = await post('/messages', { model: 'claude-x', max_tokens: 5, messages: [] });
    assert.equal(noVersion.status, 400);
    assert.deepEqual((await noVersion.json()).error, { type: 'invalid_request_error', message: 'anthropic-version: header is required' });
    const noMax = await post('/messages', { model: 'claude-x', messages: [] }, { 'anthropic-version': '2023-06-01' });
    assert.equal(noMax.status, 400);
    assert.equal((await noMax.json()).error.message, 'max_tokens: Field required');
  });

  test('the Anthropic stream: message_start with input_tokens, ping, tool_use with input {} then input_json_delta, message_delta with output_tokens', async () => {
    fake.script({ text: 'Hi', toolCalls: [{ name: 'set_params', arguments: '{"hue":1}' }], usage: { input: 9, output: 4 } });
    const res = await post('/messages', { model: 'claude-x', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] }, { 'anthropic-version': '2023-06-01' });
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((frame) => {
        const [event, data] = frame.split('\n');
        const value = JSON.parse(data!.slice('data: '.length));
        assert.equal(event, `event: ${value.type}`);
        return value;
      });
    assert.deepEqual(
      events.map((e) => e.type),
      ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_stop', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'],
    );
    assert.equal(events[0].message.usage.input_tokens, 9);
    assert.match(events[0].message.id, /^msg_/);
    assert.deepEqual(events[6].content_block, { type: 'tool_use', id: events[6].content_block.id, name: 'set_params', input: {} });
    assert.match(events[6].content_block.id, /^toolu_/);
    assert.deepEqual(events[7].delta, { type: 'input_json_delta', partial_json: '' });
    assert.deepEqual(events[11], { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 4 } });
  });

  test('the OpenAI chat stream: role first, tool-call head then argument fragments, usage chunk with empty choices, [DONE]', async () => {
    fake.script({ toolCalls: [{ name: 'a', arguments: '{"x":1}' }, { name: 'b', arguments: '{}' }], usage: { input: 2, output: 3 }, fragment: 4 });
    const res = await post('/chat/completions', { model: 'gpt-x', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
    const frames = (await res.text()).trim().split('\n\n');
    assert.equal(frames.at(-1), 'data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice('data: '.length)));
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && /^chatcmpl-/.test(c.id)));
    const deltas = chunks.flatMap((c) => c.choices.map((ch: { delta: unknown }) => ch.delta));
    assert.deepEqual(deltas[0].tool_calls[0], { index: 0, id: deltas[0].tool_calls[0].id, type: 'function', function: { name: 'a', arguments: '' } });
    assert.equal(deltas[0].role, 'assistant');
    assert.match(deltas[0].tool_calls[0].id, /^call_/);
    assert.deepEqual(deltas[1].tool_calls, [{ index: 0, function: { arguments: '{"x"' } }]);
    assert.equal(deltas.find((d: { tool_calls?: { index: number; id?: string }[] }) => d.tool_calls?.[0]?.index === 1 && d.tool_calls[0].id)?.tool_calls[0].function.name, 'b');
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(chunks.at(-1).choices, []);
    assert.equal(chunks.at(-1).usage.prompt_tokens, 2);
    assert.equal(chunks.at(-1).usage.completion_tokens, 3);

    fake.script({ text: 'no usage asked' });
    const plain = await (await post('/chat/completions', { model: 'gpt-x', stream: true, messages: [] })).text();
    assert.doesNotMatch(plain, /"usage"/);
  });

  test('the Responses stream: created → items → completed with usage, sequence numbers in order', async () => {
    fake.script({ text: 'Hi', toolCalls: [{ name: 'set_params', arguments: '{"hue":3}' }], usage: { input: 5, output: 6 } });
    const res = await post('/responses', { model: 'gpt-x', stream: true, input: 'hi' });
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((f) => JSON.parse(f.split('\n')[1]!.slice('data: '.length)));
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
    assert.deepEqual(
      events.map((e) => e.sequence_number),
      events.map((_, i) => i),
    );
    assert.match(events[0].response.id, /^resp_/);
    const fc = events[8].item;
    assert.match(fc.id, /^fc_/);
    assert.match(fc.call_id, /^call_/);
    assert.equal(events[11].arguments, '{"hue":3}');
    assert.deepEqual(events.at(-1).response.usage, { input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 6, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 11 });
  });

  test('Responses in-stream error: the error event, then response.failed; before any output doStream throws', async () => {
    const model = createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).responses('gpt-x');
    fake.script({ streamError: { type: 'server_error', message: 'The model failed to generate a response.' } });
    await assert.rejects(async () => model.doStream(CALL), apiError(500, (e) => assert.match(e.message, /failed to generate/)));
    fake.script({ streamError: { type: 'server_error', message: 'late' }, afterEvents: 4 });
    const raw = await (await post('/responses', { model: 'gpt-x', stream: true, input: 'hi' })).text();
    assert.deepEqual(
      raw.match(/^event: .*$/gm),
      ['event: response.created', 'event: response.in_progress', 'event: response.output_item.added', 'event: response.content_part.added', 'event: error', 'event: response.failed'],
    );
  });

  test('every request is recorded in order with lower-cased headers; a function turn sees its request', async () => {
    const before = fake.requests.length;
    fake.script((request) => ({ text: `you sent ${request.body.messages.length} message(s) to ${request.provider}` }));
    const { parts } = await drain((await anthropicModel().doStream(CALL)).stream);
    assert.equal(textOf(parts), 'you sent 1 message(s) to anthropic');
    const recorded = fake.requests[before]!;
    assert.equal(recorded.provider, 'anthropic');
    assert.equal(recorded.path, '/v1/messages');
    assert.equal(recorded.headers['anthropic-version'], '2023-06-01');
    assert.equal(recorded.body.stream, true);
    assert.equal(recorded.body.tools[0].name, 'set_params');
  });

  test('finish: length maps to each API (length / max_tokens / incomplete)', async () => {
    const models = [createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).chat('gpt-x'), createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).responses('gpt-x'), anthropicModel()];
    for (const model of models) {
      fake.script({ text: 'cut', finish: 'length' });
      const { parts } = await drain((await model.doStream(CALL)).stream);
      assert.equal(ofType(parts, 'finish')[0]?.finishReason.unified, 'length', model.provider);
    }
  });
});

describe('llm-fake: context window', () => {
  const options: LlmFakeOptions = { contextWindow: 20 };
  let fake: LlmFake;
  before(async () => {
    fake = await startLlmFake(options);
  });
  after(() => fake.close());
  const long: LanguageModelV3CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'many words '.repeat(20) }] }] };

  test('a prompt over the window gets each provider’s context-length 400, without using up a turn', async () => {
    await assert.rejects(
      async () => createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).chat('gpt-x').doStream(long),
      apiError(400, (e) => {
        assert.match(e.message, /maximum context length is 20 tokens/);
        assert.equal((e.data as { error: { code: string } }).error.code, 'context_length_exceeded');
      }),
    );
    await assert.rejects(async () => createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).responses('gpt-x').doStream(long), apiError(400, (e) => assert.match(e.message, /exceeds the context window/)));
    await assert.rejects(async () => createAnthropic({ baseURL: fake.baseURL, apiKey: 'k' })('claude-x').doStream(long), apiError(400, (e) => assert.match(e.message, /^prompt is too long: \d+ tokens > 20 maximum$/)));
    fake.script({ text: 'short prompt, fine' });
    const { parts } = await drain((await createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).chat('gpt-x').doStream(CALL)).stream);
    assert.equal(textOf(parts), 'short prompt, fine');
  });

  test('a scripted 400 context_length_exceeded is the same error', async () => {
    fake.script({ status: 400, code: 'context_length_exceeded' });
    await assert.rejects(async () => createAnthropic({ baseURL: fake.baseURL, apiKey: 'k' })('claude-x').doStream(CALL), apiError(400, (e) => assert.match(e.message, /^prompt is too long/)));
  });
});

describe('llm-fake: OpenAI-compatible flavours', () => {
  const compatible = (fake: LlmFake, apiKey = 'k') => createOpenAICompatible({ name: 'local', baseURL: fake.baseURL, apiKey, includeUsage: true }).chatModel('llama');
  const raw = async (fake: LlmFake, body: Record<string, unknown>) =>
    (await (await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).text())
      .trim()
      .split('\n\n')
      .map((f) => f.slice('data: '.length));

  test('ollama: each tool call whole in one chunk (Go-marshalled arguments), role on every delta, usage only when asked, no context error', async () => {
    const fake = await startLlmFake({ flavor: 'ollama', contextWindow: 5 });
    try {
      fake.script({ text: 'ok', toolCalls: [{ name: 'set_params', arguments: '{"z": 1, "hue": "<b>"}' }], fragment: 3 });
      const frames = await raw(fake, { model: 'llama', stream: true, messages: [{ role: 'user', content: 'a long enough prompt to pass the window' }] });
      assert.equal(frames.at(-1), '[DONE]');
      const chunks = frames.slice(0, -1).map((f) => JSON.parse(f));
      assert.ok(chunks.every((c) => c.system_fingerprint === 'fp_ollama' && c.choices[0].delta.role === 'assistant'));
      const withCalls = chunks.filter((c) => c.choices[0].delta.tool_calls);
      assert.equal(withCalls.length, 1);
      const [call] = withCalls[0].choices[0].delta.tool_calls;
      assert.match(call.id, /^call_[a-z0-9]{8}$/);
      assert.deepEqual(call.function, { name: 'set_params', arguments: '{"hue":"\\u003cb\\u003e","z":1}' });
      assert.equal(chunks.at(-1).choices[0].finish_reason, 'tool_calls');
      assert.ok(!chunks.some((c) => 'usage' in c), 'no usage chunk without stream_options.include_usage');

      fake.script({ toolCalls: [{ name: 'set_params', arguments: '{"hue":7}' }], usage: { input: 4, output: 2 } });
      const { parts } = await drain((await compatible(fake).doStream(CALL)).stream);
      assert.deepEqual(
        ofType(parts, 'tool-call').map((p) => p.input),
        ['{"hue":7}'],
      );
      assert.equal(ofType(parts, 'tool-input-delta').length, 1, 'the arguments arrive in one piece');
      assert.equal(ofType(parts, 'finish')[0]?.usage.inputTokens.total, 4);
    } finally {
      await fake.close();
    }
  });

  test('llama.cpp: first delta {role, content: null}, 32-character tool ids, usage chunk with timings; exceed_context_size_error', async () => {
    const fake = await startLlmFake({ flavor: 'llamacpp', contextWindow: 30 });
    try {
      fake.script({ toolCalls: [{ name: 'set_params', arguments: '{"hue":1}' }] });
      const frames = await raw(fake, { model: 'llama', stream: true, stream_options: { include_usage: true }, messages: [] });
      const chunks = frames.slice(0, -1).map((f) => JSON.parse(f));
      assert.deepEqual(chunks[0].choices[0], { finish_reason: null, index: 0, delta: { role: 'assistant', content: null } });
      assert.match(chunks[1].choices[0].delta.tool_calls[0].id, /^[A-Za-z0-9]{32}$/);
      assert.deepEqual(chunks.at(-2).choices[0], { finish_reason: 'tool_calls', index: 0, delta: {} });
      assert.deepEqual(chunks.at(-1).choices, []);
      assert.ok(chunks.at(-1).timings);

      await assert.rejects(
        async () => compatible(fake).doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(400) }] }] }),
        apiError(400, (e) => {
          assert.match(e.message, /exceeds the available context size \(30 tokens\)/);
          assert.equal(JSON.parse(e.responseBody!).error.type, 'exceed_context_size_error');
        }),
      );
    } finally {
      await fake.close();
    }
  });

  test('vllm: tool-call head without arguments, chatcmpl-tool ids, [DONE] after an in-stream error, 401 { error: "Unauthorized" }', async () => {
    const fake = await startLlmFake({ flavor: 'vllm', apiKey: 'k' });
    try {
      fake.script({ toolCalls: [{ name: 'set_params', arguments: '{"hue":1}' }] });
      const { parts } = await drain((await compatible(fake).doStream(CALL)).stream);
      assert.equal(ofType(parts, 'tool-call')[0]?.input, '{"hue":1}');
      assert.match(ofType(parts, 'tool-call')[0]!.toolCallId, /^chatcmpl-tool-[0-9a-f]{32}$/);

      fake.script({ streamError: { type: 'InternalServerError', message: 'engine died' }, afterEvents: 2 });
      const frames = (await (await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify({ model: 'm', stream: true, messages: [] }) })).text()).trim().split('\n\n');
      assert.deepEqual(JSON.parse(frames.at(-2)!.slice(6)), { error: { message: 'engine died', type: 'InternalServerError', param: null, code: 500 } });
      assert.equal(frames.at(-1), 'data: [DONE]');

      await assert.rejects(async () => compatible(fake, 'wrong').doStream(CALL), apiError(401, (e) => assert.equal(e.responseBody, '{"error":"Unauthorized"}')));
    } finally {
      await fake.close();
    }
  });
});
