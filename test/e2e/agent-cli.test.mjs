// `vib3 agent` with the built CLI (dist/cli/vib3.js) and the system Chromium, against the
// loopback LLM fake (test/support/llm-fake) speaking each provider's wire format: the model's
// tool calls (argument JSON split into awkward fragments) set a real headless canvas, whose final
// parameters the CLI reports; fallback between providers; a destructive tool refused without
// approval; keys never printed, even when the provider echoes them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const { startLlmFake } = await tsImport('../support/llm-fake/index.ts', import.meta.url);
const { startOtlpCollector } = await tsImport('../support/otlp-collector.ts', import.meta.url);
const KEY = 'sk-test-e2e-0123456789abcdefSECRET';
const ANTHROPIC_KEY = 'sk-ant-test-e2e-9876543210SECRET';

/** Runs the CLI without blocking this process (the fake answers from here). */
function vib3(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repo, 'dist/cli/vib3.js'), ...args], {
      cwd: repo,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(process.env.VIB3_CHROMIUM ? { VIB3_CHROMIUM: process.env.VIB3_CHROMIUM } : {}), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const setTurn = { toolCalls: [{ name: 'set_params', arguments: '{"system":"holographic","hue":280,"geometry":3}' }], fragment: 3, usage: { input: 900, output: 40 } };
const doneTurn = { text: 'The canvas is holographic at hue 280.', usage: { input: 1100, output: 12 } };

const PROVIDERS = [
  { provider: 'openai', env: { OPENAI_API_KEY: KEY }, path: '/v1/chat/completions' },
  { provider: 'openai-responses', env: { OPENAI_API_KEY: KEY }, path: '/v1/responses' },
  { provider: 'anthropic', env: { ANTHROPIC_API_KEY: KEY }, path: '/v1/messages' },
  { provider: 'openai-compatible', env: { VIB3_LLM_API_KEY: KEY }, path: '/v1/chat/completions', flavor: 'ollama' },
];

describe('vib3 agent against each provider wire format', () => {
  for (const p of PROVIDERS) {
    it(`${p.provider}: tool calls set the headless canvas; --json reports calls, final params and usage`, async () => {
      const fake = await startLlmFake({ apiKey: KEY, ...(p.flavor ? { flavor: p.flavor } : {}) });
      try {
        fake.script(setTurn, doneTurn);
        const r = await vib3(['agent', 'make it holographic at hue 280 with the tesseract', '--provider', p.provider, '--base-url', fake.baseURL, '--model', 'test-model', '--renderer', 'webgl2', '--json'], p.env);
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.equal(out.finishReason, 'stop');
        assert.deepEqual(out.toolCalls.map((c) => [c.name, c.result.ok]), [['set_params', true]]);
        assert.deepEqual(out.toolCalls[0].arguments, { system: 'holographic', hue: 280, geometry: 3 });
        assert.equal(out.params.system, 'holographic');
        assert.equal(out.params.hue, 280);
        assert.equal(out.params.geometry, 3);
        assert.deepEqual(out.usage, { inputTokens: 2000, outputTokens: 52 });
        assert.equal(out.text, doneTurn.text);
        // Both steps went to the provider's own path, with its tools named as its API accepts.
        assert.deepEqual(fake.requests.map((q) => q.path), [p.path, p.path]);
        const tools = fake.requests[0].body.tools;
        const names = tools.map((t) => t.name ?? t.function?.name);
        assert.ok(names.includes('set_params') && names.includes('render_snapshot'), names.join());
        // The second request carries the tool result as untrusted data.
        assert.match(JSON.stringify(fake.requests[1].body), /trust=\\"untrusted\\"/);
        assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), 'the key is never printed');
      } finally {
        await fake.close();
      }
    });
  }
});

describe('vib3 agent: routing, approval and secrets', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vib3-agent-e2e-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('falls back from an overloaded provider to the next one in the group and says so', async () => {
    const openai = await startLlmFake({ apiKey: KEY });
    const anthropic = await startLlmFake({ apiKey: ANTHROPIC_KEY });
    try {
      openai.script({ status: 529 }, { status: 529 });
      anthropic.script(setTurn, doneTurn);
      const config = join(dir, 'router.json');
      writeFileSync(config, JSON.stringify({ deployments: [{ id: 'primary', provider: 'openai', model: 'gpt-x', baseURL: openai.baseURL }, { id: 'backup', provider: 'anthropic', model: 'claude-x', baseURL: anthropic.baseURL }], groups: { default: ['primary', 'backup'] }, retries: 1, backoffMs: 10, cooldownMs: 60000 }));
      const r = await vib3(['agent', 'holographic at 280', '--config', config, '--renderer', 'webgl2', '--json'], { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.params.hue, 280);
      assert.equal(openai.requests.length, 2, 'one try and one retry on the primary, then the cooldown keeps it out of step 2');
      assert.equal(anthropic.requests.length, 2);
      assert.match(r.stderr, /router: primary failed \(LLM_OVERLOADED\); falling back to backup/);
      assert.match(r.stderr, /primary cools down for 60 s/);
    } finally {
      await openai.close();
      await anthropic.close();
    }
  });

  it('a destructive tool is not executed without approval (no terminal, no --yes)', async () => {
    const fake = await startLlmFake();
    try {
      fake.script(setTurn, { toolCalls: [{ name: 'reset', arguments: '{}' }] }, { text: 'I could not reset it.' });
      const r = await vib3(['agent', 'set it then reset it', '--provider', 'openai', '--base-url', fake.baseURL, '--renderer', 'webgl2', '--json'], { OPENAI_API_KEY: KEY });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.toolCalls.map((c) => c.result.error?.code ?? 'ok'), ['ok', 'APPROVAL_DENIED']);
      assert.equal(out.params.hue, 280, 'reset did not run: the parameters are still the ones set');
      assert.match(r.stderr, /reset needs approval \(destructive\); refused/);
    } finally {
      await fake.close();
    }
  });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT set, the session exports its spans (and no key) before the process ends', async () => {
    const fake = await startLlmFake({ apiKey: KEY });
    const collector = await startOtlpCollector();
    try {
      fake.script(setTurn, doneTurn);
      const r = await vib3(['agent', 'holographic at 280', '--provider', 'openai', '--base-url', fake.baseURL, '--model', 'gpt-e2e', '--renderer', 'webgl2', '--json'], { OPENAI_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'vib3-e2e' });
      assert.equal(r.status, 0, r.stderr);
      const names = collector.spans().map((s) => s.name);
      for (const name of ['invoke_agent vib3-agent', 'chat gpt-e2e', 'execute_tool set_params']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
      assert.ok(collector.spans().every((s) => s.resource['service.name'] === 'vib3-e2e'));
      assert.ok(collector.points().some((p) => p.metric === 'gen_ai.client.token.usage'), 'metrics are exported at exit too');
      const bodies = collector.requests.map((q) => q.body).join('\n');
      assert.ok(!bodies.includes(KEY) && !bodies.includes('holographic at 280'), 'no key, no prompt');
    } finally {
      await fake.close();
      await collector.close();
    }
  });

  it('with --yes the destructive tool runs', async () => {
    const fake = await startLlmFake();
    try {
      fake.script(setTurn, { toolCalls: [{ name: 'reset', arguments: '{}' }] }, { text: 'Reset.' });
      const r = await vib3(['agent', 'set it then reset it', '--provider', 'openai', '--base-url', fake.baseURL, '--renderer', 'webgl2', '--json', '--yes'], { OPENAI_API_KEY: KEY });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.toolCalls.map((c) => c.result.ok), [true, true]);
      assert.notEqual(out.params.hue, 280, 'reset restored the defaults');
    } finally {
      await fake.close();
    }
  });

  it('a refused key ends with LLM_AUTH_FAILED and the key appears nowhere in the output', async () => {
    const fake = await startLlmFake({ apiKey: 'sk-the-right-key-000000' });
    try {
      const r = await vib3(['agent', 'anything', '--provider', 'openai', '--base-url', fake.baseURL, '--renderer', 'webgl2', '--json'], { OPENAI_API_KEY: KEY });
      assert.equal(r.status, 1, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.finishReason, 'error');
      assert.equal(out.error.code, 'LLM_AUTH_FAILED');
      for (const text of [r.stdout, r.stderr]) {
        assert.ok(!text.includes(KEY), 'no full key');
        assert.ok(!text.includes(KEY.slice(-8)), 'no key fragment');
      }
    } finally {
      await fake.close();
    }
  });

  it('refuses before starting anything without a key, or with a bad provider or policy', async () => {
    const noKey = await vib3(['agent', 'x', '--provider', 'anthropic', '--json']);
    assert.equal(noKey.status, 2);
    assert.match(noKey.stdout + noKey.stderr, /LLM_MISSING_KEY/);
    assert.match(noKey.stdout + noKey.stderr, /ANTHROPIC_API_KEY/);
    const noProvider = await vib3(['agent', 'x']);
    assert.equal(noProvider.status, 2);
    assert.match(noProvider.stderr, /MISSING_PROVIDER/);
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ maxSteps: 0 }));
    const badPolicy = await vib3(['agent', 'x', '--provider', 'openai', '--policy', policy], { OPENAI_API_KEY: KEY });
    assert.equal(badPolicy.status, 2);
    assert.match(badPolicy.stderr, /LLM_INVALID_POLICY/);
  });
});
