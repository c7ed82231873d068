// The agent demo's chat panel: an agent session (runAgentSession) runs in this page over the page's
// own ToolRegistry, so every tool call passes the page's policy and its approval dialog; only each
// model step goes to the registry server's LLM proxy (proxyModel → <registry>/v1/agent), which
// holds the provider key. Where the proxy is and the page's agent token come from
// /demo/agent-config.json, which `npm start` serves (scripts/demo.mjs) — no inline script.

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};

/** What to tell the user when the server has no model (the server's own message is shown below it). */
export const NOT_CONFIGURED =
  'No model is configured on the server: set OPENAI_API_KEY and VIB3_LLM_PROVIDER=openai (or ANTHROPIC_API_KEY and VIB3_LLM_PROVIDER=anthropic, or VIB3_LLM_PROVIDER=openai-compatible with VIB3_LLM_BASE_URL for a local server) before npm start.';

/**
 * How much history a turn sends. The registry's proxy takes at most 256 messages and 256 KiB per
 * model step, and a step also carries the system prompt, the tools and this turn's own messages,
 * so the history stays well below that.
 */
export const HISTORY_LIMITS = { maxMessages: 120, maxBytes: 150_000 };

const utf8 = new TextEncoder();

/**
 * The chat's history, trimmed to `limits` by dropping the oldest whole turns. A turn starts at a
 * `user` message and holds everything up to the next one, so an assistant message with tool calls
 * always stays with the `tool` message that holds their results. `system` messages are dropped
 * (the session adds its own), and so is anything before the first `user` message (half a turn).
 * A last turn that alone is over the limits goes too. Returns the kept messages and how many turns
 * were dropped.
 * @param {Array<{ role: string }>} history
 * @param {{ maxMessages?: number, maxBytes?: number }} [limits]
 * @returns {{ messages: Array<{ role: string }>, droppedTurns: number }}
 */
export function trimHistory(history, limits = {}) {
  const maxMessages = limits.maxMessages ?? HISTORY_LIMITS.maxMessages;
  const maxBytes = limits.maxBytes ?? HISTORY_LIMITS.maxBytes;
  /** @type {{ messages: Array<{ role: string }>, bytes: number, whole: boolean }[]} */
  const turns = [];
  for (const m of Array.isArray(history) ? history : []) {
    if (!m || typeof m !== 'object' || m.role === 'system') continue;
    if (m.role === 'user' || !turns.length) turns.push({ messages: [], bytes: 0, whole: m.role === 'user' });
    const turn = turns[turns.length - 1];
    turn.messages.push(m);
    turn.bytes += utf8.encode(JSON.stringify(m)).length + 1; // + the comma between array items
  }
  let messages = 0;
  let bytes = 2; // []
  for (const t of turns) {
    messages += t.messages.length;
    bytes += t.bytes;
  }
  let first = 0;
  while (first < turns.length && (!turns[first].whole || messages > maxMessages || bytes > maxBytes)) {
    messages -= turns[first].messages.length;
    bytes -= turns[first].bytes;
    first++;
  }
  return { messages: turns.slice(first).flatMap((t) => t.messages), droppedTurns: first };
}

/** Short JSON of a tool's arguments for the transcript. */
function compact(value, max = 160) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line of what a tool call gave back: the changed parameters, a short text, or the error code. */
function outcomeText(result) {
  if (!result.ok) return result.error ? `${result.error.code}: ${result.error.message}` : 'failed';
  const changed = result.structuredContent?.changed;
  if (Array.isArray(changed)) return changed.length ? `ok · changed ${changed.join(', ')}` : 'ok · nothing changed';
  if (result.text) return `ok · ${result.text.length > 120 ? `${result.text.slice(0, 119)}…` : result.text}`;
  return 'ok';
}

/**
 * Wires the chat panel. `agent` is the `vib3-embed/agent` module, `registry` the page's
 * ToolRegistry (its approve callback is the page's <vib3-tool-approval>), `approvals` that dialog.
 */
export async function startChat({ agent, registry, approvals }) {
  const list = $('chat-messages');
  const status = $('chat-status');
  const form = $('chat-form');
  const prompt = $('chat-prompt');
  const send = $('chat-send');
  const stop = $('chat-stop');
  const clear = $('chat-clear');
  const state = { ready: false, running: false, history: [], controller: undefined, model: undefined };
  const chat = { state, ready: undefined };

  const setStatus = (text, kind, detail = '') => {
    status.dataset.state = kind;
    status.replaceChildren(el('span', { className: 'status-text', textContent: text }), ...(detail ? [el('span', { className: 'hint detail', textContent: ` ${detail}` })] : []));
  };
  const sync = () => {
    send.disabled = !state.ready || state.running;
    stop.disabled = !state.running;
    clear.disabled = state.running || list.children.length === 0;
    form.dataset.running = String(state.running);
  };
  const add = (li) => {
    list.append(li);
    li.scrollIntoView?.({ block: 'nearest' });
    return li;
  };

  // ---------------------------------------------------------------- where the proxy is
  chat.ready = (async () => {
    if (!agent.proxyModel || !agent.proxyStatus || !agent.runAgentSession || !agent.registryToolSource) {
      setStatus('This build of the kit has no LLM layer (dist/agent.js lacks proxyModel / runAgentSession).', 'unavailable', 'Run npm run build.');
      return;
    }
    let config;
    try {
      const res = await fetch('./agent-config.json', { cache: 'no-store', credentials: 'same-origin' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      config = await res.json();
    } catch {
      setStatus('This page has no agent proxy: it is not served by npm start.', 'no-config', 'npm start serves /demo/agent-config.json with the registry URL and an agent token for this page.');
      return;
    }
    if (!config?.registry || !config?.token) {
      setStatus('The demo server has no agent token for this page.', 'no-config', config?.message ?? 'Restart npm start; it issues one when the registry starts.');
      return;
    }
    // The page reports to the registry's telemetry receiver with its agent token, so the registry's
    // /dashboard shows this page: its canvas's frames and the chat's sessions, steps and tool calls.
    // (Imported here, not at the top: the e2e test imports this module in Node for trimHistory.)
    const { enableTelemetry } = await import('../dist/vib3-embed.js');
    chat.telemetry = await enableTelemetry({ endpoint: config.registry.replace(/\/+$/, ''), headers: { authorization: `Bearer ${config.token}` }, serviceName: 'vib3-demo-agent', exportIntervalMillis: 10_000 }).catch((err) => {
      console.warn('[vib3 demo] telemetry could not start:', err);
      return undefined;
    });
    const endpoint = `${config.registry.replace(/\/+$/, '')}/v1/agent`;
    let proxy;
    try {
      proxy = await agent.proxyStatus({ endpoint, token: config.token });
    } catch (err) {
      setStatus(`The agent proxy at ${endpoint} did not answer: ${err.code ?? 'ERROR'}: ${err.message}`, 'failed', err.suggestion ?? '');
      return;
    }
    if (!proxy.configured) {
      setStatus(NOT_CONFIGURED, 'not-configured', proxy.message ?? '');
      return;
    }
    const models = proxy.deployments.map((d) => `${d.provider} ${d.model}`).join(', then ');
    setStatus(`Model: ${models}, through the registry's proxy. The key stays on the server.`, 'configured');
    state.model = agent.proxyModel({ endpoint, token: config.token });
    state.ready = true;
    sync();
  })();

  // ---------------------------------------------------------------- a turn
  async function run(text) {
    state.running = true;
    const controller = (state.controller = new AbortController());
    sync();
    // The oldest turns go before the history outgrows what the proxy takes in one step.
    const trimmed = trimHistory(state.history);
    state.history = trimmed.messages;
    if (trimmed.droppedTurns > 0) {
      const note = add(el('li', { className: 'msg note', textContent: `${trimmed.droppedTurns === 1 ? 'The oldest turn was' : `The ${trimmed.droppedTurns} oldest turns were`} left out of the conversation sent to the model, to keep it within the proxy's limits.` }));
      Object.assign(note.dataset, { role: 'note', kind: 'trimmed', droppedTurns: String(trimmed.droppedTurns) });
    }
    add(el('li', { className: 'msg user' }, [el('span', { className: 'who', textContent: 'You' }), el('p', { className: 'text', textContent: text })])).dataset.role = 'user';
    const turn = el('li', { className: 'msg usage' });
    let reply; // the assistant bubble of the current step, created on its first text
    let call; // the transcript line of the tool call running now
    const bubble = () => {
      if (!reply) {
        reply = add(el('li', { className: 'msg assistant' }, [el('span', { className: 'who', textContent: 'Agent' }), el('p', { className: 'text' })]));
        reply.dataset.role = 'assistant';
        reply.setAttribute('aria-busy', 'true');
      }
      return reply.querySelector('.text');
    };
    const onEvent = (e) => {
      if (e.type === 'step-start') {
        reply?.removeAttribute('aria-busy');
        reply = undefined;
      } else if (e.type === 'text-delta') {
        bubble().append(e.delta);
      } else if (e.type === 'step-restart') {
        if (reply) bubble().textContent = '';
      } else if (e.type === 'tool-call') {
        reply?.removeAttribute('aria-busy');
        reply = undefined;
        call = add(el('li', { className: 'msg tool' }, [el('span', { className: 'who', textContent: 'Tool' }), el('code', { className: 'name', textContent: e.name }), ' ', el('code', { className: 'args', textContent: compact(e.arguments) }), ' ', el('span', { className: 'outcome', textContent: '…' })]));
        Object.assign(call.dataset, { role: 'tool', tool: e.name, state: 'running' });
      } else if (e.type === 'tool-result') {
        const line = call && call.dataset.tool === e.call.name ? call : undefined;
        call = undefined;
        if (!line) return;
        line.dataset.state = e.call.result.ok ? 'ok' : 'error';
        line.dataset.code = e.call.result.error?.code ?? '';
        line.querySelector('.outcome').textContent = `→ ${outcomeText(e.call.result)}`;
        line.append(el('span', { className: 'hint', textContent: ` ${Math.round(e.ms)} ms` }));
        if (e.call.result.error?.suggestion) line.title = e.call.result.error.suggestion;
      }
    };
    let outcome;
    try {
      // The registry asks about the calls its own policy wants approved (the dialog is its approve
      // callback); the session asks, through the same dialog, only about calls its policy wants
      // approved and the registry would not ask about, so no call is asked about twice.
      outcome = await agent.runAgentSession({ model: state.model, tools: agent.registryToolSource(registry), prompt: text, history: state.history, approve: (request) => approvals.request(request), onEvent, signal: controller.signal });
    } catch (err) {
      // runAgentSession reports failures in its outcome; this is a bug in the page or the kit.
      outcome = { error: { code: err.code ?? 'CHAT_FAILED', message: err.message ?? String(err), suggestion: 'Reload the page.' }, finishReason: 'error', usage: { inputTokens: 0, outputTokens: 0 }, steps: 0, messages: state.history };
    }
    reply?.removeAttribute('aria-busy');
    if (call) call.dataset.state = 'error';
    state.history = outcome.messages ?? state.history;
    if (outcome.error && outcome.finishReason !== 'aborted') {
      const e = outcome.error;
      const li = add(el('li', { className: 'msg error', role: 'alert' }, [el('p', {}, [el('strong', { className: 'code', textContent: e.code }), `: ${e.message}`]), el('p', { className: 'hint suggestion', textContent: e.suggestion ?? '' })]));
      Object.assign(li.dataset, { role: 'error', code: e.code });
    }
    if (outcome.finishReason === 'aborted') add(el('li', { className: 'msg note', textContent: 'Stopped.' })).dataset.role = 'note';
    const u = outcome.usage ?? { inputTokens: 0, outputTokens: 0 };
    const cost = outcome.costUsd ? ` · ≈ $${outcome.costUsd.toFixed(4)}` : '';
    turn.textContent = `${u.inputTokens} input + ${u.outputTokens} output tokens · ${outcome.steps ?? 0} step${outcome.steps === 1 ? '' : 's'} · ${outcome.finishReason}${cost}`;
    Object.assign(turn.dataset, { role: 'usage', finish: outcome.finishReason, inputTokens: String(u.inputTokens), outputTokens: String(u.outputTokens) });
    add(turn);
    state.controller = undefined;
    state.running = false;
    sync();
    return outcome;
  }

  // ---------------------------------------------------------------- the controls
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = prompt.value.trim();
    if (!text || !state.ready || state.running) return;
    prompt.value = '';
    chat.last = run(text);
  });
  // Enter sends, Shift+Enter is a new line.
  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => {
    state.controller?.abort();
    // A call of this session waiting in the dialog is denied; other callers' requests stay.
    approvals.denyAll((r) => r.caller === 'agent');
  });
  clear.addEventListener('click', () => {
    state.history = [];
    list.replaceChildren();
    sync();
    prompt.focus();
  });
  sync();
  await chat.ready;
  return chat;
}
