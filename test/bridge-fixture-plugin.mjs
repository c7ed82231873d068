// web-test-runner plugin: the node side of the agent bridge for browser tests. Command
// `vib3-bridge` with { op, ... }:
//   start { origins }         starts a real bridge (src/agent-server/bridge) → { url }
//   issue { origin }          issues a pairing code → { code, origin, expiresAt }
//   revoke { code }           revokes a code
//   list                      session().listTools() → [{ name, source }]
//   call { name, args }       session().callTool(name, args) → the envelope
//   connected                 whether a page is paired
//   stop                      closes the bridge
//   hostile { script, pairAnswer? }  a fake bridge that answers the pair message with pairAnswer
//                             (default {"type":"paired"}), then sends each string of script, and
//                             records what the page sends → { url }
//   hostile-log               → { received: [strings], close: { code, reason } | undefined }
// The bridge module is TypeScript, loaded through tsx's scoped loader (nothing global is registered).
import { tsImport } from 'tsx/esm/api';
import { WebSocketServer } from 'ws';

let loaded;
let bridge;
let hostile;

async function startHostile({ script = [], pairAnswer = '{"type":"paired"}' }) {
  await stopHostile();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const state = { wss, received: [], close: undefined };
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      state.received.push(String(data));
      if (state.received.length === 1) {
        ws.send(pairAnswer);
        for (const m of script) ws.send(m);
      }
    });
    ws.on('close', (code, reason) => (state.close = { code, reason: String(reason) }));
  });
  hostile = state;
  return { url: `ws://127.0.0.1:${wss.address().port}/vib3-bridge` };
}

async function stopHostile() {
  if (!hostile) return;
  for (const ws of hostile.wss.clients) ws.terminate();
  await new Promise((resolve) => hostile.wss.close(resolve));
  hostile = undefined;
}

export const bridgeFixturePlugin = {
  name: 'vib3-bridge-fixture',
  async executeCommand({ command, payload }) {
    if (command !== 'vib3-bridge') return undefined;
    loaded ??= tsImport('../src/agent-server/bridge/index.ts', import.meta.url);
    const { startBridge } = await loaded;
    const need = () => {
      if (!bridge) throw new Error('vib3-bridge: start the bridge first');
      return bridge;
    };
    switch (payload?.op) {
      case 'start':
        await bridge?.close();
        bridge = await startBridge({ allowedOrigins: payload.origins, callTimeoutMs: 30_000 });
        return { url: bridge.url };
      case 'issue':
        return need().issueCode(payload.origin);
      case 'revoke':
        need().revoke(payload.code);
        return true;
      case 'list':
        return (await need().session().listTools()).map((t) => ({ name: t.name, source: t.source }));
      case 'call':
        return need().session().callTool(payload.name, payload.args ?? {});
      case 'connected':
        return need().session().connected;
      case 'stop':
        await bridge?.close();
        bridge = undefined;
        await stopHostile();
        return true;
      case 'hostile':
        return startHostile(payload);
      case 'hostile-log':
        return { received: hostile?.received ?? [], close: hostile?.close };
      default:
        throw new Error(`vib3-bridge: unknown op ${payload?.op}`);
    }
  },
  async serverStop() {
    await bridge?.close().catch(() => undefined);
    await stopHostile().catch(() => undefined);
  },
};
