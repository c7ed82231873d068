/**
 * One agent session: the loop that streams a model step, runs the tool calls it asked for
 * through the tool registry under the safety policy, feeds the results back as untrusted data,
 * and stops at the answer, the step or spend cap, a moderation block, an error or cancellation.
 * Approvals are awaited inside the loop, so they survive streaming. Isomorphic.
 */
import type { LanguageModelV3FunctionTool, LanguageModelV3Message, LanguageModelV3ToolCallPart, LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import type { AgentTool, ApprovalHandler, ToolCallResult } from '../registry/types.js';
import { abortedError, classifyLlmError } from './errors.js';
import { errorClassOf } from '../../telemetry/error-classes.js';
import { parseArguments } from './arguments.js';
import { parsePolicy, policyApprovalReason, toolPermitted, withPolicyApproval, type AgentPolicy } from './policy.js';
import { ModelToolNames } from './tool-names.js';
import { outputDelimiter, resultText, untrustedNotice, wrapToolOutput } from './untrusted.js';
import { estimateTokens } from './budget.js';
import { telemetry, type TelemetrySpan } from '../../telemetry/sink.js';
import type { AgentEvent, SessionFinishReason, SessionResult, SessionToolCall, StepModel, Usage } from './types.js';

/** Where a session's tools come from: a page {@link import('../registry/tool-registry.js').ToolRegistry} or a canvas session. */
export interface AgentToolSource {
  /** The tools the source offers now (the session filters them by its policy). */
  list(): AgentTool[] | Promise<AgentTool[]>;
  /** Runs one tool; resolves with the tool envelope (a failure is an `isError` envelope or a coded throw). */
  call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolCallResult>;
  /**
   * True when the source asks for approval itself (a page registry with an approve callback).
   * The session then asks only when its policy wants approval and {@link approvalReason} says
   * the source would not ask, so no call is asked about twice.
   */
  readonly handlesApproval?: boolean;
  /** With `handlesApproval`: whether the source itself would ask about a call of this tool. */
  approvalReason?(name: string): 'always' | 'destructive' | undefined;
}

/** A moderation verdict: `false` or `{ allowed: false }` blocks. */
export type ModerationVerdict = boolean | { allowed: boolean; reason?: string };

/** The host's moderation hook, asked before (`input`: the user's prompt) and after (`output`: the model's text) model calls. */
export type ModerationHook = (check: { stage: 'input' | 'output'; text: string }) => ModerationVerdict | Promise<ModerationVerdict>;

/** Options of {@link runAgentSession}. */
export interface AgentSessionOptions {
  /** The router's group model, one model, or the page's proxy client. */
  model: StepModel;
  tools: AgentToolSource;
  /** The user's request. */
  prompt: string;
  /** Extra system instructions (the untrusted-data notice is always added). */
  system?: string;
  /** Earlier turns of a chat, to continue it. */
  history?: LanguageModelV3Message[];
  /** The safety policy (parsed JSON; defaults apply). */
  policy?: AgentPolicy | unknown;
  /** Asked before calls that need approval. Without it such calls are refused with `APPROVAL_REQUIRED`. */
  approve?: ApprovalHandler;
  /** The host's moderation hook (required when the policy asks for moderation). */
  moderate?: ModerationHook;
  /** Cancels the session: the model call is aborted, a pending approval counts as denied, no further tool runs. */
  signal?: AbortSignal;
  /** Progress: steps, text deltas, tool calls and results, approvals, the finish. */
  onEvent?: (event: AgentEvent) => void;
}

/** A session's result plus the conversation, to continue a chat. */
export interface AgentSessionOutcome extends SessionResult {
  messages: LanguageModelV3Message[];
}

const DEFAULT_SYSTEM = 'You operate a <vib3-canvas> 4D visual through the tools you are given. Use the tools to do what the user asks, then answer briefly.';

const refusal = (code: string, message: string, suggestion: string): ToolCallResult => ({ isError: true, content: [{ type: 'text', text: `${code}: ${message}` }], structuredContent: { error: { code, message, suggestion, retryable: false } } });

function summary(result: ToolCallResult): SessionToolCall['result'] {
  const error = result.isError ? (result.structuredContent?.['error'] as { code: string; message: string; suggestion: string } | undefined) : undefined;
  // Structured results are kept as such; their text block is the same JSON again.
  const text = result.structuredContent && !result.isError ? '' : resultText({ content: result.content });
  return {
    ok: !result.isError,
    ...(result.structuredContent && !result.isError ? { structuredContent: result.structuredContent } : {}),
    ...(text ? { text } : {}),
    ...(error ? { error: { code: error.code, message: error.message, suggestion: error.suggestion } } : {}),
  };
}

async function moderated(hook: ModerationHook | undefined, stage: 'input' | 'output', text: string): Promise<string | undefined> {
  if (!hook) return `The policy requires moderation of ${stage}, and the host gave no moderation hook.`;
  let verdict: ModerationVerdict;
  try {
    verdict = await hook({ stage, text });
  } catch {
    verdict = false;
  }
  const allowed = typeof verdict === 'boolean' ? verdict : verdict.allowed === true;
  if (allowed) return undefined;
  return typeof verdict === 'object' && verdict.reason ? verdict.reason : `The moderation hook blocked the ${stage}.`;
}

/** Ends a chat span with the step's usage, and records the step's token and duration metrics. */
function recordStep(span: TelemetrySpan, usage: Usage, finishReason: string, route: { provider?: string; model?: string }, started: number): void {
  span.setAttributes({ 'gen_ai.usage.input_tokens': usage.inputTokens, 'gen_ai.usage.output_tokens': usage.outputTokens, 'gen_ai.response.finish_reasons': [finishReason] });
  span.end();
  const sink = telemetry();
  const attrs = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': route.provider, 'gen_ai.request.model': route.model };
  sink.record('gen_ai.client.token.usage', usage.inputTokens, { ...attrs, 'gen_ai.token.type': 'input' });
  sink.record('gen_ai.client.token.usage', usage.outputTokens, { ...attrs, 'gen_ai.token.type': 'output' });
  sink.record('gen_ai.client.operation.duration', (Date.now() - started) / 1000, attrs);
}

/** Runs one agent session. Never throws for model or tool failures: they end the session with a coded `error`. */
export async function runAgentSession(options: AgentSessionOptions): Promise<AgentSessionOutcome> {
  const policy = parsePolicy(options.policy ?? {});
  const emit = (e: AgentEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      // a listener's failure never breaks the session
    }
  };
  const sink = telemetry();
  const sessionSpan = sink.startSpan('invoke_agent vib3-agent', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'vib3-agent', 'gen_ai.input.messages': options.prompt });
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const toolCalls: SessionToolCall[] = [];
  let costUsd = 0;
  let text = '';
  let steps = 0;
  // A fresh delimiter per session: tool output cannot close its block without knowing it.
  const delimiter = outputDelimiter();
  const messages: LanguageModelV3Message[] = [{ role: 'system', content: `${options.system ?? DEFAULT_SYSTEM}\n\n${untrustedNotice(delimiter)}` }, ...(options.history ?? []).filter((m) => m.role !== 'system'), { role: 'user', content: [{ type: 'text', text: options.prompt }] }];
  const finish = (finishReason: SessionFinishReason, error?: { code: string; message: string; suggestion: string }): AgentSessionOutcome => {
    sessionSpan.setAttributes({ 'gen_ai.usage.input_tokens': usage.inputTokens, 'gen_ai.usage.output_tokens': usage.outputTokens, 'vib3.session.finish_reason': finishReason, 'vib3.session.steps': steps, 'vib3.session.tool_calls': toolCalls.length, 'vib3.cost.usd': costUsd, 'gen_ai.output.messages': text || undefined });
    if (error) sessionSpan.fail(error.code, error.message);
    sessionSpan.end();
    emit({ type: 'finish', finishReason, usage: { ...usage } });
    return { text, toolCalls, usage, finishReason, steps, costUsd, ...(error ? { error } : {}), messages };
  };
  const fail = (err: unknown) => {
    const e = classifyLlmError(err);
    return finish(e.code === 'LLM_ABORTED' ? 'aborted' : 'error', { code: e.code, message: e.message, suggestion: e.suggestion });
  };

  if (policy.moderation.input) {
    const blocked = await moderated(options.moderate, 'input', options.prompt);
    if (blocked) return finish('moderation', { code: 'LLM_MODERATION_BLOCKED', message: blocked, suggestion: 'Rephrase the request.' });
  }

  let tools: AgentTool[];
  try {
    tools = (await options.tools.list()).filter((t) => toolPermitted(policy, t.name)).map((t) => withPolicyApproval(policy, t));
  } catch (err) {
    return fail(err);
  }
  const byName = new Map(tools.map((t) => [t.name, t]));
  const names = new ModelToolNames(tools.map((t) => t.name));
  const modelTools: LanguageModelV3FunctionTool[] = tools.map((t) => ({ type: 'function', name: names.api(t.name)!, description: t.description, inputSchema: t.inputSchema as LanguageModelV3FunctionTool['inputSchema'] }));

  for (;;) {
    if (options.signal?.aborted) return fail(abortedError());
    if (steps >= policy.maxSteps) return finish('max-steps', { code: 'LLM_MAX_STEPS', message: `The session reached the policy's ${policy.maxSteps} steps.`, suggestion: 'Raise maxSteps in the policy, or ask for less at once.' });
    const spent = usage.inputTokens + usage.outputTokens;
    // The next call's input is estimated (4 characters a token) so the cap holds before the call, not after it.
    const nextInput = policy.spendCap.tokens !== undefined ? estimateTokens({ prompt: messages, tools: modelTools }) : 0;
    if ((policy.spendCap.tokens !== undefined && spent + nextInput + 1 > policy.spendCap.tokens) || (policy.spendCap.usd !== undefined && costUsd >= policy.spendCap.usd)) {
      return finish('budget', { code: 'LLM_SPEND_CAP', message: `The session spent ${spent} tokens ($${costUsd.toFixed(4)}); the next call (about ${nextInput} input tokens) would pass its cap.`, suggestion: "Raise the policy's spendCap, or start a new session." });
    }
    steps++;
    const step = steps;
    emit({ type: 'step-start', step });
    let stepText = '';
    let calls: { toolCallId: string; toolName: string; input: string }[] = [];
    let finishReason = 'other';
    const stepUsage: Usage = { inputTokens: 0, outputTokens: 0 };
    const stepStarted = Date.now();
    const chatSpan = sink.startSpan('chat', { 'gen_ai.operation.name': 'chat' }, sessionSpan);
    let route: { provider?: string; model?: string } = {};
    const maxOutputTokens = policy.spendCap.tokens !== undefined ? Math.max(1, Math.min(policy.maxOutputTokens, policy.spendCap.tokens - spent - nextInput)) : policy.maxOutputTokens;
    try {
      for await (const part of options.model.stream({ prompt: messages, tools: modelTools, toolChoice: { type: 'auto' }, maxOutputTokens }, options.signal, chatSpan)) {
        if (part.type === 'restart') {
          stepText = '';
          calls = [];
          emit({ type: 'step-restart', step, reason: part.reason });
        } else if (part.type === 'text-delta') {
          stepText += part.delta;
          emit({ type: 'text-delta', step, delta: part.delta });
        } else if (part.type === 'tool-call') {
          calls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
        } else if (part.type === 'finish') {
          finishReason = part.finishReason.unified;
          stepUsage.inputTokens = part.usage.inputTokens.total ?? 0;
          stepUsage.outputTokens = part.usage.outputTokens.total ?? 0;
        } else if (part.type === 'route') {
          route = { ...(part.provider ? { provider: part.provider } : {}), ...(part.model ? { model: part.model } : {}) };
          if (part.model) chatSpan.rename(`chat ${part.model}`);
          chatSpan.setAttributes({ 'gen_ai.provider.name': part.provider, 'gen_ai.request.model': part.model, 'vib3.router.deployment': part.deployment, 'vib3.cost.usd': part.costUsd });
          costUsd += part.costUsd;
          stepUsage.inputTokens = part.inputTokens;
          stepUsage.outputTokens = part.outputTokens;
        } else if (part.type === 'error') {
          throw part.error;
        }
      }
    } catch (err) {
      const e = classifyLlmError(err);
      chatSpan.fail(e.code, e.message);
      chatSpan.end();
      return fail(e);
    }
    recordStep(chatSpan, stepUsage, finishReason, route, stepStarted);
    usage.inputTokens += stepUsage.inputTokens;
    usage.outputTokens += stepUsage.outputTokens;
    emit({ type: 'step-finish', step, usage: stepUsage, finishReason });
    if (policy.moderation.output && stepText) {
      const blocked = await moderated(options.moderate, 'output', stepText);
      if (blocked) return finish('moderation', { code: 'LLM_MODERATION_BLOCKED', message: blocked, suggestion: 'The answer was withheld; rephrase the request.' });
    }
    text = stepText || text;
    const assistant: LanguageModelV3Message = { role: 'assistant', content: [] };
    if (stepText) assistant.content.push({ type: 'text', text: stepText });
    for (const c of calls) assistant.content.push({ type: 'tool-call', toolCallId: c.toolCallId, toolName: c.toolName, input: parseArguments(c.input) ?? {} } satisfies LanguageModelV3ToolCallPart);
    // An empty assistant turn is not kept: some APIs refuse it in the next request.
    if (assistant.content.length) messages.push(assistant);
    if (!calls.length) {
      const reason: SessionFinishReason = finishReason === 'length' ? 'length' : finishReason === 'content-filter' ? 'content-filter' : 'stop';
      return finish(reason);
    }
    const results: LanguageModelV3ToolResultPart[] = [];
    for (const c of calls) {
      if (options.signal?.aborted) return fail(abortedError());
      const result = await runCall(c);
      results.push({ type: 'tool-result', toolCallId: c.toolCallId, toolName: c.toolName, output: { type: 'text', value: wrapToolOutput(names.registry(c.toolName) ?? c.toolName, result, policy.maxToolOutputChars, delimiter) } });
    }
    messages.push({ role: 'tool', content: results });
  }

  async function runCall(c: { toolCallId: string; toolName: string; input: string }): Promise<ToolCallResult> {
    const started = Date.now();
    const name = names.registry(c.toolName);
    const tool = name ? byName.get(name) : undefined;
    const args = parseArguments(c.input);
    const toolSpan = sink.startSpan(`execute_tool ${tool?.name ?? c.toolName}`, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool?.name ?? c.toolName, 'gen_ai.tool.call.id': c.toolCallId, 'gen_ai.tool.type': 'function', 'vib3.tool.caller': 'agent', 'vib3.tool.source': tool?.source, 'gen_ai.tool.call.arguments': c.input }, sessionSpan);
    try {
      return await callTool(c, tool, args, started, toolSpan);
    } finally {
      toolSpan.end();
    }
  }

  async function callTool(c: { toolCallId: string; toolName: string; input: string }, tool: AgentTool | undefined, args: Record<string, unknown> | undefined, started: number, toolSpan: TelemetrySpan): Promise<ToolCallResult> {
    emit({ type: 'tool-call', step: steps, name: tool?.name ?? c.toolName, arguments: args ?? {} });
    let result: ToolCallResult;
    if (!tool) result = refusal('TOOL_NOT_ALLOWED', `The model called "${c.toolName}", which this session does not offer.`, 'Call one of the tools offered.');
    else if (!args) result = refusal('INVALID_TOOL_ARGUMENTS', `The arguments of ${tool.name} are not a JSON object.`, 'Send the arguments as one JSON object matching the inputSchema.');
    else if (toolCalls.length >= policy.maxToolCalls) result = refusal('TOOL_CALL_LIMIT', `The session reached the policy's ${policy.maxToolCalls} tool calls.`, 'Answer with what you have.');
    else result = await approvedCall(tool, args, toolSpan);
    const call: SessionToolCall = { name: tool?.name ?? c.toolName, arguments: args ?? {}, result: summary(result) };
    if (call.result.error) toolSpan.fail(call.result.error.code, call.result.error.message);
    if (sink.captureContent) toolSpan.setAttributes({ 'gen_ai.tool.call.result': resultText(result) });
    sink.record('gen_ai.client.operation.duration', (Date.now() - started) / 1000, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': call.name, 'error.type': call.result.error ? errorClassOf(call.result.error.code) : undefined });
    toolCalls.push(call);
    emit({ type: 'tool-result', step: steps, call, ms: Date.now() - started });
    return result;
  }

  async function approvedCall(tool: AgentTool, args: Record<string, unknown>, toolSpan: TelemetrySpan): Promise<ToolCallResult> {
    const wanted = policyApprovalReason(policy, tool);
    // A source that asks by itself (the page registry's dialog) is not asked twice for the same call.
    const sourceAsks = options.tools.handlesApproval === true && (options.tools.approvalReason?.(tool.name) !== undefined || !options.tools.approvalReason);
    if (wanted && !sourceAsks) {
      if (!options.approve) return refusal('APPROVAL_REQUIRED', `${tool.name} needs the user's approval and no one can give it here.`, 'Explain to the user what the call would do instead.');
      const approved = await untilAborted(options.approve({ tool, input: structuredClone(args), caller: 'agent', reason: wanted }));
      emit({ type: 'approval', name: tool.name, approved, reason: wanted });
      toolSpan.addEvent('vib3.approval', { 'vib3.approval.reason': wanted, 'vib3.approval.granted': approved });
      if (!approved) return refusal('APPROVAL_DENIED', `The user did not approve ${tool.name}.`, 'Do not retry it; tell the user what it would have done.');
    }
    if (options.signal?.aborted) return refusal('ABORTED', `The session was cancelled before ${tool.name} ran.`, 'Start a new session if you still want it.');
    try {
      return await options.tools.call(tool.name, args, options.signal);
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown; suggestion?: unknown };
      return refusal(typeof e.code === 'string' ? e.code : 'TOOL_FAILED', typeof e.message === 'string' ? e.message : String(err), typeof e.suggestion === 'string' ? e.suggestion : 'Try again later.');
    }
  }

  /** An approval that resolves false when it throws, or when the session is cancelled while it waits. */
  function untilAborted(answer: boolean | Promise<boolean>): Promise<boolean> {
    const signal = options.signal;
    return new Promise<boolean>((resolve) => {
      if (signal?.aborted) return resolve(false);
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      Promise.resolve(answer).then(
        (v) => resolve(v === true),
        () => resolve(false),
      ).finally(() => signal?.removeEventListener('abort', onAbort));
    });
  }
}
