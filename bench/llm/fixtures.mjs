// What bench/llm.mjs sends and scripts: the request of one agent step (system prompt, a user
// message and the canvas tools, as runAgentSession sends them), the fake's answers (a short and a
// long streamed text answer, a tool-call step), the router configurations (the one-deployment
// configuration `--provider` / VIB3_LLM_PROVIDER builds, and a two-deployment group with budgets,
// pricing and context windows), and an in-memory tool source for the session rows.
import { UNTRUSTED_NOTICE } from '../../src/agent/llm/untrusted.ts';
import { ModelToolNames } from '../../src/agent/llm/tool-names.ts';
import { DEFAULT_POLICY } from '../../src/agent/llm/policy.ts';
import { DEFAULT_MODELS, parseRouterConfig, singleProviderConfig } from '../../src/agent/llm/router-config.ts';

/** Characters per streamed fragment: each fragment is one SSE event, i.e. one text-delta part. */
export const FRAGMENT = 4;

/** The system text a session is given; it adds the untrusted-data notice, so the direct rows send SYSTEM. */
export const SYSTEM_BASE = 'You operate a <vib3-canvas> 4D visual through the tools you are given. Use the tools to do what the user asks, then answer briefly.';
export const SYSTEM = `${SYSTEM_BASE}\n\n${UNTRUSTED_NOTICE}`;
export const PROMPT = 'Make it holographic at hue 280, then tell me what you changed.';

const schema = {
  type: 'object',
  properties: { system: { type: 'string', enum: ['quantum', 'faceted', 'holographic'] }, hue: { type: 'number', minimum: 0, maximum: 360 }, speed: { type: 'number' }, chaos: { type: 'number' } },
  additionalProperties: false,
};
const tool = (name, description, extra = {}) => ({ name, description, inputSchema: schema, policy: { requires: [], approval: 'never' }, source: 'kit', ...extra });

/** The canvas tools the session rows offer (the kit's pack, abridged; none needs approval). */
export const TOOLS = [
  tool('set_params', 'Set visual parameters of the canvas (system, hue, speed, chaos).'),
  tool('get_params', 'Read the current visual parameters.', { annotations: { readOnlyHint: true } }),
  tool('set_geometry', 'Choose the 4D geometry shown.'),
  tool('animate', 'Animate parameters to new values over time.'),
  tool('snapshot', 'Describe the current frame.', { annotations: { readOnlyHint: true } }),
];

export const toolNames = new ModelToolNames(TOOLS.map((t) => t.name));
/** The tools as the session hands them to a model (API-safe names). */
export const MODEL_TOOLS = TOOLS.map((t) => ({ type: 'function', name: toolNames.api(t.name), description: t.description, inputSchema: t.inputSchema }));

/** The first step of a session: what the per-request and per-chunk rows send, on both sides. */
export const STEP_REQUEST = {
  prompt: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: [{ type: 'text', text: PROMPT }] },
  ],
  tools: MODEL_TOOLS,
  toolChoice: { type: 'auto' },
  maxOutputTokens: DEFAULT_POLICY.maxOutputTokens,
};

/** A streamed text answer of exactly `chunks` fragments, then usage. */
export const textTurn = (chunks) => ({ text: 'abcd'.repeat(chunks).slice(0, chunks * FRAGMENT), fragment: FRAGMENT, usage: { input: 420, output: chunks } });

/** The session rows' two steps: one tool call (its arguments streamed in fragments), then a short answer. */
export const TOOL_ARGS = { system: 'holographic', hue: 280 };
export const sessionTurns = () => [
  { toolCalls: [{ name: 'set_params', arguments: JSON.stringify(TOOL_ARGS) }], fragment: 7, usage: { input: 430, output: 18 } },
  { text: 'Done: the canvas is holographic at hue 280.', fragment: FRAGMENT, usage: { input: 520, output: 12 } },
];

/** An in-memory canvas: set_params changes the state, every tool answers with it. */
export function canvasSource() {
  const state = { system: 'quantum', hue: 200 };
  return {
    state,
    list: () => TOOLS,
    async call(name, args) {
      if (name === 'set_params') Object.assign(state, args);
      return { content: [{ type: 'text', text: JSON.stringify(state) }], structuredContent: { ...state } };
    },
  };
}

/** The one-deployment configuration `vib3 agent --provider … --base-url …` and VIB3_LLM_PROVIDER build. */
export const singleConfig = (provider, baseURL) => singleProviderConfig({ provider, baseURL });

/**
 * A group of two deployments of the same provider (the second never needed), each with a budget
 * bucket (requests and tokens per minute, far above what the bench spends, so nothing waits),
 * pricing and a context window, with the router's retry and cooldown settings spelled out:
 * every request runs the estimate, the context-window check, the cooldown check, the budget
 * wait/take/settle and the cost, and reports its decisions to a listener.
 */
export const budgetConfig = (provider, baseURL) =>
  parseRouterConfig({
    deployments: ['primary', 'secondary'].map((id) => ({ id, provider, model: DEFAULT_MODELS[provider], baseURL, contextWindow: 128_000, pricing: { input: 0.4, output: 1.6 }, budget: `${id}-budget` })),
    groups: { default: ['primary', 'secondary'] },
    budgets: { 'primary-budget': { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 }, 'secondary-budget': { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 } },
    retries: 1,
    backoffMs: 250,
    maxWaitMs: 10_000,
    cooldownMs: 30_000,
  });
