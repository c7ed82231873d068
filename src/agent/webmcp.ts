/**
 * WebMCP: the page's tool registry on `document.modelContext`, so an agent in the browser can
 * list and call the same tools as MCP clients do, under the same page policy and approval UI.
 *
 * The API as Chromium 156 ships it (behind `--enable-features=WebMCP`):
 * `document.modelContext.registerTool({ name, title?, description, inputSchema?, annotations?,
 * execute(input, client) }, { signal })` returns a promise; it rejects for a duplicate or invalid
 * name or an empty description. There is no `unregisterTool`: a tool is removed by aborting the
 * signal it was registered with. `execute` receives the input object and `{ signal }`; whatever it
 * resolves to is handed to the agent as JSON. Annotations are `readOnlyHint`,
 * `untrustedContentHint` and `consequentialHint`. The browser does not check input against
 * `inputSchema`; the registry does.
 */
import type { ToolRegistry } from './registry/tool-registry.js';
import type { AgentTool, ToolCallResult } from './registry/types.js';

/** Annotations as WebMCP takes them (hints for the agent; never permissions). */
export interface ModelContextToolAnnotations {
  /** The tool does not change anything: an agent may call it freely. */
  readOnlyHint?: boolean;
  /** The result may contain content the page's author does not vouch for. */
  untrustedContentHint?: boolean;
  /** The tool takes an action with consequences (the page asks the user first). */
  consequentialHint?: boolean;
}

/** What WebMCP passes to `execute` besides the input. */
export interface ModelContextClient {
  /** Aborted when the agent cancels the call. */
  signal?: AbortSignal;
}

/** A tool as `document.modelContext.registerTool` takes it. */
export interface ModelContextTool {
  name: string;
  title?: string;
  description: string;
  inputSchema?: object;
  annotations?: ModelContextToolAnnotations;
  execute(input: unknown, client?: ModelContextClient): Promise<unknown>;
}

/**
 * The part of `document.modelContext` this module uses. `unregisterTool` and a returned
 * `{ unregister() }` are the shapes of earlier drafts (and polyfills); they are used when present.
 */
export interface ModelContextLike {
  registerTool(tool: ModelContextTool, options?: { signal?: AbortSignal }): unknown;
  unregisterTool?(name: string): unknown;
}

/** A tool that could not be registered (e.g. another script on the page has the same name). */
export interface ExposeFailure {
  name: string;
  /** `WEBMCP_REGISTER_FAILED`. */
  code: string;
  /** The browser's reason, e.g. `InvalidStateError: Duplicate tool name`. */
  message: string;
}

/** The tools on `document.modelContext` now. */
export interface ExposedState {
  /** Names of the registered tools, in the registry's order. */
  tools: string[];
  /** Tools the browser refused. */
  failed: ExposeFailure[];
}

/** What {@link exposeTools} did. It never throws. */
export type ExposeToolsResult =
  | ({ exposed: true } & ExposedState)
  | {
      exposed: false;
      /** `WEBMCP_UNAVAILABLE` (no `document.modelContext`) or `ABORTED` (the signal was already aborted). */
      reason: 'WEBMCP_UNAVAILABLE' | 'ABORTED';
      message: string;
      suggestion: string;
    };

/** Options of {@link exposeTools}. */
export interface ExposeToolsOptions {
  /** The page's registry; every WebMCP call goes through `registry.call` (policy, approval, schemas). */
  registry: Pick<ToolRegistry, 'list' | 'call' | 'addEventListener' | 'removeEventListener'>;
  /** Aborting it unregisters every tool and stops following the registry. Without it the tools stay until the page unloads. */
  signal?: AbortSignal;
  /** The WebMCP object (default `document.modelContext`, or the older `navigator.modelContext`). `null` means none. */
  modelContext?: ModelContextLike | null;
  /** The caller name approvals and the `call` event show (default `webmcp`). */
  caller?: string;
  /** Called after every re-sync that follows a registry `change`. */
  onSync?: (state: ExposedState) => void;
}

/** The page's WebMCP object, if the browser has one. */
export function findModelContext(): ModelContextLike | undefined {
  const doc = typeof document !== 'undefined' ? (document as unknown as { modelContext?: ModelContextLike }) : undefined;
  const nav = typeof navigator !== 'undefined' ? (navigator as unknown as { modelContext?: ModelContextLike }) : undefined;
  const found = doc?.modelContext ?? nav?.modelContext;
  return found && typeof found.registerTool === 'function' ? found : undefined;
}

/** WebMCP annotations for a registry tool: hints only; the registry's policy still decides every call. */
export function webmcpAnnotations(tool: AgentTool): ModelContextToolAnnotations {
  const a = tool.annotations ?? {};
  return {
    // "Free to call" only when the page never asks about it.
    readOnlyHint: a.readOnlyHint === true && tool.policy.approval === 'never',
    untrustedContentHint: tool.source !== 'kit' || a.openWorldHint === true,
    consequentialHint: a.destructiveHint === true || tool.policy.approval === 'always',
  };
}

/** The WebMCP definition of a registry tool (without `execute`). */
function definition(tool: AgentTool): Omit<ModelContextTool, 'execute'> {
  const title = tool.title ?? tool.annotations?.title;
  return {
    name: tool.name,
    ...(title ? { title } : {}),
    description: tool.description || title || tool.name,
    inputSchema: structuredClone(tool.inputSchema),
    annotations: webmcpAnnotations(tool),
  };
}

/** Reads what WebMCP passes to `execute` (an object; some drafts pass a JSON string). */
function inputOf(raw: unknown): unknown {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

interface Registration {
  key: string;
  controller: AbortController;
  handle?: { unregister?: () => unknown } | undefined;
}

/**
 * Registers every tool of `registry` on `document.modelContext` (WebMCP) and keeps them in sync
 * with the registry's `change` event; aborting `signal` unregisters all of them. Each call from
 * the agent runs `registry.call(name, input, { caller: 'webmcp' })`, so the page's allow/deny
 * lists, input validation, rate limits and approval dialog apply, and the agent gets the kit's
 * result envelope (errors are `isError` results with a code, not exceptions).
 *
 * ```js
 * const controller = new AbortController();
 * const result = await exposeTools({ registry, signal: controller.signal });
 * if (!result.exposed) console.info(result.reason); // 'WEBMCP_UNAVAILABLE' in most browsers today
 * ```
 *
 * Never throws: without WebMCP it resolves to `{ exposed: false, reason: 'WEBMCP_UNAVAILABLE' }`.
 */
export async function exposeTools(options: ExposeToolsOptions): Promise<ExposeToolsResult> {
  const { registry, signal } = options;
  const caller = options.caller ?? 'webmcp';
  const mc = options.modelContext === undefined ? findModelContext() : (options.modelContext ?? undefined);
  if (!mc) {
    return {
      exposed: false,
      reason: 'WEBMCP_UNAVAILABLE',
      message: 'This browser has no document.modelContext (WebMCP), so no tools were registered.',
      suggestion: 'Use a browser with WebMCP (Chromium with --enable-features=WebMCP), or connect an agent through the agent bridge (connectAgentBridge).',
    };
  }
  if (signal?.aborted) {
    return { exposed: false, reason: 'ABORTED', message: 'The signal was already aborted, so no tools were registered.', suggestion: 'Pass a fresh AbortSignal.' };
  }

  const registered = new Map<string, Registration>();
  let failed: ExposeFailure[] = [];
  let stopped = false;

  const unregister = (name: string): void => {
    const r = registered.get(name);
    if (!r) return;
    registered.delete(name);
    r.controller.abort();
    try {
      if (typeof r.handle?.unregister === 'function') r.handle.unregister();
      else mc.unregisterTool?.(name);
    } catch {
      // Already gone (the abort removed it).
    }
  };

  const register = async (tool: AgentTool, key: string): Promise<void> => {
    const controller = new AbortController();
    const entry: Registration = { key, controller };
    registered.set(tool.name, entry);
    const name = tool.name;
    const execute = async (input: unknown, client?: ModelContextClient): Promise<ToolCallResult> => {
      const callSignal = client?.signal instanceof AbortSignal ? client.signal : undefined;
      return registry.call(name, inputOf(input), { caller, ...(callSignal ? { signal: callSignal } : {}) });
    };
    try {
      const handle = await mc.registerTool({ ...definition(tool), execute }, { signal: controller.signal });
      if (handle && typeof handle === 'object') entry.handle = handle as Registration['handle'];
    } catch (err) {
      if (registered.get(name) === entry) registered.delete(name);
      if (!controller.signal.aborted) {
        const e = err as { name?: string; message?: string };
        failed.push({ name, code: 'WEBMCP_REGISTER_FAILED', message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}` });
      }
    }
  };

  const state = (): ExposedState => ({ tools: registry.list().map((t) => t.name).filter((n) => registered.has(n)), failed: [...failed] });

  const syncOnce = async (): Promise<void> => {
    if (stopped) return;
    failed = [];
    const tools = registry.list();
    const wanted = new Map(tools.map((t) => [t.name, t] as const));
    for (const name of [...registered.keys()]) if (!wanted.has(name)) unregister(name);
    const work: Promise<void>[] = [];
    for (const tool of tools) {
      const key = JSON.stringify(definition(tool));
      const current = registered.get(tool.name);
      if (current?.key === key) continue;
      if (current) unregister(tool.name);
      work.push(register(tool, key));
    }
    await Promise.all(work);
  };

  // Syncs run one after another (registration is asynchronous; changes may come in bursts).
  let queue: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => (queue = queue.then(syncOnce, syncOnce));

  const onChange = (): void => {
    void sync().then(() => {
      if (!stopped) options.onSync?.(state());
    });
  };
  registry.addEventListener('change', onChange);
  signal?.addEventListener(
    'abort',
    () => {
      stopped = true;
      registry.removeEventListener('change', onChange);
      for (const name of [...registered.keys()]) unregister(name);
    },
    { once: true },
  );

  await sync();
  if (stopped) return { exposed: false, reason: 'ABORTED', message: 'The signal was aborted while the tools were being registered; none stay registered.', suggestion: 'Pass a fresh AbortSignal.' };
  return { exposed: true, ...state() };
}
