/**
 * The router: model groups with ordered fallbacks over deployments, the one retry loop of the
 * LLM layer (provider SDK retries are never used), `Retry-After`, cooldowns shared by every
 * request, per-provider request and token budgets, and context-window fallback. Every decision
 * goes to the `onDecision` listeners (and from there to telemetry); none carries content or keys.
 */
import type { LanguageModelV3, LanguageModelV3Usage } from '@ai-sdk/provider';
import { Budgets, estimateTokens } from './budget.js';
import { abortedError, classifyLlmError, LlmError } from './errors.js';
import { iterateStream } from './stream.js';
import type { Attributes, TelemetrySpan } from '../../telemetry/sink.js';
import type { Deployment, RouterConfig, RouterDecision, StepModel, StepPart, StepRequest } from './types.js';

/** Makes the AI SDK model of a deployment (see `createProviderModel` in `providers.ts`). */
export type ModelFactory = (deployment: Deployment) => LanguageModelV3 | Promise<LanguageModelV3>;

/** Options of a {@link Router}. */
export interface RouterOptions {
  /** Clock (tests). */
  now?: () => number;
  /** Waits `ms` or rejects when the signal aborts (tests may make it instant). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const CONTENT_PARTS = new Set(['text-start', 'text-delta', 'reasoning-start', 'reasoning-delta', 'tool-input-start', 'tool-input-delta', 'tool-call']);

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(abortedError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reported tokens of a finish part (undefined when the provider reported none). */
function reported(usage: LanguageModelV3Usage | undefined): { input?: number; output?: number } {
  return { ...(usage?.inputTokens.total !== undefined ? { input: usage.inputTokens.total } : {}), ...(usage?.outputTokens.total !== undefined ? { output: usage.outputTokens.total } : {}) };
}

/** A decision as telemetry attributes (ids, codes and numbers only). */
function decisionAttributes(d: RouterDecision): Attributes {
  const deployment = 'deployment' in d ? d.deployment : d.type === 'fallback' ? d.to : undefined;
  const reason = d.type === 'skip' ? d.reason : 'code' in d ? d.code : d.type === 'context-fallback' ? `${d.from}->${d.to}` : undefined;
  const delay = d.type === 'retry' ? d.delayMs : d.type === 'cooldown' ? d.ms : d.type === 'success' ? d.ms : undefined;
  return { 'vib3.router.decision': d.type, 'vib3.router.deployment': deployment, 'vib3.router.reason': reason, 'vib3.router.delay_ms': delay };
}

/** Estimated USD of a step at the deployment's pricing (0 when it has none). */
export function costOf(d: Deployment, inputTokens: number, outputTokens: number): number {
  return d.pricing ? (inputTokens * d.pricing.input + outputTokens * d.pricing.output) / 1e6 : 0;
}

/** Routes model steps over deployments. One router serves every session of a process or server. */
export class Router {
  readonly config: Readonly<RouterConfig>;
  private readonly deployments = new Map<string, Deployment>();
  private readonly cooling = new Map<string, number>();
  /** One model per deployment, made on first use (building one costs up to ~2 ms: openai-compatible compiles its schemas). */
  private readonly models = new Map<string, Promise<LanguageModelV3>>();
  private readonly budgets: Budgets;
  private readonly listeners = new Set<(d: RouterDecision) => void>();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    config: RouterConfig,
    private readonly factory: ModelFactory,
    options: RouterOptions = {},
  ) {
    this.config = config;
    for (const d of config.deployments) this.deployments.set(d.id, d);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.budgets = new Budgets(config.budgets ?? {}, this.now);
    const groups = Object.entries(config.groups);
    if (!groups.length) throw new LlmError('LLM_INVALID_CONFIG', 'The router has no model group.', 'Add a group: { "groups": { "default": ["<deployment id>"] } }.');
    for (const [group, ids] of groups) {
      for (const id of ids) if (!this.deployments.has(id)) throw new LlmError('LLM_INVALID_CONFIG', `Group "${group}" names deployment "${id}", which is not configured.`, 'Add the deployment or fix the group.');
    }
  }

  /** The default group (the first configured). */
  get defaultGroup(): string {
    return Object.keys(this.config.groups)[0]!;
  }

  /** Subscribes to routing decisions; returns the unsubscribe function. */
  onDecision(listener: (d: RouterDecision) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A {@link StepModel} that routes over one group (default: the first). */
  model(group = this.defaultGroup): StepModel {
    if (!this.config.groups[group]) throw new LlmError('LLM_INVALID_CONFIG', `There is no model group "${group}".`, `Use one of: ${Object.keys(this.config.groups).join(', ')}.`);
    return { stream: (request, signal, span) => this.stream(group, request, signal, span) };
  }

  /** Whether a deployment is cooling down now. */
  coolingDown(id: string): boolean {
    return (this.cooling.get(id) ?? 0) > this.now();
  }

  private decide(d: RouterDecision): void {
    for (const l of this.listeners) {
      try {
        l(d);
      } catch {
        // a listener's failure never breaks routing
      }
    }
  }

  private coolDown(id: string, code: string, ms: number, decide: (d: RouterDecision) => void): void {
    this.cooling.set(id, this.now() + ms);
    decide({ type: 'cooldown', deployment: id, code, ms });
  }

  /** The deployment's model; a factory failure is not kept, so a fixed key is picked up on the next request. */
  private modelOf(d: Deployment): Promise<LanguageModelV3> {
    let model = this.models.get(d.id);
    if (!model) {
      model = Promise.resolve().then(() => this.factory(d));
      this.models.set(d.id, model);
      model.catch(() => this.models.delete(d.id));
    }
    return model;
  }

  /** The groups a request may use: the group, then its context fallbacks. */
  private groupsFor(group: string): string[] {
    return [group, ...(this.config.contextFallbacks?.[group] ?? [])];
  }

  /**
   * Streams one step over the group's deployments, retrying and falling back. Each decision goes
   * to the `onDecision` listeners and, as a `vib3.router.decision` event, to `span`.
   */
  async *stream(group: string, request: StepRequest, signal?: AbortSignal, span?: TelemetrySpan): AsyncGenerator<StepPart> {
    const decide = (d: RouterDecision) => {
      this.decide(d);
      span?.addEvent('vib3.router.decision', decisionAttributes(d));
    };
    const estimate = estimateTokens({ prompt: request.prompt, tools: request.tools });
    const retries = this.config.retries ?? 1;
    const cooldownMs = this.config.cooldownMs ?? 30_000;
    const maxWaitMs = this.config.maxWaitMs ?? 10_000;
    let last: LlmError | undefined;
    let previous: string | undefined;
    let budgetWait = Infinity;
    let contextBlocked = false;
    const groups = this.groupsFor(group);
    for (let g = 0; g < groups.length; g++) {
      if (g > 0) {
        // Context fallback groups are only for requests too large for what came before.
        if (!contextBlocked) break;
        decide({ type: 'context-fallback', from: groups[g - 1]!, to: groups[g]! });
        contextBlocked = false;
      }
      for (const id of this.config.groups[groups[g]!] ?? []) {
        const d = this.deployments.get(id)!;
        if (this.coolingDown(id)) {
          decide({ type: 'skip', deployment: id, reason: 'cooldown' });
          continue;
        }
        if (d.contextWindow !== undefined && estimate + (request.maxOutputTokens ?? 0) > d.contextWindow) {
          contextBlocked = true;
          decide({ type: 'skip', deployment: id, reason: 'context-window' });
          continue;
        }
        const bucket = d.budget ?? d.provider;
        const wait = this.budgets.waitMs(bucket, estimate);
        if (wait > 0) {
          budgetWait = Math.min(budgetWait, wait);
          decide({ type: 'skip', deployment: id, reason: 'budget' });
          continue;
        }
        if (previous && last) decide({ type: 'fallback', from: previous, to: id, code: last.code });
        for (let attempt = 1; ; attempt++) {
          decide({ type: 'attempt', group: groups[g]!, deployment: id, attempt });
          const outcome = yield* this.attempt(d, bucket, estimate, request, signal, decide);
          if (outcome === 'done') return;
          last = outcome;
          if (outcome.code === 'LLM_ABORTED') throw outcome;
          if (outcome.code === 'LLM_CONTEXT_TOO_LONG') {
            contextBlocked = true;
            break;
          }
          // A refused or missing key is this deployment's problem: the next one may have its own.
          if (outcome.code === 'LLM_AUTH_FAILED' || outcome.code === 'LLM_MISSING_KEY') {
            this.coolDown(id, outcome.code, cooldownMs, decide);
            break;
          }
          if (!outcome.retryable) throw outcome;
          const delay = outcome.retryAfterMs ?? (this.config.backoffMs ?? 250) * 2 ** (attempt - 1);
          if (attempt <= retries && delay <= maxWaitMs) {
            const budgetWait = this.budgets.waitMs(bucket, estimate);
            if (budgetWait > 0) {
              decide({ type: 'skip', deployment: id, reason: 'budget' });
              break;
            }
            decide({ type: 'retry', deployment: id, code: outcome.code, delayMs: delay, attempt });
            await this.sleep(delay, signal);
            continue;
          }
          this.coolDown(id, outcome.code, Math.max(cooldownMs, outcome.retryAfterMs ?? 0), decide);
          break;
        }
        previous = id;
      }
    }
    if (last) throw last;
    if (budgetWait < Infinity) throw new LlmError('LLM_BUDGET_EXHAUSTED', `Every deployment of "${group}" is over its request or token budget.`, `Wait about ${Math.ceil(budgetWait / 1000)} s, or raise the budgets in the router configuration.`, { retryable: true, retryAfterMs: budgetWait });
    if (contextBlocked) throw new LlmError('LLM_CONTEXT_TOO_LONG', `The request (about ${estimate} tokens) does not fit any deployment of "${group}".`, 'Configure a context fallback group with a larger model, or shorten the conversation.');
    throw new LlmError('LLM_NO_DEPLOYMENT', `Every deployment of "${group}" is cooling down after failures.`, 'Wait for the cooldown to end, or add another provider to the group.', { retryable: true });
  }

  /** One try of one deployment: yields its parts; returns `done`, or the error to act on. */
  private async *attempt(d: Deployment, bucket: string, estimate: number, request: StepRequest, signal: AbortSignal | undefined, decide: (d: RouterDecision) => void): AsyncGenerator<StepPart, 'done' | LlmError> {
    const started = this.now();
    let begun = false;
    let taken = false;
    try {
      const model = await this.modelOf(d);
      this.budgets.take(bucket, estimate);
      taken = true;
      const { stream } = await model.doStream({ ...request, ...(signal ? { abortSignal: signal } : {}) });
      let outputChars = 0;
      for await (const part of iterateStream<StepPart>(stream as ReadableStream<StepPart>)) {
        if (part.type === 'error') throw part.error;
        if (part.type === 'text-delta' || part.type === 'tool-input-delta') outputChars += part.delta.length;
        if (part.type === 'finish') {
          const r = reported(part.usage);
          const input = r.input ?? estimate;
          const output = r.output ?? Math.ceil(outputChars / 4);
          this.budgets.settle(bucket, estimate, input + output);
          decide({ type: 'success', deployment: d.id, ms: this.now() - started, inputTokens: input, outputTokens: output });
          yield part;
          yield { type: 'route', deployment: d.id, provider: d.provider, model: d.model, costUsd: costOf(d, input, output), inputTokens: input, outputTokens: output };
          // The step is complete at its finish part: whatever a provider sends after it is not read (nor charged twice).
          return 'done';
        }
        if (CONTENT_PARTS.has(part.type)) begun = true;
        yield part;
      }
      throw new LlmError('LLM_NETWORK', `The answer of ${d.id} ended before it was complete.`, 'The router retries and falls back where it can; check the provider if it persists.', { retryable: true, deployment: d.id });
    } catch (err) {
      const e = signal?.aborted ? abortedError(d.id) : classifyLlmError(err, d.id);
      // An attempt that produced nothing gives its estimate back; one that streamed keeps it (the provider spent tokens).
      if (taken && !begun) this.budgets.settle(bucket, estimate, 0);
      if (begun && e.code !== 'LLM_ABORTED') {
        if (!e.retryable) throw e;
        decide({ type: 'restart', deployment: d.id, code: e.code });
        yield { type: 'restart', reason: e.code };
      }
      return e;
    }
  }
}
