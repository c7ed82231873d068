// The agent demo's chat panel (demo/agent.html + agent-chat.js) end to end, under the page's strict
// CSP: a real `vib3 registry serve` whose LLM proxy (/v1/agent) routes to the loopback LLM fake
// (OpenAI Chat Completions wire format), an agent token issued by the registry's admin and served
// to the page as /demo/agent-config.json (as `npm start` does), and the agent loop running in the
// page over the page's ToolRegistry. A prompt sets the canvas through set_params; a reset waits
// for <vib3-tool-approval> and Deny keeps the canvas; provider errors show their code and
// suggestion; a long history loses its oldest whole turns (trimHistory) before it outgrows the
// proxy; a registry without a provider says so and keeps Send disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { launch } from './browser.mjs';
import { serveStatic, agentConfigRoute } from '../../scripts/serve.mjs';
import { AGENT_CSP, demoHeaders } from '../../scripts/csp.mjs';
import { trimHistory, HISTORY_LIMITS } from '../../demo/agent-chat.js';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
const KEY = 'sk-test-agent-chat-0123456789abcdef';
const LONG = { timeout: 90_000 };

/** The environment of a registry: the caller's, minus any LLM configuration, plus `llm`. */
function registryEnv(llm) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^VIB3_LLM_|^(OPENAI|ANTHROPIC)_API_KEY$/.test(name)) delete env[name];
  return { ...env, ...llm };
}

/** Starts `vib3 registry serve` on a fresh data folder; resolves once it listens and has its admin token. */
async function startRegistry(env) {
  const data = mkdtempSync(join(tmpdir(), 'vib3-agent-chat-'));
  const child = spawn(process.execPath, [cli, 'registry', 'serve', '--port', '0', '--data', data], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c) => (log += c));
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c) => {
      text += c;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`the registry exited (${code}): ${log}`)));
  });
  for (let i = 0; i < 400 && !existsSync(join(data, 'admin.token')); i++) await new Promise((r) => setTimeout(r, 50));
  const admin = readFileSync(join(data, 'admin.token'), 'utf8').trim();
  const res = await fetch(`${url}/v1/agent/tokens`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ user: 'e2e-page' }) });
  assert.equal(res.status, 201, await res.clone().text());
  const { token } = await res.json();
  return {
    url,
    token,
    admin,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)));
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

let fake;
let configured;
let unconfigured;
let server;
let browser;
let page;
let response;
/** What /demo/agent-config.json answers (switched to the unconfigured registry for the last test). */
let pageConfig;
const errors = [];
const consoleMessages = [];

/** Opens the agent demo and records its errors and console. */
async function openDemo() {
  const p = await browser.newPage();
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  const res = await p.goto(`${server.url}/demo/agent.html`);
  await p.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
  return { p, res };
}

before(async () => {
  const { startLlmFake } = await tsImport('../support/llm-fake/index.ts', import.meta.url);
  fake = await startLlmFake({ apiKey: KEY });
  configured = await startRegistry(registryEnv({ VIB3_LLM_PROVIDER: 'openai', VIB3_LLM_BASE_URL: fake.baseURL, OPENAI_API_KEY: KEY }));
  pageConfig = { registry: configured.url, token: configured.token };
  server = await serveStatic({ root: repo, headers: demoHeaders, routes: { '/demo/agent-config.json': agentConfigRoute(() => pageConfig) } });
  browser = await launch('plain');
  ({ p: page, res: response } = await openDemo());
  await page.locator('#chat-status[data-state="configured"]').waitFor(LONG);
});
after(async () => {
  await browser?.close();
  server?.server.close();
  await configured?.stop();
  await unconfigured?.stop();
  await fake?.close();
});

const params = (p = page) => p.evaluate(() => document.getElementById('canvas').getParams());
/** Sends a prompt; the function it resolves to waits for the turn's usage line (the end of the session) and returns it. */
async function ask(text) {
  const before = await page.locator('#chat-messages li[data-role="usage"]').count();
  await page.locator('#chat-prompt').fill(text);
  await page.locator('#chat-send').click();
  return async () => {
    await page.waitForFunction((n) => document.querySelectorAll('#chat-messages li[data-role="usage"]').length > n, before, LONG);
    return page.locator('#chat-messages li[data-role="usage"]').last();
  };
}

test('the page runs under the strict agent CSP and the panel names the server\'s model; the config carries no provider key', async () => {
  const csp = response.headers()['content-security-policy'];
  assert.equal(csp, AGENT_CSP);
  assert.doesNotMatch(csp, /unsafe-(eval|inline)/);
  assert.match(await page.locator('#chat-status').textContent(), /Model: openai /);
  assert.equal(await page.locator('#chat-send').isDisabled(), false);
  const config = await page.evaluate(() => fetch('./agent-config.json').then((r) => r.json()));
  assert.deepEqual(Object.keys(config).sort(), ['registry', 'token']);
  assert.ok(!JSON.stringify(config).includes(KEY));
});

test('a prompt sets the canvas through set_params (holographic, hue 280): the transcript shows the call, the reply and the usage', async () => {
  fake.script({ toolCalls: [{ name: 'set_params', arguments: '{"system":"holographic","hue":280}' }] }, { text: 'Done.' });
  const requestsBefore = fake.requests.length;
  const done = await ask('Make it holographic at hue 280');
  const usage = await done();
  const p = await params();
  assert.deepEqual([p.system, p.hue], ['holographic', 280]);

  const call = page.locator('#chat-messages li[data-role="tool"][data-tool="set_params"]');
  assert.equal(await call.count(), 1);
  assert.equal(await call.getAttribute('data-state'), 'ok');
  assert.match(await call.locator('.args').textContent(), /"system":"holographic","hue":280/);
  assert.match(await call.locator('.outcome').textContent(), /ok · changed .*hue/);
  assert.equal((await page.locator('#chat-messages li[data-role="assistant"] .text').last().textContent()).trim(), 'Done.');
  assert.equal(await page.locator('#chat-messages li[data-role="user"] .text').first().textContent(), 'Make it holographic at hue 280');
  assert.equal(await usage.getAttribute('data-finish'), 'stop');
  assert.match(await usage.textContent(), /\d+ input \+ \d+ output tokens · 2 steps · stop/);
  assert.ok(Number(await usage.getAttribute('data-input-tokens')) > 0, 'the usage the provider reported reaches the page');

  // Two model steps reached the provider through the registry, with the server's key; the page's tools were offered.
  const steps = fake.requests.slice(requestsBefore);
  assert.equal(steps.length, 2);
  assert.equal(steps[0].headers.authorization, `Bearer ${KEY}`);
  assert.ok(steps[0].body.tools.some((t) => t.function?.name === 'set_params'));
  // The page's registry ran the call (the call log says the agent called it); the key never reached the page.
  const logged = page.locator('#log li[data-caller="agent"][data-tool="set_params"]').first();
  assert.equal(await logged.getAttribute('data-ok'), 'true');
  assert.ok(!(await page.content()).includes(KEY));
  assert.equal(await page.locator('#chat-send').isDisabled(), false, 'Send is enabled again after the turn');
});


test('the page reports to the registry\'s telemetry receiver: the dashboard summary counts its tool call, its model step and its frames', async () => {
  assert.ok(await page.evaluate(async () => Boolean((await window.agentDemo.chat).telemetry)), 'the demo enabled page telemetry');
  // The demo's canvas draws when something changes: change it over 90 frames, so some are sampled (one in 30).
  const drawn = await page.evaluate(async () => {
    const c = document.getElementById('canvas');
    c.scrollIntoView();
    const before = c.frameCount;
    for (let i = 0; i < 90 && c.frameCount - before < 65; i++) {
      c.setParams({ rot4dXW: i / 90 });
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    return c.frameCount - before;
  });
  assert.ok(drawn >= 60, `${drawn} frames drawn`);
  await page.evaluate(async () => (await window.agentDemo.chat).telemetry.flush());
  const summary = async () => {
    const res = await fetch(`${configured.url}/v1/telemetry/summary`, { headers: { authorization: `Bearer ${configured.admin}` } });
    assert.equal(res.status, 200);
    return res.json();
  };
  let s = await summary();
  for (let i = 0; i < 40 && !(s.tools.some((t) => t.tool === 'set_params') && s.frameTime.count > 0); i++) {
    await new Promise((r) => setTimeout(r, 250));
    await page.evaluate(async () => (await window.agentDemo.chat).telemetry.flush());
    s = await summary();
  }
  const tool = s.tools.find((t) => t.tool === 'set_params');
  assert.ok(tool && tool.calls >= 1 && tool.errors === 0, JSON.stringify(s.tools));
  assert.ok(s.models.some((m) => m.provider === 'openai' && m.steps >= 2), JSON.stringify(s.models));
  assert.ok(s.sessions.count >= 1);
  assert.ok(s.frameTime.count > 0, `the page canvas reported sampled frame times: ${JSON.stringify(s)}`);
  assert.deepEqual(errors, []);
});

test('the model calls reset: the approval dialog asks, Deny keeps the canvas and the transcript shows APPROVAL_DENIED; the conversation continues', async () => {
  fake.script({ toolCalls: [{ name: 'reset', arguments: '{}' }] }, { text: 'I left the canvas as it was.' });
  const before = await params();
  const requestsBefore = fake.requests.length;
  const done = await ask('Reset everything');
  const dialog = page.locator('dialog#approval');
  await dialog.waitFor({ state: 'visible', ...LONG });
  assert.equal(await page.locator('#approval-tool').textContent(), 'reset');
  assert.equal(await page.locator('#approval-caller').textContent(), 'agent');
  assert.equal(await page.locator('#approval-source').textContent(), 'From the VIB3 kit');
  assert.equal(await page.locator('#chat-stop').isDisabled(), false, 'Stop is offered while the session runs');
  await page.locator('#approval-deny').click();
  const usage = await done();
  assert.equal(await dialog.isVisible(), false);
  assert.deepEqual(await params(), before, 'a denied reset changes nothing');

  const call = page.locator('#chat-messages li[data-role="tool"][data-tool="reset"]');
  assert.equal(await call.getAttribute('data-state'), 'error');
  assert.equal(await call.getAttribute('data-code'), 'APPROVAL_DENIED');
  assert.match(await call.locator('.outcome').textContent(), /APPROVAL_DENIED/);
  assert.equal(await usage.getAttribute('data-finish'), 'stop');
  assert.equal((await page.locator('#chat-messages li[data-role="assistant"] .text').last().textContent()).trim(), 'I left the canvas as it was.');

  // The second turn carried the first one as history, and the model saw the refusal.
  const first = JSON.stringify(fake.requests[requestsBefore].body.messages);
  assert.match(first, /Make it holographic at hue 280/);
  assert.match(first, /Done\./);
  const second = JSON.stringify(fake.requests[requestsBefore + 1].body.messages);
  assert.match(second, /APPROVAL_DENIED/);
});

test('a provider error ends the turn with its code, message and suggestion; the panel stays usable', async () => {
  fake.script({ status: 400, message: 'The model does not accept this request.' });
  const done = await ask('Make it faceted');
  const usage = await done();
  assert.equal(await usage.getAttribute('data-finish'), 'error');
  const error = page.locator('#chat-messages li[data-role="error"]').last();
  assert.equal(await error.getAttribute('data-code'), 'LLM_BAD_REQUEST');
  assert.match(await error.locator('.code').textContent(), /^LLM_BAD_REQUEST$/);
  assert.ok((await error.locator('.suggestion').textContent()).length > 10);
  assert.ok(!(await error.textContent()).includes(KEY));
  assert.equal(await page.locator('#chat-send').isDisabled(), false);
  assert.equal((await params()).system, 'holographic');
});

/** A past turn of the chat, as the session records it: the prompt, a get_params call, its result and the answer. */
const pastTurn = (i, pad = '') => [
  { role: 'user', content: [{ type: 'text', text: `old turn #${i}# ${pad}` }] },
  { role: 'assistant', content: [{ type: 'tool-call', toolCallId: `call_old_${i}`, toolName: 'get_params', input: {} }] },
  { role: 'tool', content: [{ type: 'tool-result', toolCallId: `call_old_${i}`, toolName: 'get_params', output: { type: 'text', value: '{"hue":200}' } }] },
  { role: 'assistant', content: [{ type: 'text', text: `answer #${i}#` }] },
];

test('trimHistory drops the oldest whole turns (never a tool call without its result) and every system message', () => {
  const history = [{ role: 'system', content: 'old instructions' }, ...Array.from({ length: 40 }, (_, i) => pastTurn(i)).flat()];
  assert.deepEqual(trimHistory(history.slice(0, 41)), { messages: history.slice(1, 41), droppedTurns: 0 }, 'under the limits only the system message goes');
  const { messages, droppedTurns } = trimHistory(history);
  assert.equal(droppedTurns, 10);
  assert.equal(messages.length, 120);
  assert.ok(messages.length <= HISTORY_LIMITS.maxMessages);
  assert.deepEqual(messages, history.slice(41), 'the newest 30 turns, whole');
  // By size: every turn here is ~6 KB, so 150 KB keeps the newest 24 or so, each starting at its prompt.
  const big = Array.from({ length: 30 }, (_, i) => pastTurn(i, 'x'.repeat(6000))).flat();
  const bySize = trimHistory(big);
  assert.ok(Buffer.byteLength(JSON.stringify(bySize.messages)) <= HISTORY_LIMITS.maxBytes);
  assert.ok(bySize.droppedTurns > 0 && bySize.droppedTurns < 30);
  assert.equal(bySize.messages[0].role, 'user');
  assert.equal(bySize.messages.length % 4, 0, 'no turn is split');
  assert.deepEqual(bySize.messages.at(-1), big.at(-1));
  // Half a turn at the front goes; a newest turn that alone is over the limits goes too.
  assert.deepEqual(trimHistory([...pastTurn(0).slice(2), ...pastTurn(1)]), { messages: pastTurn(1), droppedTurns: 1 });
  assert.deepEqual(trimHistory(pastTurn(0, 'x'.repeat(200_000))), { messages: [], droppedTurns: 1 });
  assert.deepEqual(trimHistory(undefined), { messages: [], droppedTurns: 0 });
});

test('a long chat sends only its newest whole turns, and the transcript says older ones were left out', async () => {
  // 40 past turns of 4 messages: over the 120-message limit, so the 10 oldest go before the step.
  await page.evaluate((turns) => window.agentDemo.chat.then((chat) => (chat.state.history = turns)), [{ role: 'system', content: 'old instructions' }, ...Array.from({ length: 40 }, (_, i) => pastTurn(i)).flat()]);
  fake.script({ text: 'Still here.' });
  const requestsBefore = fake.requests.length;
  const usage = await (await ask('Are you still there?'))();
  assert.equal(await usage.getAttribute('data-finish'), 'stop');
  const note = page.locator('#chat-messages li[data-role="note"][data-kind="trimmed"]').last();
  assert.equal(await note.getAttribute('data-dropped-turns'), '10');
  assert.match(await note.textContent(), /The 10 oldest turns were left out/);
  const sent = fake.requests[requestsBefore].body.messages;
  const text = JSON.stringify(sent);
  assert.doesNotMatch(text, /old turn #9#|old instructions/);
  assert.match(text, /old turn #10#[\s\S]*old turn #39#[\s\S]*Are you still there\?/);
  assert.equal(sent.filter((m) => m.role === 'system').length, 1, 'only the session\'s own system message');
  assert.equal(sent.length, 1 + 120 + 1, 'system, the newest 30 turns, the prompt');
  // The next turn starts from the trimmed history plus this turn.
  const kept = await page.evaluate(() => window.agentDemo.chat.then((chat) => chat.state.history.filter((m) => m.role !== 'system').length));
  assert.equal(kept, 122);
});

test('New chat clears the transcript and the history', async () => {
  await page.locator('#chat-clear').click();
  assert.equal(await page.locator('#chat-messages li').count(), 0);
  fake.script({ text: 'Hello.' });
  const requestsBefore = fake.requests.length;
  const usage = await (await ask('Hi'))();
  assert.equal(await usage.getAttribute('data-finish'), 'stop');
  const sent = JSON.stringify(fake.requests[requestsBefore].body.messages);
  assert.doesNotMatch(sent, /Make it holographic/, 'the old conversation is gone');
});

test('with no provider configured on the server the panel says so and Send stays disabled', async () => {
  unconfigured = await startRegistry(registryEnv({}));
  pageConfig = { registry: unconfigured.url, token: unconfigured.token };
  const { p } = await openDemo();
  try {
    const status = p.locator('#chat-status[data-state="not-configured"]');
    await status.waitFor(LONG);
    assert.match(await status.textContent(), /No model is configured on the server: set OPENAI_API_KEY and VIB3_LLM_PROVIDER=openai \(or .*\) before npm start/);
    assert.equal(await p.locator('#chat-send').isDisabled(), true);
    await p.locator('#chat-prompt').fill('Make it holographic');
    await p.locator('#chat-prompt').press('Enter');
    assert.equal(await p.locator('#chat-messages li').count(), 0, 'nothing is sent');
    assert.equal(await p.locator('#chat-send').isDisabled(), true);
    assert.deepEqual(await p.evaluate(() => window.cspViolations), []);
  } finally {
    await p.close();
  }
});

test('no CSP violations, console CSP errors or page errors', async () => {
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m)), []);
  assert.deepEqual(errors, []);
});
