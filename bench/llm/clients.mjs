// The two sides bench/llm.mjs compares, each reading a streamed answer to its end: the AI SDK
// provider model's own `doStream` (what a host calling the provider SDK directly does), and the
// kit's Router (`router.model().stream(request)`), plus a whole agent session (runAgentSession
// over the router) next to the same two steps written by hand over `doStream`.
import { createProviderModel } from '../../src/agent/llm/providers.ts';
import { Router } from '../../src/agent/llm/router.ts';
import { envSecrets } from '../../src/agent/llm/secrets.ts';
import { runAgentSession } from '../../src/agent/llm/session.ts';
import { wrapToolOutput } from '../../src/agent/llm/untrusted.ts';
import { DEFAULT_POLICY } from '../../src/agent/llm/policy.ts';
import { MODEL_TOOLS, PROMPT, SYSTEM, SYSTEM_BASE, TOOL_ARGS, toolNames } from './fixtures.mjs';

/** Dummy keys: the fake checks none; the providers refuse to start without one. */
export const secrets = envSecrets({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' });

/**
 * The factory the kit ships (src/agent-server/agent-run.ts, llm-environment.ts). The router calls
 * it once per deployment, on the deployment's first use, and keeps the model it makes (a failure
 * is not kept, so the next request calls it again).
 */
export const providerFactory = (d) => createProviderModel(d, { secrets });

/**
 * A router over `config`; its decisions are counted by type (the listener stands in for telemetry),
 * and the factory's calls by deployment (`modelsMade`: one per deployment used, if the router keeps its models).
 */
export function makeRouter(config, factory) {
  const modelsMade = {};
  const router = new Router(config, (d) => {
    modelsMade[d.id] = (modelsMade[d.id] ?? 0) + 1;
    return factory(d);
  });
  const decisions = {};
  router.onDecision((d) => {
    decisions[d.type] = (decisions[d.type] ?? 0) + 1;
  });
  return { router, model: router.model(), decisions, modelsMade };
}

/** Reads one `doStream` answer to its end: { parts, textDeltas }. Throws on an error part or a missing finish. */
export async function readDirect(model, request) {
  const { stream } = await model.doStream({ ...request });
  const reader = stream.getReader();
  let parts = 0;
  let textDeltas = 0;
  let finished = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts++;
    if (value.type === 'text-delta') textDeltas++;
    else if (value.type === 'finish') finished = true;
    else if (value.type === 'error') throw new Error(`direct stream error: ${JSON.stringify(value.error)}`);
  }
  if (!finished) throw new Error('direct stream ended without a finish part');
  return { parts, textDeltas };
}

/** Reads one routed step to its end: { parts, textDeltas }. Throws unless it finished on one deployment without a restart. */
export async function readRouted(stepModel, request) {
  let parts = 0;
  let textDeltas = 0;
  let routed = false;
  for await (const p of stepModel.stream(request)) {
    parts++;
    if (p.type === 'text-delta') textDeltas++;
    else if (p.type === 'route') routed = true;
    else if (p.type === 'restart' || p.type === 'error') throw new Error(`routed stream: ${p.type}`);
  }
  if (!routed) throw new Error('routed stream ended without a route part');
  return { parts, textDeltas };
}

/**
 * The session's two steps written by hand over `doStream`: the same messages runAgentSession
 * builds (system + untrusted-data notice, the user prompt, the assistant's tool call, the tool
 * result wrapped as untrusted data), the tool called on the same in-memory source.
 */
export async function directSession(model, source) {
  const messages = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: [{ type: 'text', text: PROMPT }] },
  ];
  for (let step = 1; step <= DEFAULT_POLICY.maxSteps; step++) {
    const { stream } = await model.doStream({ prompt: messages, tools: MODEL_TOOLS, toolChoice: { type: 'auto' }, maxOutputTokens: DEFAULT_POLICY.maxOutputTokens });
    const reader = stream.getReader();
    let text = '';
    const calls = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.type === 'text-delta') text += value.delta;
      else if (value.type === 'tool-call') calls.push(value);
      else if (value.type === 'error') throw new Error(`direct session stream error: ${JSON.stringify(value.error)}`);
    }
    const assistant = { role: 'assistant', content: [] };
    if (text) assistant.content.push({ type: 'text', text });
    for (const c of calls) assistant.content.push({ type: 'tool-call', toolCallId: c.toolCallId, toolName: c.toolName, input: JSON.parse(c.input) });
    messages.push(assistant);
    if (!calls.length) return { steps: step, text };
    const results = [];
    for (const c of calls) {
      const name = toolNames.registry(c.toolName);
      const result = await source.call(name, JSON.parse(c.input));
      results.push({ type: 'tool-result', toolCallId: c.toolCallId, toolName: c.toolName, output: { type: 'text', value: wrapToolOutput(name, result, DEFAULT_POLICY.maxToolOutputChars) } });
    }
    messages.push({ role: 'tool', content: results });
  }
  throw new Error('direct session did not finish');
}

/** runAgentSession over the router's model and the in-memory source; throws unless it set the canvas and stopped. */
export async function routedSession(stepModel, source) {
  const out = await runAgentSession({ model: stepModel, tools: source, prompt: PROMPT, system: SYSTEM_BASE });
  if (out.finishReason !== 'stop' || out.steps !== 2 || out.toolCalls.length !== 1 || !out.toolCalls[0].result.ok) throw new Error(`session ended ${out.finishReason} after ${out.steps} steps: ${JSON.stringify(out.error ?? out.toolCalls)}`);
  if (source.state.hue !== TOOL_ARGS.hue) throw new Error('session did not set the canvas');
  return { steps: out.steps, text: out.text };
}
