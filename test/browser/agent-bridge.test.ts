// connectAgentBridge in real Chromium against a real bridge (src/agent-server/bridge, started by
// test/bridge-fixture-plugin.mjs): the node side drives a visible <vib3-canvas> through the page's
// ToolRegistry (caller "bridge"), and closing, aborting or revoking ends the session. A hostile
// fake bridge checks that the page validates what it is asked.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { mount, cleanup } from './helpers.js';
import { ToolRegistry, canvasTools, connectAgentBridge, AgentBridgeError, type AgentBridgeCallDetail, type AgentBridgeCloseDetail, type ApprovalRequest, type ToolCallResult } from '../../src/agent/index.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';

const bridge = <T>(op: string, payload: Record<string, unknown> = {}) => executeServerCommand<T, Record<string, unknown>>('vib3-bridge', { op, ...payload }) as Promise<T>;
const errorCode = (r: ToolCallResult) => (r.structuredContent?.['error'] as { code?: string } | undefined)?.code;
const issue = () => bridge<{ code: string; origin: string; expiresAt: number }>('issue', { origin: location.origin });

async function untilDisconnected(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!(await bridge<boolean>('connected'))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the bridge still reports a paired page');
}

async function pagedCanvas() {
  const { el } = await mount({ system: 'faceted', hue: 200 });
  const approvals: ApprovalRequest[] = [];
  const registry = new ToolRegistry({ approve: (req) => (approvals.push(req), true) });
  registry.add(canvasTools(el as Vib3Canvas));
  return { el: el as Vib3Canvas, registry, approvals };
}

async function refusal(promise: Promise<unknown>): Promise<AgentBridgeError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(AgentBridgeError);
    return err as AgentBridgeError;
  }
  throw new Error('expected a refusal');
}

describe('agent bridge: connectAgentBridge', () => {
  let url = '';
  before(async () => {
    ({ url } = await bridge<{ url: string }>('start', { origins: [location.origin] }));
  });
  after(() => bridge('stop'));
  afterEach(cleanup);

  it('lets the node side drive the visible canvas through the page registry; close() ends the session', async () => {
    const { el, registry, approvals } = await pagedCanvas();
    expect(errorCode(await bridge<ToolCallResult>('call', { name: 'set_params', args: { hue: 280 } }))).to.equal('CANVAS_NOT_CONNECTED');
    const { code } = await issue();
    const connection = await connectAgentBridge({ url, pairingCode: code.toLowerCase(), registry });
    expect(connection.state).to.equal('paired');
    expect(connection.code).to.equal(code);
    const calls: AgentBridgeCallDetail[] = [];
    connection.addEventListener('call', (e) => calls.push((e as CustomEvent<AgentBridgeCallDetail>).detail));

    const tools = await bridge<{ name: string; source: string }[]>('list');
    expect(tools.map((t) => t.name)).to.include.members(['set_params', 'render_snapshot', 'reset']);
    const result = await bridge<ToolCallResult>('call', { name: 'set_params', args: { system: 'holographic', hue: 280 } });
    expect(result.isError, JSON.stringify(result)).to.equal(undefined);
    expect(el.hue).to.equal(280);
    expect(el.system).to.equal('holographic');
    expect((result.structuredContent?.['params'] as { hue: number }).hue).to.equal(280);
    expect(calls).to.deep.equal([{ name: 'set_params', caller: 'bridge', ok: true }]);

    // Approval UI sees who asks; a real PNG comes back through the bridge.
    const reset = await bridge<ToolCallResult>('call', { name: 'reset', args: {} });
    expect(reset.isError).to.equal(undefined);
    expect(approvals.map((a) => [a.tool.name, a.caller])).to.deep.equal([['reset', 'bridge']]);
    expect(el.hue).to.equal(200, 'reset restored the default hue');
    const snap = await bridge<ToolCallResult>('call', { name: 'render_snapshot', args: { width: 64, height: 48 } });
    const image = snap.content.find((b) => b.type === 'image') as { data: string; mimeType: string } | undefined;
    expect(image?.mimeType).to.equal('image/png');
    expect(image?.data.startsWith('iVBORw0KGgo')).to.equal(true, 'PNG signature');

    connection.close();
    expect(connection.state).to.equal('closed');
    expect(await connection.closed).to.deep.equal({ code: 'CLOSED_BY_PAGE', reason: 'The page ended the session.' });
    await untilDisconnected();
    const after = await bridge<ToolCallResult>('call', { name: 'set_params', args: { hue: 10 } });
    expect(errorCode(after)).to.equal('CANVAS_NOT_CONNECTED');
    expect(el.hue).to.equal(200, 'no call reaches the canvas after close()');
  });

  it('refuses a used, a wrong and a revoked code with PAIRING_REFUSED and the server reason', async () => {
    const { registry } = await pagedCanvas();
    const { code } = await issue();
    const first = await connectAgentBridge({ url, pairingCode: code, registry });
    const used = await refusal(connectAgentBridge({ url, pairingCode: code, registry }));
    expect([used.code, used.reason]).to.deep.equal(['PAIRING_REFUSED', 'PAIRING_CODE_USED']);
    expect(used.suggestion).to.match(/new pairing code/);
    expect(first.state).to.equal('paired', 'the first page keeps its session');
    const wrong = await refusal(connectAgentBridge({ url, pairingCode: 'ZZZZ-ZZZZ', registry }));
    expect([wrong.code, wrong.reason]).to.deep.equal(['PAIRING_REFUSED', 'PAIRING_CODE_UNKNOWN']);
    const revoked = await issue();
    await bridge('revoke', { code: revoked.code });
    const gone = await refusal(connectAgentBridge({ url, pairingCode: revoked.code, registry }));
    expect([gone.code, gone.reason]).to.deep.equal(['PAIRING_REFUSED', 'PAIRING_CODE_REVOKED']);
    // Revoking the code of the paired page ends its session: the page hears why.
    const closeEvent = new Promise<AgentBridgeCloseDetail>((r) => first.addEventListener('close', (e) => r((e as CustomEvent<AgentBridgeCloseDetail>).detail), { once: true }));
    await bridge('revoke', { code });
    expect((await closeEvent).code).to.equal('SESSION_REVOKED');
    expect(first.state).to.equal('closed');
    await untilDisconnected();
  });

  it('an AbortSignal ends the session', async () => {
    const { el, registry } = await pagedCanvas();
    const controller = new AbortController();
    const connection = await connectAgentBridge({ url, pairingCode: (await issue()).code, registry, signal: controller.signal });
    expect((await bridge<ToolCallResult>('call', { name: 'set_params', args: { hue: 42 } })).isError).to.equal(undefined);
    expect(el.hue).to.equal(42);
    controller.abort();
    expect((await connection.closed).code).to.equal('CLOSED_BY_PAGE');
    await untilDisconnected();
    expect(errorCode(await bridge<ToolCallResult>('call', { name: 'get_params', args: {} }))).to.equal('CANVAS_NOT_CONNECTED');
    // An already-aborted signal never connects.
    const aborted = await refusal(connectAgentBridge({ url, pairingCode: (await issue()).code, registry, signal: AbortSignal.abort() }));
    expect(aborted.code).to.equal('ABORTED');
  });

  it('rejects bad URLs, bad codes and unreachable bridges with coded errors', async () => {
    const registry = new ToolRegistry();
    const remote = await refusal(connectAgentBridge({ url: 'wss://bridge.example.com/vib3-bridge', pairingCode: 'ABCD-EFGH', registry }));
    expect(remote.code).to.equal('BRIDGE_URL_INVALID');
    expect((await refusal(connectAgentBridge({ url: 'http://127.0.0.1:1/vib3-bridge', pairingCode: 'ABCD-EFGH', registry }))).code).to.equal('BRIDGE_URL_INVALID');
    expect((await refusal(connectAgentBridge({ url, pairingCode: 'ABC', registry }))).code).to.equal('PAIRING_CODE_INVALID');
    const down = await refusal(connectAgentBridge({ url: 'ws://127.0.0.1:9/vib3-bridge', pairingCode: 'ABCD-EFGH', registry }));
    expect([down.code, down.retryable]).to.deep.equal(['BRIDGE_UNREACHABLE', true]);
  });

  it("validates the server's requests: bad shapes are answered with errors and never run, garbage ends the session", async () => {
    const { el, registry } = await pagedCanvas();
    const script = [
      JSON.stringify({ id: 1, method: 'eval', params: { code: 'alert(1)' } }),
      JSON.stringify({ id: 2, method: 'tools/call', params: { name: 'set_params', arguments: { hue: 10 }, caller: 'page' } }),
      JSON.stringify({ id: 3, method: 'tools/call', params: { name: 'set_params', arguments: { hue: 11 } } }),
      'this is not json',
      JSON.stringify({ id: 4, method: 'tools/call', params: { name: 'set_params', arguments: { hue: 12 } } }),
    ];
    const hostile = await bridge<{ url: string }>('hostile', { script });
    const connection = await connectAgentBridge({ url: hostile.url, pairingCode: 'ABCD-EFGH', registry });
    const closed = await connection.closed;
    expect(closed.code).to.equal('BAD_MESSAGE');
    await new Promise((r) => setTimeout(r, 100));
    const log = await bridge<{ received: string[]; close?: { code: number; reason: string } }>('hostile-log');
    const sent = log.received.map((m) => JSON.parse(m) as Record<string, unknown>);
    expect(sent[0]).to.deep.include({ type: 'pair', code: 'ABCDEFGH' });
    const byId = (id: number) => sent.find((m) => m['id'] === id);
    expect((byId(1)?.['error'] as { code: string }).code).to.equal('BAD_REQUEST');
    expect((byId(2)?.['error'] as { code: string }).code).to.equal('BAD_REQUEST');
    expect(byId(4), 'nothing after the garbage is run').to.equal(undefined);
    expect(el.hue).to.equal(11, 'only the well-formed call ran');
    expect(log.close?.code).to.equal(4400);

    // A pairing answer that is not { type: "paired" } is refused.
    const odd = await bridge<{ url: string }>('hostile', { pairAnswer: JSON.stringify({ type: 'paired', also: 'eval' }) });
    expect((await refusal(connectAgentBridge({ url: odd.url, pairingCode: 'ABCD-EFGH', registry }))).code).to.equal('BRIDGE_PROTOCOL_ERROR');
  });
});
