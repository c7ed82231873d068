// Router files, tool-name mapping and the Anthropic base URL: the small contracts of the LLM layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRouterConfig, singleProviderConfig } from '../../src/agent/llm/router-config.js';
import { ModelToolNames, MODEL_TOOL_NAME } from '../../src/agent/llm/tool-names.js';
import { anthropicBase, createProviderModel } from '../../src/agent/llm/providers.js';
import { envSecrets } from '../../src/agent/llm/secrets.js';
import type { LlmError } from '../../src/agent/llm/errors.js';
import { runAgentSession } from '../../src/agent/llm/session.js';
import { Router } from '../../src/agent/llm/router.js';
import { startLlmFake } from '../support/llm-fake/index.js';

const base = { deployments: [{ id: 'a', provider: 'openai', model: 'm' }, { id: 'b', provider: 'anthropic', model: 'c' }], groups: { default: ['a', 'b'], long: ['b'] } };
const invalid = (value: unknown, pattern: RegExp) => assert.throws(() => parseRouterConfig(value), (e: LlmError) => e.code === 'LLM_INVALID_CONFIG' && pattern.test(e.message));

test('router files: what holds is accepted, every mistake is a coded error naming it', () => {
  assert.deepEqual(parseRouterConfig({ ...base, contextFallbacks: { default: ['long'] }, budgets: { team: { tokensPerMinute: 10 } } }).groups.default, ['a', 'b']);
  invalid({ ...base, extra: 1 }, /additional|extra/i);
  invalid({ ...base, deployments: [...base.deployments, { id: 'a', provider: 'openai', model: 'x' }] }, /used twice/);
  invalid({ ...base, groups: { default: ['a', 'long'], long: ['b'] } }, /"long", which is not a deployment/);
  invalid({ ...base, contextFallbacks: { default: ['b'] } }, /"b", which is not a group/);
  invalid({ ...base, deployments: [{ id: 'a', provider: 'openai', model: 'm', budget: 'opnai' }, base.deployments[1]] }, /budget "opnai"/);
  invalid({ ...base, deployments: [{ id: 'a', provider: 'gemini', model: 'm' }] }, /provider/);
  assert.throws(() => singleProviderConfig({ provider: 'openai', baseURL: 'ftp://x' }), (e: LlmError) => e.code === 'LLM_INVALID_CONFIG');
});

test('tool names: valid ones kept, dotted ones mapped, clashes and long names hashed, all unique and reversible', () => {
  const names = ['set_params', 'dev.vib3.duo.make_pair', 'dev_vib3_duo_make_pair', 'a.b', 'a_b', `x.${'y'.repeat(80)}`, `x_${'y'.repeat(80)}`];
  const map = new ModelToolNames(names);
  const apis = names.map((n) => map.api(n)!);
  assert.equal(map.api('set_params'), 'set_params');
  assert.equal(map.api('dev_vib3_duo_make_pair'), 'dev_vib3_duo_make_pair', 'an already valid name keeps its spelling');
  assert.equal(new Set(apis).size, names.length, 'unique');
  for (const [i, api] of apis.entries()) {
    assert.match(api, MODEL_TOOL_NAME);
    assert.equal(map.registry(api), names[i]);
  }
  assert.equal(map.registry('never_offered'), undefined);
});

test('Anthropic: the base URL as its SDK takes it (no /v1) or as the AI SDK takes it (with /v1)', async () => {
  assert.equal(anthropicBase('https://api.anthropic.com'), 'https://api.anthropic.com/v1');
  assert.equal(anthropicBase('https://api.anthropic.com/v1/'), 'https://api.anthropic.com/v1');
  const fake = await startLlmFake({ apiKey: 'sk-ant-unit-0123456789' });
  try {
    fake.script({ text: 'ok' });
    const secrets = envSecrets({ ANTHROPIC_API_KEY: 'sk-ant-unit-0123456789' });
    const router = new Router({ deployments: [{ id: 'c', provider: 'anthropic', model: 'claude', baseURL: fake.baseURL.replace(/\/v1$/, '') }], groups: { default: ['c'] } }, (d) => createProviderModel(d, { secrets }));
    const out = await runAgentSession({ model: router.model(), tools: { list: () => [], call: () => Promise.reject(new Error('no tools')) }, prompt: 'hi' });
    assert.equal(out.text, 'ok', JSON.stringify(out.error));
    assert.equal(fake.requests[0]!.path, '/v1/messages');
  } finally {
    await fake.close();
  }
});
