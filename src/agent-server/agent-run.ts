/**
 * One `vib3 agent` session: a router over the configured providers, a headless `<vib3-canvas>`
 * whose page registry holds the tools, and the agent loop between them under the safety policy.
 * Approval is the loop's (the CLI's prompt or `--yes`); the headless page is started approving,
 * so nothing is asked twice. Node-only.
 */
import { Router } from '../agent/llm/router.js';
import { runAgentSession, type AgentToolSource } from '../agent/llm/session.js';
import { createProviderModel } from '../agent/llm/providers.js';
import { checkKeys } from './llm-environment.js';
import { envSecrets, redactor } from '../agent/llm/secrets.js';
import type { AgentEvent, RouterConfig, RouterDecision, SessionResult } from '../agent/llm/types.js';
import type { ApprovalHandler } from '../agent/registry/types.js';
import type { HeadlessRenderer } from './headless/session.js';

/** Options of {@link runAgentCommand}. */
export interface AgentRunOptions {
  prompt: string;
  router: RouterConfig;
  group?: string;
  /** The safety policy (parsed JSON). */
  policy?: unknown;
  approve: ApprovalHandler;
  renderer?: HeadlessRenderer;
  chromium?: string;
  extensionsDir?: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  onDecision?: (decision: RouterDecision) => void;
  log?: (line: string) => void;
}

/** What `vib3 agent --json` prints. */
export interface AgentRunResult extends SessionResult {
  /** The canvas's full parameter set at the end (from `get_params`). */
  params: Record<string, unknown>;
}

/** Runs one agent session against a headless canvas and returns the result with the final parameters. */
export async function runAgentCommand(options: AgentRunOptions): Promise<AgentRunResult> {
  const group = options.group ?? Object.keys(options.router.groups)[0]!;
  // Refused before Chromium starts when no deployment of the group has its key.
  checkKeys(options.router, options.env, group);
  const secrets = envSecrets(options.env);
  const router = new Router(options.router, (d) => createProviderModel(d, { secrets }));
  const off = options.onDecision ? router.onDecision(options.onDecision) : undefined;
  const { startHeadlessSession } = await import('./headless/session.js');
  const session = await startHeadlessSession({
    ...(options.renderer ? { renderer: options.renderer } : {}),
    ...(options.chromium ? { chromium: options.chromium } : {}),
    ...(options.extensionsDir ? { extensionsDir: options.extensionsDir } : {}),
    // The loop asks (prompt or --yes) before every call that needs it; the page must not ask again.
    yes: true,
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    const tools: AgentToolSource = {
      list: () => session.listTools(),
      call: (name, args) => session.callTool(name, args, 'agent'),
    };
    const outcome = await runAgentSession({
      model: router.model(group),
      tools,
      prompt: options.prompt,
      policy: options.policy,
      approve: options.approve,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    const final = await session.callTool('get_params', {}, 'agent');
    const structured = final.structuredContent ?? {};
    const params = (structured['params'] as Record<string, unknown> | undefined) ?? structured;
    const { messages: _messages, ...result } = outcome;
    return redactor.redactDeep({ ...result, params });
  } finally {
    off?.();
    await session.close().catch(() => undefined);
  }
}
