/**
 * Types of the LLM layer (`vib3-embed/agent` → `llm`): deployments and routing, the stream a
 * model step yields, the events of an agent session and its result. Isomorphic: nothing here
 * touches Node or the DOM.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { TelemetrySpan } from '../../telemetry/sink.js';

/** The provider APIs the kit speaks (docs/LLM.md "Providers"). */
export type ProviderKind = 'openai' | 'openai-responses' | 'anthropic' | 'openai-compatible';

/** Every {@link ProviderKind}, in the order `--help` lists them. */
export const PROVIDER_KINDS: readonly ProviderKind[] = ['openai', 'openai-responses', 'anthropic', 'openai-compatible'];

/** One model at one provider: the unit the router retries, cools down and falls back from. */
export interface Deployment {
  /** Unique id, used in routing groups, telemetry and errors (e.g. `openai-main`). */
  id: string;
  provider: ProviderKind;
  /** The provider's model id (e.g. `gpt-4.1-mini`, `claude-sonnet-4-5`, `llama3.1`). */
  model: string;
  /** API base exactly as the provider's official SDK takes it (e.g. `http://127.0.0.1:11434/v1`). */
  baseURL?: string;
  /**
   * Name of the secret holding the API key (looked up in the secret store; default per provider:
   * `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `VIB3_LLM_API_KEY`).
   */
  apiKeySecret?: string;
  /** Context window in tokens; a request estimated larger skips this deployment. */
  contextWindow?: number;
  /** USD per million input / output tokens, for spend caps and telemetry. */
  pricing?: { input: number; output: number };
  /** Budget bucket this deployment draws from (default: its `provider`). */
  budget?: string;
  /** Local server flavour of an `openai-compatible` deployment (docs/LLM.md "Local servers"). */
  flavor?: 'ollama' | 'llamacpp' | 'vllm' | 'generic';
}

/** Requests and tokens per minute of one budget bucket (a token bucket fed by reported usage). */
export interface BudgetLimit {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** How the router retries, cools down and falls back. */
export interface RouterConfig {
  deployments: Deployment[];
  /** Model groups: name → deployment ids in fallback order. The first group is the default. */
  groups: Record<string, string[]>;
  /** Groups tried when a request does not fit a group's context windows: group → fallback groups. */
  contextFallbacks?: Record<string, string[]>;
  /** Budget buckets by name (a deployment's `budget`, default its provider). */
  budgets?: Record<string, BudgetLimit>;
  /** Retries of one deployment for a retryable error before falling back (default 1). */
  retries?: number;
  /** First backoff in ms, doubled per retry (default 250). */
  backoffMs?: number;
  /** Longest wait the router accepts (a longer `Retry-After` cools the deployment down instead; default 10 000). */
  maxWaitMs?: number;
  /** How long a failing deployment is skipped by every request (default 30 000 ms). */
  cooldownMs?: number;
}

/** A routing decision, reported to `onDecision` (and to telemetry). Never carries secrets or content. */
export type RouterDecision =
  | { type: 'attempt'; group: string; deployment: string; attempt: number }
  | { type: 'retry'; deployment: string; code: string; delayMs: number; attempt: number }
  | { type: 'fallback'; from: string; to: string; code: string }
  | { type: 'cooldown'; deployment: string; code: string; ms: number }
  | { type: 'skip'; deployment: string; reason: 'cooldown' | 'budget' | 'context-window' }
  | { type: 'context-fallback'; from: string; to: string }
  | { type: 'restart'; deployment: string; code: string }
  | { type: 'success'; deployment: string; ms: number; inputTokens: number; outputTokens: number };

/**
 * A part of one model step: the AI SDK's stream parts, plus `restart` when the router retried a
 * step whose stream had already begun (discard what this step produced so far), and `route`
 * after the finish part: which deployment answered, its tokens and their estimated cost.
 */
export type StepPart = LanguageModelV3StreamPart | { type: 'restart'; reason: string } | { type: 'route'; deployment: string; provider?: string; model?: string; costUsd: number; inputTokens: number; outputTokens: number };

/** What one step asks of a model (the AI SDK call options, minus the abort signal). */
export type StepRequest = Omit<LanguageModelV3CallOptions, 'abortSignal'>;

/** Anything that runs one model step: the router, one model, or the page's proxy client. */
export interface StepModel {
  /**
   * Streams one step. Throws (or yields an `error` part) with an {@link import('./errors.js').LlmError}.
   * `span` is the step's telemetry span: a router adds its decisions to it as events.
   */
  stream(request: StepRequest, signal?: AbortSignal, span?: TelemetrySpan): AsyncIterable<StepPart>;
}

/** Token usage, summed over a session's steps. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** One tool call of a session, as `vib3 agent --json` prints it. */
export interface SessionToolCall {
  /** The registry's tool name (e.g. `set_params`, `duoprism.make_pair`). */
  name: string;
  arguments: Record<string, unknown>;
  /** The registry's envelope, or a policy refusal in the same shape. */
  result: { ok: boolean; structuredContent?: Record<string, unknown>; text?: string; error?: { code: string; message: string; suggestion: string } };
}

/** Why a session ended. */
export type SessionFinishReason = 'stop' | 'length' | 'content-filter' | 'max-steps' | 'budget' | 'moderation' | 'aborted' | 'error';

/** An event of a running session (for progress output, the chat panel and telemetry). */
export type AgentEvent =
  | { type: 'step-start'; step: number }
  | { type: 'text-delta'; step: number; delta: string }
  | { type: 'step-restart'; step: number; reason: string }
  | { type: 'tool-call'; step: number; name: string; arguments: Record<string, unknown> }
  | { type: 'approval'; name: string; approved: boolean; reason: 'always' | 'destructive' }
  | { type: 'tool-result'; step: number; call: SessionToolCall; ms: number }
  | { type: 'step-finish'; step: number; usage: Usage; finishReason: string }
  | { type: 'finish'; finishReason: SessionFinishReason; usage: Usage };

/** What a session returns (the `--json` output of `vib3 agent`, minus the final parameters). */
export interface SessionResult {
  /** The model's final text. */
  text: string;
  toolCalls: SessionToolCall[];
  usage: Usage;
  finishReason: SessionFinishReason;
  steps: number;
  /** Estimated spend in USD (from deployment pricing; 0 when unknown). */
  costUsd: number;
  /** Why the session ended early: with `finishReason` `error`, `aborted`, `budget`, `moderation` or `max-steps`. */
  error?: { code: string; message: string; suggestion: string };
}
