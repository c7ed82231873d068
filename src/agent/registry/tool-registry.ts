/**
 * One tool registry for the page: the kit's canvas pack and every active extension's pack (and any
 * other provider), listed under MCP-valid names. Every call goes through the same gate, in this
 * order: known tool → page allow/deny lists → input against `inputSchema` → rate limit →
 * approval → the provider (with a deadline) → result shape and `structuredContent` against
 * `outputSchema`. Failures come back as the one envelope (`isError`, `{ error: { code, message,
 * suggestion, retryable, nextTools? } }`), never as exceptions.
 *
 * MCP servers, WebMCP and the agent bridge all call tools through a registry, so they share the
 * page's policy and approval UI.
 */
import { ToolSchemaCheck } from '../../sdk/tool-schema.js';
import { isLegacyToolName, normalizeToolName } from '../toolpack/names.js';
import { AgentToolError, errorResult, resultFromThrown } from './envelope.js';
import { RateLimiter } from './rate-limiter.js';
import { approvalReason } from './approval.js';
import type { AgentTool, ApprovalHandler, ContentBlock, ProviderResult, ToolCallResult, ToolPolicy, ToolProvider } from './types.js';

/** Options of a {@link ToolRegistry}. */
export interface ToolRegistryOptions {
  /**
   * Asked before calls that need approval. Without it, such calls fail with `APPROVAL_REQUIRED`.
   */
  approve?: ApprovalHandler;
  /**
   * Sources whose annotations the page trusts to judge a call destructive (default `['kit']`).
   * For every other source a tool with `approval: "destructive"` is asked about on every call:
   * third-party annotations are hints, never permissions.
   */
  trustedSources?: string[];
  /** Only these tool names (exact, or a prefix ending in `*`) are callable. */
  allow?: string[];
  /** These tool names (exact, or a prefix ending in `*`) are never callable. */
  deny?: string[];
  /** Per-tool policy set by the page (e.g. `{ reset: { approval: "always" } }`). */
  overrides?: Record<string, Partial<ToolPolicy>>;
  /** Deadline of one call in ms (default 30 000). */
  timeoutMs?: number;
  /** Clock of the rate limits (tests). */
  now?: () => number;
}

/** Options of one call. */
export interface CallOptions {
  /** Who asks (`page`, `webmcp`, `mcp`, `bridge`, …); shown in approvals. Default `page`. */
  caller?: string;
  signal?: AbortSignal;
}

/** Detail of the `call` event a registry dispatches after every call. */
export interface ToolCallEventDetail {
  name: string;
  caller: string;
  ok: boolean;
  code?: string;
  ms: number;
}

const matches = (patterns: string[], name: string): boolean => patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));

/** Shortest edit distance under 4, for "did you mean" suggestions. */
function closeNames(name: string, names: string[]): string[] {
  const tail = (n: string) => n.slice(n.lastIndexOf('.') + 1);
  return names.filter((n) => n.includes(name) || name.includes(tail(n)) || tail(n) === tail(name)).slice(0, 3);
}

/**
 * The page's tool registry. Dispatches `change` when the tool list changes and `call`
 * ({@link ToolCallEventDetail}) after every call.
 */
export class ToolRegistry extends EventTarget {
  private readonly providers: ToolProvider[] = [];
  private readonly unsubscribers = new Map<ToolProvider, () => void>();
  private readonly checks = new WeakMap<object, ToolSchemaCheck>();
  private readonly limiter: RateLimiter;
  private readonly options: ToolRegistryOptions;
  private readonly warned = new Set<string>();

  constructor(options: ToolRegistryOptions = {}) {
    super();
    this.options = options;
    this.limiter = new RateLimiter(options.now);
  }

  /** Adds a provider; returns a function that removes it again. */
  add(provider: ToolProvider): () => void {
    if (this.providers.some((p) => p.id === provider.id)) throw new AgentToolError('PROVIDER_EXISTS', `A tool provider with id "${provider.id}" is already added.`, 'Remove it first, or give the new provider another id.');
    this.providers.push(provider);
    const off = provider.onChange?.(() => this.changed());
    if (off) this.unsubscribers.set(provider, off);
    this.changed();
    return () => this.remove(provider);
  }

  /** Removes a provider. */
  remove(provider: ToolProvider): void {
    const at = this.providers.indexOf(provider);
    if (at < 0) return;
    this.providers.splice(at, 1);
    this.unsubscribers.get(provider)?.();
    this.unsubscribers.delete(provider);
    this.changed();
  }

  /** Every callable tool (the first provider wins a name; denied tools are left out), policy applied. */
  list(): AgentTool[] {
    const seen = new Set<string>();
    const out: AgentTool[] = [];
    for (const p of this.providers) {
      for (const t of p.tools()) {
        if (seen.has(t.name) || !this.permitted(t.name)) continue;
        seen.add(t.name);
        out.push(this.withPolicy(t));
      }
    }
    return out;
  }

  /** One tool by name (the legacy `<extension-id>/<tool>` form is accepted, with a console warning). */
  get(name: string): AgentTool | undefined {
    return this.resolve(name)?.tool;
  }

  /**
   * Why a call of the tool would wait for this registry's approval handler (`always`,
   * `destructive`), or undefined when it would not (its policy, the page's overrides and trusted
   * sources applied). Agent sessions use it so a call is never asked about twice.
   */
  approvalReason(name: string): 'always' | 'destructive' | undefined {
    const found = this.resolve(name);
    return found ? approvalReason(found.tool, this.options.trustedSources) : undefined;
  }

  /** Calls a tool. Never throws: failures are error envelopes. */
  async call(name: string, input: unknown = {}, options: CallOptions = {}): Promise<ToolCallResult> {
    const caller = options.caller ?? 'page';
    const started = typeof performance !== 'undefined' ? performance.now() : Date.now();
    let result: ToolCallResult;
    let toolName = name;
    try {
      const found = this.resolve(name);
      if (!found) {
        const names = this.list().map((t) => t.name);
        const near = closeNames(name, names);
        throw new AgentToolError('UNKNOWN_TOOL', `There is no tool named "${name}".`, near.length ? `Did you mean ${near.join(', ')}?` : 'List the tools (tools/list) and call one of them.', { nextTools: near });
      }
      toolName = found.tool.name;
      result = await this.run(found.tool, found.provider, input, caller, options.signal);
    } catch (err) {
      result = resultFromThrown(err);
    }
    const error = result.isError ? (result.structuredContent?.['error'] as { code?: string } | undefined) : undefined;
    const ms = (typeof performance !== 'undefined' ? performance.now() : Date.now()) - started;
    this.dispatchEvent(new CustomEvent<ToolCallEventDetail>('call', { detail: { name: toolName, caller, ok: !result.isError, ...(error?.code ? { code: error.code } : {}), ms } }));
    return result;
  }

  // ------------------------------------------------------------------ the gate

  private async run(tool: AgentTool, provider: ToolProvider, input: unknown, caller: string, signal: AbortSignal | undefined): Promise<ToolCallResult> {
    if (!this.permitted(tool.name)) throw new AgentToolError('TOOL_NOT_ALLOWED', `The page does not allow ${tool.name}.`, 'Ask the page owner to allow it, or use another tool.');
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new AgentToolError('INVALID_TOOL_INPUT', `Input for ${tool.name} must be a JSON object.`, 'Send an object matching the tool inputSchema.');
    const args = input as Record<string, unknown>;
    const bad = this.check(tool.inputSchema).check(args);
    if (bad) throw new AgentToolError('INVALID_TOOL_INPUT', `Input for ${tool.name} is invalid at ${bad.path}: ${bad.message.replace(/\.$/, '')}.`, 'Send input matching the tool inputSchema (tools/list shows it).', { nextTools: tool.source === 'kit' ? ['get_params'] : [] });
    const perMinute = tool.policy.rateLimit?.perMinute;
    if (perMinute !== undefined) {
      const waitMs = this.limiter.take(tool.name, perMinute);
      if (waitMs > 0) throw new AgentToolError('RATE_LIMITED', `${tool.name} may be called ${perMinute} times a minute.`, `Try again in ${Math.ceil(waitMs / 1000)} s.`, { retryable: true });
    }
    const reason = approvalReason(tool, this.options.trustedSources);
    if (reason) await this.ask(tool, args, caller, reason);
    if (signal?.aborted) throw new AgentToolError('ABORTED', `The call of ${tool.name} was cancelled.`, 'Call it again if you still need it.');
    const raw = await this.withDeadline(tool.name, provider.call(tool.name, args, { caller, ...(signal ? { signal } : {}) }), signal);
    return this.checkOutput(tool, raw);
  }

  private async ask(tool: AgentTool, input: Record<string, unknown>, caller: string, reason: 'always' | 'destructive'): Promise<void> {
    const approve = this.options.approve;
    if (!approve) throw new AgentToolError('APPROVAL_REQUIRED', `${tool.name} needs the user's approval and this page has no approval handler.`, 'Create the ToolRegistry with an approve callback (a dialog), or let the page owner change its policy.');
    let granted = false;
    try {
      granted = (await approve({ tool, input: structuredClone(input), caller, reason })) === true;
    } catch {
      granted = false;
    }
    if (!granted) throw new AgentToolError('APPROVAL_DENIED', `The user did not approve ${tool.name}.`, 'Do not retry without asking the user; explain what the call would do.', { retryable: false });
  }

  private withDeadline(name: string, work: Promise<ProviderResult>, signal: AbortSignal | undefined): Promise<ProviderResult> {
    const ms = this.options.timeoutMs ?? 30_000;
    return new Promise<ProviderResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AgentToolError('TIMEOUT', `${name} did not answer within ${ms} ms.`, 'Try again; if it keeps timing out, the canvas or extension may be stuck.')), ms);
      const onAbort = () => reject(new AgentToolError('ABORTED', `The call of ${name} was cancelled.`, 'Call it again if you still need it.'));
      signal?.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
    });
  }

  private checkOutput(tool: AgentTool, raw: ProviderResult): ToolCallResult {
    if (!raw || typeof raw !== 'object' || !Array.isArray(raw.content)) throw new AgentToolError('INVALID_TOOL_OUTPUT', `${tool.name} returned something that is not a tool result.`, 'Report it to the tool publisher; the result was withheld.');
    const content: ContentBlock[] = [];
    for (const block of raw.content as unknown[]) {
      const b = block as Partial<ContentBlock> | null;
      if (b?.type === 'text' && typeof b.text === 'string') content.push({ type: 'text', text: b.text });
      else if (b?.type === 'image' && typeof b.data === 'string' && typeof b.mimeType === 'string' && /^image\/(png|jpeg|webp)$/.test(b.mimeType)) content.push({ type: 'image', data: b.data, mimeType: b.mimeType });
      else throw new AgentToolError('INVALID_TOOL_OUTPUT', `${tool.name} returned a content block the kit does not pass on.`, 'Tools return text blocks and PNG, JPEG or WebP image blocks.');
    }
    if (raw.isError === true) {
      const s = raw.structuredContent?.['error'];
      return s && typeof s === 'object' ? resultFromThrown(s) : { isError: true, content };
    }
    if (tool.outputSchema) {
      const structured = raw.structuredContent;
      const wrong = structured === undefined ? { path: '/', message: 'structuredContent is missing' } : this.check(tool.outputSchema).check(structured);
      if (wrong) throw new AgentToolError('INVALID_TOOL_OUTPUT', `${tool.name} returned structuredContent that does not match its outputSchema at ${wrong.path}: ${wrong.message.replace(/\.$/, '')}.`, 'Report it to the tool publisher; the result was withheld.');
    }
    return { content, ...(raw.structuredContent !== undefined ? { structuredContent: raw.structuredContent } : {}) };
  }

  // ------------------------------------------------------------------ helpers

  private resolve(name: string): { tool: AgentTool; provider: ToolProvider } | undefined {
    const dotted = normalizeToolName(undefined, name);
    if (dotted !== name && isLegacyToolName(name) && !this.warned.has(name)) {
      this.warned.add(name);
      console.warn(`[vib3] Tool name "${name}" uses the old "/" form; call "${dotted}" instead (the old form is removed in the next minor version).`);
    }
    for (const provider of this.providers) {
      const tool = provider.tools().find((t) => t.name === dotted);
      if (tool) return { tool: this.withPolicy(tool), provider };
    }
    return undefined;
  }

  private withPolicy(tool: AgentTool): AgentTool {
    const o = this.options.overrides?.[tool.name];
    return o ? { ...tool, policy: { ...tool.policy, ...o } } : tool;
  }

  private permitted(name: string): boolean {
    if (this.options.deny && matches(this.options.deny, name)) return false;
    return !this.options.allow || matches(this.options.allow, name);
  }

  private check(schema: object): ToolSchemaCheck {
    let c = this.checks.get(schema);
    if (!c) this.checks.set(schema, (c = new ToolSchemaCheck(schema)));
    return c;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

export { errorResult };
