// The agent demo: one ToolRegistry over the canvas pack, listed with each tool's policy; forms
// generated from the tools' inputSchema; the approval dialog (<vib3-tool-approval>) the registry
// asks; the registry's call log; a chat with an LLM agent through the registry server's proxy
// (agent-chat.js); WebMCP (exposeTools) on load; and the agent bridge (connectAgentBridge) for MCP clients.
import '../dist/vib3-embed.js';
import '../dist/vib3-components.js';
import * as agent from '../dist/agent.js';
import { renderSchemaForm } from './agent-form.js';
import { startChat } from './agent-chat.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};

window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));

const canvas = $('canvas');

// ------------------------------------------------------------------ approvals
// <vib3-tool-approval> is the registry's approval handler: one request at a time (the rest
// queue), Deny focused, Escape or closing denies. It names the tool, its source and the caller.
const approvals = $('tool-approval');
const approve = (request) => approvals.request(request);

const registry = new agent.ToolRegistry({ approve });
registry.add(agent.canvasTools(canvas));

// ------------------------------------------------------------------ canvas state
const showParams = () => ($('params').textContent = JSON.stringify(canvas.getParams(), null, 1));
canvas.addEventListener('vib3-params-change', showParams);
canvas.addEventListener('vib3-ready', (e) => ($('backend').textContent = `rendering: ${e.detail.backend}`));
canvas.addEventListener('vib3-error', (e) => ($('backend').textContent = `error ${e.detail.code}: ${e.detail.message}`));
customElements.whenDefined('vib3-canvas').then(showParams);

// ------------------------------------------------------------------ the tool list
const approvalLabel = { never: 'no approval', destructive: 'asks when destructive', always: 'always asks' };
let selected;
let readForm = () => ({});

function renderTools() {
  const tools = registry.list();
  $('tool-count').textContent = `(${tools.length})`;
  $('tools').replaceChildren(
    ...tools.map((t) => {
      const badge = el('span', { className: `badge approval-${t.policy.approval}`, textContent: approvalLabel[t.policy.approval] ?? t.policy.approval });
      badge.dataset.approval = t.policy.approval;
      const button = el('button', { type: 'button', className: 'tool' }, [el('code', { className: 'name', textContent: t.name }), el('span', { className: 'title', textContent: t.title ?? '' }), badge]);
      button.dataset.tool = t.name;
      button.setAttribute('aria-pressed', String(t.name === selected));
      button.addEventListener('click', () => select(t.name));
      const li = el('li', {}, [button, el('p', { className: 'description', textContent: t.description })]);
      li.dataset.tool = t.name;
      return li;
    }),
  );
  if (selected && !tools.some((t) => t.name === selected)) select(undefined);
}

function select(name) {
  selected = name;
  const tool = name ? registry.get(name) : undefined;
  for (const b of document.querySelectorAll('#tools button.tool')) b.setAttribute('aria-pressed', String(b.dataset.tool === name));
  $('tool-name').textContent = tool ? `${tool.title ?? tool.name} (${tool.name})` : 'Choose a tool';
  $('tool-description').textContent = tool?.description ?? '';
  readForm = tool ? renderSchemaForm($('tool-fields'), tool.inputSchema) : (($('tool-fields').replaceChildren(), () => ({})));
  $('call').disabled = !tool;
  $('tool-form').dataset.tool = name ?? '';
}

registry.addEventListener('change', renderTools);
renderTools();

// ------------------------------------------------------------------ calling, results
function showResult(result) {
  $('result').hidden = false;
  const error = agent.errorOf(result);
  $('result-error').hidden = !error;
  $('result').dataset.ok = String(!result.isError);
  if (error) {
    $('error-code').textContent = error.code;
    $('error-message').textContent = error.message;
    $('error-suggestion').textContent = error.suggestion + (error.nextTools?.length ? ` Next: ${error.nextTools.join(', ')}.` : '');
  }
  const image = result.content.find((c) => c.type === 'image');
  $('result-image').hidden = !image;
  if (image) $('result-image').src = `data:${image.mimeType};base64,${image.data}`;
  else $('result-image').removeAttribute('src');
  // The image data is long: show its size in the JSON instead.
  const shown = { ...result, content: result.content.map((c) => (c.type === 'image' ? { type: 'image', mimeType: c.mimeType, data: `(${c.data.length} base64 characters, shown above)` } : c)) };
  $('result-json').textContent = JSON.stringify(shown, null, 2);
}

$('tool-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!selected) return;
  const input = readForm();
  $('call').disabled = true;
  try {
    showResult(await registry.call(selected, input, { caller: 'page' }));
  } finally {
    $('call').disabled = false;
  }
});

// ------------------------------------------------------------------ the call log
registry.addEventListener('call', (e) => {
  const d = e.detail;
  const li = el('li', { className: d.ok ? 'ok' : 'failed' }, [
    el('time', { textContent: new Date().toLocaleTimeString() }),
    ' ',
    el('span', { className: 'caller', textContent: d.caller }),
    ' ',
    el('code', { textContent: d.name }),
    ' ',
    el('span', { className: 'outcome', textContent: d.ok ? 'ok' : d.code ?? 'failed' }),
    el('span', { className: 'hint', textContent: ` ${Math.round(d.ms)} ms` }),
  ]);
  Object.assign(li.dataset, { caller: d.caller, tool: d.name, ok: String(d.ok), code: d.code ?? '' });
  $('log').prepend(li);
});

// ------------------------------------------------------------------ WebMCP
let webmcp;
let webmcpController;
async function expose() {
  webmcpController = new AbortController();
  const onSync = (state) => showWebmcp({ exposed: true, ...state });
  webmcp = await agent.exposeTools({ registry, signal: webmcpController.signal, onSync });
  showWebmcp(webmcp);
}
function showWebmcp(result) {
  webmcp = result;
  const status = $('webmcp-status');
  status.dataset.exposed = String(result.exposed);
  const toggle = $('webmcp-toggle');
  if (result.exposed) {
    status.textContent = `WebMCP: ${result.tools.length} tools on document.modelContext${result.failed.length ? ` (${result.failed.length} refused: ${result.failed.map((f) => `${f.name} — ${f.message}`).join('; ')})` : ''}`;
    toggle.hidden = false;
    toggle.textContent = 'Withdraw from WebMCP';
  } else {
    status.textContent = `WebMCP: not exposed (${result.reason}). ${result.suggestion}`;
    status.dataset.reason = result.reason;
    toggle.hidden = result.reason === 'WEBMCP_UNAVAILABLE';
    toggle.textContent = 'Expose on WebMCP';
  }
}
$('webmcp-toggle').addEventListener('click', () => {
  if (webmcp?.exposed) {
    webmcpController.abort();
    showWebmcp({ exposed: false, reason: 'ABORTED', message: 'Withdrawn.', suggestion: 'The page withdrew its tools.' });
  } else void expose();
});

// ------------------------------------------------------------------ the agent bridge
$('origin').textContent = location.origin;
let connection;
let bridgeController;
const bridgeState = (text, state) => {
  $('bridge-state').textContent = text;
  $('bridge-state').dataset.state = state;
  const paired = state === 'paired' || state === 'connecting';
  $('bridge-disconnect').disabled = !paired;
  $('bridge-connect').disabled = paired;
};
$('bridge-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const url = $('bridge-url').value.trim();
  const pairingCode = $('pairing-code').value.trim();
  bridgeController = new AbortController();
  bridgeState(`Connecting to ${url}…`, 'connecting');
  try {
    connection = await agent.connectAgentBridge({ url, pairingCode, registry, signal: bridgeController.signal });
  } catch (err) {
    const why = err.reason ? ` (${err.reason})` : '';
    bridgeState(`Not paired: ${err.code ?? 'ERROR'}${why}: ${err.message} ${err.suggestion ?? ''}`.trim(), 'failed');
    return;
  }
  const current = connection;
  bridgeState(`Paired with ${url} (code ${current.code}). Calls from the MCP client show in the call log as "bridge".`, 'paired');
  // The session ends from either side: Disconnect here, the server revoking it, or the server stopping.
  current.closed.then((detail) => {
    if (connection !== current) return;
    connection = undefined;
    bridgeState(`Disconnected (${detail.code}): ${detail.reason} The pairing code is used up; ask the server for a new one.`, 'closed');
  });
});
$('bridge-disconnect').addEventListener('click', () => {
  const current = connection;
  bridgeController?.abort();
  if (current) {
    connection = undefined;
    current.close();
    bridgeState('Disconnected: this page ended the session; its pairing code cannot be used again.', 'closed');
  } else bridgeState('Pairing cancelled.', 'closed');
});

// For the end-to-end tests and the curious: the page's registry and state.
window.agentDemo = {
  registry,
  canvas,
  approvals,
  get webmcp() {
    return webmcp;
  },
  get connection() {
    return connection;
  },
};
// The chat panel: an agent session in this page over this registry, each model step through the
// registry server's proxy. It reports on its own (#chat-status); the page does not wait for it.
const chat = startChat({ agent, registry, approvals });
window.agentDemo.chat = chat;
await expose();
window.agentDemo.ready = true;
document.body.dataset.ready = 'true';
